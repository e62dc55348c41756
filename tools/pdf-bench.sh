#!/usr/bin/env bash
# PDF → cells, side by side with pdftotext (text only, no cells) on the same file, alternating
# runs, in one go. usage: tools/pdf-bench.sh [PDF] [RUNS]   (needs poppler-utils for pdftotext)
set -euo pipefail
cd "$(dirname "$0")/.."
pdf=${1:-tests/fixtures/pdf/huaian-2024.pdf}
runs=${2:-20}
bin=target/release/nianbao
[ -x "$bin" ] || cargo build --release --quiet
command -v pdftotext >/dev/null || { echo "pdftotext missing: apt-get install poppler-utils" >&2; exit 1; }
python3 - "$bin" "$pdf" "$runs" <<'PY'
import subprocess, sys, time, statistics, resource
bin, pdf, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
cmds = {
    "nianbao export --format json (PDF → text → cells → checks)": [bin, "export", pdf, "--format", "json", "-o", "/dev/null"],
    "pdftotext (text only)": ["pdftotext", pdf, "/dev/null"],
    "pdftotext -layout (text only)": ["pdftotext", "-layout", pdf, "/dev/null"],
}
wall = {k: [] for k in cmds}; cpu = {k: [] for k in cmds}
for _ in range(runs):
    for k, c in cmds.items():
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter(); subprocess.run(c, check=True, stdout=subprocess.DEVNULL); t = time.perf_counter() - t
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall[k].append(t * 1000); cpu[k].append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
print(f"{pdf}, {runs} runs each, alternating; ms")
for k in cmds:
    print(f"  {k:58s} wall median {statistics.median(wall[k]):6.1f} min {min(wall[k]):6.1f}   cpu median {statistics.median(cpu[k]):6.1f}")
PY

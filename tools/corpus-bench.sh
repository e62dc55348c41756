#!/bin/sh
# Corpus benchmark (issue 6): generate >= 10,000 report files from the fixtures into a
# temporary folder, then time the batch check over them against `grep -c 总计 -r` (the floor:
# one pass over the bytes). Reports reports/s, MB/s and peak memory (GNU time).
#
# usage: tools/corpus-bench.sh [N]      (run from the crate root; builds release first)
set -eu
N=${1:-10000}
cd "$(dirname "$0")/.."
cargo build --release --quiet --example check_dir --bin nianbao
DIR=$(mktemp -d /tmp/nianbao-corpus.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
python3 tools/corpus-gen.py tests/fixtures "$DIR/c" "$N"
BYTES=$(du -sb "$DIR/c" | cut -f1)
sync
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "install GNU time (apt-get install time)"; exit 2; }

measure() { # label, command...
    label=$1; shift
    # warm the page cache once, then measure
    "$@" >/dev/null 2>&1 || true
    $TIME -f "%e %M" -o "$DIR/t" "$@" >"$DIR/out" 2>/dev/null || true
    read -r secs kb <<EOT
$(tail -1 "$DIR/t")
EOT
    awk -v l="$label" -v s="$secs" -v kb="$kb" -v n="$N" -v b="$BYTES" 'BEGIN {
        if (s <= 0) s = 0.001;
        printf "%-28s %7.2f s  %9.0f reports/s  %7.1f MB/s  peak %6.1f MB\n", l, s, n / s, b / s / 1048576, kb / 1024 }'
}

echo "corpus: $N files, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1048576 }') MB, $(nproc) cores"
measure "grep -c 总计 -r (floor)" grep -c 总计 -r "$DIR/c"
measure "batch::check_all (example)" target/release/examples/check_dir "$DIR/c" --summary "$DIR/summary.csv"
tail -1 "$DIR/out"
if target/release/nianbao check "$DIR/c/00" >/dev/null 2>&1 || [ $? -eq 1 ]; then
    measure "nianbao check DIR" target/release/nianbao check "$DIR/c"
    tail -1 "$DIR/out"
else
    echo "nianbao check DIR: not wired yet (see src/batch.rs); timed the example instead"
fi

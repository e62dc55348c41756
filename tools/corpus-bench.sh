#!/bin/bash
# Corpus benchmark (issues 6 and 10): generate report files from the fixtures into a temporary
# folder, then time `nianbao check DIR` (the one batch path) against `grep -c 总计 -r` over the
# same files (the floor: one pass over the bytes): best of three runs each, alternating, after
# one warm-up of each. Prints seconds, reports/s, MB/s, peak memory (GNU time) and the ratio.
#
# usage: tools/corpus-bench.sh [N]      (run from the crate root; builds release first)
#        PROFILE=dist tools/corpus-bench.sh [N]   (the binary that ships: fat LTO, one codegen unit)
set -eu
N=${1:-10000}
PROFILE=${PROFILE:-release}
cd "$(dirname "$0")/.."
cargo build --profile "$PROFILE" --quiet --bin nianbao
BIN=target/$PROFILE/nianbao
DIR=$(mktemp -d /tmp/nianbao-corpus.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
python3 tools/corpus-gen.py tests/fixtures "$DIR/c" "$N"
BYTES=$(du -sb "$DIR/c" | cut -f1)
sync
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "install GNU time (apt-get install time)"; exit 2; }

run() { # file for "secs kb", command...: the wall time by bash's clock (no process of its own
    # around the command: GNU time's hundredths are too coarse for grep's 25 ms, and a wrapper
    # would add its own start to both), then the peak memory from one more run under GNU time
    f=$1; shift
    t0=$EPOCHREALTIME
    "$@" >"$DIR/out" 2>/dev/null || true
    t1=$EPOCHREALTIME
    $TIME -f "%M" -o "$DIR/t" "$@" >/dev/null 2>&1 || true
    echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $(tail -1 "$DIR/t")" >>"$f"
}
show() { # label, file
    sort -n "$2" | head -1 | awk -v l="$1" -v n="$N" -v b="$BYTES" '{ s = $1; if (s <= 0) s = 0.001;
        printf "%-28s best %7.3f s  %9.0f reports/s  %7.1f MB/s  peak %6.1f MB\n", l, s, n / s, b / s / 1048576, $2 / 1024 }'
}

echo "corpus: $N files, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1048576 }') MB, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
grep -c 总计 -r "$DIR/c" >/dev/null 2>&1 || true
"$BIN" check "$DIR/c" >/dev/null 2>&1 || true
: >"$DIR/g"; : >"$DIR/n"
for i in 1 2 3; do
    run "$DIR/g" grep -c 总计 -r "$DIR/c"
    run "$DIR/n" "$BIN" check "$DIR/c"
done
show "grep -c 总计 -r (floor)" "$DIR/g"
show "nianbao check DIR ($PROFILE)" "$DIR/n"
tail -1 "$DIR/out"
g=$(sort -n "$DIR/g" | head -1 | cut -d' ' -f1); n=$(sort -n "$DIR/n" | head -1 | cut -d' ' -f1)
awk -v g="$g" -v n="$n" 'BEGIN { if (g <= 0) g = 0.001; printf "nianbao check / grep: %.1fx\n", n / g }'

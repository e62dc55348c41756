#!/usr/bin/env bash
# Build the .deb (cargo-deb, dist profile), unpack it into a temporary root with dpkg -x and run
# the packaged binary headless from there. Any failure stops the script with a message.
#
# usage: tools/build-deb.sh [--no-build]
#   --no-build   package the binary of an earlier `cargo build --profile dist` (no rebuild)
# Needs: cargo-deb (cargo install cargo-deb --locked), dpkg-deb. Honours CARGO_TARGET_DIR.
# Prints the path of the .deb as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "build-deb: FAILED: $*" >&2; exit 1; }

command -v cargo-deb >/dev/null || die "cargo-deb is missing (cargo install cargo-deb --locked)"
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing (a Debian or Ubuntu machine is needed)"

build=()
case "${1:-}" in
  --no-build) build=(--no-build) ;;
  "") ;;
  *) die "unknown argument: $1 (usage: tools/build-deb.sh [--no-build])" ;;
esac

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
[ -n "$version" ] || die "no version in Cargo.toml"

# 1. Build (unless --no-build) and package. cargo-deb prints the package's path last.
out=$(cargo deb --profile dist "${build[@]}" --locked) || die "cargo deb failed"
deb=$(printf '%s\n' "$out" | tail -1)
[ -f "$deb" ] || die "cargo deb did not report a package (output: $out)"
echo "build-deb: built $deb ($(du -h "$deb" | cut -f1))"

# 2. The package's metadata and files.
info=$(dpkg-deb --info "$deb")
depends=$(printf '%s\n' "$info" | sed -n 's/^ Depends: //p')
for lib in libegl1 libgl1-mesa-dri libxkbcommon-x11-0 libxcursor1 libxi6 libx11-xcb1 libfontconfig1 libc6; do
  printf '%s\n' "$depends" | grep -Eq "(^|, )$lib( |,|$)" || die "Depends lacks $lib: $depends"
done
files=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/nianbao \
         ./usr/share/applications/nianbao.desktop \
         ./usr/share/mime/packages/nianbao.xml \
         ./usr/share/icons/hicolor/scalable/apps/nianbao.svg \
         ./usr/share/icons/hicolor/256x256/apps/nianbao.png \
         ./usr/share/man/man1/nianbao.1 \
         ./usr/share/nianbao/fonts/NotoSansSC-Regular-gb2312.otf \
         ./usr/share/doc/nianbao/NOTICE-noto-cjk.txt \
         ./usr/share/doc/nianbao/copyright; do
  printf '%s\n' "$files" | grep -Eq " $f(\.gz)?$" || die "the package lacks $f"
done

# 3. Unpack and run the packaged binary, with no display.
root=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-deb.XXXXXX")
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root" || die "dpkg -x failed"
bin="$root/usr/bin/nianbao"
[ -x "$bin" ] || die "$bin is not executable"
headless=(env -u DISPLAY -u WAYLAND_DISPLAY)

got=$("${headless[@]}" "$bin" --version) || die "nianbao --version exited $?"
[ "$got" = "nianbao $version" ] || die "nianbao --version printed '$got', expected 'nianbao $version'"
got=$("${headless[@]}" "$bin" -V) || die "nianbao -V exited $?"
[ "$got" = "nianbao $version" ] || die "nianbao -V printed '$got'"

fixture=tests/fixtures/yuan-2020.txt
set +e
report=$("${headless[@]}" "$bin" check "$fixture" 2>&1)
rc=$?
set -e
[ "$rc" -eq 0 ] || die "nianbao check $fixture exited $rc: $report"
printf '%s\n' "$report" | grep -q "通过" || die "nianbao check printed no verdict: $report"

"${headless[@]}" "$bin" --help | grep -q "退出码" || die "nianbao --help lacks the exit codes"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$root/usr/share/applications/nianbao.desktop" || die "the desktop entry is invalid"
fi

echo "build-deb: ok: $($bin --version); check $fixture: $report"
echo "$deb"

#!/bin/sh
# Make the scanned-report fixture for the OCR tests: the real huaian-2024.pdf rasterised at
# 150 dpi, grey, JPEG (quality 75), one image per page, wrapped into a PDF without a text layer.
# Needs poppler-utils (pdftoppm), imagemagick (convert: a one-component grey JPEG) and img2pdf
# (Debian packages of those names).
#   sh tools/make-scan.sh [SOURCE.pdf] [OUT.pdf]
set -eu
src=${1:-tests/fixtures/pdf/huaian-2024.pdf}
out=${2:-tests/fixtures/scan/huaian-2024-scan.pdf}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pdftoppm -r 150 -gray "$src" "$tmp/page"
for p in "$tmp"/page-*.pgm; do
    convert "$p" -quality 75 -density 150 -units PixelsPerInch "${p%.pgm}.jpg"
done
img2pdf --producer "" --nodate -o "$out" "$tmp"/page-*.jpg
ls -l "$out"

# Bad inputs for the OCR tests: two blank scanned pages, a scanned page without a table
# (the report's first page, prose only), and a picture of something else (the app's icon is
# tests' own; see crates/core/tests/ocr_scan.rs).
if [ "$#" -eq 0 ]; then
    dir=$(dirname "$out")
    convert -size 1240x1754 xc:white -colorspace Gray -quality 75 -density 150 -units PixelsPerInch "$tmp/blank-1.jpg"
    cp "$tmp/blank-1.jpg" "$tmp/blank-2.jpg"
    img2pdf --producer "" --nodate -o "$dir/blank-pages.pdf" "$tmp/blank-1.jpg" "$tmp/blank-2.jpg"
    pdftoppm -r 100 -gray -f 1 -l 1 -singlefile "$src" "$tmp/prose"
    convert "$tmp/prose.pgm" -quality 70 -density 100 -units PixelsPerInch "$dir/prose-page.jpg"
    # One page as a picture file: page 4 (the end of table 二, the start of table 三).
    convert "$tmp/page-4.pgm" -quality 75 -density 150 -units PixelsPerInch "$dir/huaian-2024-p4.jpg"
    ls -l "$dir/blank-pages.pdf" "$dir/prose-page.jpg" "$dir/huaian-2024-p4.jpg"
fi
# photo-board.jpg (a photograph of a circuit board, not a report) is f3.jpg of the Embedded Rust
# Book (MIT/Apache-2.0), as shipped in rustup's documentation: share/doc/rust/html/embedded-book/assets/.

#!/bin/sh
# Rebuild the PDF test fixtures. Needs: qpdf, poppler-utils (pdftoppm), img2pdf,
# and (only for template-2021.pdf) libreoffice-writer-nogui + fonts-noto-cjk.
set -eu
S=${SAMPLES:-/work/shared/samples}
D=$(dirname "$0")/fixtures
mkdir -p "$D"
cp "$S/pdf/huaian-2024.pdf" "$D/huaian-2024.pdf" && chmod u+w "$D/huaian-2024.pdf"
if command -v libreoffice >/dev/null; then
  tmp=$(mktemp -d)
  cp "$S/docx/template-2021.docx" "$tmp/"
  (cd "$tmp" && libreoffice --headless --convert-to pdf template-2021.docx >/dev/null 2>&1)
  cp "$tmp/template-2021.pdf" "$D/template-2021.pdf"
  rm -rf "$tmp"
fi
T="$D/template-2021.pdf"
# A real password: unreadable.
qpdf --encrypt secret ownerpw 256 -- "$T" "$D/encrypted-userpw.pdf"
# Empty user password, copying forbidden (as many government PDFs): readable.
qpdf --encrypt "" ownerpw 256 --print=none --extract=n --modify=none -- "$T" "$D/encrypted-nouserpw-aes256.pdf"
qpdf --allow-weak-crypto --encrypt "" ownerpw 128 --use-aes=n --print=none --extract=n --modify=none -- "$T" "$D/encrypted-nouserpw-rc4.pdf"
# The first 30% of the real report.
n=$(stat -c %s "$S/pdf/huaian-2024.pdf")
head -c $((n * 30 / 100)) "$S/pdf/huaian-2024.pdf" > "$D/truncated.pdf"
# A scan: page 4 of the real report as a grey image, no text layer.
tmp=$(mktemp -d)
pdftoppm -r 40 -gray -f 4 -l 4 -png "$S/pdf/huaian-2024.pdf" "$tmp/scan"
img2pdf "$tmp"/scan-*.png -o "$D/scanned.pdf"
# Text and an image on one page (the image drawn through a form XObject).
qpdf "$T" --overlay "$D/scanned.pdf" --to=1 -- "$D/mixed-text-image.pdf"
rm -rf "$tmp"
# Not PDFs.
printf 'This is not a PDF at all.\n' > "$D/not-a-pdf.pdf"
: > "$D/empty.pdf"
# A PDF header then garbage, ending like a PDF.
{ printf '%%PDF-1.7\n'; head -c 3000 /dev/zero | tr '\0' 'x'; printf '\nstartxref\n12\n%%%%EOF\n'; } > "$D/garbage.pdf"
# A content stream that cannot be parsed to its end: a bad token early in page 2.
tmp=$(mktemp -d)
qpdf --qdf --object-streams=disable "$T" "$tmp/q.pdf"
python3 - "$tmp/q.pdf" <<'PY'
import sys
p = sys.argv[1]
b = open(p, 'rb').read()
at = b.index(b'%% Contents for page 2')
bt = b.index(b'BT', b.index(b'stream', at))
b = b[:bt] + b'<zz> ' + b[bt:]
open(p, 'wb').write(b)
PY
fix-qdf "$tmp/q.pdf" > "$tmp/fixed.pdf"
qpdf "$tmp/fixed.pdf" "$D/broken-content.pdf"
rm -rf "$tmp"
# Table 三 without ruling lines: the blank template with its cell borders removed and
# huaian-2024's values (in the expected JSON's order) typed into the empty cells.
if command -v libreoffice >/dev/null; then
  tmp=$(mktemp -d)
  (cd "$tmp" && mkdir x && cd x && unzip -q "$S/docx/template-2021.docx")
  python3 - "$tmp/x/word/document.xml" "$S/expected/huaian-2024.json" <<'PY'
import json, re, sys
doc, exp = sys.argv[1], sys.argv[2]
s = open(doc, encoding='utf-8').read()
vals = [c['value'] for c in json.load(open(exp))['cells']]
text = lambda tc: ''.join(re.findall(r'<w:t(?: [^>]*)?>([^<]*)</w:t>', tc))
cont = lambda tc: re.search(r'<w:vMerge/>|<w:vMerge w:val="continue"/>', tc) is not None
s = re.sub(r'<w:tcBorders>.*?</w:tcBorders>', '', s, flags=re.S)
out, pos, k = [], 0, 0
for m in re.finditer(r'<w:tc>.*?</w:tc>', s, flags=re.S):
    tc = m.group(0)
    if text(tc).strip() or cont(tc) or k >= len(vals):
        continue
    v = vals[k]; k += 1
    v = str(int(v)) if float(v).is_integer() else str(v)
    i = tc.index('</w:p>')
    out += [s[pos:m.start()], tc[:i] + '<w:r><w:t>%s</w:t></w:r>' % v + tc[i:]]
    pos = m.end()
out.append(s[pos:])
assert k == len(vals), k
open(doc, 'w', encoding='utf-8').write(''.join(out))
PY
  (cd "$tmp/x" && zip -q -r ../filled-noborders.docx .)
  (cd "$tmp" && libreoffice --headless --convert-to pdf filled-noborders.docx >/dev/null 2>&1)
  cp "$tmp/filled-noborders.pdf" "$D/filled-noborders.pdf"
  rm -rf "$tmp"
fi
# Page orientation. (1) /Rotate 90 on every page, content untouched: the text itself still
# runs left to right in the page's own space.
qpdf --rotate=+90 "$T" "$D/rotate90.pdf"
# (2) Content drawn sideways: each page turned a quarter (cm prepended), MediaBox made
# landscape, so glyphs advance bottom to top in page space.
tmp=$(mktemp -d)
qpdf --qdf --object-streams=disable "$T" "$tmp/q.pdf"
python3 - "$tmp/q.pdf" <<'PY'
import re, sys
p = sys.argv[1]
b = open(p, 'rb').read()
m = re.search(rb'/MediaBox \[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]', b)
w, h = float(m.group(3)), float(m.group(4))
b = re.sub(rb'/MediaBox \[[^\]]*\]', b'/MediaBox [0 0 %.2f %.2f]' % (h, w), b)
out, pos = [], 0
for m in re.finditer(rb"%% Contents for page \d+\n(?:%%[^\n]*\n)*\d+ 0 obj\n<<[^>]*>>\nstream\n", b):
    out += [b[pos:m.end()], b'0 1 -1 0 %.2f 0 cm\n' % h]
    pos = m.end()
out.append(b[pos:])
open(p, 'wb').write(b''.join(out))
PY
fix-qdf "$tmp/q.pdf" > "$tmp/fixed.pdf"
qpdf "$tmp/fixed.pdf" "$D/sideways.pdf"
rm -rf "$tmp"
# Text inside a form XObject drawn scaled and shifted: template page 2 overlaid (qpdf fits
# it, scaling by about 1.41) onto a blank A3 page.
tmp=$(mktemp -d)
python3 -c "
import zlib, struct
w, h = 8, 8
raw = b''.join(b'\x00' + b'\xff' * w for _ in range(h))
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
open('$tmp/white.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
"
img2pdf --pagesize A3 "$tmp/white.png" -o "$tmp/a3.pdf"
qpdf "$tmp/a3.pdf" --overlay "$T" --from=2 -- "$D/form-text.pdf"
rm -rf "$tmp"
# Hand-written small PDFs: a form XObject that draws itself (pdf-extract would recurse
# until the stack overflows), and a page tree with no MediaBox anywhere.
python3 - "$D" <<'PY'
import sys
D = sys.argv[1]
def pdf(objs):
    out = b'%PDF-1.4\n'
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b'%d 0 obj\n' % i + o + b'\nendobj\n'
    x = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1)
    out += b''.join(b'%010d 00000 n \n' % o for o in offs)
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, x)
    return out
def stream(dict_, data):
    return b'<< ' + dict_ + b' /Length %d >>\nstream\n' % len(data) + data + b'\nendstream'
font = b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
def doc(media, page_text, form=None):
    page_res = b'/Font << /F1 5 0 R >>' + (b' /XObject << /X1 6 0 R >>' if form else b'')
    objs = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R ' + media + b' /Resources << ' + page_res + b' >> /Contents 4 0 R >>',
        stream(b'', page_text),
        font,
    ]
    if form:
        objs.append(stream(b'/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>', form))
    return pdf(objs)
open(D + '/form-cycle.pdf', 'wb').write(doc(b'/MediaBox [0 0 595 842]',
    b'BT /F1 12 Tf 72 720 Td (Before the form) Tj ET /X1 Do',
    b'BT /F1 12 Tf 72 700 Td (Inside the form) Tj ET /X1 Do'))
open(D + '/no-mediabox.pdf', 'wb').write(doc(b'', b'BT /F1 12 Tf 72 720 Td (No MediaBox here) Tj ET'))
# Borders as Word draws them: thin filled rectangles (here `re f`, `re f*` and a thin
# polygon `m l l l h f`), a 2 x 2 grid whose last cell is empty.
borders = (b'0 g 100 659.75 200 0.5 re f 100 629.75 200 0.5 re f* '
           b'100 599.75 m 300 599.75 l 300 600.25 l 100 600.25 l h f '
           b'99.75 600 0.5 60 re f 199.75 600 0.5 60 re f 299.75 600 0.5 60 re f ')
text = b'BT /F1 10 Tf 105 641 Td (Label1) Tj 100 0 Td (12) Tj -100 -30 Td (Label2) Tj ET'
open(D + '/word-borders.pdf', 'wb').write(doc(b'/MediaBox [0 0 595 842]', borders + text))
PY
# Linearized (web-optimized): a first-page trailer near the start.
qpdf --linearize "$T" "$D/linearized.pdf"
ls -la "$D"

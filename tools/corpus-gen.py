#!/usr/bin/env python3
"""Generate a corpus of report files from the fixtures: layouts as they are, re-encoded
(UTF-8, UTF-8 BOM, GB18030, UTF-16LE/BE with BOM), CRLF, full-width digits, OCR damage
(digits read as l/O, a number split by a space) and changed totals. Deterministic (seeded).

usage: corpus-gen.py FIXTURE_DIR OUT_DIR [N]
"""
import os, random, re, sys

src, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
rng = random.Random(6)
bases = [open(os.path.join(src, f), encoding="utf-8").read() for f in sorted(os.listdir(src)) if f.endswith(".txt")]
FW = str.maketrans("0123456789", "０１２３４５６７８９")
num_line = re.compile(r"(?m)^(\s*)(\d+)(\s*)$")

def ocr(text):
    nums = list(num_line.finditer(text))
    if not nums:
        return text
    m = rng.choice(nums)
    d = m.group(2)
    kind = rng.randrange(3)
    if kind == 0 and "1" in d:
        d = d.replace("1", "l", 1)
    elif kind == 1 and "0" in d:
        d = d.replace("0", "O", 1)
    elif len(d) > 1:
        d = d[0] + " " + d[1:]
    return text[: m.start(2)] + d + text[m.end(2):]

def change_total(text):
    i = text.find("总计", text.find("三、收到和处理"))
    if i < 0:
        return text
    m = num_line.search(text, i + 20)
    if not m:
        return text
    v = str(int(m.group(2)) + rng.randrange(1, 9))
    return text[: m.start(2)] + v + text[m.end(2):]

encs = ["utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16le", "utf-16be"]
os.makedirs(out, exist_ok=True)
total = 0
for i in range(n):
    t = bases[i % len(bases)]
    if rng.random() < 0.2:
        t = ocr(t)
    if rng.random() < 0.15:
        t = change_total(t)
    if rng.random() < 0.1:
        t = t.translate(FW)
    if rng.random() < 0.3:
        t = t.replace("\r\n", "\n").replace("\n", "\r\n")
    enc = encs[i % len(encs)] if i % 3 == 0 else "utf-8"
    b = t.encode(enc, errors="replace")
    if enc == "utf-16le":
        b = b"\xff\xfe" + b
    elif enc == "utf-16be":
        b = b"\xfe\xff" + b
    d = os.path.join(out, f"{i // 1000:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"r{i:05d}.txt"), "wb") as f:
        f.write(b)
    total += len(b)
print(f"{n} files, {total} bytes in {out}")

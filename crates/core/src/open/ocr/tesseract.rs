//! The `tesseract` command: many small images read in one call, each image one page of an
//! uncompressed multi-page TIFF written to its standard input, words with their confidence
//! read from its TSV output. Nothing is written to disk; building needs no C library.
//!
//! Invariants:
//! - Every call runs with `OMP_THREAD_LIMIT=1` (the caller runs calls in parallel) and its
//!   standard input fed from another thread (no pipe deadlock whatever the sizes).
//! - [`read`] gives exactly one word list per image, in order; a page tesseract skipped is an
//!   empty list. A missing command or language is [`Missing`], never a panic.

use super::raster::Gray;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The language of labels and prose (it reads digits and Latin letters too).
pub const LANG: &str = "chi_sim";

/// Why OCR cannot run at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing(pub String);

/// How an image is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One line of digits (a value cell): `--psm 7`, digits, '.' and '-' only.
    Digits,
    /// One line of text: `--psm 7`.
    Line,
    /// A block of text (a label cell that wraps, prose): `--psm 6`.
    Block,
    /// A page with its own layout (prose around tables): `--psm 4`.
    Page,
    /// One line taken as it is, without tesseract's line finding: `--psm 13`.
    Raw,
}

/// A word as tesseract read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    /// (block, paragraph, line) numbers within its page.
    pub line: (u32, u32, u32),
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
    /// 0–100.
    pub conf: f32,
    pub text: String,
}

fn langs() -> &'static Result<Vec<String>, Missing> {
    static ONCE: OnceLock<Result<Vec<String>, Missing>> = OnceLock::new();
    ONCE.get_or_init(|| {
        let out = Command::new("tesseract").arg("--list-langs").stdin(Stdio::null()).output();
        let install = "请安装 tesseract 与简体中文语言包（Debian/Ubuntu：sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim）";
        match out {
            Err(_) => Err(Missing(format!("这是扫描件，需要文字识别，但没有找到 tesseract 命令：{install}"))),
            Ok(o) => {
                let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
                let langs: Vec<String> = all.lines().map(|l| l.trim().to_string()).collect();
                if langs.iter().any(|l| l == LANG) {
                    Ok(langs)
                } else {
                    Err(Missing(format!("这是扫描件，需要文字识别，但 tesseract 没有简体中文语言包（chi_sim）：{install}")))
                }
            }
        }
    })
}

/// Whether `tesseract` and its Chinese language are installed (asked once per process).
pub fn available() -> Result<(), Missing> {
    langs().as_ref().map(|_| ()).map_err(Clone::clone)
}

/// The language digits are read with: English where installed (Debian installs it with
/// tesseract; it tells 6 from 0 and 5 from 3 better), else Chinese.
pub(crate) fn digits_lang() -> &'static str {
    match langs() {
        Ok(l) if l.iter().any(|x| x == "eng") => "eng",
        _ => LANG,
    }
}

/// Read `images` in one call in language `lang`. `dpi` is the resolution the images are at.
pub fn read(images: &[&Gray], mode: Mode, dpi: u32, lang: &str) -> Result<Vec<Vec<Word>>, String> {
    if images.is_empty() {
        return Ok(Vec::new());
    }
    let tiff = tiff(images, dpi);
    let mut cmd = Command::new("tesseract");
    cmd.args(["stdin", "stdout", "-l", lang, "--dpi", &dpi.to_string()]);
    let psm = match mode {
        Mode::Digits | Mode::Line => "7",
        Mode::Block => "6",
        Mode::Page => "4",
        Mode::Raw => "13",
    };
    cmd.args(["--psm", psm]);
    if mode == Mode::Digits {
        cmd.args(["-c", "tessedit_char_whitelist=0123456789.-"]);
    }
    cmd.arg("tsv").env("OMP_THREAD_LIMIT", "1");
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("无法运行 tesseract（{e}）"))?;
    let mut stdin = child.stdin.take().ok_or("tesseract 没有标准输入")?;
    let writer = std::thread::spawn(move || stdin.write_all(&tiff));
    let mut out = String::new();
    let mut err = Vec::new();
    if let Some(mut s) = child.stdout.take() {
        s.read_to_string(&mut out).map_err(|e| format!("tesseract 的输出无法读取（{e}）"))?;
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_end(&mut err);
    }
    let status = child.wait().map_err(|e| format!("tesseract 异常结束（{e}）"))?;
    let _ = writer.join();
    if !status.success() {
        let msg = String::from_utf8_lossy(&err);
        let first = msg.lines().find(|l| !l.trim().is_empty()).unwrap_or("").chars().take(120).collect::<String>();
        return Err(format!("tesseract 出错（{first}）"));
    }
    Ok(parse_tsv(&out, images.len()))
}

/// Words of tesseract's TSV output, one list per page (`pages` of them).
pub(crate) fn parse_tsv(tsv: &str, pages: usize) -> Vec<Vec<Word>> {
    let mut out = vec![Vec::new(); pages];
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" {
            continue;
        }
        let n = |i: usize| f[i].trim().parse::<u32>().unwrap_or(0);
        let text = f[11..].join("\t").trim().to_string();
        let page = n(1) as usize;
        if text.is_empty() || page == 0 || page > pages {
            continue;
        }
        out[page - 1].push(Word {
            line: (n(2), n(3), n(4)),
            left: n(6),
            top: n(7),
            width: n(8),
            height: n(9),
            conf: f[10].trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 100.0),
            text,
        });
    }
    out
}

/// An uncompressed multi-page TIFF of grey images (BlackIsZero, 8 bits, one strip a page).
pub fn tiff(images: &[&Gray], dpi: u32) -> Vec<u8> {
    const ENTRIES: u16 = 11;
    let mut b: Vec<u8> = Vec::with_capacity(images.iter().map(|g| g.px.len() + 200).sum::<usize>() + 8);
    b.extend_from_slice(b"II*\0");
    b.extend_from_slice(&8u32.to_le_bytes()); // first IFD, patched below per page
    let mut next_ptr = 4usize;
    for g in images {
        // Pixels, then the resolution rational, then the IFD.
        let data = b.len() as u32;
        b.extend_from_slice(&g.px);
        if b.len() % 2 == 1 {
            b.push(0);
        }
        let res = b.len() as u32;
        b.extend_from_slice(&dpi.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        let ifd = b.len() as u32;
        b[next_ptr..next_ptr + 4].copy_from_slice(&ifd.to_le_bytes());
        b.extend_from_slice(&ENTRIES.to_le_bytes());
        let mut entry = |tag: u16, typ: u16, value: u32| {
            b.extend_from_slice(&tag.to_le_bytes());
            b.extend_from_slice(&typ.to_le_bytes());
            b.extend_from_slice(&1u32.to_le_bytes());
            if typ == 3 {
                b.extend_from_slice(&(value as u16).to_le_bytes());
                b.extend_from_slice(&[0, 0]);
            } else {
                b.extend_from_slice(&value.to_le_bytes());
            }
        };
        entry(256, 4, g.w as u32); // ImageWidth
        entry(257, 4, g.h as u32); // ImageLength
        entry(258, 3, 8); // BitsPerSample
        entry(259, 3, 1); // Compression: none
        entry(262, 3, 1); // Photometric: BlackIsZero
        entry(273, 4, data); // StripOffsets
        entry(277, 3, 1); // SamplesPerPixel
        entry(278, 4, g.h as u32); // RowsPerStrip
        entry(279, 4, g.px.len() as u32); // StripByteCounts
        entry(282, 5, res); // XResolution
        entry(283, 5, res); // YResolution
        next_ptr = b.len();
        b.extend_from_slice(&0u32.to_le_bytes()); // next IFD
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_rows_become_words_per_page() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   1\t1\t0\t0\t0\t0\t0\t0\t80\t45\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t18\t10\t27\t11\t90.58\t3001\n\
                   5\t3\t1\t1\t1\t1\t18\t14\t3\t3\t92.3\t本年\n\
                   5\t9\t1\t1\t1\t1\t18\t14\t3\t3\t92.3\tx\n";
        let w = parse_tsv(tsv, 3);
        assert_eq!(w.len(), 3);
        assert_eq!(w[0][0].text, "3001");
        assert!((w[0][0].conf - 90.58).abs() < 1e-3);
        assert!(w[1].is_empty());
        assert_eq!(w[2][0].text, "本年");
    }

    #[test]
    fn the_tiff_is_read_back_page_by_page() {
        let a = Gray::new(3, 2, 0);
        let b = Gray { w: 2, h: 2, px: vec![10, 20, 30, 40] };
        let t = tiff(&[&a, &b], 300);
        let d = image::codecs::tiff::TiffDecoder::new(std::io::Cursor::new(&t)).unwrap();
        assert_eq!(image::ImageDecoder::dimensions(&d), (3, 2));
        let mut buf = vec![0; 6];
        image::ImageDecoder::read_image(d, &mut buf).unwrap();
        assert_eq!(buf, vec![0; 6]);
        // The second page's IFD is linked from the first.
        let first = u32::from_le_bytes(t[4..8].try_into().unwrap()) as usize;
        let n = u16::from_le_bytes(t[first..first + 2].try_into().unwrap()) as usize;
        let next = u32::from_le_bytes(t[first + 2 + 12 * n..first + 6 + 12 * n].try_into().unwrap()) as usize;
        assert!(next > first);
    }
}

//! Page images of a scan: the pictures a scanned PDF holds, or pages rendered by `pdftoppm`,
//! or the pages of an image file (.png, .jpg, .tif), as grey pixels with their resolution.
//!
//! Invariants:
//! - A PDF page is its largest image XObject, decoded here when it is JPEG (DCTDecode) or
//!   8-bit grey/RGB/CMYK or 1-bit data under Flate/LZW/no filter, turned by the page's
//!   /Rotate. Anything else (CCITT, JBIG2, JPEG 2000, several large pictures on one page)
//!   is rendered by `pdftoppm` at [`RENDER_DPI`] when it is installed, from a temporary copy
//!   of the PDF that is removed as soon as it has run; without it, one line saying to install
//!   poppler-utils. Nothing else is written to disk.
//! - A page's resolution (dpi) comes from the picture's size against the page's MediaBox;
//!   for an image file, from the file's own density when it states a plausible one, else
//!   from its width taken as an A4 page's. Every page of a multi-page TIFF is a page.
//! - Images larger than [`MAX_PIXELS`] are refused (a report's page is far smaller); nothing
//!   here panics on a damaged image.

use super::OcrError;
use pdf_extract::{Dictionary, Document, Object, ObjectId};

/// Resolution of pages rendered by pdftoppm.
pub const RENDER_DPI: f32 = 200.0;
/// More pixels than this on one page is no scanned report page.
pub const MAX_PIXELS: usize = 80_000_000;

/// A grey image, one byte a pixel (0 black, 255 white), rows top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Gray {
    pub fn new(w: usize, h: usize, fill: u8) -> Gray {
        Gray { w, h, px: vec![fill; w * h] }
    }
    #[inline]
    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.px[y * self.w + x]
    }
    /// The part `x0..x1`, `y0..y1` (clamped to the image).
    pub(crate) fn crop(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> Gray {
        let (x1, y1) = (x1.min(self.w), y1.min(self.h));
        let (x0, y0) = (x0.min(x1), y0.min(y1));
        let mut out = Gray::new(x1 - x0, y1 - y0, 255);
        for y in y0..y1 {
            let row = &self.px[y * self.w + x0..y * self.w + x1];
            out.px[(y - y0) * out.w..(y - y0 + 1) * out.w].copy_from_slice(row);
        }
        out
    }
    /// Scaled by an integer factor, bilinear (text for the OCR engine at about 300 dpi).
    pub(crate) fn upscale(&self, f: usize) -> Gray {
        if f <= 1 || self.w == 0 || self.h == 0 {
            return self.clone();
        }
        let (w, h) = (self.w * f, self.h * f);
        let mut out = Gray::new(w, h, 255);
        for y in 0..h {
            let sy = ((y as f32 + 0.5) / f as f32 - 0.5).clamp(0.0, (self.h - 1) as f32);
            let (y0, fy) = (sy as usize, sy.fract());
            let y1 = (y0 + 1).min(self.h - 1);
            for x in 0..w {
                let sx = ((x as f32 + 0.5) / f as f32 - 0.5).clamp(0.0, (self.w - 1) as f32);
                let (x0, fx) = (sx as usize, sx.fract());
                let x1 = (x0 + 1).min(self.w - 1);
                let top = self.at(x0, y0) as f32 * (1.0 - fx) + self.at(x1, y0) as f32 * fx;
                let bottom = self.at(x0, y1) as f32 * (1.0 - fx) + self.at(x1, y1) as f32 * fx;
                out.px[y * w + x] = (top * (1.0 - fy) + bottom * fy).round() as u8;
            }
        }
        out
    }
    /// Turned clockwise by `quarter` quarter turns.
    pub(crate) fn rotate(&self, quarter: i64) -> Gray {
        match quarter.rem_euclid(4) {
            0 => self.clone(),
            2 => Gray { w: self.w, h: self.h, px: self.px.iter().rev().copied().collect() },
            q => {
                let mut out = Gray::new(self.h, self.w, 255);
                for y in 0..self.h {
                    for x in 0..self.w {
                        let (nx, ny) = if q == 1 { (self.h - 1 - y, x) } else { (y, self.w - 1 - x) };
                        out.px[ny * out.w + nx] = self.at(x, y);
                    }
                }
                out
            }
        }
    }
}

/// One page of a scan.
#[derive(Clone, Debug)]
pub struct Page {
    pub img: Gray,
    pub dpi: f32,
}

fn too_large(w: usize, h: usize) -> bool {
    w.saturating_mul(h) > MAX_PIXELS || w == 0 || h == 0
}

/// The pages of an image file (PNG, JPEG, TIFF; every page of a multi-page TIFF).
pub(crate) fn from_image(bytes: &[u8]) -> Result<Vec<Page>, OcrError> {
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return tiff_pages(bytes);
    }
    let bad = |e: String| OcrError::Image(format!("图片无法解码（{e}）"));
    let reader =
        image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|e| bad(e.to_string()))?;
    let mut reader = reader;
    reader.limits({
        let mut l = image::Limits::default();
        l.max_alloc = Some(4 * MAX_PIXELS as u64);
        l
    });
    let img = reader.decode().map_err(|e| bad(e.to_string()))?;
    let (w, h) = (img.width() as usize, img.height() as usize);
    if too_large(w, h) {
        return Err(OcrError::Image(format!("图片过大或为空（{w}×{h} 像素）")));
    }
    let gray = img.into_luma8();
    let img = Gray { w, h, px: gray.into_raw() };
    let dpi = density(bytes).unwrap_or_else(|| a4_dpi(w, h));
    Ok(vec![Page { img, dpi }])
}

/// Every page of a TIFF, grey.
fn tiff_pages(bytes: &[u8]) -> Result<Vec<Page>, OcrError> {
    use tiff::ColorType as C;
    use tiff::decoder::{Decoder, DecodingResult};
    let bad = |e: String| OcrError::Image(format!("TIFF 图片无法解码（{e}）"));
    let mut d = Decoder::new(std::io::Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let mut pages = Vec::new();
    loop {
        let (w, h) = d.dimensions().map_err(|e| bad(e.to_string()))?;
        let (w, h) = (w as usize, h as usize);
        if too_large(w, h) || pages.len() >= 500 {
            return Err(OcrError::Image(format!("图片过大或为空（{w}×{h} 像素）")));
        }
        let color = d.colortype().map_err(|e| bad(e.to_string()))?;
        let data = match d.read_image().map_err(|e| bad(e.to_string()))? {
            DecodingResult::U8(v) => v,
            _ => return Err(bad(format!("不支持的像素格式 {color:?}"))),
        };
        let n = match color {
            C::Gray(8) => 1,
            C::GrayA(8) => 2,
            C::RGB(8) => 3,
            C::RGBA(8) => 4,
            C::Gray(1) => 0,
            other => return Err(bad(format!("不支持的像素格式 {other:?}"))),
        };
        let mut img = Gray::new(w, h, 255);
        if n == 0 {
            let stride = w.div_ceil(8);
            if data.len() < stride * h {
                return Err(bad("数据不完整".into()));
            }
            for y in 0..h {
                for x in 0..w {
                    img.px[y * w + x] = if data[y * stride + x / 8] >> (7 - x % 8) & 1 == 1 { 255 } else { 0 };
                }
            }
        } else {
            if data.len() < w * h * n {
                return Err(bad("数据不完整".into()));
            }
            for (i, p) in data.chunks_exact(n).take(w * h).enumerate() {
                img.px[i] = if n >= 3 {
                    ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000) as u8
                } else {
                    p[0]
                };
            }
        }
        // A page that is mostly black is a negative (a photometric the decoder left as it was).
        if mean(&img) < 80.0 {
            img.px.iter_mut().for_each(|p| *p = 255 - *p);
        }
        let dpi = a4_dpi(w, h);
        pages.push(Page { img, dpi });
        if !d.more_images() {
            break;
        }
        d.next_image().map_err(|e| bad(e.to_string()))?;
    }
    Ok(pages)
}

/// The resolution an image of `w`×`h` pixels has when it is an A4 page (portrait or not).
fn a4_dpi(w: usize, h: usize) -> f32 {
    (w.min(h) as f32 / 8.27).clamp(50.0, 1200.0)
}

/// The density a JPEG (JFIF) or PNG (pHYs) states, when plausible for a scan.
fn density(b: &[u8]) -> Option<f32> {
    let ok = |d: f32| (70.0..=1200.0).contains(&d).then_some(d);
    if b.starts_with(&[0xFF, 0xD8]) && b.len() > 18 && &b[6..11] == b"JFIF\0" {
        let unit = b[13];
        let x = u16::from_be_bytes([b[14], b[15]]) as f32;
        return match unit {
            1 => ok(x),
            2 => ok(x * 2.54),
            _ => None,
        };
    }
    if b.starts_with(b"\x89PNG") {
        let i = b.windows(4).position(|w| w == b"pHYs")?;
        let d = b.get(i + 4..i + 13)?;
        let ppm = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) as f32;
        return if d[8] == 1 { ok(ppm * 0.0254) } else { None };
    }
    None
}

/// The pages of a PDF without a text layer.
pub(crate) fn from_pdf(bytes: &[u8]) -> Result<Vec<Page>, OcrError> {
    let doc = Document::load_mem(bytes).map_err(|e| OcrError::Image(format!("PDF 无法解析（{e}）")))?;
    let ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if ids.is_empty() {
        return Err(OcrError::Image("PDF 没有任何页面".into()));
    }
    let mut pages = Vec::with_capacity(ids.len());
    for &id in &ids {
        match page_image(&doc, id) {
            Some(p) => pages.push(p),
            None if is_blank_page(&doc, id) => pages.push(Page { img: Gray::new(850, 1200, 255), dpi: 100.0 }),
            None => return render_all(bytes, ids.len()),
        }
    }
    Ok(pages)
}

/// A page that draws no image at all (an empty page of a scan).
fn is_blank_page(doc: &Document, id: ObjectId) -> bool {
    images(doc, id).is_empty()
}

fn media_box(doc: &Document, id: ObjectId) -> Option<[f32; 4]> {
    let mut d = doc.get_dictionary(id).ok()?;
    for _ in 0..16 {
        if let Ok(o) = d.get(b"MediaBox") {
            let arr = doc.dereference(o).ok()?.1.as_array().ok()?;
            let v: Vec<f32> = arr.iter().filter_map(|o| o.as_float().ok()).collect();
            return (v.len() == 4).then(|| [v[0], v[1], v[2], v[3]]);
        }
        d = doc.get_dictionary(d.get(b"Parent").ok()?.as_reference().ok()?).ok()?;
    }
    None
}

fn rotation(doc: &Document, id: ObjectId) -> i64 {
    let mut d = match doc.get_dictionary(id) {
        Ok(d) => d,
        Err(_) => return 0,
    };
    for _ in 0..16 {
        if let Ok(o) = d.get(b"Rotate") {
            return doc.dereference(o).ok().and_then(|(_, o)| o.as_i64().ok()).unwrap_or(0) / 90;
        }
        match d.get(b"Parent").and_then(Object::as_reference).and_then(|p| doc.get_dictionary(p)) {
            Ok(p) => d = p,
            Err(_) => return 0,
        }
    }
    0
}

/// The image XObjects in a page's resources (inherited ones too): (width, height, stream id).
fn images(doc: &Document, id: ObjectId) -> Vec<(i64, i64, ObjectId)> {
    let mut out = Vec::new();
    let Ok((res, ids)) = doc.get_page_resources(id) else {
        return out;
    };
    let dicts: Vec<&Dictionary> =
        res.into_iter().chain(ids.iter().filter_map(|&r| doc.get_dictionary(r).ok())).collect();
    for r in dicts {
        let Some(x) = r.get(b"XObject").ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok())
        else {
            continue;
        };
        for (_, v) in x.iter() {
            let Ok(sid) = v.as_reference() else { continue };
            let Ok(s) = doc.get_object(sid).and_then(Object::as_stream) else { continue };
            if s.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Image") {
                let w = s.dict.get(b"Width").and_then(Object::as_i64).unwrap_or(0);
                let h = s.dict.get(b"Height").and_then(Object::as_i64).unwrap_or(0);
                if !out.iter().any(|&(_, _, i)| i == sid) {
                    out.push((w, h, sid));
                }
            }
        }
    }
    out
}

/// The page's one large picture, decoded; `None` when there is none this code can decode.
fn page_image(doc: &Document, id: ObjectId) -> Option<Page> {
    let mut imgs = images(doc, id);
    imgs.sort_by_key(|&(w, h, _)| std::cmp::Reverse(w.saturating_mul(h)));
    let &(w, h, sid) = imgs.first()?;
    // Several large pictures make one page: their placement is needed, so let a renderer do it.
    if imgs.iter().skip(1).any(|&(w2, h2, _)| w2.saturating_mul(h2) * 5 > w.saturating_mul(h)) {
        return None;
    }
    let (w, h) = (usize::try_from(w).ok()?, usize::try_from(h).ok()?);
    if too_large(w, h) {
        return None;
    }
    let s = doc.get_object(sid).ok()?.as_stream().ok()?;
    let img = decode_stream(doc, s, w, h)?.rotate(rotation(doc, id));
    let mb = media_box(doc, id).unwrap_or([0.0, 0.0, 595.0, 842.0]);
    let (pw, ph) = ((mb[2] - mb[0]).abs(), (mb[3] - mb[1]).abs());
    let (pw, ph) = if rotation(doc, id) % 2 != 0 { (ph, pw) } else { (pw, ph) };
    let dpi = if pw > 10.0 { img.w as f32 / (pw / 72.0) } else { a4_dpi(img.w, img.h) };
    let _ = ph;
    Some(Page { img, dpi: dpi.clamp(50.0, 1200.0) })
}

fn filters(s: &pdf_extract::Stream) -> Vec<Vec<u8>> {
    match s.dict.get(b"Filter") {
        Ok(Object::Name(n)) => vec![n.clone()],
        Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec)).collect(),
        _ => Vec::new(),
    }
}

fn decode_stream(doc: &Document, s: &pdf_extract::Stream, w: usize, h: usize) -> Option<Gray> {
    let f = filters(s);
    if f.last().is_some_and(|n| n == b"DCTDecode") {
        let data = if f.len() == 1 { s.content.clone() } else { return None };
        let img = image::load_from_memory_with_format(&data, image::ImageFormat::Jpeg).ok()?;
        let g = img.into_luma8();
        let (gw, gh) = (g.width() as usize, g.height() as usize);
        let mut gray = Gray { w: gw, h: gh, px: g.into_raw() };
        // An Adobe CMYK JPEG decodes inverted when /Decode says so; a page that is mostly
        // black is a negative.
        if mean(&gray) < 80.0 {
            gray.px.iter_mut().for_each(|p| *p = 255 - *p);
        }
        return Some(gray);
    }
    if f.iter().any(|n| !matches!(n.as_slice(), b"FlateDecode" | b"LZWDecode")) {
        return None;
    }
    let data = if f.is_empty() { s.content.clone() } else { s.decompressed_content().ok()? };
    let bpc = s.dict.get(b"BitsPerComponent").and_then(Object::as_i64).unwrap_or(8);
    let cs = s.dict.get(b"ColorSpace").ok().and_then(|o| doc.dereference(o).ok()).map(|(_, o)| o);
    let comps = match cs {
        Some(Object::Name(n)) if n == b"DeviceGray" || n == b"CalGray" => 1,
        Some(Object::Name(n)) if n == b"DeviceRGB" || n == b"CalRGB" => 3,
        Some(Object::Name(n)) if n == b"DeviceCMYK" => 4,
        Some(Object::Array(a)) if a.first().and_then(|o| o.as_name().ok()) == Some(b"ICCBased") => {
            let n = a.get(1).and_then(|o| o.as_reference().ok()).and_then(|r| doc.get_object(r).ok());
            n.and_then(|o| o.as_stream().ok())
                .and_then(|st| st.dict.get(b"N").and_then(Object::as_i64).ok())
                .unwrap_or(3) as usize
        }
        None if s.dict.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false) => 1,
        _ => return None,
    };
    let mut out = Gray::new(w, h, 255);
    match bpc {
        8 => {
            let stride = w * comps;
            if data.len() < stride * h {
                return None;
            }
            for y in 0..h {
                for x in 0..w {
                    let p = &data[y * stride + x * comps..y * stride + (x + 1) * comps];
                    out.px[y * w + x] = match comps {
                        1 => p[0],
                        3 => ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000) as u8,
                        4 => 255 - ((p[0] as u32 + p[1] as u32 + p[2] as u32) / 3).max(p[3] as u32).min(255) as u8,
                        _ => p[0],
                    };
                }
            }
        }
        1 if comps == 1 => {
            let stride = w.div_ceil(8);
            if data.len() < stride * h {
                return None;
            }
            // /Decode [1 0] (or an image mask painting black where 1... by default 0) inverts.
            let inverted = s
                .dict
                .get(b"Decode")
                .and_then(Object::as_array)
                .ok()
                .and_then(|a| a.first().and_then(|o| o.as_float().ok()))
                .is_some_and(|d| d > 0.5);
            for y in 0..h {
                for x in 0..w {
                    let bit = data[y * stride + x / 8] >> (7 - x % 8) & 1 == 1;
                    out.px[y * w + x] = if bit != inverted { 255 } else { 0 };
                }
            }
        }
        _ => return None,
    }
    Some(out)
}

fn mean(g: &Gray) -> f32 {
    if g.px.is_empty() {
        return 255.0;
    }
    g.px.iter().map(|&p| p as u64).sum::<u64>() as f32 / g.px.len() as f32
}

/// Every page rendered by pdftoppm (grey, [`RENDER_DPI`]).
fn render_all(bytes: &[u8], n: usize) -> Result<Vec<Page>, OcrError> {
    let tmp = TempFile::write(bytes).map_err(|e| OcrError::Image(format!("无法写临时文件（{e}）")))?;
    let mut pages = Vec::with_capacity(n);
    for i in 1..=n {
        let out = std::process::Command::new("pdftoppm")
            .args(["-gray", "-r", &format!("{}", RENDER_DPI as u32), "-f", &i.to_string(), "-l", &i.to_string()])
            .arg("-singlefile")
            .arg(&tmp.0)
            .arg("-")
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output();
        let out = match out {
            Ok(o) if o.status.success() => o.stdout,
            Ok(_) => return Err(OcrError::Image(format!("pdftoppm 无法渲染第 {i} 页"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(OcrError::Image(
                    "扫描件的图像格式（如 CCITT、JBIG2、JPEG 2000）需要 pdftoppm 渲染：请安装 poppler-utils（sudo apt-get install poppler-utils）".into(),
                ));
            }
            Err(e) => return Err(OcrError::Image(format!("无法运行 pdftoppm（{e}）"))),
        };
        let img = image::load_from_memory_with_format(&out, image::ImageFormat::Pnm)
            .map_err(|e| OcrError::Image(format!("pdftoppm 的输出无法解码（{e}）")))?;
        let g = img.into_luma8();
        let (w, h) = (g.width() as usize, g.height() as usize);
        pages.push(Page { img: Gray { w, h, px: g.into_raw() }, dpi: RENDER_DPI });
    }
    Ok(pages)
}

/// A temporary file removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn write(bytes: &[u8]) -> std::io::Result<TempFile> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let name = format!("nianbao-ocr-{}-{}-{nanos}.pdf", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(name);
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
        std::io::Write::write_all(&mut f, bytes)?;
        Ok(TempFile(path))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_and_scaling_keep_pixels_in_place() {
        let mut g = Gray::new(3, 2, 255);
        g.px[0] = 0; // top left
        let r = g.rotate(1);
        assert_eq!((r.w, r.h), (2, 3));
        assert_eq!(r.at(1, 0), 0); // top right after a clockwise turn
        assert_eq!(g.rotate(2).at(2, 1), 0);
        assert_eq!(g.rotate(3).at(0, 2), 0);
        let u = g.upscale(2);
        assert_eq!((u.w, u.h), (6, 4));
        assert_eq!(u.at(0, 0), 0);
        assert_eq!(u.at(5, 3), 255);
    }

    #[test]
    fn every_page_of_a_tiff_is_read() {
        let a = Gray { w: 4, h: 2, px: vec![0, 255, 255, 255, 255, 255, 255, 255] };
        let b = Gray::new(6, 3, 200);
        let t = super::super::tesseract::tiff(&[&a, &b], 300);
        let pages = from_image(&t).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].img, a);
        assert_eq!(pages[1].img, b);
    }

    #[test]
    fn densities_and_damaged_images() {
        assert_eq!(a4_dpi(1240, 1755).round(), 150.0);
        assert!(from_image(b"\x89PNG\r\n\x1a\nbroken").is_err());
        assert!(from_image(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).is_err());
    }
}

//! The organ and the year of a report, from its title or its opening words.

use super::tokens::Line;
use crate::text::fold;

/// How far into the text the title and the opening words are looked for.
const HEAD_LINES: usize = 40;

pub(crate) fn is_title(key: &str) -> bool {
    (key.contains("年度报告") || key.ends_with("年报") || key.contains("工作报告") && key.contains("政府信息公开"))
        && !key.contains("关于")
        && !key.contains("通知")
        && key.chars().count() <= 45
}

/// The first year 2000–2099 followed by 年 in `s` (folded), with its byte offset.
fn find_year(s: &str) -> Option<(i32, usize)> {
    let f: Vec<(usize, char)> = s.char_indices().map(|(i, c)| (i, fold(c))).collect();
    for k in 0..f.len() {
        if k + 4 <= f.len()
            && f[k..k + 4].iter().all(|(_, c)| c.is_ascii_digit())
            && (k == 0 || !f[k - 1].1.is_ascii_digit())
        {
            let rest = f[k + 4..].iter().map(|x| x.1).find(|c| *c != ' ');
            let y: i32 = f[k..k + 4].iter().map(|x| x.1).collect::<String>().parse().ok()?;
            if (2000..2100).contains(&y) && rest == Some('年') {
                return Some((y, f[k].0));
            }
        }
    }
    None
}

pub fn year(text: &str, ls: &[Line], keys: &[&str]) -> Option<i32> {
    for (i, k) in keys.iter().enumerate().take(HEAD_LINES) {
        if is_title(k)
            && let Some((y, _)) = find_year(&text[ls[i].start..ls[i].end])
        {
            return Some(y);
        }
    }
    // 统计期限自2020年1月1日 / 2020年度 / 2020年1月1日起
    let head_end = ls.get(HEAD_LINES).map_or(text.len(), |l| l.start);
    let head = &text[..head_end];
    for marker in ["统计期限自", "统计期限为", "起至", "年度"] {
        if let Some(p) = head.find(marker)
            && let Some((y, _)) = find_year(&head[p..])
        {
            return Some(y);
        }
    }
    find_year(head).map(|(y, _)| y)
}

fn clean_organ(s: &str) -> Option<String> {
    let s: String = s.chars().filter(|c| !fold(*c).is_whitespace() && fold(*c) != ' ').collect();
    let s = s.trim_matches(|c: char| "《》“”\"'：:，,。".contains(c)).to_string();
    let n = s.chars().count();
    (2..=40).contains(&n).then_some(s)
}

/// The organ named by a title line: the words before its year (六安市裕安区人民政府 2020 年…),
/// or, when the year comes first (2019年上海市人民政府办公厅政府信息公开…), the words between
/// the year and 政府信息公开.
fn organ_in_title(line: &str) -> Option<String> {
    let line = line.trim_start_matches(|c: char| c == '#' || c.is_whitespace());
    let (_, at) = find_year(line)?;
    if let Some(o) = clean_organ(&line[..at]) {
        return Some(o);
    }
    let rest = &line[at..];
    let after_year = rest.find('年').map(|i| i + '年'.len_utf8())?;
    let rest = rest[after_year..].trim_start_matches(|c: char| c == '度' || fold(c) == ' ');
    let end = rest.find("政府信息公开").or_else(|| rest.find("信息公开"))?;
    clean_organ(&rest[..end])
}

/// Whether a line names a body: it ends in a word that bodies' names end in.
fn names_body(s: &str) -> bool {
    const ENDS: &[&str] =
        &["人民政府", "办公室", "办公厅", "委员会", "局", "厅", "委", "院", "中心", "街道办事处", "管理处", "政府"];
    let k: String = s.chars().filter(|c| crate::text::is_cjk(*c)).collect();
    let n = k.chars().count();
    (3..=30).contains(&n) && ENDS.iter().any(|e| k.ends_with(e))
}

pub fn organ(text: &str, ls: &[Line], keys: &[&str]) -> Option<String> {
    for (i, k) in keys.iter().enumerate().take(HEAD_LINES) {
        if !is_title(k) {
            // A title broken over two lines: 太平区人民政府 2020 年度政府 / 信息公开工作报告.
            let joined = keys.get(i + 1).map(|n| format!("{k}{n}"));
            if !joined.as_deref().is_some_and(is_title) || k.chars().count() < 4 {
                continue;
            }
            let two = format!("{}{}", &text[ls[i].start..ls[i].end], &text[ls[i + 1].start..ls[i + 1].end]);
            if let Some(o) = organ_in_title(&two) {
                return Some(o);
            }
            continue;
        }
        let line = &text[ls[i].start..ls[i].end];
        if let Some(o) = organ_in_title(line) {
            return Some(o);
        }
        // The organ on its own line above the title.
        for j in (i.saturating_sub(3)..i).rev() {
            let prev = &text[ls[j].start..ls[j].end];
            if !keys[j].is_empty() && !prev.contains('。') && find_year(prev).is_none() {
                return clean_organ(prev.trim_start_matches('#'));
            }
        }
    }
    // 由烈山区人民政府办公室撰写 / 编制
    let head_end = ls.get(HEAD_LINES).map_or(text.len(), |l| l.start);
    let head: String = text[..head_end].chars().filter(|c| !c.is_whitespace()).collect();
    for verb in ["撰写", "编制", "编写", "起草"] {
        if let Some(p) = head.find(verb) {
            let before = &head[..p];
            if let Some(q) = before.rfind('由')
                && let Some(o) = clean_organ(&before[q + '由'.len_utf8()..])
            {
                return Some(o);
            }
        }
    }
    // The first short line that names a body (a signature or a heading).
    for (i, _) in keys.iter().enumerate().take(HEAD_LINES) {
        let line = text[ls[i].start..ls[i].end].trim_start_matches('#').trim();
        if line.chars().count() <= 30 && !line.contains(['。', '，', '：', ':']) && names_body(line) {
            return clean_organ(line);
        }
    }
    None
}

/// The file's name without folders and extension, as a last place for the organ and the year
/// (淮安市人民政府2024年政府信息公开工作年度报告.pdf). Only what a title would say is read from
/// it: the organ before its year or between its year and 信息公开, or a name that ends like a
/// body's; a year only where 年 follows it (a bare 2024 may be the year of publishing).
fn name_stem(source_name: &str) -> &str {
    let base = source_name.rsplit(['/', '\\']).next().unwrap_or(source_name);
    base.rsplit_once('.').map_or(base, |(stem, _)| stem)
}

pub(crate) fn organ_from_name(source_name: &str) -> Option<String> {
    let stem = name_stem(source_name);
    if let Some(o) = organ_in_title(stem).filter(|o| names_body(o)) {
        return Some(o);
    }
    (stem.chars().count() <= 30 && names_body(stem) && find_year(stem).is_none()).then(|| clean_organ(stem)).flatten()
}

pub(crate) fn year_from_name(source_name: &str) -> Option<i32> {
    find_year(name_stem(source_name)).map(|(y, _)| y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organ_and_year_from_the_file_name() {
        let n = "报告/淮安市人民政府2024年政府信息公开工作年度报告.pdf";
        assert_eq!(organ_from_name(n).as_deref(), Some("淮安市人民政府"));
        assert_eq!(year_from_name(n), Some(2024));
        assert_eq!(
            organ_from_name("2020年度烈山区人民政府政府信息公开工作报告.docx").as_deref(),
            Some("烈山区人民政府")
        );
        assert_eq!(organ_from_name("C:\\下载\\上海市人民政府办公厅.txt").as_deref(), Some("上海市人民政府办公厅"));
        // A name that says no body, or a bare number that may be the year of publishing: nothing.
        for n in ["huaian-2024.txt", "年度报告.txt", "扫描件 (2).pdf", "2024.txt"] {
            assert_eq!(organ_from_name(n), None, "{n}");
        }
        assert_eq!(year_from_name("huaian-2024.txt"), None);
    }
}

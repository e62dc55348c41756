//! Content checks of SCHEMA.md (warnings): `report.blank_cells`, `report.section5`,
//! `report.section6_fees`.
//!
//! `report.blank_cells` is one instance per table 三 and 四, passed or failed. The two prose
//! checks look at the report's text only where it is a whole report (its tables were found in
//! the text): `report.section5` always then, `report.section6_fees` for template 2021.

use super::{REPORT_BLANK_CELLS, REPORT_SECTION5, REPORT_SECTION6_FEES, Rule, cell_name};
use crate::model::{CheckResult, Report, Status};
use crate::template::{Table, Template};

/// Part 五 shorter than this (in characters, without spaces and punctuation) cannot name a
/// problem and a measure.
pub const SECTION5_MIN_CHARS: usize = 30;

/// How many cell names a blank-cells message lists before `等`.
const NAMES_SHOWN: usize = 8;

pub(super) fn run(report: &Report, out: &mut Vec<CheckResult>) {
    blank_cells(report, out);
    if report.tables.is_empty() {
        return;
    }
    let lines = Lines::of(&report.text);
    section5(&lines, out);
    if report.template == Template::T2021 {
        section6_fees(&lines, out);
    }
}

/// Whether a cell was left blank or written '/' or '-' where a number belongs.
pub fn is_blank(report: &Report, i: usize) -> bool {
    let c = &report.cells[i];
    // A text that starts with a digit (most: "0") is none of them, trimmed or not.
    c.status == Status::Parsed
        && c.value == Some(0.0)
        && !c.text.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && matches!(c.text.trim(), "" | "/" | "／" | "-" | "－" | "—" | "–" | "\\")
}

fn blank_cells(report: &Report, out: &mut Vec<CheckResult>) {
    for table in [Table::Applications, Table::Review] {
        let cells: Vec<usize> = report
            .layout()
            .rows(table)
            .iter()
            .flat_map(|(_, r)| r.clone())
            .filter(|&i| i < report.cells.len() && is_blank(report, i))
            .collect();
        let message = if cells.is_empty() {
            String::new()
        } else {
            let mut names: Vec<String> = cells.iter().take(NAMES_SHOWN).map(|&i| cell_name(report, i)).collect();
            if cells.len() > NAMES_SHOWN {
                names.push(format!("等共 {} 格", cells.len()));
            }
            let part = if table == Table::Applications { "三" } else { "四" };
            format!("表{part}有单元格空着或写“/”，模板要求填数字（没有的填 0）：{}", names.join("、"))
        };
        out.push(CheckResult {
            id: REPORT_BLANK_CELLS,
            severity: Rule::ReportBlankCells.severity(),
            passed: cells.is_empty(),
            scope: vec![("table", table.key().to_string())],
            cells,
            lhs: None,
            rhs: None,
            message,
        });
    }
}

/// The report's lines from the first of the parts' last headings on (the lines before them are
/// split only where a check needs them), with the parts' headings found.
struct Lines<'a> {
    text: &'a str,
    /// The lines from `base` on.
    lines: Vec<&'a str>,
    /// The index in the whole text of `lines[0]`.
    base: usize,
    /// Line of the heading of part 五 / 六 (in the whole text).
    five: Option<usize>,
    six: Option<usize>,
}

/// Whether a line is the heading of part `n`: it names one of `words`.
fn is_heading(line: &str, n: char, words: &[&str]) -> bool {
    let l = line.trim().trim_start_matches(['#', '*', ' ', '\u{3000}']);
    let mut ch = l.chars();
    ch.next() == Some(n)
        && matches!(ch.next(), Some('、' | '.' | '．' | '，' | ' ' | '\u{3000}'))
        && words.iter().any(|w| l.contains(w))
        && l.chars().count() <= 40
}

const FIVE_WORDS: &[&str] = &["问题", "改进"];
const SIX_WORDS: &[&str] = &["其他需要报告", "其它需要报告", "其他事项", "需要报告"];

impl<'a> Lines<'a> {
    fn of(text: &'a str) -> Lines<'a> {
        // The last heading of each part (a report's table of contents or its introduction may
        // name the parts before they come): the lines read from the end, up to both headings.
        let mut tail: Vec<&'a str> = Vec::with_capacity(64);
        let (mut five, mut six) = (None, None);
        for line in lines_from_end(text) {
            let k = tail.len();
            tail.push(line);
            if five.is_none() && is_heading(line, '五', FIVE_WORDS) {
                five = Some(k);
            }
            if six.is_none() && is_heading(line, '六', SIX_WORDS) {
                six = Some(k);
            }
            if five.is_some() && six.is_some() {
                break;
            }
        }
        tail.reverse();
        let n = line_count(text);
        let base = n - tail.len();
        let from_end = |k: usize| n - 1 - k;
        Lines { text, lines: tail, base, five: five.map(from_end), six: six.map(from_end) }
    }

    fn len(&self) -> usize {
        self.base + self.lines.len()
    }

    /// The lines of a part: from after its heading to the next part's heading (or the end).
    fn body(&self, from: usize, to: Option<usize>) -> &[&'a str] {
        let to = to.filter(|&t| t > from).unwrap_or(self.len());
        &self.lines[from + 1 - self.base..to - self.base]
    }
}

/// The lines of [`split_lines`], last first.
fn lines_from_end(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    // No empty last line: a text ending in '\n' starts at that '\n'.
    let mut end = if b.last() == Some(&b'\n') { b.len() - 1 } else { b.len() };
    // Only a line ended by '\n' loses a '\r' before it.
    let mut ended = b.last() == Some(&b'\n');
    let mut done = text.is_empty();
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let start = match memchr::memrchr(b'\n', &b[..end]) {
            Some(i) => i + 1,
            None => {
                done = true;
                0
            }
        };
        let line = &text[start..end];
        end = start.saturating_sub(1);
        let line = if ended { line.strip_suffix('\r').unwrap_or(line) } else { line };
        ended = true;
        Some(line)
    })
}

/// How many lines [`split_lines`] gives.
fn line_count(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count() + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// `text.lines()`, found with memchr: split at '\n', a '\r' before it dropped, no empty last line.
fn split_lines(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', b).count() + 1);
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', b) {
        let line = &text[start..i];
        out.push(line.strip_suffix('\r').unwrap_or(line));
        start = i + 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// The characters that carry words, the first `limit` of them: no spaces, punctuation, page
/// numbers (-6-) or Markdown marks. Every use asks only whether they are fewer than a number or
/// one of a few short answers (“无”), so the rest of a long part is never copied.
fn words_of(lines: &[&str], limit: usize) -> String {
    lines
        .iter()
        .filter(|l| {
            let t = l.trim().trim_matches(['-', '—', ' ', '第', '页']);
            !(t.chars().all(|c| c.is_ascii_digit()) && l.trim().len() < 12)
        })
        .flat_map(|l| l.chars())
        // An ideograph of the main block is a letter: told without Unicode's tables.
        .filter(|&c| matches!(c, '\u{4E00}'..='\u{9FFF}') || c.is_alphanumeric())
        .take(limit)
        .collect()
}

/// More than the longest answer of [`says_none`] and at least [`SECTION5_MIN_CHARS`].
const WORDS_NEEDED: usize = SECTION5_MIN_CHARS;

fn says_none(words: &str) -> bool {
    matches!(words, "无" | "暂无" | "没有" | "无其他需要报告的事项" | "本年度无" | "无相关情况")
}

fn section5(lines: &Lines, out: &mut Vec<CheckResult>) {
    let message = match lines.five {
        None => "没有找到第五部分“存在的主要问题及改进情况”".to_string(),
        Some(f) => {
            let words = words_of(lines.body(f, lines.six), WORDS_NEEDED);
            if words.is_empty() {
                "第五部分“存在的主要问题及改进情况”是空的".to_string()
            } else if says_none(&words) {
                "第五部分“存在的主要问题及改进情况”只写了“无”，应写明存在的问题和改进措施".to_string()
            } else if words.chars().count() < SECTION5_MIN_CHARS {
                format!(
                    "第五部分“存在的主要问题及改进情况”只有 {} 个字，不足以写明存在的问题和改进措施",
                    words.chars().count()
                )
            } else {
                String::new()
            }
        }
    };
    out.push(CheckResult {
        id: REPORT_SECTION5,
        severity: Rule::ReportSection5.severity(),
        passed: message.is_empty(),
        scope: vec![],
        cells: vec![],
        lhs: None,
        rhs: None,
        message,
    });
}

/// Whether `s` reports on the 信息处理费 (未收取 counts).
fn reports_fees(s: &str) -> bool {
    ["处理费", "收取", "收费", "费用"].iter().any(|w| s.contains(w))
}

/// A sentence outside part 六 that names a fee of N 元 charged: (line number from 1, the sentence).
fn fee_charged_elsewhere(lines: &Lines) -> Option<(usize, String)> {
    // Part 六 itself (up to the end) is what is being checked.
    let all = split_lines(lines.text);
    let end = lines.six.unwrap_or(all.len());
    for (n, line) in all[..end].iter().enumerate() {
        if !line.contains("处理费") {
            continue;
        }
        for sentence in line.split(['。', '；', ';']) {
            if !(sentence.contains("处理费") && sentence.contains('收')) {
                continue;
            }
            if ["未收取", "不收取", "没有收取", "未收", "免收", "免予收取"].iter().any(|w| sentence.contains(w))
            {
                continue;
            }
            if let Some(amount) = amount_in_yuan(sentence)
                && amount > 0.0
            {
                return Some((n + 1, sentence.trim().to_string()));
            }
        }
    }
    None
}

/// The first amount written `N 元` in `s`.
fn amount_in_yuan(s: &str) -> Option<f64> {
    let chars: Vec<char> = s.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        if c != '元' {
            continue;
        }
        let mut j = k;
        while j > 0 && chars[j - 1] == ' ' {
            j -= 1;
        }
        let end = j;
        while j > 0 && (chars[j - 1].is_ascii_digit() || chars[j - 1] == '.' || chars[j - 1] == ',') {
            j -= 1;
        }
        if j < end {
            let digits: String = chars[j..end].iter().filter(|&&c| c != ',').collect();
            if let Ok(v) = digits.parse::<f64>() {
                return Some(v);
            }
        }
    }
    None
}

fn section6_fees(lines: &Lines, out: &mut Vec<CheckResult>) {
    let message = match lines.six {
        None => {
            "没有找到第六部分“其他需要报告的事项”，2021 年起的模板要求在此报告信息处理费的收取情况（未收取也应写明）"
                .to_string()
        }
        Some(s) => {
            let body = lines.body(s, None);
            let words = words_of(body, WORDS_NEEDED);
            // Line by line: no word looked for holds a line break.
            if body.iter().any(|l| reports_fees(l)) {
                String::new()
            } else if let Some((line, sentence)) = says_none(&words).then(|| fee_charged_elsewhere(lines)).flatten() {
                format!("第六部分写“无”，但第 {line} 行称“{sentence}”：收取的信息处理费应在第六部分报告")
            } else {
                "第六部分没有报告信息处理费的收取情况（模板要求在此报告；未收取也应写明）".to_string()
            }
        }
    };
    out.push(CheckResult {
        id: REPORT_SECTION6_FEES,
        severity: Rule::ReportSection6Fees.severity(),
        passed: message.is_empty(),
        scope: vec![],
        cells: vec![],
        lhs: None,
        rhs: None,
        message,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::run;

    fn fixture(name: &str) -> String {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name);
        std::fs::read_to_string(p).unwrap()
    }

    fn load(text: &str, name: &str) -> Report {
        crate::load_bytes(text.as_bytes(), name).unwrap()
    }

    fn failed<'a>(checks: &'a [CheckResult], id: &str) -> Vec<&'a CheckResult> {
        checks.iter().filter(|c| c.id == id && !c.passed).collect()
    }

    #[test]
    fn split_lines_equals_str_lines() {
        for t in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb\r\n",
            "a\rb\r",
            "\n\n规\r\n\r",
            "x\r\n\r\ny",
            "\r",
            "\n\n",
            "a\n\n",
            "a\r\nb\r",
            "\r\n",
        ] {
            assert_eq!(split_lines(t), t.lines().collect::<Vec<_>>(), "{t:?}");
            let mut back: Vec<&str> = lines_from_end(t).collect();
            back.reverse();
            assert_eq!(back, split_lines(t), "{t:?}");
            assert_eq!(line_count(t), split_lines(t).len(), "{t:?}");
        }
        let t = fixture("huaian-2024.txt");
        assert_eq!(split_lines(&t), t.lines().collect::<Vec<_>>());
    }

    #[test]
    fn words_needed_tell_every_answer() {
        for w in ["无", "暂无", "没有", "无其他需要报告的事项", "本年度无", "无相关情况"] {
            assert!(says_none(w) && w.chars().count() < WORDS_NEEDED);
        }
        let lines = [
            "  - 3 -",
            "第 3 页",
            "本单位 无。",
            "abc\r",
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三",
        ];
        assert_eq!(words_of(&lines[..4], WORDS_NEEDED), "本单位无abc");
        assert_eq!(words_of(&lines, WORDS_NEEDED).chars().count(), WORDS_NEEDED);
    }

    #[test]
    fn main_block_ideographs_are_letters() {
        // words_of's fast path is exact only if so.
        assert!(('\u{4E00}'..='\u{9FFF}').all(char::is_alphanumeric));
    }

    #[test]
    fn blank_cells_of_shanghai_are_named_per_table() {
        let r = load(&fixture("shanghai-2019.txt"), "shanghai-2019.txt");
        let checks = run(&r);
        let f = failed(&checks, REPORT_BLANK_CELLS);
        assert!(!f.is_empty(), "shanghai-2019 leaves cells blank");
        for c in &f {
            assert!(!c.cells.is_empty() && c.cells.iter().all(|&i| is_blank(&r, i)), "{c:?}");
            assert!(c.message.contains('“') || c.message.contains("空着"), "{}", c.message);
            let table = r.def(c.cells[0]).table;
            assert!(c.cells.iter().all(|&i| r.def(i).table == table), "one finding per table");
        }
        let review = r.index(Table::Review, "reconsideration", "corrected").unwrap();
        assert!(f.iter().any(|c| c.cells.contains(&review)), "{f:#?}");
        // Filled with 0, the same report has no blank cells left.
        let mut filled = r.clone();
        for i in 0..filled.cells.len() {
            if is_blank(&filled, i) {
                filled.cells[i].text = "0".into();
            }
        }
        assert!(failed(&run(&filled), REPORT_BLANK_CELLS).is_empty());
        // A clean sample has none.
        assert!(failed(&run(&load(&fixture("yuan-2020.txt"), "yuan-2020.txt")), REPORT_BLANK_CELLS).is_empty());
    }

    #[test]
    fn section5_missing_empty_none_or_short() {
        let text = fixture("lieshan-2021.txt");
        assert!(failed(&run(&load(&text, "a.txt")), REPORT_SECTION5).is_empty());
        let start = text.find("五、存在的主要问题及改进情况").unwrap();
        let end = text.find("六、其他需要报告的事项").unwrap();
        let heading = "五、存在的主要问题及改进情况\n";
        for (body, says) in
            [("无。\n", "无"), ("暂无\n", "无"), ("", "空的"), ("工作人员业务水平不高，将加强培训。\n", "个字")]
        {
            let altered = format!("{}{heading}{body}{}", &text[..start], &text[end..]);
            let checks = run(&load(&altered, "a.txt"));
            let f = failed(&checks, REPORT_SECTION5);
            assert_eq!(f.len(), 1, "{body:?}");
            assert!(f[0].message.contains(says), "{body:?}: {}", f[0].message);
            assert_eq!(f[0].severity, crate::model::Severity::Warning);
        }
        let without = format!("{}{}", &text[..start], &text[end..]);
        let f = run(&load(&without, "a.txt"));
        assert!(failed(&f, REPORT_SECTION5)[0].message.contains("没有找到"));
    }

    #[test]
    fn section6_must_report_the_fees() {
        let text = fixture("lieshan-2021.txt");
        assert!(failed(&run(&load(&text, "a.txt")), REPORT_SECTION6_FEES).is_empty(), "未收取 counts");
        for name in ["huaian-2024.txt", "shuyang-2025.txt"] {
            let checks = run(&load(&fixture(name), name));
            assert!(failed(&checks, REPORT_SECTION6_FEES).is_empty(), "{name}");
        }
        let six = text.find("六、其他需要报告的事项").unwrap();
        let silent = format!("{}六、其他需要报告的事项\n本机关认真做好政务公开工作。\n", &text[..six]);
        let f = run(&load(&silent, "a.txt"));
        assert_eq!(failed(&f, REPORT_SECTION6_FEES).len(), 1);
        assert!(failed(&f, REPORT_SECTION6_FEES)[0].message.contains("没有报告信息处理费"));
        // 无 in part 六 while part 一 names a fee charged.
        let charged =
            format!("一、总体情况\n全年共收取信息处理费 200 元。\n{}六、其他需要报告的事项\n无。\n", &text[..six]);
        let f = run(&load(&charged, "a.txt"));
        let f = failed(&f, REPORT_SECTION6_FEES);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("200 元") && f[0].message.contains("写“无”"), "{}", f[0].message);
        // Template 2019: no such rule.
        let old = fixture("shanghai-2019.txt");
        assert!(!run(&load(&old, "s.txt")).iter().any(|c| c.id == REPORT_SECTION6_FEES));
    }

    #[test]
    fn amounts_in_yuan() {
        assert_eq!(amount_in_yuan("收取信息处理费 3940 元"), Some(3940.0));
        assert_eq!(amount_in_yuan("共计380元，其中"), Some(380.0));
        assert_eq!(amount_in_yuan("元旦"), None);
    }
}

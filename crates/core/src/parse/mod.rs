//! Text to report: find parts 二, 三 and 四, recognise the template from the tables' own
//! labels, read the organ and the year, and read every cell with its source span.

mod align;
mod meta;
mod place;
mod review;
mod rows;
pub mod tokens;

use crate::document::LoadError;
use crate::model::{Cell, Report, TableSpan};
use crate::template::{Kind, Table, Template};
use crate::text::push_label_key;
use place::{Sum, applicant_sums, place, place_fields, place_fields_words};
use tokens::{Item, ItemKind, Line, lines, tokenize};

/// Lines longer than this (in bytes) are prose: no heading or template marker is looked for in them.
const MAX_KEYED_LINE: usize = 240;

/// Parse a decoded report. `text` is what the clerk sees; every cell's span points into it.
pub fn parse(text: String, encoding: &str, source_name: &str) -> Result<Report, LoadError> {
    let ls = lines(&text);
    let key_buf = line_keys(&text, &ls);
    let keys: Vec<&str> = key_buf.1.iter().map(|&(a, b)| &key_buf.0[a..b]).collect();
    let sec = Sections::find(&text, &ls, &keys);
    if sec.active.is_none() && sec.applications.is_none() && sec.review.is_none() {
        return Err(LoadError::new(
            "不是政府信息公开工作年度报告：找不到“二、主动公开政府信息情况”“三、收到和处理政府信息公开申请情况”等表格",
        ));
    }
    let year = meta::year(&text, &ls, &keys).or_else(|| meta::year_from_name(source_name));
    let organ = meta::organ(&text, &ls, &keys).or_else(|| meta::organ_from_name(source_name));
    let mut notes: Vec<crate::model::ParseNote> = Vec::new();
    if let Some(line) = sec.other {
        let what = if meta::is_title(keys[line]) {
            "另一份年度报告"
        } else {
            "另一张“收到和处理政府信息公开申请情况”表（如上年度的表或附件）"
        };
        notes.push(crate::model::ParseNote {
            id: crate::checks::REPORT_SEVERAL.into(),
            cells: vec![],
            message: format!("文件中第 {} 行起是{what}，只读入了它之前本报告自己的表格，请确认", line + 1),
            values: vec![],
        });
    }
    if let Some(line) = sec.copy2 {
        notes.push(crate::model::ParseNote {
            id: crate::checks::REPORT_SEVERAL.into(),
            cells: vec![],
            message: format!(
                "文件中第 {} 行起是另一张“主动公开政府信息情况”表（如上年度的表），只读入了它之前本报告自己的表，请确认",
                line + 1
            ),
            values: vec![],
        });
    }
    let template = detect_template(&keys, &sec, year);
    let layout = template.layout();
    // Built, not cloned: `vec![c; n]` clones a Cell (its Strings and Options) n times.
    let mut cells: Vec<Cell> = std::iter::repeat_with(Cell::missing).take(layout.cells.len()).collect();
    let mut tables = Vec::new();
    // Tables of a few hundred items each (table 三 of a field-line copy, with an item per
    // empty field, over 512): one buffer for all three, never grown and copied, and kept by the
    // thread for its next report (see `ITEMS`).
    let mut items = ITEMS.take();
    items.reserve(2048);
    for table in Table::ALL {
        let Some(region) = sec.get(table) else {
            continue;
        };
        items.clear();
        tokenize(&text, &ls, region.from, region.to, &mut items);
        let used_end = match table {
            Table::Review => review::read(&text, &items, template, &mut cells),
            _ => read_rows(&text, &ls, &items, template, table, &mut cells, &mut notes),
        };
        let from_pos = ls.get(region.from).map_or(text.len(), |l| l.start);
        let heading = region.heading.map_or((from_pos, from_pos), |h| (ls[h].start, ls[h].end));
        let body_start = region.heading.map_or(from_pos, |h| (ls[h].end + 1).min(text.len()));
        let body_end = used_end.map_or(body_start, |e| line_end(&text, e)).max(body_start);
        tables.push(TableSpan { table, heading, body: (body_start, body_end) });
    }
    let figures = crate::narrative::extract(&text, &tables, template);
    items.clear();
    ITEMS.set(items);
    Ok(Report {
        source_name: source_name.to_string(),
        organ,
        year,
        template,
        encoding: encoding.to_string(),
        text,
        cells,
        tables,
        figures,
        format: "text".into(),
        notes,
    })
}

thread_local! {
    /// The item buffer of the thread's last report, empty: a folder run parses thousands of
    /// reports per thread, and each took a buffer of 2,048 items (over 128 KiB, a size mimalloc
    /// gives pages of its own) from the allocator and gave it back. The gain is small: the same
    /// instructions, and wall times better by a few percent in two alternating runs, within
    /// this machine's noise. A report that panics takes its buffer with it; the next one starts
    /// a new one.
    static ITEMS: std::cell::Cell<Vec<Item>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Build now what parsing and checking build on first use and keep: the label automata of
/// the tables of both templates, the automaton of table 二's column words, the layouts and the
/// check plans. A folder run starts this on a thread of its own while it lists the files, so
/// that its threads do not wait for one another to build them.
pub fn warm_up() {
    for t in [Template::T2019, Template::T2021] {
        for table in [Table::Active, Table::Applications] {
            let defs = t.layout().row_defs(table);
            rows::warm_up(&defs);
        }
        crate::checks::warm_up(t);
    }
    std::sync::LazyLock::force(&COLUMN_WORDS);
}

/// Whether a line is keyed: short (headings and labels are; prose paragraphs need none) and not
/// all ASCII (lines of bare numbers need none).
fn keyed(line: &str) -> bool {
    line.len() <= MAX_KEYED_LINE && !line.is_ascii()
}

/// The label keys of the lines that are [`keyed`], in one buffer with each line's range (empty
/// for a line not keyed).
fn line_keys(text: &str, ls: &[Line]) -> (String, Vec<(usize, usize)>) {
    let mut buf = String::with_capacity(text.len());
    let mut ranges = Vec::with_capacity(ls.len());
    for l in ls {
        let line = &text[l.start..l.end];
        let from = buf.len();
        if keyed(line) {
            push_label_key(line, &mut buf);
        }
        ranges.push((from, buf.len()));
    }
    (buf, ranges)
}

fn line_end(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i)
}

/// Lines `from..to` hold a table; `heading` is the line of its heading when found.
#[derive(Debug, Clone, Copy)]
struct Region {
    heading: Option<usize>,
    from: usize,
    to: usize,
}

#[derive(Debug, Default)]
struct Sections {
    active: Option<Region>,
    applications: Option<Region>,
    review: Option<Region>,
    /// The line where another report, or a second copy of table 三, starts.
    other: Option<usize>,
    /// The line where a second copy of table 二 starts, right after the report's own.
    copy2: Option<usize>,
}

impl Sections {
    fn get(&self, t: Table) -> Option<Region> {
        match t {
            Table::Active => self.active,
            Table::Applications => self.applications,
            Table::Review => self.review,
        }
    }

    fn find(text: &str, ls: &[Line], keys: &[&str]) -> Sections {
        let short = |k: &str, n: usize| k.chars().count() <= n;
        let is_h2 = |k: &&str| {
            (k.starts_with('二') || k.starts_with("主动公开")) && k.contains("主动公开政府信息情况") && short(k, 18)
        };
        let is_h3 = |k: &&str| {
            (k.starts_with('三') || k.starts_with("收到和处理"))
                && k.contains("收到和处理政府信息公开申请情况")
                && short(k, 22)
        };
        let is_h4 = |k: &&str| {
            (k.starts_with('四') || k.starts_with("政府信息公开行政复议") || k.starts_with("行政复议"))
                && k.contains("行政复议")
                && k.contains("行政诉讼")
                && k.contains("情况")
                && short(k, 26)
        };
        // Part 三 anchors the others: 二 is the last heading before it, 四 the first after it.
        // It is the first heading 三 with a table under it (本年新收 before the next heading):
        // a table of contents has none, and a later one belongs to another report or an annex.
        let has_table = |h: usize| {
            keys.iter()
                .skip(h + 1)
                .take(120)
                .take_while(|k| !is_h3(k) && !is_h4(k))
                .any(|k| k.contains("本年新收") || k.contains("新收政府信息公开申请"))
        };
        let h3s: Vec<usize> = keys.iter().enumerate().filter(|(_, k)| is_h3(k)).map(|(i, _)| i).collect();
        let h3 = h3s.iter().copied().find(|&h| has_table(h)).or_else(|| h3s.last().copied());
        // Another report or a second copy of table 三 after this one: nothing from there on is read.
        // It starts at its own title where one stands between (a second report), else at its
        // heading (a table appended or repeated in an annex).
        let other = h3.and_then(|h| {
            let g = h3s.iter().copied().find(|&g| g > h && has_table(g))?;
            let title = (h + 1..g).find(|&i| meta::is_title(keys[i]) && !keys[i].is_empty());
            Some(title.unwrap_or(g))
        });
        let limit = other.unwrap_or(ls.len());
        let keys = &keys[..limit];
        let h3b = h3.or_else(|| keys.iter().position(|k| k.contains("本年新收")).map(|i| i.saturating_sub(1)));
        let before3 = h3b.unwrap_or(keys.len());
        let h2 = keys[..before3].iter().rposition(is_h2);
        let h2b =
            h2.or_else(|| keys[..before3].iter().position(|k| k.starts_with("第二十条")).map(|i| i.saturating_sub(1)));
        let (h2, h2b, copy2) = match h2b {
            Some(h) => {
                let (own, copy) = second_table_two(keys, h, before3, &is_h2);
                (if own == h { h2 } else { Some(own) }, Some(own), copy)
            }
            None => (h2, h2b, None),
        };
        let after3 = h3b.map_or(0, |h| h + 1);
        let h4 = keys.iter().enumerate().skip(after3).find(|(_, k)| is_h4(k)).map(|(i, _)| i);
        let h4b = h4.or_else(|| {
            keys.iter()
                .enumerate()
                .skip(after3)
                .find(|(_, k)| k.starts_with("行政复议") && short(k, 12))
                .map(|(i, _)| i.saturating_sub(1))
        });
        let starts: Vec<usize> = [h2b, copy2, h3b, h4b].into_iter().flatten().collect();
        let end5 = keys
            .iter()
            .enumerate()
            .skip(h4b.or(h3b).map_or(0, |h| h + 1))
            .find(|(_, k)| {
                (k.starts_with('五') || k.starts_with("存在"))
                    && (k.contains("问题") || k.contains("改进"))
                    && short(k, 24)
            })
            .map_or(limit, |(i, _)| i);
        let region = |h: Option<usize>, real: bool| -> Option<Region> {
            let h = h?;
            let next = starts.iter().copied().chain([end5]).filter(|&s| s > h).min().unwrap_or(limit);
            let from = if real { h + 1 } else { h };
            Some(Region { heading: real.then_some(h), from, to: table_end(text, ls, from, next).max(from) })
        };
        Sections {
            active: region(h2b, h2.is_some()),
            applications: region(h3b, h3.is_some()),
            review: region(h4b, h4.is_some()),
            other,
            copy2,
        }
    }
}

/// Table 二 twice (last year's table pasted after this year's, under the same heading or
/// none): the first group heading 第二十条第（一）项 and its first row 规章 again after the
/// table's own rows. Returns where the report's own table starts (`h`, or an earlier heading
/// 二 with a table under it when the copy has its own heading) and where the copy starts (its
/// heading 二 if one stands right before it). A table split into pieces under repeated
/// headings (OCR) repeats no rows, so it is one table, read from its first heading.
fn second_table_two(keys: &[&str], h: usize, before3: usize, is_h2: &dyn Fn(&&str) -> bool) -> (usize, Option<usize>) {
    let first_group = |k: &str| k.starts_with("第二十条第一项");
    let first_row =
        |k: &str| k.strip_prefix("规章").is_some_and(|r| !r.chars().next().is_some_and(crate::text::is_cjk));
    // A table 二 under heading `a` before `b`: a first group and its first row between them.
    let table_in = |a: usize, b: usize| {
        let g = (a..b).find(|&i| first_group(keys[i]))?;
        (g..b).find(|&i| first_row(keys[i])).map(|_| g)
    };
    // The copy under a heading of its own: this heading's table comes after another one,
    // under an earlier heading 二 (a table of contents has none under it).
    let earlier = keys[..h].iter().rposition(is_h2).filter(|&e| table_in(e, h).is_some());
    if let Some(e) = earlier {
        // The heading repeated over the rest of the table (a table split in pieces): one table.
        if table_in(h, before3).is_none() {
            return (e, None);
        }
        return (e, Some(h));
    }
    // The copy without a heading: a second first group after the first one's rows.
    let Some(g1) = table_in(h, before3) else { return (h, None) };
    let r1 = (g1..before3).find(|&i| first_row(keys[i])).unwrap_or(g1);
    let Some(g2) = (r1 + 1..before3).find(|&i| first_group(keys[i])) else { return (h, None) };
    if table_in(g2, before3).is_none() {
        return (h, None);
    }
    let start = (r1 + 1..g2).rev().find(|&i| is_h2(&keys[i])).unwrap_or(g2);
    (h, Some(start))
}

/// A table ends at the next part, or at the first line of prose (a sentence end) after a number.
fn table_end(text: &str, ls: &[Line], from: usize, to: usize) -> usize {
    let mut seen_number = false;
    let row_like = |i: usize| -> bool {
        let s = &text[ls[i].start..ls[i].end];
        s.contains('\t')
            || s.chars().count() <= 120
                && !crate::text::is_prose(s)
                && s.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
                && s.chars().any(crate::text::is_cjk)
    };
    for (i, l) in ls.iter().enumerate().take(to).skip(from) {
        let s = &text[l.start..l.end];
        if seen_number && crate::text::is_prose(s) {
            // A note between two rows does not end the table; a paragraph after it does.
            let next: Vec<usize> = (i + 1..to).filter(|&j| ls[j].end > ls[j].start).take(2).collect();
            if !next.iter().any(|&j| row_like(j)) {
                return i;
            }
        }
        if !seen_number {
            seen_number = s.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
        }
    }
    to
}

/// The template from the tables' own labels; the year only when the labels say nothing.
fn detect_template(keys: &[&str], sec: &Sections, year: Option<i32>) -> Template {
    const T2021: &[&str] = &[
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "制发件数",
        "废止件数",
        "逾期不补正",
        "缴纳费用",
        "本年收费金额",
    ];
    const T2019: &[&str] = &[
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "采购项目数量",
        "采购总金额",
        "上一年项目",
    ];
    let regions = || [sec.active, sec.applications].into_iter().flatten().flat_map(|r| &keys[r.from..r.to]);
    let mut joined = String::with_capacity(regions().map(|k| k.len()).sum());
    regions().for_each(|k| joined.push_str(k));
    let a = T2021.iter().filter(|m| joined.contains(*m)).count();
    let b = T2019.iter().filter(|m| joined.contains(*m)).count();
    match a.cmp(&b) {
        std::cmp::Ordering::Greater => Template::T2021,
        std::cmp::Ordering::Less => Template::T2019,
        std::cmp::Ordering::Equal => year.map_or(Template::T2019, Template::expected_for_year),
    }
}

/// Read tables 二 and 三: rows found by their labels, numbers placed by the row's shape; in
/// table 三, runs of numbers away from their labels placed by the template's row order where
/// the counts, the row sums and the column equations all agree (`align`).
/// Returns the end of the last item used.
#[allow(clippy::too_many_arguments)]
fn read_rows(
    text: &str,
    ls: &[Line],
    items: &[Item],
    template: Template,
    table: Table,
    cells: &mut [Cell],
    notes: &mut Vec<crate::model::ParseNote>,
) -> Option<usize> {
    let layout = template.layout();
    let rows = layout.rows(table);
    let defs = layout.row_defs(table);
    let mut found = rows::match_rows(items, &defs);
    // A 2021 table with the single 2019 row （六）其他处理 in place of its three rows: read that
    // row where the first of the three stands, then name the three as `template.mixed`.
    let mixed = (table == Table::Applications && template == Template::T2021)
        .then(|| single_other_row(items, &defs, &found))
        .flatten();
    if let Some((k, m)) = mixed {
        found[k] = Some(m);
    }
    let mut used_end = None;
    // A column header in 元 (采购总金额（元）, 单位：元), read from the label stream so that a
    // header written one character per line is read too.
    let keys = || {
        items.iter().filter_map(|it| match &it.kind {
            ItemKind::Text { key } => Some(key.as_str()),
            _ => None,
        })
    };
    let mut stream = String::with_capacity(keys().map(str::len).sum());
    stream.extend(keys());
    let yuan_header = stream.contains("金额元") || stream.contains("单位元");
    let sums: Vec<Sum> = if table == Table::Applications { applicant_sums() } else { Vec::new() };
    // A header that names the applicant columns in another order decides the order.
    let header_order = if table == Table::Applications { applicant_header_order(items) } else { None };
    // Table 二 has no sums: numbers before its first label mean the text puts each row's
    // numbers before its label (PDF text); they are read so only where the whole table agrees.
    // Not so where those numbers follow a label of another row that the matching left out (a
    // row out of the template's order, whose numbers follow it as in the rest of the table).
    let numbers_first = table == Table::Active
        && found.iter().flatten().map(|m| m.first).min().is_some_and(|f| {
            let Some(n) = items[..f].iter().position(Item::is_cell) else { return false };
            !items[..n].iter().rev().find(|t| matches!(t.kind, ItemKind::Text { .. })).is_some_and(|t| {
                matches!(&t.kind, ItemKind::Text { key } if defs.iter().any(|d| d.matches.iter().any(|m| key.contains(m))))
            })
        });
    if numbers_first {
        read_numbers_first(text, items, rows, &found, yuan_header, cells);
        note_unfound(rows, &found, cells);
        return items.iter().rev().find(|t| t.is_cell()).map(|t| t.span.1);
    }
    // Table 二: a header naming a row's columns in another order decides their order.
    let col_orders: Vec<Option<Vec<usize>>> = if table == Table::Active {
        let headers = ActiveHeaders::find(items, &defs);
        found.iter().zip(&defs).map(|(m, d)| m.and_then(|m| headers.order(items[m.first].line, d, &defs))).collect()
    } else {
        vec![None; found.len()]
    };
    // The kinds of a row's columns in the text's order.
    let text_kinds = |k: usize| -> Vec<Kind> {
        let cols = rows[k].0.cols;
        match &col_orders[k] {
            Some(o) => o.iter().map(|&c| cols[c].kind).collect(),
            None => cols.iter().map(|c| c.kind).collect(),
        }
    };
    let in_template_order = |k: usize, placed: Vec<Cell>| match &col_orders[k] {
        Some(o) => reorder(placed, o),
        None => placed,
    };
    let mut segs = align::segments(items, &found, table == Table::Applications);
    short_field_lines(items, &mut segs);
    let stray = if table == Table::Applications { align::stray_labels(items, &found, &defs) } else { Vec::new() };
    let mut by_order: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        // One cell per line with blank cells as empty lines: the lines give the positions.
        if header_order.is_none()
            && let Some(label_last) = segs[i].label_last
            && let Some(placed) = {
                let r = segs[i].rows.start;
                place::place_lines(text, ls, items, label_last, segs[i].items.end, &text_kinds(r), yuan_header)
                    .map(|p| in_template_order(r, p))
            }
        {
            let seg = &segs[i];
            for (c, p) in cells[rows[seg.rows.start].1.clone()].iter_mut().zip(placed) {
                *c = p;
            }
            used_end = used_end.max(seg.toks.last().map(|t| t.span.1));
            i += 1;
            continue;
        }
        if table == Table::Applications
            && header_order.is_none()
            && let Some(group) = align::group(text, items, &segs, i, 7, &sums, &stray)
        {
            for (r, row_cells) in group.rows {
                let range = rows[r].1.clone();
                if !group.own.contains(&r) {
                    by_order.push(r);
                }
                for (c, p) in cells[range].iter_mut().zip(row_cells) {
                    *c = p;
                }
            }
            used_end = used_end.max(group.end);
            i = group.next;
            continue;
        }
        let seg = &segs[i];
        i += 1;
        let Some(label_last) = seg.label_last else {
            continue;
        };
        let k = seg.rows.start;
        let range = &rows[k].1;
        let kinds = text_kinds(k);
        let placed = match header_order {
            // Columns in another order than the template's: only rows with one value per
            // column are placed (through the header's order); a row with blanks or extra
            // numbers cannot be placed by its sums in another order, so it is missing.
            Some(ref order) => {
                let n = order.len();
                let no_total = !order.contains(&6);
                let field_kinds = vec![Kind::Count; n];
                let exact = place_fields_words(text, &seg.toks, &field_kinds, yuan_header).or_else(|| {
                    let vals: Vec<&Item> = seg.toks.iter().copied().filter(|t| t.is_cell()).collect();
                    (vals.len() == n)
                        .then(|| vals.iter().map(|t| place::field_cell(text, t, Kind::Count, yuan_header)).collect())
                });
                match exact {
                    Some(in_text_order) => {
                        let mut out = vec![Cell::missing(); 7];
                        for (p, c) in in_text_order.into_iter().enumerate() {
                            if let Some(o) = out.get_mut(order[p]) {
                                *o = c;
                            }
                        }
                        if no_total {
                            out[6] = total_of_parts(&out[..6]);
                        }
                        out
                    }
                    // A header in the template's order that seemed to lack 总计 (split over
                    // lines), over a row with a value per template column: the template decides.
                    None if no_total
                        && order.iter().copied().eq(0..6)
                        && place_fields(text, &seg.toks, &kinds, yuan_header).is_some() =>
                    {
                        place(text, &seg.toks, &kinds, &sums, yuan_header)
                    }
                    None => (0..7)
                        .map(|_| {
                            let mut c = Cell::missing();
                            c.repair = Some(if no_total {
                                "表格没有“总计”列，本行数字个数与列数不符，无法确定各数所在的列".into()
                            } else {
                                "表头的列序与模板不同或有小计列，本行数字个数与列数不符，无法确定各数所在的列".into()
                            });
                            c
                        })
                        .collect(),
                }
            }
            None => in_template_order(k, place(text, &seg.toks, &kinds, &sums, yuan_header)),
        };
        for (c, p) in cells[range.clone()].iter_mut().zip(placed) {
            *c = p;
        }
        let last = seg.toks.last().map_or(items[label_last].span.1, |t| t.span.1);
        used_end = used_end.max(Some(last));
    }
    if !by_order.is_empty() && !align::columns_hold(template, cells) {
        for &r in &by_order {
            for c in &mut cells[rows[r].1.clone()] {
                *c = Cell::missing();
                c.repair = Some("标签与数字分离，按表格行序放置后列的合计或勾稽关系不符，未采用".into());
            }
        }
    }
    if let Some((k, _)) = mixed {
        let three: Vec<usize> = (k..k + 3).flat_map(|r| rows[r].1.clone()).collect();
        let values: Vec<Option<f64>> = cells[rows[k].1.clone()].iter().map(|c| c.value).collect();
        let shown: Vec<String> = values.iter().map(|v| v.map_or("?".into(), |v| format!("{v}"))).collect();
        for &i in &three {
            cells[i] = Cell::missing();
            cells[i].repair = Some(format!(
                "本报告按 2019 年版只填了一行“（六）其他处理”（{}），2021 年版的三行无法分开",
                shown.join("、")
            ));
        }
        notes.push(crate::model::ParseNote {
            id: crate::checks::TEMPLATE_MIXED.into(),
            cells: three,
            message: format!(
                "表三用的是 2019 年版的单行“（六）其他处理”（{}），2021 年版应分三行填写；各列合计按这一行核对",
                shown.join("、")
            ),
            values,
        });
    }
    note_unfound(rows, &found, cells);
    used_end
}

/// Where the field lines of a table have one number of fields (a browser or Word copy of one
/// grid, its short rows padded with empty fields), a row's line with fewer fields has lost a
/// separator (`行政事业性收费\t530\t` for `53\t0\t`): its empty fields at the end are the
/// grid's padding, not blank cells, so its values are not taken as lined up.
fn short_field_lines(items: &[Item], segs: &mut [align::Segment]) {
    // (line, number of fields) of every field line.
    let mut counts: Vec<(usize, u16)> = Vec::new();
    for it in items {
        let Some(f) = it.field else { continue };
        match counts.last_mut() {
            Some((l, n)) if *l == it.line => *n = (*n).max(f + 1),
            _ => counts.push((it.line, f + 1)),
        }
    }
    // The grid: the widest line's number of fields, which at least four in five lines have.
    let Some(grid) = counts.iter().map(|&(_, n)| n).max() else { return };
    let full = counts.iter().filter(|&&(_, n)| n == grid).count();
    if grid < 2 || full < 3 || full * 5 < counts.len() * 4 {
        return;
    }
    for seg in segs {
        let Some(last) = seg.label_last else { continue };
        let line = items[last].line;
        let Ok(k) = counts.binary_search_by_key(&line, |&(l, _)| l) else { continue };
        if counts[k].1 >= grid {
            continue;
        }
        while seg.toks.last().is_some_and(|t| t.line == line && matches!(t.kind, ItemKind::Empty)) {
            seg.toks.pop();
        }
    }
}

/// Table 二's header lines: each line of `items` that names a column of the table (its words
/// matched by `template::active_column_words`), as (line, its items, the columns it names in
/// order). One pass over the table.
struct ActiveHeaders<'a> {
    lines: Vec<(usize, &'a [Item], Vec<&'static str>)>,
}

impl<'a> ActiveHeaders<'a> {
    fn find(items: &'a [Item], all: &[&crate::template::RowDef]) -> Self {
        let mut lines: Vec<(usize, &'a [Item], Vec<&'static str>)> = Vec::new();
        let mut start = 0;
        for i in 0..items.len() {
            let it = &items[i];
            if i > start && items[i - 1].line != it.line {
                start = i;
            }
            let ItemKind::Text { key } = &it.kind else { continue };
            let Some(c) = active_column(key, all) else { continue };
            match lines.last_mut() {
                Some((l, _, named)) if *l == it.line => named.push(c),
                _ => lines.push((it.line, &items[start..], vec![c])),
            }
        }
        // Each line's items end where the line does.
        for (l, words, _) in &mut lines {
            let n = words.iter().position(|t| t.line != *l).unwrap_or(words.len());
            *words = &words[..n];
        }
        ActiveHeaders { lines }
    }

    /// The order of a row's columns where the header line above its label (the nearest line
    /// that names any column of the table) names them in another order than the template's
    /// (`信息内容\t对外公开总数量\t本年新公开数量\t本年新制作数量`): `order[p]` is the template column
    /// of the p-th value in the text. `None` when that line names other columns than the row's
    /// or not each of them once (the template's order then), when it is the template's order,
    /// and for a row of one column.
    fn order(
        &self,
        label_line: usize,
        row: &crate::template::RowDef,
        all: &[&crate::template::RowDef],
    ) -> Option<Vec<usize>> {
        let n = row.cols.len();
        if n < 2 {
            return None;
        }
        let k = self.lines.partition_point(|(l, _, _)| *l < label_line);
        let (_, words, named) = self.lines.get(k.checked_sub(1)?)?;
        let mut order: Vec<usize> = named.iter().filter_map(|c| row.cols.iter().position(|d| d.key == *c)).collect();
        if order.len() != named.len() {
            return None;
        }
        // On a field line, one column header in words of its own (`本年数量`): the column the
        // others leave, where its field stands among theirs.
        if order.len() + 1 == n {
            let heads: Vec<Option<usize>> = header_fields(words)
                .into_iter()
                .map(|key| active_column(key, all).and_then(|c| row.cols.iter().position(|d| d.key == c)))
                .collect();
            let left = (0..n).find(|c| !order.contains(c));
            if heads.len() == n && heads.iter().filter(|h| h.is_none()).count() == 1 {
                order = heads.iter().map(|h| h.or(left).unwrap_or(n)).collect();
            }
        }
        let mut sorted = order.clone();
        sorted.sort_unstable();
        let each_once = sorted.iter().copied().eq(0..n);
        (each_once && !order.iter().copied().eq(0..n)).then_some(order)
    }
}

/// Table 二's column words (`template::active_column_words`) of both templates in one
/// automaton, with the column each names.
static COLUMN_WORDS: std::sync::LazyLock<(aho_corasick::AhoCorasick, Vec<&'static str>)> =
    std::sync::LazyLock::new(|| {
        let mut words = Vec::new();
        let mut cols = Vec::new();
        for t in [crate::template::Template::T2019, crate::template::Template::T2021] {
            for c in crate::template::rows_of(t, Table::Active).iter().flat_map(|r| r.cols.iter()) {
                for w in crate::template::active_column_words(c.key) {
                    if !words.contains(w) {
                        words.push(*w);
                        cols.push(c.key);
                    }
                }
            }
        }
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(&words)
            .expect("column words");
        (ac, cols)
    });

/// The column of table 二 a header word names (its key): the column of the first column word
/// (`template::active_column_words`) in it, where `all`'s rows have that column.
fn active_column(key: &str, all: &[&crate::template::RowDef]) -> Option<&'static str> {
    // Every column word has two characters or more.
    if key.len() < 6 {
        return None;
    }
    let (ac, cols) = &*COLUMN_WORDS;
    let col = cols[ac.find(key)?.pattern().as_usize()];
    all.iter().any(|r| r.cols.iter().any(|c| c.key == col)).then_some(col)
}

/// The words of a header line's column fields: the first key of each field with words after
/// the first (信息内容). Empty for a line that is not a field line.
fn header_fields(words: &[Item]) -> Vec<&str> {
    let mut out = Vec::new();
    let mut last = None;
    for t in words {
        let (ItemKind::Text { key }, Some(f)) = (&t.kind, t.field) else { continue };
        if f > 0 && last != Some(f) && !key.is_empty() {
            out.push(key.as_str());
            last = Some(f);
        }
    }
    out
}

/// Cells placed in the text's order of columns put in the template's (`order` from
/// [`ActiveHeaders::order`]).
fn reorder(placed: Vec<Cell>, order: &[usize]) -> Vec<Cell> {
    let mut out: Vec<Cell> = std::iter::repeat_with(Cell::missing).take(placed.len()).collect();
    for (p, c) in placed.into_iter().enumerate() {
        if let Some(o) = order.get(p).and_then(|&o| out.get_mut(o)) {
            *o = c;
        }
    }
    out
}

/// A row whose label was not found and that nothing else filled says so in its cells.
fn note_unfound(rows: &[crate::template::RowCells], found: &[Option<rows::RowMatch>], cells: &mut [Cell]) {
    for (k, (row, range)) in rows.iter().enumerate() {
        if found[k].is_none() && cells[range.clone()].iter().all(|c| c.status == crate::model::Status::Missing) {
            for c in &mut cells[range.clone()] {
                c.repair.get_or_insert_with(|| format!("原文中找不到“{}”这一行", row.label));
            }
        }
    }
}

/// Table 二 with numbers before its first label: each found row's cells are the numbers between
/// the previous label and the end of its own, `repaired` (placed by the table's order of
/// numbers and labels) where they are exactly the row's columns; numbers after the last label
/// make either reading uncertain, and then no row is read.
fn read_numbers_first(
    text: &str,
    items: &[Item],
    rows: &[crate::template::RowCells],
    found: &[Option<rows::RowMatch>],
    yuan_header: bool,
    cells: &mut [Cell],
) {
    let last = found.iter().flatten().map(|m| m.last).max().unwrap_or(0);
    let trailing = items[last + 1..].iter().any(Item::is_cell);
    let mut from = 0;
    for (k, m) in found.iter().enumerate() {
        let Some(m) = m else { continue };
        let toks: Vec<&Item> = items[from..=m.last].iter().filter(|t| t.is_cell()).collect();
        from = m.last + 1;
        let (row, range) = &rows[k];
        let kinds: Vec<Kind> = row.cols.iter().map(|c| c.kind).collect();
        let placed = (!trailing && toks.len() == kinds.len()).then(|| place(text, &toks, &kinds, &[], yuan_header));
        for (c, p) in cells[range.clone()].iter_mut().enumerate() {
            match &placed {
                Some(v) => {
                    *p = v[c].clone();
                    if p.status == crate::model::Status::Parsed {
                        p.status = crate::model::Status::Repaired;
                        p.repair = Some("原文数字在行标签之前，按整张表数字与标签的先后放置，请核对".into());
                    }
                }
                None => {
                    *p = Cell::missing();
                    p.repair =
                        Some("原文数字在行标签之前，本行数字个数不符或表后还有数字，无法确定各数所属的行".into());
                }
            }
        }
    }
}

/// The 总计 of a row read from a table without a 总计 column: `missing` (the report states
/// none), its repair giving the sum of the six columns.
fn total_of_parts(parts: &[Cell]) -> Cell {
    let mut c = Cell::missing();
    let sum: Option<f64> = parts.iter().map(|p| p.value).sum();
    c.repair = Some(match sum {
        Some(v) => format!("原文表格没有“总计”列（本行各列之和为 {}）", crate::value::round6(v)),
        None => "原文表格没有“总计”列".into(),
    });
    c
}

/// A header field naming a column that is no cell of the template (小计 of 法人或其他组织).
const SKIP: usize = 8;

/// The applicant column a header field names (0 自然人 … 5 其他, 6 总计), 7 for the group
/// 法人或其他组织, [`SKIP`] for a 小计 column.
fn applicant_column(key: &str) -> Option<usize> {
    match key {
        "自然人" => Some(0),
        "商业企业" => Some(1),
        "科研机构" => Some(2),
        "社会公益组织" | "社会公益" => Some(3),
        "法律服务机构" | "法律服务" => Some(4),
        "其他" => Some(5),
        "总计" | "合计" => Some(6),
        "法人或其他组织" => Some(7),
        "小计" => Some(SKIP),
        _ => None,
    }
}

/// The order of the applicant columns where a header (tab-separated, Markdown or words apart)
/// names them in another order than the template's, or names no 总计 column:
/// `order[p]` is the column of the p-th value field (6 entries when there is no 总计). Only a
/// header that names every column (总计 aside) exactly once counts (on one line, or 自然人 /
/// 法人或其他组织 / 总计 over the five kinds of 法人 on the next); a 小计 column is [`SKIP`]ped.
/// `None` otherwise, and for the template's own order.
fn applicant_header_order(items: &[Item]) -> Option<Vec<usize>> {
    let mut lines: Vec<(usize, Vec<usize>)> = Vec::new();
    for it in items {
        let ItemKind::Text { key } = &it.kind else { continue };
        let Some(c) = applicant_column(key) else { continue };
        match lines.last_mut() {
            Some((l, v)) if *l == it.line => v.push(c),
            _ => lines.push((it.line, vec![c])),
        }
    }
    let valid = |v: &[usize]| {
        let mut s: Vec<usize> = v.iter().copied().filter(|&c| c != SKIP).collect();
        s.sort_unstable();
        s == (0..7).collect::<Vec<_>>() || s == (0..6).collect::<Vec<_>>()
    };
    let mut order: Option<Vec<usize>> = None;
    let mut header_end = 0;
    for (k, (line, v)) in lines.iter().enumerate() {
        if valid(v) {
            order = Some(v.clone());
            header_end = *line;
            break;
        }
        let named = v.iter().filter(|&&c| c != SKIP).count();
        if v.contains(&7) && v.contains(&0) && (named == 3 && v.contains(&6) || named == 2) {
            let Some((_, next)) = lines.get(k + 1) else { continue };
            let mut kinds = next.clone();
            kinds.retain(|c| (1..=5).contains(c) || *c == SKIP);
            let mut expanded = Vec::new();
            for &c in v {
                if c == 7 { expanded.extend(kinds.iter().copied()) } else { expanded.push(c) }
            }
            if valid(&expanded) {
                order = Some(expanded);
                header_end = lines[k + 1].0;
                break;
            }
        }
    }
    let order = order?;
    // A 总计 on a header line of its own (above the applicant kinds) is a 总计 column.
    let total_above = items
        .iter()
        .take_while(|it| it.line <= header_end)
        .any(|it| matches!(&it.kind, ItemKind::Text { key } if key == "总计" || key == "合计"));
    if !order.contains(&6) && total_above {
        return None;
    }
    (order != (0..7).collect::<Vec<_>>()).then_some(order)
}

/// The single 2019 row （六）其他处理 in a 2021 table: none of the three 2021 rows found, and a
/// label 其他处理 after the last row found before them and before （七）总计. Returns the index of
/// the first of the three rows and where the label stands.
fn single_other_row(
    items: &[Item],
    defs: &[&crate::template::RowDef],
    found: &[Option<rows::RowMatch>],
) -> Option<(usize, rows::RowMatch)> {
    let k = defs.iter().position(|d| d.key == "other.overdue_correction")?;
    let total = defs.iter().position(|d| d.key == "total")?;
    if found[k..total].iter().any(Option::is_some) {
        return None;
    }
    let after = found[..k].iter().flatten().map(|m| m.last).max().map_or(0, |l| l + 1);
    let before = found[total].map_or(items.len(), |m| m.first);
    (after..before.min(items.len())).find_map(|i| match &items[i].kind {
        ItemKind::Text { key }
            if key.ends_with("其他处理") && (key.ends_with("六其他处理") || key.chars().count() <= 8) =>
        {
            Some((k, rows::RowMatch { first: i, last: i }))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests;

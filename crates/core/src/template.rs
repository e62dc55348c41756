//! The two official templates (国办公开办函〔2019〕60号 and 〔2021〕30号): every table, row,
//! column and cell key of SCHEMA.md, with the official labels and the variants the parser accepts.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Template {
    T2019,
    T2021,
}

impl Template {
    pub fn number(self) -> i32 {
        match self {
            Template::T2019 => 2019,
            Template::T2021 => 2021,
        }
    }
    #[cfg(test)]
    pub(crate) fn from_number(n: i64) -> Option<Template> {
        match n {
            2019 => Some(Template::T2019),
            2021 => Some(Template::T2021),
            _ => None,
        }
    }
    /// The template a report of `year` should use.
    pub(crate) fn expected_for_year(year: i32) -> Template {
        if year >= 2021 { Template::T2021 } else { Template::T2019 }
    }
    pub fn layout(self) -> &'static Layout {
        static L2019: OnceLock<Layout> = OnceLock::new();
        static L2021: OnceLock<Layout> = OnceLock::new();
        match self {
            Template::T2019 => L2019.get_or_init(|| Layout::build(Template::T2019)),
            Template::T2021 => L2021.get_or_init(|| Layout::build(Template::T2021)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Table {
    Active,
    Applications,
    Review,
}

impl Table {
    pub const ALL: [Table; 3] = [Table::Active, Table::Applications, Table::Review];
    pub fn key(self) -> &'static str {
        match self {
            Table::Active => "active",
            Table::Applications => "applications",
            Table::Review => "review",
        }
    }
    pub fn from_key(s: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.key() == s)
    }
    /// The official heading of the part.
    pub fn title(self) -> &'static str {
        match self {
            Table::Active => "二、主动公开政府信息情况",
            Table::Applications => "三、收到和处理政府信息公开申请情况",
            Table::Review => "四、政府信息公开行政复议、行政诉讼情况",
        }
    }
}

/// What a cell holds: a count, a signed change (本年增/减) or money in 万元.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Count,
    Signed,
    Money,
}

#[derive(Debug)]
pub struct ColDef {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
}

#[derive(Debug)]
pub struct RowDef {
    pub key: &'static str,
    /// The group heading printed before the row, e.g. 三、本年度办理结果（三）不予公开.
    pub group: &'static str,
    /// The row's own label as the template prints it.
    pub label: &'static str,
    /// Label variants as they appear in real reports, normalised by [`crate::text::label_key`],
    /// most specific first.
    pub matches: &'static [&'static str],
    pub cols: &'static [ColDef],
}

impl RowDef {
    /// The full official label (group and row), for the GUI and CSV.
    pub fn full_label(&self) -> String {
        if self.group.is_empty() { self.label.to_string() } else { format!("{}{}", self.group, self.label) }
    }
    /// A row's short name for messages: `（一）予以公开`, `（三）不予公开 1.属于国家秘密`,
    /// `行政诉讼 未经复议直接起诉`, `规章` (the long parenthetical of （二）部分公开 is left out).
    pub(crate) fn short_name(&self, table: Table) -> String {
        let mut label = self.label;
        if let Some(rest) = label.strip_prefix('（')
            && let Some(p) = rest.find('（')
        {
            label = &label[..p + '（'.len_utf8()];
        }
        if table == Table::Active {
            return label.to_string();
        }
        let group = self.group.strip_prefix("三、本年度办理结果").unwrap_or(self.group).trim();
        if group.is_empty() { label.to_string() } else { format!("{group} {label}") }
    }
}

/// One cell of the template, in layout order.
#[derive(Debug, Clone, Copy)]
pub struct CellDef {
    pub table: Table,
    pub row: &'static str,
    pub col: &'static str,
    pub row_def: &'static RowDef,
    pub col_def: &'static ColDef,
}

impl CellDef {
    pub fn kind(&self) -> Kind {
        self.col_def.kind
    }
    /// `table/row/col`, the key of SCHEMA.md.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.table.key(), self.row, self.col)
    }
    /// The label the desk, the exports and the workbooks show: the official full row label
    /// and the column label, e.g. `三、本年度办理结果（一）予以公开 / 自然人`.
    pub fn label(&self) -> String {
        format!("{} / {}", self.row_def.full_label(), self.col_def.label)
    }
    /// The name in a message: “（full row label）”行“（column label）”列.
    pub(crate) fn message_name(&self) -> String {
        format!("“{}”行“{}”列", self.row_def.full_label(), self.col_def.label)
    }
}

/// A row of a table and the range of its cells in [`Layout::cells`].
pub type RowCells = (&'static RowDef, Range<usize>);

#[derive(Debug)]
pub struct Layout {
    pub template: Template,
    pub cells: Vec<CellDef>,
    /// For each table, its rows and for each row the range of its cells in `cells`.
    pub tables: Vec<(Table, Vec<RowCells>)>,
}

impl Layout {
    fn build(template: Template) -> Layout {
        let mut cells = Vec::new();
        let mut tables = Vec::new();
        for table in Table::ALL {
            let mut rows = Vec::new();
            for row in rows_of(template, table) {
                let start = cells.len();
                for col in row.cols {
                    cells.push(CellDef { table, row: row.key, col: col.key, row_def: row, col_def: col });
                }
                rows.push((row, start..cells.len()));
            }
            tables.push((table, rows));
        }
        Layout { template, cells, tables }
    }

    pub fn rows(&self, table: Table) -> &[RowCells] {
        &self.tables.iter().find(|(t, _)| *t == table).expect("every table is in the layout").1
    }

    /// The definitions of `table`'s rows, in template order (what the row matching reads).
    pub fn row_defs(&self, table: Table) -> Vec<&'static RowDef> {
        self.rows(table).iter().map(|(r, _)| *r).collect()
    }

    pub fn row(&self, table: Table, row: &str) -> Option<Range<usize>> {
        self.rows(table).iter().find(|(r, _)| r.key == row).map(|(_, r)| r.clone())
    }

    pub fn index(&self, table: Table, row: &str, col: &str) -> Option<usize> {
        self.row(table, row)?.find(|&i| self.cells[i].col == col)
    }

    /// Index of a `table/row/col` key.
    pub fn index_of_key(&self, key: &str) -> Option<usize> {
        let mut it = key.splitn(3, '/');
        let (t, r, c) = (it.next()?, it.next()?, it.next()?);
        self.index(Table::from_key(t)?, r, c)
    }
}

pub fn rows_of(template: Template, table: Table) -> &'static [RowDef] {
    match (template, table) {
        (Template::T2019, Table::Active) => ACTIVE_2019,
        (Template::T2021, Table::Active) => ACTIVE_2021,
        (Template::T2019, Table::Applications) => APPLICATIONS_2019,
        (Template::T2021, Table::Applications) => APPLICATIONS_2021,
        (_, Table::Review) => REVIEW,
    }
}

const fn c(key: &'static str, label: &'static str) -> ColDef {
    ColDef { key, label, kind: Kind::Count }
}

/// Words that name a column of table 二 in a header line, short forms included (`上一年项目`,
/// `本年增`, `处理决定`): a header word names the column whose word it holds (label keys).
pub(crate) fn active_column_words(col: &str) -> &'static [&'static str] {
    match col {
        "new_made" => &["新制作"],
        "new_published" => &["新公开"],
        "total_published" => &["对外公开总"],
        "prev_items" => &["上一年项目", "上年项目"],
        "change" => &["增减", "本年增"],
        "decisions" => &["处理决定"],
        "projects" => &["采购项目"],
        "amount_wan_yuan" => &["采购总金额", "采购金额", "收费金额"],
        "issued" => &["制发"],
        "repealed" => &["废止"],
        "in_force" => &["现行有效"],
        _ => &[],
    }
}

const PUBLISHED_2019: &[ColDef] =
    &[c("new_made", "本年新制作数量"), c("new_published", "本年新公开数量"), c("total_published", "对外公开总数量")];
const ITEMS_2019: &[ColDef] = &[
    c("prev_items", "上一年项目数量"),
    ColDef { key: "change", label: "本年增/减", kind: Kind::Signed },
    c("decisions", "处理决定数量"),
];
const FEES_2019: &[ColDef] =
    &[c("prev_items", "上一年项目数量"), ColDef { key: "change", label: "本年增/减", kind: Kind::Signed }];
const PROCUREMENT_2019: &[ColDef] =
    &[c("projects", "采购项目数量"), ColDef { key: "amount_wan_yuan", label: "采购总金额（万元）", kind: Kind::Money }];
const DOCS_2021: &[ColDef] =
    &[c("issued", "本年制发件数"), c("repealed", "本年废止件数"), c("in_force", "现行有效件数")];
const DECISIONS_2021: &[ColDef] = &[c("decisions", "本年处理决定数量")];
const FEES_2021: &[ColDef] =
    &[ColDef { key: "amount_wan_yuan", label: "本年收费金额（单位：万元）", kind: Kind::Money }];

const fn r(
    key: &'static str,
    group: &'static str,
    label: &'static str,
    matches: &'static [&'static str],
    cols: &'static [ColDef],
) -> RowDef {
    RowDef { key, group, label, matches, cols }
}

static ACTIVE_2019: &[RowDef] = &[
    r("regulations", "第二十条第（一）项 ", "规章", &["规章"], PUBLISHED_2019),
    r("normative_documents", "第二十条第（一）项 ", "规范性文件", &["规范性文件"], PUBLISHED_2019),
    r("licensing", "第二十条第（五）项 ", "行政许可", &["行政许可"], ITEMS_2019),
    r(
        "other_services",
        "第二十条第（五）项 ",
        "其他对外管理服务事项",
        &["其他对外管理服务事项", "其他对外管理服务"],
        ITEMS_2019,
    ),
    r("penalty", "第二十条第（六）项 ", "行政处罚", &["行政处罚"], ITEMS_2019),
    r("coercion", "第二十条第（六）项 ", "行政强制", &["行政强制"], ITEMS_2019),
    r("fees", "第二十条第（八）项 ", "行政事业性收费", &["行政事业性收费"], FEES_2019),
    r("procurement", "第二十条第（九）项 ", "政府集中采购", &["政府集中采购"], PROCUREMENT_2019),
];

static ACTIVE_2021: &[RowDef] = &[
    r("regulations", "第二十条第（一）项 ", "规章", &["规章"], DOCS_2021),
    r("normative_documents", "第二十条第（一）项 ", "行政规范性文件", &["行政规范性文件", "规范性文件"], DOCS_2021),
    r("licensing", "第二十条第（五）项 ", "行政许可", &["行政许可"], DECISIONS_2021),
    r("penalty", "第二十条第（六）项 ", "行政处罚", &["行政处罚"], DECISIONS_2021),
    r("coercion", "第二十条第（六）项 ", "行政强制", &["行政强制"], DECISIONS_2021),
    r("fees", "第二十条第（八）项 ", "行政事业性收费", &["行政事业性收费"], FEES_2021),
];

pub const APPLICANT_COLS: &[ColDef] = &[
    c("natural_person", "自然人"),
    c("commercial", "商业企业"),
    c("research", "科研机构"),
    c("social_welfare", "社会公益组织"),
    c("legal_service", "法律服务机构"),
    c("other_org", "其他"),
    c("total", "总计"),
];

const G3: &str = "三、本年度办理结果";
const G_DENY: &str = "三、本年度办理结果（三）不予公开 ";
const G_UNAV: &str = "三、本年度办理结果（四）无法提供 ";
const G_NOTP: &str = "三、本年度办理结果（五）不予处理 ";
const G_OTHER: &str = "三、本年度办理结果（六）其他处理 ";

macro_rules! app_rows {
    ($($extra:expr),* $(,)?) => {
        &[
            r("new_received", "", "一、本年新收政府信息公开申请数量", &["本年新收政府信息公开申请数量", "本年新收政府信息公开申请", "本年新收"], APPLICANT_COLS),
            r("carried_over", "", "二、上年结转政府信息公开申请数量", &["上年结转政府信息公开申请数量", "上年结转政府信息公开申请", "上年结转"], APPLICANT_COLS),
            r("granted", G3, "（一）予以公开", &["予以公开"], APPLICANT_COLS),
            r("partially_granted", G3, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", &["部分公开"], APPLICANT_COLS),
            r("denied.state_secret", G_DENY, "1.属于国家秘密", &["属于国家秘密", "国家秘密"], APPLICANT_COLS),
            r("denied.prohibited_by_law", G_DENY, "2.其他法律行政法规禁止公开", &["其他法律行政法规禁止公开", "其他法律法规禁止公开", "法规禁止公开"], APPLICANT_COLS),
            r("denied.three_security_one_stability", G_DENY, "3.危及“三安全一稳定”", &["危及三安全一稳定", "三安全一稳定"], APPLICANT_COLS),
            r("denied.third_party_rights", G_DENY, "4.保护第三方合法权益", &["保护第三方合法权益", "第三方合法权益"], APPLICANT_COLS),
            r("denied.internal_affairs", G_DENY, "5.属于三类内部事务信息", &["属于三类内部事务信息", "三类内部事务"], APPLICANT_COLS),
            r("denied.process_info", G_DENY, "6.属于四类过程性信息", &["属于四类过程性信息", "四类过程性信息"], APPLICANT_COLS),
            r("denied.enforcement_file", G_DENY, "7.属于行政执法案卷", &["属于行政执法案卷", "行政执法案卷"], APPLICANT_COLS),
            r("denied.administrative_query", G_DENY, "8.属于行政查询事项", &["属于行政查询事项", "行政查询事项"], APPLICANT_COLS),
            r("unavailable.not_held", G_UNAV, "1.本机关不掌握相关政府信息", &["本机关不掌握相关政府信息", "不掌握相关政府信息"], APPLICANT_COLS),
            r("unavailable.needs_creation", G_UNAV, "2.没有现成信息需要另行制作", &["没有现成信息需要另行制作", "需要另行制作"], APPLICANT_COLS),
            r("unavailable.unclear_after_correction", G_UNAV, "3.补正后申请内容仍不明确", &["补正后申请内容仍不明确", "申请内容仍不明确"], APPLICANT_COLS),
            r("not_processed.petition", G_NOTP, "1.信访举报投诉类申请", &["信访举报投诉类申请", "信访举报投诉"], APPLICANT_COLS),
            r("not_processed.duplicate", G_NOTP, "2.重复申请", &["重复申请"], APPLICANT_COLS),
            r("not_processed.publication", G_NOTP, "3.要求提供公开出版物", &["要求提供公开出版物", "公开出版物"], APPLICANT_COLS),
            r("not_processed.massive_repeated", G_NOTP, "4.无正当理由大量反复申请", &["无正当理由大量反复申请", "大量反复申请"], APPLICANT_COLS),
            r("not_processed.confirm_or_reissue", G_NOTP, "5.要求行政机关确认或重新出具已获取信息", &["要求行政机关确认或重新出具已获取信息", "要求行政机关确认或重新出具", "要求行政机关确认"], APPLICANT_COLS),
            $($extra,)*
            r("total", G3, "（七）总计", &["七总计", "总计"], APPLICANT_COLS),
            r("carried_forward", "", "四、结转下年度继续办理", &["结转下年度继续办理", "结转下年度"], APPLICANT_COLS),
        ]
    };
}

static APPLICATIONS_2019: &[RowDef] =
    app_rows![r("other", G3, "（六）其他处理", &["六其他处理", "其他处理"], APPLICANT_COLS)];

static APPLICATIONS_2021: &[RowDef] = app_rows![
    r(
        "other.overdue_correction",
        G_OTHER,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        &["申请人无正当理由逾期不补正", "逾期不补正"],
        APPLICANT_COLS
    ),
    r(
        "other.overdue_fee",
        G_OTHER,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        &["申请人逾期未按收费通知要求缴纳费用", "逾期未按收费通知要求缴纳费用", "缴纳费用"],
        APPLICANT_COLS
    ),
    r("other.other", G_OTHER, "3.其他", &["3其他", "三其他"], APPLICANT_COLS),
];

pub const REVIEW_COLS: &[ColDef] = &[
    c("upheld", "结果维持"),
    c("corrected", "结果纠正"),
    c("other", "其他结果"),
    c("pending", "尚未审结"),
    c("total", "总计"),
];

static REVIEW: &[RowDef] = &[
    r("reconsideration", "", "行政复议", &["行政复议"], REVIEW_COLS),
    r("litigation_direct", "行政诉讼 ", "未经复议直接起诉", &["未经复议直接起诉"], REVIEW_COLS),
    r("litigation_after_reconsideration", "行政诉讼 ", "复议后起诉", &["复议后起诉"], REVIEW_COLS),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_have_the_schema_cell_counts() {
        // 2019: active 2*3 + 4*3 + 2 + 2 = 22; applications 23 rows * 7; review 15.
        assert_eq!(Template::T2019.layout().cells.len(), 198);
        // 2021: active 2*3 + 3 + 1 = 10; applications 25 rows * 7; review 15.
        assert_eq!(Template::T2021.layout().cells.len(), 200);
        let l = Template::T2021.layout();
        let i = l.index_of_key("applications/other.other/total").unwrap();
        assert_eq!(l.cells[i].key(), "applications/other.other/total");
        assert!(l.index_of_key("applications/other/total").is_none());
    }
}

//! Every check of SCHEMA.md (docs/schema.md), single-report and cross-year, as one enum with
//! its id, severity and description — the way cargo-deny keeps its codes. The ids are the
//! contract (JSON, CSV, findings, the desk's 已核对 marks in saved reviews); [`Rule::ALL`] is in
//! the order the checks are emitted ([`crate::checks::run`], then [`crate::compare`]'s
//! cross-year checks). Nothing else lists the rules.

use crate::model::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    ReportSeveral,
    TemplateMixed,
    ReportMeta,
    TemplateYear,
    ApplicationsRowSum,
    ApplicationsOutcomeSum,
    ApplicationsBalance,
    ReviewRowSum,
    ActivePlausible,
    NarrativeMatchesTable,
    ReportBlankCells,
    ReportSection5,
    ReportSection6Fees,
    CellUnreadable,
    YearsOrgan,
    YearsSameYear,
    YearsCarry,
    YearsInForce,
    YearsPrevItems,
}

impl Rule {
    /// Every rule, single-report ones first, each part in the order its checks are emitted.
    pub const ALL: [Rule; 19] = [
        Rule::ReportSeveral,
        Rule::TemplateMixed,
        Rule::ReportMeta,
        Rule::TemplateYear,
        Rule::ApplicationsRowSum,
        Rule::ApplicationsOutcomeSum,
        Rule::ApplicationsBalance,
        Rule::ReviewRowSum,
        Rule::ActivePlausible,
        Rule::NarrativeMatchesTable,
        Rule::ReportBlankCells,
        Rule::ReportSection5,
        Rule::ReportSection6Fees,
        Rule::CellUnreadable,
        Rule::YearsOrgan,
        Rule::YearsSameYear,
        Rule::YearsCarry,
        Rule::YearsInForce,
        Rule::YearsPrevItems,
    ];

    /// The stable id of SCHEMA.md.
    pub const fn id(self) -> &'static str {
        match self {
            Rule::ReportSeveral => "report.several",
            Rule::TemplateMixed => "template.mixed",
            Rule::ReportMeta => "report.meta",
            Rule::TemplateYear => "template.year",
            Rule::ApplicationsRowSum => "applications.row_sum",
            Rule::ApplicationsOutcomeSum => "applications.outcome_sum",
            Rule::ApplicationsBalance => "applications.balance",
            Rule::ReviewRowSum => "review.row_sum",
            Rule::ActivePlausible => "active.plausible",
            Rule::NarrativeMatchesTable => "narrative.matches_table",
            Rule::ReportBlankCells => "report.blank_cells",
            Rule::ReportSection5 => "report.section5",
            Rule::ReportSection6Fees => "report.section6_fees",
            Rule::CellUnreadable => "cell.unreadable",
            Rule::YearsOrgan => "years.organ",
            Rule::YearsSameYear => "years.same_year",
            Rule::YearsCarry => "years.carry",
            Rule::YearsInForce => "years.in_force",
            Rule::YearsPrevItems => "years.prev_items",
        }
    }

    pub const fn severity(self) -> Severity {
        match self {
            Rule::ReportSeveral
            | Rule::ApplicationsRowSum
            | Rule::ApplicationsOutcomeSum
            | Rule::ApplicationsBalance
            | Rule::ReviewRowSum
            | Rule::CellUnreadable
            | Rule::YearsCarry => Severity::Error,
            Rule::TemplateMixed
            | Rule::ReportMeta
            | Rule::TemplateYear
            | Rule::ActivePlausible
            | Rule::NarrativeMatchesTable
            | Rule::ReportBlankCells
            | Rule::ReportSection5
            | Rule::ReportSection6Fees
            | Rule::YearsOrgan
            | Rule::YearsSameYear
            | Rule::YearsInForce
            | Rule::YearsPrevItems => Severity::Warning,
        }
    }

    /// Whether the rule ties two years together (`nianbao compare`, the compare view).
    pub const fn cross_year(self) -> bool {
        matches!(
            self,
            Rule::YearsOrgan | Rule::YearsSameYear | Rule::YearsCarry | Rule::YearsInForce | Rule::YearsPrevItems
        )
    }

    /// What the rule checks, in Chinese (`nianbao help checks`, the desk's tooltips).
    pub const fn description(self) -> &'static str {
        match self {
            Rule::ReportSeveral => "文件里有不止一份报告或同一张表的第二份（别的年度、附件）；只读本报告自己的表格",
            Rule::TemplateMixed => {
                "一种模板的报告里混有另一种模板的行（如 2021 年表中仍是 2019 年的单行（六）其他处理）"
            }
            Rule::ReportMeta => "未能读出机关名称或年度（可在审校窗口中填写）",
            Rule::TemplateYear => "模板与年度不符：2021 年及以后的报告用了 2019 年模板，或反之",
            Rule::ApplicationsRowSum => "表三每行：总计 = 六类申请人之和",
            Rule::ApplicationsOutcomeSum => "表三每列：办理结果总计 = （一）至（六）各项之和",
            Rule::ApplicationsBalance => "表三每列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理",
            Rule::ReviewRowSum => "表四每行：总计 = 维持 + 纠正 + 其他结果 + 尚未审结",
            Rule::ActivePlausible => "表二数字是否合理（如本年新公开数量大于对外公开总数量、不应为负的数为负）",
            Rule::NarrativeMatchesTable => "正文中写出的数字（共收到…申请N件等）与表格不一致",
            Rule::ReportBlankCells => "表三、表四中应填数字（没有填 0）的格子留空或写了“/”",
            Rule::ReportSection5 => "第五部分（存在的主要问题及改进情况）缺失、只写“无”或过短",
            Rule::ReportSection6Fees => "2021 模板：第六部分未报告信息处理费的收取情况",
            Rule::CellUnreadable => "格子的内容不是数字，或表格的行没有找到",
            Rule::YearsOrgan => "两份报告的机关名称不同",
            Rule::YearsSameYear => "两份报告是同一年度",
            Rule::YearsCarry => "上年的“结转下年度继续办理” = 本年的“上年结转”，逐列",
            Rule::YearsInForce => "上年规范性文件存量 + 本年制发 − 本年废止 = 本年现行有效件数",
            Rule::YearsPrevItems => "上年的事项数量与本年的“上一年项目数量”一致（2019 模板）",
        }
    }

    /// The rule of an id (`None` for an id SCHEMA.md does not know).
    pub(crate) fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_the_schema_names_them() {
        let schema = include_str!("../../../../docs/schema.md");
        for (i, r) in Rule::ALL.iter().enumerate() {
            assert_eq!(Rule::from_id(r.id()), Some(*r));
            assert!(Rule::ALL[..i].iter().all(|o| o.id() != r.id()), "{} twice", r.id());
            assert!(!r.description().is_empty());
            // Every rule SCHEMA.md's table lists is ours, with the same severity.
            if let Some(line) = schema.lines().find(|l| l.starts_with(&format!("| `{}` |", r.id()))) {
                let sev = line.split('|').nth(2).unwrap_or("").trim();
                let want = if r.severity() == Severity::Error { "error" } else { "warning" };
                assert!(sev.starts_with(want), "{}: schema says {sev}", r.id());
            }
        }
        for line in schema.lines().filter(|l| l.starts_with("| `") && l.contains('.')) {
            let id = line.trim_start_matches("| `").split('`').next().unwrap_or("");
            let is_check =
                ["applications.", "review.", "cell.", "template.", "active.", "narrative.", "report.", "years."]
                    .iter()
                    .any(|p| id.starts_with(p));
            if is_check && line.split('|').nth(2).is_some_and(|s| s.contains("error") || s.contains("warning")) {
                assert!(Rule::from_id(id).is_some(), "SCHEMA.md names {id}, which has no Rule");
            }
        }
        assert!(Rule::ALL.iter().filter(|r| r.cross_year()).all(|r| r.id().starts_with("years.")));
    }
}

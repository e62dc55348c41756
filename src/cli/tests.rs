//! Unit tests of the command line (the in-process CLI tests of whole runs are in `tests/`).

use super::*;
use crate::export::test_support::{idx, report};
use crate::model::{CheckResult, Severity};
use crate::template::{Table, Template};
use args::USAGE_EXPORT;
use std::path::{Path, PathBuf};

fn args(s: &str) -> Vec<OsString> {
    s.split_whitespace().map(OsString::from).collect()
}

fn parse(s: &str) -> Result<Command, UsageError> {
    parse_args(&args(s))
}

fn check_result(id: &'static str, severity: Severity, passed: bool, cells: Vec<usize>) -> CheckResult {
    CheckResult {
        id,
        severity,
        passed,
        scope: vec![("row", "total".into())],
        cells,
        lhs: Some(24.0),
        rhs: Some(25.0),
        message: "（七）总计: 总计 24 ≠ 各类申请人之和 25".into(),
    }
}

#[test]
fn parses_export() {
    let want =
        ExportOptions { input: "a.txt".into(), format: Format::Json, output: Some("o.json".into()), strict: false };
    assert_eq!(parse("export a.txt --format json -o o.json"), Ok(Command::Export(want.clone())));
    assert_eq!(parse("export --format=JSON --output=o.json a.txt"), Ok(Command::Export(want.clone())));
    assert_eq!(parse("export -o o.json a.txt"), Ok(Command::Export(want.clone())), "format from the extension");
    assert_eq!(
        parse("export a.txt --format csv --strict"),
        Ok(Command::Export(ExportOptions { format: Format::Csv, output: None, strict: true, ..want.clone() }))
    );
    assert_eq!(
        parse("export --format txt -- -odd.txt"),
        Ok(Command::Export(ExportOptions {
            input: "-odd.txt".into(),
            format: Format::Txt,
            output: None,
            strict: false
        }))
    );
    assert!(matches!(parse("export - --format ron"), Ok(Command::Export(ExportOptions { format: Format::Ron, .. }))));
}

#[test]
fn rejects_wrong_command_lines() {
    for bad in [
        "export",
        "export a.txt",
        "export a.txt --format xml",
        "export a.txt b.txt --format json",
        "export a.txt --format",
        "export a.txt -o",
        "export a.txt --format json --format csv",
        "export a.txt --frmat json",
        "export a.txt -o out.dat",
        "check",
        "check a.txt -o x.json",
        "compare a.txt",
        "frobnicate",
    ] {
        let e = parse(bad).expect_err(bad);
        assert!(!e.message.is_empty() && e.usage.starts_with("nianbao"), "{bad}: {e:?}");
    }
    let e = parse("export a.txt --format xml").unwrap_err();
    assert!(e.message.contains("xml") && e.usage == USAGE_EXPORT);
}

#[test]
fn parses_a_folder_export() {
    match parse("export reports --format csv -o out --combined all.csv") {
        Ok(Command::ExportBatch(o)) => {
            assert_eq!(o.format, Format::Csv);
            assert_eq!(o.out_dir, PathBuf::from("out"));
            assert_eq!(o.combined, Some(PathBuf::from("all.csv")));
        }
        other => panic!("{other:?}"),
    }
    assert!(parse("export a.txt b.txt -o out").is_err(), "a batch needs --format");
    assert!(parse("export a.txt b.txt --format json").is_err(), "a batch needs -o");
}

#[test]
fn parses_check_compare_help_and_version() {
    assert_eq!(
        parse("check a.txt --strict b.ron"),
        Ok(Command::Check(CheckOptions {
            inputs: vec!["a.txt".into(), "b.ron".into()],
            strict: true,
            suggest: false,
            summary: None,
            findings: None,
        }))
    );
    assert!(matches!(
        parse("compare a.txt b.txt --format json -o c.json"),
        Ok(Command::Compare(CompareOptions { format: Some(Format::Json), .. }))
    ));
    for h in ["", "--help", "-h", "help", "export --help", "check a.txt -h"] {
        assert_eq!(parse(h), Ok(Command::Help), "{h}");
    }
    assert_eq!(parse("--version"), Ok(Command::Version));
    assert!(help().contains("退出码") && help().contains("export") && help().contains("check"));
}

#[test]
fn knows_which_arguments_are_commands() {
    for yes in ["export", "check", "compare", "help", "--help", "-h", "--version", "--bogus"] {
        assert!(is_command(OsStr::new(yes)), "{yes}");
    }
    for no in ["report.txt", "/tmp/a.ron", "exports"] {
        assert!(!is_command(OsStr::new(no)), "{no}");
    }
}

#[test]
fn exit_codes_follow_the_schema() {
    let ok = check_result("applications.row_sum", Severity::Error, true, vec![]);
    let err = check_result("applications.row_sum", Severity::Error, false, vec![]);
    let warn = check_result("template.year", Severity::Warning, false, vec![]);
    assert_eq!(Outcome::of(&[], false), Outcome::Passed);
    assert_eq!(Outcome::of(&[ok.clone(), warn.clone()], false), Outcome::Passed);
    assert_eq!(Outcome::of(&[ok.clone(), warn.clone()], true), Outcome::Failed);
    assert_eq!(Outcome::of(&[ok, err], false), Outcome::Failed);
    assert_eq!(Outcome::worst([Outcome::Passed, Outcome::Failed]).code(), 1);
    assert_eq!(Outcome::worst([Outcome::Unreadable, Outcome::Failed, Outcome::Passed]).code(), 2);
    assert_eq!(Outcome::worst([Outcome::Passed, Outcome::Passed]).code(), 0);
    assert_eq!(Outcome::worst([]).code(), 0);
}

#[test]
fn summary_names_the_failed_checks() {
    let r = report(Template::T2019, "");
    let cells: Vec<usize> = ["natural_person", "commercial", "research", "total"]
        .iter()
        .map(|c| idx(&r, Table::Applications, "total", c))
        .collect();
    let checks = vec![
        check_result("template.year", Severity::Warning, false, vec![]),
        check_result("applications.row_sum", Severity::Error, false, cells),
        check_result("review.row_sum", Severity::Error, true, vec![]),
    ];
    let s = summary("yuan-2020.txt", &r, &checks, false);
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines[0], "yuan-2020.txt  某某区人民政府  2020年  模板2019  编码UTF-8  错误1 警告1  未通过");
    assert_eq!(
        lines[1],
        "  [错误] applications.row_sum （七）总计: 总计 24 ≠ 各类申请人之和 25  (applications/total/natural_person, applications/total/commercial, applications/total/research, …)"
    );
    assert!(lines[2].starts_with("  [警告] template.year "));
    assert_eq!(lines.len(), 3);
    let clean = summary("a.txt", &r, &checks[2..], false);
    assert_eq!(clean, "a.txt  某某区人民政府  2020年  模板2019  编码UTF-8  错误0 警告0  通过\n");
    assert!(summary("a.txt", &r, &checks[..1], false).lines().next().unwrap().ends_with("警告1  通过"));
    assert!(summary("a.txt", &r, &checks[..1], true).lines().next().unwrap().ends_with("警告1  未通过"));
}

#[test]
fn unreadable_inputs_exit_2_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.txt");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let a = vec![OsString::from("export"), missing.clone().into(), "--format".into(), "json".into()];
    assert_eq!(run_with(&a, &mut out, &mut err), 2);
    let e = String::from_utf8(err).unwrap();
    assert!(e.starts_with(&format!("nianbao: {}: ", missing.display())) && e.lines().count() == 1, "{e}");
    assert!(out.is_empty());

    let (mut out, mut err) = (Vec::new(), Vec::new());
    let a = vec![OsString::from("check"), missing.clone().into(), dir.path().join("also-missing.txt").into()];
    assert_eq!(run_with(&a, &mut out, &mut err), 2);
    let o = String::from_utf8(out).unwrap();
    assert!(
        o.contains("nope.txt  无法读取") && o.contains("also-missing.txt  无法读取") && o.contains("无法读取 2"),
        "{o}"
    );
}

#[test]
fn usage_errors_exit_2_with_a_usage_line() {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(run_with(&args("export a.txt --format xml"), &mut out, &mut err), 2);
    let e = String::from_utf8(err).unwrap();
    assert!(e.contains("不支持的格式：xml") && e.contains(&format!("用法：{USAGE_EXPORT}")), "{e}");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(run_with(&args("--help"), &mut out, &mut err), 0);
    assert!(String::from_utf8(out).unwrap().contains("退出码"));
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn exports_a_fixture_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let out_path = dir.path().join(format!("out.{}", format.key()));
        let a = vec![OsString::from("export"), fixture("yuan-2020.txt").into(), "-o".into(), out_path.clone().into()];
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run_with(&a, &mut out, &mut err);
        assert_eq!(code, 0, "{format:?}: {}", String::from_utf8_lossy(&err));
        assert!(out.is_empty());
        let text = std::fs::read_to_string(&out_path).unwrap();
        match format {
            Format::Json => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["cells"].as_array().unwrap().len(), Template::T2019.layout().cells.len());
                assert!(v["checks"].as_array().unwrap().iter().all(|c| c["scope"].is_object()));
            }
            Format::Csv => {
                assert!(text.starts_with("\u{feff}file,organ,year,template,table,row,col,label,value,status\r\n"))
            }
            Format::Ron => {
                assert_eq!(crate::document::load_bytes(text.as_bytes(), "out.ron").unwrap().cells.len(), 198)
            }
            Format::Txt => assert!(text.contains("\n三、本年度办理结果（七）总计\t")),
            Format::Xlsx => unreachable!("not in Format::ALL"),
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 4, "no temporary files left: {leftovers:?}");
}

#[test]
fn check_prints_one_summary_line_per_report() {
    let a = vec![OsString::from("check"), fixture("yuan-2020.txt").into(), fixture("lieshan-2021.txt").into()];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_with(&a, &mut out, &mut err);
    let o = String::from_utf8(out).unwrap();
    assert_eq!(code, 0, "{o}");
    assert!(o.contains("yuan-2020.txt  ") && o.contains("2020年  模板2019  编码UTF-8  错误0 警告0  通过"), "{o}");
    assert!(o.ends_with("共 2 个文件：通过 2，未通过 0，无法读取 0\n"), "{o}");
}

#[test]
fn help_checks_lists_every_rule() {
    let mut out = Vec::new();
    let mut err = Vec::new();
    assert_eq!(run_with(&args("help checks"), &mut out, &mut err), EXIT_OK);
    let out = String::from_utf8(out).unwrap();
    for r in nianbao_core::checks::Rule::ALL {
        assert!(out.lines().any(|l| l.contains(r.id()) && l.contains(r.description())), "{}: {out}", r.id());
    }
    assert!(out.contains("applications.row_sum") && out.contains("错误") && out.contains("years.carry"));
}

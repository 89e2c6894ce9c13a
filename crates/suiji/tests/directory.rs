//! `suiji import`, `export`, `template` and `calendar` end to end: the binary, real files made
//! by other programs (tests/data/import, see tools/testdata/make_import_files.py), and a real
//! store — a SQLite file, and PostgreSQL when SUIJI_TEST_PG names a server.

use std::path::Path;
use std::process::{Command, Output};
use suiji_store::testing::databases;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import");

fn data(name: &str) -> String {
    format!("{DATA}/{name}")
}

fn suiji(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_suiji"))
        .args(args)
        .env("SUIJI_DB", db)
        .env("SUIJI_ACTOR", "测试员")
        .env_remove("SUIJI_INDUSTRIES")
        .env_remove("SUIJI_REGIONS")
        .output()
        .expect("suiji runs")
}

fn ok(db: &str, args: &[&str]) -> String {
    let o = suiji(db, args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// The summary line's counts: rows, added, changed, unchanged, retired.
fn counts(summary: &str) -> Vec<u64> {
    let tail = summary.split(": ").last().unwrap();
    tail.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .take(5)
        .collect()
}

fn read(path: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn gb18030_csv_and_an_openpyxl_workbook_import_and_export_round_trips() {
    for db in databases().await {
        let url = db.url.as_str();
        let s = ok(url, &["import", "targets", &data("targets-gb18030.csv")]);
        assert_eq!(counts(&s), [3, 3, 0, 0, 0], "{}: {s}", db.backend);
        let s = ok(url, &["import", "targets", &data("directory-openpyxl.xlsx")]);
        assert_eq!(counts(&s), [2, 2, 0, 0, 0], "{}: {s}", db.backend);
        // Inspectors belong to departments of the organisation: the import waits for them.
        let args = ["import", "inspectors", &data("directory-openpyxl.xlsx"), "--sheet", "执法人员"];
        let refused = suiji(url, &args);
        assert_eq!(refused.status.code(), Some(1), "{}", db.backend);
        let stderr = String::from_utf8(refused.stderr).unwrap();
        assert!(stderr.contains("单位") && stderr.contains("组织机构"), "{stderr}");
        ok(url, &["department", "add", "劳动保障监察大队", "--kind", "lead"]);
        let added = ok(url, &["department", "add", "社会保险科"]);
        assert!(added.contains("\tbusiness\tactive\t  社会保险科\t0\t0"), "{added}");
        let s = ok(url, &args);
        assert_eq!(counts(&s), [2, 2, 0, 0, 0], "{}: {s}", db.backend);
        let tree = ok(url, &["department", "list"]);
        assert!(tree.contains("\tlead\tactive\t  劳动保障监察大队\t0\t1"), "{tree}");
        // Training on an inspector's record.
        let course =
            ["training", "add", "豫人社0101", "--course", "劳动保障监察业务培训", "--date", "2026-05-20"];
        let bad = suiji(url, &[&course[..], &["--hours", "0"]].concat());
        assert_eq!(bad.status.code(), Some(2), "{}", db.backend);
        ok(url, &[&course[..], &["--hours", "16"]].concat());
        assert_eq!(ok(url, &["training", "list", "豫人社0101"]), "2026-05-20\t16\t劳动保障监察业务培训\t\n");

        // Padded, full-width and GB18030 cells come out clean; numbers and dates as written.
        let exported = ok(url, &["export", "targets"]);
        assert_eq!(exported.as_bytes(), read(data("export-targets.csv")), "{}", db.backend);
        let inspectors = ok(url, &["export", "inspectors"]);
        assert!(
            inspectors.contains("豫人社0101,王一,男,劳动保障监察大队,,2027-12-31,,,在岗\r\n"),
            "{inspectors}"
        );
        assert!(inspectors.contains("豫人社0102,李二,女,社会保险科,,2026-06-30,,,在岗\r\n"), "{inspectors}");

        // What export writes, import takes back unchanged, in both formats.
        let dir = tempfile::tempdir().unwrap();
        for format in ["csv", "xlsx"] {
            let file = dir.path().join(format!("targets.{format}"));
            let file = file.to_str().unwrap();
            ok(url, &["export", "targets", "--format", format, "--out", file]);
            let s = ok(url, &["import", "targets", file]);
            assert_eq!(counts(&s), [5, 0, 0, 5, 0], "{} {format}: {s}", db.backend);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_file_is_reported_row_by_row_and_nothing_is_written() {
    for db in databases().await {
        let url = db.url.as_str();
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.csv");
        let file = data("targets-bad.csv");
        let o = suiji(url, &["import", "targets", &file, "--report", report.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}", db.backend);
        assert_eq!(o.stdout, b"");
        let stderr = String::from_utf8(o.stderr).unwrap();
        let lines: Vec<&str> =
            stderr.lines().map(|l| l.strip_prefix(&format!("{file}: ")).unwrap_or(l)).collect();
        assert_eq!(
            lines,
            [
                "第4行 row 4: 统一社会信用代码 “91410307MA00000020” 校验位错误：第18位为“0”，按GB 32100-2015应为“G” (wrong check character: 0, GB 32100-2015 gives G)",
                "第5行 row 5: 统一社会信用代码 “91410307MA0000001D” 与第2行重复 (the same key as row 2)",
                "第6行 row 6: 规模 “巨型” 应为大型、中型、小型、微型之一 (must be one of large, medium, small, micro)",
                "第6行 row 6: 区划代码 “419999” 区划代码不在 GB/T 2260 代码表中 (the region code is not in the GB/T 2260 table)",
                "第7行 row 7: 统一社会信用代码 必填，不能为空 (required, must not be blank)",
                "第8行 row 8: 统一社会信用代码 “91150802MA0000004” 应为18位，实为17位 (must be 18 characters, found 17)",
                "6 处问题，未导入任何记录 (6 problem(s); nothing was imported)",
            ],
            "{}",
            db.backend
        );
        assert_eq!(read(&report), read(data("targets-bad.report.csv")), "{}", db.backend);
        // Row 2 was good, but nothing was written.
        let exported = ok(url, &["export", "targets"]);
        assert_eq!(exported.lines().count(), 1, "{}: {exported}", db.backend);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn retire_missing_and_history() {
    for db in databases().await {
        let url = db.url.as_str();
        ok(url, &["import", "targets", &data("targets-gb18030.csv")]);
        let dir = tempfile::tempdir().unwrap();
        let update = dir.path().join("update.csv");
        std::fs::write(&update, "uscc,credit_grade\n91410307MA0000001D,C\n").unwrap();
        let s = ok(url, &["import", "targets", update.to_str().unwrap(), "--retire-missing"]);
        assert_eq!(counts(&s), [1, 0, 1, 0, 2], "{}: {s}", db.backend);
        let exported = ok(url, &["export", "targets"]);
        assert!(
            exported
                .contains("91410307MA0000001D,洛阳市偃师区甲机械有限公司,,小型,C3411,410307,,,86,C,B,正常"),
            "{exported}"
        );
        assert_eq!(exported.matches(",退出,\r\n").count(), 2, "{exported}");
        let store = suiji_store::Store::open(url).await.unwrap();
        let history = suiji_store::directory::history(
            &store,
            suiji_domain::directory::ListKind::Targets,
            "91410307MA0000001D",
        )
        .await
        .unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(
            (
                history[0].field.as_str(),
                history[0].old_value.as_deref(),
                history[0].new_value.as_deref(),
                history[0].actor.as_str()
            ),
            ("credit_grade", Some("A"), Some("C"), "测试员")
        );
    }
}

#[test]
fn templates_carry_chinese_headers_and_a_notes_row_that_import_passes_over() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    for list in ["targets", "inspectors", "items"] {
        for format in ["csv", "xlsx"] {
            let file = dir.path().join(format!("{list}.{format}"));
            let file = file.to_str().unwrap();
            ok(&db, &["template", list, "--format", format, "--out", file]);
            let s = ok(&db, &["import", list, file]);
            assert_eq!(counts(&s), [0, 0, 0, 0, 0], "{list} {format}: {s}");
        }
    }
    let csv = ok(&db, &["template", "items", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}事项编码,事项名称,类别,抽查主体,抽查依据,抽查内容,检查方式,最低比例,状态,适用范围")
    );
    assert!(lines.next().unwrap().starts_with("说明：必填；唯一"), "{csv}");
}

#[test]
fn items_and_their_minimum_ratio() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let file = dir.path().join("items.csv");
    std::fs::write(
        &file,
        "事项编码,事项名称,类别,检查方式,最低比例\n\
         RS-001,农民工工资支付情况的抽查,重点,现场、书面,100%\n\
         RS-002,用人单位遵守劳动用工情况的抽查,一般,现场,\n\
         RS-003,社会保险登记情况的抽查,一般,书面,3%\n",
    )
    .unwrap();
    let o = suiji(&db, &["import", "items", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(stderr.contains("第4行 row 4: 最低比例 “3%” 一般事项的抽查比例不得低于5%"), "{stderr}");
    std::fs::write(
        &file,
        "事项编码,事项名称,类别,检查方式,最低比例\nRS-001,农民工工资支付情况的抽查,重点,现场、书面,100%\nRS-002,用人单位遵守劳动用工情况的抽查,一般,现场,\n",
    )
    .unwrap();
    ok(&db, &["import", "items", file.to_str().unwrap()]);
    let exported = ok(&db, &["export", "items"]);
    assert!(exported.contains("RS-001,农民工工资支付情况的抽查,重点,,,,现场、书面,100%,有效"), "{exported}");
    assert!(exported.contains("RS-002,用人单位遵守劳动用工情况的抽查,一般,,,,现场,5%,有效"), "{exported}");
}

#[test]
fn files_that_cannot_be_read_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let cases: [(&str, &[u8], &str); 4] = [
        ("a.txt", b"x", "只能导入 .csv 或 .xlsx 文件"),
        ("b.csv", b"\xff\xfe\x41\x00", "UTF-16"),
        ("c.csv", b"\x81\x20\xff\xff", "既不是 UTF-8 也不是 GB18030/GBK"),
        ("d.xlsx", b"PK not a zip", "不是有效的 .xlsx 文件"),
    ];
    for (name, bytes, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let o = suiji(&db, &["import", "targets", file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8(o.stderr).unwrap();
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
    let header_only = dir.path().join("h.csv");
    std::fs::write(&header_only, "名称,地址\n甲,乙\n").unwrap();
    let o = suiji(&db, &["import", "targets", header_only.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("第1行 row 1: 统一社会信用代码 缺少必需的列“统一社会信用代码”")
    );
    let o = suiji("postgres://nobody@127.0.0.1:1/none", &["export", "targets"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .contains("cannot open the database postgres://nobody@127.0.0.1:1/none")
    );
}

#[test]
fn workdays_on_chinas_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let answer = |args: &[&str]| {
        let o = suiji(&db, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        (String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap())
    };
    assert_eq!(
        answer(&["calendar", "is-workday", "2026-10-10"]),
        ("true\n".into(), String::new()),
        "调休 Saturday"
    );
    assert_eq!(answer(&["calendar", "is-workday", "2026-10-05"]).0, "false\n", "国庆节 Monday");
    assert_eq!(answer(&["calendar", "is-workday", "2026-11-23"]).0, "true\n");
    assert_eq!(answer(&["calendar", "add-workdays", "2026-09-25", "20"]).0, "2026-10-29\n");
    assert_eq!(
        answer(&["calendar", "add-workdays", "2026-02-13", "1"]).0,
        "2026-02-14\n",
        "a Saturday worked before 春节"
    );
    assert_eq!(answer(&["calendar", "add-workdays", "2026-11-23", "0"]).0, "2026-11-23\n");
    assert!(!dir.path().join("t.db").exists(), "asking does not create a database");

    // 2027 is not announced: Monday to Friday, with a warning.
    let (out, err) = answer(&["calendar", "is-workday", "2027-02-08"]);
    assert_eq!(out, "true\n");
    assert!(err.contains("按周一至周五计算"), "{err}");

    // An administrator imports the new year (an invented schedule, for the test).
    let file = dir.path().join("2027.csv");
    std::fs::write(&file, "date,kind,name\n2027-02-08,off,春节\n2027-02-06,work,春节\n").unwrap();
    let s = ok(&db, &["calendar", "import", file.to_str().unwrap()]);
    assert!(s.contains("2 天 days imported for 2027"), "{s}");
    assert_eq!(answer(&["calendar", "is-workday", "2027-02-08"]), ("false\n".into(), String::new()));
    assert_eq!(answer(&["calendar", "is-workday", "2027-02-06"]).0, "true\n");

    let o = suiji(&db, &["calendar", "add-workdays", "2026-13-01", "3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8(o.stderr).unwrap().contains("YYYY-MM-DD"));
}

/// Issue 13, item 12: two `suiji import` processes adding the same new records at the same
/// moment. Before, both checked against an empty list and the second to write failed on the
/// unique key (a 500 on the web); now the second checks again under the lock and finds the
/// records the first added: both succeed, each record once, the kept counts exact.
#[tokio::test(flavor = "multi_thread")]
async fn two_processes_importing_the_same_new_records_at_once() {
    const N: u32 = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("same.csv");
    let mut text = String::from("统一社会信用代码,名称\n");
    for serial in 0..N {
        let body = format!("91410307MA{serial:07}");
        let check = suiji_domain::uscc::check_character(&body).unwrap();
        text.push_str(&format!("{body}{check},洛阳测试{serial}公司\n"));
    }
    std::fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap().to_owned();
    for db in databases().await {
        let url = db.url.clone();
        // The database made first, so that both processes race on the import only.
        ok(&url, &["calendar", "is-workday", "2026-10-10"]);
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_suiji"))
                .args(["import", "targets", &file])
                .env("SUIJI_DB", &url)
                .env("SUIJI_ACTOR", "测试员")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let mut summaries = Vec::new();
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{}: {stderr}", db.backend);
            summaries.push(counts(&String::from_utf8(out.stdout).unwrap()));
        }
        summaries.sort();
        let n = u64::from(N);
        assert_eq!(summaries, [vec![n, 0, 0, n, 0], vec![n, n, 0, 0, 0]], "{}", db.backend);
        let store = db.open().await;
        let kept =
            suiji_store::directory::count(&store, suiji_domain::directory::ListKind::Targets).await.unwrap();
        assert_eq!(kept, n, "{}: the kept count", db.backend);
        let exported = ok(&url, &["export", "targets"]);
        assert_eq!(exported.lines().count() as u64, n + 1, "{}", db.backend);
    }
}

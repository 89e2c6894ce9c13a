//! The reports on the statistics' worked example (`suiji_store::testing::worked`, figures
//! worked out by hand in crates/store/tests/stats.rs), on SQLite and PostgreSQL: each table
//! says what the example must give, the same report made twice is the same, the audit head is
//! stated, and the `.docx` and `.xlsx` hold the figures. With `SUIJI_LIBREOFFICE` (CI sets it)
//! the `.docx` is converted to PDF by LibreOffice and its text read back.

use chrono::NaiveDate;
use std::io::Read;
use suiji_report::{Block, Report, Table};
use suiji_store::testing::databases;

fn made_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
}

/// The table captioned `caption`, its rows as written on paper.
fn table(r: &Report, caption: &str) -> Vec<Vec<String>> {
    let t: &Table = r
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .find_map(|b| match b {
            Block::Table(t) if t.caption == caption => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no table {caption}"));
    t.rows.iter().map(|r| r.iter().map(|c| c.written()).collect()).collect()
}

/// The row of `caption` whose first cell is `first`.
fn row(r: &Report, caption: &str, first: &str) -> Vec<String> {
    table(r, caption)
        .into_iter()
        .find(|r| r[0] == first)
        .unwrap_or_else(|| panic!("no row {first} in {caption}"))
}

fn text(r: &Report) -> String {
    r.sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of a part of a zipped Office file (`word/document.xml`, a sheet).
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an Office file is a zip");
    let mut out = String::new();
    zip.by_name(name).unwrap_or_else(|_| panic!("no {name}")).read_to_string(&mut out).unwrap();
    out
}

#[tokio::test]
async fn the_reports_say_what_the_worked_example_gives() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        let w = suiji_store::testing::worked(&store).await;
        let r = suiji_report::task_report(&store, &w.task.code, made_on()).await.unwrap();

        // Five completed: two without a problem, two pending handling, one corrected.
        assert_eq!(row(&r, "检查结论", "未发现问题"), ["未发现问题", "2", "2 / 5（40%）"], "{who}");
        assert_eq!(row(&r, "检查结论", "发现问题待后续处理")[1], "2", "{who}");
        assert_eq!(row(&r, "检查结论", "发现问题已责令改正")[1], "1", "{who}");
        // RS-001 not complied with in the three with a problem; RS-010 unchecked once.
        assert_eq!(
            table(&r, "各检查事项发现问题情况"),
            [
                vec!["RS-001 农民工工资支付情况检查".to_owned(), "3 / 5（60%）".to_owned()],
                vec!["RS-010 劳动用工备案情况检查".to_owned(), "0 / 4（0%）".to_owned()],
            ],
            "{who}"
        );
        // Six teams; one rectification ordered, open; one referral.
        assert_eq!(table(&r, "检查组及检查状态").len(), 6, "{who}");
        assert_eq!(row(&r, "处理情况", "责令整改")[1], "1", "{who}");
        assert_eq!(row(&r, "处理情况", "整改中")[1], "1", "{who}");
        assert_eq!(row(&r, "处理情况", "移送有关部门")[1], "1", "{who}");
        assert_eq!(table(&r, "整改情况").len(), 1, "{who}");
        let said = text(&r);
        assert!(
            said.contains("应检查 6 户，已办结 5 户（其中未能检查 0 户），发现问题 3 户，问题发现率 60%"),
            "{who}: {said}"
        );
        assert!(
            said.contains("定向抽取的检查发现问题 2 / 3（66.67%），对照样本 1 / 2（50%）"),
            "{who}: {said}"
        );

        // The basis is the audit log's head; made again under it, the same report.
        let (seq, hash) = suiji_store::audit::head(&store).await.unwrap();
        assert_eq!((r.basis.seq, &r.basis.hash), (seq, &hash), "{who}");
        assert_eq!(suiji_report::task_report(&store, &w.task.code, made_on()).await.unwrap(), r, "{who}");

        // The .docx holds the figures; the .xlsx a sheet per table with the numbers as numbers.
        let docx = suiji_report::docx::write(&r).unwrap();
        let xml = part(&docx, "word/document.xml");
        for said in ["任务总结报告", "3 / 5（60%）", &w.task.code, "■■■■■■□□□□", "请填写"]
        {
            assert!(xml.contains(said), "{who}: the .docx lacks {said}");
        }
        let xlsx = suiji_report::xlsx::write(&r).unwrap();
        let book = part(&xlsx, "xl/workbook.xml");
        assert!(book.contains("说明") && book.contains("各检查事项发现问题情况"), "{who}: {book}");

        // The year: this one against the last (nothing then).
        let a = suiji_report::annual_report(&store, 2026, made_on()).await.unwrap();
        assert_eq!(
            row(&a, "主要指标与上年对比", "办结检查（户次）"),
            ["办结检查（户次）", "0", "5", "+5"],
            "{who}"
        );
        assert_eq!(row(&a, "主要指标与上年对比", "问题发现率"), ["问题发现率", "—", "60%", "—"], "{who}");
        assert_eq!(row(&a, "主要指标与上年对比", "抽查覆盖率")[2], "15%", "{who}");
        assert_eq!(
            row(&a, "各部门抽查情况", "劳动保障监察科"),
            ["劳动保障监察科", "1", "6", "5", "3 / 5（60%）", "0%"],
            "{who}"
        );
        assert!(text(&a).contains("共开展“双随机、一公开”抽查任务 1 项，抽取检查对象 6 户"), "{who}");
        assert_eq!(suiji_report::annual_report(&store, 2026, made_on()).await.unwrap(), a, "{who}");
        let none = suiji_report::annual_report(&store, 2025, made_on()).await.unwrap();
        assert_eq!(row(&none, "主要指标与上年对比", "办结检查（户次）")[2], "0", "{who}");
        assert!(suiji_report::annual_report(&store, 1999, made_on()).await.is_err());
        assert!(suiji_report::task_report(&store, "T-2026-999", made_on()).await.is_err());

        if db.backend == "sqlite" {
            libreoffice_reads(&docx, &["任务总结报告", "3 / 5（60%）", "农民工工资支付情况检查"]);
            libreoffice_reads(
                &suiji_report::docx::write(&a).unwrap(),
                &["工作总结", "主要指标与上年对比", "+5"],
            );
        }
    }
}

/// LibreOffice opens the `.docx` and prints it to PDF with the text `expected` in it.
fn libreoffice_reads(docx: &[u8], expected: &[&str]) {
    let Some(soffice) = std::env::var_os("SUIJI_LIBREOFFICE") else {
        eprintln!("SUIJI_LIBREOFFICE is not set: the .docx is not opened in LibreOffice here (CI sets it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.docx");
    std::fs::write(&file, docx).unwrap();
    // Its own profile, so parallel tests and a desktop session do not share one.
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.path().display());
    let out = std::process::Command::new(&soffice)
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&file)
        .output()
        .expect("LibreOffice runs");
    let pdf = dir.path().join("report.pdf");
    assert!(pdf.is_file(), "LibreOffice made no PDF: {}", String::from_utf8_lossy(&out.stderr));
    let text = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext runs");
    let text = String::from_utf8_lossy(&text.stdout);
    // pdftotext may break a line inside a phrase; compare without white space.
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for said in expected {
        let said: String = said.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(flat.contains(&said), "the PDF LibreOffice made lacks {said}: {text}");
    }
}

//! The demo bureau (`suiji serve --demo`) holds two years: last year's tasks dated in last
//! year, with results, rectifications followed up and the audit log intact; this year's work
//! beside them — so the 统计 page, the portal's 抽查情况, the task report and the annual
//! summary all have figures to show and a year to compare with.

use chrono::Datelike;
use suiji_domain::stats::Period;
use suiji_store::testing::databases;

#[tokio::test]
async fn the_demo_holds_two_years() {
    // SQLite only: the demo is what `serve --demo` loads into a new SQLite file.
    let db = databases().await.into_iter().next().expect("SQLite");
    let store = db.open().await;
    suiji::demo::load(&store).await.expect("the demo loads");
    let year = suiji_store::workflow::china_today().year();
    let last = suiji_store::stats::stats(&store, &Period::year(year - 1).unwrap(), None).await.unwrap();
    // Two tasks of 10% of the district's 1800 firms each, every result published.
    assert_eq!((last.tasks, last.findings.found.whole), (2, 360));
    assert!(last.findings.found.part > 30 && last.handling.rectified > 10, "{:?}", last.handling);
    assert!(last.timeliness.results_on_time.part < last.timeliness.results_on_time.whole, "a few late");
    let this = suiji_store::stats::stats(&store, &Period::year(year).unwrap(), None).await.unwrap();
    assert!(this.tasks >= 3 && this.findings.found.whole > 0);
    // Last year's work is dated in last year, in the audit log too, and the log is intact.
    let tasks = suiji_store::workflow::tasks(&store, false, None).await.unwrap();
    assert!(tasks.iter().any(|t| t.year == year - 1 && t.code.starts_with(&format!("T-{}-", year - 1))));
    assert!(suiji_store::audit::verify(&store).await.unwrap().is_ok());
    let summary =
        suiji_report::annual_report(&store, year, suiji_store::workflow::china_today()).await.unwrap();
    assert_eq!(summary.title, format!("{year}年度“双随机、一公开”工作总结"));
}

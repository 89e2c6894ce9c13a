//! Databases for tests: every store test runs on SQLite and, when `SUIJI_TEST_PG` names a
//! PostgreSQL server, on PostgreSQL too — each test in a database of its own, dropped after.

use crate::{Store, redact};
use sea_orm::{ConnectionTrait, Database};
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming the PostgreSQL server for tests, e.g. `postgres://postgres@127.0.0.1/test`.
pub const PG_VAR: &str = "SUIJI_TEST_PG";

/// A database made for one test.
pub struct TestDb {
    /// `sqlite` or `postgres`, for assertion messages.
    pub backend: &'static str,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// The server URL and the database to drop.
    drop: Option<(String, String)>,
}

impl TestDb {
    pub async fn open(&self) -> Store {
        Store::open(&self.url).await.unwrap_or_else(|e| panic!("{}: {e}", self.backend))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.drop.take() else { return };
        // Dropping runs outside any async context the test may still be in.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            rt.block_on(async {
                let db = Database::connect(&server).await?;
                db.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .map(|_| ())
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("could not drop a test database: {e}");
        }
    }
}

/// A fresh SQLite file, and a fresh PostgreSQL database when `SUIJI_TEST_PG` is set. An
/// unreachable server fails the test: a run that asks for PostgreSQL must get it.
pub async fn databases() -> Vec<TestDb> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("suiji.db").display());
    let mut out = vec![TestDb { backend: "sqlite", url, _dir: Some(dir), drop: None }];
    match std::env::var(PG_VAR) {
        Ok(server) if !server.is_empty() => out.push(postgres(&server).await),
        _ => {
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                eprintln!("PostgreSQL skipped: set {PG_VAR}=postgres://… to run the store tests on it too")
            });
        }
    }
    out
}

async fn postgres(server: &str) -> TestDb {
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "suiji_test_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        crate::clock::now().timestamp_micros() % 1_000_000
    );
    let admin = Database::connect(server)
        .await
        .unwrap_or_else(|e| panic!("{PG_VAR}={}: cannot connect: {e}", redact(server)));
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap_or_else(|e| panic!("cannot create a test database on {}: {e}", redact(server)));
    let url = with_database(server, &name);
    TestDb { backend: "postgres", url, _dir: None, drop: Some((server.to_owned(), name)) }
}

/// A small county for workflow tests: two items (a key one, RS-001, and a general one,
/// RS-010), forty targets in Luoyang's 410307 (credit grades A, B, C, none in turn), eight
/// inspectors — six of 劳动保障监察科 (one with an expired certificate, one departed) and two
/// of 社会保险科 — and two recusals.
pub struct County {
    pub targets: Vec<String>,
    /// The active inspectors with valid certificates, by department.
    pub monitors: Vec<String>,
    pub insurers: Vec<String>,
    pub expired: String,
    pub departed: String,
    /// (cert_no, uscc) pairs.
    pub recusals: Vec<(String, String)>,
}

/// A valid USCC made from a serial number.
pub fn uscc(serial: u32) -> String {
    let body = format!("91410307MA{serial:07}");
    format!("{body}{}", suiji_domain::uscc::check_character(&body).expect("a valid body"))
}

/// Adds departments under the bureau, as its administrator would before importing anything
/// that names them: (name, kind).
pub async fn departments(store: &Store, departments: &[(&str, suiji_domain::org::DepartmentKind)]) {
    for (name, kind) in departments {
        let spec = suiji_domain::org::DepartmentSpec {
            name: (*name).into(),
            kind: *kind,
            parent_id: None,
            active: true,
        };
        crate::org::add(store, &spec, &crate::audit::Actor::system("tester")).await.expect("a department");
    }
}

/// Loads [`County`] into `store` through the directories' own import, after its two
/// departments: 劳动保障监察科 (the 牵头科室) and 社会保险科 (a 业务科室).
pub async fn county(store: &Store) -> County {
    use crate::directory::{self, ImportOptions};
    use suiji_domain::codes::Codes;
    use suiji_domain::directory::{Inspector, Item, ListKind, RawRow, Recusal, Sheet, Target};

    fn sheet(list: ListKind, rows: Vec<Vec<String>>) -> Sheet {
        let rows = rows.into_iter().enumerate().map(|(i, r)| RawRow::new(i as u64 + 1, r));
        Sheet::new(list, rows).expect("a good header")
    }
    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }
    let options = ImportOptions {
        actor: crate::audit::Actor::system("tester"),
        file_name: "county.csv".into(),
        file_sha256: "0".repeat(64),
        retire_missing: false,
        own: None,
    };
    let codes = Codes::builtin();
    use suiji_domain::org::DepartmentKind::{Business, Lead};
    departments(store, &[("劳动保障监察科", Lead), ("社会保险科", Business)]).await;
    let items = sheet(
        ListKind::Items,
        vec![
            row(&["事项编码", "事项名称", "类别", "检查方式"]),
            row(&["RS-001", "农民工工资支付情况检查", "重点", "现场"]),
            row(&["RS-010", "劳动用工备案情况检查", "一般", "书面"]),
        ],
    );
    directory::import::<Item>(store, &items, codes, &options, &|_, _, _| {}).await.expect("items");
    let targets: Vec<String> = (1..=40).map(uscc).collect();
    let mut rows = vec![row(&["统一社会信用代码", "名称", "区划代码", "诚信等级", "规模"])];
    for (i, t) in targets.iter().enumerate() {
        let grade = ["A", "B", "C", ""][i % 4];
        let scale = ["小型", "微型"][i % 2];
        rows.push(row(&[t, &format!("洛阳测试{:02}有限公司", i + 1), "410307", grade, scale]));
    }
    directory::import::<Target>(store, &sheet(ListKind::Targets, rows), codes, &options, &|_, _, _| {})
        .await
        .expect("targets");
    let monitors: Vec<String> = (1..=4).map(|n| format!("JC-L-{n:03}")).collect();
    let insurers: Vec<String> = (1..=2).map(|n| format!("JC-S-{n:03}")).collect();
    let mut rows = vec![row(&["执法证号", "姓名", "单位", "证件有效期至", "状态"])];
    for (i, c) in monitors.iter().enumerate() {
        rows.push(row(&[c, &format!("监察员{}", i + 1), "劳动保障监察科", "2030-12-31", "在岗"]));
    }
    for (i, c) in insurers.iter().enumerate() {
        rows.push(row(&[c, &format!("社保员{}", i + 1), "社会保险科", "2030-12-31", "在岗"]));
    }
    rows.push(row(&["JC-L-900", "过期员", "劳动保障监察科", "2020-01-01", "在岗"]));
    rows.push(row(&["JC-L-901", "调离员", "劳动保障监察科", "2030-12-31", "调离"]));
    directory::import::<Inspector>(store, &sheet(ListKind::Inspectors, rows), codes, &options, &|_, _, _| {})
        .await
        .expect("inspectors");
    let recusals = vec![(monitors[0].clone(), targets[0].clone()), (monitors[1].clone(), targets[0].clone())];
    let mut rows = vec![row(&["执法证号", "统一社会信用代码", "原因"])];
    for (c, t) in &recusals {
        rows.push(row(&[c, t, "亲属关系"]));
    }
    directory::import::<Recusal>(store, &sheet(ListKind::Recusals, rows), codes, &options, &|_, _, _| {})
        .await
        .expect("recusals");
    County { targets, monitors, insurers, expired: "JC-L-900".into(), departed: "JC-L-901".into(), recusals }
}

/// A random task on item RS-001 for `department`'s inspectors, teams of two, in June 2026,
/// drawing `size` with a reserve of one: what workflow tests start from and adjust.
pub fn task(
    department: &str,
    size: suiji_domain::workflow::SizeSpec,
) -> suiji_domain::workflow::TaskDefinition {
    use suiji_domain::workflow::{CreditWeights, Eligibility, TaskDefinition, TaskKind, TeamSpec};
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 6, d).expect("a June date");
    TaskDefinition {
        title: "农民工工资支付情况专项抽查".into(),
        kind: TaskKind::Random,
        trigger: String::new(),
        trigger_kind: None,
        leads: Vec::new(),
        exemption: None,
        items: vec!["RS-001".into()],
        departments: vec![department.into()],
        eligibility: Eligibility::default(),
        size,
        stratify_by: None,
        weights: CreditWeights::default(),
        risk_weights: None,
        yearly_cap: 2,
        window_start: day(1),
        window_end: day(30),
        method: "on-site".into(),
        team: TeamSpec::Size(2),
        max_load: None,
        reserve: 1,
        control: 0,
    }
}

/// The server URL with another database name.
fn with_database(server: &str, name: &str) -> String {
    let (base, query) = server.split_once('?').map_or((server, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// A line of a 2026 plan: `item`, `count` targets, March to November.
pub fn plan_line(item: &str, count: u32) -> suiji_domain::workflow::PlanLine {
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).expect("a 2026 date");
    suiji_domain::workflow::PlanLine {
        item: item.into(),
        expected_count: Some(count),
        expected_ratio_bp: None,
        window_start: day(3, 1),
        window_end: day(11, 30),
        joint_departments: Vec::new(),
        note: String::new(),
        industries: Vec::new(),
    }
}

/// `department`'s 2026 plan with one line (RS-001, three targets), submitted, approved and
/// published: what tasks carry out in workflow tests.
pub async fn published_plan(store: &Store, department: &str) -> crate::workflow::PlanView {
    use crate::workflow::{self as wf, NewPlan};
    use suiji_domain::workflow::PlanStep;
    let actor = crate::audit::Actor::user("organizer", suiji_domain::access::Role::Organizer);
    let new = NewPlan {
        year: 2026,
        department: department.into(),
        title: "2026年度双随机抽查计划".into(),
        description: String::new(),
        lines: vec![plan_line("RS-001", 3)],
    };
    let p = wf::save_plan(store, None, &new, &actor, None).await.expect("a plan");
    for step in [PlanStep::Submit, PlanStep::Approve, PlanStep::Publish] {
        wf::plan_step(store, p.id, step, "", &actor, None).await.expect("a plan's step");
    }
    wf::plan(store, p.id).await.expect("the plan")
}

/// The statistics' worked example: one task of the county's forty firms on RS-001 and RS-010,
/// four drawn by credit grade with a reserve of two and a control sample of two, six teams;
/// five results published (teams 1–4 are the draw's, 5–6 the control sample's; team 4 enters
/// nothing): no problem; pending handling and referred; pending handling; —; corrected with a
/// rectification due in ten days; no problem. RS-001 is found not complied with wherever a
/// problem was found; RS-010 complied with, and left unchecked on the corrected one's visit.
/// Every figure it gives is worked out by hand in `crates/store/tests/stats.rs`.
pub struct Worked {
    pub county: County,
    pub task: crate::workflow::TaskView,
    pub draw: crate::workflow::DrawView,
    pub assignment: crate::workflow::AssignmentView,
    /// The form entered for each team (none for team 4).
    pub results: Vec<Option<suiji_domain::workflow::InspectionForm>>,
}

/// A day of June 2026 (or any month of it).
fn day_2026(m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, m, d).expect("a day of 2026")
}

/// A result on RS-001 and RS-010 with `conclusion` (see [Worked]).
pub fn worked_result(
    conclusion: suiji_domain::workflow::Conclusion,
    handling: suiji_domain::workflow::Handling,
) -> suiji_domain::workflow::InspectionForm {
    use suiji_domain::workflow::{Conclusion, InspectionForm, ItemResult, ItemVerdict};
    let problem = suiji_domain::stats::found_problem(conclusion);
    let item = |item: &str, verdict| ItemResult {
        item: item.into(),
        verdict,
        basis: "《劳动保障监察条例》".into(),
        note: String::new(),
    };
    InspectionForm {
        started_on: day_2026(6, 3),
        ended_on: day_2026(6, 3),
        items: vec![
            item("RS-001", if problem { ItemVerdict::NonCompliant } else { ItemVerdict::Compliant }),
            item(
                "RS-010",
                if conclusion == Conclusion::Corrected {
                    ItemVerdict::NotChecked
                } else {
                    ItemVerdict::Compliant
                },
            ),
        ],
        findings: if problem { "拖欠2名劳动者5月工资。".into() } else { String::new() },
        conclusion,
        non_cooperation: None,
        handling,
        signed: true,
        unsigned_reason: String::new(),
        summary: "检查小结。".into(),
        public_note: String::new(),
        extension_reason: String::new(),
        follow_up: None,
    }
}

/// Makes [Worked] in `store`.
pub async fn worked(store: &Store) -> Worked {
    use crate::audit::Actor;
    use crate::workflow::{self as wf, Contribution, SeedInput};
    use suiji_domain::workflow::{Conclusion, Handling, SizeSpec, TaskDefinition};
    let organizer = Actor { name: "organizer".into(), role: "organizer".into() };
    let c = county(store).await;
    let def = TaskDefinition {
        items: vec!["RS-001".into(), "RS-010".into()],
        reserve: 2,
        control: 2,
        ..task("劳动保障监察科", SizeSpec::Count(4))
    };
    let t =
        wf::save_task(store, None, &wf::Filing::default(), &def, &organizer, None).await.expect("the task");
    wf::publish_task(store, t.id, &organizer).await.expect("published");
    let witnesses = vec![Contribution { name: "见证人".into(), digits: "31415926535897932384".into() }];
    let d = wf::draw_task(store, t.id, SeedInput::Witnesses(witnesses), &organizer).await.expect("drawn");
    let a = wf::assign_random(store, t.id, &organizer).await.expect("teams");
    let inspector = Actor { name: "inspector".into(), role: "inspector".into() };
    let today = wf::china_today();
    let referred = Handling { referred_to: "洛阳市公安局偃师分局".into(), ..Handling::default() };
    let rectify = Handling { rectify_by: Some(today + chrono::Duration::days(10)), ..Handling::default() };
    let results = vec![
        Some(worked_result(Conclusion::NoProblem, Handling::default())),
        Some(worked_result(Conclusion::PendingHandling, referred)),
        Some(worked_result(Conclusion::PendingHandling, Handling::default())),
        None,
        Some(worked_result(Conclusion::Corrected, rectify)),
        Some(worked_result(Conclusion::NoProblem, Handling::default())),
    ];
    for (team, form) in a.teams.iter().zip(&results) {
        let Some(form) = form else { continue };
        let member = team.members[0].0.clone();
        wf::save_form(store, team.inspection_id, form, Some(&member), &inspector).await.expect("entered");
        wf::publish_result(store, team.inspection_id, Some(&member), &inspector).await.expect("published");
    }
    Worked { county: c, task: t, draw: d, assignment: a, results }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_names_replace_the_path() {
        assert_eq!(super::with_database("postgres://u@h:5432/test", "x"), "postgres://u@h:5432/x");
        assert_eq!(super::with_database("postgres://h", "x"), "postgres://h/x");
        assert_eq!(
            super::with_database("postgres://h/t?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
    }
}

//! The inspection workflow end to end in the store, on SQLite and (with SUIJI_TEST_PG) on
//! PostgreSQL: plan → task → commitment → draw → replacement, annulment and redraw → teams →
//! inspection → return → publication → correction; and each rule's failure case.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use suiji_domain::workflow::{
    Conclusion, Eligibility, Handling, InspectionForm, ItemResult, ItemVerdict, LeadSource, SizeSpec,
    StratumField, TaskDefinition, TaskKind, TaskStatus, TeamSpec,
};
use suiji_draw::{Population, verify_draw};
use suiji_store::Store;
use suiji_store::audit::{self, Actor};
use suiji_store::testing::{County, county, databases};
use suiji_store::workflow::{self as wf, Contribution, DirectTeam, NewPlan, SeedInput, WorkflowError};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn organizer() -> Actor {
    Actor { name: "organizer".into(), role: "organizer".into() }
}

fn definition() -> TaskDefinition {
    TaskDefinition {
        title: "2026年农民工工资支付情况专项抽查".into(),
        items: vec!["RS-001".into(), "RS-010".into()],
        reserve: 2,
        ..suiji_store::testing::task("劳动保障监察科", SizeSpec::Count(4))
    }
}

fn witnesses() -> SeedInput {
    SeedInput::Witnesses(vec![
        Contribution { name: "张三（人大代表）".into(), digits: "3141592653".into() },
        Contribution { name: "李四（企业代表）".into(), digits: "2718281828 4".into() },
    ])
}

fn fields(e: WorkflowError) -> Vec<String> {
    match e {
        WorkflowError::Invalid(p) => p.into_iter().map(|p| p.field).collect(),
        other => panic!("expected invalid input, got {other}"),
    }
}

fn is_state(e: &WorkflowError) -> bool {
    matches!(e, WorkflowError::State { .. })
}

fn form(items: &[&str]) -> InspectionForm {
    InspectionForm {
        started_on: day(6, 3),
        ended_on: day(6, 3),
        items: items
            .iter()
            .map(|i| ItemResult {
                item: i.to_string(),
                verdict: ItemVerdict::Compliant,
                basis: "《劳动保障监察条例》".into(),
                note: String::new(),
            })
            .collect(),
        findings: String::new(),
        conclusion: Conclusion::NoProblem,
        non_cooperation: None,
        handling: Handling::default(),
        signed: true,
        unsigned_reason: String::new(),
        summary: "工资按月足额发放，用工备案齐全。".into(),
        public_note: String::new(),
        extension_reason: String::new(),
        follow_up: None,
    }
}

/// A result that found a violation (待后续处理), on which a penalty can rest.
fn violation(items: &[&str]) -> InspectionForm {
    let mut f = form(items);
    f.items[0].verdict = ItemVerdict::NonCompliant;
    f.findings = "拖欠农民工工资，经责令限期支付逾期未支付。".into();
    f.conclusion = Conclusion::PendingHandling;
    f.summary = "发现拖欠工资，移交立案查处。".into();
    f
}

/// A population file's rows: `(id, weight, stratum)`.
fn population_rows(csv: &str) -> Vec<(String, u64, String)> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_owned(), f[1].parse().unwrap(), f[2].to_owned())
        })
        .collect()
}

/// A population file read back as the population it commits to.
fn population_of(csv: &str) -> Population {
    let rows = population_rows(csv);
    Population::from_rows(rows.iter().map(|(i, w, s)| (i.as_str(), *w, s.as_str()))).unwrap()
}

async fn published_task(store: &Store, def: &TaskDefinition) -> wf::TaskView {
    let t = wf::save_task(store, None, &wf::Filing::default(), def, &organizer(), None).await.unwrap();
    wf::publish_task(store, t.id, &organizer()).await.unwrap()
}

#[tokio::test]
async fn the_whole_loop() {
    for db in databases().await {
        let store = db.open().await;
        let c: County = county(&store).await;
        let who = db.backend;

        // A plan, published: it can no longer be changed.
        let p = suiji_store::testing::published_plan(&store, "劳动保障监察科").await;
        let plan = NewPlan {
            year: 2026,
            department: "劳动保障监察科".into(),
            title: "2026年度双随机抽查计划".into(),
            description: String::new(),
            lines: vec![suiji_store::testing::plan_line("RS-001", 3)],
        };
        assert!(is_state(&wf::save_plan(&store, Some(p.id), &plan, &organizer(), None).await.unwrap_err()));
        assert_eq!(wf::plans(&store, true).await.unwrap().len(), 1);

        // A general item needs 5%: a ratio of 1% is refused, and nothing is saved.
        let mut bad = definition();
        bad.size = SizeSpec::RatioBp(100);
        let e =
            wf::save_task(&store, None, &wf::Filing::plan(p.id), &bad, &organizer(), None).await.unwrap_err();
        assert_eq!(fields(e), ["size"], "{who}");
        assert!(wf::tasks(&store, false, None).await.unwrap().is_empty());

        // A draft, its preview, an edit, publication.
        let mut def = definition();
        def.size = SizeSpec::Count(3);
        let t = wf::save_task(&store, None, &wf::Filing::plan(p.id), &def, &organizer(), None).await.unwrap();
        assert_eq!(t.code, "T-2026-001");
        let preview = wf::preview_task(&store, t.id).await.unwrap();
        assert_eq!((preview.eligible, preview.drawn), (40, 3));
        assert_eq!(preview.problems.len(), 0, "{:?}", preview.problems);
        let t = wf::save_task(&store, Some(t.id), &wf::Filing::plan(p.id), &definition(), &organizer(), None)
            .await
            .unwrap();
        let t = wf::publish_task(&store, t.id, &organizer()).await.unwrap();
        assert_eq!(t.status, TaskStatus::Published);
        assert_eq!(t.population_size, Some(40));
        assert!(is_state(
            &wf::save_task(&store, Some(t.id), &wf::Filing::default(), &definition(), &organizer(), None)
                .await
                .unwrap_err()
        ));
        assert!(is_state(&wf::publish_task(&store, t.id, &organizer()).await.unwrap_err()));

        // The population file is the commitment: its lines hash to the published SHA-256.
        let csv = wf::population_csv(&store, t.id).await.unwrap();
        assert!(csv.starts_with("id,weight,stratum\n"));
        let rows = population_rows(&csv);
        assert_eq!(rows.len(), 40);
        // Credit grade C weighs 4, A 1, none 2 (the default policy).
        let weight_of = |serial: usize| rows.iter().find(|r| r.0 == c.targets[serial]).unwrap().1;
        assert_eq!([weight_of(0), weight_of(1), weight_of(2), weight_of(3)], [1, 2, 4, 2]);
        let population =
            Population::from_rows(rows.iter().map(|(i, w, s)| (i.as_str(), *w, s.as_str()))).unwrap();
        assert_eq!(Some(population.sha256()), t.population_sha256.as_deref());

        // Witnesses' digits: letters and too few digits are refused.
        let letters =
            SeedInput::Witnesses(vec![Contribution { name: "张三".into(), digits: "12ab".into() }]);
        assert_eq!(
            fields(wf::draw_task(&store, t.id, letters, &organizer()).await.unwrap_err()),
            ["contributions"]
        );
        let short = SeedInput::Witnesses(vec![Contribution { name: "张三".into(), digits: "123".into() }]);
        assert_eq!(
            fields(wf::draw_task(&store, t.id, short, &organizer()).await.unwrap_err()),
            ["contributions"]
        );

        // The draw: the seed joins the digits in order and adds the task's code; anyone can
        // re-check it from the population file.
        let d = wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        assert_eq!(d.seed, "31415926532718281828 4/T-2026-001".replace(' ', ""), "{who}");
        assert_eq!(d.seed_source, "witnesses");
        assert_eq!((d.document.selected.len(), d.document.reserve.len()), (4, 2));
        verify_draw(&d.document, &population).unwrap();
        assert!(
            is_state(&wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap_err()),
            "drawn once"
        );

        // A gone target is replaced by the first reserve, recorded.
        let gone = d.document.selected[1].id.clone();
        assert_eq!(
            fields(wf::replace_gone(&store, d.id, &gone, " ", &organizer()).await.unwrap_err()),
            ["reason"]
        );
        let r = wf::replace_gone(&store, d.id, &gone, "已注销", &organizer()).await.unwrap();
        assert_eq!(r.replacement, d.document.reserve[0].id);
        let d = wf::draws_of(&store, t.id).await.unwrap().remove(0);
        let ids: Vec<&str> = d.targets.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), 4);
        assert!(!ids.contains(&gone.as_str()) && ids[3] == r.replacement);

        // Annulling needs a reason; the annulled draw stays beside the new one.
        assert_eq!(fields(wf::annul_draw(&store, d.id, "", &organizer()).await.unwrap_err()), ["reason"]);
        wf::annul_draw(&store, d.id, "见证人未到场", &organizer()).await.unwrap();
        assert_eq!(wf::task(&store, t.id).await.unwrap().status, TaskStatus::Published);
        let d2 = wf::draw_task(&store, t.id, SeedInput::System, &organizer()).await.unwrap();
        assert_eq!(d2.seed_source, "system");
        assert!(d2.seed.ends_with("/T-2026-001") && d2.seed.len() == 20 + "/T-2026-001".len());
        let draws = wf::draws_of(&store, t.id).await.unwrap();
        assert_eq!(draws.iter().map(|d| d.status.as_str()).collect::<Vec<_>>(), ["valid", "annulled"]);
        assert_eq!(draws[1].annul_reason.as_deref(), Some("见证人未到场"));

        // The yearly cap: with a cap of 1 the four drawn by the valid draw are not eligible;
        // the annulled draw's targets are.
        let mut capped = definition();
        capped.yearly_cap = 1;
        let preview = wf::preview(&store, &capped).await.unwrap();
        assert_eq!((preview.eligible, preview.at_cap), (36, 4), "{who}");

        // Direct assignment is for triggered tasks only.
        let direct = [DirectTeam { uscc: c.targets[0].clone(), inspectors: c.monitors[..2].to_vec() }];
        assert!(is_state(&wf::assign_direct(&store, t.id, &direct, "急需", &organizer()).await.unwrap_err()));

        // Teams: two inspectors of the department each, valid certificates only, recusals kept.
        let a = wf::assign_random(&store, t.id, &organizer()).await.unwrap();
        assert_eq!(a.teams.len(), 4);
        for team in &a.teams {
            assert_eq!(team.members.len(), 2);
            for (cert, _) in &team.members {
                assert!(
                    c.monitors.contains(cert),
                    "{cert} is not an active monitor with a valid certificate"
                );
                assert!(!c.recusals.contains(&(cert.clone(), team.uscc.clone())));
            }
        }
        assert!(!a.inspectors_csv.contains(&c.expired) && !a.inspectors_csv.contains(&c.departed));
        assert_eq!(wf::task(&store, t.id).await.unwrap().status, TaskStatus::Assigned);
        assert!(is_state(&wf::assign_random(&store, t.id, &organizer()).await.unwrap_err()));

        // An inspector sees their inspections; only members enter results.
        let team = &a.teams[0];
        let member = team.members[0].0.clone();
        let stranger =
            c.monitors.iter().find(|m| !team.members.iter().any(|(x, _)| x == *m)).unwrap().clone();
        let mine = wf::inspections_of_inspector(&store, &member).await.unwrap();
        assert!(mine.iter().any(|i| i.id == team.inspection_id));
        let inspector = Actor { name: "inspector".into(), role: "inspector".into() };
        let good = form(&["RS-001", "RS-010"]);
        let e =
            wf::save_form(&store, team.inspection_id, &good, Some(&stranger), &inspector).await.unwrap_err();
        assert!(matches!(e, WorkflowError::Forbidden { .. }), "{e}");
        let e = wf::save_form(&store, team.inspection_id, &form(&["RS-001"]), Some(&member), &inspector)
            .await
            .unwrap_err();
        assert_eq!(fields(e), ["items"]);
        let i = wf::save_form(&store, team.inspection_id, &good, Some(&member), &inspector).await.unwrap();
        assert_eq!(i.status, "entered");
        // 20 working days after Wednesday 3 June 2026, with the Dragon Boat holiday (19 June) inside.
        assert_eq!(i.publish_by, Some(day(7, 2)), "{who}");

        // The organizer returns it; it must be entered again before publication.
        assert_eq!(
            fields(wf::return_inspection(&store, i.id, "", &organizer()).await.unwrap_err()),
            ["comment"]
        );
        wf::return_inspection(&store, i.id, "请补充检查依据", &organizer()).await.unwrap();
        assert!(is_state(&wf::publish_result(&store, i.id, Some(&member), &inspector).await.unwrap_err()));
        wf::save_form(&store, i.id, &good, Some(&member), &inspector).await.unwrap();
        let evidence = wf::add_evidence(
            &store,
            i.id,
            "../../现场照片.jpg",
            "image/jpeg",
            b"\xff\xd8photo".to_vec(),
            Some(&member),
            &inspector,
        )
        .await
        .unwrap();
        assert_eq!(evidence.file_name, "现场照片.jpg");
        use sha2::Digest as _;
        assert_eq!(evidence.sha256, hex::encode(sha2::Sha256::digest(b"\xff\xd8photo")));
        let i = wf::publish_result(&store, i.id, Some(&member), &inspector).await.unwrap();
        assert_eq!(i.status, "published");
        assert!(is_state(&wf::save_form(&store, i.id, &good, Some(&member), &inspector).await.unwrap_err()));

        // The portal finds it by USCC and by name; the findings are not in it.
        let found = wf::public_results(&store, Some(&team.uscc), None, 10).await.unwrap().results;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].content.conclusion, "未发现问题");
        assert!(!serde_json::to_string(&found[0].content).unwrap().contains("工资按月足额发放"));
        let by_name =
            wf::public_results(&store, Some(&team.target_name[6..]), None, 10).await.unwrap().results;
        assert_eq!(by_name.len(), 1, "{who}");

        // A correction: a reason, a new version; the old one stays, marked corrected.
        let mut fixed = good.clone();
        fixed.public_note = "补充：已核查2026年1至5月工资台账".into();
        assert_eq!(
            fields(
                wf::correct_result(&store, i.id, &fixed, "", Some(&member), &inspector).await.unwrap_err()
            ),
            ["reason"]
        );
        let i = wf::correct_result(&store, i.id, &fixed, "公示内容遗漏核查范围", Some(&member), &inspector)
            .await
            .unwrap();
        assert_eq!(
            i.publications.iter().map(|p| (p.version, p.status.as_str())).collect::<Vec<_>>(),
            [(2, "current"), (1, "corrected")]
        );
        let both = wf::public_results(&store, Some(&team.uscc), None, 10).await.unwrap();
        assert_eq!((both.results.len(), both.next), (2, None));
        // A page at a time: the newer version first, then the older after it.
        let first = wf::public_results(&store, Some(&team.uscc), None, 1).await.unwrap();
        assert_eq!((first.results[0].version, first.next), (2, Some(first.results[0].id)));
        let second = wf::public_results(&store, Some(&team.uscc), first.next, 1).await.unwrap();
        assert_eq!((second.results[0].version, second.next), (1, None));

        // Once results exist the draw cannot be annulled.
        assert!(is_state(&wf::annul_draw(&store, d2.id, "重新抽取", &organizer()).await.unwrap_err()));

        // The organizer's list: the three unpublished inspections, with their deadlines.
        let due = wf::due_list(&store).await.unwrap();
        assert_eq!(due.len(), 3);
        // Each had its deadline when its team was made, so what is overdue is one query, and
        // it agrees with the organizer's list.
        let late: Vec<i64> = due.iter().filter(|d| d.overdue).map(|d| d.inspection_id).collect();
        let overdue = wf::overdue(&store, 10).await.unwrap();
        assert_eq!(overdue.total, late.len() as u64, "{who}");
        assert_eq!(overdue.items.iter().map(|d| d.inspection_id).collect::<Vec<_>>(), late);
        assert!(overdue.items.iter().all(|d| d.task_code.starts_with("T-")), "{:?}", overdue.items);

        // Every step is in the audit log, and the chain holds.
        let actions: Vec<String> =
            audit::entries(&store, 0, 10_000).await.unwrap().into_iter().map(|e| e.action).collect();
        for a in [
            "plan.add",
            "plan.publish",
            "task.add",
            "task.update",
            "task.publish",
            "draw.make",
            "draw.replace",
            "draw.annul",
            "teams.assign",
            "inspection.enter",
            "inspection.return",
            "evidence.add",
            "inspection.publish",
            "inspection.correct",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a} is not in the audit log ({who})");
        }
        assert!(audit::verify(&store).await.unwrap().is_ok());
        // Every record the loop left — targets, plans, tasks, draws with their entries, teams,
        // inspections with their members, publications — is the content its last entry says.
        let report = audit::verify_log(&store, &audit::VerifyOptions::default()).await.unwrap();
        assert!(report.is_intact(), "{who}: {:?}", report.problems);
        assert!(report.records > 50, "{who}: {} records checked", report.records);
    }
}

#[tokio::test]
async fn quotas_joint_teams_and_direct_assignment() {
    for db in databases().await {
        let store = db.open().await;
        let c = county(&store).await;
        let who = db.backend;

        // Quotas by credit grade: 3 of C and 2 of A; a quota that cannot be filled is refused.
        let mut def = definition();
        def.stratify_by = Some(StratumField::CreditGrade);
        def.size = SizeSpec::Quotas(BTreeMap::from([("C".into(), 11), ("A".into(), 2)]));
        let t = wf::save_task(&store, None, &wf::Filing::default(), &def, &organizer(), None).await.unwrap();
        assert_eq!(
            fields(wf::publish_task(&store, t.id, &organizer()).await.unwrap_err()),
            ["size"],
            "{who}"
        );
        def.size = SizeSpec::Quotas(BTreeMap::from([("C".into(), 3), ("A".into(), 2)]));
        // A joint inspection: one of each department on every team.
        def.departments = vec!["劳动保障监察科".into(), "社会保险科".into()];
        def.team = TeamSpec::Joint(BTreeMap::from([("劳动保障监察科".into(), 1), ("社会保险科".into(), 1)]));
        let t = wf::save_task(&store, Some(t.id), &wf::Filing::default(), &def, &organizer(), None)
            .await
            .unwrap();
        let t = wf::publish_task(&store, t.id, &organizer()).await.unwrap();
        let d = wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        let strata: Vec<&str> = d.document.selected.iter().map(|s| s.stratum.as_str()).collect();
        assert_eq!(strata.iter().filter(|s| **s == "C").count(), 3);
        assert_eq!(strata.iter().filter(|s| **s == "A").count(), 2);
        let a = wf::assign_random(&store, t.id, &organizer()).await.unwrap();
        for team in &a.teams {
            assert!(
                c.monitors.contains(&team.members[0].0) && c.insurers.contains(&team.members[1].0),
                "{team:?}"
            );
        }

        // A triggered task: teams chosen directly, with a reason; a recused inspector is refused.
        let mut triggered = definition();
        triggered.kind = TaskKind::Triggered;
        triggered.trigger = "12345热线投诉 2026-0612".into();
        triggered.trigger_kind = Some(LeadSource::Complaint);
        triggered.eligibility =
            Eligibility { region_prefixes: vec!["410307".into()], ..Eligibility::default() };
        triggered.items = vec!["RS-001".into()];
        triggered.size = SizeSpec::Count(1);
        triggered.reserve = 0;
        let t = published_task(&store, &triggered).await;
        let d = wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        let target = d.targets[0].id.clone();
        let recused =
            [DirectTeam { uscc: target.clone(), inspectors: vec![c.monitors[0].clone(), c.expired.clone()] }];
        let e = wf::assign_direct(&store, t.id, &recused, "", &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["reason", "teams"], "{who}");
        let team = [DirectTeam {
            uscc: target.clone(),
            inspectors: vec![c.monitors[2].clone(), c.monitors[3].clone()],
        }];
        let a = wf::assign_direct(&store, t.id, &team, "投诉涉及欠薪，需熟悉该企业的人员", &organizer())
            .await
            .unwrap();
        assert_eq!(a.mode, "direct");
        assert_eq!(
            a.teams[0].members.iter().map(|m| m.0.clone()).collect::<Vec<_>>(),
            c.monitors[2..4].to_vec()
        );
    }
}

/// A province-sized task in miniature: more teams than one statement writes (a thousand), so
/// the teams are written in batches and read back by a subquery; each step tells its
/// progress, ending with all of it done.
#[tokio::test]
async fn a_large_task_is_published_drawn_and_assigned_with_progress() {
    use suiji_domain::codes::Codes;
    use suiji_domain::directory::{ListKind, RawRow, Sheet, Target};
    use suiji_store::directory::{self, ImportOptions};
    for db in databases().await {
        let store = db.open().await;
        let c = county(&store).await;
        let mut rows = vec![RawRow::new(1, ["统一社会信用代码".to_owned(), "名称".to_owned()])];
        rows.extend((1_000..2_300).map(|n| {
            RawRow::new(n as u64 - 998, [suiji_store::testing::uscc(n), format!("大批测试{n}有限公司")])
        }));
        let options = ImportOptions {
            actor: Actor::system("tester"),
            file_name: "many.csv".into(),
            file_sha256: "0".repeat(64),
            retire_missing: false,
            own: None,
        };
        let sheet = Sheet::new(ListKind::Targets, rows).unwrap();
        directory::import::<Target>(&store, &sheet, Codes::builtin(), &options, &|_, _, _| {}).await.unwrap();
        let def = TaskDefinition {
            max_load: None,
            ..suiji_store::testing::task("劳动保障监察科", SizeSpec::Count(1_250))
        };
        let t = wf::save_task(&store, None, &wf::Filing::default(), &def, &organizer(), None).await.unwrap();

        let seen = std::sync::Mutex::new(Vec::<(&'static str, u64, u64)>::new());
        let report =
            |phase: &'static str, done: u64, total: u64| seen.lock().unwrap().push((phase, done, total));
        let published = wf::publish_task_reporting(&store, t.id, &organizer(), &report).await.unwrap();
        let size = published.population_size.unwrap() as u64;
        assert_eq!(size, 1_300 + c.targets.len() as u64, "{}", db.backend);
        let freezing: Vec<_> =
            seen.lock().unwrap().iter().filter(|s| s.0.starts_with("冻结总体")).copied().collect();
        assert_eq!(freezing.first().map(|s| (s.1, s.2)), Some((0, size)), "{freezing:?}");
        assert_eq!(seen.lock().unwrap().last().map(|s| (s.1, s.2)), Some((size, size)), "ends with all done");

        seen.lock().unwrap().clear();
        let draw = wf::draw_task_reporting(&store, t.id, witnesses(), &organizer(), &report).await.unwrap();
        assert_eq!(draw.targets.len(), 1_250);
        let phases: Vec<&str> = seen.lock().unwrap().iter().map(|s| s.0).collect();
        assert!(phases.iter().any(|p| p.starts_with("写入抽取结果")), "{phases:?}");
        assert_eq!(
            seen.lock().unwrap().last().map(|s| (s.1, s.2)),
            Some((1_251, 1_251)),
            "selected and reserve"
        );

        seen.lock().unwrap().clear();
        let a = wf::assign_random_reporting(&store, t.id, &organizer(), &report).await.unwrap();
        assert_eq!(a.teams.len(), 1_250, "{}", db.backend);
        let writes: Vec<u64> =
            seen.lock().unwrap().iter().filter(|s| s.0.starts_with("写入检查组")).map(|s| s.1).collect();
        assert_eq!(writes, vec![0, 1_000], "two batches");
        // Every team: its drawn target (rank and name) and two members with their names.
        let ranks: std::collections::HashMap<&str, u64> =
            draw.targets.iter().map(|s| (s.id.as_str(), s.rank)).collect();
        let mut seen_inspections = std::collections::HashSet::new();
        for team in &a.teams {
            assert_eq!(ranks.get(team.uscc.as_str()).copied(), Some(team.rank as u64), "{}", team.uscc);
            assert!(!team.target_name.is_empty());
            assert_eq!(team.members.len(), 2, "{team:?}");
            assert!(
                team.members
                    .iter()
                    .all(|(cert, name)| c.monitors.contains(cert) && name.starts_with("监察员"))
            );
            assert!(seen_inspections.insert(team.inspection_id), "one inspection a team");
        }
        assert!(a.teams.windows(2).all(|w| w[0].rank < w[1].rank), "in rank order");
        // The teams are the document's: the same as assigning again from the same draw.
        let document: suiji_draw::AssignmentDocument = serde_json::from_value(a.document.clone()).unwrap();
        for (team, planned) in a.teams.iter().zip(&document.teams) {
            assert_eq!(team.uscc, planned.target);
            assert_eq!(team.members.iter().map(|m| m.0.clone()).collect::<Vec<_>>(), planned.inspectors);
        }
        assert_eq!(wf::inspections_of_task(&store, t.id).await.unwrap().len(), 1_250);
    }
}

/// 整改 and 复查: a published result that orders rectification opens one; a follow-up by the
/// same team finds it not rectified; the deadline is extended once; a follow-up by a team
/// drawn anew finds it rectified, which closes it. Another, not put right, is referred
/// (移送). Follow-ups are not the task's teams nor its drawn targets, and every record the
/// steps leave is covered by the audit log.
#[tokio::test]
async fn rectifications_are_followed_up_until_closed() {
    use suiji_domain::workflow::{Escalation, FollowUpOutcome, RectificationStatus, Standing};
    for db in databases().await {
        let store = db.open().await;
        let c = county(&store).await;
        let who = db.backend;
        let t = published_task(&store, &definition()).await;
        wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        let a = wf::assign_random(&store, t.id, &organizer()).await.unwrap();
        let inspector = Actor { name: "inspector".into(), role: "inspector".into() };
        let today = wf::china_today();
        let ordering = |deadline| InspectionForm {
            conclusion: Conclusion::PendingHandling,
            findings: "拖欠2名劳动者4月工资".into(),
            handling: Handling { rectify_by: Some(deadline), ..Handling::default() },
            items: vec![
                ItemResult {
                    item: "RS-001".into(),
                    verdict: ItemVerdict::NonCompliant,
                    basis: "《保障农民工工资支付条例》第十一条".into(),
                    note: String::new(),
                },
                form(&["RS-010"]).items.remove(0),
            ],
            ..form(&["RS-001", "RS-010"])
        };
        let (first, second) = (&a.teams[0], &a.teams[1]);
        for team in [first, second] {
            let member = team.members[0].0.clone();
            let f = ordering(today + chrono::Duration::days(10));
            wf::save_form(&store, team.inspection_id, &f, Some(&member), &inspector).await.unwrap();
            wf::publish_result(&store, team.inspection_id, Some(&member), &inspector).await.unwrap();
        }
        let r = wf::rectification_of(&store, first.inspection_id).await.unwrap().expect("opened");
        assert_eq!(
            (r.status, r.deadline, r.ordered_on),
            (RectificationStatus::Open, today + chrono::Duration::days(10), day(6, 3)),
            "{who}"
        );
        assert_eq!(wf::rectifications(&store, Some(Standing::Open)).await.unwrap().len(), 2);
        assert!(wf::rectifications(&store, Some(Standing::Overdue)).await.unwrap().is_empty());
        assert!(wf::rectifications(&store, Some(Standing::Closed)).await.unwrap().is_empty());

        // Nothing to extend or escalate before a follow-up.
        let e = wf::extend(&store, r.id, today + chrono::Duration::days(30), "申请延期", &organizer())
            .await
            .unwrap_err();
        assert_eq!(fields(e), ["until"]);

        // A follow-up by the same team: an inspection of the task, not one of its teams.
        let r = wf::schedule_follow_up(&store, r.id, false, &organizer()).await.unwrap();
        let f1 = r.pending_follow_up().expect("pending").clone();
        assert_eq!(f1.members, first.members, "{who}: the same team");
        assert!(
            matches!(
                wf::schedule_follow_up(&store, r.id, false, &organizer()).await.unwrap_err(),
                WorkflowError::Invalid(_)
            ),
            "one at a time"
        );
        assert_eq!(wf::assignment_of_task(&store, t.id).await.unwrap().unwrap().teams.len(), a.teams.len());
        let progress = wf::progress(&store).await.unwrap();
        let p = progress.iter().find(|p| p.task.id == t.id).unwrap();
        assert_eq!(
            (p.drawn, p.assigned),
            (a.teams.len() as u64, a.teams.len() as u64),
            "{who}: follow-ups are not counted"
        );
        let view = wf::inspection(&store, f1.inspection_id).await.unwrap();
        assert_eq!(view.follow_up_of, Some(r.id));

        // Its form says what it found, on a day between the order and today; others may not.
        let member = first.members[0].0.clone();
        let mut found = InspectionForm { started_on: today, ended_on: today, ..form(&["RS-001", "RS-010"]) };
        let e = wf::save_form(&store, f1.inspection_id, &found, Some(&member), &inspector).await.unwrap_err();
        assert_eq!(fields(e), ["follow_up"]);
        let stray =
            InspectionForm { follow_up: Some(FollowUpOutcome::Rectified), ..form(&["RS-001", "RS-010"]) };
        let e = wf::save_form(
            &store,
            a.teams[2].inspection_id,
            &stray,
            Some(&a.teams[2].members[0].0),
            &inspector,
        )
        .await
        .unwrap_err();
        assert_eq!(fields(e), ["follow_up"]);
        found.follow_up = Some(FollowUpOutcome::NotRectified);
        wf::save_form(&store, f1.inspection_id, &found, Some(&member), &inspector).await.unwrap();
        let published =
            wf::publish_result(&store, f1.inspection_id, Some(&member), &inspector).await.unwrap();
        assert_eq!(published.publications[0].content.follow_up.as_deref(), Some("复查：未整改"));
        let r = wf::rectification(&store, r.id).await.unwrap();
        assert_eq!(
            (r.status, r.outcome),
            (RectificationStatus::Open, Some(FollowUpOutcome::NotRectified)),
            "{who}"
        );
        assert!(r.pending_follow_up().is_none());

        // Extended once, with a reason.
        let until = today + chrono::Duration::days(40);
        let r = wf::extend(&store, r.id, until, "企业已补发部分工资，申请延期", &organizer()).await.unwrap();
        assert_eq!((r.extended_to, r.deadline_in_force), (Some(until), until));
        let e = wf::extend(&store, r.id, until + chrono::Duration::days(5), "再次申请", &organizer())
            .await
            .unwrap_err();
        assert_eq!(fields(e), ["until"], "once only");

        // A team drawn anew: by suiji-assign/1 with the seed <draw seed>/followup/<id>.
        let r = wf::schedule_follow_up(&store, r.id, true, &organizer()).await.unwrap();
        let f2 = r.pending_follow_up().unwrap().clone();
        assert_eq!(f2.members.len(), 2);
        let draw =
            wf::draws_of(&store, t.id).await.unwrap().into_iter().find(|d| d.status == "valid").unwrap();
        let entry = audit::latest(&store, None, 1).await.unwrap().remove(0);
        assert_eq!(entry.action, "rectification.follow_up");
        let change: serde_json::Value = serde_json::from_str(&entry.change).unwrap();
        assert_eq!(change["seed"], format!("{}/followup/{}", draw.seed, r.id));
        assert_eq!(change["mode"], "drawn");
        for (cert, _) in &f2.members {
            assert!(c.monitors.contains(cert), "{who}: {cert} is in the pool");
            assert!(!c.recusals.contains(&(cert.clone(), r.uscc.clone())), "{who}: {cert} is recused");
        }
        let member = f2.members[0].0.clone();
        let done = InspectionForm { follow_up: Some(FollowUpOutcome::Rectified), ..found.clone() };
        wf::save_form(&store, f2.inspection_id, &done, Some(&member), &inspector).await.unwrap();
        wf::publish_result(&store, f2.inspection_id, Some(&member), &inspector).await.unwrap();
        let r = wf::rectification(&store, r.id).await.unwrap();
        assert_eq!(r.status, RectificationStatus::Rectified, "{who}");
        assert!(r.closed_at.is_some());
        assert_eq!(r.follow_ups.len(), 2);
        assert!(
            matches!(
                wf::schedule_follow_up(&store, r.id, false, &organizer()).await.unwrap_err(),
                WorkflowError::Invalid(_)
            ),
            "closed"
        );

        // The other: not rectified, then referred, which closes it.
        let other = wf::rectification_of(&store, second.inspection_id).await.unwrap().unwrap();
        let e = wf::escalate(&store, other.id, Escalation::Referral, "移送县市场监管局", &organizer())
            .await
            .unwrap_err();
        assert_eq!(fields(e), ["kind"], "only after a follow-up");
        let other = wf::schedule_follow_up(&store, other.id, false, &organizer()).await.unwrap();
        let f3 = other.pending_follow_up().unwrap().clone();
        let member = f3.members[0].0.clone();
        let partly = InspectionForm { follow_up: Some(FollowUpOutcome::Partly), ..found.clone() };
        wf::save_form(&store, f3.inspection_id, &partly, Some(&member), &inspector).await.unwrap();
        wf::publish_result(&store, f3.inspection_id, Some(&member), &inspector).await.unwrap();
        let e = wf::escalate(&store, other.id, Escalation::Referral, " ", &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["note"]);
        let other = wf::escalate(&store, other.id, Escalation::Referral, "移送县市场监管局", &organizer())
            .await
            .unwrap();
        assert_eq!(
            (other.status, other.escalation),
            (RectificationStatus::Escalated, Some(Escalation::Referral))
        );
        assert_eq!(wf::rectifications(&store, Some(Standing::Closed)).await.unwrap().len(), 2);
        assert!(wf::rectifications(&store, Some(Standing::Open)).await.unwrap().is_empty());

        let report = audit::verify_log(&store, &audit::VerifyOptions::default()).await.unwrap();
        assert!(report.is_intact(), "{who}: {:?}", report.problems);
    }
}

/// 行政处罚: a decision under 一般程序 is due 7 working days after it, published as its own
/// notice (late when past that) and corrected like a result; one under 简易程序 has no notice.
/// 不予公开: an entered result kept off the portal with its legal basis leaves what is due and
/// is counted apart. Every record the steps leave is covered by the audit log.
#[tokio::test]
async fn penalties_are_published_on_time_and_results_may_be_withheld() {
    use suiji_domain::workflow::{PenaltyDecision, PenaltyStanding, Procedure};
    for db in databases().await {
        let store = db.open().await;
        county(&store).await;
        let who = db.backend;
        let t = published_task(&store, &definition()).await;
        wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        let a = wf::assign_random(&store, t.id, &organizer()).await.unwrap();
        let inspector = Actor { name: "inspector".into(), role: "inspector".into() };
        let today = wf::china_today();
        let (first, second) = (&a.teams[0], &a.teams[1]);
        for team in [first, second, &a.teams[2]] {
            let member = team.members[0].0.clone();
            let found = if team.inspection_id == a.teams[2].inspection_id { form } else { violation };
            wf::save_form(
                &store,
                team.inspection_id,
                &found(&["RS-001", "RS-010"]),
                Some(&member),
                &inspector,
            )
            .await
            .unwrap();
        }
        let member = first.members[0].0.clone();
        wf::publish_result(&store, first.inspection_id, Some(&member), &inspector).await.unwrap();

        // Recorded after the result was published, a month ago: its notice is overdue.
        let late = PenaltyDecision {
            procedure: Procedure::General,
            decision_no: "偃人社监罚〔2026〕3号".into(),
            decided_on: today - chrono::Duration::days(30),
            facts: "拖欠12名农民工工资共计8.6万元，经责令限期支付逾期未支付。".into(),
            basis: "《保障农民工工资支付条例》第五十七条".into(),
            penalty: "罚款人民币2万元".into(),
        };
        let e = wf::record_penalty(
            &store,
            first.inspection_id,
            &PenaltyDecision { decided_on: day(6, 2), ..late.clone() },
            &organizer(),
        )
        .await
        .unwrap_err();
        assert_eq!(fields(e), ["decided_on"], "{who}: not before the inspection");
        let e = wf::record_penalty(&store, a.teams[2].inspection_id, &late, &organizer()).await.unwrap_err();
        assert!(is_state(&e), "{who}: no penalty rests on a result that found nothing: {e:?}");
        let p = wf::record_penalty(&store, first.inspection_id, &late, &organizer()).await.unwrap();
        assert_eq!(p.standing, PenaltyStanding::Overdue, "{who}");
        assert!(p.due_on.unwrap() < today && p.notices.is_empty());
        let e = wf::record_penalty(&store, second.inspection_id, &late, &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["decision_no"], "{who}: one number, one decision");
        let simple = PenaltyDecision {
            procedure: Procedure::Simple,
            decision_no: "偃人社监简罚〔2026〕1号".into(),
            decided_on: today,
            penalty: "警告".into(),
            ..late.clone()
        };
        let s = wf::record_penalty(&store, second.inspection_id, &simple, &organizer()).await.unwrap();
        assert_eq!((s.standing, s.due_on), (PenaltyStanding::Recorded, None));
        assert!(is_state(&wf::publish_penalty(&store, s.id, &organizer()).await.unwrap_err()));
        assert_eq!(wf::penalties_due(&store).await.unwrap(), (1, 0), "{who}");
        // Unpublished, a decision is changed in place; its deadline follows its date.
        let today_decision = PenaltyDecision { decided_on: today, ..late.clone() };
        let p = wf::correct_penalty(&store, p.id, &today_decision, "", &organizer()).await.unwrap();
        assert_eq!(p.standing, PenaltyStanding::Due, "{who}");
        let within_week = p.due_on.unwrap() <= today + chrono::Duration::days(7);
        assert_eq!(wf::penalties_due(&store).await.unwrap(), (0, u64::from(within_week)), "{who}");
        let p = wf::correct_penalty(&store, p.id, &late, "", &organizer()).await.unwrap();
        let p = wf::publish_penalty(&store, p.id, &organizer()).await.unwrap();
        assert_eq!(p.standing, PenaltyStanding::Published);
        assert!(p.notices[0].late, "{who}: published past its deadline");
        assert_eq!(
            p.notices[0].content.authority,
            suiji_store::settings::load(&store).await.unwrap().bureau_name
        );
        assert!(is_state(&wf::publish_penalty(&store, p.id, &organizer()).await.unwrap_err()));
        // Corrected like a result: a reason, a new version, the old one kept.
        let fixed = PenaltyDecision { penalty: "罚款人民币1.5万元".into(), ..late.clone() };
        let e = wf::correct_penalty(&store, p.id, &fixed, " ", &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["reason"]);
        let e = wf::correct_penalty(
            &store,
            p.id,
            &PenaltyDecision { procedure: Procedure::Simple, ..fixed.clone() },
            "改为简易程序",
            &organizer(),
        )
        .await
        .unwrap_err();
        assert_eq!(fields(e), ["procedure"]);
        let p = wf::correct_penalty(&store, p.id, &fixed, "罚款金额笔误", &organizer()).await.unwrap();
        let versions: Vec<(i64, &str)> = p.notices.iter().map(|n| (n.version, n.status.as_str())).collect();
        assert_eq!(versions, [(2, "current"), (1, "corrected")], "{who}");
        assert_eq!(p.notices[0].due_on, p.notices[1].due_on, "the same decision, the same deadline");
        let public = wf::public_penalties(&store, Some("91"), None, 20).await.unwrap();
        assert!(public.notices.is_empty(), "a whole USCC or a part of the name");
        let public = wf::public_penalties(&store, Some(&p.uscc), None, 20).await.unwrap();
        assert_eq!(public.notices.len(), 2);
        assert_eq!(public.notices[0].content.penalty, "罚款人民币1.5万元");
        assert_eq!(wf::penalties(&store, Some(PenaltyStanding::Published)).await.unwrap().len(), 1);
        assert_eq!(wf::penalties(&store, Some(PenaltyStanding::Recorded)).await.unwrap().len(), 1);

        // 不予公开.
        let e = wf::withhold_result(&store, second.inspection_id, "  ", &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["basis"]);
        assert!(is_state(
            &wf::withhold_result(&store, first.inspection_id, "第十五条", &organizer()).await.unwrap_err()
        ));
        let due_before = wf::due_list(&store).await.unwrap().len();
        let basis = suiji_domain::workflow::WITHHOLDING_BASES[1];
        let i = wf::withhold_result(&store, second.inspection_id, basis, &organizer()).await.unwrap();
        assert_eq!(i.status, "withheld");
        assert_eq!(i.withheld.as_ref().map(|w| w.basis.as_str()), Some(basis));
        assert_eq!(
            wf::due_list(&store).await.unwrap().len(),
            due_before - 1,
            "{who}: it leaves the due list"
        );
        assert!(i.publications.is_empty() && i.due(today + chrono::Duration::days(400)).is_none());
        let member = second.members[0].0.clone();
        assert!(is_state(
            &wf::publish_result(&store, second.inspection_id, Some(&member), &inspector).await.unwrap_err()
        ));
        let progress = wf::progress(&store).await.unwrap();
        let p = progress.iter().find(|p| p.task.id == t.id).unwrap();
        assert_eq!((p.published, p.withheld, p.entered), (1, 1, 3), "{who}: and the one that found nothing");

        // The dossiers: the staff one has everything, the public one what the portal shows.
        // (What happened, whatever the order: the test's inspections predate its draw.)
        let kinds = |d: &suiji_store::credit::Dossier| {
            let mut k: Vec<String> = d.events.iter().map(|e| e.kind.clone()).collect();
            k.sort();
            k
        };
        let staff = suiji_store::credit::dossier(&store, &second.uscc, false).await.unwrap();
        let public = suiji_store::credit::dossier(&store, &second.uscc.to_lowercase(), true).await.unwrap();
        assert_eq!(kinds(&staff), ["drawn", "inspected", "penalty_decided", "result_withheld"], "{who}");
        assert!(staff.events.windows(2).all(|w| w[0].on <= w[1].on), "oldest first");
        assert_eq!(kinds(&public), ["drawn"], "{who}: neither the withheld result nor the summary penalty");
        assert!(public.target.legal_rep.is_empty() && public.target.address.is_empty());
        assert_eq!((staff.inspections, public.inspections, staff.penalties, public.penalties), (1, 0, 1, 0));
        let first_public = suiji_store::credit::dossier(&store, &first.uscc, true).await.unwrap();
        assert_eq!(
            kinds(&first_public),
            [
                "drawn",
                "inspected",
                "penalty_corrected",
                "penalty_decided",
                "penalty_published",
                "result_published"
            ],
            "{who}"
        );
        assert!(
            first_public.events.iter().all(|e| e.link.as_deref().is_some_and(|l| l.starts_with("/public/")))
        );
        assert!(matches!(
            suiji_store::credit::dossier(&store, "91410000000000000X", false).await,
            Err(WorkflowError::NotFound { .. })
        ));

        let report = audit::verify_log(&store, &audit::VerifyOptions::default()).await.unwrap();
        assert!(report.is_intact(), "{who}: {:?}", report.problems);
    }
}

/// 守法诚信等级评价: a year's records propose A (clean), B (a violation) and C (serious
/// non-cooperation), each with its reason; the organizer sets one other grade with a reason;
/// confirming writes the grades into the directory with their history and the grades' history,
/// shows them in the dossier, and the next task's population weighs the firms by them.
#[tokio::test]
async fn grades_are_proposed_reviewed_confirmed_and_weigh_the_next_draw() {
    use suiji_domain::credit::Grade;
    use suiji_domain::workflow::NonCooperation;
    use suiji_store::credit;
    for db in databases().await {
        let store = db.open().await;
        county(&store).await;
        let who = db.backend;
        let t = published_task(&store, &definition()).await;
        wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        let a = wf::assign_random(&store, t.id, &organizer()).await.unwrap();
        let inspector = Actor { name: "inspector".into(), role: "inspector".into() };
        let clean = form(&["RS-001", "RS-010"]);
        let mut violation = clean.clone();
        violation.conclusion = Conclusion::Corrected;
        violation.findings = "拖欠工资".into();
        violation.items[0].verdict = ItemVerdict::NonCompliant;
        violation.handling.rectify_by = Some(day(6, 30));
        let refused = InspectionForm {
            conclusion: Conclusion::NonCooperation,
            non_cooperation: Some(NonCooperation::RefusedEntry),
            ..clean.clone()
        };
        let forms = [&clean, &violation, &refused];
        for (team, f) in a.teams.iter().zip(forms) {
            let member = team.members[0].0.clone();
            wf::save_form(&store, team.inspection_id, f, Some(&member), &inspector).await.unwrap();
            wf::publish_result(&store, team.inspection_id, Some(&member), &inspector).await.unwrap();
        }
        let e = credit::evaluate(&store, 2026, &organizer()).await.unwrap();
        assert_eq!(e.status, "proposed");
        let grade_of = |e: &credit::EvaluationView, uscc: &str| {
            e.proposals.iter().find(|p| p.uscc == uscc).map(|p| (p.proposed_grade, p.grade))
        };
        let (clean_firm, violating, refusing) = (&a.teams[0].uscc, &a.teams[1].uscc, &a.teams[2].uscc);
        assert_eq!(e.proposals.len(), 3, "{who}: only firms with records");
        assert_eq!(grade_of(&e, clean_firm), Some((Grade::A, Grade::A)));
        assert_eq!(grade_of(&e, violating), Some((Grade::B, Grade::B)));
        assert_eq!(grade_of(&e, refusing), Some((Grade::C, Grade::C)));
        assert!(e.proposals[0].reasons[0].zh.contains("无理抗拒"), "C first: {:?}", e.proposals[0]);
        assert!(
            is_state(&credit::evaluate(&store, 2026, &organizer()).await.unwrap_err()),
            "one pending a year"
        );
        assert_eq!(fields(credit::evaluate(&store, 1999, &organizer()).await.unwrap_err()), ["year"]);
        let e2 = credit::adjust(&store, e.id, clean_firm, Grade::B, " ", &organizer()).await.unwrap_err();
        assert_eq!(fields(e2), ["reason"]);
        let e = credit::adjust(&store, e.id, clean_firm, Grade::B, "引发群体性讨薪事件", &organizer())
            .await
            .unwrap();
        assert_eq!(grade_of(&e, clean_firm), Some((Grade::A, Grade::B)));
        assert_eq!(e.counts["B"], 2);

        let e = credit::confirm(&store, e.id, &organizer()).await.unwrap();
        assert_eq!(e.status, "confirmed");
        assert!(is_state(&credit::confirm(&store, e.id, &organizer()).await.unwrap_err()));
        assert!(is_state(
            &credit::adjust(&store, e.id, refusing, Grade::B, "x", &organizer()).await.unwrap_err()
        ));
        let (_, target) = suiji_store::directory::find::<suiji_domain::directory::Target>(&store, refusing)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(target.credit_grade.map(|g| g.code()), Some("C"), "{who}");
        // A changed grade is in the record's history, as any change of a record is.
        for p in e.proposals.iter().filter(|p| p.previous_grade != Some(p.grade)) {
            let list = suiji_domain::directory::ListKind::Targets;
            let changes = suiji_store::directory::history(&store, list, &p.uscc).await.unwrap();
            let written = |c: &suiji_store::directory::FieldChange| {
                c.field == "credit_grade" && c.new_value.as_deref() == Some(p.grade.code())
            };
            assert!(changes.iter().any(written), "{who}: {changes:?}");
        }
        assert!(e.proposals.iter().any(|p| p.previous_grade != Some(p.grade)), "{who}: some grade changed");
        // …as a batch of the targets' list, so an import planned before plans again.
        let batches = suiji_store::directory::latest_batches(&store, 1).await.unwrap();
        assert!(batches[0].file_name.contains("守法诚信等级评价") && batches[0].changed > 0, "{who}");
        let history = credit::grade_history(store.connection(), clean_firm).await.unwrap();
        assert_eq!(history.len(), 1);
        assert!(
            history[0].reason.contains("引发群体性讨薪事件") && history[0].grade == Grade::B,
            "{history:?}"
        );
        let d = credit::dossier(&store, clean_firm, false).await.unwrap();
        assert!(d.events.iter().any(|e| e.kind == "grade" && e.zh.contains("B级")), "{who}");
        let public = credit::dossier(&store, clean_firm, true).await.unwrap();
        assert!(public.events.iter().all(|e| e.kind != "grade"), "grades are not public by default");

        // The next task's population weighs the firms by their grades (C=4, B=2, A=1).
        let next = published_task(&store, &TaskDefinition { title: "复查抽查".into(), ..definition() }).await;
        let csv = wf::population_csv(&store, next.id).await.unwrap();
        assert!(csv.lines().any(|l| l.starts_with(&format!("{refusing},4"))), "{who}: {csv}");
        assert!(csv.lines().any(|l| l.starts_with(&format!("{clean_firm},2"))), "{who}: {csv}");
        let report = audit::verify_log(&store, &audit::VerifyOptions::default()).await.unwrap();
        assert!(report.is_intact(), "{who}: {:?}", report.problems);
    }
}

/// The public lists: a serious violation proposed from a penalty and published (late when past
/// 20 working days); a firm told it is to be listed for wage arrears, listed only after its
/// time to state its case, then removed early by 信用修复 with the reason; each shown on the
/// public list and in the dossier; a listing makes the year's grade C.
#[tokio::test]
async fn firms_are_listed_told_first_and_removed_with_reasons() {
    use suiji_domain::credit::Grade;
    use suiji_domain::lists::{EntryStatus, Kind, ListName, Removal};
    use suiji_domain::workflow::{PenaltyDecision, Procedure};
    use suiji_store::credit::{self, NewEntry, lists};
    for db in databases().await {
        let store = db.open().await;
        county(&store).await;
        let who = db.backend;
        let t = published_task(&store, &definition()).await;
        wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        let a = wf::assign_random(&store, t.id, &organizer()).await.unwrap();
        let inspector = Actor { name: "inspector".into(), role: "inspector".into() };
        let team = &a.teams[0];
        let member = team.members[0].0.clone();
        wf::save_form(
            &store,
            team.inspection_id,
            &violation(&["RS-001", "RS-010"]),
            Some(&member),
            &inspector,
        )
        .await
        .unwrap();
        let today = wf::china_today();
        let decision = PenaltyDecision {
            procedure: Procedure::General,
            decision_no: "偃人社监罚〔2026〕21号".into(),
            decided_on: today - chrono::Duration::days(60),
            facts: "拖欠46名农民工工资共计52万元，经责令限期支付逾期仍不支付。".into(),
            basis: "《保障农民工工资支付条例》第五十七条".into(),
            penalty: "罚款人民币5万元，移送公安机关".into(),
        };
        let p = wf::record_penalty(&store, team.inspection_id, &decision, &organizer()).await.unwrap();

        // A serious violation, proposed and published — late, 60 days on.
        let none = NewEntry::default();
        let e =
            lists::propose(&store, p.id, ListName::MajorViolations, &none, &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["kinds"]);
        let wrong = NewEntry { kinds: vec![Kind::ArrearsMassIncident], ..NewEntry::default() };
        let e =
            lists::propose(&store, p.id, ListName::MajorViolations, &wrong, &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["kinds"], "{who}: not a kind of that list");
        let major = NewEntry { kinds: vec![Kind::Wages], ..NewEntry::default() };
        let m = lists::propose(&store, p.id, ListName::MajorViolations, &major, &organizer()).await.unwrap();
        assert!(
            m.overdue && m.facts == decision.facts && m.handling.contains("罚款人民币5万元"),
            "{who}: {m:?}"
        );
        assert!(is_state(
            &lists::propose(&store, p.id, ListName::MajorViolations, &major, &organizer()).await.unwrap_err()
        ));
        assert!(
            is_state(&lists::notify(&store, m.id, today, &organizer()).await.unwrap_err()),
            "not its step"
        );
        let m = lists::publish(&store, m.id, &organizer()).await.unwrap();
        assert_eq!((m.status, m.listed_on), (EntryStatus::Listed, Some(today)));
        let public = lists::public_list(&store, ListName::MajorViolations).await.unwrap();
        assert_eq!(public.entries.len(), 1, "{who}");
        assert_eq!(public.entries[0].kinds, [Kind::Wages.zh()]);

        // Wage arrears: told, may state its case for 5 working days, then listed for 3 years.
        let arrears = NewEntry { kinds: vec![Kind::ArrearsCriminalAmount], ..NewEntry::default() };
        let w = lists::propose(&store, p.id, ListName::WageArrears, &arrears, &organizer()).await.unwrap();
        assert!(
            is_state(&lists::decide(&store, w.id, "", None, &organizer()).await.unwrap_err()),
            "tell first"
        );
        let e =
            lists::notify(&store, w.id, today + chrono::Duration::days(1), &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["notified_on"], "not in the future");
        let w = lists::notify(&store, w.id, today, &organizer()).await.unwrap();
        assert!(w.statement_due.unwrap() > today);
        assert!(
            is_state(&lists::decide(&store, w.id, "", None, &organizer()).await.unwrap_err()),
            "{who}: wait"
        );
        let e = lists::decide(&store, w.id, "x", Some(9), &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["term_years"]);
        // It stated its case: the decision may come now, with what it said and the answer.
        let said = "当事人称资金周转困难，未提供已支付证明，不予采纳。";
        let w = lists::decide(&store, w.id, said, None, &organizer()).await.unwrap();
        assert_eq!(w.status, EntryStatus::Listed);
        assert_eq!(w.term_end, Some(suiji_domain::lists::term_end(today, 3)));
        assert!(lists::public_list(&store, ListName::WageArrears).await.unwrap().entries.len() == 1);
        assert!(is_state(
            &lists::remove(&store, w.id, Removal::Expired, "", &organizer()).await.unwrap_err()
        ));
        let e = lists::remove(&store, w.id, Removal::Repaired, " ", &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["reason"]);
        let w = lists::remove(&store, w.id, Removal::Repaired, "已足额支付全部拖欠工资", &organizer())
            .await
            .unwrap();
        assert_eq!((w.status, w.removal), (EntryStatus::Removed, Some(Removal::Repaired)));
        let public = lists::public_list(&store, ListName::WageArrears).await.unwrap();
        assert!(
            public.entries.is_empty() && public.exits.len() == 1,
            "{who}: removed, and published as removed"
        );
        assert_eq!(public.exits[0].removal_reason.as_deref(), Some("已足额支付全部拖欠工资"));

        // The dossier shows both; the year's grade is C.
        let d = credit::dossier(&store, &team.uscc, true).await.unwrap();
        let kinds: Vec<&str> = d.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "listed").count(), 2, "{who}: {kinds:?}");
        assert!(kinds.contains(&"delisted"));
        let year = chrono::Datelike::year(&today);
        let e = credit::evaluate(&store, year, &organizer()).await.unwrap();
        let firm = e.proposals.iter().find(|p| p.uscc == team.uscc).unwrap();
        assert_eq!(firm.grade, Grade::C, "{who}: {firm:?}");
        let report = audit::verify_log(&store, &audit::VerifyOptions::default()).await.unwrap();
        assert!(report.is_intact(), "{who}: {:?}", report.problems);
    }
}

/// The bureau's rules are settings: a published task keeps the rules it was published under,
/// the next follows the new ones — the yearly cap, the days to publish, the witnesses' digits,
/// the team size and the general items' floor.
#[tokio::test]
async fn a_published_task_keeps_its_rules_and_the_next_follows_the_new() {
    use suiji_domain::rules::Rules;
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        county(&store).await;
        let first = published_task(&store, &definition()).await;
        assert_eq!(first.rules, Rules::default(), "{who}");
        let admin = Actor::user("admin", suiji_domain::access::Role::Admin);
        let changes: Vec<(String, String)> = [
            ("yearly_cap", "1"),
            ("publication_workdays", "10"),
            ("witness_digits", "30"),
            ("team_size", "3"),
            ("general_item_floor", "20%"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .to_vec();
        suiji_store::settings::set(&store, &changes, &admin).await.unwrap();
        let calendar = suiji_store::calendar::calendar(&store).await.unwrap();
        let due = |days| calendar.add_workdays(definition().window_end, days).value;

        // The published task keeps its own: 21 witness digits draw it, teams of two, 20 days.
        wf::draw_task(&store, first.id, witnesses(), &organizer()).await.unwrap();
        let a = wf::assign_random(&store, first.id, &organizer()).await.unwrap();
        let i = wf::inspection(&store, a.teams[0].inspection_id).await.unwrap();
        assert_eq!(i.publish_by, Some(due(20)), "{who}");
        assert_eq!(wf::task(&store, first.id).await.unwrap().rules, Rules::default());

        // The next one is made under the new rules.
        let e = wf::save_task(&store, None, &wf::Filing::default(), &definition(), &organizer(), None)
            .await
            .unwrap_err();
        assert_eq!(
            fields(e),
            ["yearly_cap", "team"],
            "{who}: a cap of 2 and teams of 2 are no longer allowed"
        );
        let general = TaskDefinition {
            items: vec!["RS-010".into()],
            size: SizeSpec::RatioBp(1_000),
            yearly_cap: 1,
            team: TeamSpec::Size(3),
            ..definition()
        };
        let e = wf::save_task(&store, None, &wf::Filing::default(), &general, &organizer(), None)
            .await
            .unwrap_err();
        assert_eq!(fields(e), ["size"], "{who}: 10% is below the bureau's 20% for general items");
        let next = TaskDefinition {
            title: "下一个任务".into(),
            size: SizeSpec::RatioBp(2_000),
            yearly_cap: 1,
            team: TeamSpec::Size(3),
            ..definition()
        };
        let second = published_task(&store, &next).await;
        assert_eq!((second.rules.publication_workdays, second.rules.witness_digits), (10, 30), "{who}");
        let e = wf::draw_task(&store, second.id, witnesses(), &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["contributions"], "{who}: 21 digits, 30 asked for");
        // A later change does not reach it once published.
        let back = [("publication_workdays".to_owned(), "20".to_owned())];
        suiji_store::settings::set(&store, &back, &admin).await.unwrap();
        assert_eq!(wf::task(&store, second.id).await.unwrap().rules.publication_workdays, 10);
        let rules = suiji_store::settings::rules_in_force(&store).await.unwrap();
        let cap = rules.iter().find(|r| r.setting == "yearly_cap").unwrap();
        assert_eq!((cap.value.as_str(), cap.default.as_str()), ("1", "2"));
        assert!(cap.since.is_some(), "{who}: the day it took effect");
        let days = rules.iter().find(|r| r.setting == "publication_workdays").unwrap();
        assert!(days.since.is_none(), "{who}: back at its default");
    }
}

/// 无事不扰: a firm's ledger counts every inspection of its year; a random draw never selects
/// a firm at a limit (at publication, and again at the draw when another task's draw came
/// between); a triggered task reaches one only with a coded exemption; a firm inspected lately
/// is pointed out.
#[tokio::test]
async fn a_firm_is_held_to_its_yearly_limits() {
    use suiji_domain::workflow::{Exemption, OverLimit, VisitKind};
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        let c = county(&store).await;
        let admin = Actor::user("admin", suiji_domain::access::Role::Admin);
        let set = |name: &str, value: &str| vec![(name.to_owned(), value.to_owned())];
        suiji_store::settings::set(&store, &set("visit_cap", "2"), &admin).await.unwrap();

        // Two random tasks draw every firm: each firm has two draws and two visits.
        let every = |title: &str| TaskDefinition {
            title: title.into(),
            reserve: 0,
            ..suiji_store::testing::task("劳动保障监察科", SizeSpec::Count(40))
        };
        for title in ["工资支付抽查", "劳动合同抽查"] {
            let t = published_task(&store, &every(title)).await;
            wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        }
        let firm = &c.targets[0];
        let ledger = wf::ledger(&store, firm, 2026).await.unwrap();
        assert_eq!((ledger.count.random, ledger.count.visits), (2, 2), "{who}");
        assert_eq!(ledger.visits.len(), 2);
        assert!(ledger.visits.iter().all(|v| v.kind == VisitKind::Random && !v.done && v.counts_random));
        assert_eq!(ledger.visits[0].department, "劳动保障监察科");
        assert_eq!((ledger.limits.random, ledger.limits.visits), (2, 2));
        assert!(wf::ledger(&store, firm, 2025).await.unwrap().visits.is_empty());
        assert!(matches!(wf::ledger(&store, "NOSUCHFIRM", 2026).await, Err(WorkflowError::NotFound { .. })));

        // A third random task finds nobody: every firm is at its limit, and the preview says why.
        let preview = wf::preview(&store, &every("社保抽查")).await.unwrap();
        assert_eq!((preview.eligible, preview.at_cap), (0, 40), "{who}");
        assert_eq!(preview.over_limit.len(), 40);
        assert_eq!(preview.over_limit[0].over, OverLimit::Random { count: 2, limit: 2 });
        assert!(!preview.over_limit[0].exempted);

        // A triggered task: refused without an exemption, accepted with one; a random task
        // takes none.
        let triggered = TaskDefinition {
            kind: TaskKind::Triggered,
            trigger: "12345 热线投诉".into(),
            trigger_kind: Some(LeadSource::Complaint),
            ..suiji_store::testing::task("劳动保障监察科", SizeSpec::Count(1))
        };
        let t = wf::save_task(&store, None, &wf::Filing::default(), &triggered, &organizer(), None)
            .await
            .unwrap();
        let e = wf::publish_task(&store, t.id, &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["exemption"], "{who}");
        let preview = wf::preview_task(&store, t.id).await.unwrap();
        assert_eq!(preview.over_limit[0].over, OverLimit::Visits { count: 2, limit: 2 });
        let exempt = TaskDefinition { exemption: Some(Exemption::ComplaintEvidence), ..triggered.clone() };
        let random_exempt = TaskDefinition { exemption: Some(Exemption::MajorRisk), ..every("违规豁免") };
        let problems = wf::preview(&store, &random_exempt).await.unwrap().problems;
        assert!(problems.iter().any(|p| p.field == "exemption"), "{problems:?}");
        let t = wf::save_task(&store, Some(t.id), &wf::Filing::default(), &exempt, &organizer(), None)
            .await
            .unwrap();
        let t = wf::publish_task(&store, t.id, &organizer()).await.unwrap();
        assert_eq!(t.population_size, Some(40), "{who}");
        let d = wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        let drawn = &d.targets[0].id;
        assert!(d.replacements.is_empty(), "an exempt task replaces nobody");
        let ledger = wf::ledger(&store, drawn, 2026).await.unwrap();
        assert_eq!((ledger.count.random, ledger.count.visits), (2, 3), "{who}");
        let last = ledger.visits.last().unwrap();
        assert_eq!(
            (last.kind, last.exemption, last.counts_random),
            (VisitKind::Triggered, Some(Exemption::ComplaintEvidence), false)
        );

        // Teams assigned and a result entered today: the firm is pointed out as inspected
        // lately by the next preview and draw record.
        let a = wf::assign_random(&store, t.id, &organizer()).await.unwrap();
        let member = a.teams[0].members[0].0.clone();
        let inspector = Actor { name: "inspector".into(), role: "inspector".into() };
        let mut done = form(&["RS-001"]);
        done.started_on = wf::china_today();
        done.ended_on = wf::china_today();
        done.extension_reason = "投诉人补充证据后再次核查".into();
        wf::save_form(&store, a.teams[0].inspection_id, &done, Some(&member), &inspector).await.unwrap();
        let ledger = wf::ledger(&store, drawn, 2026).await.unwrap();
        assert!(ledger.visits.last().unwrap().done && ledger.visits.last().unwrap().on == wf::china_today());
        suiji_store::settings::set(&store, &set("visit_cap", "24"), &admin).await.unwrap();
        suiji_store::settings::set(&store, &set("yearly_cap", "12"), &admin).await.unwrap();
        let again = TaskDefinition {
            yearly_cap: 12,
            window_start: day(12, 1),
            window_end: day(12, 31),
            ..every("年底复查")
        };
        let preview = wf::preview(&store, &again).await.unwrap();
        assert_eq!((preview.eligible, preview.recent_count, preview.recent_days), (40, 1, 30), "{who}");
        assert_eq!(&preview.recent[0].uscc, drawn);
        assert_eq!(preview.recent[0].task_code, t.code);
        let t = published_task(&store, &again).await;
        let d = wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        let notes = d.notes.unwrap();
        assert_eq!(notes.recent.iter().map(|r| &r.uscc).collect::<Vec<_>>(), [drawn], "{who}");
    }
}

/// Two tasks published side by side: the first one's draw brings four firms to their limit;
/// the second one's draw gives them way to its reserve, recorded as replacements, and the draw
/// itself still verifies.
#[tokio::test]
async fn a_draw_gives_way_to_the_reserve_for_firms_another_draw_brought_to_a_limit() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        county(&store).await;
        let once = |title: &str, size: u64, reserve: u32| TaskDefinition {
            title: title.into(),
            yearly_cap: 1,
            reserve,
            ..suiji_store::testing::task("劳动保障监察科", SizeSpec::Count(size))
        };
        let first = published_task(&store, &once("工资支付抽查", 4, 0)).await;
        let second = published_task(&store, &once("劳动合同抽查", 36, 4)).await;
        assert_eq!(second.population_size, Some(40));
        let d1 = wf::draw_task(&store, first.id, witnesses(), &organizer()).await.unwrap();
        let firsts: Vec<&str> = d1.targets.iter().map(|s| s.id.as_str()).collect();
        let d2 = wf::draw_task(&store, second.id, witnesses(), &organizer()).await.unwrap();
        // Whichever of the four the second draw selected gave way; the reserve held exactly
        // as many others.
        let selected_twice = d2.document.selected.iter().filter(|s| firsts.contains(&s.id.as_str())).count();
        assert!(selected_twice > 0, "{who}");
        assert_eq!(d2.replacements.len(), selected_twice, "{who}");
        assert!(d2.replacements.iter().all(|r| r.reason.contains("年度检查上限")));
        assert_eq!(d2.targets.len(), 36);
        assert!(d2.targets.iter().all(|s| !firsts.contains(&s.id.as_str())), "{who}");
        assert!(d2.notes.unwrap().over_limit.is_empty());
        for f in &firsts {
            assert_eq!(wf::ledger(&store, f, 2026).await.unwrap().count.random, 1, "{who}");
        }
        let population = population_of(&wf::population_csv(&store, second.id).await.unwrap());
        verify_draw(&d2.document, &population).unwrap();
    }
}

/// 更换检查组成员: one member leaves (a late 回避), the new one is drawn from the assignment's
/// published pool under suiji-assign/1 with the seed `<draw seed>/replace/<inspection>/<n>`,
/// the other stays, and anyone can re-check it from the published files.
#[tokio::test]
async fn a_team_member_is_replaced_by_a_draw_and_the_others_stay() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        county(&store).await;
        let t = published_task(&store, &definition()).await;
        let d = wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        let a = wf::assign_random(&store, t.id, &organizer()).await.unwrap();
        let team = &a.teams[0];
        let (leaving, staying) = (team.members[0].0.clone(), team.members[1].0.clone());
        let id = team.inspection_id;

        // A reason is required; the member must be on the team.
        let e = wf::replace_member(&store, id, &leaving, " ", &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["reason"], "{who}");
        let e = wf::replace_member(&store, id, "JC-NOBODY", "申请回避", &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["member"], "{who}");

        let c =
            wf::replace_member(&store, id, &leaving, "与被检查单位负责人系近亲属，申请回避", &organizer())
                .await
                .unwrap();
        assert_eq!((c.n, c.gone_cert.as_str()), (1, leaving.as_str()));
        assert_eq!(c.document.seed, format!("{}/replace/{id}/1", d.seed), "{who}");
        assert!(c.chosen_cert != leaving && c.chosen_cert != staying && !c.chosen_name.is_empty());
        let now = wf::inspection(&store, id).await.unwrap();
        let members: Vec<&str> = now.members.iter().map(|(cert, _)| cert.as_str()).collect();
        assert_eq!(members, [c.chosen_cert.as_str(), staying.as_str()], "the new member takes the place");

        // Anyone re-checks it from the assignment's published pool.
        let pool: Vec<suiji_draw::Inspector> = a
            .inspectors_csv
            .lines()
            .skip(1)
            .map(|l| {
                let (id, department) = l.split_once(',').unwrap();
                suiji_draw::Inspector { id: id.into(), department: department.into() }
            })
            .collect();
        suiji_draw::verify_replacement(&c.document, Some(&d.seed), &pool).unwrap();
        let mut forged = c.document.clone();
        forged.chosen = staying.clone();
        assert!(suiji_draw::verify_replacement(&forged, Some(&d.seed), &pool).is_err());

        // A second change of the same team is the second draw of that inspection.
        let c2 = wf::replace_member(&store, id, &staying, "因病住院", &organizer()).await.unwrap();
        assert_eq!(c2.document.seed, format!("{}/replace/{id}/2", d.seed));
        assert!(c2.chosen_cert != leaving, "one who left is not drawn back");
        assert_eq!(wf::member_changes(&store, t.id).await.unwrap().len(), 2);
        assert_eq!(
            wf::member_change(&store, c.id).await.unwrap().reason,
            "与被检查单位负责人系近亲属，申请回避"
        );

        // Once the result is entered, the team stays as it was.
        let inspector = Actor { name: "inspector".into(), role: "inspector".into() };
        let lead = wf::inspection(&store, id).await.unwrap().members[0].0.clone();
        wf::save_form(&store, id, &form(&["RS-001", "RS-010"]), Some(&lead), &inspector).await.unwrap();
        let e = wf::replace_member(&store, id, &lead, "调离", &organizer()).await.unwrap_err();
        assert!(is_state(&e), "{who}: {e}");
        let report = audit::verify_log(&store, &audit::VerifyOptions::default()).await.unwrap();
        assert!(report.problems.is_empty(), "{who}: {:?}", report.problems);
    }
}

/// 综合查一次: two departments' tasks that drew the same firms for overlapping weeks are told of
/// each other before their teams go out; a task of another period is not.
#[tokio::test]
async fn overlapping_visits_of_two_departments_are_listed() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        let c = county(&store).await;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let every = |title: &str, department: &str, from: NaiveDate, to: NaiveDate| TaskDefinition {
            title: title.into(),
            reserve: 0,
            window_start: from,
            window_end: to,
            ..suiji_store::testing::task(department, SizeSpec::Count(40))
        };
        let a = published_task(
            &store,
            &every("工资支付抽查", "劳动保障监察科", day(2026, 6, 1), day(2026, 6, 30)),
        )
        .await;
        assert!(wf::overlaps(&store, a.id).await.unwrap().overlaps.is_empty(), "nothing before the draw");
        let b =
            published_task(&store, &every("社保登记抽查", "社会保险科", day(2026, 6, 15), day(2026, 7, 15)))
                .await;
        let later =
            published_task(&store, &every("次年抽查", "社会保险科", day(2027, 1, 5), day(2027, 1, 30))).await;
        for t in [&a, &b, &later] {
            wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        }
        let o = wf::overlaps(&store, a.id).await.unwrap();
        assert_eq!((o.firms, o.overlaps.len()), (40, 40), "{who}");
        let first = &o.overlaps[0];
        assert_eq!(
            (first.task_id, first.department.as_str(), first.status.as_str()),
            (b.id, "社会保险科", "drawn")
        );
        assert!(c.targets.contains(&first.uscc) && !first.name.is_empty(), "{first:?}");
        assert!(o.overlaps.iter().all(|x| x.task_id == b.id), "the next year's task is another period");
        assert!(wf::overlaps(&store, later.id).await.unwrap().overlaps.is_empty(), "{who}");
        // Once the other task's teams are made, its visits read as assigned.
        wf::assign_random(&store, b.id, &organizer()).await.unwrap();
        let o = wf::overlaps(&store, a.id).await.unwrap();
        assert!(o.overlaps.iter().all(|x| x.status == "assigned"), "{who}: {:?}", o.overlaps[0]);
        assert_eq!(wf::overlaps(&store, b.id).await.unwrap().overlaps[0].task_id, a.id);
    }
}

/// Weights by risk class multiply those by grade, and the population file publishes the product.
#[tokio::test]
async fn risk_classes_weigh_the_draw_in_the_published_population() {
    use suiji_domain::workflow::RiskWeights;
    for db in databases().await {
        let store = db.open().await;
        county(&store).await;
        let def = TaskDefinition {
            // The county's firms are unclassified: each weighs three times its grade's weight.
            risk_weights: Some(RiskWeights { a: 1, b: 1, c: 2, d: 5, unclassified: 3 }),
            ..suiji_store::testing::task("劳动保障监察科", SizeSpec::Count(5))
        };
        let t = published_task(&store, &def).await;
        let csv = wf::population_csv(&store, t.id).await.unwrap();
        let weights: Vec<u32> =
            csv.lines().skip(1).map(|l| l.split(',').nth(1).unwrap().parse().unwrap()).collect();
        assert_eq!(weights.len(), 40, "{}", db.backend);
        assert!(weights.iter().all(|w| [3, 6, 12].contains(w)), "{}: {weights:?}", db.backend);
        assert!(weights.contains(&3) && weights.contains(&12), "{weights:?}");
        let zero =
            TaskDefinition { risk_weights: Some(RiskWeights { d: 0, ..def.risk_weights.unwrap() }), ..def };
        let problems = wf::preview(&store, &zero).await.unwrap().problems;
        assert!(problems.iter().any(|p| p.field == "risk_weights"), "no class weighs nothing: {problems:?}");
    }
}

/// 综合查一次: two departments' tasks that drew the same firms for the same weeks merge those
/// visits — one joint team a firm, drawn over both pools with each department's two and
/// re-checkable; one form enters both tasks' items; each task publishes its own result; the
/// ledger counts one visit.
#[tokio::test]
async fn two_tasks_merge_their_visits_and_each_publishes_its_result() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        let c = county(&store).await;
        let a = published_task(
            &store,
            &TaskDefinition {
                reserve: 0,
                ..suiji_store::testing::task("劳动保障监察科", SizeSpec::Count(4))
            },
        )
        .await;
        let b = published_task(
            &store,
            &TaskDefinition {
                title: "社保登记抽查".into(),
                items: vec!["RS-010".into()],
                reserve: 0,
                window_end: day(7, 15),
                ..suiji_store::testing::task("社会保险科", SizeSpec::Count(40))
            },
        )
        .await;
        for t in [&a, &b] {
            wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        }
        wf::assign_random(&store, a.id, &organizer()).await.unwrap();
        let firms: Vec<String> =
            wf::overlaps(&store, a.id).await.unwrap().overlaps.into_iter().map(|o| o.uscc).collect();
        assert_eq!(firms.len(), 4, "{who}");
        let e = wf::merge_visits(&store, a.id, b.id, &firms, &organizer()).await.unwrap_err();
        assert!(is_state(&e), "{who}: the other task has no teams yet: {e}");
        wf::assign_random(&store, b.id, &organizer()).await.unwrap();
        let e = wf::merge_visits(&store, a.id, a.id, &firms, &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["with"]);
        let stranger = c.targets.iter().find(|t| !firms.contains(t)).unwrap().clone();
        let e = wf::merge_visits(&store, a.id, b.id, &[stranger], &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["targets"], "{who}: a firm only one task drew");

        let m = wf::merge_visits(&store, a.id, b.id, &firms, &organizer()).await.unwrap();
        let (sa, sb) = (
            wf::draws_of(&store, a.id).await.unwrap()[0].seed.clone(),
            wf::draws_of(&store, b.id).await.unwrap()[0].seed.clone(),
        );
        assert_eq!(m.seed, format!("{sa}+{sb}/merge"), "{who}");
        assert_eq!(m.visits.len(), 4);
        let depts: BTreeMap<&str, u32> = BTreeMap::from([("劳动保障监察科", 2), ("社会保险科", 2)]);
        assert_eq!(
            m.document.require.as_ref().map(|r| r.iter().map(|(k, v)| (k.as_str(), *v)).collect()),
            Some(depts)
        );
        for v in &m.visits {
            assert_eq!(v.members.len(), 4, "{who}: two of each department");
            let ours = wf::inspection(&store, v.inspection_id).await.unwrap();
            let theirs = wf::inspection(&store, v.with_inspection_id).await.unwrap();
            assert_eq!((ours.task_id, theirs.task_id), (a.id, b.id));
            assert_eq!(ours.members, v.members, "{who}: both inspections have the joint team");
            assert_eq!(theirs.members, v.members);
            for r in &c.recusals {
                assert!(!(r.1 == v.uscc && v.members.iter().any(|m| m.0 == r.0)), "{who}: a recusal kept");
            }
        }
        // Anyone re-checks the joint teams from the published pool and recusals.
        let parse = |text: &str| -> Vec<Vec<String>> {
            text.lines().skip(1).map(|l| l.split(',').map(str::to_owned).collect()).collect()
        };
        let pool: Vec<suiji_draw::Inspector> = parse(&m.inspectors_csv)
            .into_iter()
            .map(|r| suiji_draw::Inspector { id: r[0].clone(), department: r[1].clone() })
            .collect();
        let recusals: Vec<suiji_draw::Recusal> = parse(&m.recusals_csv)
            .into_iter()
            .map(|r| suiji_draw::Recusal { inspector_id: r[0].clone(), target_id: r[1].clone() })
            .collect();
        assert_eq!(pool.len(), 6, "{who}: both departments' active inspectors");
        suiji_draw::verify_merge(&m.document, Some((&sa, &sb)), &pool, &recusals).unwrap();
        // Merged once: again is refused, and the overlap is gone.
        let e = wf::merge_visits(&store, a.id, b.id, &firms[..1], &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["targets"], "{who}");
        assert!(wf::overlaps(&store, a.id).await.unwrap().overlaps.is_empty(), "{who}");
        assert_eq!(wf::merges_of_task(&store, b.id).await.unwrap().len(), 1);
        // The joint team is not changed one task at a time.
        let v = &m.visits[0];
        let e = wf::replace_member(&store, v.inspection_id, &v.members[1].0, "因病", &organizer()).await;
        assert!(is_state(&e.unwrap_err()), "{who}");
        // One visit on the ledger.
        let ledger = wf::ledger(&store, &v.uscc, 2026).await.unwrap();
        assert_eq!(ledger.visits.len(), 2, "{who}");
        assert_eq!(ledger.count.visits, 1, "{who}: a merged visit is one visit");
        assert!(ledger.visits.iter().all(|x| x.merged_with.is_some()), "{who}");
        // One form: both tasks' items; each half keeps its own.
        let lead = v.members[0].0.clone();
        let e = wf::save_form(&store, v.inspection_id, &form(&["RS-001"]), Some(&lead), &organizer()).await;
        assert_eq!(fields(e.unwrap_err()), ["items"], "{who}: the other task's item has no result");
        let e = wf::save_form(
            &store,
            v.inspection_id,
            &form(&["RS-001", "RS-010", "RS-999"]),
            Some(&lead),
            &organizer(),
        )
        .await;
        assert_eq!(fields(e.unwrap_err()), ["items"], "{who}: an item of neither task");
        wf::save_form(&store, v.with_inspection_id, &form(&["RS-001", "RS-010"]), Some(&lead), &organizer())
            .await
            .unwrap();
        let ours = wf::inspection(&store, v.inspection_id).await.unwrap();
        let theirs = wf::inspection(&store, v.with_inspection_id).await.unwrap();
        assert_eq!((ours.status.as_str(), theirs.status.as_str()), ("entered", "entered"), "{who}");
        let items = |i: &wf::InspectionView| {
            i.form.as_ref().unwrap().items.iter().map(|r| r.item.clone()).collect::<Vec<_>>()
        };
        assert_eq!((items(&ours), items(&theirs)), (vec!["RS-001".to_owned()], vec!["RS-010".to_owned()]));
        for (id, other) in [(v.inspection_id, &b.code), (v.with_inspection_id, &a.code)] {
            let i = wf::publish_result(&store, id, Some(&lead), &organizer()).await.unwrap();
            let said = i.publications[0].content.merged_with.clone().unwrap_or_default();
            assert!(said.contains(other.as_str()), "{who}: {said}");
        }
        let report = audit::verify_log(&store, &audit::VerifyOptions::default()).await.unwrap();
        assert!(report.problems.is_empty(), "{who}: {:?}", report.problems);
    }
}

/// 触发式事项清单: an item imported for triggered inspections only is refused to a random task
/// and taken by a triggered one; an item for random inspections only, the other way round.
#[tokio::test]
async fn the_trigger_item_list_keeps_each_kind_of_task_to_its_items() {
    use suiji_domain::codes::Codes;
    use suiji_domain::directory::{Item, ListKind, RawRow, Sheet};
    use suiji_store::directory::{self, ImportOptions};
    for db in databases().await {
        let store = db.open().await;
        county(&store).await;
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let rows = vec![
            row(&["事项编码", "事项名称", "类别", "适用范围"]),
            row(&["RS-011", "拖欠工资投诉举报核查", "重点", "触发式抽查"]),
            row(&["RS-012", "年度例行检查", "重点", "随机抽查"]),
        ];
        let sheet = Sheet::new(
            ListKind::Items,
            rows.into_iter().enumerate().map(|(i, r)| RawRow::new(i as u64 + 1, r)),
        )
        .unwrap();
        let options = ImportOptions {
            actor: Actor::system("tester"),
            file_name: "items.csv".into(),
            file_sha256: "0".repeat(64),
            retire_missing: false,
            own: None,
        };
        directory::import::<Item>(&store, &sheet, Codes::builtin(), &options, &|_, _, _| {}).await.unwrap();
        let random = |item: &str| TaskDefinition {
            items: vec![item.into()],
            ..suiji_store::testing::task("劳动保障监察科", SizeSpec::Count(1))
        };
        let triggered = |item: &str| TaskDefinition {
            kind: TaskKind::Triggered,
            trigger: "12345热线投诉".into(),
            trigger_kind: Some(LeadSource::Complaint),
            ..random(item)
        };
        let save = |def: TaskDefinition| {
            let store = store.clone();
            async move { wf::save_task(&store, None, &wf::Filing::default(), &def, &organizer(), None).await }
        };
        assert_eq!(fields(save(random("RS-011")).await.unwrap_err()), ["items"], "{}", db.backend);
        assert_eq!(fields(save(triggered("RS-012")).await.unwrap_err()), ["items"], "{}", db.backend);
        save(triggered("RS-011")).await.unwrap();
        save(random("RS-012")).await.unwrap();
        save(triggered("RS-001")).await.unwrap();
        let report = audit::verify_log(&store, &audit::VerifyOptions::default()).await.unwrap();
        assert!(report.problems.is_empty(), "{}: {:?}", db.backend, report.problems);
    }
}

/// 无事不扰 after the draw: a drawn firm found gone is replaced by the first reserve entity not
/// at its yearly limit now. Another task's draw that has since brought every reserve firm to
/// the task's cap leaves none to take its place (refused, nothing changed); once that draw is
/// annulled, the first reserve takes it.
#[tokio::test]
async fn a_gone_firm_is_not_replaced_by_a_reserve_now_at_its_limit() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        county(&store).await;
        let capped = TaskDefinition { yearly_cap: 1, ..definition() };
        let t = published_task(&store, &capped).await;
        let d = wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        assert_eq!(d.document.reserve.len(), 2);
        // Another random task draws every firm it may: the reserve firms among them.
        let all = TaskDefinition { title: "全覆盖抽查".into(), reserve: 0, ..definition() };
        let all = TaskDefinition { size: SizeSpec::Count(40), ..all };
        let other = published_task(&store, &all).await;
        let o = wf::draw_task(&store, other.id, SeedInput::System, &organizer()).await.unwrap();
        assert_eq!(o.targets.len(), 40, "{who}");

        let gone = d.document.selected[0].id.clone();
        let e = wf::replace_gone(&store, d.id, &gone, "已注销", &organizer()).await.unwrap_err();
        assert!(is_state(&e) && e.to_string().contains("上限"), "{who}: {e}");
        let d = wf::draw_by_id(&store, d.id).await.unwrap();
        assert!(d.replacements.is_empty() && d.targets.iter().any(|s| s.id == gone), "{who}: unchanged");

        wf::annul_draw(&store, o.id, "测试：撤销全覆盖抽取", &organizer()).await.unwrap();
        let r = wf::replace_gone(&store, d.id, &gone, "已注销", &organizer()).await.unwrap();
        assert_eq!(r.replacement, d.document.reserve[0].id, "{who}");
    }
}

/// 对照样本: beside a directed draw, a control sample without weights or strata from the firms
/// the draw left (neither selected nor reserve). It is inspected like the rest — teams, the
/// ledger, the yearly limits — is not replaced when found gone, and anyone re-checks it from the
/// published population alone; firms of it found at a yearly limit at the draw are left out.
#[tokio::test]
async fn a_control_sample_is_drawn_beside_a_directed_draw_and_inspected_like_the_rest() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        county(&store).await;

        // Firms at a limit since the task was published: the draw's stay (noted), the control
        // sample's are left out of it (it has no reserve).
        let capped = TaskDefinition {
            title: "控制样本上限".into(),
            yearly_cap: 1,
            reserve: 0,
            control: 3,
            ..definition()
        };
        let capped = published_task(&store, &capped).await;
        let every = TaskDefinition {
            title: "全覆盖抽查".into(),
            reserve: 0,
            size: SizeSpec::Count(40),
            ..definition()
        };
        let every = published_task(&store, &every).await;
        let all = wf::draw_task(&store, every.id, SeedInput::System, &organizer()).await.unwrap();
        let d = wf::draw_task(&store, capped.id, witnesses(), &organizer()).await.unwrap();
        let notes = d.notes.clone().unwrap();
        assert_eq!(notes.over_limit.len(), 4, "{who}");
        assert_eq!(notes.control_over_limit.len(), 3, "{who}");
        assert_eq!(d.targets, d.document.selected, "{who}: no control firm to inspect");
        let left_out = &d.control.as_ref().unwrap().selected[0].id;
        assert!(d.control_left_out(left_out));
        assert_eq!(
            wf::ledger(&store, left_out, 2026).await.unwrap().count.random,
            1,
            "{who}: not counted twice"
        );
        wf::annul_draw(&store, d.id, "测试：上限情形", &organizer()).await.unwrap();
        wf::annul_draw(&store, all.id, "测试：撤销全覆盖抽取", &organizer()).await.unwrap();

        // More than the draw and its reserve leave (40 − 4 − 2 = 34) is refused at publishing.
        let too_many = TaskDefinition { control: 35, ..definition() };
        let draft =
            wf::save_task(&store, None, &wf::Filing::default(), &too_many, &organizer(), None).await.unwrap();
        let e = wf::publish_task(&store, draft.id, &organizer()).await.unwrap_err();
        assert_eq!(fields(e), ["control"], "{who}");

        let t = published_task(&store, &TaskDefinition { control: 5, ..definition() }).await;
        let d = wf::draw_task(&store, t.id, witnesses(), &organizer()).await.unwrap();
        let c = d.control.clone().expect("a control sample");
        assert_eq!(c.seed, format!("{}/control", d.seed));
        assert_eq!((c.population_size, c.selected.len(), c.reserve.len()), (34, 5, 0), "{who}");
        let drawn: Vec<&str> =
            d.document.selected.iter().chain(&d.document.reserve).map(|s| s.id.as_str()).collect();
        assert!(c.selected.iter().all(|s| !drawn.contains(&s.id.as_str())), "{who}");
        // The targets: the draw's four, then the control sample's five.
        assert_eq!(d.targets[..4], d.document.selected[..], "{who}");
        assert_eq!(d.targets[4..], c.selected[..], "{who}");
        assert!(d.in_control(&c.selected[0].id) && !d.in_control(&d.document.selected[0].id));
        // Re-checked from the published population, and from the control population file.
        let population = population_of(&wf::population_csv(&store, t.id).await.unwrap());
        verify_draw(&d.document, &population).unwrap();
        suiji_draw::verify_control(&c, &d.document, &population).unwrap();
        let control_population = wf::control_population_csv(&store, d.id).await.unwrap().unwrap();
        verify_draw(&c, &population_of(&control_population)).unwrap();
        suiji_draw::check_targets(&d.effective_document(), &d.document, Some(&c)).unwrap();
        // A control firm is not replaced when found gone: what it is found to be is its result.
        let e = wf::replace_gone(&store, d.id, &c.selected[0].id, "已注销", &organizer()).await.unwrap_err();
        assert!(is_state(&e) && e.to_string().contains("对照样本"), "{who}: {e}");
        // It is drawn by a random task: on the ledger and counted toward the yearly cap.
        assert_eq!(wf::ledger(&store, &c.selected[0].id, 2026).await.unwrap().count.random, 1, "{who}");
        let a = wf::assign_random(&store, t.id, &organizer()).await.unwrap();
        assert_eq!(a.teams.len(), 9, "{who}");
        assert_eq!(a.teams[8].uscc, c.selected[4].id, "{who}");
        // A draw without one has none, and no control population.
        assert!(wf::draw_by_id(&store, all.id).await.unwrap().control.is_none());
        assert!(wf::control_population_csv(&store, all.id).await.unwrap().is_none());
        let report = audit::verify_log(&store, &audit::VerifyOptions::default()).await.unwrap();
        assert!(report.is_intact(), "{who}: {:?}", report.problems);
    }
}

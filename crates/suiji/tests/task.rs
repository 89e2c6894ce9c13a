//! `suiji task` and `suiji user link-inspector` end to end, on SQLite and (with SUIJI_TEST_PG)
//! PostgreSQL: a task taken through the whole workflow, then exported for 归档 and read back.

use std::io::Read;
use std::process::{Command, Output};
use suiji_domain::workflow::*;
use suiji_store::audit::Actor;
use suiji_store::testing::{county, databases};
use suiji_store::workflow::{self as wf, Contribution, SeedInput};

fn suiji(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_suiji")).args(args).env("SUIJI_DB", db).output().expect("suiji runs")
}

fn ok(db: &str, args: &[&str]) -> String {
    let o = suiji(db, args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// A task of two targets for `department`'s inspectors, published, drawn and assigned.
async fn drawn_and_assigned(store: &suiji_store::Store, title: &str, department: &str) -> wf::AssignmentView {
    let organizer = Actor::system("organizer");
    let def =
        TaskDefinition { title: title.into(), ..suiji_store::testing::task(department, SizeSpec::Count(2)) };
    let t = wf::save_task(store, None, &wf::Filing::default(), &def, &organizer, None).await.unwrap();
    wf::publish_task(store, t.id, &organizer).await.unwrap();
    let seed = SeedInput::Witnesses(vec![Contribution {
        name: "见证人".into(),
        digits: "98765432109876543210".into(),
    }]);
    wf::draw_task(store, t.id, seed, &organizer).await.unwrap();
    wf::assign_random(store, t.id, &organizer).await.unwrap()
}

#[tokio::test]
async fn a_task_exported_for_the_archive() {
    for db in databases().await {
        let store = db.open().await;
        let c = county(&store).await;
        let url = db.url.as_str();
        let a = drawn_and_assigned(&store, "社会保险抽查", "社会保险科").await;
        let member = c.insurers[0].as_str();
        wf::add_evidence(
            &store,
            a.teams[0].inspection_id,
            "询问笔录.pdf",
            "application/pdf",
            b"%PDF-1.4".to_vec(),
            Some(member),
            &Actor::system("inspector"),
        )
        .await
        .unwrap();

        // Linking an account: an unknown certificate is refused with exit 2.
        ok(url, &["user", "add", "li.ming", "--role", "inspector"]);
        let bad = suiji(url, &["user", "link-inspector", "li.ming", "没有这个证号"]);
        assert_eq!(bad.status.code(), Some(2), "{}", db.backend);
        let out = ok(url, &["user", "link-inspector", "li.ming", member]);
        assert_eq!(out.trim(), format!("li.ming is linked to {member}"));

        let list = ok(url, &["task", "list"]);
        assert!(list.contains("T-2026-001\tassigned\t社会保险抽查"), "{list}");
        let dir = tempfile::tempdir().unwrap();
        let zip_path = dir.path().join("T-2026-001.zip");
        let out = ok(url, &["task", "export-archive", "T-2026-001", "--out", zip_path.to_str().unwrap()]);
        assert!(out.starts_with("wrote "), "{out}");
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
        let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
        for wanted in [
            "task.json",
            "population.csv",
            "draws/1/draw.json",
            "draws/1/assignment.json",
            "audit.json",
            "MANIFEST.txt",
        ] {
            assert!(names.iter().any(|n| n == wanted), "{wanted} is missing from {names:?}");
        }
        let evidence = names.iter().find(|n| n.ends_with("询问笔录.pdf")).expect("the evidence file");
        let mut bytes = Vec::new();
        zip.by_name(evidence).unwrap().read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes, b"%PDF-1.4");
        let mut manifest = String::new();
        zip.by_name("MANIFEST.txt").unwrap().read_to_string(&mut manifest).unwrap();
        assert!(
            manifest.contains("  population.csv\n") && manifest.contains("audit chain head"),
            "{manifest}"
        );
        let mut audit = String::new();
        zip.by_name("audit.json").unwrap().read_to_string(&mut audit).unwrap();
        for action in ["task.add", "task.publish", "draw.make", "teams.assign", "evidence.add"] {
            assert!(
                audit.contains(&format!("\"{action}\"")),
                "{action} is not in the archive's audit entries"
            );
        }

        // An unknown task: exit 2, nothing written.
        let missing = dir.path().join("none.zip");
        let o = suiji(url, &["task", "export-archive", "T-1999-999", "--out", missing.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        assert!(!missing.exists());
    }
}

/// `suiji rectification`: a result ordering rectification, listed; a follow-up scheduled by a
/// drawn team; found not rectified; the deadline extended once (a second time refused with
/// exit 2); the case referred, which closes it.
#[tokio::test]
async fn rectifications_from_the_shell() {
    for db in databases().await {
        let store = db.open().await;
        let c = county(&store).await;
        let url = db.url.as_str();
        let a = drawn_and_assigned(&store, "工资支付抽查", "劳动保障监察科").await;
        let team = &a.teams[0];
        let lead = team.members[0].0.clone();
        let inspector = Actor::system("inspector");
        let today = wf::china_today();
        let mut form: InspectionForm = serde_json::from_value(serde_json::json!({
            "started_on": "2026-06-10", "ended_on": "2026-06-10",
            "items": [{"item": "RS-001", "verdict": "non_compliant", "basis": "《保障农民工工资支付条例》第十一条"}],
            "findings": "拖欠工资", "conclusion": "corrected", "handling": {"rectify_by": "2026-06-30"},
            "signed": true, "summary": "已责令改正。"
        }))
        .unwrap();
        wf::save_form(&store, team.inspection_id, &form, Some(&lead), &inspector).await.unwrap();
        wf::publish_result(&store, team.inspection_id, Some(&lead), &inspector).await.unwrap();

        let list = ok(url, &["rectification", "list", "--status", "overdue"]);
        assert!(list.starts_with(&format!("1\t{}\t", team.uscc)) && list.contains("2026-06-30"), "{list}");
        assert!(ok(url, &["rectification", "list", "--status", "closed"]).is_empty());
        let scheduled = ok(url, &["rectification", "follow-up", "1", "--draw-team", "--as", "王建国"]);
        assert!(scheduled.contains("follow-up inspection"), "{scheduled}");
        let r = wf::rectification(&store, 1).await.unwrap();
        let f = r.pending_follow_up().unwrap().clone();
        assert!(f.members.iter().all(|(cert, _)| c.monitors.contains(cert)), "{:?}", f.members);
        form.started_on = today;
        form.ended_on = today;
        form.conclusion = Conclusion::PendingHandling;
        form.handling = Handling::default();
        form.follow_up = Some(FollowUpOutcome::NotRectified);
        wf::save_form(&store, f.inspection_id, &form, Some(&f.members[0].0), &inspector).await.unwrap();
        wf::publish_result(&store, f.inspection_id, Some(&f.members[0].0), &inspector).await.unwrap();

        let until = (today + chrono::Duration::days(30)).to_string();
        ok(url, &["rectification", "extend", "1", "--until", &until, "--reason", "企业申请延期"]);
        let again = suiji(url, &["rectification", "extend", "1", "--until", &until, "--reason", "再延"]);
        assert_eq!(again.status.code(), Some(2), "{}", db.backend);
        let closed =
            ok(url, &["rectification", "escalate", "1", "--kind", "referral", "--note", "移送县市场监管局"]);
        assert!(closed.ends_with("移送\n"), "{closed}");
        let entries = suiji_store::audit::latest(&store, None, 3).await.unwrap();
        assert_eq!(entries[0].action, "rectification.escalate");
        assert_eq!(entries[1].action, "rectification.extend");

        // The case opened ends in a penalty: recorded, listed as due, published, corrected.
        let date = today.to_string();
        let decision = |verb: &str, no: &str| -> Vec<String> {
            [
                "penalty",
                verb,
                "1",
                "--no",
                no,
                "--date",
                &date,
                "--facts",
                "拖欠工资逾期未支付",
                "--basis",
                "《保障农民工工资支付条例》第五十七条",
                "--penalty",
                "罚款人民币1万元",
                "--as",
                "王建国",
            ]
            .map(str::to_owned)
            .to_vec()
        };
        let run = |args: &[String]| suiji(url, &args.iter().map(String::as_str).collect::<Vec<_>>());
        let recorded = run(&decision("record", "偃人社监罚〔2026〕9号"));
        let recorded = String::from_utf8(recorded.stdout).unwrap();
        assert!(
            recorded.starts_with(&format!("1\t{}\t", team.uscc)) && recorded.contains("待公示"),
            "{recorded}"
        );
        let twice = run(&decision("record", "偃人社监罚〔2026〕9号"));
        assert_eq!(twice.status.code(), Some(2), "{}: one number, one decision", db.backend);
        assert!(ok(url, &["penalty", "list", "--status", "due"]).contains("偃人社监罚〔2026〕9号"));
        assert!(ok(url, &["penalty", "publish", "1"]).contains("已公示"));
        let mut correct = decision("correct", "偃人社监罚〔2026〕10号");
        let unexplained = run(&correct);
        assert_eq!(unexplained.status.code(), Some(2), "{}: a correction needs its reason", db.backend);
        correct.extend(["--reason".to_owned(), "文号更正".to_owned()]);
        let corrected = run(&correct);
        assert!(String::from_utf8(corrected.stdout).unwrap().contains("〔2026〕10号"), "{}", db.backend);
        let p = wf::penalty(&store, 1).await.unwrap();
        assert_eq!(p.notices.len(), 2, "{}", db.backend);
        let entries = suiji_store::audit::latest(&store, None, 1).await.unwrap();
        assert_eq!((entries[0].action.as_str(), entries[0].actor.as_str()), ("penalty.correct", "王建国"));

        // The year's grades: proposed (C: a rectification order not carried out), adjusted,
        // confirmed.
        assert_eq!(suiji(url, &["credit", "show"]).status.code(), Some(2), "none yet");
        let proposed = ok(url, &["credit", "evaluate", "--year", "2026", "--as", "王建国"]);
        assert!(proposed.starts_with("evaluation 1\t2026\tproposed"), "{proposed}");
        assert!(
            proposed.contains(&format!("{}\t", team.uscc)) && proposed.contains("\tC\t拒不履行"),
            "{proposed}"
        );
        let unexplained = suiji(url, &["credit", "adjust", "1", &team.uscc, "--grade", "B"]);
        assert_eq!(unexplained.status.code(), Some(2), "{}", db.backend);
        let adjusted =
            ok(url, &["credit", "adjust", "1", &team.uscc, "--grade", "B", "--reason", "已补发全部工资"]);
        assert!(adjusted.contains("\tB\t") && adjusted.contains("已补发全部工资"), "{adjusted}");
        let confirmed = ok(url, &["credit", "confirm", "1", "--as", "王建国"]);
        assert!(confirmed.starts_with("evaluation 1\t2026\tconfirmed"), "{confirmed}");
        assert_eq!(suiji(url, &["credit", "confirm", "1"]).status.code(), Some(2), "once");

        // The penalty puts the firm on the list of serious violations, published.
        let wrong = suiji(
            url,
            &["lists", "propose", "1", "--list", "major_violations", "--kind", "arrears_mass_incident"],
        );
        assert_eq!(wrong.status.code(), Some(2), "{}: not a kind of that list", db.backend);
        let proposed = ok(url, &["lists", "propose", "1", "--list", "major_violations", "--kind", "wages"]);
        assert!(
            proposed.starts_with(&format!("1\tmajor_violations\t{}", team.uscc))
                && proposed.contains("拟公布")
        );
        assert!(ok(url, &["lists", "publish", "1", "--as", "王建国"]).contains("已公布"));
        assert!(ok(url, &["lists", "show", "--status", "listed"]).starts_with("1\tmajor_violations"));
        assert_eq!(suiji(url, &["lists", "decide", "1"]).status.code(), Some(2), "not that list's step");

        // 推送: receivers, the outbox's log, the events as files.
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret.txt");
        std::fs::write(&secret, "short").unwrap();
        let hook =
            ["push", "add", "市场监管局", "--url", "https://scjg.example.gov.cn/suiji", "--secret-file"];
        let weak = suiji(url, &[&hook[..], &[secret.to_str().unwrap()]].concat());
        assert_eq!(weak.status.code(), Some(2), "{}: a secret of 16 bytes at least", db.backend);
        std::fs::write(&secret, "a-secret-shared-with-the-receiver").unwrap();
        ok(url, &[&hook[..], &[secret.to_str().unwrap(), "--events", "list.entered,list.removed"]].concat());
        assert_eq!(suiji(url, &["push", "add", "省平台", "--events", "nothing"]).status.code(), Some(2));
        ok(url, &["push", "add", "省平台"]);
        let log = ok(url, &["push", "log"]);
        assert!(
            log.contains("receiver 1\t市场监管局") && log.contains("receiver 2\t省平台\tfile\tall"),
            "{log}"
        );
        let out = dir.path().join("out");
        let exported = ok(url, &["push", "export", "--since", "2026-01-01", "--out", out.to_str().unwrap()]);
        assert!(exported.contains("events-2026-01-01.json"), "{exported}");
        let events: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("events-2026-01-01.json")).unwrap()).unwrap();
        let kinds: Vec<&str> =
            events.as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert!(kinds.contains(&"penalty.corrected") && kinds.contains(&"list.entered"), "{kinds:?}");
        assert!(out.join("events-2026-01-01.xlsx").exists());
    }
}

/// `suiji plan`: a plan added from a JSON file, refused when wrong (non-zero exit, nothing
/// saved), submitted, returned with a reason, approved and published, then shown line by line.
#[tokio::test]
async fn a_plan_from_the_shell() {
    for db in databases().await {
        let url = db.url.as_str();
        let store = db.open().await;
        county(&store).await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.json");
        let plan = |item: &str| {
            serde_json::json!({
                "year": 2026, "department": "社会保险科", "title": "社会保险抽查计划",
                "lines": [{"item": item, "expected_ratio_bp": 500,
                           "window_start": "2026-03-01", "window_end": "2026-06-30"}]
            })
            .to_string()
        };
        std::fs::write(&file, plan("RS-999")).unwrap();
        let path = file.to_str().unwrap();
        let o = suiji(url, &["plan", "add", "--file", path, "--as", "张三"]);
        assert_ne!(o.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("RS-999"),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(ok(url, &["plan", "list"]), "");

        std::fs::write(&file, plan("RS-010")).unwrap();
        let out = ok(url, &["plan", "add", "--file", path, "--as", "张三"]);
        let id = out.split('\t').next().unwrap().to_owned();
        assert!(out.ends_with("\t2026\tdraft\t社会保险科\t1\t社会保险抽查计划\n"), "{out}");
        ok(url, &["plan", "submit", &id, "--as", "张三"]);
        let o = suiji(url, &["plan", "return", &id, "--comment", " ", "--as", "王建国"]);
        assert_ne!(o.status.code(), Some(0), "a return says why");
        let out = ok(url, &["plan", "return", &id, "--comment", "请写明实施时间", "--as", "王建国"]);
        assert!(out.contains("\treturned\t"), "{out}");
        ok(url, &["plan", "set", &id, "--file", path, "--as", "张三"]);
        ok(url, &["plan", "submit", &id, "--as", "张三"]);
        ok(url, &["plan", "approve", &id, "--as", "王建国"]);
        let out = ok(url, &["plan", "publish", &id, "--as", "王建国"]);
        assert!(out.contains("\tpublished\t"), "{out}");
        let shown = ok(url, &["plan", "show", &id]);
        assert!(
            shown.contains("1\tRS-010 劳动用工备案情况检查\t-\t5%\t2026-03-01\t2026-06-30\t\t\t0\t0\t0\t0"),
            "{shown}"
        );
        assert_eq!(ok(url, &["plan", "list", "--year", "2025"]), "");

        // Another department's line on the same firms in April: offered for a joint task.
        let other = serde_json::json!({
            "year": 2026, "department": "劳动保障监察科", "title": "监察计划",
            "lines": [{"item": "RS-001", "expected_count": 3, "industries": ["E47"],
                       "window_start": "2026-04-01", "window_end": "2026-04-30"}]
        });
        std::fs::write(&file, other.to_string()).unwrap();
        let out = ok(url, &["plan", "add", "--file", path, "--as", "王建国"]);
        let other = out.split('\t').next().unwrap().to_owned();
        assert_eq!(ok(url, &["plan", "joint-offers"]), "", "a draft is not offered");
        ok(url, &["plan", "submit", &other, "--as", "王建国"]);
        let out = ok(url, &["plan", "joint-offers", "--year", "2026"]);
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(
            out.starts_with("2026\t社会保险科 ") && out.ends_with("\tE47\t2026-04-01..2026-04-30\n"),
            "{out}"
        );
    }
}

/// A member replaced after the assignment is re-checked by `suiji verify --replacement` from
/// the published files; a forged one is named. The firm's ledger prints from the shell.
#[tokio::test]
async fn a_replacement_is_verified_and_the_ledger_printed() {
    for db in databases().await {
        let store = db.open().await;
        let c = county(&store).await;
        let url = db.url.as_str();
        let a = drawn_and_assigned(&store, "工资支付抽查", "劳动保障监察科").await;
        let team = &a.teams[0];
        let change = wf::replace_member(
            &store,
            team.inspection_id,
            &team.members[1].0,
            "申请回避",
            &Actor::system("organizer"),
        )
        .await
        .unwrap();
        let draw = wf::draw_by_id(&store, a.draw_id).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, text: String| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p.to_str().unwrap().to_owned()
        };
        let d = file("draw.json", serde_json::to_string(&draw.document).unwrap());
        let p = file("population.csv", wf::population_csv(&store, draw.task_id).await.unwrap());
        let assignment = file("assignment.json", serde_json::to_string(&a.document).unwrap());
        let pool = file("inspectors.csv", a.inspectors_csv.clone());
        let recusals = file("recusals.csv", a.recusals_csv.clone());
        let r = file("replacement.json", serde_json::to_string(&change.document).unwrap());
        let args = |r: &str| {
            let mut args = vec!["verify", "--draw", &d, "--population", &p, "--assignment", &assignment];
            args.extend(["--inspectors", &pool, "--recusals", &recusals, "--replacement"]);
            args.push(r);
            args.into_iter().map(str::to_owned).collect::<Vec<String>>()
        };
        let out = ok(url, &args(&r).iter().map(String::as_str).collect::<Vec<_>>());
        assert!(out.contains(&format!("{} gives way to {}", change.gone_cert, change.chosen_cert)), "{out}");
        let mut forged = change.document.clone();
        forged.chosen = team.members[0].0.clone();
        let f = file("forged.json", serde_json::to_string(&forged).unwrap());
        let o = suiji(url, &args(&f).iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
        assert!(String::from_utf8_lossy(&o.stderr).contains("replacement"), "{}", db.backend);

        // The ledger of the firm drawn: one random visit, planned.
        let out = ok(url, &["target", "inspections", &team.uscc, "--year", "2026"]);
        let mut lines = out.lines();
        assert!(lines.next().unwrap().contains("random=1/2\tvisits=1/4"), "{out}");
        assert!(
            lines
                .next()
                .unwrap()
                .contains("\tplanned\trandom\tT-2026-001\t劳动保障监察科\ton-site\tassigned\t-"),
            "{out}"
        );
        let o = suiji(url, &["target", "inspections", "NOSUCHFIRM"]);
        assert_eq!(o.status.code(), Some(2), "{}", db.backend);

        // A complaint about the firm, registered and read back with its risk score.
        let today = wf::china_today().to_string();
        let add = |source: &str, target: &str| {
            suiji(
                url,
                &["lead", "add", "--source", source, "--received", &today, "--target", target]
                    .into_iter()
                    .chain([
                        "--summary",
                        "职工反映拖欠工资两个月",
                        "--reference",
                        "12345-0031",
                        "--as",
                        "王建国",
                    ])
                    .collect::<Vec<_>>(),
            )
        };
        let o = add("complaint", &team.uscc);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let id = String::from_utf8_lossy(&o.stdout).trim().to_owned();
        let out = ok(url, &["lead", "show", &id]);
        assert!(out.contains("\tcomplaint\topen\t"), "{out}");
        assert!(out.contains(&format!("risk\t{}\t", team.uscc)) && out.contains("leads=10"), "{out}");
        assert!(out.contains("summary\t职工反映拖欠工资两个月"), "{out}");
        let out = ok(url, &["lead", "list", "--status", "open"]);
        assert!(out.lines().any(|l| l.starts_with(&format!("{id}\t"))), "{out}");
        for (source, target) in [("letter", team.uscc.as_str()), ("投诉举报", "123")] {
            let o = add(source, target);
            assert_eq!(o.status.code(), Some(2), "{}: {source} {target}", db.backend);
        }
        assert_eq!(ok(url, &["lead", "list"]).lines().count(), 1, "nothing half-written");
        // 不予立项: closed with its reason, once; without a reason, refused.
        let o = suiji(url, &["lead", "close", &id, "--reason", " "]);
        assert_eq!(o.status.code(), Some(2), "{}: a reason is needed", db.backend);
        let out =
            ok(url, &["lead", "close", &id, "--reason", "经初步核实，工资已足额支付", "--as", "王建国"]);
        assert!(out.contains("\tcomplaint\tclosed\t"), "{out}");
        let out = ok(url, &["lead", "show", &id]);
        assert!(out.contains("closed\t王建国\t经初步核实，工资已足额支付"), "{out}");
        let o = suiji(url, &["lead", "close", &id, "--reason", "again"]);
        assert_eq!(o.status.code(), Some(2), "{}: closed once", db.backend);
        assert_eq!(ok(url, &["lead", "list", "--status", "closed"]).lines().count(), 1);
        let _ = c;
    }
}

/// 综合查一次 from the shell: two departments' tasks merge every visit they share; the joint
/// teams re-check with `suiji verify --merge`, a forged one does not; the ledger counts one visit.
#[tokio::test]
async fn two_tasks_merge_from_the_shell_and_the_joint_teams_re_check() {
    for db in databases().await {
        let store = db.open().await;
        county(&store).await;
        let url = db.url.as_str();
        let organizer = Actor::system("organizer");
        let mut ids = Vec::new();
        for (title, department, size) in
            [("工资支付抽查", "劳动保障监察科", 3), ("社保登记抽查", "社会保险科", 40)]
        {
            let def = TaskDefinition {
                title: title.into(),
                reserve: 0,
                ..suiji_store::testing::task(department, SizeSpec::Count(size))
            };
            let t =
                wf::save_task(&store, None, &wf::Filing::default(), &def, &organizer, None).await.unwrap();
            wf::publish_task(&store, t.id, &organizer).await.unwrap();
            wf::draw_task(&store, t.id, SeedInput::System, &organizer).await.unwrap();
            wf::assign_random(&store, t.id, &organizer).await.unwrap();
            ids.push(t.code);
        }
        let o = suiji(url, &["task", "merge", &ids[0], "--with", &ids[0]]);
        assert_eq!(o.status.code(), Some(2), "{}: a task does not merge with itself", db.backend);
        let out = ok(url, &["task", "merge", &ids[0], "--with", &ids[1], "--as", "王建国"]);
        let mut lines = out.lines();
        assert!(lines.next().unwrap().contains(&format!("{} with {}", ids[0], ids[1])), "{out}");
        let firm = lines.next().unwrap().split('\t').next().unwrap().to_owned();
        assert_eq!(out.lines().count(), 4, "every firm both drew: {out}");
        let o = suiji(url, &["task", "merge", &ids[0], "--with", &ids[1]]);
        assert_eq!(o.status.code(), Some(2), "{}: nothing left to merge", db.backend);

        let m =
            wf::merges_of_task(&store, wf::task_by_code(&store, &ids[0]).await.unwrap().id).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, text: String| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p.to_str().unwrap().to_owned()
        };
        let merge = file("merge.json", serde_json::to_string(&m[0].document).unwrap());
        let pool = file("inspectors.csv", m[0].inspectors_csv.clone());
        let recusals = file("recusals.csv", m[0].recusals_csv.clone());
        let out = ok(url, &["verify", "--merge", &merge, "--inspectors", &pool, "--recusals", &recusals]);
        assert!(out.contains("3 joint teams recomputed") && out.contains("OK"), "{out}");
        let mut forged = m[0].document.clone();
        forged.teams[0].inspectors.swap(0, 1);
        let f = file("forged.json", serde_json::to_string(&forged).unwrap());
        let o = suiji(url, &["verify", "--merge", &f, "--inspectors", &pool, "--recusals", &recusals]);
        assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
        let o = suiji(url, &["verify", "--merge", &merge]);
        assert_eq!(o.status.code(), Some(2), "--merge needs --inspectors");

        let out = ok(url, &["target", "inspections", &firm, "--year", "2026"]);
        assert!(out.lines().next().unwrap().contains("visits=1/4"), "{}: one visit: {out}", db.backend);
        assert!(out.contains(&format!("merged with {}", ids[0])) && out.contains("(counted there)"), "{out}");
    }
}

/// `suiji stats`: a year's figures as lines or as the API's JSON; a period it cannot count is
/// refused with exit 2.
#[tokio::test]
async fn stats_counts_a_year() {
    for db in databases().await {
        let store = db.open().await;
        county(&store).await;
        let url = db.url.as_str();
        drawn_and_assigned(&store, "社会保险抽查", "社会保险科").await;
        let out = ok(url, &["stats", "--year", "2026"]);
        let line = |name: &str| {
            out.lines().find(|l| l.starts_with(&format!("{name}\t"))).unwrap_or_default().to_owned()
        };
        assert_eq!(line("tasks_drawn"), "tasks_drawn\t1", "{}: {out}", db.backend);
        assert_eq!(line("coverage"), "coverage\t2\t40\t5%", "{}", db.backend);
        assert_eq!(line("never_drawn"), "never_drawn\t38");
        // No result is entered yet: nothing completed.
        assert_eq!(line("problems_found"), "problems_found\t0\t0\t—");
        let json: serde_json::Value =
            serde_json::from_str(&ok(url, &["stats", "--year", "2026", "--json"])).unwrap();
        assert_eq!(json["coverage"]["drawn"]["rate_bp"], 500);
        let other = ok(url, &["stats", "--year", "2026", "--department", "劳动保障监察科", "--json"]);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&other).unwrap()["tasks"], 0);
        for bad in
            [&["stats", "--year", "1999"][..], &["stats", "--from", "2026-07-01", "--to", "2026-06-01"]]
        {
            assert_eq!(suiji(url, bad).status.code(), Some(2), "{bad:?}");
        }
    }
}

/// `suiji report`: a task's report and a year's summary written as .docx and .xlsx, whole, by
/// the file's extension; an unknown task, year or extension is refused with exit 2 and nothing
/// written. (The figures are checked in crates/report/tests; the .pdf by the web's documents.)
#[tokio::test]
async fn report_writes_a_task_report_and_a_year_summary() {
    for db in databases().await {
        let store = db.open().await;
        county(&store).await;
        let url = db.url.as_str();
        let a = drawn_and_assigned(&store, "社会保险抽查", "社会保险科").await;
        let task = wf::task(&store, wf::draw_by_id(&store, a.draw_id).await.unwrap().task_id).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let docx = dir.path().join("任务总结报告.docx");
        let out = ok(url, &["report", "task", &task.code, "--out", docx.to_str().unwrap()]);
        assert!(out.contains("任务总结报告") && out.contains("审计日志截至第"), "{}: {out}", db.backend);
        let bytes = std::fs::read(&docx).unwrap();
        assert!(bytes.starts_with(b"PK"), "a .docx is a zip");
        let xlsx = dir.path().join("summary.xlsx");
        ok(url, &["report", "annual", "--year", "2026", "--out", xlsx.to_str().unwrap()]);
        assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
        let refused = dir.path().join("refused.docx");
        for bad in [
            &["report", "task", "T-2026-999", "--out", refused.to_str().unwrap()][..],
            &["report", "annual", "--year", "1999", "--out", refused.to_str().unwrap()],
            &["report", "annual", "--year", "2026", "--out", dir.path().join("x.txt").to_str().unwrap()],
        ] {
            assert_eq!(suiji(url, bad).status.code(), Some(2), "{bad:?}");
        }
        assert!(!refused.exists() && !dir.path().join("x.txt").exists(), "nothing written");
    }
}

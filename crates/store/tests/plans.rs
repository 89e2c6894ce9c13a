//! Annual plans on SQLite and PostgreSQL: a department drafts its plan line by line, submits
//! it; the 牵头科室 returns it with a comment or approves it, then publishes it; a department's
//! staff reach only their own plans; tasks carry out the lines of approved plans only, and the
//! plan's execution counts what they did. Every step is in the audit log, which verifies.

use suiji_domain::access::Role;
use suiji_domain::workflow::{PlanStatus, PlanStep, SizeSpec};
use suiji_store::audit::{self, Actor};
use suiji_store::testing::{county, databases, plan_line, task};
use suiji_store::workflow::{self as wf, Contribution, NewPlan, SeedInput, WorkflowError};

fn fields(e: WorkflowError) -> Vec<String> {
    match e {
        WorkflowError::Invalid(p) => p.into_iter().map(|p| p.field).collect(),
        other => panic!("not a refusal of the input: {other}"),
    }
}

#[tokio::test]
async fn a_plan_goes_from_draft_to_published_through_submit_and_approve() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        county(&store).await;
        let lead = Actor::user("organizer", Role::Organizer);
        let clerk = Actor::user("unit", Role::Unit);
        let own = Some("社会保险科");
        let mut new = NewPlan {
            year: 2026,
            department: "社会保险科".into(),
            title: "2026年度社会保险抽查计划".into(),
            description: "社会保险登记、缴费".into(),
            lines: Vec::new(),
        };

        // A department's staff draft only their own department's plan.
        let other = NewPlan { department: "劳动保障监察科".into(), ..new.clone() };
        let e = wf::save_plan(&store, None, &other, &clerk, own).await.unwrap_err();
        assert!(matches!(e, WorkflowError::Forbidden { .. }), "{who}: {e}");
        // A department not in use, an item not on the list, a joint department that is the
        // plan's own: each refused with its line, and nothing saved.
        let unknown = NewPlan { department: "财务科".into(), ..new.clone() };
        assert_eq!(
            fields(wf::save_plan(&store, None, &unknown, &lead, None).await.unwrap_err()),
            ["department"]
        );
        let mut wrong = new.clone();
        wrong.lines = vec![plan_line("RS-999", 5), plan_line("RS-010", 5)];
        wrong.lines[1].joint_departments = vec!["社会保险科".into()];
        assert_eq!(
            fields(wf::save_plan(&store, None, &wrong, &clerk, own).await.unwrap_err()),
            ["lines[1].item", "lines[2].joint_departments"],
            "{who}"
        );
        assert!(wf::plans(&store, false).await.unwrap().is_empty(), "{who}");

        // A draft without lines cannot be submitted.
        let p = wf::save_plan(&store, None, &new, &clerk, own).await.unwrap();
        assert_eq!(p.status, PlanStatus::Draft);
        let e = wf::plan_step(&store, p.id, PlanStep::Submit, "", &clerk, own).await.unwrap_err();
        assert!(matches!(e, WorkflowError::State { .. }), "{who}: {e}");

        // Its lines: RS-001 three targets jointly with the lead office, RS-010 at 5%.
        let mut ratio = plan_line("RS-010", 1);
        ratio.expected_count = None;
        ratio.expected_ratio_bp = Some(500);
        let mut joint = plan_line("RS-001", 3);
        joint.joint_departments = vec!["劳动保障监察科".into()];
        new.lines = vec![joint, ratio];
        let p = wf::save_plan(&store, Some(p.id), &new, &clerk, own).await.unwrap();
        assert_eq!(p.lines.len(), 2);
        assert_eq!(p.lines[0].item_name, "农民工工资支付情况检查");
        assert_eq!(p.lines[1].line.expected_ratio_bp, Some(500));

        // Submitted: fixed while the lead office looks at it; only the lead office approves.
        let p = wf::plan_step(&store, p.id, PlanStep::Submit, "", &clerk, own).await.unwrap();
        assert_eq!(p.status, PlanStatus::Submitted);
        assert!(matches!(
            wf::save_plan(&store, Some(p.id), &new, &clerk, own).await.unwrap_err(),
            WorkflowError::State { .. }
        ));
        let e = wf::plan_step(&store, p.id, PlanStep::Approve, "", &clerk, own).await.unwrap_err();
        assert!(matches!(e, WorkflowError::Forbidden { .. }), "{who}: {e}");
        // Not yet approved: no task carries out its lines, and it cannot be published.
        let def = task("劳动保障监察科", SizeSpec::Count(3));
        let e = wf::save_task(&store, None, &wf::Filing::line(p.lines[0].id), &def, &lead, None)
            .await
            .unwrap_err();
        assert_eq!(fields(e), ["plan_line_id"], "{who}");
        let e = wf::plan_step(&store, p.id, PlanStep::Publish, "", &lead, None).await.unwrap_err();
        assert!(matches!(e, WorkflowError::State { .. }), "{who}: {e}");

        // Returned: only with a reason, which the plan then shows; changed and sent again.
        let e = wf::plan_step(&store, p.id, PlanStep::Return, "  ", &lead, None).await.unwrap_err();
        assert_eq!(fields(e), ["comment"], "{who}");
        let p =
            wf::plan_step(&store, p.id, PlanStep::Return, "RS-010 比例不低于5%，请补充实施时间", &lead, None)
                .await
                .unwrap();
        assert_eq!(p.status, PlanStatus::Returned);
        assert_eq!(p.review_comment.as_deref(), Some("RS-010 比例不低于5%，请补充实施时间"));
        new.description = "社会保险登记、申报、缴费".into();
        wf::save_plan(&store, Some(p.id), &new, &clerk, own).await.unwrap();
        wf::plan_step(&store, p.id, PlanStep::Submit, "已按意见修改", &clerk, own).await.unwrap();
        let p = wf::plan_step(&store, p.id, PlanStep::Approve, "同意", &lead, None).await.unwrap();
        assert_eq!(p.status, PlanStatus::Approved);
        assert!(wf::plans(&store, true).await.unwrap().is_empty(), "{who}: approved is not yet public");

        // A task carries out a line whose item it inspects (not RS-010's line: it inspects
        // RS-001), and the plan's execution follows it through the draw.
        let e = wf::save_task(&store, None, &wf::Filing::line(p.lines[1].id), &def, &lead, None)
            .await
            .unwrap_err();
        assert_eq!(fields(e), ["plan_line_id"], "{who}");
        let t =
            wf::save_task(&store, None, &wf::Filing::line(p.lines[0].id), &def, &lead, None).await.unwrap();
        assert_eq!((t.plan_id, t.plan_line_id), (Some(p.id), Some(p.lines[0].id)));
        wf::publish_task(&store, t.id, &lead).await.unwrap();
        let seed = SeedInput::Witnesses(vec![Contribution {
            name: "见证人".into(),
            digits: "12345678901234567890".into(),
        }]);
        wf::draw_task(&store, t.id, seed, &lead).await.unwrap();
        let e = wf::execution(&store, &p).await.unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].tasks.clone(), e[0].expected_count, e[0].drawn), (vec![t.code.clone()], Some(3), 3));
        assert_eq!(e[0].eligible, 40, "{who}");
        assert_eq!((e[1].tasks.len(), e[1].drawn), (0, 0));

        // Published: public, and fixed for good.
        let p = wf::plan_step(&store, p.id, PlanStep::Publish, "", &lead, None).await.unwrap();
        assert_eq!(p.status, PlanStatus::Published);
        assert!(p.published_at.is_some());
        assert_eq!(wf::plans(&store, true).await.unwrap().len(), 1);
        for step in PlanStep::ALL {
            assert!(wf::plan_step(&store, p.id, step, "x", &lead, None).await.is_err(), "{who}: {step:?}");
        }

        // Each step an entry with who took it, and the log verifies.
        let object = format!("plan/{}", p.id);
        let filter = audit::Filter { object: Some(object.clone()), ..audit::Filter::default() };
        let mut actions: Vec<String> = audit::search(&store, &filter, None, 50)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.object == object)
            .map(|e| format!("{} {}", e.actor, e.action))
            .collect();
        actions.reverse();
        assert_eq!(
            actions,
            [
                "unit plan.add",
                "unit plan.update",
                "unit plan.submit",
                "organizer plan.return",
                "unit plan.update",
                "unit plan.submit",
                "organizer plan.approve",
                "organizer plan.publish"
            ],
            "{who}"
        );
        assert!(audit::verify(&store).await.unwrap().is_ok(), "{who}");
    }
}

/// 综合查一次 at the plans: lines of two departments on the same kind of firm in one period are
/// offered for a joint task once their plans are submitted; not a line joint with the other
/// department already, not lines of one department, not another kind or period, and no more
/// once a task carries one of them. The industries are kept with the plan's record.
#[tokio::test]
async fn plans_combined_offer_two_departments_lines_on_the_same_firms_for_a_joint_task() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        county(&store).await;
        let lead = Actor::user("organizer", Role::Organizer);
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let line = |item: &str, industries: &[&str], from, to| suiji_domain::workflow::PlanLine {
            industries: industries.iter().map(|i| i.to_string()).collect(),
            window_start: from,
            window_end: to,
            ..plan_line(item, 5)
        };
        let plan = |department: &str, lines| NewPlan {
            year: 2026,
            department: department.into(),
            title: format!("{department}2026年度计划"),
            description: String::new(),
            lines,
        };
        // 监察科: building firms (E47) in June, HR agencies (L726) in September.
        let a = plan(
            "劳动保障监察科",
            vec![
                line("RS-001", &["E47"], day(6, 1), day(6, 30)),
                line("RS-010", &["l726"], day(9, 1), day(9, 30)),
            ],
        );
        // 社保科: E4710 from mid-June (meets the first), L726 in October (another period).
        let b = plan(
            "社会保险科",
            vec![
                line("RS-001", &["E4710", "E4720"], day(6, 15), day(7, 15)),
                line("RS-010", &["L726"], day(10, 1), day(10, 31)),
            ],
        );
        let a = wf::save_plan(&store, None, &a, &lead, None).await.unwrap();
        assert_eq!(a.lines[1].line.industries, ["L726"], "{who}: read as the code");
        let b = wf::save_plan(&store, None, &b, &lead, None).await.unwrap();
        assert!(wf::joint_offers(&store, None).await.unwrap().is_empty(), "{who}: drafts");
        for p in [a.id, b.id] {
            wf::plan_step(&store, p, PlanStep::Submit, "", &lead, None).await.unwrap();
        }
        let offers = wf::joint_offers(&store, Some(2026)).await.unwrap();
        assert_eq!(offers.len(), 1, "{who}: {offers:?}");
        let o = &offers[0];
        assert_eq!(
            (o.lines[0].line_id, o.lines[1].line_id, o.industries.clone(), o.window_start, o.window_end),
            (
                a.lines[0].id,
                b.lines[0].id,
                vec!["E4710".to_owned(), "E4720".to_owned()],
                day(6, 15),
                day(6, 30)
            ),
            "{who}"
        );
        assert!(wf::joint_offers(&store, Some(2025)).await.unwrap().is_empty());
        // A task carrying the 监察科's line (a joint task, filed under it): offered no more.
        for p in [a.id, b.id] {
            wf::plan_step(&store, p, PlanStep::Approve, "", &lead, None).await.unwrap();
        }
        let def = task("劳动保障监察科", SizeSpec::Count(3));
        wf::save_task(&store, None, &wf::Filing::line(a.lines[0].id), &def, &lead, None).await.unwrap();
        assert!(wf::joint_offers(&store, None).await.unwrap().is_empty(), "{who}: carried");
        assert!(audit::verify(&store).await.unwrap().is_ok(), "{who}: the lines' industries hash");
    }
}

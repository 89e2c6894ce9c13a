//! 统计 on data whose figures were worked out by hand, on SQLite and (with SUIJI_TEST_PG) on
//! PostgreSQL: one task of the county's forty firms, drawn with a control sample, six teams, five
//! results published — each figure of docs/statistics.md checked against what it must be.

use chrono::NaiveDate;
use suiji_domain::stats::{Period, Share};
use suiji_store::testing::databases;
use suiji_store::workflow as wf;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

#[tokio::test]
async fn each_figure_is_what_was_worked_out_by_hand() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        let w = suiji_store::testing::worked(&store).await;
        let (c, t, d, a, results) = (&w.county, &w.task, &w.draw, &w.assignment, &w.results);
        assert_eq!(a.teams.len(), 6, "{who}");
        let today = wf::china_today();
        assert_eq!(a.teams[4].uscc, d.control.as_ref().unwrap().selected[0].id, "{who}");

        // From the task's window to today: the draw, the results and the rectification in it.
        let period = Period { from: day(1, 1), to: today };
        let s = suiji_store::stats::stats(&store, &period, None).await.unwrap();
        assert_eq!(s.tasks, 1, "{who}");
        // Coverage: 6 of the 40 active firms (4 drawn, 2 control); the reserve is not drawn.
        assert_eq!(s.coverage.drawn, Share::new(6, 40), "{who}");
        assert_eq!(s.coverage.drawn.rate_bp, Some(1500));
        assert_eq!(s.coverage.never_drawn, 34, "{who}");
        assert_eq!(s.coverage.by_region.len(), 1);
        assert_eq!(
            (s.coverage.by_region[0].key.as_str(), s.coverage.by_region[0].share),
            ("410307", Share::new(6, 40))
        );
        let year = today.format("%Y").to_string();
        let last: Vec<(&str, u64)> =
            s.coverage.last_drawn.iter().map(|g| (g.key.as_str(), g.share.part)).collect();
        assert_eq!(last, [("2026", 6), ("", 34)], "{who}: by the task's year ({year} now)");
        // The scales alternate 小型, 微型: 20 each; which were drawn is the draw's.
        let small =
            c.targets.iter().step_by(2).filter(|u| d.targets.iter().any(|s| &s.id == *u)).count() as u64;
        let scales: Vec<(&str, Share)> =
            s.coverage.by_scale.iter().map(|g| (g.name.as_str(), g.share)).collect();
        assert!(
            scales.contains(&("小型", Share::new(small, 20)))
                && scales.contains(&("微型", Share::new(6 - small, 20))),
            "{who}: {scales:?}"
        );

        // Items: 6 firms to inspect of a population of 40, 15% ≥ the general item's 5%.
        let rs010 = s.items.iter().find(|i| i.code == "RS-010").unwrap();
        assert_eq!(
            (rs010.tasks, rs010.drawn, rs010.least_bp, rs010.meets),
            (1, Share::new(6, 40), Some(500), Some(true)),
            "{who}"
        );
        assert_eq!(s.items.len(), 2);

        // Findings: 5 completed, 3 with a problem (two pending handling, one corrected).
        assert_eq!(s.findings.found, Share::new(3, 5), "{who}");
        assert_eq!(s.findings.found.rate_bp, Some(6000));
        let by: Vec<(&str, u64)> =
            s.findings.by_conclusion.iter().map(|g| (g.key.as_str(), g.share.part)).collect();
        assert_eq!(by, [("no_problem", 2), ("corrected", 1), ("pending_handling", 2)], "{who}");
        assert_eq!(s.findings.not_inspectable, 0);
        // The directed draw's 3 completed found 2; the control sample's 2 found 1.
        assert_eq!((s.findings.directed, s.findings.control), (Share::new(2, 3), Share::new(1, 2)), "{who}");
        // By grade: the county's grades go A, B, C, none in turn.
        let grade_of =
            |uscc: &str| ["A", "B", "C", ""][c.targets.iter().position(|t| t == uscc).unwrap() % 4];
        let mut expected: std::collections::BTreeMap<&str, (u64, u64)> = Default::default();
        for (team, form) in a.teams.iter().zip(results) {
            let Some(form) = form else { continue };
            let e = expected.entry(grade_of(&team.uscc)).or_default();
            e.1 += 1;
            e.0 += u64::from(suiji_domain::stats::found_problem(form.conclusion));
        }
        let grades: Vec<(&str, (u64, u64))> =
            s.findings.by_grade.iter().map(|g| (g.key.as_str(), (g.share.part, g.share.whole))).collect();
        assert_eq!(grades, expected.into_iter().collect::<Vec<_>>(), "{who}");
        assert_eq!(s.findings.by_risk_class.len(), 1, "no firm has a class: one group, the unclassified");
        // By item: RS-001 not complied with in the 3 with a problem, of 5 that checked it; RS-010
        // complied with wherever checked, and the corrected one's visit did not check it.
        let items: Vec<(&str, &str, Share)> =
            s.findings.by_item.iter().map(|g| (g.key.as_str(), g.name.as_str(), g.share)).collect();
        assert_eq!(
            items,
            [
                ("RS-001", "农民工工资支付情况检查", Share::new(3, 5)),
                ("RS-010", "劳动用工备案情况检查", Share::new(0, 4))
            ],
            "{who}"
        );

        // Handling: one rectification ordered, one referral, no penalty, nobody listed.
        assert_eq!(
            (s.handling.rectifications, s.handling.rectified, s.handling.escalated),
            (1, 0, 0),
            "{who}"
        );
        assert_eq!((s.handling.penalties, s.handling.referrals), (0, 1), "{who}");
        assert!(s.handling.listed.is_empty());
        // Timeliness: published today, after the deadline 20 working days after June 30.
        assert_eq!(s.timeliness.results_on_time, Share::new(0, 5), "{who}");
        assert_eq!(s.timeliness.results_median_days, Some((today - day(6, 3)).num_days()), "{who}");
        assert_eq!(s.timeliness.penalties_on_time, Share::new(0, 0));
        // Workload: 5 completed, two members each.
        assert_eq!(s.workload.by_department.iter().map(|g| g.share.part).sum::<u64>(), 5, "{who}");
        assert_eq!(s.workload.by_inspector.iter().map(|g| g.share.part).sum::<u64>(), 10, "{who}");
        assert_eq!(
            (s.workload.member_changes, s.workload.target_replacements, s.workload.recusals),
            (0, 0, 2)
        );
        assert_eq!((s.kinds.random, s.kinds.triggered, s.kinds.follow_up), (Share::new(5, 5), 0, 0), "{who}");

        // Another department ran nothing; a period before the task has none of it.
        let other = suiji_store::stats::stats(&store, &period, Some("社会保险科")).await.unwrap();
        assert_eq!(
            (other.tasks, other.coverage.drawn, other.findings.found),
            (0, Share::new(0, 40), Share::new(0, 0)),
            "{who}"
        );
        let own = suiji_store::stats::stats(&store, &period, Some(&t.department)).await.unwrap();
        assert_eq!((own.tasks, own.findings.found), (1, Share::new(3, 5)), "{who}");
        let before = Period { from: day(1, 1), to: day(5, 31) };
        let none = suiji_store::stats::stats(&store, &before, None).await.unwrap();
        assert_eq!((none.tasks, none.coverage.drawn.part, none.findings.found.whole), (0, 0, 0), "{who}");
        // The same period asked twice gives the same figures.
        assert_eq!(suiji_store::stats::stats(&store, &period, None).await.unwrap(), s);
        // The workbench's few figures are the same counts.
        let h = suiji_store::stats::headline(&store, &period, None).await.unwrap();
        assert_eq!(
            (h.tasks, h.found, h.results_on_time, h.rectifications, h.rectified),
            (1, Share::new(3, 5), s.timeliness.results_on_time, 1, 0),
            "{who}"
        );
        // An inspector's own count is their row of the workload.
        let first = &s.workload.by_inspector[0];
        let mine = suiji_store::stats::completed_by_inspector(&store, &period, &first.key).await.unwrap();
        assert_eq!(mine, first.share.part, "{who}");
        // The task's own figures (its report's) are the bureau's here: it is the only task.
        let own = suiji_store::stats::task_stats(&store, t.id).await.unwrap();
        assert_eq!((&own.findings, &own.handling, own.tasks), (&s.findings, &s.handling, 1), "{who}");
        assert_eq!(own.department, None);
    }
}

//! Inspectors' training on SQLite and PostgreSQL: kept on the record (refused when wrong, each
//! on the record), required for the draw when the bureau asks — a task's teams then come only
//! from those trained recently enough — and the certificates about to lapse.

use chrono::NaiveDate;
use suiji_domain::training::Training;
use suiji_domain::workflow::SizeSpec;
use suiji_store::audit::Actor;
use suiji_store::testing::{county, databases};
use suiji_store::training;
use suiji_store::workflow::{self as wf, Contribution, SeedInput, WorkflowError};

fn course(held_on: NaiveDate) -> Training {
    Training {
        course: "劳动保障监察业务培训".into(), held_on, hours: 16, provider: "市人社局".into()
    }
}

#[tokio::test]
async fn training_is_kept_and_required_when_the_bureau_asks() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        let c = county(&store).await;
        let admin = Actor::user("admin", suiji_domain::access::Role::Admin);
        let june = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let e = training::add(&store, "JC-X-404", &course(june), &admin).await.unwrap_err();
        assert!(matches!(e, WorkflowError::NotFound { .. }), "{who}: {e}");
        let e = training::add(&store, &c.monitors[0], &Training { hours: 0, ..course(june) }, &admin)
            .await
            .unwrap_err();
        assert!(matches!(e, WorkflowError::Invalid(_)), "{who}");
        // Two of 劳动保障监察科's four trained in June 2026 (not the two with recusals), one
        // long before.
        for m in &c.monitors[2..4] {
            training::add(&store, m, &course(june), &admin).await.unwrap();
        }
        training::add(&store, &c.monitors[0], &course(NaiveDate::from_ymd_opt(2023, 3, 1).unwrap()), &admin)
            .await
            .unwrap();
        let mine = training::of_inspector(&store, &c.monitors[0]).await.unwrap();
        assert_eq!((mine.len(), mine[0].training.hours), (1, 16), "{who}");
        let last = suiji_store::audit::latest(&store, None, 1).await.unwrap().remove(0);
        assert_eq!(last.action, "training.add");

        // Required within 12 months: a task's teams of two come only from the two trained.
        let set = [("training_months".to_owned(), "12".to_owned())];
        suiji_store::settings::set(&store, &set, &admin).await.unwrap();
        let organizer = Actor { name: "organizer".into(), role: "organizer".into() };
        let def = suiji_store::testing::task("劳动保障监察科", SizeSpec::Count(2));
        let t = wf::save_task(&store, None, &wf::Filing::default(), &def, &organizer, None).await.unwrap();
        let t = wf::publish_task(&store, t.id, &organizer).await.unwrap();
        assert_eq!(t.rules.training_months, 12);
        let witnesses = vec![Contribution { name: "张三".into(), digits: "31415926535897932384".into() }];
        wf::draw_task(&store, t.id, SeedInput::Witnesses(witnesses), &organizer).await.unwrap();
        let a = wf::assign_random(&store, t.id, &organizer).await.unwrap();
        for team in &a.teams {
            for (cert, _) in &team.members {
                assert!(c.monitors[2..4].contains(cert), "{who}: {cert} is not trained recently");
            }
        }

        // Certificates: none of the county's lapses within 30 days.
        assert!(training::lapsing_certificates(&store, 30).await.unwrap().is_empty(), "{who}");
        assert!(!training::lapsing_certificates(&store, 365 * 10).await.unwrap().is_empty(), "{who}");
    }
}

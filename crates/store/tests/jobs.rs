//! Long work's rows: started, brought up to date, ended — and a job whose worker went quiet
//! (the server stopped) reads as interrupted, on SQLite and (with SUIJI_TEST_PG) PostgreSQL.

use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use suiji_store::entity::job;
use suiji_store::jobs::{self, JobState, Progress, STALE_MINUTES};
use suiji_store::testing::databases;

#[tokio::test]
async fn a_job_runs_reports_and_ends() {
    for db in databases().await {
        let store = db.open().await;
        let id = jobs::start(
            &store,
            "import",
            "名录.xlsx",
            "organizer",
            "读取文件 reading",
            Some("/staff/targets"),
        )
        .await
        .unwrap();
        let fresh = jobs::job(&store, id).await.unwrap().unwrap();
        assert_eq!(fresh.state, JobState::Running, "{}", db.backend);
        assert_eq!((fresh.done, fresh.total, fresh.remaining_seconds), (0, 0, None));

        // Half of 100,000 rows checked in 10 s: about 10 s to go.
        let p = Progress {
            phase: "检查 checking".into(),
            done: 50_000,
            total: 100_000,
            phase_started_at: Utc::now() - Duration::seconds(10),
        };
        jobs::report(&store, id, &p).await.unwrap();
        let running = jobs::job(&store, id).await.unwrap().unwrap();
        assert_eq!((running.phase.as_str(), running.done, running.total), ("检查 checking", 50_000, 100_000));
        let left = running.remaining_seconds.expect("an estimate once a twentieth is done");
        assert!((9..=12).contains(&left), "{}: {left} s", db.backend);
        assert_eq!(running.fraction(), Some(0.5));

        // Too early to tell: no estimate from the first rows.
        let early = Progress { done: 1_000, ..p.clone() };
        assert_eq!(running.clone().with_progress(&early, Utc::now()).remaining_seconds, None);

        let outcome = json!({ "file": "名录.xlsx", "summary": { "added": 100_000 } });
        jobs::finish(&store, id, true, &outcome).await.unwrap();
        let done = jobs::job(&store, id).await.unwrap().unwrap();
        assert_eq!(done.state, JobState::Done);
        assert_eq!(done.outcome, Some(outcome));
        assert_eq!(done.link.as_deref(), Some("/staff/targets"));
        assert!(done.finished_at.is_some() && done.remaining_seconds.is_none());
        // A report after the end changes nothing.
        jobs::report(&store, id, &Progress { phase: "写入 writing".into(), ..p.clone() }).await.unwrap();
        assert_eq!(jobs::job(&store, id).await.unwrap().unwrap().state, JobState::Done);

        let mine = jobs::recent(&store, Some("organizer"), 10).await.unwrap();
        assert_eq!(mine.iter().map(|j| j.id).collect::<Vec<_>>(), vec![id]);
        assert!(jobs::recent(&store, Some("unit"), 10).await.unwrap().is_empty());
        assert!(jobs::job(&store, id + 1000).await.unwrap().is_none());
    }
}

#[tokio::test]
async fn a_job_whose_worker_went_quiet_reads_as_interrupted() {
    for db in databases().await {
        let store = db.open().await;
        let id = jobs::start(&store, "import", "大文件.csv", "unit", "检查 checking", None).await.unwrap();
        // As if the server had stopped STALE_MINUTES and a minute ago.
        let quiet = Utc::now() - Duration::minutes(STALE_MINUTES + 1);
        job::Entity::update_many()
            .col_expr(job::Column::UpdatedAt, quiet.into())
            .filter(job::Column::Id.eq(id))
            .exec(store.connection())
            .await
            .unwrap();
        let view = jobs::job(&store, id).await.unwrap().unwrap();
        assert_eq!(view.state, JobState::Interrupted, "{}", db.backend);
        assert_eq!(view.remaining_seconds, None);
        // A worker in this process still holds it: it is running, whatever the row's age.
        let p =
            Progress { phase: "写入 writing".into(), done: 10, total: 20, phase_started_at: Utc::now() };
        assert_eq!(view.with_progress(&p, Utc::now()).state, JobState::Running);
    }
}

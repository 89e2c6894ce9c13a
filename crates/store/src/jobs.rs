//! Long work done in the background: an import of a large file, publishing a task, a draw, the
//! assignment of teams. The work runs in the server, not in the request that started it, so closing
//! the tab does not stop it; a row here says what it is, how far it has got and what it came
//! to, and the page that shows it polls the row.
//!
//! A job still marked running whose row has not been touched for [`STALE_MINUTES`], and that
//! no worker in this process holds, was cut off (the server stopped): it is shown as
//! interrupted. The work it did was in one transaction, so
//! an interrupted job changed nothing.

use crate::Store;
use crate::entity::job;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;

/// After this long without a word from its worker, a running job is taken as interrupted. On
/// PostgreSQL the worker touches its row every few seconds; on SQLite (one server to a file)
/// the server that runs the job knows it is alive without the row.
pub const STALE_MINUTES: i64 = 5;

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    /// Finished, and the work was done.
    Done,
    /// Finished without doing the work (a file with problems, a refused step): nothing changed.
    Failed,
    /// The server stopped while it ran: nothing changed.
    Interrupted,
}

impl JobState {
    pub fn code(self) -> &'static str {
        match self {
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Interrupted => "interrupted",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            JobState::Running => "进行中",
            JobState::Done => "已完成",
            JobState::Failed => "未完成",
            JobState::Interrupted => "已中断",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "not done",
            JobState::Interrupted => "interrupted",
        }
    }
}

/// How far a job has got: what it is doing (in both languages, "检查 checking"), and so many
/// of so many, since this phase began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub phase: String,
    pub done: u64,
    pub total: u64,
    pub phase_started_at: DateTime<Utc>,
}

/// A job as the page and the API show it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct JobView {
    pub id: i64,
    /// `import`, `publish`…
    pub kind: String,
    pub title: String,
    pub username: String,
    pub state: JobState,
    /// What it is doing now, Chinese then English ("检查 checking").
    pub phase: String,
    pub done: u64,
    pub total: u64,
    pub started_at: DateTime<Utc>,
    pub phase_started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Seconds this phase still needs at its pace so far, when that can be told.
    pub remaining_seconds: Option<u64>,
    /// What it came to: for an import, its summary or its problems.
    pub outcome: Option<serde_json::Value>,
    /// Where the result is seen.
    pub link: Option<String>,
}

impl JobView {
    fn of(m: job::Model, now: DateTime<Utc>) -> JobView {
        let state = match m.state.as_str() {
            "done" => JobState::Done,
            "failed" => JobState::Failed,
            _ if now - m.updated_at > Duration::minutes(STALE_MINUTES) => JobState::Interrupted,
            _ => JobState::Running,
        };
        let mut view = JobView {
            id: m.id,
            kind: m.kind,
            title: m.title,
            username: m.username,
            state,
            phase: m.phase,
            done: u64::try_from(m.done).unwrap_or(0),
            total: u64::try_from(m.total).unwrap_or(0),
            started_at: m.started_at,
            phase_started_at: m.phase_started_at,
            updated_at: m.updated_at,
            finished_at: m.finished_at,
            remaining_seconds: None,
            outcome: m.outcome.and_then(|o| serde_json::from_str(&o).ok()),
            link: m.link,
        };
        view.estimate(now);
        view
    }

    /// The same job with the progress its worker, running in this process, holds in memory:
    /// ahead of the row (see [`report`]), and alive whatever the row's age.
    pub fn with_progress(mut self, p: &Progress, now: DateTime<Utc>) -> JobView {
        if matches!(self.state, JobState::Running | JobState::Interrupted) {
            self.state = JobState::Running;
            self.phase = p.phase.clone();
            self.done = p.done;
            self.total = p.total;
            self.phase_started_at = p.phase_started_at;
            self.estimate(now);
        }
        self
    }

    /// How long the phase still needs if it goes on at its pace so far. Nothing until a
    /// twentieth is done: the first rows of a file say little about the rest.
    fn estimate(&mut self, now: DateTime<Utc>) {
        self.remaining_seconds = None;
        if self.state != JobState::Running || self.total == 0 || self.done * 20 < self.total {
            return;
        }
        let spent = (now - self.phase_started_at).num_milliseconds().max(0) as f64 / 1000.0;
        let left = (self.total - self.done.min(self.total)) as f64;
        self.remaining_seconds = Some((spent * left / self.done as f64).ceil() as u64);
    }

    /// The share done, 0 to 1, when the phase has a size.
    pub fn fraction(&self) -> Option<f64> {
        (self.total > 0).then(|| (self.done.min(self.total) as f64) / self.total as f64)
    }
}

/// Starts a job's row; the work is the caller's to start.
pub async fn start(
    store: &Store,
    kind: &str,
    title: &str,
    username: &str,
    phase: &str,
    link: Option<&str>,
) -> Result<i64, DbErr> {
    let now = crate::clock::now();
    let row = job::ActiveModel {
        kind: Set(kind.to_owned()),
        title: Set(title.to_owned()),
        username: Set(username.to_owned()),
        state: Set(JobState::Running.code().to_owned()),
        phase: Set(phase.to_owned()),
        done: Set(0),
        total: Set(0),
        started_at: Set(now),
        phase_started_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        outcome: Set(None),
        link: Set(link.map(str::to_owned)),
        ..Default::default()
    };
    Ok(job::Entity::insert(row).exec(store.connection()).await?.last_insert_id)
}

/// Writes how far a running job has got (and that its worker is alive).
pub async fn report(store: &Store, id: i64, p: &Progress) -> Result<(), DbErr> {
    job::Entity::update_many()
        .col_expr(job::Column::Phase, p.phase.clone().into())
        .col_expr(job::Column::Done, (p.done as i64).into())
        .col_expr(job::Column::Total, (p.total as i64).into())
        .col_expr(job::Column::PhaseStartedAt, p.phase_started_at.into())
        .col_expr(job::Column::UpdatedAt, crate::clock::now().into())
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::State.eq(JobState::Running.code()))
        .exec(store.connection())
        .await?;
    Ok(())
}

/// Records what a job came to: done (`ok`) or not, with its outcome.
pub async fn finish(store: &Store, id: i64, ok: bool, outcome: &serde_json::Value) -> Result<(), DbErr> {
    let now = crate::clock::now();
    let state = if ok { JobState::Done } else { JobState::Failed };
    job::Entity::update_many()
        .col_expr(job::Column::State, state.code().into())
        .col_expr(job::Column::Outcome, outcome.to_string().into())
        .col_expr(job::Column::UpdatedAt, now.into())
        .col_expr(job::Column::FinishedAt, now.into())
        .filter(job::Column::Id.eq(id))
        .exec(store.connection())
        .await?;
    Ok(())
}

/// One job.
pub async fn job(store: &Store, id: i64) -> Result<Option<JobView>, DbErr> {
    let now = crate::clock::now();
    Ok(job::Entity::find_by_id(id).one(store.connection()).await?.map(|m| JobView::of(m, now)))
}

/// The newest jobs, of one account or of all, newest first.
pub async fn recent(store: &Store, username: Option<&str>, limit: u64) -> Result<Vec<JobView>, DbErr> {
    let now = crate::clock::now();
    let mut query = job::Entity::find().order_by_desc(job::Column::Id).limit(limit);
    if let Some(u) = username {
        query = query.filter(job::Column::Username.eq(u));
    }
    Ok(query.all(store.connection()).await?.into_iter().map(|m| JobView::of(m, now)).collect())
}

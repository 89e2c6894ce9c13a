//! Long work (后台任务): an import of a large file, publishing a task (its population frozen),
//! a draw, the random assignment of teams.
//! The request that starts it hands the work to a task of the server's own, waits a moment,
//! and answers at once if the work was quick; otherwise it sends the browser to the job's
//! page, which shows a progress bar with what is being done and an estimate, polling
//! `/api/v1/jobs/{id}`. Closing the tab does not stop the work.
//!
//! The worker's progress is kept in memory (a page on this server reads it there) and, on
//! PostgreSQL, written to the job's row every [`FLUSH`] (a page on another server reads that).
//! On SQLite the row says only that the job started and what it came to.

use crate::auth::Viewer;
use crate::error::{ApiError, PageError, render};
use crate::lang::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use suiji_domain::access::Role;
use suiji_store::jobs::{self, JobState, JobView, Progress};
use tokio::sync::oneshot;

/// How often a running job's row is brought up to date.
const FLUSH: Duration = Duration::from_secs(2);

/// The jobs this server is running, with their progress as their workers last reported it.
#[derive(Clone, Default)]
pub struct Running {
    live: Arc<Mutex<HashMap<i64, Reporter>>>,
}

impl Running {
    fn progress(&self, id: i64) -> Option<Progress> {
        let live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        live.get(&id).map(Reporter::snapshot)
    }
}

/// What a worker is handed to say how far it has got.
#[derive(Clone)]
pub struct Reporter {
    progress: Arc<Mutex<Progress>>,
}

impl Reporter {
    fn new(phase: &str) -> Reporter {
        let progress = Progress { phase: phase.to_owned(), done: 0, total: 0, phase_started_at: Utc::now() };
        Reporter { progress: Arc::new(Mutex::new(progress)) }
    }

    /// So many of so many done in `phase` ("检查 checking"); a new phase starts its clock again.
    pub fn report(&self, phase: &str, done: u64, total: u64) {
        let mut p = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        if p.phase != phase {
            p.phase = phase.to_owned();
            p.phase_started_at = Utc::now();
        }
        p.done = done;
        p.total = total;
    }

    fn snapshot(&self) -> Progress {
        self.progress.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// What a job's work came to, as its row keeps it.
#[derive(Debug, Clone)]
pub struct Finished {
    /// Whether the work was done (else nothing changed).
    pub ok: bool,
    /// What the job's page shows: an import's summary or problems; a step's refusal.
    pub outcome: serde_json::Value,
}

/// What a job's work returns: the request that started it, when it waits for the end, gets
/// the value itself (and answers as it did before the work was a job); the job's row keeps
/// what [`Outcome::finished`] makes of it.
pub trait Outcome: Send + 'static {
    fn finished(&self) -> Finished;
}

impl Outcome for Finished {
    fn finished(&self) -> Finished {
        self.clone()
    }
}

/// A workflow step (publication, draw, teams): done, or refused with the reason in both
/// languages and the status the page would have answered with.
impl<T: Send + 'static> Outcome for Result<T, suiji_store::workflow::WorkflowError> {
    fn finished(&self) -> Finished {
        use suiji_store::workflow::WorkflowError;
        match self {
            Ok(_) => Finished { ok: true, outcome: serde_json::json!({}) },
            Err(WorkflowError::Store(e)) => {
                tracing::error!("job: {e}");
                Finished { ok: false, outcome: serde_json::json!({ "error": "internal" }) }
            }
            Err(e) => Finished {
                ok: false,
                outcome: serde_json::json!({
                    "refused": { "zh": e.zh(), "en": e.en() },
                    "status": crate::workflow::status_of(e).as_u16(),
                }),
            },
        }
    }
}

/// A started job: its number, and word of its end.
pub struct Started<T> {
    pub id: i64,
    end: oneshot::Receiver<T>,
}

impl<T> Started<T> {
    /// What the work came to, if it ends within `wait`. A zero wait does not look at all (a
    /// timer's zero still lasts until its next tick, long enough for quick work to end).
    pub async fn wait(self, wait: Duration) -> Option<T> {
        if wait.is_zero() {
            return None;
        }
        match tokio::time::timeout(wait, self.end).await {
            Ok(Ok(t)) => Some(t),
            _ => None,
        }
    }
}

/// Sends the browser to job `id`'s page.
pub fn page_of(id: i64) -> Response {
    Redirect::to(&format!("/staff/jobs/{id}")).into_response()
}

/// Starts `work` as a job of `viewer`'s, in the background.
pub async fn start<T, F, Fut>(
    state: &AppState,
    viewer: &Viewer,
    kind: &str,
    title: &str,
    phase: &str,
    link: Option<&str>,
    work: F,
) -> Result<Started<T>, suiji_store::DbErr>
where
    T: Outcome,
    F: FnOnce(Reporter) -> Fut + Send + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let store = state.store.clone();
    let id = jobs::start(&store, kind, title, &viewer.user.username, phase, link).await?;
    let reporter = Reporter::new(phase);
    let running = state.jobs.clone();
    running.live.lock().unwrap_or_else(|e| e.into_inner()).insert(id, reporter.clone());
    let (tell, end) = oneshot::channel();
    tokio::spawn(async move {
        let mut worker = tokio::spawn(work(reporter.clone()));
        let flushing = Arc::new(AtomicBool::new(false));
        // Only PostgreSQL's row is worth keeping up to date: there, other servers may read it.
        // A SQLite file has a connection or two, and the write would wait behind the work's
        // own write transaction, holding one of them from the pages that read the progress.
        let shared = !store.is_sqlite();
        let mut tick = tokio::time::interval(FLUSH);
        let ended = loop {
            tokio::select! {
                ended = &mut worker => break ended.map_err(|e| tracing::error!("job {id} stopped: {e}")).ok(),
                _ = tick.tick(), if shared => {
                    // One write at a time, and never waited for.
                    if !flushing.swap(true, Ordering::AcqRel) {
                        let (store, flushing, p) = (store.clone(), flushing.clone(), reporter.snapshot());
                        tokio::spawn(async move {
                            if let Err(e) = jobs::report(&store, id, &p).await {
                                tracing::warn!("job {id}: progress not written: {e}");
                            }
                            flushing.store(false, Ordering::Release);
                        });
                    }
                }
            }
        };
        let finished = match &ended {
            Some(t) => t.finished(),
            None => Finished { ok: false, outcome: serde_json::json!({ "error": "internal" }) },
        };
        // The end must reach the row, or the job would read as interrupted: a few tries.
        for attempt in 0..5 {
            match jobs::finish(&store, id, finished.ok, &finished.outcome).await {
                Ok(()) => break,
                Err(e) => {
                    tracing::warn!("job {id}: end not written ({e}), try {}", attempt + 1);
                    tokio::time::sleep(Duration::from_secs(1 << attempt)).await;
                }
            }
        }
        running.live.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        if let Some(t) = ended {
            // Nobody may be waiting any more: then the job's page tells.
            let _ = tell.send(t);
        }
    });
    Ok(Started { id, end })
}

/// A job as `viewer` may see it: their own, or any for an administrator or a supervisor.
async fn visible(state: &AppState, viewer: &Viewer, id: i64) -> Result<Option<JobView>, suiji_store::DbErr> {
    let Some(job) = jobs::job(&state.store, id).await? else { return Ok(None) };
    let anyone = matches!(viewer.user.role, Role::Admin | Role::Supervisor);
    if !anyone && job.username != viewer.user.username {
        return Ok(None);
    }
    Ok(Some(match state.jobs.progress(id) {
        Some(p) => job.with_progress(&p, Utc::now()),
        None => job,
    }))
}

/// `GET /api/v1/jobs/{id}`: how far a job has got (what the job's page polls).
pub async fn api_job(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<JobView>, ApiError> {
    let job = visible(&state, &viewer, id).await.map_err(suiji_store::StoreError::Db)?;
    job.map(Json).ok_or_else(ApiError::not_found)
}

#[derive(Template)]
#[template(path = "job.html")]
struct JobPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    job: JobView,
    /// An import's outcome, as the import page shows it.
    summary: Option<String>,
    problems: Vec<crate::pages::edit::ProblemRow>,
    /// Why a workflow step was refused.
    refusal: Option<String>,
}

/// What a kind of job is called.
pub fn kind_name(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "import" => lang.t("导入", "Import"),
        "publish" => lang.t("公布任务", "Publish the task"),
        "draw" => lang.t("抽取", "Draw"),
        "assign" => lang.t("随机选派检查组", "Assign the teams at random"),
        _ => lang.t("后台任务", "Job"),
    }
}

/// What the page of a workflow step's job says when the step was done.
fn step_done(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "publish" => (
            "任务已公布，检查对象总体已冻结并承诺。",
            "The task is published; its population is frozen and committed to.",
        ),
        "draw" => ("已抽取，抽取结果已记录。", "Drawn; the draw is recorded."),
        "assign" => ("检查组已选派。", "The teams are assigned."),
        _ => return None,
    })
}

impl JobPage<'_> {
    fn state(&self) -> &'static str {
        self.lang.t(self.job.state.zh(), self.job.state.en())
    }

    fn running(&self) -> bool {
        self.job.state == JobState::Running
    }

    fn interrupted(&self) -> bool {
        self.job.state == JobState::Interrupted
    }

    /// Not done, with neither a summary nor problems to say why (an internal error).
    fn failed_unexplained(&self) -> bool {
        self.job.state == JobState::Failed
            && self.summary.is_none()
            && self.problems.is_empty()
            && self.refusal.is_none()
    }

    fn phase(&self) -> &str {
        self.lang.half(&self.job.phase)
    }

    fn percent(&self) -> String {
        self.job.fraction().map(|f| format!("{:.0}%", f * 100.0)).unwrap_or_default()
    }

    fn time(&self, at: &chrono::DateTime<Utc>) -> String {
        crate::pages::china_time(*at)
    }

    /// The list a job's link leads to, when it is a directory's.
    fn list(&self) -> Option<suiji_domain::directory::ListKind> {
        let link = self.job.link.as_deref()?;
        suiji_domain::directory::ListKind::ALL.into_iter().find(|l| link == format!("/staff/{}", l.name()))
    }

    /// What the job is: "导入检查对象名录：file.xlsx".
    fn heading(&self) -> String {
        match (&self.job.kind[..], self.list()) {
            ("import", Some(list)) => format!(
                "{}{}{}{}",
                self.lang.t("导入", "Import into "),
                self.lang.t(list.zh(), list.en()),
                self.lang.t("：", ": "),
                self.job.title
            ),
            _ => format!(
                "{}{}{}",
                kind_name(self.lang, &self.job.kind),
                self.lang.t("：", ": "),
                self.job.title
            ),
        }
    }

    fn back_label(&self) -> &'static str {
        match (self.list(), &self.job.kind[..]) {
            (Some(list), _) => self.lang.t(list.zh(), list.en()),
            (None, "publish") => self.lang.t("任务", "The task"),
            (None, "draw") => self.lang.t("抽取结果", "The draw"),
            (None, "assign") => self.lang.t("检查组", "The teams"),
            _ => self.lang.t("返回", "Back"),
        }
    }

    /// The button to what the work was about, once it has ended.
    fn open_label(&self) -> String {
        match self.list() {
            Some(list) => format!("{}{}", self.lang.t("查看", "Open "), self.lang.t(list.zh(), list.en())),
            None => match &self.job.kind[..] {
                "publish" => self.lang.t("查看任务", "Open the task").to_owned(),
                "draw" => self.lang.t("查看抽取结果", "Open the draw").to_owned(),
                "assign" => self.lang.t("查看检查组", "Open the teams").to_owned(),
                _ => self.lang.t("返回", "Back").to_owned(),
            },
        }
    }

    /// How long the job took, to the second.
    fn took(&self) -> String {
        let end = self.job.finished_at.unwrap_or(self.job.updated_at);
        // To the nearest second, as the two times above it read.
        let s = ((end - self.job.started_at).num_milliseconds().max(0) as u64).div_ceil(1000);
        match s {
            0..=59 => format!("{s}{}", self.lang.t(" 秒", " s")),
            _ => format!("{}{}{}{}", s / 60, self.lang.t(" 分 ", " min "), s % 60, self.lang.t(" 秒", " s")),
        }
    }

    fn remaining(&self) -> String {
        self.job.remaining_seconds.map(|s| remaining_text(self.lang, s)).unwrap_or_default()
    }
}

/// "约 2 分钟" / "about 2 min".
pub fn remaining_text(lang: Lang, seconds: u64) -> String {
    match seconds {
        0..=59 => format!("{}{}{}", lang.t("约 ", "about "), seconds.max(1), lang.t(" 秒", " s")),
        _ => format!("{}{}{}", lang.t("约 ", "about "), seconds.div_ceil(60), lang.t(" 分钟", " min")),
    }
}

/// `GET /staff/jobs/{id}`: the job's progress while it runs, what it came to when it ends.
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let job = visible(&state, &viewer, id)
        .await
        .map_err(|e| PageError::internal(lang, e))?
        .ok_or_else(|| PageError::not_found(lang))?;
    let (mut summary, problems) = match (&job.kind[..], &job.outcome) {
        ("import", Some(outcome)) => crate::pages::edit::import_outcome(lang, outcome),
        _ => (None, Vec::new()),
    };
    let mut refusal = None;
    if let (Some(done), Some(outcome)) = (step_done(&job.kind), &job.outcome) {
        match job.state {
            JobState::Done => summary = Some(lang.t(done.0, done.1).to_owned()),
            _ => {
                refusal =
                    outcome["refused"][if lang.is_en() { "en" } else { "zh" }].as_str().map(str::to_owned)
            }
        }
    }
    Ok(render(lang, &JobPage { lang, viewer: Some(&viewer), job, summary, problems, refusal }))
}

//! 一公开 of the workflow: tasks with their commitments, draws (seed, contributions, ranked
//! tickets, the files to re-check them), teams, results (searchable, corrections kept), what is
//! overdue, and the page that re-computes a draw in the visitor's own browser.

use super::tasks::{TaskSheet, size_words, task_sheet, team_words};
use crate::auth::MaybeViewer;
use crate::error::{PageError, render};
use crate::files::{csv, json_file};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::page_error;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use suiji_store::workflow::{self as wf, DueItem, PublicationView};

#[derive(Template)]
#[template(path = "public_task.html")]
struct PublicTaskPage<'a> {
    lang: Lang,
    viewer: Option<&'a crate::auth::Viewer>,
    s: TaskSheet,
    results: Vec<PublicationView>,
    overdue: Vec<DueItem>,
    /// The drawn and reserve targets' names, by USCC.
    names: std::collections::HashMap<String, String>,
    /// Visits merged with another task's (合并检查).
    merges: Vec<wf::MergeView>,
}

/// A drawn list longer than this starts folded.
const OPEN_LIST: usize = 30;

impl PublicTaskPage<'_> {
    fn name_of(&self, uscc: &str) -> &str {
        self.names.get(uscc).map_or("", String::as_str)
    }

    fn open_list(&self, n: usize) -> bool {
        n <= OPEN_LIST
    }

    fn published(&self) -> usize {
        self.results.iter().filter(|p| p.status != "corrected").count()
    }

    /// Results kept off the portal on a legal basis (不予公开): counted, not shown.
    fn withheld(&self) -> usize {
        self.s.inspections.iter().filter(|i| i.status == "withheld").count()
    }

    fn size(&self) -> String {
        size_words(self.lang, &self.s.task.definition.size)
    }

    fn team(&self) -> String {
        team_words(self.lang, &self.s.task.definition.team)
    }

    fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        super::china_time(*at)
    }
}

async fn public_task_id(state: &AppState, code: &str) -> Result<i64, wf::WorkflowError> {
    let t = wf::task_by_code(&state.store, code).await?;
    if t.status == suiji_domain::workflow::TaskStatus::Draft {
        // A draft is not public: to the portal it does not exist.
        return Err(wf::WorkflowError::NotFound {
            zh: format!("没有任务 {code}"),
            en: format!("no task {code}"),
        });
    }
    Ok(t.id)
}

pub async fn task(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
    Path(code): Path<String>,
) -> Response {
    let id = match public_task_id(&state, &code).await {
        Ok(id) => id,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let s = match task_sheet(&state, id, false).await {
        Ok(s) => s,
        Err(e) => return page_error(lang, e).into_response(),
    };
    // The task's inspections carry their publications and deadlines: nothing to query again.
    let mut results: Vec<PublicationView> =
        s.inspections.iter().flat_map(|i| i.publications.clone()).collect();
    results.sort_by_key(|p| std::cmp::Reverse(p.id));
    let today = wf::china_today();
    let overdue = s.inspections.iter().filter_map(|i| i.due(today)).filter(|d| d.overdue).collect();
    let names = match wf::names_in_draws(&state.store, &s.draws).await {
        Ok(n) => n,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let merges = match wf::merges_of_task(&state.store, id).await {
        Ok(m) => m,
        Err(e) => return page_error(lang, e).into_response(),
    };
    render(lang, &PublicTaskPage { lang, viewer: viewer.0.as_ref(), s, results, overdue, names, merges })
}

pub async fn population(State(state): State<AppState>, lang: Lang, Path(code): Path<String>) -> Response {
    let id = match public_task_id(&state, &code).await {
        Ok(id) => id,
        Err(e) => return page_error(lang, e).into_response(),
    };
    match wf::population_csv(&state.store, id).await {
        Ok(body) => csv(&format!("{code}-population.csv"), body),
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// The draw document exactly as stored: the protocol's JSON, reserve included.
pub async fn draw_json(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    match wf::draw_by_id(&state.store, id).await {
        Ok(d) => json_file(serde_json::to_string_pretty(&d.document).unwrap_or_default()),
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// The draw as teams were assigned from it: the selection after replacements.
pub async fn targets_json(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    match wf::draw_by_id(&state.store, id).await {
        Ok(d) => json_file(serde_json::to_string_pretty(&d.effective_document()).unwrap_or_default()),
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// `GET /public/draws/{id}/control.json`: the control sample's draw document (protocol §2.9);
/// not found for a draw without one.
pub async fn control_json(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    match wf::draw_by_id(&state.store, id).await {
        Ok(d) => match d.control {
            Some(c) => json_file(serde_json::to_string_pretty(&c).unwrap_or_default()),
            None => PageError::not_found(lang).into_response(),
        },
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// `GET /public/draws/{id}/control-population.csv`: what the control sample was drawn from —
/// the population less the draw's selected and reserve, weight 1, no stratum.
pub async fn control_population(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    match wf::control_population_csv(&state.store, id).await {
        Ok(Some(body)) => csv("control-population.csv", body),
        Ok(None) => PageError::not_found(lang).into_response(),
        Err(e) => page_error(lang, e).into_response(),
    }
}

pub async fn draw_population(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    match wf::draw_by_id(&state.store, id).await {
        Ok(d) => match wf::population_csv(&state.store, d.task_id).await {
            Ok(body) => csv("population.csv", body),
            Err(e) => page_error(lang, e).into_response(),
        },
        Err(e) => page_error(lang, e).into_response(),
    }
}

async fn assignment_file(
    state: &AppState,
    lang: Lang,
    id: i64,
    pick: fn(wf::AssignmentView) -> Response,
) -> Response {
    match wf::assignment_of_draw(&state.store, id).await {
        Ok(Some(a)) => pick(a),
        Ok(None) => PageError::not_found(lang).into_response(),
        Err(e) => page_error(lang, e).into_response(),
    }
}

pub async fn assignment_json(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    assignment_file(&state, lang, id, |a| {
        json_file(serde_json::to_string_pretty(&a.document).unwrap_or_default())
    })
    .await
}

/// `GET /public/member-changes/{id}/replacement.json`
pub async fn replacement_json(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    match wf::member_change(&state.store, id).await {
        Ok(c) => json_file(serde_json::to_string_pretty(&c.document).unwrap_or_default()),
        Err(e) => crate::workflow::page_error(lang, e).into_response(),
    }
}

pub async fn inspectors_csv(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    assignment_file(&state, lang, id, |a| csv("inspectors.csv", a.inspectors_csv)).await
}

pub async fn recusals_csv(State(state): State<AppState>, lang: Lang, Path(id): Path<i64>) -> Response {
    assignment_file(&state, lang, id, |a| csv("recusals.csv", a.recusals_csv)).await
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage<'a> {
    lang: Lang,
    viewer: Option<&'a crate::auth::Viewer>,
    draw: wf::DrawView,
    task_code: String,
    /// A random assignment to check with the draw (a direct one has nothing to recompute).
    assignment: bool,
    replaced: bool,
    /// A control sample to check beside the draw.
    control: bool,
}

/// Re-computes a draw (and its random assignment) from the published files with the
/// browser's own SHA-256: a second implementation of the protocol, served as plain JavaScript.
pub async fn verify(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
    Path(id): Path<i64>,
) -> Response {
    let draw = match wf::draw_by_id(&state.store, id).await {
        Ok(d) => d,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let task_code = match wf::task(&state.store, draw.task_id).await {
        Ok(t) => t.code,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let assignment = match wf::assignment_of_draw(&state.store, id).await {
        Ok(a) => a.is_some_and(|a| a.mode == "random"),
        Err(e) => return page_error(lang, e).into_response(),
    };
    // Teams are assigned to targets.json whenever it is not the draw's own selection.
    let control = draw.control.is_some();
    let replaced = !draw.replacements.is_empty() || control;
    render(
        lang,
        &VerifyPage { lang, viewer: viewer.0.as_ref(), draw, task_code, assignment, replaced, control },
    )
}

#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
pub struct ResultsQuery {
    /// A whole USCC or part of the target's name.
    #[serde(default)]
    #[schemars(length(max = suiji_domain::text::MAX_NAME))]
    pub q: String,
    /// Continue after this publication (the previous page's `next`).
    pub after: Option<i64>,
    /// Rows per answer, 1 to 1000 (the JSON only; a page shows [`PAGE_RESULTS`]).
    #[schemars(range(min = 1, max = crate::api::MAX_LIMIT))]
    pub limit: Option<u64>,
}

/// Results a page shows (and a JSON answer unless `limit` says otherwise, up to the API's
/// `MAX_LIMIT`). Twenty a page, as government portals show them: a phone's screenful or
/// two, and a page anyone may ask for any number of times stays cheap (see BENCHMARKS.md).
pub const PAGE_RESULTS: u64 = 20;
/// Overdue inspections a page lists, the earliest deadlines first (the total is always given).
const PAGE_OVERDUE: u64 = 20;

impl ResultsQuery {
    /// The rows asked for, once the search and the limit are within their bounds; or why not.
    pub fn checked_limit(&self) -> Result<u64, crate::error::ApiError> {
        crate::api::within("q", Some(&self.q), suiji_domain::text::MAX_NAME)?;
        crate::api::page_limit(self.limit, PAGE_RESULTS)
    }
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage<'a> {
    lang: Lang,
    viewer: Option<&'a crate::auth::Viewer>,
    q: String,
    page: wf::ResultsPage,
    overdue: std::sync::Arc<wf::Overdue>,
}

impl ResultsPage<'_> {
    fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        super::china_time(*at)
    }

    /// The link to the next page, keeping the search.
    fn next_link(&self, next: &i64) -> String {
        let q = crate::auth::urlencode(&self.q);
        if q.is_empty() {
            format!("/public/results?after={next}")
        } else {
            format!("/public/results?q={q}&after={next}")
        }
    }
}

/// Published results, searchable by name or USCC, a page at a time; corrected versions shown
/// as corrected; results not published in time listed as overdue. Two indexed queries and a
/// count, however many results there are.
pub async fn results(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
    Query(query): Query<ResultsQuery>,
) -> Response {
    let page = match wf::public_results(&state.store, Some(&query.q), query.after, PAGE_RESULTS).await {
        Ok(r) => r,
        Err(e) => return page_error(lang, e).into_response(),
    };
    let overdue = match overdue(&state).await {
        Ok(d) => d,
        Err(e) => return page_error(lang, e).into_response(),
    };
    render(lang, &ResultsPage { lang, viewer: viewer.0.as_ref(), q: query.q, page, overdue })
}

/// What is overdue, read again only when something was written or the day changed. Every
/// change to an inspection is an audit entry in the same transaction, so while the audit head
/// (one row) and China's date stay the same the list is the same — on any number of servers.
/// Anonymous readers then cost the database the results' query and the head, not the overdue
/// list's two queries as well.
async fn overdue(state: &AppState) -> Result<std::sync::Arc<wf::Overdue>, wf::WorkflowError> {
    let (head, _) = suiji_store::audit::head(&state.store).await?;
    let today = wf::china_today();
    {
        let kept = state.overdue.lock().expect("the overdue list's lock");
        if let Some(k) = kept.as_ref().filter(|k| k.head == head && k.today == today) {
            return Ok(k.overdue.clone());
        }
    }
    let overdue = std::sync::Arc::new(wf::overdue(&state.store, PAGE_OVERDUE).await?);
    let mut kept = state.overdue.lock().expect("the overdue list's lock");
    *kept = Some(crate::state::KeptOverdue { head, today, overdue: overdue.clone() });
    Ok(overdue)
}

/// The results as JSON (the open-data file and `/api/v1/public/results`): `{results, next}`.
pub async fn results_json(State(state): State<AppState>, Query(query): Query<ResultsQuery>) -> Response {
    let limit = match query.checked_limit() {
        Ok(n) => n,
        Err(e) => return e.into_response(),
    };
    // The stored results pass through unparsed: the same JSON, without reading and writing it.
    match wf::public_results_raw(&state.store, Some(&query.q), query.after, limit).await {
        Ok(page) => axum::Json(page).into_response(),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

pub async fn verify_script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/verify.js"),
    )
}

//! 守法诚信等级评价, pages and API side by side: run a year's evaluation (each firm's proposed
//! grade with the rules' reasons), review it (set another grade with a reason), confirm it
//! (the grades are written, with their history, and weigh the next draws), and print each
//! firm's 告知书. The rules are the domain's (`suiji_domain::credit`), the thresholds the
//! bureau's settings.

use crate::api_workflow::body;
use crate::auth::Viewer;
use crate::error::{ApiError, PageError, render};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::{Fields, done_or_error, page_error};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use chrono::Datelike;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use suiji_domain::access::{Action, allowed};
use suiji_domain::credit::Grade;
use suiji_domain::workflow::Invalid;
use suiji_store::credit::{self, EvaluationView, ProposalView};
use suiji_store::workflow::{WorkflowError, china_today};

type Reply<T> = Result<Json<T>, ApiError>;

// ---- the API ----

#[derive(Serialize, JsonSchema)]
pub struct Evaluations {
    /// Newest first, without their firms.
    pub evaluations: Vec<EvaluationView>,
}

pub async fn api_list(State(state): State<AppState>) -> Reply<Evaluations> {
    Ok(Json(Evaluations { evaluations: credit::evaluations(&state.store).await? }))
}

pub async fn api_one(State(state): State<AppState>, Path(id): Path<i64>) -> Reply<EvaluationView> {
    Ok(Json(credit::evaluation(&state.store, id).await?))
}

/// The year to evaluate.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluateBody {
    #[schemars(range(min = 2000, max = 2100))]
    year: i32,
}

pub async fn api_evaluate(
    State(state): State<AppState>,
    viewer: Viewer,
    bytes: axum::body::Bytes,
) -> Reply<EvaluationView> {
    let b: EvaluateBody = body(&bytes)?;
    Ok(Json(credit::evaluate(&state.store, b.year, &viewer.user.actor()).await?))
}

/// A firm's grade other than proposed, with the reason (none needed to go back to the proposal).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustBody {
    #[schemars(length(min = 1, max = 64))]
    uscc: String,
    grade: Grade,
    #[serde(default)]
    #[schemars(length(max = suiji_domain::text::MAX_LINE))]
    reason: String,
}

pub async fn api_adjust(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<EvaluationView> {
    let b: AdjustBody = body(&bytes)?;
    crate::api::within("uscc", Some(&b.uscc), 64)?;
    Ok(Json(credit::adjust(&state.store, id, &b.uscc, b.grade, &b.reason, &viewer.user.actor()).await?))
}

pub async fn api_confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Reply<EvaluationView> {
    Ok(Json(credit::confirm(&state.store, id, &viewer.user.actor()).await?))
}

// ---- the pages ----

#[derive(Template)]
#[template(path = "evaluations.html")]
struct ListPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    rows: Vec<EvaluationView>,
    manage: bool,
    this_year: i32,
}

/// `GET /staff/credit/evaluations`
pub async fn list(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Result<Response, PageError> {
    let rows = credit::evaluations(&state.store).await.map_err(|e| page_error(lang, e))?;
    let manage = allowed(viewer.user.role, Action::ManageTasks);
    let this_year = china_today().year();
    Ok(render(
        lang,
        &ListPage { lang, viewer: Some(&viewer), csrf: viewer.csrf().to_owned(), rows, manage, this_year },
    ))
}

/// `POST /staff/credit/evaluations`: `year`.
pub async fn evaluate(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Ok(year) = f.get("year").parse::<i32>() else {
        let problem = Invalid::new("year", "请填写评价年度", "give the year");
        return page_error(lang, WorkflowError::Invalid(vec![problem])).into_response();
    };
    match credit::evaluate(&state.store, year, &viewer.user.actor()).await {
        Ok(e) => Redirect::to(&format!("/staff/credit/evaluations/{}", e.id)).into_response(),
        Err(e) => page_error(lang, e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "evaluation.html")]
struct OnePage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    e: EvaluationView,
    manage: bool,
}

impl OnePage<'_> {
    fn grades(&self) -> [Grade; 3] {
        Grade::ALL
    }

    fn reasons(&self, p: &ProposalView) -> String {
        let words: Vec<&str> =
            p.reasons.iter().map(|r| if self.lang.is_en() { r.en.as_str() } else { r.zh.as_str() }).collect();
        words.join(if self.lang.is_en() { "; " } else { "；" })
    }

    fn count(&self, g: &Grade) -> u64 {
        self.e.counts.get(g.code()).copied().unwrap_or(0)
    }

    fn proposed(&self) -> bool {
        self.e.status == "proposed"
    }

    fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::pages::china_time(*at)
    }
}

/// `GET /staff/credit/evaluations/{id}`
pub async fn one(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let e = credit::evaluation(&state.store, id).await.map_err(|e| page_error(lang, e))?;
    let manage = allowed(viewer.user.role, Action::ManageTasks);
    Ok(render(lang, &OnePage { lang, viewer: Some(&viewer), csrf: viewer.csrf().to_owned(), e, manage }))
}

/// `POST /staff/credit/evaluations/{id}/adjust`: `uscc`, `grade`, `reason`.
pub async fn adjust(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Some(grade) = Grade::parse(f.get("grade")) else {
        let problem = Invalid::new("grade", "请选择 A、B 或 C", "choose A, B or C");
        return page_error(lang, WorkflowError::Invalid(vec![problem])).into_response();
    };
    let result =
        credit::adjust(&state.store, id, f.get("uscc"), grade, f.get("reason"), &viewer.user.actor()).await;
    done_or_error(lang, result, &format!("/staff/credit/evaluations/{id}"))
}

/// `POST /staff/credit/evaluations/{id}/confirm`
pub async fn confirm(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    done_or_error(
        lang,
        credit::confirm(&state.store, id, &viewer.user.actor()).await,
        &format!("/staff/credit/evaluations/{id}"),
    )
}

#[derive(Template)]
#[template(path = "documents/grade_notices.html")]
struct Notices {
    f: crate::pages::documents::Frame,
    e: EvaluationView,
    prefix: String,
}

impl Notices {
    fn number(&self, n: &usize) -> String {
        format!("{}诚评〔{}〕{}号", self.prefix, self.e.year, n)
    }

    fn reasons(&self, p: &ProposalView) -> String {
        p.reason()
    }
}

/// `GET /staff/credit/evaluations/{id}/notices` (and `.pdf`): 守法诚信等级评价结果告知书, one
/// a page, for every firm of a confirmed evaluation.
pub async fn notices<const PDF: bool>(
    State(state): State<AppState>,
    lang: Lang,
    _viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    use crate::pages::documents::{deliver, frame};
    let e = credit::evaluation(&state.store, id).await.map_err(|e| page_error(lang, e))?;
    if e.status != "confirmed" {
        return Err(PageError::new(
            axum::http::StatusCode::NOT_FOUND,
            lang,
            lang.t("评价确认后方可出具告知书。", "Notices are issued once the evaluation is confirmed."),
        ));
    }
    let settings =
        suiji_store::settings::load(&state.store).await.map_err(|e| PageError::internal(lang, e))?;
    let day = e.confirmed_at.map_or_else(china_today, suiji_store::audit::china_day);
    let path = format!("/staff/credit/evaluations/{id}/notices");
    let back = format!("/staff/credit/evaluations/{id}");
    let f = frame(&state, lang, "劳动保障守法诚信等级评价结果告知书", None, day, back, &path, PDF);
    let file = format!("诚信等级评价告知书-{}.pdf", e.year);
    deliver(&state, lang, Notices { f, e, prefix: settings.document_prefix }.render(), PDF, &file).await
}

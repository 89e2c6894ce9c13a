//! 行政处罚 and 不予公开, pages and API side by side: the organizer records a penalty decision
//! against the inspection that found the violation, publishes its notice under 一般程序 within 7
//! working days and corrects it like a result; the portal lists the notices. The organizer may
//! also keep an entered result off the portal, naming the legal basis. The rules are the
//! store's and the domain's.

use crate::api_workflow::body;
use crate::auth::{MaybeViewer, Viewer};
use crate::error::{ApiError, PageError, render};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::{Fields, done_or_error, page_error};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use suiji_domain::workflow::{Invalid, PenaltyDecision, PenaltyStanding, Procedure};
use suiji_store::workflow::{self as wf, InspectionView, PenaltyNoticesPage, PenaltyView, WorkflowError};

type Reply<T> = Result<Json<T>, ApiError>;

// ---- the API ----

/// `?status=due|overdue|published|recorded`; every decision when absent.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PenaltiesQuery {
    #[serde(default)]
    status: Option<PenaltyStanding>,
}

#[derive(Serialize, JsonSchema)]
pub struct Penalties {
    /// Notices to publish, soonest deadline first; then the rest, newest decision first.
    pub penalties: Vec<PenaltyView>,
}

pub async fn api_list(State(state): State<AppState>, Query(q): Query<PenaltiesQuery>) -> Reply<Penalties> {
    Ok(Json(Penalties { penalties: wf::penalties(&state.store, q.status).await? }))
}

pub async fn api_one(State(state): State<AppState>, Path(id): Path<i64>) -> Reply<PenaltyView> {
    Ok(Json(wf::penalty(&state.store, id).await?))
}

/// `POST /api/v1/inspections/{id}/penalties`: the decision.
pub async fn api_record(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<PenaltyView> {
    let d: PenaltyDecision = body(&bytes)?;
    Ok(Json(wf::record_penalty(&state.store, id, &d, &viewer.user.actor()).await?))
}

pub async fn api_publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Reply<PenaltyView> {
    Ok(Json(wf::publish_penalty(&state.store, id, &viewer.user.actor()).await?))
}

/// The decision as it now reads, and why it changed (required once its notice is published).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectBody {
    decision: PenaltyDecision,
    #[serde(default)]
    #[schemars(length(max = suiji_domain::text::MAX_LINE))]
    reason: String,
}

pub async fn api_correct(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<PenaltyView> {
    let b: CorrectBody = body(&bytes)?;
    Ok(Json(wf::correct_penalty(&state.store, id, &b.decision, &b.reason, &viewer.user.actor()).await?))
}

/// 不予公开: the legal basis.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WithholdBody {
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_LINE))]
    basis: String,
}

pub async fn api_withhold(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<InspectionView> {
    let b: WithholdBody = body(&bytes)?;
    Ok(Json(wf::withhold_result(&state.store, id, &b.basis, &viewer.user.actor()).await?))
}

/// `?q=&after=&limit=` as for results.
pub type NoticesQuery = crate::pages::disclosure::ResultsQuery;

/// `GET /api/v1/public/penalties` (and `/public/penalties.json`): `{notices, next}`.
pub async fn api_public(
    State(state): State<AppState>,
    Query(q): Query<NoticesQuery>,
) -> Reply<PenaltyNoticesPage> {
    let limit = q.checked_limit()?;
    Ok(Json(wf::public_penalties(&state.store, Some(&q.q), q.after, limit).await?))
}

// ---- the pages ----

/// A decision from the page's fields, or what is wrong with them.
fn decision_of(f: &Fields) -> Result<PenaltyDecision, Vec<Invalid>> {
    let mut out = Vec::new();
    let procedure = Procedure::parse(f.get("procedure")).unwrap_or_else(|| {
        out.push(Invalid::new("procedure", "请选择一般程序或简易程序", "choose the procedure"));
        Procedure::General
    });
    let decided_on = f.required_date("decided_on", &mut out);
    let d = PenaltyDecision {
        procedure,
        decision_no: f.get("decision_no").to_owned(),
        decided_on,
        facts: f.get("facts").to_owned(),
        basis: f.get("basis").to_owned(),
        penalty: f.get("penalty").to_owned(),
    };
    if out.is_empty() { Ok(d) } else { Err(out) }
}

fn invalid(lang: Lang, problems: Vec<Invalid>) -> Response {
    page_error(lang, WorkflowError::Invalid(problems)).into_response()
}

#[derive(Default, Deserialize)]
pub struct StandingQuery {
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "penalties.html")]
struct ListPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    standing: Option<PenaltyStanding>,
    rows: Vec<PenaltyView>,
}

impl ListPage<'_> {
    fn standings(&self) -> [PenaltyStanding; 4] {
        PenaltyStanding::ALL
    }

    fn is(&self, s: &PenaltyStanding) -> bool {
        self.standing == Some(*s)
    }

    fn standing_name(&self, s: &PenaltyStanding) -> &'static str {
        self.lang.t(s.zh(), s.en())
    }

    fn procedure(&self, p: &Procedure) -> &'static str {
        self.lang.t(p.zh(), p.en())
    }
}

/// `GET /staff/penalties?status=…`
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Query(q): Query<StandingQuery>,
) -> Result<Response, PageError> {
    let standing = PenaltyStanding::parse(&q.status);
    let rows = wf::penalties(&state.store, standing).await.map_err(|e| page_error(lang, e))?;
    Ok(render(lang, &ListPage { lang, viewer: Some(&viewer), standing, rows }))
}

#[derive(Template)]
#[template(path = "penalty.html")]
struct OnePage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    p: PenaltyView,
    manage: bool,
}

impl OnePage<'_> {
    fn procedures(&self) -> [Procedure; 2] {
        Procedure::ALL
    }

    fn procedure(&self, p: &Procedure) -> &'static str {
        self.lang.t(p.zh(), p.en())
    }

    fn standing(&self) -> &'static str {
        self.lang.t(self.p.standing.zh(), self.p.standing.en())
    }

    fn published(&self) -> bool {
        self.p.standing == PenaltyStanding::Published
    }

    fn lists(&self) -> [suiji_domain::lists::ListName; 2] {
        suiji_domain::lists::ListName::ALL
    }

    fn list_name(&self, l: &suiji_domain::lists::ListName) -> &'static str {
        self.lang.t(l.zh(), l.en())
    }

    fn kind(&self, k: &suiji_domain::lists::Kind) -> &'static str {
        self.lang.t(k.zh(), k.en())
    }

    fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::pages::china_time(*at)
    }
}

/// `GET /staff/penalties/{id}`
pub async fn one(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let p = wf::penalty(&state.store, id).await.map_err(|e| page_error(lang, e))?;
    let manage = suiji_domain::access::allowed(viewer.user.role, suiji_domain::access::Action::ManageTasks);
    Ok(render(lang, &OnePage { lang, viewer: Some(&viewer), csrf: viewer.csrf().to_owned(), p, manage }))
}

/// `POST /staff/inspections/{id}/penalties`: the decision's fields.
pub async fn record(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let d = match decision_of(&Fields(pairs)) {
        Ok(d) => d,
        Err(problems) => return invalid(lang, problems),
    };
    match wf::record_penalty(&state.store, id, &d, &viewer.user.actor()).await {
        Ok(p) => axum::response::Redirect::to(&format!("/staff/penalties/{}", p.id)).into_response(),
        Err(e) => page_error(lang, e).into_response(),
    }
}

/// `POST /staff/penalties/{id}/publish`
pub async fn publish(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    done_or_error(
        lang,
        wf::publish_penalty(&state.store, id, &viewer.user.actor()).await,
        &format!("/staff/penalties/{id}"),
    )
}

/// `POST /staff/penalties/{id}/correct`: the decision's fields and `reason`.
pub async fn correct(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let d = match decision_of(&f) {
        Ok(d) => d,
        Err(problems) => return invalid(lang, problems),
    };
    done_or_error(
        lang,
        wf::correct_penalty(&state.store, id, &d, f.get("reason"), &viewer.user.actor()).await,
        &format!("/staff/penalties/{id}"),
    )
}

/// `POST /staff/inspections/{id}/withhold`: `basis`.
pub async fn withhold(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    done_or_error(
        lang,
        wf::withhold_result(&state.store, id, f.get("basis"), &viewer.user.actor()).await,
        &format!("/staff/inspections/{id}"),
    )
}

#[derive(Template)]
#[template(path = "public_penalties.html")]
struct PublicPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    q: String,
    page: PenaltyNoticesPage,
}

impl PublicPage<'_> {
    fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::pages::china_time(*at)
    }

    fn next_link(&self, next: &i64) -> String {
        let q = crate::auth::urlencode(&self.q);
        if q.is_empty() {
            format!("/public/penalties?after={next}")
        } else {
            format!("/public/penalties?q={q}&after={next}")
        }
    }
}

/// `GET /public/penalties`: the notices, searchable by name or USCC, twenty a page.
pub async fn public(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
    Query(q): Query<NoticesQuery>,
) -> Response {
    let page = crate::pages::disclosure::PAGE_RESULTS;
    match wf::public_penalties(&state.store, Some(&q.q), q.after, page).await {
        Ok(page) => render(lang, &PublicPage { lang, viewer: viewer.0.as_ref(), q: q.q, page }),
        Err(e) => page_error(lang, e).into_response(),
    }
}

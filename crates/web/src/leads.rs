//! 线索登记, pages and API side by side: the staff who run tasks register the leads that start
//! triggered inspections (投诉举报, 转办交办, 网络监测, 风险防控 — seed 002), keep files with
//! them, read each firm's risk score beside them, and start a triggered task from one
//! (`/staff/tasks/new?lead=ID`). A 业务科室 sees its own department's leads only. Nothing here
//! is public: the portal learns a task's kind of trigger, never the lead.

use crate::api::ApiQuery;
use crate::api_workflow::body;
use crate::auth::Viewer;
use crate::error::{ApiError, PageError, render, render_status};
use crate::files::{content_type, download, uploaded_file};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::{Fields, done_or_error, page_error};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use suiji_domain::workflow::{Invalid, LeadSource, LeadStatus, NewLead, RiskLevel};
use suiji_store::workflow::{self as wf, LeadFile, LeadView, MultiPoint, WorkflowError};

type Reply<T> = Result<Json<T>, ApiError>;

// ---- the API ----

/// `?status=open|tasked`; every lead when absent.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadsQuery {
    #[serde(default)]
    status: Option<LeadStatus>,
}

/// The leads within reach, newest first (at most [`wf::MAX_LEADS_LISTED`]).
#[derive(Serialize, JsonSchema)]
pub struct Leads {
    pub leads: Vec<LeadView>,
}

/// `GET /api/v1/leads?status=`
pub async fn api_list(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<LeadsQuery>,
) -> Reply<Leads> {
    Ok(Json(Leads { leads: wf::leads(&state.store, viewer.user.own_department(), q.status).await? }))
}

/// `POST /api/v1/leads`: the lead, registered for the account's department.
pub async fn api_register(
    State(state): State<AppState>,
    viewer: Viewer,
    bytes: axum::body::Bytes,
) -> Reply<LeadView> {
    let new: NewLead = body(&bytes)?;
    let department = viewer.user.department.clone();
    Ok(Json(wf::register_lead(&state.store, &new, department.as_deref(), &viewer.user.actor()).await?))
}

/// `GET /api/v1/leads/{id}`
pub async fn api_one(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Reply<LeadView> {
    Ok(Json(wf::lead(&state.store, id, viewer.user.own_department()).await?))
}

/// `?name=` the file's name.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileQuery {
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_NAME))]
    name: String,
}

/// `POST /api/v1/leads/{id}/files?name=`: the body is the file, Content-Type its type.
pub async fn api_add_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<FileQuery>,
    headers: axum::http::HeaderMap,
    bytes: axum::body::Bytes,
) -> Reply<LeadFile> {
    let own = viewer.user.own_department();
    let actor = viewer.user.actor();
    Ok(Json(
        wf::add_lead_file(&state.store, id, &q.name, content_type(&headers), bytes.to_vec(), own, &actor)
            .await?,
    ))
}

/// 不予立项: why a lead is closed without a task.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Closing {
    /// Unfounded on a first check, another authority's, already settled…
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_LINE))]
    pub reason: String,
}

/// `POST /api/v1/leads/{id}/close {reason}`: the lead closed without a task.
pub async fn api_close(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<LeadView> {
    let c: Closing = body(&bytes)?;
    let own = viewer.user.own_department();
    Ok(Json(wf::close_lead(&state.store, id, &c.reason, own, &viewer.user.actor()).await?))
}

/// Firms with several recent leads (多点触发).
#[derive(Serialize, JsonSchema)]
pub struct MultiPoints {
    /// How far back leads count, in days.
    pub days: i64,
    /// How many leads put a firm here.
    pub least: u64,
    pub firms: Vec<MultiPoint>,
}

/// `GET /api/v1/leads/multi-point`
pub async fn api_multi_point(State(state): State<AppState>, viewer: Viewer) -> Reply<MultiPoints> {
    Ok(Json(MultiPoints {
        days: suiji_domain::workflow::MULTI_POINT_DAYS,
        least: suiji_domain::workflow::MULTI_POINT_LEADS,
        firms: wf::multi_point(&state.store, viewer.user.own_department()).await?,
    }))
}

// ---- the pages ----

/// Words the lead pages share.
trait LeadWords {
    fn lang(&self) -> Lang;

    fn source(&self, s: &LeadSource) -> &'static str {
        self.lang().t(s.zh(), s.en())
    }

    fn status(&self, s: &LeadStatus) -> &'static str {
        self.lang().t(s.zh(), s.en())
    }

    fn level(&self, l: &RiskLevel) -> &'static str {
        self.lang().t(l.zh(), l.en())
    }
}

#[derive(Template)]
#[template(path = "leads.html")]
struct ListPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    status: Option<LeadStatus>,
    rows: Vec<LeadView>,
    firms: Vec<MultiPoint>,
    /// The form sent back with its problems.
    f: Fields,
    problems: Vec<Invalid>,
    today: chrono::NaiveDate,
}

impl LeadWords for ListPage<'_> {
    fn lang(&self) -> Lang {
        self.lang
    }
}

impl ListPage<'_> {
    fn sources(&self) -> [LeadSource; 4] {
        LeadSource::ALL
    }

    fn statuses(&self) -> [LeadStatus; 3] {
        [LeadStatus::Open, LeadStatus::Tasked, LeadStatus::Closed]
    }

    fn is(&self, s: &LeadStatus) -> bool {
        self.status == Some(*s)
    }

    fn value(&self, name: &str) -> &str {
        self.f.get(name)
    }

    fn multi_days(&self) -> i64 {
        suiji_domain::workflow::MULTI_POINT_DAYS
    }
}

/// The list's query, read leniently (it also carries `lang=`).
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    status: String,
}

async fn list_page(
    state: &AppState,
    lang: Lang,
    viewer: &Viewer,
    status: Option<LeadStatus>,
    f: Fields,
    problems: Vec<Invalid>,
) -> Result<Response, PageError> {
    let own = viewer.user.own_department();
    let rows = wf::leads(&state.store, own, status).await.map_err(|e| page_error(lang, e))?;
    let firms = wf::multi_point(&state.store, own).await.map_err(|e| page_error(lang, e))?;
    let code = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ListPage {
        lang,
        viewer: Some(viewer),
        csrf: viewer.csrf().to_owned(),
        status,
        rows,
        firms,
        f,
        problems,
        today: wf::china_today(),
    };
    Ok(render_status(code, lang, &page))
}

/// `GET /staff/leads?status=`
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let today = wf::china_today().to_string();
    let f = Fields(vec![("received_on".into(), today)]);
    list_page(&state, lang, &viewer, LeadStatus::parse(&q.status), f, Vec::new()).await
}

/// The register form, read into a lead; what cannot be read is named by field.
fn new_lead(f: &Fields) -> Result<NewLead, Vec<Invalid>> {
    let mut out = Vec::new();
    let source = LeadSource::parse(f.get("source"));
    if source.is_none() {
        out.push(Invalid::new("source", "请选择线索来源", "choose the lead's source"));
    }
    let received_on = f.required_date("received_on", &mut out);
    let lead = NewLead {
        source: source.unwrap_or(LeadSource::Complaint),
        received_on,
        targets: f.list("targets").into_iter().map(|t| t.to_uppercase()).collect(),
        reference: f.get("reference").to_owned(),
        summary: f.get("summary").to_owned(),
    };
    if out.is_empty() { Ok(lead) } else { Err(out) }
}

/// `POST /staff/leads`: registers the form's lead and opens it.
pub async fn register(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(pairs);
    let new = match new_lead(&f) {
        Ok(l) => l,
        Err(p) => return list_page(&state, lang, &viewer, None, f, p).await,
    };
    let department = viewer.user.department.clone();
    match wf::register_lead(&state.store, &new, department.as_deref(), &viewer.user.actor()).await {
        Ok(l) => Ok(Redirect::to(&format!("/staff/leads/{}", l.id)).into_response()),
        Err(WorkflowError::Invalid(p)) => list_page(&state, lang, &viewer, None, f, p).await,
        Err(e) => Err(page_error(lang, e)),
    }
}

#[derive(Template)]
#[template(path = "lead.html")]
struct OnePage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    l: LeadView,
    /// Who closed it, by name (不予立项).
    closed_by: String,
}

impl LeadWords for OnePage<'_> {
    fn lang(&self) -> Lang {
        self.lang
    }
}

/// `GET /staff/leads/{id}`
pub async fn one(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let l =
        wf::lead(&state.store, id, viewer.user.own_department()).await.map_err(|e| page_error(lang, e))?;
    let closed_by = match &l.closed_by {
        Some(who) => crate::people::display_name(&state.store, who).await,
        None => String::new(),
    };
    Ok(render(lang, &OnePage { lang, viewer: Some(&viewer), csrf: viewer.csrf().to_owned(), l, closed_by }))
}

/// `POST /staff/leads/{id}/close`: 不予立项, with the form's reason.
pub async fn close(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let own = viewer.user.own_department();
    done_or_error(
        lang,
        wf::close_lead(&state.store, id, f.get("reason"), own, &viewer.user.actor()).await,
        &format!("/staff/leads/{id}"),
    )
}

/// `POST /staff/leads/{id}/files`: a file kept with the lead.
pub async fn add_file(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Response {
    let (name, content_type, data) = match uploaded_file(lang, multipart).await {
        Ok(f) => f,
        Err(refused) => return refused,
    };
    let own = viewer.user.own_department();
    done_or_error(
        lang,
        wf::add_lead_file(&state.store, id, &name, &content_type, data, own, &viewer.user.actor()).await,
        &format!("/staff/leads/{id}"),
    )
}

/// `GET /staff/leads/{id}/files/{file}`: the file, downloaded.
pub async fn file(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path((id, file)): Path<(i64, i64)>,
) -> Response {
    match wf::lead_file(&state.store, id, file, viewer.user.own_department()).await {
        Ok(f) => download("lead-file", f.id, &f.file_name, f.data),
        Err(e) => page_error(lang, e).into_response(),
    }
}

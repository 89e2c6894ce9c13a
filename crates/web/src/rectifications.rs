//! 整改 and 复查, pages and API side by side: the list of rectifications by standing (open, due
//! within the week, overdue, closed), one rectification with its follow-ups, and the
//! organizer's steps — schedule a follow-up (the same team, or one drawn anew), extend the
//! deadline once, take the case further (立案查处 or 移送). The rules are the store's and the
//! domain's; the follow-up itself is an inspection, entered on its own page.

use crate::api_workflow::body;
use crate::auth::Viewer;
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
use suiji_domain::access::{Action, allowed};
use suiji_domain::workflow::{Escalation, FollowUpOutcome, Invalid, Standing};
use suiji_store::workflow::{self as wf, RectificationView, WorkflowError};

type Reply<T> = Result<Json<T>, ApiError>;

// ---- the API ----

/// `?status=open|due|overdue|closed`: open (not closed), due within 7 days, overdue, closed;
/// every rectification when absent.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RectificationsQuery {
    #[serde(default)]
    status: Option<Standing>,
}

#[derive(Serialize, JsonSchema)]
pub struct Rectifications {
    /// The deadline in force soonest first.
    pub rectifications: Vec<RectificationView>,
}

pub async fn api_list(
    State(state): State<AppState>,
    Query(q): Query<RectificationsQuery>,
) -> Reply<Rectifications> {
    Ok(Json(Rectifications { rectifications: wf::rectifications(&state.store, q.status).await? }))
}

pub async fn api_one(State(state): State<AppState>, Path(id): Path<i64>) -> Reply<RectificationView> {
    Ok(Json(wf::rectification(&state.store, id).await?))
}

/// Who makes the follow-up: the original team (the default), or a team drawn anew by
/// `suiji-assign/1` with the seed `<draw seed>/followup/<id>`.
#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct FollowUpBody {
    #[serde(default)]
    draw_team: bool,
}

pub async fn api_follow_up(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<RectificationView> {
    let b: FollowUpBody = if bytes.is_empty() { FollowUpBody::default() } else { body(&bytes)? };
    Ok(Json(wf::schedule_follow_up(&state.store, id, b.draw_team, &viewer.user.actor()).await?))
}

/// An extension of the deadline, once, after a follow-up found it not rectified.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendBody {
    until: chrono::NaiveDate,
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_LINE))]
    reason: String,
}

pub async fn api_extend(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<RectificationView> {
    let b: ExtendBody = body(&bytes)?;
    Ok(Json(wf::extend(&state.store, id, b.until, &b.reason, &viewer.user.actor()).await?))
}

/// 立案查处 (`case`) or 移送 (`referral`), with what was opened or the receiving body.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalateBody {
    kind: Escalation,
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_LINE))]
    note: String,
}

pub async fn api_escalate(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<RectificationView> {
    let b: EscalateBody = body(&bytes)?;
    Ok(Json(wf::escalate(&state.store, id, b.kind, &b.note, &viewer.user.actor()).await?))
}

// ---- the pages ----

/// The list's filter as the page takes it: a value that is none of the choices shows all.
#[derive(Debug, Default, Deserialize)]
pub struct StandingQuery {
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "rectifications.html")]
struct ListPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    standing: Option<Standing>,
    rows: Vec<RectificationView>,
}

impl ListPage<'_> {
    fn standings(&self) -> [Standing; 4] {
        Standing::ALL
    }

    fn is(&self, s: &Standing) -> bool {
        self.standing == Some(*s)
    }

    fn standing_name(&self, s: &Standing) -> &'static str {
        self.lang.t(s.zh(), s.en())
    }

    fn state(&self, r: &RectificationView) -> String {
        r.state(self.lang.is_en())
    }
}

/// `GET /staff/rectifications?status=…`
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Query(q): Query<StandingQuery>,
) -> Result<Response, PageError> {
    let standing = Standing::parse(&q.status);
    let rows = wf::rectifications(&state.store, standing).await.map_err(|e| page_error(lang, e))?;
    Ok(render(lang, &ListPage { lang, viewer: Some(&viewer), standing, rows }))
}

#[derive(Template)]
#[template(path = "rectification.html")]
struct OnePage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    r: RectificationView,
    manage: bool,
}

impl OnePage<'_> {
    fn state(&self) -> String {
        self.r.state(self.lang.is_en())
    }

    fn status(&self, s: &str) -> &'static str {
        self.lang.t(wf::status_zh(s), wf::status_en(s))
    }

    fn outcome(&self, o: &Option<FollowUpOutcome>) -> &'static str {
        o.map_or("", |o| self.lang.t(o.zh(), o.en()))
    }

    fn team(&self, members: &[(String, String)]) -> String {
        members.iter().map(|(cert, name)| format!("{name}（{cert}）")).collect::<Vec<_>>().join("、")
    }

    /// A follow-up may be scheduled now.
    fn may_follow_up(&self) -> bool {
        self.manage && self.r.rules().check_follow_up().is_ok()
    }

    /// An extension or escalation may be asked for now (the rules say the rest).
    fn may_take_further(&self) -> bool {
        self.manage && self.r.rules().may_take_further()
    }

    fn escalations(&self) -> [Escalation; 2] {
        [Escalation::Case, Escalation::Referral]
    }

    fn escalation_name(&self, e: &Escalation) -> &'static str {
        self.lang.t(e.zh(), e.en())
    }

    fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        crate::pages::china_time(*at)
    }
}

/// `GET /staff/rectifications/{id}`
pub async fn one(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let r = wf::rectification(&state.store, id).await.map_err(|e| page_error(lang, e))?;
    let manage = allowed(viewer.user.role, Action::ManageTasks);
    Ok(render(lang, &OnePage { lang, viewer: Some(&viewer), csrf: viewer.csrf().to_owned(), r, manage }))
}

fn back(id: i64) -> String {
    format!("/staff/rectifications/{id}")
}

/// `POST /staff/rectifications/{id}/follow-up`: `team=same|drawn`.
pub async fn follow_up(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let drawn = Fields(pairs).get("team") == "drawn";
    done_or_error(
        lang,
        wf::schedule_follow_up(&state.store, id, drawn, &viewer.user.actor()).await,
        &back(id),
    )
}

/// `POST /staff/rectifications/{id}/extend`: `until`, `reason`.
pub async fn extend(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Ok(until) = chrono::NaiveDate::parse_from_str(f.get("until"), "%Y-%m-%d") else {
        let problem = Invalid::new("until", "请填写延长后的整改期限", "give the new deadline");
        return page_error(lang, WorkflowError::Invalid(vec![problem])).into_response();
    };
    done_or_error(
        lang,
        wf::extend(&state.store, id, until, f.get("reason"), &viewer.user.actor()).await,
        &back(id),
    )
}

/// `POST /staff/rectifications/{id}/escalate`: `kind=case|referral`, `note`.
pub async fn escalate(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Some(kind) = Escalation::parse(f.get("kind")) else {
        let problem = Invalid::new("kind", "请选择立案查处或移送", "choose a case or a referral");
        return page_error(lang, WorkflowError::Invalid(vec![problem])).into_response();
    };
    done_or_error(
        lang,
        wf::escalate(&state.store, id, kind, f.get("note"), &viewer.user.actor()).await,
        &back(id),
    )
}

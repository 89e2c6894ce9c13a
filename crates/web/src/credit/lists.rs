//! The public lists, pages and API side by side: staff propose an entry from a penalty
//! decision, publish a serious violation, or tell a firm it is to be listed for wage arrears,
//! decide, and take it off (信用修复 or at the end of its term); the portal shows each list with
//! who left it, as a page, `.csv`, `.json` and in the Atom feed.

use crate::api_workflow::body;
use crate::auth::{MaybeViewer, Viewer};
use crate::error::{ApiError, PageError, render};
use crate::lang::Lang;
use crate::state::AppState;
use crate::workflow::{Fields, done_or_error, page_error};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use suiji_domain::access::{Action, allowed};
use suiji_domain::lists::{EntryStatus, Kind, ListName, Removal};
use suiji_domain::workflow::Invalid;
use suiji_store::credit::lists as store;
use suiji_store::credit::{EntryView, NewEntry, PublicList};
use suiji_store::workflow::WorkflowError;

type Reply<T> = Result<Json<T>, ApiError>;

// ---- the API ----

/// `?list=major_violations|wage_arrears&status=proposed|notified|listed|removed`.
#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct EntriesQuery {
    #[serde(default)]
    list: Option<ListName>,
    #[serde(default)]
    status: Option<EntryStatus>,
}

#[derive(Serialize, JsonSchema)]
pub struct Entries {
    /// Newest first.
    pub entries: Vec<EntryView>,
}

pub async fn api_list(State(state): State<AppState>, Query(q): Query<EntriesQuery>) -> Reply<Entries> {
    Ok(Json(Entries { entries: store::entries(&state.store, q.list, q.status).await? }))
}

pub async fn api_one(State(state): State<AppState>, Path(id): Path<i64>) -> Reply<EntryView> {
    Ok(Json(store::entry(&state.store, id).await?))
}

/// A proposal from a penalty decision: the list, the kinds of violation, and the facts and
/// handling as they will be published (the decision's when left out).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeBody {
    list: ListName,
    #[schemars(length(min = 1, max = 9))]
    kinds: Vec<Kind>,
    #[serde(default)]
    #[schemars(length(max = suiji_domain::text::MAX_TEXT))]
    facts: String,
    #[serde(default)]
    #[schemars(length(max = suiji_domain::text::MAX_LINE))]
    handling: String,
}

/// `POST /api/v1/penalties/{id}/lists`
pub async fn api_propose(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(penalty): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<EntryView> {
    let b: ProposeBody = body(&bytes)?;
    if b.kinds.len() > 9 {
        return Err(ApiError::field(axum::http::StatusCode::BAD_REQUEST, "kinds", "at most 9 kinds"));
    }
    let new = NewEntry { kinds: b.kinds, facts: b.facts, handling: b.handling };
    Ok(Json(store::propose(&state.store, penalty, b.list, &new, &viewer.user.actor()).await?))
}

pub async fn api_publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Reply<EntryView> {
    Ok(Json(store::publish(&state.store, id, &viewer.user.actor()).await?))
}

/// The day the firm was told (告知) it is to be listed.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotifyBody {
    notified_on: NaiveDate,
}

pub async fn api_notify(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<EntryView> {
    let b: NotifyBody = body(&bytes)?;
    Ok(Json(store::notify(&state.store, id, b.notified_on, &viewer.user.actor()).await?))
}

/// The decision: what the firm said in its defence and the answer (if it spoke), and the term.
#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DecideBody {
    #[serde(default)]
    #[schemars(length(max = suiji_domain::text::MAX_TEXT))]
    statement: String,
    /// Years on the list: 1 to 5, 3 when left out.
    #[serde(default)]
    #[schemars(range(min = 1, max = 5))]
    term_years: Option<u32>,
}

pub async fn api_decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<EntryView> {
    let b: DecideBody = if bytes.is_empty() { DecideBody::default() } else { body(&bytes)? };
    Ok(Json(store::decide(&state.store, id, &b.statement, b.term_years, &viewer.user.actor()).await?))
}

/// Why it leaves the list.
#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RemoveBody {
    #[serde(default)]
    #[schemars(length(max = suiji_domain::text::MAX_LINE))]
    reason: String,
}

/// `POST /api/v1/lists/{id}/repair`: 信用修复, early, with the reason.
pub async fn api_repair(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<EntryView> {
    let b: RemoveBody = body(&bytes)?;
    Ok(Json(store::remove(&state.store, id, Removal::Repaired, &b.reason, &viewer.user.actor()).await?))
}

/// `POST /api/v1/lists/{id}/remove`: at the end of its term.
pub async fn api_remove(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Reply<EntryView> {
    let b: RemoveBody = if bytes.is_empty() { RemoveBody::default() } else { body(&bytes)? };
    Ok(Json(store::remove(&state.store, id, Removal::Expired, &b.reason, &viewer.user.actor()).await?))
}

/// `GET /api/v1/public/lists/major-violations` (and `/public/lists/major-violations.json`).
pub async fn api_public<const MAJOR: bool>(State(state): State<AppState>) -> Reply<PublicList> {
    Ok(Json(store::public_list(&state.store, which(MAJOR)).await?))
}

fn which(major: bool) -> ListName {
    if major { ListName::MajorViolations } else { ListName::WageArrears }
}

/// `/public/lists/…csv`: one row an entry, those removed after those on the list.
pub async fn public_csv<const MAJOR: bool>(
    State(state): State<AppState>,
    lang: Lang,
) -> Result<Response, PageError> {
    let l = store::public_list(&state.store, which(MAJOR)).await.map_err(|e| page_error(lang, e))?;
    let header = [
        "状态",
        "单位名称",
        "统一社会信用代码",
        "法定代表人",
        "地址",
        "违法情形",
        "主要违法事实",
        "处理情况",
        "决定日期",
        "列入日期",
        "期满日期",
        "移出日期",
        "移出原因",
    ];
    let mut rows = Vec::new();
    for (state_word, entries) in [("在列", &l.entries), ("已移出", &l.exits)] {
        for e in entries {
            let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            let removal =
                [e.removal.clone(), e.removal_reason.clone()].into_iter().flatten().collect::<Vec<_>>();
            rows.push(vec![
                state_word.to_owned(),
                e.target_name.clone(),
                e.uscc.clone(),
                e.legal_rep.clone(),
                e.address.clone(),
                e.kinds.join("；"),
                e.facts.clone(),
                e.handling.clone(),
                e.decided_on.to_string(),
                date(e.listed_on),
                date(e.term_end),
                date(e.removed_on),
                removal.join("："),
            ]);
        }
    }
    let body = suiji_sheets::write(suiji_sheets::Format::Csv, &header, &[false; 13], None, &rows)
        .map_err(|e| PageError::internal(lang, e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{}.csv\"", l.list.slug())),
        ],
        body,
    )
        .into_response())
}

// ---- the pages ----

#[derive(Template)]
#[template(path = "public_list.html")]
struct PublicPage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    l: PublicList,
}

impl PublicPage<'_> {
    fn title(&self) -> &'static str {
        self.lang.t(self.l.list.zh(), self.l.list.en())
    }

    fn other(&self) -> ListName {
        match self.l.list {
            ListName::MajorViolations => ListName::WageArrears,
            ListName::WageArrears => ListName::MajorViolations,
        }
    }

    fn other_title(&self) -> &'static str {
        let o = self.other();
        self.lang.t(o.zh(), o.en())
    }

    fn arrears(&self) -> bool {
        self.l.list == ListName::WageArrears
    }
}

/// `/public/lists/major-violations`, `/public/lists/wage-arrears`
pub async fn public_page<const MAJOR: bool>(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
) -> Result<Response, PageError> {
    let l = store::public_list(&state.store, which(MAJOR)).await.map_err(|e| page_error(lang, e))?;
    Ok(render(lang, &PublicPage { lang, viewer: viewer.0.as_ref(), l }))
}

#[derive(Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    list: String,
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "list_entries.html")]
struct StaffList<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    list: Option<ListName>,
    rows: Vec<EntryView>,
}

impl StaffList<'_> {
    fn lists(&self) -> [ListName; 2] {
        ListName::ALL
    }

    fn is(&self, l: &ListName) -> bool {
        self.list == Some(*l)
    }

    fn list_name(&self, l: &ListName) -> &'static str {
        self.lang.t(l.zh(), l.en())
    }

    fn status(&self, e: &EntryView) -> &'static str {
        self.lang.t(e.status.zh(e.list), e.status.en())
    }
}

/// `GET /staff/lists?list=…&status=…`
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let list = ListName::parse(&q.list);
    let rows = store::entries(&state.store, list, EntryStatus::parse(&q.status))
        .await
        .map_err(|e| page_error(lang, e))?;
    Ok(render(lang, &StaffList { lang, viewer: Some(&viewer), list, rows }))
}

#[derive(Template)]
#[template(path = "list_entry.html")]
struct OnePage<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    csrf: String,
    e: EntryView,
    manage: bool,
    today: NaiveDate,
}

impl OnePage<'_> {
    fn list_name(&self) -> &'static str {
        self.lang.t(self.e.list.zh(), self.e.list.en())
    }

    fn status(&self) -> &'static str {
        self.lang.t(self.e.status.zh(self.e.list), self.e.status.en())
    }

    fn kind(&self, k: &Kind) -> &'static str {
        self.lang.t(k.zh(), k.en())
    }

    fn removal(&self, r: &Removal) -> &'static str {
        self.lang.t(r.zh(), r.en())
    }

    fn can(&self, step: &str) -> bool {
        use EntryStatus::*;
        let arrears = self.e.list == ListName::WageArrears;
        self.manage
            && match step {
                "publish" => !arrears && self.e.status == Proposed,
                "notify" => arrears && self.e.status == Proposed,
                "decide" => arrears && self.e.status == Notified,
                "repair" => arrears && self.e.status == Listed,
                "remove" => arrears && self.e.status == Listed && self.e.term_over,
                _ => false,
            }
    }
}

/// `GET /staff/lists/{id}`
pub async fn one(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let e = store::entry(&state.store, id).await.map_err(|e| page_error(lang, e))?;
    let manage = allowed(viewer.user.role, Action::ManageTasks);
    let today = suiji_store::workflow::china_today();
    Ok(render(
        lang,
        &OnePage { lang, viewer: Some(&viewer), csrf: viewer.csrf().to_owned(), e, manage, today },
    ))
}

fn invalid(lang: Lang, field: &str, zh: &str, en: &str) -> Response {
    page_error(lang, WorkflowError::Invalid(vec![Invalid::new(field, zh, en)])).into_response()
}

/// `POST /staff/penalties/{id}/lists`: `list`, `kinds` (several), `facts`, `handling`.
pub async fn propose(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(penalty): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Some(list) = ListName::parse(f.get("list")) else {
        return invalid(lang, "list", "请选择名单", "choose the list");
    };
    let kinds = f.all("kinds").iter().filter_map(|k| Kind::parse(k)).take(9).collect();
    let new = NewEntry { kinds, facts: f.get("facts").to_owned(), handling: f.get("handling").to_owned() };
    match store::propose(&state.store, penalty, list, &new, &viewer.user.actor()).await {
        Ok(e) => Redirect::to(&format!("/staff/lists/{}", e.id)).into_response(),
        Err(e) => page_error(lang, e).into_response(),
    }
}

fn back(id: i64) -> String {
    format!("/staff/lists/{id}")
}

/// `POST /staff/lists/{id}/publish`
pub async fn publish(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    done_or_error(lang, store::publish(&state.store, id, &viewer.user.actor()).await, &back(id))
}

/// `POST /staff/lists/{id}/notify`: `notified_on`.
pub async fn notify(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let Ok(on) = NaiveDate::parse_from_str(f.get("notified_on"), "%Y-%m-%d") else {
        return invalid(lang, "notified_on", "请填写告知日期", "give the day it was told");
    };
    done_or_error(lang, store::notify(&state.store, id, on, &viewer.user.actor()).await, &back(id))
}

/// `POST /staff/lists/{id}/decide`: `statement`, `term_years`.
pub async fn decide(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let years = match f.get("term_years") {
        "" => None,
        typed => match typed.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                return invalid(
                    lang,
                    "term_years",
                    "列入期限应为1至5的整数（年）",
                    "the term is 1 to 5 years",
                );
            }
        },
    };
    done_or_error(
        lang,
        store::decide(&state.store, id, f.get("statement"), years, &viewer.user.actor()).await,
        &back(id),
    )
}

/// `POST /staff/lists/{id}/repair`: `reason`.
pub async fn repair(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let result =
        store::remove(&state.store, id, Removal::Repaired, f.get("reason"), &viewer.user.actor()).await;
    done_or_error(lang, result, &back(id))
}

/// `POST /staff/lists/{id}/remove`: `reason`.
pub async fn remove(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let result =
        store::remove(&state.store, id, Removal::Expired, f.get("reason"), &viewer.user.actor()).await;
    done_or_error(lang, result, &back(id))
}

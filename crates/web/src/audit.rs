//! The audit log: the staff's page of entries and its API; and in public, its head and daily
//! heads, its signed checkpoints (the latest, all of them, and in the Atom feed so that
//! followers keep copies), and inclusion proofs that an entry — a published result, a draw — is
//! in the tree a checkpoint signed.

use crate::api::{ApiQuery, DEFAULT_LIMIT, MAX_LIMIT, page_limit};
use crate::auth::{MaybeViewer, Viewer};
use crate::error::{ApiError, PageError, render};
use crate::lang::Lang;
use crate::pages::china_time;
use crate::pages::portal::FeedEntry;
use crate::state::AppState;
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use suiji_domain::checkpoint::{Checkpoint, public_key};
use suiji_store::audit;

#[derive(Template)]
#[template(path = "audit_heads.html")]
struct AuditHeads<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    head_seq: i64,
    head_hash: String,
    days: Vec<(String, i64, String)>,
    /// The key checkpoints are signed with, hex.
    public_key: Option<String>,
    /// The newest checkpoints, newest first: the day and time signed (China time), size, root.
    checkpoints: Vec<(String, String, u64, String)>,
}

/// How many checkpoints the page and the feed list.
const PAGE_CHECKPOINTS: u64 = 30;

/// How many days' last entries the page and the API list.
const DAILY_HEADS: u64 = 90;

/// The public key the log's checkpoints are signed with: the server's own, or else the one
/// the newest checkpoint names.
fn log_key(state: &AppState, newest: Option<&Checkpoint>) -> Option<String> {
    state.store.signing_key().map(public_key).or_else(|| newest.map(|c| c.key.clone()))
}

/// `/public/audit`: the head, the signing key, the newest checkpoints, the daily heads.
pub async fn public_page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
) -> Result<Response, PageError> {
    let internal = |e| PageError::internal(lang, e);
    let (head_seq, head_hash) = audit::head(&state.store).await.map_err(internal)?;
    let days = audit::daily_heads(&state.store, DAILY_HEADS).await.map_err(internal)?;
    let checkpoints = audit::checkpoints::newest(&state.store, PAGE_CHECKPOINTS).await.map_err(internal)?;
    let public_key = log_key(&state, checkpoints.first());
    let checkpoints = checkpoints
        .into_iter()
        .map(|c| {
            // The day and the time apart, so that a narrow screen breaks the line between them.
            let at = chrono::DateTime::parse_from_rfc3339(&c.time)
                .map_or_else(|_| c.time.clone(), |t| china_time(t.with_timezone(&chrono::Utc)));
            let (day, time) = at.split_once(' ').unwrap_or((&at, ""));
            (day.to_owned(), time.to_owned(), c.size, c.root)
        })
        .collect();
    Ok(render(
        lang,
        &AuditHeads { lang, viewer: viewer.0.as_ref(), head_seq, head_hash, days, public_key, checkpoints },
    ))
}

/// The newest checkpoint, as JSON: what anyone saves to check the log against later
/// (`suiji audit verify --checkpoint FILE`).
pub async fn checkpoint(State(state): State<AppState>) -> Result<Json<Checkpoint>, ApiError> {
    audit::checkpoints::latest(&state.store)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "no checkpoint has been signed yet"))
}

/// Every checkpoint, oldest first.
pub async fn checkpoints(State(state): State<AppState>) -> Result<Json<Vec<Checkpoint>>, ApiError> {
    Ok(Json(audit::checkpoints::all(&state.store).await?))
}

/// The inclusion proof of entry `seq` against the newest checkpoint.
pub async fn proof(
    State(state): State<AppState>,
    Path(entry): Path<String>,
) -> Result<Json<audit::InclusionProof>, ApiError> {
    // Read here rather than by the extractor, whose refusal would be plain text: this answer is
    // JSON, for programs, like the API's.
    let seq = entry.parse::<i64>().ok().filter(|s| *s >= 1).ok_or_else(|| {
        ApiError::field(StatusCode::BAD_REQUEST, "entry", "an entry number is a whole number, 1 or more")
    })?;
    audit::inclusion_proof(&state.store, seq).await?.map(Json).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no entry {seq} in a signed checkpoint yet (the next checkpoint will hold it)"),
        )
    })
}

/// The newest checkpoints as feed entries, their JSON as the content: whoever follows the feed
/// keeps every checkpoint it has seen.
pub async fn feed_entries(state: &AppState) -> Result<Vec<FeedEntry>, suiji_store::StoreError> {
    Ok(audit::checkpoints::newest(&state.store, PAGE_CHECKPOINTS)
        .await?
        .into_iter()
        .map(|c| FeedEntry {
            id: format!("urn:suiji:checkpoint:{}:{}", c.size, c.time),
            title: format!("操作留痕检查点：共 {} 条，根哈希 {}…", c.size, &c.root[..c.root.len().min(16)]),
            updated: c.time.clone(),
            link: "/public/audit/checkpoints".into(),
            content: serde_json::to_string(&c).expect("a checkpoint serialises"),
        })
        .collect())
}

/// An audit entry as the log page shows it: who by name, the action and object in words, the
/// change summarised (the JSON itself behind a disclosure), the hash shortened.
struct EntryRow {
    seq: i64,
    at: String,
    actor: String,
    username: String,
    action: String,
    action_code: String,
    object: String,
    summary: String,
    change: String,
    hash: String,
}

impl EntryRow {
    fn short_hash(&self) -> &str {
        &self.hash[..self.hash.len().min(12)]
    }
}

#[derive(Template)]
#[template(path = "audit_log.html")]
struct AuditLog<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    entries: Vec<EntryRow>,
    older: Option<String>,
    q: AuditQuery,
    actions: Vec<(&'static str, &'static str)>,
    people: Vec<(String, String)>,
    export: String,
}

/// The log page's filters (who, what, when, object) and paging.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct AuditQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    before: Option<i64>,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    object: String,
    /// A China date, `YYYY-MM-DD`: from its start.
    #[serde(default)]
    from: String,
    /// A China date: to its end.
    #[serde(default)]
    to: String,
}

/// Entries on one page of the log.
const LOG_PAGE: u64 = 100;
/// Entries in one export.
const LOG_EXPORT: u64 = 50_000;

impl AuditQuery {
    fn filter(&self, lang: Lang) -> Result<audit::Filter, PageError> {
        let text = |s: &str, name: &str| -> Result<Option<String>, PageError> {
            let s = s.trim();
            if s.chars().count() > 200 {
                return Err(PageError::new(
                    StatusCode::BAD_REQUEST,
                    lang,
                    format!("{}（{name}）", lang.t("查询条件过长", "A filter is too long")),
                ));
            }
            Ok((!s.is_empty()).then(|| s.to_owned()))
        };
        let day = |s: &str, end: bool| -> Result<Option<chrono::DateTime<chrono::Utc>>, PageError> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                PageError::new(
                    StatusCode::BAD_REQUEST,
                    lang,
                    lang.t("日期应为 YYYY-MM-DD", "a date is YYYY-MM-DD"),
                )
            })?;
            let d = if end { d.succ_opt().unwrap_or(d) } else { d };
            let start = d.and_hms_opt(0, 0, 0).expect("midnight");
            Ok(start.and_local_timezone(audit::china()).single().map(|t| t.with_timezone(&chrono::Utc)))
        };
        Ok(audit::Filter {
            actor: text(&self.actor, "actor")?,
            action: text(&self.action, "action")?,
            object: text(&self.object, "object")?,
            from: day(&self.from, false)?,
            to: day(&self.to, true)?,
        })
    }

    fn link(&self, path: &str, before: Option<i64>) -> String {
        let q = AuditQuery { before, ..self.clone() };
        format!("{path}?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
    }
}

fn rows(entries: Vec<audit::Entry>, people: &crate::people::People, english: bool) -> Vec<EntryRow> {
    entries
        .into_iter()
        .map(|e| EntryRow {
            seq: e.seq,
            at: china_time(e.at),
            actor: people.name(&e.actor, &e.role),
            action: suiji_domain::audit::action_name(&e.action, english).to_owned(),
            object: crate::people::object_name(&e.object, english),
            summary: crate::people::summary(&e.change),
            username: e.actor,
            action_code: e.action,
            change: e.change,
            hash: e.hash,
        })
        .collect()
}

/// `/staff/audit`: the newest entries matching the filters, a hundred to a page.
pub async fn log_page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let filter = q.filter(lang)?;
    let entries = audit::search(&state.store, &filter, q.before, LOG_PAGE)
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let older = (entries.len() as u64 == LOG_PAGE)
        .then(|| entries.last().map(|e| q.link("/staff/audit", Some(e.seq))))
        .flatten();
    let people = crate::people::People::load(&state.store).await.map_err(|e| PageError::internal(lang, e))?;
    let entries = rows(entries, &people, lang.is_en());
    let actions = suiji_domain::audit::ACTIONS
        .iter()
        .map(|(code, zh, en)| (*code, if lang.is_en() { *en } else { *zh }))
        .collect();
    let users = suiji_store::accounts::users(&state.store).await.map_err(|e| PageError::internal(lang, e))?;
    let people = users.into_iter().map(|u| (u.username, u.display_name)).collect();
    let export = q.link("/staff/audit.xlsx", None);
    Ok(render(lang, &AuditLog { lang, viewer: Some(&viewer), entries, older, q, actions, people, export }))
}

/// `/staff/audit.xlsx`: the entries matching the filters (the newest 50,000), as a workbook.
pub async fn log_export(
    State(state): State<AppState>,
    lang: Lang,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let filter = q.filter(lang)?;
    let entries = audit::search(&state.store, &filter, q.before, LOG_EXPORT)
        .await
        .map_err(|e| PageError::internal(lang, e))?;
    let people = crate::people::People::load(&state.store).await.map_err(|e| PageError::internal(lang, e))?;
    let table: Vec<Vec<String>> = rows(entries, &people, false)
        .into_iter()
        .map(|e| {
            vec![
                e.seq.to_string(),
                e.at,
                e.actor,
                e.username,
                e.action,
                e.action_code,
                e.object,
                e.summary,
                e.change,
                e.hash,
            ]
        })
        .collect();
    let headers =
        ["序号", "时间", "操作人", "用户名", "操作", "操作代码", "对象", "摘要", "内容（JSON）", "哈希"];
    let bytes = suiji_sheets::write(suiji_sheets::Format::Xlsx, &headers, &[false; 10], None, &table)
        .map_err(|e| PageError::internal(lang, e))?;
    let disposition = format!(
        "attachment; filename=\"audit.xlsx\"; filename*=UTF-8''{}.xlsx",
        crate::auth::urlencode("操作日志")
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// The audit chain's newest entry.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct HeadEntry {
    /// The China date (for the daily heads).
    pub day: String,
    pub seq: i64,
    pub hash: String,
}

/// The audit chain's head, and the head at the end of each recent day.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
    pub daily: Vec<HeadEntry>,
}

/// `/api/v1/audit/head`: the head and the daily heads.
pub async fn head_api(State(state): State<AppState>) -> Result<Json<Head>, ApiError> {
    let (seq, hash) = audit::head(&state.store).await?;
    let daily = audit::daily_heads(&state.store, DAILY_HEADS)
        .await?
        .into_iter()
        .map(|(day, seq, hash)| HeadEntry { day, seq, hash })
        .collect();
    Ok(Json(Head { seq, hash, daily }))
}

#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// Entries before this one (the previous page's last `seq`).
    before: Option<i64>,
    /// Entries, 1 to 1000 (default 100).
    #[schemars(range(min = 1, max = MAX_LIMIT))]
    limit: Option<u64>,
}

/// Audit entries, newest first.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct Entries {
    pub entries: Vec<audit::Entry>,
}

/// `/api/v1/audit`: entries, newest first, a page at a time.
pub async fn log_api(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> Result<Json<Entries>, ApiError> {
    let limit = page_limit(p.limit, DEFAULT_LIMIT)?;
    let entries = audit::latest(&state.store, p.before, limit).await?;
    Ok(Json(Entries { entries }))
}

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
use axum::http::StatusCode;
use axum::response::Response;

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

/// An audit entry as the log page shows it.
struct EntryRow {
    seq: i64,
    at: String,
    actor: String,
    role: String,
    action: String,
    object: String,
    change: String,
    hash: String,
}

#[derive(Template)]
#[template(path = "audit_log.html")]
struct AuditLog<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    entries: Vec<EntryRow>,
    older: Option<i64>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

/// `/staff/audit`: the newest 100 entries, or those before `?before=`.
pub async fn log_page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let entries =
        audit::latest(&state.store, q.before, 100).await.map_err(|e| PageError::internal(lang, e))?;
    let older = entries.last().map(|e| e.seq).filter(|s| *s > 1);
    let entries = entries
        .into_iter()
        .map(|e| EntryRow {
            seq: e.seq,
            at: china_time(e.at),
            actor: e.actor,
            role: e.role,
            action: e.action,
            object: e.object,
            change: e.change,
            hash: e.hash,
        })
        .collect();
    Ok(render(lang, &AuditLog { lang, viewer: Some(&viewer), entries, older }))
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

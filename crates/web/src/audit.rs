//! The audit log in public: its head and daily heads, its signed checkpoints (the latest, all
//! of them, and in the Atom feed so that followers keep copies), and inclusion proofs that an
//! entry — a published result, a draw — is in the tree a checkpoint signed.

use crate::auth::{MaybeViewer, Viewer};
use crate::error::{ApiError, PageError, render};
use crate::lang::Lang;
use crate::pages::portal::FeedEntry;
use crate::state::AppState;
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
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
    /// The newest checkpoints, newest first: when (China time), size, root.
    checkpoints: Vec<(String, u64, String)>,
}

/// How many checkpoints the page lists.
const PAGE_CHECKPOINTS: usize = 30;

/// The public key the log's checkpoints are signed with: the server's own, or else the one
/// the newest checkpoint names.
fn log_key(state: &AppState, newest: Option<&Checkpoint>) -> Option<String> {
    state.store.signing_key().map(public_key).or_else(|| newest.map(|c| c.key.clone()))
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    viewer: MaybeViewer,
) -> Result<axum::response::Response, PageError> {
    let internal = |e| PageError::internal(lang, e);
    let (head_seq, head_hash) = audit::head(&state.store).await.map_err(internal)?;
    let days = audit::daily_heads(&state.store, 90).await.map_err(internal)?;
    let mut checkpoints = audit::checkpoints::all(&state.store).await.map_err(internal)?;
    checkpoints.reverse();
    checkpoints.truncate(PAGE_CHECKPOINTS);
    let public_key = log_key(&state, checkpoints.first());
    let checkpoints = checkpoints
        .into_iter()
        .map(|c| {
            let at = chrono::DateTime::parse_from_rfc3339(&c.time)
                .map_or_else(|_| c.time.clone(), |t| crate::pages::china_time(t.with_timezone(&chrono::Utc)));
            (at, c.size, c.root)
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
    Path(seq): Path<i64>,
) -> Result<Json<audit::InclusionProof>, ApiError> {
    if seq < 1 {
        return Err(ApiError::field(StatusCode::BAD_REQUEST, "entry", "an entry number is 1 or more"));
    }
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
    let mut all = audit::checkpoints::all(&state.store).await?;
    all.reverse();
    all.truncate(PAGE_CHECKPOINTS);
    Ok(all
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

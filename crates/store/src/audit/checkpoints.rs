//! Signed checkpoints of the log's Merkle tree, as stored and as made.
//!
//! The tree's leaves are the entries in order; a leaf's data is the entry's hash (its 32 bytes),
//! so the tree commits to every field of every entry and, through their `records` digests, to
//! the content of every record they changed.

use super::{begin, entry_hashes};
use crate::{Store, StoreError};
use sea_orm::sea_query::{Alias, Expr, Order, Query};
use sea_orm::{ConnectionTrait, DbErr, QueryResult};
use suiji_domain::checkpoint::{Checkpoint, Key, time_text};
use suiji_domain::merkle::{self, Frontier, Hash};

/// A leaf of the tree: an entry's hash, hex-decoded, leaf-hashed. An entry whose hash is not
/// 64 hex digits (an edited row) still gets a leaf, of its text, so the tree shows the edit.
pub fn leaf(entry_hash: &str) -> Hash {
    match merkle::from_hex(entry_hash) {
        Some(bytes) => merkle::leaf_hash(&bytes),
        None => merkle::leaf_hash(entry_hash.as_bytes()),
    }
}

/// A stored checkpoint and the frontier it was made from.
struct Stored {
    checkpoint: Checkpoint,
    frontier: Vec<String>,
}

fn from_row(row: &QueryResult) -> Result<Stored, DbErr> {
    let size: i64 = row.try_get("", "size")?;
    let frontier: String = row.try_get("", "frontier")?;
    Ok(Stored {
        checkpoint: Checkpoint {
            size: size.max(0) as u64,
            root: row.try_get("", "root")?,
            time: row.try_get("", "time")?,
            key: row.try_get("", "public_key")?,
            signature: row.try_get("", "signature")?,
        },
        frontier: serde_json::from_str(&frontier).unwrap_or_default(),
    })
}

fn select() -> sea_orm::sea_query::SelectStatement {
    let mut q = Query::select();
    q.from(Alias::new("audit_checkpoints"))
        .columns(["size", "root", "time", "public_key", "signature", "frontier"].map(Alias::new));
    q
}

async fn latest_stored(db: &impl ConnectionTrait) -> Result<Option<Stored>, DbErr> {
    let mut q = select();
    q.order_by(Alias::new("id"), Order::Desc).limit(1);
    db.query_one(db.get_database_backend().build(&q)).await?.as_ref().map(from_row).transpose()
}

/// Every stored checkpoint, oldest first.
pub async fn all(store: &Store) -> Result<Vec<Checkpoint>, StoreError> {
    let mut q = select();
    q.order_by(Alias::new("id"), Order::Asc);
    read(store, &q).await
}

/// The newest `limit` checkpoints, newest first (what the portal's page and feed show).
pub async fn newest(store: &Store, limit: u64) -> Result<Vec<Checkpoint>, StoreError> {
    let mut q = select();
    q.order_by(Alias::new("id"), Order::Desc).limit(limit);
    read(store, &q).await
}

async fn read(store: &Store, q: &sea_orm::sea_query::SelectStatement) -> Result<Vec<Checkpoint>, StoreError> {
    let db = store.connection();
    let rows = db.query_all(db.get_database_backend().build(q)).await?;
    Ok(rows.iter().map(|r| from_row(r).map(|s| s.checkpoint)).collect::<Result<_, _>>()?)
}

/// The newest checkpoint.
pub async fn latest(store: &Store) -> Result<Option<Checkpoint>, StoreError> {
    Ok(latest_stored(store.connection()).await?.map(|s| s.checkpoint))
}

/// Why no checkpoint was made.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(
        "the log has {entries} entries but the last checkpoint signed {signed}: it was cut short, \
         and suiji will not sign it (run `suiji audit verify`)"
    )]
    Shorter { entries: i64, signed: u64 },
    #[error("the last checkpoint's stored frontier does not give its root: run `suiji audit verify`")]
    Frontier,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<DbErr> for SignError {
    fn from(e: DbErr) -> Self {
        SignError::Store(StoreError::Db(e))
    }
}

/// Signs a checkpoint of the log as it is now, under the chain's lock (so no entry slips in
/// between reading the head and signing it). Reads only the entries since the last checkpoint.
pub async fn sign(store: &Store, key: &Key) -> Result<Checkpoint, SignError> {
    let txn = begin(store).await?;
    let (head, _) = super::head_in(&txn).await?;
    let mut frontier = Frontier::new();
    if let Some(last) = latest_stored(&txn).await? {
        if head < last.checkpoint.size as i64 {
            return Err(SignError::Shorter { entries: head, signed: last.checkpoint.size });
        }
        let parts: Option<Vec<Hash>> = last.frontier.iter().map(|h| merkle::from_hex(h)).collect();
        frontier = parts
            .and_then(|p| Frontier::from_parts(last.checkpoint.size, p))
            .filter(|f| merkle::to_hex(&f.root()) == last.checkpoint.root)
            .ok_or(SignError::Frontier)?;
    }
    let mut after = frontier.size() as i64;
    while after < head {
        let page = entry_hashes(&txn, after, 50_000).await?;
        if page.is_empty() {
            break;
        }
        for (seq, hash) in page {
            if seq != after + 1 {
                // A gap: the chain is broken; verify names it. Sign only what is whole.
                return Err(SignError::Shorter { entries: after, signed: frontier.size() });
            }
            frontier.push(leaf(&hash));
            after = seq;
        }
    }
    let time = time_text(crate::clock::now());
    let checkpoint = Checkpoint::sign(key, frontier.size(), &frontier.root(), &time);
    let parts: Vec<String> = frontier.parts().iter().map(merkle::to_hex).collect();
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("audit_checkpoints"))
        .columns(["size", "root", "time", "at", "public_key", "signature", "frontier"].map(Alias::new))
        .values_panic([
            (checkpoint.size as i64).into(),
            checkpoint.root.clone().into(),
            checkpoint.time.clone().into(),
            crate::clock::now().into(),
            checkpoint.key.clone().into(),
            checkpoint.signature.clone().into(),
            serde_json::to_string(&parts).expect("strings serialise").into(),
        ]);
    txn.execute(txn.get_database_backend().build(&insert)).await?;
    txn.commit().await?;
    Ok(checkpoint)
}

/// Signs a checkpoint when the last one is older than `max_age` or the log has grown past it
/// with a publication; returns it, or None when none was due. The daily and after-publication
/// checkpoints both come through here.
pub async fn sign_if_due(
    store: &Store,
    key: &Key,
    max_age: chrono::Duration,
) -> Result<Option<Checkpoint>, SignError> {
    let db = store.connection();
    let Some(last) = latest_stored(db).await? else {
        return Ok(Some(sign(store, key).await?));
    };
    let stale = chrono::DateTime::parse_from_rfc3339(&last.checkpoint.time)
        .map(|t| crate::clock::now().signed_duration_since(t) >= max_age)
        .unwrap_or(true);
    if stale || published_since(db, last.checkpoint.size as i64).await? {
        return Ok(Some(sign(store, key).await?));
    }
    Ok(None)
}

/// Signs a checkpoint after a publication has committed, when the store has the key. A
/// failure is logged, not returned: the publication stands, and the next checkpoint (daily, or
/// after the next publication) covers it.
pub async fn after_publication(store: &Store) {
    if let Some(key) = store.signing_key()
        && let Err(e) = sign(store, key).await
    {
        tracing::warn!("no checkpoint after a publication: {e}");
    }
}

/// The actions after which a checkpoint is signed: what the public is shown.
pub const PUBLISHING: [&str; 9] = [
    "plan.publish",
    "task.publish",
    "draw.make",
    "draw.annul",
    "draw.replace",
    "teams.assign",
    "inspection.replace_member",
    "inspection.publish",
    "inspection.correct",
];

async fn published_since(db: &impl ConnectionTrait, size: i64) -> Result<bool, DbErr> {
    let mut q = Query::select();
    q.from(Alias::new("audit_entries"))
        .column(Alias::new("seq"))
        .and_where(Expr::col(Alias::new("seq")).gt(size))
        .and_where(Expr::col(Alias::new("action")).is_in(PUBLISHING))
        .limit(1);
    Ok(db.query_one(db.get_database_backend().build(&q)).await?.is_some())
}

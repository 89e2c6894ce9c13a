//! The audit log: an append-only hash chain of every state change and every sign-in.
//!
//! Every change is written in a transaction opened by [`begin`], which first takes the chain's
//! lock (the one `audit_head` row), and records itself with [`append`] before committing; so an
//! entry exists exactly when its change does, and two processes on one PostgreSQL never fork the
//! chain. [`verify`] re-reads the whole log and names the first entry that does not fit.

use crate::{Store, StoreError};
use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::sea_query::{Alias, Expr, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, TransactionTrait};
use suiji_domain::access::Role;
use suiji_domain::audit::{EntryFields, GENESIS, sha256_hex, timestamp};

/// Who acts: an account (its user name and role), or the command line run by someone on the
/// server (role `system`, named by `--as`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub role: String,
}

impl Actor {
    pub fn user(name: &str, role: Role) -> Actor {
        Actor { name: name.to_owned(), role: role.name().to_owned() }
    }

    /// The command line on the server, run by `name`.
    pub fn system(name: &str) -> Actor {
        Actor { name: name.to_owned(), role: "system".to_owned() }
    }

    /// Someone not signed in (a failed sign-in, for example).
    pub fn anonymous(name: &str) -> Actor {
        Actor { name: name.to_owned(), role: "anonymous".to_owned() }
    }
}

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub object: String,
    /// The change itself, as JSON text.
    pub change: String,
    pub digest: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Opens a writing transaction holding the chain's lock. Taking the lock first, with a write,
/// makes SQLite take its write lock now (waiting for another writer) rather than failing later
/// when a reading transaction tries to write.
pub async fn begin(store: &Store) -> Result<DatabaseTransaction, DbErr> {
    let txn = store.connection().begin().await?;
    let mut lock = Query::update();
    lock.table(Alias::new("audit_head"))
        .value(Alias::new("seq"), Expr::col(Alias::new("seq")))
        .and_where(Expr::col(Alias::new("id")).eq(1));
    txn.execute(txn.get_database_backend().build(&lock)).await?;
    Ok(txn)
}

/// Appends an entry to the chain, inside a transaction from [`begin`].
pub async fn append(
    txn: &DatabaseTransaction,
    actor: &Actor,
    action: &str,
    object: &str,
    change: serde_json::Value,
) -> Result<Entry, DbErr> {
    let (seq, prev_hash) = head_in(txn).await?;
    // Microseconds: what both databases keep, so the time read back hashes the same.
    let at = DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).expect("now is a valid time");
    let change = change.to_string();
    let digest = sha256_hex(&change);
    let seq = seq + 1;
    let at_text = timestamp(at);
    let hash = EntryFields {
        seq,
        at: &at_text,
        actor: &actor.name,
        role: &actor.role,
        action,
        object,
        digest: &digest,
        prev_hash: &prev_hash,
    }
    .hash();
    let day = at.with_timezone(&china()).format("%F").to_string();
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("audit_entries"))
        .columns(
            [
                "seq",
                "at",
                "day",
                "actor",
                "role",
                "action",
                "object",
                "change",
                "digest",
                "prev_hash",
                "hash",
            ]
            .map(Alias::new),
        )
        .values_panic([
            seq.into(),
            at.into(),
            day.into(),
            actor.name.clone().into(),
            actor.role.clone().into(),
            action.into(),
            object.into(),
            change.clone().into(),
            digest.clone().into(),
            prev_hash.clone().into(),
            hash.clone().into(),
        ]);
    txn.execute(txn.get_database_backend().build(&insert)).await?;
    let mut head = Query::update();
    head.table(Alias::new("audit_head"))
        .value(Alias::new("seq"), seq)
        .value(Alias::new("hash"), hash.clone())
        .and_where(Expr::col(Alias::new("id")).eq(1));
    txn.execute(txn.get_database_backend().build(&head)).await?;
    Ok(Entry {
        seq,
        at,
        actor: actor.name.clone(),
        role: actor.role.clone(),
        action: action.to_owned(),
        object: object.to_owned(),
        change,
        digest,
        prev_hash,
        hash,
    })
}

/// China's time zone (no daylight saving).
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

async fn head_in(db: &impl ConnectionTrait) -> Result<(i64, String), DbErr> {
    let mut select = Query::select();
    select
        .from(Alias::new("audit_head"))
        .columns([Alias::new("seq"), Alias::new("hash")])
        .and_where(Expr::col(Alias::new("id")).eq(1));
    let row = db
        .query_one(db.get_database_backend().build(&select))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the audit_head row is missing".into()))?;
    Ok((row.try_get("", "seq")?, row.try_get("", "hash")?))
}

/// The chain's head: the number and hash of the last entry (0 and the genesis hash when empty).
pub async fn head(store: &Store) -> Result<(i64, String), StoreError> {
    Ok(head_in(store.connection()).await?)
}

/// The last entry of each of the latest `days` days (China time), newest first: (day, seq, hash).
pub async fn daily_heads(store: &Store, days: u64) -> Result<Vec<(String, i64, String)>, StoreError> {
    let db = store.connection();
    let mut last = Query::select();
    last.from(Alias::new("audit_entries"))
        .column(Alias::new("day"))
        .expr_as(Expr::col(Alias::new("seq")).max(), Alias::new("seq"))
        .group_by_col(Alias::new("day"))
        .order_by(Alias::new("day"), Order::Desc)
        .limit(days);
    let mut out = Vec::new();
    for row in db.query_all(db.get_database_backend().build(&last)).await? {
        let day: String = row.try_get("", "day")?;
        let seq: i64 = row.try_get("", "seq")?;
        let entry = entries(store, seq - 1, 1).await?;
        let hash = entry.into_iter().next().map(|e| e.hash).unwrap_or_default();
        out.push((day, seq, hash));
    }
    Ok(out)
}

/// Up to `limit` entries after number `after`, in order.
pub async fn entries(store: &Store, after: i64, limit: u64) -> Result<Vec<Entry>, StoreError> {
    let db = store.connection();
    let mut select = Query::select();
    select
        .from(Alias::new("audit_entries"))
        .columns(
            ["seq", "at", "actor", "role", "action", "object", "change", "digest", "prev_hash", "hash"]
                .map(Alias::new),
        )
        .and_where(Expr::col(Alias::new("seq")).gt(after))
        .order_by(Alias::new("seq"), Order::Asc)
        .limit(limit);
    let rows = db.query_all(db.get_database_backend().build(&select)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(Entry {
            seq: row.try_get("", "seq")?,
            at: row.try_get("", "at")?,
            actor: row.try_get("", "actor")?,
            role: row.try_get("", "role")?,
            action: row.try_get("", "action")?,
            object: row.try_get("", "object")?,
            change: row.try_get("", "change")?,
            digest: row.try_get("", "digest")?,
            prev_hash: row.try_get("", "prev_hash")?,
            hash: row.try_get("", "hash")?,
        });
    }
    Ok(out)
}

/// The newest entries first, up to `limit`, optionally only those before number `before`.
pub async fn latest(store: &Store, before: Option<i64>, limit: u64) -> Result<Vec<Entry>, StoreError> {
    let (head, _) = head(store).await?;
    let before = before.unwrap_or(head + 1).min(head + 1);
    let after = (before - 1 - limit as i64).max(0);
    let mut out = entries(store, after, limit).await?;
    out.retain(|e| e.seq < before);
    out.reverse();
    Ok(out)
}

/// What [`verify`] found wrong: the first entry that does not fit, and how.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Break {
    #[error("entry {seq}: its change does not match its digest (the change was edited)")]
    Digest { seq: i64 },
    #[error("entry {seq}: its hash does not match its contents (the entry was edited)")]
    Hash { seq: i64 },
    #[error("entry {seq}: missing (expected after entry {after}; entries were removed)")]
    Missing { seq: i64, after: i64 },
    #[error("entry {seq}: does not follow entry {prev} (entries were removed, inserted or reordered)")]
    Link { seq: i64, prev: i64 },
    #[error("the log ends at entry {last} but its head says {head} (entries were removed from the end)")]
    Tail { last: i64, head: i64 },
    #[error("the head's hash does not match entry {seq} (the head or the last entry was edited)")]
    HeadHash { seq: i64 },
}

/// What a good chain holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub entries: i64,
    pub head: String,
}

/// Re-checks every entry in order: its digest, its hash, its link to the one before; then that
/// the head names the last entry. Returns the first break found.
pub async fn verify(store: &Store) -> Result<Result<Verified, Break>, StoreError> {
    const PAGE: u64 = 10_000;
    let mut prev_seq = 0;
    let mut prev_hash = GENESIS.to_owned();
    loop {
        let page = entries(store, prev_seq, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for e in page {
            if e.seq != prev_seq + 1 {
                return Ok(Err(Break::Missing { seq: prev_seq + 1, after: prev_seq }));
            }
            if sha256_hex(&e.change) != e.digest {
                return Ok(Err(Break::Digest { seq: e.seq }));
            }
            let at = timestamp(e.at);
            let fields = EntryFields {
                seq: e.seq,
                at: &at,
                actor: &e.actor,
                role: &e.role,
                action: &e.action,
                object: &e.object,
                digest: &e.digest,
                prev_hash: &e.prev_hash,
            };
            if fields.hash() != e.hash {
                return Ok(Err(Break::Hash { seq: e.seq }));
            }
            if e.prev_hash != prev_hash {
                return Ok(Err(Break::Link { seq: e.seq, prev: prev_seq }));
            }
            prev_seq = e.seq;
            prev_hash = e.hash;
        }
    }
    let (head_seq, head_hash) = head(store).await?;
    if head_seq != prev_seq {
        return Ok(Err(Break::Tail { last: prev_seq, head: head_seq }));
    }
    if head_hash != prev_hash {
        return Ok(Err(Break::HeadHash { seq: prev_seq }));
    }
    Ok(Ok(Verified { entries: prev_seq, head: prev_hash }))
}

//! The audit log: an append-only hash chain of every state change and every sign-in.
//!
//! Every change is written in a transaction opened by [`begin`], which first takes the chain's
//! lock (the one `audit_head` row), and records itself with [`append`] before committing; so an
//! entry exists exactly when its change does, and two processes on one PostgreSQL never fork the
//! chain. [`verify`] re-reads the whole log and names the first entry that does not fit.
//!
//! A chain shows an edit only to someone holding a hash from before it; whoever holds the
//! database could re-hash it all. So the log is also a Merkle tree whose signed heads
//! ([`checkpoints`]) leave the database, and each change's entry names the content hashes of the
//! records it left ([`records`]): [`verify_log`] checks the chain, every checkpoint (stored, or
//! saved by anyone from the portal) against the log, and every current record against its
//! last entry.

pub mod checkpoints;
pub mod records;

use crate::{Store, StoreError};
use chrono::{DateTime, FixedOffset, Utc};
use records::{RecordHash, Touched};
use sea_orm::sea_query::{Alias, Expr, LikeExpr, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, TransactionTrait};
use std::collections::HashMap;
use suiji_domain::access::Role;
use suiji_domain::audit::{EntryFields, GENESIS, sha256_hex, timestamp};
use suiji_domain::checkpoint::Checkpoint;
use suiji_domain::merkle::{self, Frontier, Hash};

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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
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

impl Entry {
    /// The fields its hash covers; `at` is [`timestamp`] of its time.
    pub fn fields<'a>(&'a self, at: &'a str) -> EntryFields<'a> {
        EntryFields {
            seq: self.seq,
            at,
            actor: &self.actor,
            role: &self.role,
            action: &self.action,
            object: &self.object,
            digest: &self.digest,
            prev_hash: &self.prev_hash,
        }
    }
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
    let at =
        DateTime::from_timestamp_micros(crate::clock::now().timestamp_micros()).expect("now is a valid time");
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

/// Appends an entry for a change that left the records `touched` (inside the change's
/// transaction, after its writes): their content hashes are stored beside the entry, and the
/// entry's change carries their count and digest (as `records`), so the chain covers them.
pub async fn append_touching(
    txn: &DatabaseTransaction,
    actor: &Actor,
    action: &str,
    object: &str,
    change: serde_json::Value,
    touched: &[Touched],
) -> Result<Entry, DbErr> {
    let hashes = records::collect(txn, touched).await?;
    append_hashed(txn, actor, action, object, change, hashes).await
}

/// [`append_touching`] for a change that has its records' hashes already (an import hashes
/// what it writes rather than reading a million rows back).
pub async fn append_hashed(
    txn: &DatabaseTransaction,
    actor: &Actor,
    action: &str,
    object: &str,
    change: serde_json::Value,
    mut hashes: Vec<RecordHash>,
) -> Result<Entry, DbErr> {
    let lines = records::lines(&mut hashes);
    let change = with_records(change, hashes.len(), &lines);
    let entry = append(txn, actor, action, object, change).await?;
    records::store(txn, entry.seq, &lines).await?;
    Ok(entry)
}

fn with_records(change: serde_json::Value, count: usize, lines: &str) -> serde_json::Value {
    let claim = serde_json::json!({ "count": count, "sha256": sha256_hex(lines) });
    match change {
        serde_json::Value::Object(mut fields) => {
            fields.insert("records".into(), claim);
            serde_json::Value::Object(fields)
        }
        other => serde_json::json!({ "change": other, "records": claim }),
    }
}

/// What an entry's change says of its records: (count, digest).
fn records_claim(change: &str) -> Option<(u64, String)> {
    let value: serde_json::Value = serde_json::from_str(change).ok()?;
    let claim = value.get("records")?;
    Some((claim.get("count")?.as_u64()?, claim.get("sha256")?.as_str()?.to_owned()))
}

/// Covers the records already in a database made before the log covered records (or changed
/// by a migration): one `audit.baseline` entry naming every current record. Runs once, when no
/// entry names any record yet and there are records; a no-op otherwise.
pub async fn baseline(store: &Store) -> Result<Option<Entry>, StoreError> {
    let db = store.connection();
    if any_records(db).await? {
        return Ok(None);
    }
    let mut any = false;
    for kind in records::KINDS {
        if kind.any(db).await? {
            any = true;
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    let txn = begin(store).await?;
    if any_records(&txn).await? {
        return Ok(None);
    }
    let change = serde_json::json!({ "reason": "records made before the log covered them" });
    cover(txn, &records::KINDS, "audit.baseline", change).await
}

/// Covers the records a migration made itself (the departments made from the labels in use):
/// one `audit.migrate` entry, by the system, naming every current record of `kinds` and the
/// migration that made them. Called once, right after that migration ran.
pub async fn cover_migration(
    store: &Store,
    migration: &str,
    kinds: &[&'static records::Kind],
    reason: &str,
) -> Result<Option<Entry>, StoreError> {
    let change = serde_json::json!({ "migration": migration, "reason": reason });
    cover(begin(store).await?, kinds, "audit.migrate", change).await
}

/// One entry by the system naming every current record of `kinds` (none when there are no
/// records), committed with `txn`.
async fn cover(
    txn: DatabaseTransaction,
    kinds: &[&'static records::Kind],
    action: &str,
    change: serde_json::Value,
) -> Result<Option<Entry>, StoreError> {
    let mut hashes = Vec::new();
    for kind in kinds {
        hashes.extend(all_records(&txn, kind).await?);
    }
    if hashes.is_empty() {
        return Ok(None);
    }
    let lines = records::lines(&mut hashes);
    let change = with_records(change, hashes.len(), &lines);
    let entry = append(&txn, &Actor::system("suiji"), action, "audit", change).await?;
    records::store(&txn, entry.seq, &lines).await?;
    txn.commit().await?;
    Ok(Some(entry))
}

/// The hash of every current record of one kind, a page at a time.
async fn all_records(
    db: &impl ConnectionTrait,
    kind: &'static records::Kind,
) -> Result<Vec<records::RecordHash>, DbErr> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = kind.page(db, after.as_deref(), 10_000).await?;
        let Some((last, _)) = page.last() else { break };
        after = Some(last.clone());
        out.extend(page.into_iter().map(|(key, sha)| (kind.name.to_owned(), key, sha)));
    }
    Ok(out)
}

async fn any_records(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    let mut q = Query::select();
    q.from(Alias::new("audit_records")).column(Alias::new("seq")).limit(1);
    Ok(db.query_one(db.get_database_backend().build(&q)).await?.is_some())
}

/// The numbers and hashes of up to `limit` entries after number `after`, in order.
pub(crate) async fn entry_hashes(
    db: &impl ConnectionTrait,
    after: i64,
    limit: u64,
) -> Result<Vec<(i64, String)>, DbErr> {
    let mut select = Query::select();
    select
        .from(Alias::new("audit_entries"))
        .columns([Alias::new("seq"), Alias::new("hash")])
        .and_where(Expr::col(Alias::new("seq")).gt(after))
        .order_by(Alias::new("seq"), Order::Asc)
        .limit(limit);
    let rows = db.query_all(db.get_database_backend().build(&select)).await?;
    rows.iter().map(|r| Ok((r.try_get("", "seq")?, r.try_get("", "hash")?))).collect()
}

/// Every leaf of the tree, in order (entry 1's first).
pub async fn leaves(store: &Store) -> Result<Vec<Hash>, StoreError> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = entry_hashes(store.connection(), after, 50_000).await?;
        let Some(&(last, _)) = page.last() else { break };
        after = last;
        out.extend(page.iter().map(|(_, h)| checkpoints::leaf(h)));
    }
    Ok(out)
}

/// A proof that entry `seq` is in the tree a checkpoint signed.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct InclusionProof {
    pub entry: Entry,
    /// The entry's place among the leaves (its number less one).
    pub leaf_index: u64,
    /// The leaf: SHA-256(0x00 ‖ the entry's hash as bytes), hex.
    pub leaf_hash: String,
    /// The audit path from the leaf to the root, hex, leaf side first.
    pub proof: Vec<String>,
    /// The checkpoint whose root the path leads to.
    pub checkpoint: Checkpoint,
}

/// The tree of a checkpoint, kept between requests: the checkpoint's size and its tree.
pub(crate) type TreeCache = std::sync::Arc<tokio::sync::Mutex<Option<std::sync::Arc<merkle::Tree>>>>;

/// The tree of the newest checkpoint: built once per checkpoint (reading every entry's hash),
/// then kept, so that a proof costs a lookup rather than a pass over the log. One request builds
/// it while the others wait for it.
async fn checkpoint_tree(
    store: &Store,
    checkpoint: &Checkpoint,
) -> Result<std::sync::Arc<merkle::Tree>, StoreError> {
    let mut kept = store.proof_tree.lock().await;
    let fits =
        |t: &merkle::Tree| t.size() as u64 == checkpoint.size && merkle::to_hex(&t.root()) == checkpoint.root;
    if let Some(tree) = kept.as_ref().filter(|t| fits(t)) {
        return Ok(tree.clone());
    }
    let mut leaves = leaves(store).await?;
    leaves.truncate(checkpoint.size as usize);
    let tree = std::sync::Arc::new(merkle::Tree::new(leaves));
    *kept = Some(tree.clone());
    Ok(tree)
}

/// The inclusion proof of entry `seq` against the newest checkpoint that holds it (None when
/// there is no such entry, or no checkpoint yet holds it).
pub async fn inclusion_proof(store: &Store, seq: i64) -> Result<Option<InclusionProof>, StoreError> {
    let Some(checkpoint) = checkpoints::latest(store).await? else { return Ok(None) };
    if seq < 1 || seq as u64 > checkpoint.size {
        return Ok(None);
    }
    let Some(entry) = entries(store, seq - 1, 1).await?.into_iter().find(|e| e.seq == seq) else {
        return Ok(None);
    };
    let tree = checkpoint_tree(store, &checkpoint).await?;
    let index = (seq - 1) as usize;
    // A log shorter than its checkpoint (cut off) has no proof to give; verify reports that.
    let (Some(leaf), Some(path)) = (tree.leaf(index), tree.inclusion_proof(index)) else { return Ok(None) };
    Ok(Some(InclusionProof {
        leaf_index: index as u64,
        leaf_hash: merkle::to_hex(&leaf),
        entry,
        proof: path.iter().map(merkle::to_hex).collect(),
        checkpoint,
    }))
}

/// China's time zone (no daylight saving).
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The day `at` falls on in China: what deadlines and notices are dated by.
pub fn china_day(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    at.with_timezone(&china()).date_naive()
}

/// The start of `day` in China, as a time.
pub fn china_midnight(day: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    (midnight - chrono::Duration::hours(8)).and_utc()
}

pub(crate) async fn head_in(db: &impl ConnectionTrait) -> Result<(i64, String), DbErr> {
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

const ENTRY_COLUMNS: [&str; 10] =
    ["seq", "at", "actor", "role", "action", "object", "change", "digest", "prev_hash", "hash"];

async fn read_entries(db: &impl ConnectionTrait, select: &SelectStatement) -> Result<Vec<Entry>, StoreError> {
    let rows = db.query_all(db.get_database_backend().build(select)).await?;
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

/// Up to `limit` entries after number `after`, in order.
pub async fn entries(store: &Store, after: i64, limit: u64) -> Result<Vec<Entry>, StoreError> {
    let mut select = Query::select();
    select
        .from(Alias::new("audit_entries"))
        .columns(ENTRY_COLUMNS.map(Alias::new))
        .and_where(Expr::col(Alias::new("seq")).gt(after))
        .order_by(Alias::new("seq"), Order::Asc)
        .limit(limit);
    read_entries(store.connection(), &select).await
}

/// Which entries a reader of the log looks for: each field given narrows the search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Who: the actor's user name, exactly.
    pub actor: Option<String>,
    /// What: the action's code, exactly (`task.publish`).
    pub action: Option<String>,
    /// The object, or the start of it (`task/T-2026-001`, `task/`).
    pub object: Option<String>,
    /// When: entries from `from` up to (not including) `to`.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// The newest entries matching `filter`, up to `limit`, only those before number `before`.
pub async fn search(
    store: &Store,
    filter: &Filter,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<Entry>, StoreError> {
    let mut select = Query::select();
    select.from(Alias::new("audit_entries")).columns(ENTRY_COLUMNS.map(Alias::new));
    if let Some(b) = before {
        select.and_where(Expr::col(Alias::new("seq")).lt(b));
    }
    if let Some(a) = &filter.actor {
        select.and_where(Expr::col(Alias::new("actor")).eq(a.as_str()));
    }
    if let Some(a) = &filter.action {
        select.and_where(Expr::col(Alias::new("action")).eq(a.as_str()));
    }
    if let Some(o) = &filter.object {
        // A prefix, its LIKE wildcards taken literally.
        let escaped = o.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        select.and_where(
            Expr::col(Alias::new("object")).like(LikeExpr::new(format!("{escaped}%")).escape('\\')),
        );
    }
    if let Some(from) = filter.from {
        select.and_where(Expr::col(Alias::new("at")).gte(from));
    }
    if let Some(to) = filter.to {
        select.and_where(Expr::col(Alias::new("at")).lt(to));
    }
    select.order_by(Alias::new("seq"), Order::Desc).limit(limit);
    read_entries(store.connection(), &select).await
}

/// The newest entries first, up to `limit`, optionally only those before number `before`.
pub async fn latest(store: &Store, before: Option<i64>, limit: u64) -> Result<Vec<Entry>, StoreError> {
    let (head, _) = head(store).await?;
    // Any number is a request's to give: below 1 there is nothing, and no arithmetic overflows.
    let before = before.unwrap_or(head + 1).clamp(0, head + 1);
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
    let mut chain = ChainCheck::new();
    loop {
        let page = entries(store, chain.prev_seq, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for e in &page {
            if let Err(b) = chain.next(e) {
                return Ok(Err(b));
            }
        }
    }
    Ok(chain.finish(head(store).await?))
}

/// The chain's rules, checked an entry at a time in order: what [`verify`] and [`verify_log`]
/// both run over the log.
struct ChainCheck {
    prev_seq: i64,
    prev_hash: String,
}

impl ChainCheck {
    fn new() -> ChainCheck {
        ChainCheck { prev_seq: 0, prev_hash: GENESIS.to_owned() }
    }

    /// Checks the next entry: its number, its digest, its hash and its link to the one before.
    fn next(&mut self, e: &Entry) -> Result<(), Break> {
        if e.seq != self.prev_seq + 1 {
            return Err(Break::Missing { seq: self.prev_seq + 1, after: self.prev_seq });
        }
        if sha256_hex(&e.change) != e.digest {
            return Err(Break::Digest { seq: e.seq });
        }
        if e.fields(&timestamp(e.at)).hash() != e.hash {
            return Err(Break::Hash { seq: e.seq });
        }
        if e.prev_hash != self.prev_hash {
            return Err(Break::Link { seq: e.seq, prev: self.prev_seq });
        }
        self.prev_seq = e.seq;
        self.prev_hash = e.hash.clone();
        Ok(())
    }

    /// After the last entry: the head (number, hash) must name it.
    fn finish(self, (head_seq, head_hash): (i64, String)) -> Result<Verified, Break> {
        if head_seq != self.prev_seq {
            return Err(Break::Tail { last: self.prev_seq, head: head_seq });
        }
        if head_hash != self.prev_hash {
            return Err(Break::HeadHash { seq: self.prev_seq });
        }
        Ok(Verified { entries: self.prev_seq, head: self.prev_hash })
    }
}

/// Why checkpoint `c` cannot be checked against a log of `n` entries: a bad or foreign
/// signature, or more entries than the log has.
fn unusable(c: &Checkpoint, key: Option<&str>, n: u64) -> Option<String> {
    if let Err(e) = c.verify(key) {
        return Some(e.to_string());
    }
    (c.size > n).then(|| format!("the log has only {n} entries: entries were removed from its end"))
}

/// What [`verify_log`] checks besides the log itself.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// The log's public key (hex), when known: every checkpoint must be signed by it.
    pub public_key: Option<String>,
    /// Checkpoints saved earlier (from the portal or the feed), each with a name to report it
    /// by (its file name): the log must still begin with the log each one signed.
    pub given: Vec<(String, Checkpoint)>,
}

/// One thing [`verify_log`] found wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("{0}")]
    Chain(Break),
    #[error("checkpoint {name} (size {size}, {time}): {reason}")]
    Checkpoint { name: String, size: u64, time: String, reason: String },
    #[error("entry {seq}: the record hashes stored with it do not match its digest (they were edited)")]
    EntryRecords { seq: i64 },
    #[error("record hashes are stored for entry {seq}, which is not in the log (entries were removed)")]
    OrphanRecords { seq: i64 },
    #[error("{kind} {key}: {state}")]
    Record { kind: String, key: String, state: RecordState },
}

/// How a current record fails to match the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordState {
    /// Its content is not what its last entry recorded.
    Changed,
    /// No entry names it.
    Unlogged,
    /// Its last entry recorded it, but the row is gone.
    Removed,
}

impl std::fmt::Display for RecordState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RecordState::Changed => "its content matches no entry (changed outside suiji)",
            RecordState::Unlogged => "no entry records it (added outside suiji)",
            RecordState::Removed => "an entry records it but the row is gone (deleted outside suiji)",
        })
    }
}

/// What [`verify_log`] found.
#[derive(Debug, Clone)]
pub struct LogReport {
    pub entries: i64,
    /// The Merkle root of the whole log, hex.
    pub root: String,
    /// How many checkpoints were checked: stored, given.
    pub stored_checkpoints: usize,
    pub given_checkpoints: usize,
    /// How many current records were recomputed.
    pub records: u64,
    /// Up to [`MAX_PROBLEMS`] problems, in the order found.
    pub problems: Vec<Problem>,
    /// How many more were found and not listed.
    pub more: u64,
}

/// The most problems a report lists.
pub const MAX_PROBLEMS: usize = 1000;

impl LogReport {
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }

    fn add(&mut self, p: Problem) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        } else {
            self.more += 1;
        }
    }
}

/// Checks everything the log can vouch for: the chain ([`verify`]); every stored checkpoint's
/// signature and that its root is the root of the log's first entries; each given checkpoint
/// by a consistency proof from it to today's log; each entry's record hashes against its
/// digest; and every current record of every covered kind against the last entry that
/// recorded it.
pub async fn verify_log(store: &Store, options: &VerifyOptions) -> Result<LogReport, StoreError> {
    let mut report = LogReport {
        entries: 0,
        root: String::new(),
        stored_checkpoints: 0,
        given_checkpoints: options.given.len(),
        records: 0,
        problems: Vec::new(),
        more: 0,
    };
    // One pass over the log: the chain (up to its first break), the leaves, and what each
    // entry says of its records.
    let mut chain = ChainCheck::new();
    let mut broken = None;
    let mut leaves = Vec::new();
    let mut claims: HashMap<i64, (u64, String)> = HashMap::new();
    let mut present = std::collections::HashSet::new();
    let mut after = 0;
    loop {
        let page = entries(store, after, 10_000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            if broken.is_none() {
                broken = chain.next(e).err();
            }
            present.insert(e.seq);
            leaves.push(checkpoints::leaf(&e.hash));
            if let Some(claim) = records_claim(&e.change) {
                claims.insert(e.seq, claim);
            }
        }
    }
    let broken = match broken {
        Some(b) => Some(b),
        None => chain.finish(head(store).await?).err(),
    };
    if let Some(b) = broken {
        report.add(Problem::Chain(b));
    }
    let n = leaves.len() as u64;
    report.entries = n as i64;

    // Stored checkpoints: signed by the log's key, and the root of the log's first entries.
    let mut stored = checkpoints::all(store).await?;
    report.stored_checkpoints = stored.len();
    stored.sort_by_key(|c| c.size);
    let mut frontier = Frontier::new();
    for (i, c) in stored.iter().enumerate() {
        let reason = match unusable(c, options.public_key.as_deref(), n) {
            Some(reason) => Some(reason),
            None => {
                while frontier.size() < c.size {
                    frontier.push(leaves[frontier.size() as usize]);
                }
                (merkle::to_hex(&frontier.root()) != c.root.to_ascii_lowercase()).then(|| {
                    "the log's first entries no longer give its root: entries were changed, removed or renumbered"
                        .to_owned()
                })
            }
        };
        if let Some(reason) = reason {
            report.add(Problem::Checkpoint {
                name: format!("stored #{}", i + 1),
                size: c.size,
                time: c.time.clone(),
                reason,
            });
        }
    }
    while frontier.size() < n {
        frontier.push(leaves[frontier.size() as usize]);
    }
    let root = frontier.root();
    report.root = merkle::to_hex(&root);

    // Given checkpoints: a consistency proof from each to the log as it is. Without a known
    // key, each must at least be signed by the key of the log's own checkpoints (a stranger's
    // signature vouches for nothing).
    let expected = options.public_key.clone().or_else(|| stored.last().map(|s| s.key.clone()));
    for (name, c) in &options.given {
        let reason = unusable(c, expected.as_deref(), n).or_else(|| {
            let old_root = c.root_hash().ok()?;
            let proof = merkle::consistency_proof(c.size as usize, &leaves);
            (!merkle::verify_consistency(c.size, n, &old_root, &root, &proof)).then(|| {
                "today's log does not extend the log it signed: entries it covers were changed, removed or renumbered"
                    .to_owned()
            })
        });
        if let Some(reason) = reason {
            report.add(Problem::Checkpoint {
                name: name.clone(),
                size: c.size,
                time: c.time.clone(),
                reason,
            });
        }
    }

    // Each entry's stored record lines against its digest; the last hash of each record.
    let mut latest: HashMap<(String, String), String> = HashMap::new();
    let mut from = 1;
    while from <= report.entries.max(after) {
        let to = from + 999;
        for (seq, lines) in records::stored(store.connection(), from, to).await? {
            if !present.contains(&seq) {
                report.add(Problem::OrphanRecords { seq });
                continue;
            }
            let claim = claims.remove(&seq);
            let count = lines.lines().count() as u64;
            if claim.is_none_or(|(n, digest)| n != count || digest != sha256_hex(&lines)) {
                report.add(Problem::EntryRecords { seq });
            }
            for line in lines.lines() {
                if let Some((kind, key, sha)) = records::parse_line(line) {
                    latest.insert((kind.to_owned(), key.to_owned()), sha.to_owned());
                }
            }
        }
        from = to + 1;
    }
    // Entries that claim records none of which are stored.
    let mut orphaned: Vec<i64> =
        claims.into_iter().filter(|(_, (count, _))| *count > 0).map(|(s, _)| s).collect();
    orphaned.sort();
    for seq in orphaned {
        report.add(Problem::EntryRecords { seq });
    }

    // Every current record against its last entry.
    for kind in records::KINDS {
        let mut after: Option<String> = None;
        loop {
            let page = kind.page(store.connection(), after.as_deref(), 10_000).await?;
            let Some((last, _)) = page.last() else { break };
            after = Some(last.clone());
            for (key, sha) in page {
                report.records += 1;
                let state = match latest.remove(&(kind.name.to_owned(), key.clone())) {
                    Some(logged) if logged == sha => continue,
                    Some(_) => RecordState::Changed,
                    None => RecordState::Unlogged,
                };
                report.add(Problem::Record { kind: kind.name.to_owned(), key, state });
            }
        }
    }
    let mut removed: Vec<(String, String)> =
        latest.into_iter().filter(|(_, sha)| sha != records::REMOVED).map(|(k, _)| k).collect();
    removed.sort();
    for (kind, key) in removed {
        report.add(Problem::Record { kind, key, state: RecordState::Removed });
    }
    Ok(report)
}

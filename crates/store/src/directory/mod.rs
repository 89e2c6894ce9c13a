//! The lists of 一单两库 in the store: importing a sheet (all or nothing, with history),
//! reading records back, and a record's history.

mod browse;
mod bulk;
mod counts;
mod stored;

pub use browse::{Filter, Page, columns_page, count_certified, find, page};

pub use stored::Stored;

use crate::audit::{self, Actor};
use crate::entity::{import_batch, record_change};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use sea_orm::sea_query::{Alias, Expr, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, Set, Value,
};
use std::collections::{HashMap, HashSet};
use suiji_domain::codes::Codes;
use suiji_domain::directory::{ListKind, Problem, RawRow, Record, Sheet};

/// How an import is made.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Who imports: an account, or someone running the CLI on the server.
    pub actor: Actor,
    /// The file's name and SHA-256, kept with the batch.
    pub file_name: String,
    pub file_sha256: String,
    /// Retire the records that the file does not list.
    pub retire_missing: bool,
    /// The department the importer is confined to (a 业务科室's staff,
    /// `suiji_domain::access::confined_to_department`): in a list whose records belong to
    /// departments (items, inspectors, and targets unless the bureau keeps one shared
    /// directory), every row it adds or changes — and every record it retires — must be that
    /// department's; a row that names no department becomes its. `None`: the whole bureau.
    pub own: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub batch_id: i64,
    pub rows: u64,
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub retired: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has problems; nothing was written.
    #[error("{} problem(s) in the file; nothing was imported", .0.len())]
    Rejected(Vec<Problem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<DbErr> for ImportError {
    fn from(e: DbErr) -> Self {
        ImportError::Store(StoreError::Db(e))
    }
}

/// Rows parsed between two reports of progress.
const BLOCK: usize = 65_536;

/// The table a list is stored in.
pub fn table(list: ListKind) -> &'static str {
    list.name()
}

/// A stored record with its row id.
struct Existing<R> {
    id: i64,
    record: R,
}

/// What the import will do to one row of the file.
enum Change<R> {
    Add(R),
    /// `old_status`: the stored record's status code, for the list's counts.
    Update {
        id: i64,
        record: R,
        fields: Vec<(&'static str, String, String)>,
        old_status: &'static str,
    },
    Unchanged,
}

/// Imports a sheet into its list. Every row is checked first; if any is wrong, nothing is
/// written and every problem is returned. Otherwise, in one transaction: new records are
/// added, changed ones updated with each changed field in their history, and (with
/// `retire_missing`) records the file does not list are retired.
pub async fn import<R: Stored>(
    store: &Store,
    sheet: &Sheet,
    codes: &Codes,
    options: &ImportOptions,
    progress: crate::Report<'_>,
) -> Result<ImportSummary, ImportError> {
    assert_eq!(sheet.list, R::LIST, "a sheet is imported into its own list");
    let total = sheet.rows.len() as u64;
    // The rows are checked against the list as it is, before the write lock is taken, so
    // that a long check does not hold up every other writer. Another import of the same list
    // may commit meanwhile: then the check is made again under the lock, against what is
    // stored now, so that an import never undoes a change it did not see (a retired target
    // made active again) or counts a record twice.
    let version = list_version(store.connection(), R::LIST).await?;
    let mut planned = plan::<R>(store.connection(), sheet, codes, options, progress).await?;
    progress("准备写入 preparing the write", 0, 0);
    let txn = audit::begin(store).await?;
    if list_version(&txn, R::LIST).await? != version {
        planned = plan::<R>(&txn, sheet, codes, options, progress).await?;
    }
    let Plan { changes, retiring } = planned;
    let now = crate::clock::now();
    let mut summary = ImportSummary { rows: total, ..ImportSummary::default() };
    summary.batch_id = import_batch::ActiveModel {
        list: Set(R::LIST.name().to_owned()),
        file_name: Set(options.file_name.clone()),
        file_sha256: Set(options.file_sha256.clone()),
        actor: Set(options.actor.name.clone()),
        at: Set(now),
        rows: Set(total as i64),
        added: Set(0),
        changed: Set(0),
        unchanged: Set(0),
        retired: Set(0),
        ..Default::default()
    }
    .insert(&txn)
    .await?
    .id;

    let mut history = History::new(R::LIST, &options.actor.name, now, summary.batch_id);
    // The content hashes of the records this import leaves changed, for its audit entry.
    let mut hashes: Vec<audit::records::RecordHash> = Vec::new();
    let mut added = Vec::new();
    let mut counts = counts::Deltas::default();
    for change in changes {
        match change {
            Change::Add(record) => {
                counts.add(record.status(), 1);
                added.push(record);
            }
            Change::Update { id, record, fields, old_status } => {
                counts.add(old_status, -1);
                counts.add(record.status(), 1);
                update(&txn, id, &record, now).await?;
                hashes.push(record_hash(&record));
                for (field, old, new) in fields {
                    history.push(record.key(), field, Some(old), Some(new));
                }
                summary.changed += 1;
            }
            Change::Unchanged => summary.unchanged += 1,
        }
    }
    for e in retiring {
        let mut record = e.record.clone();
        record.retire();
        counts.add(e.record.status(), -1);
        counts.add(record.status(), 1);
        for (field, old, new) in differences(&e.record, &record) {
            history.push(record.key(), field, Some(old), Some(new));
        }
        update(&txn, e.id, &record, now).await?;
        hashes.push(record_hash(&record));
        summary.retired += 1;
    }
    summary.added = added.len() as u64;
    {
        use rayon::prelude::*;
        hashes.par_extend(added.par_iter().map(record_hash));
    }
    bulk::insert_records(
        store.connection(),
        &txn,
        added,
        &options.actor.name,
        summary.batch_id,
        now,
        &|done| progress("写入 writing", done, summary.added),
    )
    .await?;
    progress("记录变更与留痕 recording the history and the audit entry", 0, 0);
    history.write(store.connection(), &txn).await?;
    counts.write(&txn, R::LIST).await?;

    let stats = [
        ("added", summary.added),
        ("changed", summary.changed),
        ("unchanged", summary.unchanged),
        ("retired", summary.retired),
    ];
    let mut batch = Query::update();
    batch.table(Alias::new("import_batches")).and_where(Expr::col(Alias::new("id")).eq(summary.batch_id));
    for (column, n) in stats {
        batch.value(Alias::new(column), n as i64);
    }
    txn.execute(txn.get_database_backend().build(&batch)).await?;
    let change = serde_json::json!({
        "batch": summary.batch_id,
        "file_name": options.file_name,
        "file_sha256": options.file_sha256,
        "rows": summary.rows,
        "added": summary.added,
        "changed": summary.changed,
        "unchanged": summary.unchanged,
        "retired": summary.retired,
        "retire_missing": options.retire_missing,
    });
    audit::append_hashed(&txn, &options.actor, "import", R::LIST.name(), change, hashes).await?;
    txn.commit().await?;
    if summary.added >= ANALYZE_AFTER {
        // Fresh statistics for the query planner: PostgreSQL's autovacuum would get there in
        // its own time, and until then plans a name search over a million new rows as a scan.
        store.connection().execute_unprepared(&format!("ANALYZE {}", table(R::LIST))).await?;
    }
    Ok(summary)
}

/// A record's content hash from what is written for it (see `audit::records`).
fn record_hash<R: Stored>(record: &R) -> audit::records::RecordHash {
    let kind = audit::records::of_list(R::LIST);
    let key = record.key();
    let sha = kind.hash_values(&key, &record.clone().into_values());
    (kind.name.to_owned(), key, sha)
}

/// What an import will write: each row's change, and the records to retire.
struct Plan<R> {
    changes: Vec<Change<R>>,
    retiring: Vec<Existing<R>>,
}

/// The last import of a list: a list changes only by imports, each its own batch, numbered
/// in the order they commit (each takes the write lock before it makes its batch).
async fn list_version(db: &impl ConnectionTrait, list: ListKind) -> Result<Option<i64>, DbErr> {
    let mut q = Query::select();
    q.from(Alias::new("import_batches"))
        .expr_as(Expr::col(Alias::new("id")).max(), Alias::new("v"))
        .and_where(Expr::col(Alias::new("list")).eq(list.name()));
    let row = db.query_one(db.get_database_backend().build(&q)).await?;
    Ok(row.and_then(|r| r.try_get::<Option<i64>>("", "v").ok().flatten()))
}

/// Checks every row of the sheet against the list as `db` sees it: the changes to make, or
/// every problem.
async fn plan<R: Stored>(
    db: &impl ConnectionTrait,
    sheet: &Sheet,
    codes: &Codes,
    options: &ImportOptions,
    progress: crate::Report<'_>,
) -> Result<Plan<R>, ImportError> {
    let total = sheet.rows.len() as u64;
    let positions = sheet.positions();
    let own = kept_to::<R>(db, options).await?;
    let own = own.as_deref();
    // A sheet of a few rows (a form, a small file) reads only the records it names: a form
    // saved against a million targets must not read the million. A large sheet, or one that
    // retires what it does not list, reads the whole list at once.
    let mut existing =
        if options.retire_missing || sheet.rows.len() > LOAD_BY_KEY_MAX || R::LIST.key_columns().len() > 1 {
            load::<R>(db).await?
        } else {
            let keys: Vec<String> = sheet.rows.iter().map(|row| sheet.key(&positions, row)).collect();
            load_keys::<R>(db, &keys).await?
        };

    // Rows are parsed and compared in parallel, a block at a time (for the progress bar);
    // duplicates are then found in file order, so the first of two rows is the one kept.
    let mut problems: Vec<Problem> = Vec::new();
    let mut changes = Vec::with_capacity(sheet.rows.len());
    let mut seen: HashMap<String, u64> = HashMap::with_capacity(sheet.rows.len());
    let mut more = 0usize;
    for (b, block) in sheet.rows.chunks(BLOCK).enumerate() {
        progress("检查 checking", (b * BLOCK) as u64, total);
        let parsed = check_block::<R>(sheet, &positions, block, &existing, codes, own);
        for (row, (overflow, key, change)) in block.iter().zip(parsed) {
            // Past the report's length, problems are only counted (see `first_problems`).
            if problems.len() < MAX_PROBLEMS * 2 {
                problems.extend(overflow);
            } else {
                more += overflow.len();
            }
            let change = match change {
                Ok(change) => change,
                Err(p) if problems.len() < MAX_PROBLEMS * 2 => {
                    problems.extend(p);
                    continue;
                }
                Err(p) => {
                    more += p.len();
                    continue;
                }
            };
            if let Some(first) = seen.get(&key) {
                problems.push(duplicate(sheet, row.number, *first, &key));
                continue;
            }
            seen.insert(key, row.number);
            changes.push(change);
        }
    }
    progress("检查 checking", total, total);
    problems.extend(missing_references::<R>(db, sheet, &changes, &seen).await?);
    problems.extend(unknown_departments::<R>(db, sheet, &changes, &seen).await?);
    if let Some(own) = own {
        problems.extend(out_of_reach(sheet, &changes, &existing, &seen, own));
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.row);
        return Err(ImportError::Rejected(first_problems(problems, more)));
    }
    let retiring = if options.retire_missing {
        // One confined to its department retires only its department's records.
        let mine = |r: &R| own.is_none() || r.department().map(|(_, d)| d) == own;
        existing.retain(|k, e| !seen.contains_key(k) && !e.record.is_retired() && mine(&e.record));
        existing.into_values().collect()
    } else {
        Vec::new()
    };
    Ok(Plan { changes, retiring })
}

/// The department an import is kept to: the importer's own, in a list whose records belong
/// to departments — the targets only when the bureau does not keep one shared directory.
async fn kept_to<R: Stored>(
    db: &impl ConnectionTrait,
    options: &ImportOptions,
) -> Result<Option<String>, DbErr> {
    let Some(own) = options.own.as_ref().filter(|_| R::OWNED) else {
        return Ok(None);
    };
    if R::LIST == ListKind::Targets && crate::settings::load_in(db).await?.shared_directory {
        return Ok(None);
    }
    Ok(Some(own.clone()))
}

/// The most problems a refused import lists: a file wrong on every one of a million rows
/// answers with the first thousand and how many more, not a report larger than the file.
pub const MAX_PROBLEMS: usize = 1_000;

/// The first [`MAX_PROBLEMS`] problems (in row order) and, when there were more, one line
/// saying how many (`more` counts those not even collected).
fn first_problems(mut problems: Vec<Problem>, more: usize) -> Vec<Problem> {
    let more = more + problems.len().saturating_sub(MAX_PROBLEMS);
    problems.truncate(MAX_PROBLEMS);
    if more > 0 {
        problems.push(Problem {
            row: None,
            column: String::new(),
            value: String::new(),
            zh: format!("另有 {more} 个问题未列出，请先改正以上问题"),
            en: format!("{more} more problems not listed; correct those above first"),
        });
    }
    problems
}

/// What one checked row of a block comes to: its overflow problems, its key, and its change
/// or its problems.
type Checked<R> = (Vec<Problem>, String, Result<Change<R>, Vec<Problem>>);

/// Checks a block of rows in parallel against the stored records. A plain function, not part
/// of the async import, so that the import's future holds no closure over borrowed rows
/// (which rustc cannot prove `Send` for the web service's handlers).
fn check_block<R: Stored>(
    sheet: &Sheet,
    positions: &[Option<usize>],
    block: &[RawRow],
    existing: &HashMap<String, Existing<R>>,
    codes: &Codes,
    own: Option<&str>,
) -> Vec<Checked<R>> {
    block
        .par_iter()
        .map(|row| {
            let key = sheet.key(positions, row);
            let stored = existing.get(&key);
            let change = sheet
                .parse::<R>(positions, row, stored.map(|e| &e.record), codes)
                .map(|mut record| {
                    // What one kept to its department adds without naming a department
                    // is its department's.
                    if let Some(own) = own {
                        record.claim(own);
                    }
                    record
                })
                .map(|record| match stored {
                    None => Change::Add(record),
                    Some(e) => {
                        let fields = differences(&e.record, &record);
                        if fields.is_empty() {
                            Change::Unchanged
                        } else {
                            Change::Update { id: e.id, record, fields, old_status: e.record.status() }
                        }
                    }
                });
            (sheet.overflow(row).into_iter().collect(), key, change)
        })
        .collect()
}

fn duplicate(sheet: &Sheet, row: u64, first: u64, key: &str) -> Problem {
    let columns: Vec<String> = sheet.list.key_columns().iter().map(|c| sheet.header_of(c)).collect();
    Problem {
        row: Some(row),
        column: columns.join("+"),
        value: key.to_owned(),
        zh: format!("与第{first}行重复"),
        en: format!("the same key as row {first}"),
    }
}

/// The fields that differ, as the list shows them: (column, old, new).
fn differences<R: Record>(old: &R, new: &R) -> Vec<(&'static str, String, String)> {
    let columns = R::LIST.columns();
    old.cells()
        .into_iter()
        .zip(new.cells())
        .zip(columns)
        .filter(|((o, n), _)| o != n)
        .map(|((o, n), c)| (c.name, o, n))
        .collect()
}

/// Every stored record of a list, by key.
async fn load<R: Stored>(db: &impl ConnectionTrait) -> Result<HashMap<String, Existing<R>>, DbErr> {
    let mut out = HashMap::new();
    load_where::<R>(db, None, &mut out).await?;
    Ok(out)
}

/// Imports adding this many records refresh the table's statistics.
const ANALYZE_AFTER: u64 = 10_000;

/// Sheets of up to this many rows read only the records their keys name.
const LOAD_BY_KEY_MAX: usize = 20_000;

/// The stored records among `keys` (a list with a one-column key), a few hundred keys a query.
async fn load_keys<R: Stored>(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<HashMap<String, Existing<R>>, DbErr> {
    let column = R::LIST.key_columns()[0];
    let mut out = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(500) {
        let condition = Expr::col(Alias::new(column)).is_in(chunk.iter().map(String::as_str));
        load_where::<R>(db, Some(condition), &mut out).await?;
    }
    Ok(out)
}

async fn load_where<R: Stored>(
    db: &impl ConnectionTrait,
    condition: Option<SimpleExpr>,
    out: &mut HashMap<String, Existing<R>>,
) -> Result<(), DbErr> {
    let mut select = Query::select();
    select.from(Alias::new(table(R::LIST))).column(Alias::new("id"));
    select.columns(R::STORED.iter().map(|c| Alias::new(*c)));
    if let Some(condition) = condition {
        select.and_where(condition);
    }
    let rows = db.query_all(db.get_database_backend().build(&select)).await?;
    out.reserve(rows.len());
    for row in rows {
        let id: i64 = row.try_get("", "id")?;
        let record = R::from_row(&row)?;
        out.insert(record.key(), Existing { id, record });
    }
    Ok(())
}

/// Imports a sheet into the list it is for (see [`import`]).
pub async fn import_list(
    store: &Store,
    sheet: &Sheet,
    codes: &Codes,
    options: &ImportOptions,
    progress: crate::Report<'_>,
) -> Result<ImportSummary, ImportError> {
    use suiji_domain::directory::{Inspector, Item, Recusal, Target};
    match sheet.list {
        ListKind::Targets => import::<Target>(store, sheet, codes, options, progress).await,
        ListKind::Inspectors => import::<Inspector>(store, sheet, codes, options, progress).await,
        ListKind::Items => import::<Item>(store, sheet, codes, options, progress).await,
        ListKind::Recusals => import::<Recusal>(store, sheet, codes, options, progress).await,
    }
}

/// Every record of a list as cells (in [`ListKind::columns`] order), in the order added: what
/// an export writes.
pub async fn cells(store: &Store, list: ListKind) -> Result<Vec<Vec<String>>, StoreError> {
    use suiji_domain::directory::{Inspector, Item, Recusal, Target};
    async fn of<R: Stored>(store: &Store) -> Result<Vec<Vec<String>>, StoreError> {
        Ok(all::<R>(store).await?.iter().map(Record::cells).collect())
    }
    match list {
        ListKind::Targets => of::<Target>(store).await,
        ListKind::Inspectors => of::<Inspector>(store).await,
        ListKind::Items => of::<Item>(store).await,
        ListKind::Recusals => of::<Recusal>(store).await,
    }
}

/// The records of a list in the order they were added.
pub async fn all<R: Stored>(store: &Store) -> Result<Vec<R>, StoreError> {
    let db = store.connection();
    let mut select = Query::select();
    select.from(Alias::new(table(R::LIST)));
    select.columns(R::STORED.iter().map(|c| Alias::new(*c)));
    select.order_by(Alias::new("id"), sea_orm::Order::Asc);
    let rows = db.query_all(db.get_database_backend().build(&select)).await?;
    Ok(rows.iter().map(R::from_row).collect::<Result<_, _>>()?)
}

/// How many records a list holds (from its counts, kept by every import: no table scan).
pub async fn count(store: &Store, list: ListKind) -> Result<u64, StoreError> {
    counts::read(store, list, None).await
}

/// How many records of a list have a status (`active`, …).
pub async fn count_with_status(store: &Store, list: ListKind, status: &str) -> Result<u64, StoreError> {
    counts::read(store, list, Some(status)).await
}

/// Inspectors and items name a department of the organisation, in use. A retired record may
/// keep the name of a department retired since.
async fn unknown_departments<R: Stored>(
    db: &impl ConnectionTrait,
    sheet: &Sheet,
    changes: &[Change<R>],
    rows: &HashMap<String, u64>,
) -> Result<Vec<Problem>, DbErr> {
    let named: Vec<(&R, &'static str, &str)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Add(r) | Change::Update { record: r, .. } if !r.is_retired() => {
                r.department().map(|(column, name)| (r, column, name))
            }
            _ => None,
        })
        .collect();
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let known: HashSet<String> =
        crate::org::active_names(db).await.map_err(|e| DbErr::Custom(e.to_string()))?.into_iter().collect();
    Ok(named
        .into_iter()
        .filter(|(_, _, name)| !known.contains(*name))
        .map(|(r, column, name)| Problem {
            row: rows.get(&r.key()).copied(),
            column: sheet.header_of(column),
            value: name.to_owned(),
            zh: "不是本局组织机构中在用的部门：请管理员先在“组织机构”中添加".to_owned(),
            en: "not a department of the bureau in use: the administrator adds it under Departments first"
                .to_owned(),
        })
        .collect())
}

/// The rows that add or change a record of another department than `own` (as the row has
/// it, or as the record stood): one confined to its department changes only its own.
fn out_of_reach<R: Stored>(
    sheet: &Sheet,
    changes: &[Change<R>],
    existing: &HashMap<String, Existing<R>>,
    rows: &HashMap<String, u64>,
    own: &str,
) -> Vec<Problem> {
    let theirs = |r: &R| r.department().map(|(_, d)| d) != Some(own);
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Add(r) | Change::Update { record: r, .. } => Some(r),
            Change::Unchanged => None,
        })
        .filter(|r| theirs(r) || existing.get(&r.key()).is_some_and(|e| theirs(&e.record)))
        .map(|r| {
            let (column, value) = r.department().unwrap_or(("", ""));
            Problem {
                row: rows.get(&r.key()).copied(),
                column: if column.is_empty() { String::new() } else { sheet.header_of(column) },
                value: value.to_owned(),
                zh: format!("只能新增或修改本部门（{own}）的记录"),
                en: format!("only your own department's ({own}) records are added or changed"),
            }
        })
        .collect()
}

/// Recusals name an inspector and a target that must already be in the directories.
/// `rows` gives each record's row in the file, by key.
async fn missing_references<R: Stored>(
    db: &impl ConnectionTrait,
    sheet: &Sheet,
    changes: &[Change<R>],
    rows: &HashMap<String, u64>,
) -> Result<Vec<Problem>, DbErr> {
    let records: Vec<&R> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Add(r) | Change::Update { record: r, .. } => Some(r),
            Change::Unchanged => None,
        })
        .collect();
    let mut wanted: HashMap<(&'static str, ListKind), HashSet<String>> = HashMap::new();
    for r in &records {
        for (column, list, key) in r.references() {
            wanted.entry((column, list)).or_default().insert(key);
        }
    }
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let mut found: HashMap<(&'static str, ListKind), HashSet<String>> = HashMap::new();
    for ((column, list), keys) in &wanted {
        let keys: Vec<&String> = keys.iter().collect();
        let set = found.entry((column, *list)).or_default();
        for chunk in keys.chunks(500) {
            let mut select = Query::select();
            select
                .from(Alias::new(table(*list)))
                .column(Alias::new(*column))
                .and_where(Expr::col(Alias::new(*column)).is_in(chunk.iter().map(|k| k.as_str())));
            for row in db.query_all(db.get_database_backend().build(&select)).await? {
                set.insert(row.try_get("", column)?);
            }
        }
    }
    let mut problems = Vec::new();
    for r in records {
        for (column, list, key) in r.references() {
            if !found[&(column, list)].contains(&key) {
                problems.push(Problem {
                    row: rows.get(&r.key()).copied(),
                    column: sheet.header_of(column),
                    value: key,
                    zh: format!("{}中没有这一条", list.zh()),
                    en: format!("not in the {} directory", list.name()),
                });
            }
        }
    }
    Ok(problems)
}

/// Writes a record's stored columns over its row.
async fn update<R: Stored>(
    txn: &DatabaseTransaction,
    id: i64,
    record: &R,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut update = Query::update();
    update.table(Alias::new(table(R::LIST)));
    for (column, value) in R::STORED.iter().zip(record.clone().into_values()) {
        update.value(Alias::new(*column), value);
    }
    update.value(Alias::new("updated_at"), now).and_where(Expr::col(Alias::new("id")).eq(id));
    txn.execute(txn.get_database_backend().build(&update)).await?;
    Ok(())
}

/// Changed fields waiting to be written to `record_changes`.
struct History<'a> {
    list: ListKind,
    actor: &'a str,
    at: DateTime<Utc>,
    batch_id: i64,
    rows: Vec<[Value; 4]>,
}

impl<'a> History<'a> {
    fn new(list: ListKind, actor: &'a str, at: DateTime<Utc>, batch_id: i64) -> Self {
        History { list, actor, at, batch_id, rows: Vec::new() }
    }

    fn push(&mut self, key: String, field: &str, old: Option<String>, new: Option<String>) {
        self.rows.push([key.into(), field.into(), old.into(), new.into()]);
    }

    async fn write(self, db: &DatabaseConnection, txn: &DatabaseTransaction) -> Result<(), DbErr> {
        let columns = ["record_key", "field", "old_value", "new_value"];
        let common = [
            ("list", self.list.name().into()),
            ("actor", self.actor.into()),
            ("at", self.at.into()),
            ("batch_id", self.batch_id.into()),
        ];
        bulk::insert_values(db, txn, "record_changes", &columns, &common, self.rows, &|_| {}).await
    }
}

/// One change in a record's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub record_key: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub batch_id: Option<i64>,
}

impl From<record_change::Model> for FieldChange {
    fn from(r: record_change::Model) -> Self {
        FieldChange {
            record_key: r.record_key,
            field: r.field,
            old_value: r.old_value,
            new_value: r.new_value,
            actor: r.actor,
            at: r.at,
            batch_id: r.batch_id,
        }
    }
}

/// A record's changes, oldest first.
pub async fn history(store: &Store, list: ListKind, key: &str) -> Result<Vec<FieldChange>, StoreError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let rows = record_change::Entity::find()
        .filter(record_change::Column::List.eq(list.name()))
        .filter(record_change::Column::RecordKey.eq(key))
        .order_by_asc(record_change::Column::Id)
        .all(store.connection())
        .await?;
    Ok(rows.into_iter().map(FieldChange::from).collect())
}

/// The latest imports into a list (a web form's save is one too), newest first, each with the
/// field changes it made.
/// The latest imports into any list, newest first, without their changes (the workbench).
pub async fn latest_batches(store: &Store, limit: u64) -> Result<Vec<import_batch::Model>, StoreError> {
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
    Ok(import_batch::Entity::find()
        .order_by_desc(import_batch::Column::Id)
        .limit(limit)
        .all(store.connection())
        .await?)
}

pub async fn recent_batches(
    store: &Store,
    list: ListKind,
    limit: u64,
) -> Result<Vec<(import_batch::Model, Vec<FieldChange>)>, StoreError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let db = store.connection();
    let batches = import_batch::Entity::find()
        .filter(import_batch::Column::List.eq(list.name()))
        .order_by_desc(import_batch::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(batches.len());
    for b in batches {
        let changes = record_change::Entity::find()
            .filter(record_change::Column::BatchId.eq(b.id))
            .order_by_asc(record_change::Column::Id)
            .limit(200)
            .all(db)
            .await?
            .into_iter()
            .map(FieldChange::from)
            .collect();
        out.push((b, changes));
    }
    Ok(out)
}

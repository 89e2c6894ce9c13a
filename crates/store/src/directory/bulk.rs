//! Writing many rows at once: multi-row `INSERT`s, as large as the backend's limit on bound
//! parameters allows (one statement per row would spend the import's time on round trips).

use super::Stored;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, Value};

/// Rows per statement: SQLite binds at most 32,766 parameters, PostgreSQL 65,535; a few
/// hundred rows already make the per-statement cost small.
fn rows_per_statement(backend: DbBackend, columns: usize) -> usize {
    let limit = match backend {
        DbBackend::Sqlite => 32_766,
        _ => 65_535,
    };
    (limit / columns).min(512)
}

/// Adds records to their list, created now by `actor` in import batch `batch`.
pub(super) async fn insert_records<R: Stored>(
    txn: &DatabaseTransaction,
    records: &[R],
    actor: &str,
    batch: i64,
    now: DateTime<Utc>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), DbErr> {
    let mut columns: Vec<&str> = R::STORED.to_vec();
    columns.extend(["created_at", "updated_at", "created_by", "created_batch"]);
    let rows = records.iter().map(|r| {
        let mut values: Vec<Value> = r.values().into_iter().map(|(_, v)| v).collect();
        values.extend([now.into(), now.into(), actor.into(), batch.into()]);
        values
    });
    insert_values(txn, super::table(R::LIST), &columns, rows, progress).await
}

/// Inserts rows of values (in `columns` order) into `table`.
pub(super) async fn insert_values<V: IntoIterator<Item = Value>>(
    txn: &DatabaseTransaction,
    table: &str,
    columns: &[&str],
    rows: impl IntoIterator<Item = V>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    let per_statement = rows_per_statement(backend, columns.len());
    let mut rows = rows.into_iter().peekable();
    let mut done = 0u64;
    while rows.peek().is_some() {
        let mut insert = Query::insert();
        insert.into_table(Alias::new(table)).columns(columns.iter().map(|c| Alias::new(*c)));
        for values in rows.by_ref().take(per_statement) {
            insert.values_panic(values.into_iter().map(Into::into));
            done += 1;
        }
        txn.execute(backend.build(&insert)).await?;
        progress(done);
    }
    Ok(())
}

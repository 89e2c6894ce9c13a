//! Writing many rows at once, the way each database takes them fastest.
//!
//! SQLite: multi-row `VALUES` with bound parameters. One statement per row pays a round trip
//! to the driver's thread each (measured: 140 µs a row), and unpacking a bound JSON array with
//! `json_each` is slower than binding (measured again with SQLite 3.46's JSON cache: 4.8 s
//! against 3.4 s for a million targets).
//! PostgreSQL: `COPY`, as its documentation advises for bulk loading.
//!
//! Values that are the same for every row (who created the rows, when, in which batch) are
//! sent once a statement, not once a row.

use super::Stored;
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement, Value};

/// Adds records to their list, created now by `actor` in import batch `batch`.
pub(super) async fn insert_records<R: Stored>(
    db: &DatabaseConnection,
    txn: &DatabaseTransaction,
    records: Vec<R>,
    actor: &str,
    batch: i64,
    now: DateTime<Utc>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), DbErr> {
    // The same for every row: sent once, not once a row.
    let common: [(&str, Value); 4] = [
        ("created_at", now.into()),
        ("updated_at", now.into()),
        ("created_by", actor.into()),
        ("created_batch", batch.into()),
    ];
    let rows = records.into_iter().map(Stored::into_values);
    insert_values(db, txn, super::table(R::LIST), R::STORED, &common, rows, progress).await
}

/// Inserts rows of values (in `columns` order) into `table`, each with the values of `common`.
pub(super) async fn insert_values<V: IntoIterator<Item = Value>>(
    db: &DatabaseConnection,
    txn: &DatabaseTransaction,
    table: &str,
    columns: &[&str],
    common: &[(&str, Value)],
    rows: impl IntoIterator<Item = V>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), DbErr> {
    match txn.get_database_backend() {
        DbBackend::Sqlite => values_in(txn, table, columns, common, rows, progress).await,
        _ => copy_in(db, txn, table, columns, common, rows, progress).await,
    }
}

/// The column list of an `INSERT`, each row's columns then the common ones: `"a", "b"`.
fn column_list(columns: &[&str], common: &[(&str, Value)]) -> String {
    let all = columns.iter().copied().chain(common.iter().map(|c| c.0));
    all.map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
}

/// SQLite: multi-row `VALUES` with bound parameters, as many rows as its 32,766 parameters
/// allow, and the `common` values bound once a statement (`INSERT … SELECT column1, …, ?
/// FROM (VALUES …)`). `OR FAIL` spares it a statement journal (it would copy every index page
/// each statement touches); the import has ruled out conflicts, and any error rolls the whole
/// transaction back.
async fn values_in<V: IntoIterator<Item = Value>>(
    txn: &DatabaseTransaction,
    table: &str,
    columns: &[&str],
    common: &[(&str, Value)],
    rows: impl IntoIterator<Item = V>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), DbErr> {
    let per_statement = (32_766 - common.len()) / columns.len();
    let selected: Vec<String> = (1..=columns.len())
        .map(|i| format!("column{i}"))
        .chain(common.iter().map(|_| "?".to_owned()))
        .collect();
    let head = format!(
        "INSERT OR FAIL INTO \"{table}\" ({}) SELECT {} FROM (VALUES ",
        column_list(columns, common),
        selected.join(", ")
    );
    let row = format!("({})", vec!["?"; columns.len()].join(", "));
    let mut rows = rows.into_iter().peekable();
    let mut done = 0u64;
    while rows.peek().is_some() {
        // Parameters are numbered in the order they appear: the common ones come first.
        let mut values = Vec::with_capacity(common.len() + per_statement * columns.len());
        values.extend(common.iter().map(|c| c.1.clone()));
        let n = rows.by_ref().take(per_statement).map(|row| values.extend(row)).count();
        let sql = format!("{head}{})", vec![row.as_str(); n].join(", "));
        txn.execute(Statement::from_sql_and_values(DbBackend::Sqlite, sql, values)).await?;
        done += n as u64;
        progress(done);
    }
    Ok(())
}

/// PostgreSQL: the rows go by `COPY` into an unlogged staging table (on a connection of their
/// own, since `COPY` cannot run through the transaction's driver), then one
/// `INSERT … SELECT` inside the transaction moves them in, with the `common` values as its
/// parameters. Until the transaction commits
/// nothing is in the list. The transaction drops the staging table; if it is rolled back
/// after the `INSERT … SELECT`, the table (`import_stage_…`) is left behind.
async fn copy_in<V: IntoIterator<Item = Value>>(
    db: &DatabaseConnection,
    txn: &DatabaseTransaction,
    table: &str,
    columns: &[&str],
    common: &[(&str, Value)],
    rows: impl IntoIterator<Item = V>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(), DbErr> {
    use sea_orm::sqlx::Acquire;
    let mut rows = rows.into_iter().peekable();
    if rows.peek().is_none() {
        return Ok(());
    }
    static STAGE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let stage = format!(
        "import_stage_{}_{}_{}",
        std::process::id(),
        crate::clock::now().timestamp_micros(),
        STAGE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let err = |e: sea_orm::sqlx::Error| DbErr::Custom(format!("COPY into {table}: {e}"));
    let pool = db.get_postgres_connection_pool();
    let mut conn = pool.acquire().await.map_err(err)?;
    let conn = conn.acquire().await.map_err(err)?;
    let stage_columns: Vec<String> = (0..columns.len()).map(|i| format!("c{i} text")).collect();
    sea_orm::sqlx::query(&format!("CREATE UNLOGGED TABLE \"{stage}\" ({})", stage_columns.join(", ")))
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    let result = async {
        let mut types: Vec<Option<&'static str>> = vec![None; columns.len()];
        let mut copy =
            conn.copy_in_raw(&format!("COPY \"{stage}\" FROM STDIN (FORMAT csv)")).await.map_err(err)?;
        let mut buffer = Vec::with_capacity(1 << 20);
        let mut done = 0u64;
        for values in rows {
            for (i, v) in values.into_iter().enumerate() {
                if i > 0 {
                    buffer.push(b',');
                }
                types[i] = types[i].or(csv_cell(&mut buffer, v)?);
            }
            buffer.push(b'\n');
            done += 1;
            if buffer.len() >= 1 << 20 {
                copy.send(std::mem::take(&mut buffer)).await.map_err(err)?;
                progress(done);
            }
        }
        if !buffer.is_empty() {
            copy.send(buffer).await.map_err(err)?;
        }
        copy.finish().await.map_err(err)?;
        progress(done);
        let cells: Vec<String> = (0..columns.len())
            .map(|i| format!("c{i}::{}", types[i].unwrap_or("text")))
            .chain((1..=common.len()).map(|i| format!("${i}")))
            .collect();
        Ok(format!(
            "INSERT INTO \"{table}\" ({}) SELECT {} FROM \"{stage}\"",
            column_list(columns, common),
            cells.join(", ")
        ))
    }
    .await;
    let sql = match result {
        Ok(sql) => sql,
        Err(e) => {
            let _ =
                sea_orm::sqlx::query(&format!("DROP TABLE IF EXISTS \"{stage}\"")).execute(&mut *conn).await;
            return Err(e);
        }
    };
    // From here the transaction holds the staging table, so it drops it too: with the
    // commit, or undone with a rollback (leaving it behind only then).
    let values = common.iter().map(|c| c.1.clone());
    txn.execute(Statement::from_sql_and_values(DbBackend::Postgres, sql, values)).await?;
    txn.execute_unprepared(&format!("DROP TABLE \"{stage}\"")).await?;
    Ok(())
}

/// Writes a value as a CSV cell for `COPY`: text always quoted (so that an empty string is
/// not NULL), NULL as nothing. Returns the PostgreSQL type to cast the text to.
fn csv_cell(out: &mut Vec<u8>, value: Value) -> Result<Option<&'static str>, DbErr> {
    let (text, ty): (Option<String>, &str) = match value {
        Value::String(s) => (s.map(|s| *s), "text"),
        Value::BigInt(n) => (n.map(|n| n.to_string()), "bigint"),
        Value::Int(n) => (n.map(|n| n.to_string()), "bigint"),
        Value::Bool(b) => (b.map(|b| b.to_string()), "boolean"),
        Value::ChronoDate(d) => (d.map(|d| d.format("%F").to_string()), "date"),
        Value::ChronoDateTimeUtc(t) => {
            (t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, false)), "timestamptz")
        }
        other => return Err(DbErr::Type(format!("bulk insert: unsupported value {other:?}"))),
    };
    if let Some(text) = text {
        out.push(b'"');
        for b in text.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    }
    Ok(Some(ty))
}

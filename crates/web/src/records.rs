//! The four lists seen alike by the pages and the API: rows of cells in the list's column
//! order, whatever the record type. Public views pick their columns from here too.

use suiji_domain::directory::{
    Column, Inspector, InspectorStatus, Item, ItemStatus, ListKind, Record, Recusal, RecusalStatus, Target,
    TargetStatus,
};
use suiji_store::directory::{self, Filter, Stored};
use suiji_store::{Store, StoreError};

/// One record as cells.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    pub key: String,
    pub cells: Vec<String>,
}

/// The inspector directory's public columns (一公开: name, unit, certificate number).
pub const PUBLIC_INSPECTOR_COLUMNS: &[&str] = &["name", "department", "cert_no"];

/// The targets' public columns: what a business licence shows anyway. Credit grades, risk
/// classes, staff numbers and legal representatives stay with the staff.
pub const PUBLIC_TARGET_COLUMNS: &[&str] = &["uscc", "name", "kind", "region", "status"];

fn row<R: Record>(r: &R) -> Row {
    Row { key: r.key(), cells: r.cells() }
}

async fn typed_page<R: Stored>(
    store: &Store,
    filter: &Filter,
) -> Result<(Vec<Row>, Option<i64>), StoreError> {
    let page = directory::page::<R>(store, filter).await?;
    Ok((page.rows.iter().map(|(_, r)| row(r)).collect(), page.next))
}

/// A page of a list.
pub async fn page(
    store: &Store,
    list: ListKind,
    filter: &Filter,
) -> Result<(Vec<Row>, Option<i64>), StoreError> {
    match list {
        ListKind::Targets => typed_page::<Target>(store, filter).await,
        ListKind::Inspectors => typed_page::<Inspector>(store, filter).await,
        ListKind::Items => typed_page::<Item>(store, filter).await,
        ListKind::Recusals => typed_page::<Recusal>(store, filter).await,
    }
}

async fn typed_find<R: Stored>(store: &Store, key: &str) -> Result<Option<Row>, StoreError> {
    Ok(directory::find::<R>(store, key).await?.map(|(_, r)| row(&r)))
}

/// A record by key.
pub async fn find(store: &Store, list: ListKind, key: &str) -> Result<Option<Row>, StoreError> {
    match list {
        ListKind::Targets => typed_find::<Target>(store, key).await,
        ListKind::Inspectors => typed_find::<Inspector>(store, key).await,
        ListKind::Items => typed_find::<Item>(store, key).await,
        ListKind::Recusals => typed_find::<Recusal>(store, key).await,
    }
}

/// The statuses a list's records can have: (code, Chinese).
pub fn statuses(list: ListKind) -> Vec<(&'static str, &'static str)> {
    match list {
        ListKind::Targets => TargetStatus::ALL.iter().map(|s| (s.code(), s.zh())).collect(),
        ListKind::Inspectors => InspectorStatus::ALL.iter().map(|s| (s.code(), s.zh())).collect(),
        ListKind::Items => ItemStatus::ALL.iter().map(|s| (s.code(), s.zh())).collect(),
        ListKind::Recusals => RecusalStatus::ALL.iter().map(|s| (s.code(), s.zh())).collect(),
    }
}

/// Positions of `names` among a list's columns.
pub fn positions(list: ListKind, names: &[&str]) -> Vec<usize> {
    names
        .iter()
        .map(|n| list.columns().iter().position(|c| c.name == *n).expect("a column of the list"))
        .collect()
}

/// The columns at `positions`.
pub fn columns_at(list: ListKind, positions: &[usize]) -> Vec<&'static Column> {
    positions.iter().map(|&i| &list.columns()[i]).collect()
}

/// A row cut down to the cells at `positions`.
pub fn cut(row: &Row, positions: &[usize]) -> Vec<String> {
    positions.iter().map(|&i| row.cells.get(i).cloned().unwrap_or_default()).collect()
}

/// A page of a list's public `columns` (stored columns of the same name), read without the
/// rest of each record: the public views show a few columns of many rows, to anyone, often.
/// Status codes become their Chinese labels, as everywhere else.
pub async fn public_page(
    store: &Store,
    list: ListKind,
    columns: &[&str],
    filter: &Filter,
) -> Result<(Vec<Vec<String>>, Option<i64>), StoreError> {
    let (rows, next) = directory::columns_page(store, list, columns, filter).await?;
    let labels = statuses(list);
    let rows = rows
        .into_iter()
        .map(|cells| {
            cells
                .into_iter()
                .zip(columns)
                .map(|(value, column)| {
                    let value = value.unwrap_or_default();
                    match *column {
                        "status" => labels
                            .iter()
                            .find(|(code, _)| *code == value)
                            .map_or(value, |(_, zh)| (*zh).to_owned()),
                        _ => value,
                    }
                })
                .collect()
        })
        .collect();
    Ok((rows, next))
}

//! The four lists seen alike by the pages and the API: rows of cells in the list's column
//! order, whatever the record type. Public views pick their columns from here too.

use suiji_domain::directory::{
    Column, Inspector, InspectorStatus, Item, ItemStatus, ListKind, Record, Recusal, RecusalStatus, Target,
    TargetStatus,
};
use suiji_domain::settings::Settings;
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

/// The targets' public columns: what a business licence shows anyway. Credit grades join them
/// only when the bureau's settings publish them; risk classes, staff numbers and legal
/// representatives stay with the staff.
pub const PUBLIC_TARGET_COLUMNS: &[&str] = &["uscc", "name", "kind", "region", "status"];

/// The columns of `list` anyone may see, under the bureau's `settings`. Recusals: none.
pub fn public_columns(list: ListKind, settings: &Settings) -> Vec<&'static str> {
    match list {
        ListKind::Items => list.columns().iter().map(|c| c.name).collect(),
        ListKind::Inspectors => PUBLIC_INSPECTOR_COLUMNS.to_vec(),
        ListKind::Targets => {
            let mut columns = PUBLIC_TARGET_COLUMNS.to_vec();
            if settings.public_credit_grades {
                columns.insert(columns.len() - 1, "credit_grade");
            }
            columns
        }
        ListKind::Recusals => Vec::new(),
    }
}

/// A page of what the public sees of a list: its public columns, each row as cells in that
/// order (statuses as their Chinese labels, as everywhere else).
pub struct PublicPage {
    pub columns: Vec<&'static Column>,
    pub rows: Vec<Row>,
    pub next: Option<i64>,
}

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
/// Cells as a person reads them: a region (GB/T 2260) or industry (GB/T 4754) code followed
/// by its name. The API and the downloads keep the bare codes.
pub fn readable(columns: &[&Column], mut cells: Vec<String>) -> Vec<String> {
    let codes = suiji_domain::codes::Codes::builtin();
    // An inspector in post whose certificate has lapsed cannot inspect: say so beside 在岗.
    let at = |name: &str| columns.iter().position(|c| c.name == name);
    if let (Some(valid), Some(status)) = (at("cert_valid_until"), at("status"))
        && let Ok(until) = chrono::NaiveDate::parse_from_str(&cells[valid], "%Y-%m-%d")
        && until < suiji_store::workflow::china_today()
    {
        cells[status] = format!("{}（证件已过期）", cells[status]);
    }
    for (column, cell) in columns.iter().zip(cells.iter_mut()) {
        let name = match column.name {
            "region" => codes.region(cell).map(|r| r.name.as_str()),
            "industry" => codes.industry(cell).map(|i| i.name.as_str()),
            _ => None,
        };
        if let Some(name) = name {
            *cell = format!("{cell} {name}");
        }
    }
    cells
}

pub fn columns_at(list: ListKind, positions: &[usize]) -> Vec<&'static Column> {
    positions.iter().map(|&i| &list.columns()[i]).collect()
}

/// A page of a list as the public sees it, under the bureau's settings as they are now. Only
/// inspectors in post are public. Targets and
/// inspectors are read column by column, without the rest of each record (the public views
/// show a few columns of many rows, to anyone, often); the item list is small and wholly public.
pub async fn public_page(store: &Store, list: ListKind, filter: &Filter) -> Result<PublicPage, StoreError> {
    // Only the targets' columns depend on a setting; the other lists spare the query.
    let settings = match list {
        ListKind::Targets => suiji_store::settings::load(store).await?,
        _ => Settings::default(),
    };
    let names = public_columns(list, &settings);
    let columns = columns_at(list, &positions(list, &names));
    let mut filter = filter.clone();
    match list {
        ListKind::Recusals => return Ok(PublicPage { columns, rows: Vec::new(), next: None }),
        ListKind::Items => {
            let (rows, next) = page(store, list, &filter).await?;
            return Ok(PublicPage { columns, rows, next });
        }
        // Those who may inspect: in post, with a certificate that has not lapsed.
        ListKind::Inspectors => {
            filter.status = Some("active".into());
            filter.certified_on = Some(suiji_store::workflow::china_today());
        }
        ListKind::Targets => {}
    }
    let (found, next) = directory::columns_page(store, list, &names, &filter).await?;
    let labels = statuses(list);
    let key_at: Vec<usize> =
        list.key_columns().iter().filter_map(|k| names.iter().position(|n| n == k)).collect();
    let rows = found
        .into_iter()
        .map(|cells| {
            let cells: Vec<String> = cells
                .into_iter()
                .zip(&names)
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
                .collect();
            let key = key_at.iter().map(|&i| cells[i].as_str()).collect::<Vec<_>>().join("|");
            Row { key, cells }
        })
        .collect();
    Ok(PublicPage { columns, rows, next })
}

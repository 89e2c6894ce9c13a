//! Reading a list a page at a time, for the pages and the API: keyset paging on the row id (as
//! fast on page 20,000 as on page 1), an optional search, and a status filter.

use super::{Stored, table};
use crate::{Store, StoreError};
use sea_orm::sea_query::{Alias, Cond, Expr, Order, Query};
use sea_orm::{ConnectionTrait, QueryResult};
use suiji_domain::directory::ListKind;

/// What to show.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A key (exact) or part of a name.
    pub q: Option<String>,
    /// A status code (`active`, `retired`, …).
    pub status: Option<String>,
    /// Rows after this id (the previous page's last).
    pub after: Option<i64>,
    pub limit: u64,
    /// Inspectors only: leave out those whose certificate lapsed before this day (an
    /// inspector without one may not inspect, 持证上岗).
    pub certified_on: Option<chrono::NaiveDate>,
}

/// A page of records and the id to continue after, if there is more.
#[derive(Debug, Clone)]
pub struct Page<R> {
    pub rows: Vec<(i64, R)>,
    pub next: Option<i64>,
}

/// The column a list is searched by name in (besides its key).
fn name_column(list: ListKind) -> &'static str {
    match list {
        ListKind::Recusals => "uscc",
        _ => "name",
    }
}

/// `%`, `_` and `\` taken literally in a `LIKE` pattern (with `ESCAPE '\'`).
fn like_pattern(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 2);
    out.push('%');
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The condition that finds a record by its whole key (`cert_no|uscc` for a recusal); `None`
/// if `key` has too few parts to be one.
fn key_condition(list: ListKind, key: &str) -> Option<Cond> {
    let columns = list.key_columns();
    let parts: Vec<&str> = key.splitn(columns.len(), '|').collect();
    (parts.len() == columns.len()).then(|| {
        columns
            .iter()
            .zip(parts)
            .fold(Cond::all(), |all, (column, part)| all.add(Expr::col(Alias::new(*column)).eq(part)))
    })
}

/// An inspector's certificate valid on `day`, or of no recorded end.
fn certified(day: chrono::NaiveDate) -> Cond {
    let until = || Expr::col(Alias::new("cert_valid_until"));
    Cond::any().add(until().is_null()).add(until().gte(day))
}

/// How many inspectors are in post with a certificate valid on `day` (the portal's count of
/// those who may inspect). A COUNT: the inspectors' list is a bureau's staff, not millions.
pub async fn count_certified(store: &Store, day: chrono::NaiveDate) -> Result<u64, StoreError> {
    let db = store.connection();
    let mut q = Query::select();
    q.from(Alias::new(table(ListKind::Inspectors)))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .and_where(Expr::col(Alias::new("status")).eq("active"))
        .cond_where(certified(day));
    let row = db.query_one(db.get_database_backend().build(&q)).await?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The rows of a page, with `id` and `columns`: a search that is a whole key finds its record
/// by the key's index alone; anything else is looked for in the names too (a scan).
async fn rows(
    store: &Store,
    list: ListKind,
    columns: &[&str],
    filter: &Filter,
) -> Result<(Vec<QueryResult>, Option<i64>), StoreError> {
    let db = store.connection();
    let limit = filter.limit.clamp(1, 1000);
    let select = |search: Option<Cond>| {
        let mut select = Query::select();
        select.from(Alias::new(table(list))).column(Alias::new("id"));
        select.columns(columns.iter().map(|c| Alias::new(*c)));
        if let Some(search) = search {
            select.cond_where(search);
        }
        if let Some(status) = filter.status.as_deref().filter(|s| !s.is_empty()) {
            select.and_where(Expr::col(Alias::new("status")).eq(status));
        }
        if let Some(after) = filter.after {
            select.and_where(Expr::col(Alias::new("id")).gt(after));
        }
        if let (ListKind::Inspectors, Some(day)) = (list, filter.certified_on) {
            select.cond_where(certified(day));
        }
        select.order_by(Alias::new("id"), Order::Asc).limit(limit + 1);
        db.get_database_backend().build(&select)
    };
    let mut found = Vec::new();
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if let Some(condition) = key_condition(list, &suiji_domain::text::code(q)) {
            found = db.query_all(select(Some(condition))).await?;
        }
        if found.is_empty() {
            let pattern = sea_orm::sea_query::LikeExpr::new(like_pattern(q)).escape('\\');
            let name = Cond::any().add(Expr::col(Alias::new(name_column(list))).like(pattern));
            found = db.query_all(select(Some(name))).await?;
        }
    } else {
        found = db.query_all(select(None)).await?;
    }
    let next = if found.len() as u64 > limit {
        found.truncate(limit as usize);
        found.last().map(|r| r.try_get::<i64>("", "id")).transpose()?
    } else {
        None
    };
    Ok((found, next))
}

/// One page of a list, as records.
pub async fn page<R: Stored>(store: &Store, filter: &Filter) -> Result<Page<R>, StoreError> {
    let (found, next) = rows(store, R::LIST, R::STORED, filter).await?;
    let mut rows = Vec::with_capacity(found.len());
    for row in &found {
        rows.push((row.try_get::<i64>("", "id")?, R::from_row(row)?));
    }
    Ok(Page { rows, next })
}

/// One page of a list, only `columns` of it, as stored (codes, not labels): for the public
/// views, which show a few plain columns of many rows.
pub async fn columns_page(
    store: &Store,
    list: ListKind,
    columns: &[&str],
    filter: &Filter,
) -> Result<(Vec<Vec<Option<String>>>, Option<i64>), StoreError> {
    let (found, next) = rows(store, list, columns, filter).await?;
    let mut out = Vec::with_capacity(found.len());
    for row in &found {
        let mut cells = Vec::with_capacity(columns.len());
        for c in columns {
            cells.push(row.try_get::<Option<String>>("", c)?);
        }
        out.push(cells);
    }
    Ok((out, next))
}

/// A record by its key (`cert_no|uscc` for a recusal), with its row id.
pub async fn find<R: Stored>(store: &Store, key: &str) -> Result<Option<(i64, R)>, StoreError> {
    let db = store.connection();
    let list = R::LIST;
    let mut select = Query::select();
    select.from(Alias::new(table(list))).column(Alias::new("id"));
    select.columns(R::STORED.iter().map(|c| Alias::new(*c)));
    let Some(condition) = key_condition(list, key) else { return Ok(None) };
    select.cond_where(condition);
    let row = db.query_one(db.get_database_backend().build(&select)).await?;
    Ok(match row {
        Some(row) => {
            let record = R::from_row(&row)?;
            debug_assert_eq!(record.key(), key);
            Some((row.try_get("", "id")?, record))
        }
        None => None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_take_wildcards_literally() {
        assert_eq!(super::like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}

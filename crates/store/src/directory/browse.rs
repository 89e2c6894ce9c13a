//! Reading a list a page at a time, for the pages and the API: keyset paging on the row id (as
//! fast on page 20,000 as on page 1), an optional search, and a status filter.

use super::{Stored, table};
use crate::{Store, StoreError};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Cond, Expr, Order, Query};
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

/// One page of a list. A search that is a whole key finds that record by its index alone;
/// anything else is looked for in the names too (a scan).
pub async fn page<R: Stored>(store: &Store, filter: &Filter) -> Result<Page<R>, StoreError> {
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let key = suiji_domain::text::code(q);
        if let Some((id, record)) = find::<R>(store, &key).await? {
            let wanted =
                filter.status.as_deref().is_none_or(|s| s.is_empty() || record_status::<R>(&record) == s);
            let rows =
                if wanted && filter.after.is_none_or(|a| id > a) { vec![(id, record)] } else { Vec::new() };
            return Ok(Page { rows, next: None });
        }
    }
    let db = store.connection();
    let list = R::LIST;
    let mut select = Query::select();
    select.from(Alias::new(table(list))).column(Alias::new("id"));
    select.columns(R::STORED.iter().map(|c| Alias::new(*c)));
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let mut any = Cond::any();
        for key in list.key_columns() {
            any = any.add(Expr::col(Alias::new(*key)).eq(q));
        }
        let pattern = like_pattern(q);
        any = any.add(
            Expr::col(Alias::new(name_column(list)))
                .like(sea_orm::sea_query::LikeExpr::new(pattern).escape('\\')),
        );
        select.cond_where(any);
    }
    if let Some(status) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        select.and_where(Expr::col(Alias::new("status")).eq(status));
    }
    if let Some(after) = filter.after {
        select.and_where(Expr::col(Alias::new("id")).gt(after));
    }
    let limit = filter.limit.clamp(1, 1000);
    select.order_by(Alias::new("id"), Order::Asc).limit(limit + 1);
    let found = db.query_all(db.get_database_backend().build(&select)).await?;
    let mut rows = Vec::with_capacity(found.len());
    for row in &found {
        rows.push((row.try_get::<i64>("", "id")?, R::from_row(row)?));
    }
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|(id, _)| *id)
    } else {
        None
    };
    Ok(Page { rows, next })
}

/// A record's status code, as stored.
fn record_status<R: Stored>(record: &R) -> String {
    let position = R::STORED.iter().position(|c| *c == "status").expect("every list has a status");
    match &record.values()[position] {
        sea_orm::Value::String(Some(s)) => s.to_string(),
        _ => String::new(),
    }
}

/// A record by its key (`cert_no|uscc` for a recusal), with its row id.
pub async fn find<R: Stored>(store: &Store, key: &str) -> Result<Option<(i64, R)>, StoreError> {
    let db = store.connection();
    let list = R::LIST;
    let mut select = Query::select();
    select.from(Alias::new(table(list))).column(Alias::new("id"));
    select.columns(R::STORED.iter().map(|c| Alias::new(*c)));
    let columns = list.key_columns();
    let parts: Vec<&str> = key.splitn(columns.len(), '|').collect();
    if parts.len() != columns.len() {
        return Ok(None);
    }
    for (column, part) in columns.iter().zip(parts) {
        select.and_where(Expr::col(Alias::new(*column)).eq(part));
    }
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

//! How many records each list holds, per status: kept in `list_counts` by every import, in
//! its transaction, so that a page of a million-row list shows its total without counting the
//! table (COUNT(*) over a million rows costs 50–100 ms a page).

use crate::{Store, StoreError};
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr};
use std::collections::BTreeMap;
use suiji_domain::directory::ListKind;

/// Changes to a list's counts, by status code.
#[derive(Debug, Default)]
pub(super) struct Deltas(BTreeMap<&'static str, i64>);

impl Deltas {
    pub(super) fn add(&mut self, status: &'static str, n: i64) {
        *self.0.entry(status).or_default() += n;
    }

    /// Applies the changes, inside the import's transaction.
    pub(super) async fn write(self, txn: &DatabaseTransaction, list: ListKind) -> Result<(), DbErr> {
        for (status, n) in self.0.into_iter().filter(|(_, n)| *n != 0) {
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("list_counts"))
                .columns([Alias::new("list"), Alias::new("status"), Alias::new("n")])
                .values_panic([list.name().into(), status.into(), n.into()])
                .on_conflict(
                    OnConflict::columns([Alias::new("list"), Alias::new("status")])
                        .value(
                            Alias::new("n"),
                            Expr::col((Alias::new("list_counts"), Alias::new("n"))).add(n),
                        )
                        .to_owned(),
                );
            txn.execute(txn.get_database_backend().build(&insert)).await?;
        }
        Ok(())
    }
}

/// A list's count, of one status or of all.
pub(super) async fn read(store: &Store, list: ListKind, status: Option<&str>) -> Result<u64, StoreError> {
    let db = store.connection();
    let mut select = Query::select();
    select
        .from(Alias::new("list_counts"))
        // SUM is a numeric on PostgreSQL: cast so both give an integer.
        .expr_as(Expr::cust("CAST(COALESCE(SUM(n), 0) AS BIGINT)"), Alias::new("total"))
        .and_where(Expr::col(Alias::new("list")).eq(list.name()));
    if let Some(status) = status {
        select.and_where(Expr::col(Alias::new("status")).eq(status));
    }
    let row = db.query_one(db.get_database_backend().build(&select)).await?;
    let total: i64 = row.map(|r| r.try_get("", "total")).transpose()?.unwrap_or(0);
    Ok(total.max(0) as u64)
}

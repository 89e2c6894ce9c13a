//! How many records each list holds, per status, so that list pages need not count the table.
//! Filled here from the tables as they are; every import keeps it from then on. And an index
//! on the targets' status, so that a page of a rare status (退出 among a million 正常) is
//! found without walking the whole table.

use super::m20261123_000001_directories::{index, int, table, text};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000005_list_counts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("list_counts", vec![text("list"), text("status"), int("n")]);
        t.primary_key(Index::create().col(Alias::new("list")).col(Alias::new("status")));
        m.create_table(t).await?;
        m.create_index(index("targets", "targets_status_id", &["status", "id"])).await?;
        // The lists' tables as they are at this migration, written out here: a migration
        // never changes, so it does not borrow names from code that may.
        for (list, table) in [
            ("targets", "targets"),
            ("inspectors", "inspectors"),
            ("items", "items"),
            ("recusals", "recusals"),
        ] {
            let mut count = Query::select();
            count
                .expr(Expr::val(list))
                .column(Alias::new("status"))
                .expr(Expr::col(Alias::new("id")).count())
                .from(Alias::new(table))
                .group_by_col(Alias::new("status"));
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("list_counts"))
                .columns([Alias::new("list"), Alias::new("status"), Alias::new("n")])
                .select_from(count)
                .map_err(|e| DbErr::Migration(e.to_string()))?;
            m.exec_stmt(insert).await?;
        }
        Ok(())
    }
}

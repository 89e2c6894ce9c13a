//! Each item's verdict on an entered form (符合 / 不符合 / 未检查), one row per inspection and
//! item, so the statistics can count the problems found per item in SQL. Kept beside the form
//! whenever it is entered or corrected, and filled here from the forms saved before. Like the
//! facts of migration 30 they repeat what the hashed form says, so the audit record leaves
//! them out.

use super::m20261123_000001_directories::{id, index, int, table, text};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000031_inspection_verdicts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "inspection_verdicts",
            vec![id(), int("inspection_id"), text("item"), text("verdict")],
        ))
        .await?;
        m.create_index(index("inspection_verdicts", "inspection_verdicts_inspection", &["inspection_id"]))
            .await?;
        m.create_index(index("inspection_verdicts", "inspection_verdicts_item", &["item", "verdict"]))
            .await?;

        let db = m.get_connection();
        let forms = db
            .query_all(Statement::from_string(
                db.get_database_backend(),
                "SELECT id, form FROM inspections WHERE form IS NOT NULL",
            ))
            .await?;
        for row in forms {
            let id: i64 = row.try_get("", "id")?;
            let form: String = row.try_get("", "form")?;
            // Read as plain JSON: a form saved by an earlier release may lack a field added since.
            let Ok(form) = serde_json::from_str::<serde_json::Value>(&form) else { continue };
            let verdicts: Vec<(String, String)> = form["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| Some((r["item"].as_str()?.to_owned(), r["verdict"].as_str()?.to_owned())))
                .collect();
            if verdicts.is_empty() {
                continue;
            }
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new("inspection_verdicts"))
                .columns(["inspection_id", "item", "verdict"].map(Alias::new));
            for (item, verdict) in verdicts {
                insert.values_panic([id.into(), item.into(), verdict.into()]);
            }
            m.exec_stmt(insert).await?;
        }
        Ok(())
    }
}

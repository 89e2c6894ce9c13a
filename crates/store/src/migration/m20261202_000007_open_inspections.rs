//! The public results page lists inspections not published by their deadline: an index on the
//! open ones only (a partial index, the same statement on SQLite and PostgreSQL), by deadline,
//! so that finding them does not walk the published hundreds of thousands. An inspection not
//! yet entered had no deadline of its own (it was worked out from its task each time it was
//! shown): from now on it gets one when its team is made, and here the open ones made before
//! get theirs — 20 working days after the task's window ends.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000007_open_inspections"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX inspections_open_due ON inspections (publish_by, id) \
                 WHERE status IN ('assigned', 'entered', 'returned')",
            )
            .await?;
        let db = m.get_connection();
        let open = db
            .query_all(Statement::from_string(
                db.get_database_backend(),
                "SELECT i.id, t.definition FROM inspections i JOIN tasks t ON t.id = i.task_id \
                 WHERE i.publish_by IS NULL AND i.status IN ('assigned', 'entered', 'returned')",
            ))
            .await?;
        if open.is_empty() {
            return Ok(());
        }
        let calendar = crate::calendar::calendar_in(db).await.map_err(|e| DbErr::Migration(e.to_string()))?;
        for row in open {
            let id: i64 = row.try_get("", "id")?;
            let definition: String = row.try_get("", "definition")?;
            let window_end = serde_json::from_str::<serde_json::Value>(&definition)
                .ok()
                .and_then(|d| d["window_end"].as_str().and_then(|s| s.parse::<chrono::NaiveDate>().ok()));
            let Some(window_end) = window_end else { continue };
            let due = suiji_domain::workflow::publication_deadline(
                &calendar,
                window_end,
                suiji_domain::workflow::PUBLICATION_WORKDAYS,
            )
            .value;
            let mut update = Query::update();
            update
                .table(Alias::new("inspections"))
                .value(Alias::new("publish_by"), due)
                .and_where(Expr::col(Alias::new("id")).eq(id));
            m.exec_stmt(update).await?;
        }
        Ok(())
    }
}

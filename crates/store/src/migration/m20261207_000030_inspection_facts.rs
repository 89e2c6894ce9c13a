//! The statistics count inspections by what their results say — the conclusion, the day the
//! inspection ended, whether the case was referred — and by the day the result was first
//! published. Those live in the form's JSON and the publications; counting a province's year
//! from them in SQL needs them as columns. They are kept beside the form whenever it is entered
//! or corrected (and the first publication's day when it is published), and filled here for the
//! inspections made before. They repeat what the form says, so the audit log's record of an
//! inspection (which hashes the form) leaves them out.

use super::m20261123_000001_directories::{index, text_null};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000030_inspection_facts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let table = || Table::alter().table(Alias::new("inspections")).to_owned();
        m.alter_table(table().add_column(text_null("conclusion")).to_owned()).await?;
        for date in ["ended_on", "published_on"] {
            let column = ColumnDef::new(Alias::new(date)).date().null().to_owned();
            m.alter_table(table().add_column(column).to_owned()).await?;
        }
        let referred = ColumnDef::new(Alias::new("referred")).boolean().null().to_owned();
        m.alter_table(table().add_column(referred).to_owned()).await?;
        m.create_index(index("inspections", "inspections_status_ended", &["status", "ended_on"])).await?;

        let db = m.get_connection();
        let backend = db.get_database_backend();
        let forms = db
            .query_all(Statement::from_string(
                backend,
                "SELECT id, form FROM inspections WHERE form IS NOT NULL",
            ))
            .await?;
        for row in forms {
            let id: i64 = row.try_get("", "id")?;
            let form: String = row.try_get("", "form")?;
            // What `workflow::inspections::InspectionFacts` keeps, read as plain JSON: a form saved
            // by an earlier release may lack a field added since.
            let Ok(form) = serde_json::from_str::<serde_json::Value>(&form) else { continue };
            let conclusion = form["conclusion"].as_str().map(str::to_owned);
            let ended_on = form["ended_on"].as_str().and_then(|d| d.parse::<chrono::NaiveDate>().ok());
            let referred = form["handling"]["referred_to"].as_str().is_some_and(|r| !r.trim().is_empty());
            let mut update = Query::update();
            update
                .table(Alias::new("inspections"))
                .value(Alias::new("conclusion"), conclusion)
                .value(Alias::new("ended_on"), ended_on)
                .value(Alias::new("referred"), referred)
                .and_where(Expr::col(Alias::new("id")).eq(id));
            m.exec_stmt(update).await?;
        }
        let first = db
            .query_all(Statement::from_string(
                backend,
                "SELECT inspection_id, MIN(published_at) AS first FROM publications GROUP BY inspection_id",
            ))
            .await?;
        for row in first {
            let id: i64 = row.try_get("", "inspection_id")?;
            let at: chrono::DateTime<chrono::Utc> = row.try_get("", "first")?;
            let mut update = Query::update();
            update
                .table(Alias::new("inspections"))
                .value(Alias::new("published_on"), crate::audit::china_day(at))
                .and_where(Expr::col(Alias::new("id")).eq(id));
            m.exec_stmt(update).await?;
        }
        Ok(())
    }
}

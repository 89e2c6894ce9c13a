//! Inspectors' training (执法人员培训): each course an inspector took, with its day and hours.

use super::m20261123_000001_directories::{id, index, int, table, text, time};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000019_trainings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            "trainings",
            vec![
                id(),
                text("cert_no"),
                text("course"),
                ColumnDef::new(Alias::new("held_on")).date().not_null().to_owned(),
                int("hours"),
                text("provider"),
                text("created_by"),
                time("created_at"),
            ],
        ))
        .await?;
        m.create_index(index("trainings", "trainings_cert_no", &["cert_no", "held_on"])).await
    }
}

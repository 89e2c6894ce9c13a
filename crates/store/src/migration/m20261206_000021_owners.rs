//! Who owns a task and a target. A task names its department (主办部门), the one whose staff
//! run it; a target may name the department that keeps its record (管理部门), when the bureau
//! does not keep one shared directory. Both are new columns, empty for the rows made before:
//! a task made before is its first named department's, as it always was; a target made before
//! is the whole bureau's. Rows keep their content hashes (the audit log leaves an added
//! column out while it is null).

use super::m20261123_000001_directories::text_null;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000021_owners"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["tasks", "targets"] {
            let column = text_null("department");
            m.alter_table(Table::alter().table(Alias::new(table)).add_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

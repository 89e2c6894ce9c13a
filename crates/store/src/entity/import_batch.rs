use sea_orm::entity::prelude::*;

/// One import of a file into a list.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub list: String,
    pub file_name: String,
    pub file_sha256: String,
    pub actor: String,
    pub at: DateTimeUtc,
    pub rows: i64,
    pub added: i64,
    pub changed: i64,
    pub unchanged: i64,
    pub retired: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

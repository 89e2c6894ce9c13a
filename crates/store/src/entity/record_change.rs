use sea_orm::entity::prelude::*;

/// One changed field of one directory record: who, when, old → new.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "record_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `targets`, `inspectors`, `items` or `recusals`.
    pub list: String,
    /// The record's key (`cert_no|uscc` for a recusal).
    pub record_key: String,
    /// The column's code name.
    pub field: String,
    /// As the list shows it (Chinese labels); `None` when the record did not exist.
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub actor: String,
    pub at: DateTimeUtc,
    pub batch_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

/// An entry on a public list (see `crate::credit::lists`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "list_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `major_violations` or `wage_arrears`.
    pub list: String,
    pub penalty_id: i64,
    pub uscc: String,
    pub target_name: String,
    pub legal_rep: String,
    pub address: String,
    /// JSON list of kind codes.
    pub kinds: String,
    pub facts: String,
    pub handling: String,
    pub decided_on: Date,
    /// `proposed`, `notified`, `listed` or `removed`.
    pub status: String,
    pub due_on: Option<Date>,
    pub notified_on: Option<Date>,
    pub statement_due: Option<Date>,
    pub statement: Option<String>,
    pub listed_on: Option<Date>,
    pub term_end: Option<Date>,
    pub removed_on: Option<Date>,
    /// `repaired` or `expired`.
    pub removal: Option<String>,
    pub removal_reason: Option<String>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_by: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

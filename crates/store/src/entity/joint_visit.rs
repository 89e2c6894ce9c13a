use sea_orm::entity::prelude::*;

/// One firm's joint visit: the two tasks' inspections of it, made by one team.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "joint_visits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub merge_id: i64,
    pub uscc: String,
    /// The merging task's inspection.
    pub inspection_id: i64,
    /// The other task's.
    pub with_inspection_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

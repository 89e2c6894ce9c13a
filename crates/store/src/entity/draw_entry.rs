use sea_orm::entity::prelude::*;

/// A selected or reserve entity of a draw, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "draw_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub draw_id: i64,
    pub task_id: i64,
    pub year: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub rank: i64,
    pub uscc: String,
    pub stratum: String,
    /// `selected`, `reserve`, `gone` or `replacement`; for the control sample's entries, ranked
    /// after the draw's, `control` or `control_over_limit` (found at a yearly limit at the draw).
    pub state: String,
    pub counts_to_cap: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

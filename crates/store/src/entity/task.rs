use sea_orm::entity::prelude::*;

/// 抽查任务, its definition as JSON and, once published, its commitment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub plan_id: Option<i64>,
    pub year: i64,
    pub title: String,
    pub kind: String,
    pub definition: String,
    pub status: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub population_sha256: Option<String>,
    pub population_size: Option<i64>,
    pub at_cap: Option<i64>,
    /// The bureau's rules (suiji_domain::rules::Rules) as JSON: those in force when the task
    /// was last saved, frozen when it is published; none for tasks made before they were kept.
    pub rules: Option<String>,
    /// The plan line it carries out, if any (of the plan `plan_id`).
    pub plan_line_id: Option<i64>,
    /// The department that runs it (主办部门); none for a task made before tasks named one,
    /// which is its first named department's.
    pub department: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

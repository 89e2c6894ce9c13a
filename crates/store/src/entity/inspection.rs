use sea_orm::entity::prelude::*;

/// One target's inspection by its team.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inspections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub task_id: i64,
    pub assignment_id: i64,
    pub rank: i64,
    pub uscc: String,
    pub target_name: String,
    /// `assigned`, `entered`, `returned`, `published` or `annulled`.
    pub status: String,
    /// The form (suiji_domain::workflow::InspectionForm) as JSON, once entered.
    pub form: Option<String>,
    pub review_comment: Option<String>,
    pub publish_by: Option<Date>,
    pub updated_by: Option<String>,
    pub updated_at: Option<DateTimeUtc>,
    /// The organizer who approved the entered result for publication, and when.
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTimeUtc>,
    /// A follow-up (复查): the rectification it checks.
    pub follow_up_of: Option<i64>,
    /// What the form says, kept beside it for the statistics (see
    /// [crate::workflow::InspectionFacts]): its conclusion's code, the day the inspection
    /// ended, whether the case was referred; and the day the result was first published.
    pub conclusion: Option<String>,
    pub ended_on: Option<Date>,
    pub referred: Option<bool>,
    pub published_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

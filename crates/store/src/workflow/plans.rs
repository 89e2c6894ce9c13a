//! 年度抽查计划: a department's plan for a year, drafted, then published on the portal.

use super::WorkflowError;
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::plan;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use serde_json::json;
use suiji_domain::workflow::Invalid;

/// What a plan is made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    #[schemars(range(min = 2000, max = 2100))]
    pub year: i32,
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_NAME))]
    pub department: String,
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_NAME))]
    pub title: String,
    #[serde(default)]
    #[schemars(length(max = suiji_domain::text::MAX_TEXT))]
    pub description: String,
}

impl NewPlan {
    fn check(&self) -> Vec<Invalid> {
        use suiji_domain::text::Shape::{Name, Text};
        let mut out = Vec::new();
        suiji_domain::workflow::check_texts(
            &mut out,
            &[
                ("department", &self.department, Name),
                ("title", &self.title, Name),
                ("description", &self.description, Text),
            ],
        );
        if !(2000..=2100).contains(&self.year) {
            out.push(Invalid::new("year", "年度应为 2000–2100", "the year is 2000 to 2100"));
        }
        if self.department.trim().is_empty() {
            out.push(Invalid::new("department", "部门不能为空", "the department is required"));
        }
        if self.title.trim().is_empty() {
            out.push(Invalid::new("title", "计划名称不能为空", "the title is required"));
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PlanView {
    pub id: i64,
    pub year: i32,
    pub department: String,
    pub title: String,
    pub description: String,
    /// `draft` or `published`.
    pub status: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

fn view(m: plan::Model) -> PlanView {
    PlanView {
        id: m.id,
        year: m.year as i32,
        department: m.department,
        title: m.title,
        description: m.description,
        status: m.status,
        created_by: m.created_by,
        created_at: m.created_at,
        published_at: m.published_at,
    }
}

/// Adds a plan (`id` None) or changes a draft one.
pub async fn save_plan(
    store: &Store,
    id: Option<i64>,
    new: &NewPlan,
    actor: &Actor,
) -> Result<PlanView, WorkflowError> {
    let problems = new.check();
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let txn = audit::begin(store).await?;
    let now = Utc::now();
    let (model, action) = match id {
        None => {
            let m = plan::ActiveModel {
                year: Set(i64::from(new.year)),
                department: Set(new.department.trim().to_owned()),
                title: Set(new.title.trim().to_owned()),
                description: Set(new.description.trim().to_owned()),
                status: Set("draft".into()),
                created_by: Set(actor.name.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                published_at: Set(None),
                ..Default::default()
            };
            (m.insert(&txn).await?, "plan.add")
        }
        Some(id) => {
            let old = plan::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| missing(id))?;
            if old.status != "draft" {
                return Err(WorkflowError::state(
                    "计划已公布，不能修改",
                    "the plan is published and cannot be changed",
                ));
            }
            let mut m: plan::ActiveModel = old.into();
            m.year = Set(i64::from(new.year));
            m.department = Set(new.department.trim().to_owned());
            m.title = Set(new.title.trim().to_owned());
            m.description = Set(new.description.trim().to_owned());
            m.updated_at = Set(now);
            (m.update(&txn).await?, "plan.update")
        }
    };
    let touched = [Touched::one(&records::PLANS, model.id)];
    audit::append_touching(&txn, actor, action, &format!("plan/{}", model.id), json!(new), &touched).await?;
    txn.commit().await?;
    Ok(view(model))
}

fn missing(id: i64) -> WorkflowError {
    WorkflowError::not_found(format!("没有编号为 {id} 的计划"), format!("no plan {id}"))
}

/// Publishes a draft plan on the portal.
pub async fn publish_plan(store: &Store, id: i64, actor: &Actor) -> Result<PlanView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let old = plan::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| missing(id))?;
    if old.status != "draft" {
        return Err(WorkflowError::state("计划已公布", "the plan is already published"));
    }
    let mut m: plan::ActiveModel = old.into();
    m.status = Set("published".into());
    m.published_at = Set(Some(Utc::now()));
    let model = m.update(&txn).await?;
    let touched = [Touched::one(&records::PLANS, id)];
    audit::append_touching(
        &txn,
        actor,
        "plan.publish",
        &format!("plan/{id}"),
        json!({"title": model.title}),
        &touched,
    )
    .await?;
    txn.commit().await?;
    audit::checkpoints::after_publication(store).await;
    Ok(view(model))
}

/// Plans, newest year first; only published ones when `public`.
pub async fn plans(store: &Store, public: bool) -> Result<Vec<PlanView>, StoreError> {
    let mut q = plan::Entity::find().order_by_desc(plan::Column::Year).order_by_asc(plan::Column::Id);
    if public {
        q = q.filter(plan::Column::Status.eq("published"));
    }
    Ok(q.all(store.connection()).await?.into_iter().map(view).collect())
}

pub async fn plan(store: &Store, id: i64) -> Result<PlanView, WorkflowError> {
    Ok(view(plan::Entity::find_by_id(id).one(store.connection()).await?.ok_or_else(|| missing(id))?))
}

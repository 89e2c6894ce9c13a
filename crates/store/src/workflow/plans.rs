//! 年度抽查计划: a department's plan for a year, as lines (an item, how many, when, with whom),
//! drafted by the department, submitted to the 牵头科室, approved or returned with a comment,
//! then published; the published plans of a year are the bureau's annual plan on the portal.
//! Tasks name the line they carry out, and a plan's execution counts those tasks' progress.
//!
//! Scope: a department's staff (`own` = its name) draft and submit only their department's
//! plans; the 牵头科室 (`own` = None) drafts any and alone approves, returns and publishes.

use super::WorkflowError;
use super::progress::{TaskProgress, progress};
use super::tasks::{departments_in, item_facts};
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{plan, plan_line, task};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use suiji_domain::text::Shape;
use suiji_domain::workflow::{Invalid, PlanLine, PlanStatus, PlanStep, check_lines, common_industries};

/// What a plan is made of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    #[schemars(range(min = 2000, max = 2100))]
    pub year: i32,
    /// The department whose plan it is (抽查主体), one of the organisation's in use.
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_NAME))]
    pub department: String,
    #[schemars(length(min = 1, max = suiji_domain::text::MAX_NAME))]
    pub title: String,
    #[serde(default)]
    #[schemars(length(max = suiji_domain::text::MAX_TEXT))]
    pub description: String,
    /// What it plans, item by item.
    #[serde(default)]
    #[schemars(length(max = suiji_domain::workflow::MAX_LINES))]
    pub lines: Vec<PlanLine>,
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
            return out;
        }
        if self.department.trim().is_empty() {
            out.push(Invalid::new("department", "部门不能为空", "the department is required"));
        }
        if self.title.trim().is_empty() {
            out.push(Invalid::new("title", "计划名称不能为空", "the title is required"));
        }
        out.extend(check_lines(&self.lines, self.year));
        out
    }
}

/// A line as shown: its number for tasks to name, and its item's name beside the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PlanLineView {
    pub id: i64,
    /// Its place in the plan, from 1.
    pub position: i64,
    pub item_name: String,
    #[serde(flatten)]
    pub line: PlanLine,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PlanView {
    pub id: i64,
    pub year: i32,
    pub department: String,
    pub title: String,
    pub description: String,
    pub status: PlanStatus,
    /// The 牵头科室's comment on its last approval or return.
    pub review_comment: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub lines: Vec<PlanLineView>,
}

fn view(m: plan::Model, lines: Vec<PlanLineView>) -> PlanView {
    PlanView {
        id: m.id,
        year: m.year as i32,
        department: m.department,
        title: m.title,
        description: m.description,
        status: PlanStatus::parse(&m.status).unwrap_or(PlanStatus::Draft),
        review_comment: m.review_comment,
        created_by: m.created_by,
        created_at: m.created_at,
        published_at: m.published_at,
        lines,
    }
}

/// The lines of the plans `ids`, by plan, in their order, with their items' names.
async fn lines_of(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<PlanLineView>>, WorkflowError> {
    let rows = plan_line::Entity::find()
        .filter(plan_line::Column::PlanId.is_in(ids.iter().copied()))
        .order_by_asc(plan_line::Column::PlanId)
        .order_by_asc(plan_line::Column::Position)
        .all(db)
        .await?;
    let mut codes: Vec<String> = rows.iter().map(|r| r.item_code.clone()).collect();
    codes.sort();
    codes.dedup();
    let names: HashMap<String, String> =
        item_facts(db, &codes).await?.into_iter().map(|i| (i.code, i.name)).collect();
    let mut out: HashMap<i64, Vec<PlanLineView>> = HashMap::new();
    for r in rows {
        let joint = super::parse_json("a plan line's departments", &r.joint_departments)?;
        out.entry(r.plan_id).or_default().push(PlanLineView {
            id: r.id,
            position: r.position,
            item_name: names.get(&r.item_code).cloned().unwrap_or_default(),
            line: PlanLine {
                item: r.item_code,
                expected_count: r.expected_count.and_then(|n| u32::try_from(n).ok()),
                expected_ratio_bp: r.expected_ratio_bp.and_then(|n| u32::try_from(n).ok()),
                window_start: r.window_start,
                window_end: r.window_end,
                joint_departments: joint,
                note: r.note,
                industries: r
                    .industries
                    .map(|i| i.split_whitespace().map(str::to_owned).collect())
                    .unwrap_or_default(),
            },
        });
    }
    Ok(out)
}

async fn viewed(db: &impl ConnectionTrait, m: plan::Model) -> Result<PlanView, WorkflowError> {
    let lines = lines_of(db, &[m.id]).await?.remove(&m.id).unwrap_or_default();
    Ok(view(m, lines))
}

/// Refuses a department's staff a plan of another department.
fn within(own: Option<&str>, department: &str) -> Result<(), WorkflowError> {
    match own {
        Some(d) if d != department => Err(WorkflowError::Forbidden {
            zh: format!("只能编制和报送本部门（{d}）的计划"),
            en: format!("only your own department's ({d}) plans"),
        }),
        _ => Ok(()),
    }
}

/// The plan's department and lines against the organisation and the item list: each line's
/// item on the list and in use, each joint department in use and not the plan's own.
async fn check_against(db: &impl ConnectionTrait, new: &NewPlan) -> Result<Vec<Invalid>, WorkflowError> {
    let mut out = Vec::new();
    let departments = departments_in(db).await?;
    let department = new.department.trim();
    if !department.is_empty() && !departments.iter().any(|d| d == department) {
        out.push(Invalid::new(
            "department",
            format!("“{department}”不是本局组织机构中在用的部门"),
            format!("{department} is not a department of the bureau in use"),
        ));
    }
    let codes: Vec<String> = new.lines.iter().map(|l| l.item.trim().to_owned()).collect();
    let items = item_facts(db, &codes).await?;
    for (i, line) in new.lines.iter().enumerate() {
        let n = i + 1;
        if !items.iter().any(|f| f.code == line.item.trim() && f.active) {
            out.push(Invalid::new(
                &format!("lines[{n}].item"),
                format!("第 {n} 行：没有在用的抽查事项“{}”", line.item),
                format!("line {n}: no item {} in use", line.item),
            ));
        }
        for d in &line.joint_departments {
            if d.trim() == department || !departments.iter().any(|k| k == d.trim()) {
                out.push(Invalid::new(
                    &format!("lines[{n}].joint_departments"),
                    format!("第 {n} 行：“{d}”不是可联合的部门（须是本局在用的其他部门）"),
                    format!("line {n}: {d} is not another department of the bureau in use"),
                ));
            }
        }
    }
    Ok(out)
}

/// Writes `lines` as the plan's, in place of those it had.
async fn put_lines(db: &impl ConnectionTrait, plan_id: i64, lines: &[PlanLine]) -> Result<(), WorkflowError> {
    plan_line::Entity::delete_many().filter(plan_line::Column::PlanId.eq(plan_id)).exec(db).await?;
    if lines.is_empty() {
        return Ok(());
    }
    let rows = lines.iter().enumerate().map(|(i, l)| {
        let mut joint: Vec<String> = l.joint_departments.iter().map(|d| d.trim().to_owned()).collect();
        joint.dedup();
        plan_line::ActiveModel {
            plan_id: Set(plan_id),
            position: Set(i as i64 + 1),
            item_code: Set(l.item.trim().to_owned()),
            expected_count: Set(l.expected_count.map(i64::from)),
            expected_ratio_bp: Set(l.expected_ratio_bp.map(i64::from)),
            window_start: Set(l.window_start),
            window_end: Set(l.window_end),
            joint_departments: Set(serde_json::to_string(&joint).expect("names serialise")),
            note: Set(l.note.trim().to_owned()),
            industries: Set(Some(l.industries.join(" ")).filter(|i| !i.is_empty())),
            ..Default::default()
        }
    });
    plan_line::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Adds a plan (`id` None) or changes one its department may still change (a draft, or one
/// returned). `own`: the department the actor is confined to (see the module's note).
pub async fn save_plan(
    store: &Store,
    id: Option<i64>,
    new: &NewPlan,
    actor: &Actor,
    own: Option<&str>,
) -> Result<PlanView, WorkflowError> {
    // Industry codes are written with capital section letters (e47 is E47), each once.
    let mut new = new.clone();
    for l in &mut new.lines {
        let mut seen = HashSet::new();
        l.industries = std::mem::take(&mut l.industries)
            .into_iter()
            .map(|i| i.trim().to_uppercase())
            .filter(|i| !i.is_empty() && seen.insert(i.clone()))
            .collect();
    }
    let new = &new;
    let problems = new.check();
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    within(own, new.department.trim())?;
    let txn = audit::begin(store).await?;
    let problems = check_against(&txn, new).await?;
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let now = crate::clock::now();
    let (model, action) = match id {
        None => {
            let m = plan::ActiveModel {
                year: Set(i64::from(new.year)),
                department: Set(new.department.trim().to_owned()),
                title: Set(new.title.trim().to_owned()),
                description: Set(new.description.trim().to_owned()),
                status: Set(PlanStatus::Draft.code().into()),
                created_by: Set(actor.name.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                published_at: Set(None),
                review_comment: Set(None),
                ..Default::default()
            };
            (m.insert(&txn).await?, "plan.add")
        }
        Some(id) => {
            let old = find(&txn, id).await?;
            within(own, &old.department)?;
            let status = PlanStatus::parse(&old.status).unwrap_or(PlanStatus::Draft);
            if !status.editable() {
                return Err(WorkflowError::state(
                    format!("计划{}，不能修改", status.zh()),
                    format!("the plan is {} and cannot be changed", status.en()),
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
    put_lines(&txn, model.id, &new.lines).await?;
    let touched = [Touched::one(&records::PLANS, model.id)];
    audit::append_touching(&txn, actor, action, &format!("plan/{}", model.id), json!(new), &touched).await?;
    let out = viewed(&txn, model).await?;
    txn.commit().await?;
    Ok(out)
}

async fn find(db: &impl ConnectionTrait, id: i64) -> Result<plan::Model, WorkflowError> {
    plan::Entity::find_by_id(id).one(db).await?.ok_or_else(|| missing(id))
}

fn missing(id: i64) -> WorkflowError {
    WorkflowError::not_found(format!("没有编号为 {id} 的计划"), format!("no plan {id}"))
}

/// Takes a step of the plan's approval (see [`PlanStep`]), with a comment (a return must say
/// why). The steps of the 牵头科室 are refused to an actor confined to a department.
pub async fn plan_step(
    store: &Store,
    id: i64,
    step: PlanStep,
    comment: &str,
    actor: &Actor,
    own: Option<&str>,
) -> Result<PlanView, WorkflowError> {
    let comment = comment.trim();
    suiji_domain::workflow::texts(&[("comment", comment, Shape::Text)]).map_err(WorkflowError::Invalid)?;
    if step.needs_comment() && comment.is_empty() {
        return Err(WorkflowError::invalid("comment", "退回须写明理由", "a return says why"));
    }
    if step.by_lead_office() && own.is_some() {
        return Err(WorkflowError::Forbidden {
            zh: format!("{}由牵头科室办理", step.zh()),
            en: format!("the lead office takes the step {}", step.en()),
        });
    }
    let txn = audit::begin(store).await?;
    let old = find(&txn, id).await?;
    within(own, &old.department)?;
    let from = PlanStatus::parse(&old.status).unwrap_or(PlanStatus::Draft);
    let to = step.apply(from).map_err(|(zh, en)| WorkflowError::state(zh, en))?;
    if step == PlanStep::Submit
        && plan_line::Entity::find().filter(plan_line::Column::PlanId.eq(id)).one(&txn).await?.is_none()
    {
        return Err(WorkflowError::state(
            "计划还没有抽查事项，请先填写计划内容再报送",
            "the plan has no lines yet: fill it in before submitting it",
        ));
    }
    let mut m: plan::ActiveModel = old.into();
    m.status = Set(to.code().into());
    m.updated_at = Set(crate::clock::now());
    match step {
        PlanStep::Approve | PlanStep::Return => m.review_comment = Set(Some(comment.to_owned())),
        PlanStep::Publish => m.published_at = Set(Some(crate::clock::now())),
        PlanStep::Submit => {}
    }
    let model = m.update(&txn).await?;
    let touched = [Touched::one(&records::PLANS, id)];
    audit::append_touching(
        &txn,
        actor,
        &format!("plan.{}", step.code()),
        &format!("plan/{id}"),
        json!({"title": model.title, "comment": comment}),
        &touched,
    )
    .await?;
    let out = viewed(&txn, model).await?;
    txn.commit().await?;
    if step == PlanStep::Publish {
        audit::checkpoints::after_publication(store).await;
    }
    Ok(out)
}

/// Publishes an approved plan on the portal.
pub async fn publish_plan(store: &Store, id: i64, actor: &Actor) -> Result<PlanView, WorkflowError> {
    plan_step(store, id, PlanStep::Publish, "", actor, None).await
}

/// Plans, newest year first; only published ones when `public`.
pub async fn plans(store: &Store, public: bool) -> Result<Vec<PlanView>, StoreError> {
    let statuses: &[PlanStatus] = if public { &[PlanStatus::Published] } else { &[] };
    plans_with(store.connection(), statuses, None).await.map_err(|e| match e {
        WorkflowError::Store(e) => e,
        other => StoreError::Db(sea_orm::DbErr::Custom(other.to_string())),
    })
}

/// Plans of the given statuses (any when none) and year (any when `None`), newest year first,
/// with their lines.
async fn plans_with(
    db: &impl ConnectionTrait,
    statuses: &[PlanStatus],
    year: Option<i32>,
) -> Result<Vec<PlanView>, WorkflowError> {
    let mut q = plan::Entity::find().order_by_desc(plan::Column::Year).order_by_asc(plan::Column::Id);
    if !statuses.is_empty() {
        q = q.filter(plan::Column::Status.is_in(statuses.iter().map(|s| s.code())));
    }
    if let Some(y) = year {
        q = q.filter(plan::Column::Year.eq(y));
    }
    let models = q.all(db).await?;
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut lines = lines_of(db, &ids).await?;
    Ok(models
        .into_iter()
        .map(|m| {
            let l = lines.remove(&m.id).unwrap_or_default();
            view(m, l)
        })
        .collect())
}

/// Refuses an actor confined to a department (`own`) the plan `id` of another: what the steps
/// and changes check before reading what they are sent.
pub async fn plan_in_reach(store: &Store, id: i64, own: Option<&str>) -> Result<(), WorkflowError> {
    if own.is_some() {
        within(own, &find(store.connection(), id).await?.department)?;
    }
    Ok(())
}

pub async fn plan(store: &Store, id: i64) -> Result<PlanView, WorkflowError> {
    let db = store.connection();
    viewed(db, find(db, id).await?).await
}

/// How far one line has come: its tasks' progress added up, beside what was planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LineExecution {
    pub line_id: i64,
    pub position: i64,
    pub item: String,
    pub item_name: String,
    pub expected_count: Option<u32>,
    pub expected_ratio_bp: Option<u32>,
    /// The tasks carrying it out: their codes.
    pub tasks: Vec<String>,
    /// Tasks published (their population committed) or further.
    pub tasks_published: u64,
    /// Targets eligible in those tasks' committed populations.
    pub eligible: u64,
    pub drawn: u64,
    /// Results entered or published.
    pub inspected: u64,
    pub published: u64,
    pub overdue: u64,
}

/// The plan's execution, line by line: what its tasks have done against what was planned.
pub async fn execution(store: &Store, plan: &PlanView) -> Result<Vec<LineExecution>, WorkflowError> {
    let all: Vec<TaskProgress> = progress(store).await?;
    Ok(plan
        .lines
        .iter()
        .map(|l| {
            let mine: Vec<&TaskProgress> = all.iter().filter(|p| p.task.plan_line_id == Some(l.id)).collect();
            let sum = |f: fn(&TaskProgress) -> u64| mine.iter().map(|p| f(p)).sum();
            LineExecution {
                line_id: l.id,
                position: l.position,
                item: l.line.item.clone(),
                item_name: l.item_name.clone(),
                expected_count: l.line.expected_count,
                expected_ratio_bp: l.line.expected_ratio_bp,
                tasks: mine.iter().map(|p| p.task.code.clone()).collect(),
                tasks_published: mine.iter().filter(|p| p.task.population_size.is_some()).count() as u64,
                eligible: sum(|p| p.task.population_size.map_or(0, |n| u64::try_from(n).unwrap_or(0))),
                drawn: sum(|p| p.drawn),
                inspected: sum(|p| p.entered),
                published: sum(|p| p.published),
                overdue: sum(|p| p.overdue),
            }
        })
        .collect())
}

/// Where a task is placed in the plans: a line of a plan the 牵头科室 has approved, whose item
/// the task inspects (the plan is the line's); or a plan alone, as before plans had lines.
/// Returns the plan, the line and the plan's department, or the problems.
pub(crate) async fn place_task(
    db: &impl ConnectionTrait,
    plan_id: Option<i64>,
    line_id: Option<i64>,
    items: &[String],
) -> Result<(Option<i64>, Option<i64>, Option<String>), Vec<Invalid>> {
    let problem = |field: &str, zh: String, en: String| vec![Invalid::new(field, zh, en)];
    let Some(line_id) = line_id else {
        if let Some(p) = plan_id {
            return match plan::Entity::find_by_id(p).one(db).await {
                Ok(Some(plan)) => Ok((plan_id, None, Some(plan.department))),
                _ => Err(problem("plan_id", format!("没有编号为 {p} 的计划"), format!("no plan {p}"))),
            };
        }
        return Ok((plan_id, None, None));
    };
    let no_line = || {
        problem("plan_line_id", format!("没有编号为 {line_id} 的计划事项"), format!("no plan line {line_id}"))
    };
    let Ok(Some(line)) = plan_line::Entity::find_by_id(line_id).one(db).await else {
        return Err(no_line());
    };
    if plan_id.is_some_and(|p| p != line.plan_id) {
        return Err(problem(
            "plan_line_id",
            format!("计划事项 {line_id} 不属于计划 {}", plan_id.unwrap_or_default()),
            format!("plan line {line_id} is not of plan {}", plan_id.unwrap_or_default()),
        ));
    }
    let Ok(Some(p)) = plan::Entity::find_by_id(line.plan_id).one(db).await else {
        return Err(no_line());
    };
    if !PlanStatus::parse(&p.status).is_some_and(PlanStatus::in_force) {
        return Err(problem(
            "plan_line_id",
            format!("计划“{}”尚未审核通过，任务不能据以实施", p.title),
            format!("the plan {} is not approved yet", p.title),
        ));
    }
    if !items.contains(&line.item_code) {
        return Err(problem(
            "plan_line_id",
            format!("任务的抽查事项中没有该计划事项（{}）", line.item_code),
            format!("the task does not inspect the line's item {}", line.item_code),
        ));
    }
    Ok((Some(line.plan_id), Some(line.id), Some(p.department)))
}

/// One line of a pair offered for a joint task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct OfferedLine {
    pub plan_id: i64,
    pub plan_title: String,
    pub department: String,
    pub line_id: i64,
    pub position: i64,
    pub item: String,
    pub item_name: String,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    /// Its kind of firms (industry code prefixes); none: every kind.
    pub industries: Vec<String>,
}

/// 综合查一次 at the plans: two departments' lines of one year that inspect the same kind of
/// firms in overlapping periods ([`PlanLine::meets`]), neither joint with the other's department
/// nor carried out by a task yet — offered to the 牵头科室, as it combines the plans, for one
/// joint task instead of two visits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct JointOffer {
    pub year: i32,
    pub lines: [OfferedLine; 2],
    /// The period both lines cover.
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    /// The kind of firms both inspect: the narrower industry prefixes; none: every kind.
    pub industries: Vec<String>,
}

/// The most offers listed.
pub const MAX_JOINT_OFFERS: usize = 200;

/// The pairs of lines the plans being combined (submitted, approved or published) offer for a
/// joint task, newest year first, in plan and line order (at most [`MAX_JOINT_OFFERS`]).
pub async fn joint_offers(store: &Store, year: Option<i32>) -> Result<Vec<JointOffer>, WorkflowError> {
    let db = store.connection();
    let combined = [PlanStatus::Submitted, PlanStatus::Approved, PlanStatus::Published];
    let plans = plans_with(db, &combined, year).await?;
    // A line a task carries out is being done: the time to join it has passed.
    let carried: HashSet<i64> = task::Entity::find()
        .select_only()
        .column(task::Column::PlanLineId)
        .filter(task::Column::PlanLineId.is_not_null())
        .into_tuple::<Option<i64>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let open: Vec<(&PlanView, &PlanLineView)> = plans
        .iter()
        .flat_map(|p| p.lines.iter().map(move |l| (p, l)))
        .filter(|(_, l)| !carried.contains(&l.id))
        .collect();
    let offered = |p: &PlanView, l: &PlanLineView| OfferedLine {
        plan_id: p.id,
        plan_title: p.title.clone(),
        department: p.department.clone(),
        line_id: l.id,
        position: l.position,
        item: l.line.item.clone(),
        item_name: l.item_name.clone(),
        window_start: l.line.window_start,
        window_end: l.line.window_end,
        industries: l.line.industries.clone(),
    };
    let mut out = Vec::new();
    for (i, &(pa, la)) in open.iter().enumerate() {
        for &(pb, lb) in &open[i + 1..] {
            let (a, b) = (&la.line, &lb.line);
            let joint_already =
                a.joint_departments.contains(&pb.department) || b.joint_departments.contains(&pa.department);
            if pa.year != pb.year || pa.department == pb.department || joint_already || !a.meets(b) {
                continue;
            }
            out.push(JointOffer {
                year: pa.year,
                lines: [offered(pa, la), offered(pb, lb)],
                window_start: a.window_start.max(b.window_start),
                window_end: a.window_end.min(b.window_end),
                industries: common_industries(&a.industries, &b.industries).unwrap_or_default(),
            });
            if out.len() == MAX_JOINT_OFFERS {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

//! 合并检查 (综合查一次, 进一次门、查多项事): the firms two tasks will both visit in the same
//! weeks get one visit. Each firm keeps one inspection a task — its own items, its own result
//! published under its own task — but one joint team, drawn under `suiji-assign/1` over the
//! union of the two assignments' published pools with each department's quota (the larger of
//! the two tasks' asks), less those who can no longer serve and those recused, with the seed
//! `<seed A>+<seed B>/merge`. One form enters both; the ledger counts one visit.

use super::draws::valid_draw;
use super::tasks::{find, owner, rules_of};
use super::teams::{Member, pool, pool_csv, published_pool, recusals, recusals_csv, target_names};
use super::{WorkflowError, parse_json};
use crate::Store;
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{assignment, inspection, inspection_member, joint_visit, merge, task};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Condition;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};
use suiji_domain::workflow::{Invalid, TaskDefinition, TaskStatus, TeamSpec};
use suiji_draw::{AssignmentDocument, merge_teams};

/// The most firms one merge takes.
pub const MAX_MERGE_TARGETS: usize = 1_000;

/// One firm's joint visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct JointVisitView {
    pub uscc: String,
    pub name: String,
    /// The merging task's inspection and the other task's.
    pub inspection_id: i64,
    pub with_inspection_id: i64,
    /// The joint team (certificate number, name), leader first.
    pub members: Vec<(String, String)>,
}

/// A merge of two tasks' visits.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MergeView {
    pub id: i64,
    pub task_id: i64,
    pub task_code: String,
    pub task_title: String,
    pub department: String,
    pub with_task_id: i64,
    pub with_task_code: String,
    pub with_task_title: String,
    pub with_department: String,
    /// `<seed A>+<seed B>/merge`.
    pub seed: String,
    /// The joint teams (`suiji-assign/1`), the firms in the order drawn.
    pub document: AssignmentDocument,
    /// The pool and recusals the teams were drawn from, as published.
    pub inspectors_csv: String,
    pub recusals_csv: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub visits: Vec<JointVisitView>,
}

/// The other half of an inspection's joint visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct JointPartner {
    pub merge_id: i64,
    pub inspection_id: i64,
    pub task_id: i64,
    pub task_code: String,
    pub task_title: String,
}

/// How many of each department a task's team asks for: a joint team its quotas, a plain one
/// its size from the running department.
fn quota_of(def: &TaskDefinition, department: &str) -> BTreeMap<String, u32> {
    match &def.team {
        TeamSpec::Joint(counts) => counts.clone(),
        TeamSpec::Size(n) => BTreeMap::from([(department.to_owned(), *n)]),
    }
}

/// A task that may merge: teams made, its draw valid.
struct Side {
    task: task::Model,
    def: TaskDefinition,
    department: String,
    seed: String,
    assignment: assignment::Model,
}

async fn side(db: &impl ConnectionTrait, id: i64) -> Result<Side, WorkflowError> {
    let task = find(db, id).await?;
    if task.status != TaskStatus::Assigned.code() {
        return Err(WorkflowError::state(
            format!("任务 {} 尚未选派检查组：两项任务都选派后才能合并检查", task.code),
            format!("task {} has no teams yet: both tasks need teams before they merge", task.code),
        ));
    }
    let def: TaskDefinition = parse_json("a task's definition", &task.definition)?;
    let department = owner(task.department.clone(), &def);
    let draw = valid_draw(db, id)
        .await?
        .ok_or_else(|| WorkflowError::state("任务没有有效的抽取", "the task has no valid draw"))?;
    let assignment = assignment::Entity::find()
        .filter(assignment::Column::TaskId.eq(id))
        .filter(assignment::Column::Status.eq("valid"))
        .one(db)
        .await?
        .ok_or_else(|| WorkflowError::state("任务没有有效的选派", "the task has no valid assignment"))?;
    Ok(Side { task, def, department, seed: draw.seed, assignment })
}

/// Merges task `task_id`'s visits to `targets` with task `with`'s: one joint team a firm.
pub async fn merge_visits(
    store: &Store,
    task_id: i64,
    with: i64,
    targets: &[String],
    actor: &Actor,
) -> Result<MergeView, WorkflowError> {
    let mut usccs: Vec<String> = targets.iter().map(|t| t.trim().to_uppercase()).collect();
    let mut problems = Vec::new();
    if with == task_id {
        problems.push(Invalid::new("with", "不能与本任务自身合并", "a task does not merge with itself"));
    }
    if usccs.is_empty() || usccs.len() > MAX_MERGE_TARGETS {
        problems.push(Invalid::new(
            "targets",
            format!("须列出 1 至 {MAX_MERGE_TARGETS} 户检查对象"),
            format!("name 1 to {MAX_MERGE_TARGETS} targets"),
        ));
    }
    for u in &usccs {
        suiji_domain::workflow::check_texts(
            &mut problems,
            &[("targets", u, suiji_domain::text::Shape::Code)],
        );
    }
    let distinct: HashSet<&String> = usccs.iter().collect();
    if distinct.len() != usccs.len() {
        problems.push(Invalid::new("targets", "检查对象有重复", "a target is named twice"));
    }
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let txn = audit::begin(store).await?;
    let a = side(&txn, task_id).await?;
    let b = side(&txn, with).await?;
    if a.def.window_start > b.def.window_end || b.def.window_start > a.def.window_end {
        return Err(WorkflowError::state(
            format!("{} 与 {} 的实施期限不重叠，不能合并检查", a.task.code, b.task.code),
            format!("{} and {} have no days in common: they cannot merge", a.task.code, b.task.code),
        ));
    }
    // Each firm's two inspections: the assignments' own teams, not yet entered, not merged.
    let mut pairs: Vec<(inspection::Model, inspection::Model)> = Vec::new();
    let inspections_of = |assignment_id: i64| {
        inspection::Entity::find()
            .filter(inspection::Column::AssignmentId.eq(assignment_id))
            .filter(inspection::Column::FollowUpOf.is_null())
            .filter(inspection::Column::Uscc.is_in(usccs.clone()))
    };
    let ours: HashMap<String, inspection::Model> =
        inspections_of(a.assignment.id).all(&txn).await?.into_iter().map(|i| (i.uscc.clone(), i)).collect();
    let theirs: HashMap<String, inspection::Model> =
        inspections_of(b.assignment.id).all(&txn).await?.into_iter().map(|i| (i.uscc.clone(), i)).collect();
    let ids: Vec<i64> = ours.values().chain(theirs.values()).map(|i| i.id).collect();
    let joined: HashSet<i64> = joint_visit::Entity::find()
        .filter(
            Condition::any()
                .add(joint_visit::Column::InspectionId.is_in(ids.clone()))
                .add(joint_visit::Column::WithInspectionId.is_in(ids.clone())),
        )
        .all(&txn)
        .await?
        .into_iter()
        .flat_map(|j| [j.inspection_id, j.with_inspection_id])
        .collect();
    for u in &usccs {
        match (ours.get(u), theirs.get(u)) {
            (Some(x), Some(y)) => {
                if x.status != "assigned" || y.status != "assigned" {
                    problems.push(Invalid::new(
                        "targets",
                        format!("{u} 的检查结果已录入，不能再合并"),
                        format!("{u}: a result is entered, the visits no longer merge"),
                    ));
                } else if joined.contains(&x.id) || joined.contains(&y.id) {
                    problems.push(Invalid::new(
                        "targets",
                        format!("{u} 已合并检查"),
                        format!("{u} is already in a joint visit"),
                    ));
                } else {
                    pairs.push((x.clone(), y.clone()));
                }
            }
            _ => problems.push(Invalid::new(
                "targets",
                format!("{u} 不是两项任务都抽中并已选派的检查对象"),
                format!("{u} is not a target both tasks drew and assigned"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    // In the merging task's rank order.
    pairs.sort_by_key(|(x, _)| x.rank);
    usccs = pairs.iter().map(|(x, _)| x.uscc.clone()).collect();
    // Each department's quota: the larger of the two tasks' asks.
    let mut quota = quota_of(&a.def, &a.department);
    for (d, n) in quota_of(&b.def, &b.department) {
        let e = quota.entry(d).or_insert(0);
        *e = (*e).max(n);
    }
    // The union of the published pools, of the quota's departments, who can serve through the
    // later window's end (or today, if later) and are trained as the stricter rules ask.
    let departments: Vec<String> = quota.keys().cloned().collect();
    let until = a.def.window_end.max(b.def.window_end).max(super::china_today());
    let training = rules_of(&a.task)?.training_months.max(rules_of(&b.task)?.training_months);
    let mut published: HashSet<String> = HashSet::new();
    for a in [&a.assignment, &b.assignment] {
        published.extend(published_pool(&a.inspectors_csv)?.into_iter().map(|i| i.id));
    }
    let members: Vec<Member> = pool(&txn, &departments, until, training)
        .await?
        .into_iter()
        .filter(|m| published.contains(&m.cert_no))
        .collect();
    let recused = recusals(&txn, &members, &usccs).await?;
    let inspectors: Vec<suiji_draw::Inspector> = members
        .iter()
        .map(|m| suiji_draw::Inspector { id: m.cert_no.clone(), department: m.department.clone() })
        .collect();
    let targets: Vec<&str> = usccs.iter().map(String::as_str).collect();
    let document = merge_teams(&a.seed, &b.seed, &targets, &inspectors, &recused, &quota).map_err(|e| {
        WorkflowError::state(
            format!("无法组成联合检查组：{e}（两项任务的人员名单中可用 {} 人）", members.len()),
            format!("cannot make the joint teams: {e} ({} inspectors available)", members.len()),
        )
    })?;
    let now = crate::clock::now();
    let m = merge::ActiveModel {
        task_id: Set(task_id),
        with_task_id: Set(with),
        seed: Set(document.seed.clone()),
        document: Set(serde_json::to_string(&document).expect("an assignment document serialises")),
        inspectors_csv: Set(pool_csv(&members)),
        recusals_csv: Set(recusals_csv(&recused)),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let names: HashMap<&str, &str> = members.iter().map(|m| (m.cert_no.as_str(), m.name.as_str())).collect();
    let mut touched = Vec::new();
    for ((x, y), team) in pairs.iter().zip(&document.teams) {
        joint_visit::ActiveModel {
            merge_id: Set(m.id),
            uscc: Set(x.uscc.clone()),
            inspection_id: Set(x.id),
            with_inspection_id: Set(y.id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        // Both inspections get the joint team: its members enter and publish each.
        for id in [x.id, y.id] {
            inspection_member::Entity::delete_many()
                .filter(inspection_member::Column::InspectionId.eq(id))
                .exec(&txn)
                .await?;
            let rows =
                team.inspectors.iter().enumerate().map(|(position, cert)| inspection_member::ActiveModel {
                    inspection_id: Set(id),
                    cert_no: Set(cert.clone()),
                    name: Set(names.get(cert.as_str()).copied().unwrap_or_default().to_owned()),
                    position: Set(position as i64),
                });
            inspection_member::Entity::insert_many(rows).exec(&txn).await?;
            touched.push(id);
        }
    }
    audit::append_touching(
        &txn,
        actor,
        "tasks.merge",
        &format!("task/{}/merge/{}", a.task.code, m.id),
        json!({"with": b.task.code, "targets": usccs, "seed": document.seed, "quota": quota,
               "teams": document.teams, "pool": members.len(), "recusals": recused.len()}),
        &[Touched::one(&records::MERGES, m.id), Touched::new(&records::INSPECTIONS, touched)],
    )
    .await?;
    txn.commit().await?;
    audit::checkpoints::after_publication(store).await;
    merge_by_id(store, m.id).await
}

async fn view(db: &impl ConnectionTrait, m: merge::Model) -> Result<MergeView, WorkflowError> {
    let (a, b) = (find(db, m.task_id).await?, find(db, m.with_task_id).await?);
    let (da, db_): (TaskDefinition, TaskDefinition) = (
        parse_json("a task's definition", &a.definition)?,
        parse_json("a task's definition", &b.definition)?,
    );
    let rows = joint_visit::Entity::find()
        .filter(joint_visit::Column::MergeId.eq(m.id))
        .order_by_asc(joint_visit::Column::Id)
        .all(db)
        .await?;
    let usccs: Vec<String> = rows.iter().map(|r| r.uscc.clone()).collect();
    let names = target_names(db, &usccs).await?;
    let mut members: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    let ids: Vec<i64> = rows.iter().map(|r| r.inspection_id).collect();
    for chunk in ids.chunks(500) {
        for mm in inspection_member::Entity::find()
            .filter(inspection_member::Column::InspectionId.is_in(chunk.to_vec()))
            .order_by_asc(inspection_member::Column::Position)
            .all(db)
            .await?
        {
            members.entry(mm.inspection_id).or_default().push((mm.cert_no, mm.name));
        }
    }
    Ok(MergeView {
        document: parse_json("a merge's document", &m.document)?,
        id: m.id,
        task_id: a.id,
        department: owner(a.department.clone(), &da),
        task_code: a.code,
        task_title: a.title,
        with_task_id: b.id,
        with_department: owner(b.department.clone(), &db_),
        with_task_code: b.code,
        with_task_title: b.title,
        seed: m.seed,
        inspectors_csv: m.inspectors_csv,
        recusals_csv: m.recusals_csv,
        created_by: m.created_by,
        created_at: m.created_at,
        visits: rows
            .into_iter()
            .map(|r| JointVisitView {
                name: names.get(&r.uscc).cloned().unwrap_or_default(),
                members: members.remove(&r.inspection_id).unwrap_or_default(),
                uscc: r.uscc,
                inspection_id: r.inspection_id,
                with_inspection_id: r.with_inspection_id,
            })
            .collect(),
    })
}

/// One merge.
pub async fn merge_by_id(store: &Store, id: i64) -> Result<MergeView, WorkflowError> {
    let db = store.connection();
    let m = merge::Entity::find_by_id(id).one(db).await?.ok_or_else(|| {
        WorkflowError::not_found(format!("没有编号为 {id} 的合并检查"), format!("no merge {id}"))
    })?;
    view(db, m).await
}

/// The merges a task takes part in, either side, oldest first.
pub async fn merges_of_task(store: &Store, task_id: i64) -> Result<Vec<MergeView>, WorkflowError> {
    let db = store.connection();
    let mut out = Vec::new();
    for m in merge::Entity::find()
        .filter(
            Condition::any()
                .add(merge::Column::TaskId.eq(task_id))
                .add(merge::Column::WithTaskId.eq(task_id)),
        )
        .order_by_asc(merge::Column::Id)
        .all(db)
        .await?
    {
        out.push(view(db, m).await?);
    }
    Ok(out)
}

/// The other inspection of inspection `id`'s joint visit, if it is in one.
pub(crate) async fn partner(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<JointPartner>, WorkflowError> {
    let Some(j) = joint_visit::Entity::find()
        .filter(
            Condition::any()
                .add(joint_visit::Column::InspectionId.eq(id))
                .add(joint_visit::Column::WithInspectionId.eq(id)),
        )
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let other = if j.with_inspection_id == id { j.inspection_id } else { j.with_inspection_id };
    let Some(i) = inspection::Entity::find_by_id(other).one(db).await? else { return Ok(None) };
    // The other task's draw annulled: this inspection goes on alone, with the joint team.
    if i.status == "annulled" {
        return Ok(None);
    }
    let t = find(db, i.task_id).await?;
    Ok(Some(JointPartner {
        merge_id: j.merge_id,
        inspection_id: other,
        task_id: t.id,
        task_code: t.code,
        task_title: t.title,
    }))
}

/// What one visit's form holds: its task's items and window, and for a joint visit (合并检查)
/// the other task's items too (those it does not share) and the days both windows have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormScope {
    pub items: Vec<String>,
    pub window: (chrono::NaiveDate, chrono::NaiveDate),
    pub partner: Option<JointPartner>,
}

/// Inspection `id`'s [`FormScope`].
pub async fn form_scope(store: &Store, id: i64) -> Result<FormScope, WorkflowError> {
    let db = store.connection();
    let i = inspection::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| WorkflowError::not_found(format!("没有检查 {id}"), format!("no inspection {id}")))?;
    let def: TaskDefinition = parse_json("a task's definition", &find(db, i.task_id).await?.definition)?;
    let mut scope = FormScope {
        items: def.items,
        window: (def.window_start, def.window_end),
        partner: partner(db, id).await?,
    };
    if let Some(p) = &scope.partner {
        let other: TaskDefinition =
            parse_json("a task's definition", &find(db, p.task_id).await?.definition)?;
        for code in other.items {
            if !scope.items.contains(&code) {
                scope.items.push(code);
            }
        }
        scope.window = (scope.window.0.max(other.window_start), scope.window.1.min(other.window_end));
    }
    Ok(scope)
}

/// The other half of inspection `id`'s joint visit (合并检查), if it is in one.
pub async fn joint_partner(store: &Store, id: i64) -> Result<Option<JointPartner>, WorkflowError> {
    partner(store.connection(), id).await
}

/// A joint visit as the ledger counts it: the firm, the merging task (whose line counts the
/// visit) and the task merged with (whose line does not).
pub(crate) struct Halves {
    pub(crate) uscc: String,
    pub(crate) first: i64,
    pub(crate) second: i64,
}

/// The joint visits (of one firm, or of all) whose two inspections both stand: an annulled half
/// leaves the other a visit of its own.
pub(crate) async fn joint_halves(
    db: &impl ConnectionTrait,
    uscc: Option<&str>,
) -> Result<Vec<Halves>, WorkflowError> {
    let mut q = joint_visit::Entity::find();
    if let Some(u) = uscc {
        q = q.filter(joint_visit::Column::Uscc.eq(u));
    }
    let rows = q.all(db).await?;
    let ids: Vec<i64> = rows.iter().flat_map(|j| [j.inspection_id, j.with_inspection_id]).collect();
    let mut task_of: HashMap<i64, i64> = HashMap::new();
    for chunk in ids.chunks(500) {
        for i in inspection::Entity::find()
            .filter(inspection::Column::Id.is_in(chunk.to_vec()))
            .filter(inspection::Column::Status.ne("annulled"))
            .all(db)
            .await?
        {
            task_of.insert(i.id, i.task_id);
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(|j| {
            let (first, second) = (*task_of.get(&j.inspection_id)?, *task_of.get(&j.with_inspection_id)?);
            Some(Halves { uscc: j.uscc, first, second })
        })
        .collect())
}

/// The firms task `task_id` can merge now, by the other task: both sides have teams, neither
/// result is entered, and neither visit is merged already (its overlaps at stage `assigned`).
pub async fn mergeable(store: &Store, task_id: i64) -> Result<Vec<Mergeable>, WorkflowError> {
    if find(store.connection(), task_id).await?.status != TaskStatus::Assigned.code() {
        return Ok(Vec::new());
    }
    let mut out: Vec<Mergeable> = Vec::new();
    for o in super::overlaps(store, task_id).await?.overlaps.into_iter().filter(|o| o.status == "assigned") {
        match out.iter_mut().find(|m| m.task_id == o.task_id) {
            Some(m) => m.targets.push(o.uscc),
            None => out.push(Mergeable { task_id: o.task_id, task_code: o.task_code, targets: vec![o.uscc] }),
        }
    }
    Ok(out)
}

/// Another task's visits a task can merge with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Mergeable {
    pub task_id: i64,
    pub task_code: String,
    pub targets: Vec<String>,
}

impl MergeView {
    /// The other task of the merge, seen from task `task_id`: (number, code, title, department).
    /// (`task_id` by reference: templates pass their arguments so.)
    pub fn other_side(&self, task_id: &i64) -> (i64, &str, &str, &str) {
        if self.task_id == *task_id {
            (self.with_task_id, &self.with_task_code, &self.with_task_title, &self.with_department)
        } else {
            (self.task_id, &self.task_code, &self.task_title, &self.department)
        }
    }
}

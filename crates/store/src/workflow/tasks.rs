//! 抽查任务 in the store: drafts, the preview of what publishing commits to, and publishing —
//! which freezes the population (`id,weight,stratum` per eligible target) and its SHA-256
//! before any seed exists.

use super::{WorkflowError, csv_field, parse_json};
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{draw_entry, task, task_population};
use crate::{Store, StoreError};
use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use suiji_domain::directory::{ItemCategory, ItemScope};
use suiji_domain::rules::Rules;
use suiji_domain::workflow::{
    ItemFacts, LimitNote, LimitNotes, MAX_NOTES, Preview, TargetFacts, TaskDefinition, TaskStatus,
};

/// A task as pages and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TaskView {
    pub id: i64,
    pub code: String,
    pub plan_id: Option<i64>,
    /// The plan line it carries out (of the plan `plan_id`).
    pub plan_line_id: Option<i64>,
    /// The department that runs it (主办部门).
    pub department: String,
    pub year: i32,
    pub definition: TaskDefinition,
    pub status: TaskStatus,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// The commitment, once published.
    pub population_sha256: Option<String>,
    pub population_size: Option<i64>,
    /// Targets left out because they had reached the yearly cap when the task was published.
    pub at_cap: Option<i64>,
    /// The bureau's rules the task is made under: frozen when it is published (a task made
    /// before they were kept has the defaults it was made under).
    pub rules: Rules,
}

impl TaskView {
    /// The task as the public sees it: the trigger's kind, never the staff's words on it nor
    /// the leads it took up (a complainant, a summary stay private).
    pub fn public(mut self) -> TaskView {
        self.definition.trigger.clear();
        self.definition.leads.clear();
        self
    }
}

fn view(m: task::Model) -> Result<TaskView, WorkflowError> {
    let definition: TaskDefinition = parse_json("a task's definition", &m.definition)?;
    Ok(TaskView {
        rules: rules_of(&m)?,
        department: owner(m.department, &definition),
        definition,
        status: TaskStatus::parse(&m.status).unwrap_or(TaskStatus::Draft),
        id: m.id,
        code: m.code,
        plan_id: m.plan_id,
        plan_line_id: m.plan_line_id,
        year: m.year as i32,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        published_at: m.published_at,
        population_sha256: m.population_sha256,
        population_size: m.population_size,
        at_cap: m.at_cap,
    })
}

/// The department running a task: the one it names, or — for a task made before tasks named
/// one — its first department taking part, which led it then.
pub(crate) fn owner(named: Option<String>, def: &TaskDefinition) -> String {
    named.unwrap_or_else(|| def.departments.first().cloned().unwrap_or_default())
}

/// The department running a stored task (see [`owner`]).
fn department_of(m: &task::Model) -> Result<String, WorkflowError> {
    let def: TaskDefinition = parse_json("a task's definition", &m.definition)?;
    Ok(owner(m.department.clone(), &def))
}

/// Refuses one kept to its department (`own`) a task of another department — and one kept to
/// no department (an account of a 业务科室 not yet placed in one) every task.
fn task_within(own: Option<&str>, department: &str) -> Result<(), WorkflowError> {
    match own {
        Some("") => Err(WorkflowError::Forbidden {
            zh: "账号尚未归属部门，不能编制和实施抽查任务".into(),
            en: "the account belongs to no department: it runs no task".into(),
        }),
        Some(d) if d != department => Err(WorkflowError::Forbidden {
            zh: format!("只能编制和实施本部门（{d}）的抽查任务"),
            en: format!("only your own department's ({d}) tasks"),
        }),
        _ => Ok(()),
    }
}

/// Whether one kept to its department (`own`; `None`: the whole bureau) may act on task `id`.
pub async fn task_in_reach(store: &Store, id: i64, own: Option<&str>) -> Result<(), WorkflowError> {
    if own.is_some() {
        task_within(own, &department_of(&find(store.connection(), id).await?)?)?;
    }
    Ok(())
}

/// Whether one kept to its department may act on draw `id` (its task's department decides).
pub async fn draw_in_reach(store: &Store, id: i64, own: Option<&str>) -> Result<(), WorkflowError> {
    if own.is_some() {
        let Some(d) = crate::entity::draw::Entity::find_by_id(id).one(store.connection()).await? else {
            return Err(WorkflowError::not_found(format!("没有编号为 {id} 的抽取"), format!("no draw {id}")));
        };
        task_in_reach(store, d.task_id, own).await?;
    }
    Ok(())
}

/// Whether one kept to its department may act on inspection `id` (its task's department).
pub async fn inspection_in_reach(store: &Store, id: i64, own: Option<&str>) -> Result<(), WorkflowError> {
    if own.is_some() {
        let Some(i) = crate::entity::inspection::Entity::find_by_id(id).one(store.connection()).await? else {
            return Err(WorkflowError::not_found(format!("没有检查 {id}"), format!("no inspection {id}")));
        };
        task_in_reach(store, i.task_id, own).await?;
    }
    Ok(())
}

/// The rules a task records; the defaults for one made before tasks recorded them.
pub(crate) fn rules_of(m: &task::Model) -> Result<Rules, WorkflowError> {
    match m.rules.as_deref() {
        Some(r) => parse_json("a task's rules", r),
        None => Ok(Rules::default()),
    }
}

/// The rules of the task numbered `task_id` (see [`rules_of`]).
pub(crate) async fn task_rules(db: &impl ConnectionTrait, task_id: i64) -> Result<Rules, WorkflowError> {
    rules_of(&find(db, task_id).await?)
}

/// The rules a task goes by: those it recorded once published, the settings' until then.
pub(crate) async fn rules_for(db: &impl ConnectionTrait, m: &task::Model) -> Result<Rules, WorkflowError> {
    if m.status == TaskStatus::Draft.code() {
        Ok(crate::settings::load_in(db).await?.rules)
    } else {
        rules_of(m)
    }
}

pub(super) fn missing(what: &str) -> WorkflowError {
    WorkflowError::not_found(format!("没有任务 {what}"), format!("no task {what}"))
}

pub(super) async fn find(db: &impl ConnectionTrait, id: i64) -> Result<task::Model, WorkflowError> {
    task::Entity::find_by_id(id).one(db).await?.ok_or_else(|| missing(&id.to_string()))
}

/// The task's items as the rules need them, in the task's order (a code not in the list is
/// left out, and the check names it).
pub(crate) async fn item_facts(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<Vec<ItemFacts>, WorkflowError> {
    let mut q = Query::select();
    q.from(Alias::new("items"))
        .columns(["code", "name", "category", "min_ratio_bp", "status", "scope"].map(Alias::new))
        .and_where(Expr::col(Alias::new("code")).is_in(codes.iter().cloned()));
    let mut out = Vec::new();
    for row in db.query_all(db.get_database_backend().build(&q)).await? {
        let category: String = row.try_get("", "category")?;
        let min_ratio_bp: Option<i64> = row.try_get("", "min_ratio_bp")?;
        let status: String = row.try_get("", "status")?;
        let scope: Option<String> = row.try_get("", "scope")?;
        out.push(ItemFacts {
            scope: scope.as_deref().and_then(ItemScope::parse).unwrap_or(ItemScope::Both),
            code: row.try_get("", "code")?,
            name: row.try_get("", "name")?,
            category: ItemCategory::parse(&category).unwrap_or(ItemCategory::General),
            min_ratio_bp: min_ratio_bp.and_then(|bp| u32::try_from(bp).ok()),
            active: status == "active",
        });
    }
    out.sort_by_key(|i| codes.iter().position(|c| *c == i.code));
    Ok(out)
}

/// A task's items as the item list has them (retired ones too), in the task's order.
pub async fn task_items(store: &Store, codes: &[String]) -> Result<Vec<ItemFacts>, WorkflowError> {
    item_facts(store.connection(), codes).await
}

/// The items' names, in the task's order.
pub(super) async fn item_names(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<Vec<String>, WorkflowError> {
    Ok(item_facts(db, codes).await?.into_iter().map(|i| i.name).collect())
}

/// One entity of the population a task would draw from.
pub(super) struct Entity {
    pub uscc: String,
    pub weight: u32,
    pub stratum: String,
}

/// Who a task may draw: the active targets its filters admit, less those at a yearly limit the
/// task is held to ([`TaskDefinition::limit_reached`]; a triggered task's exemption keeps
/// them), and what the limits did, for its preview.
async fn eligible(
    db: &impl ConnectionTrait,
    def: &TaskDefinition,
    rules: &Rules,
) -> Result<(Vec<Entity>, LimitNotes), WorkflowError> {
    let counts = super::ledger::year_counts(db, def.window_start.year()).await?;
    let mut q = Query::select();
    q.from(Alias::new("targets"))
        .columns(
            ["uscc", "name", "kind", "scale", "industry", "region", "credit_grade", "risk_class"]
                .map(Alias::new),
        )
        .and_where(Expr::col(Alias::new("status")).eq("active"));
    let (mut entities, mut notes) = (Vec::new(), LimitNotes::default());
    for row in db.query_all(db.get_database_backend().build(&q)).await? {
        let t = TargetFacts {
            uscc: row.try_get("", "uscc")?,
            kind: row.try_get("", "kind")?,
            scale: row.try_get("", "scale")?,
            industry: row.try_get("", "industry")?,
            region: row.try_get("", "region")?,
            credit_grade: row.try_get("", "credit_grade")?,
            risk_class: row.try_get("", "risk_class")?,
        };
        if !def.eligibility.admits(&t) {
            continue;
        }
        let count = counts.get(&t.uscc).copied().unwrap_or_default();
        if let Some((over, exempted)) = def.limit_reached(count, rules) {
            if notes.over.len() < MAX_NOTES {
                let name = row.try_get("", "name")?;
                notes.over.push(LimitNote { uscc: t.uscc.clone(), name, over, exempted });
            }
            if !exempted {
                notes.left_out += 1;
                continue;
            }
        }
        entities.push(Entity { weight: def.weight(&t), stratum: def.stratum(&t), uscc: t.uscc });
    }
    let usccs: Vec<String> = entities.iter().map(|e| e.uscc.clone()).collect();
    (notes.recent, notes.recent_count) =
        super::ledger::recent_notes(db, &usccs, super::china_today(), rules.recent_days, MAX_NOTES).await?;
    Ok((entities, notes))
}

pub(super) fn strata(entities: &[Entity]) -> BTreeMap<String, u64> {
    let mut strata = BTreeMap::new();
    for e in entities {
        *strata.entry(e.stratum.clone()).or_insert(0) += 1;
    }
    strata
}

/// What publishing `def` now would commit to.
pub async fn preview(store: &Store, def: &TaskDefinition) -> Result<Preview, WorkflowError> {
    let db = store.connection();
    let items = item_facts(db, &def.items).await?;
    let rules = crate::settings::load_in(db).await?.rules;
    Ok(preview_with(db, def, &items, &rules).await?.0)
}

/// What publishing a task would commit to: a draft under the rules in force, a published one
/// under its own.
pub async fn preview_task(store: &Store, id: i64) -> Result<Preview, WorkflowError> {
    let db = store.connection();
    let m = find(db, id).await?;
    let rules = rules_for(db, &m).await?;
    let def: TaskDefinition = parse_json("a task's definition", &m.definition)?;
    let items = item_facts(db, &def.items).await?;
    Ok(preview_with(db, &def, &items, &rules).await?.0)
}

/// The preview of `def` and the population it would commit to.
async fn preview_with(
    db: &impl ConnectionTrait,
    def: &TaskDefinition,
    items: &[ItemFacts],
    rules: &Rules,
) -> Result<(Preview, Vec<Entity>), WorkflowError> {
    let (entities, notes) = eligible(db, def, rules).await?;
    Ok((def.preview(items, strata(&entities), notes, rules), entities))
}

/// The rules as the task's row keeps them.
fn rules_json(rules: &Rules) -> Option<String> {
    Some(serde_json::to_string(rules).expect("rules serialise"))
}

/// Where a task is filed and who runs it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filing<'a> {
    /// Made from its year when none is given: `T-2026-001`, `T-2026-002`, …
    pub code: Option<&'a str>,
    pub plan_id: Option<i64>,
    /// The line of an approved plan it carries out (the plan is the line's).
    pub plan_line: Option<i64>,
    /// The department that runs it (主办部门). When none is given: the department of one kept
    /// to its own, else the plan's, else the first department taking part.
    pub department: Option<&'a str>,
}

impl Filing<'_> {
    /// Carrying out a plan's line.
    pub fn line(line: i64) -> Filing<'static> {
        Filing { plan_line: Some(line), ..Filing::default() }
    }

    /// Filed under a plan.
    pub fn plan(plan: i64) -> Filing<'static> {
        Filing { plan_id: Some(plan), ..Filing::default() }
    }
}

/// Adds a draft task (`id` None) or changes a draft. It may carry out a line of an approved
/// plan, or be filed under a plan alone. One kept to its department (`own`) adds and changes
/// only its department's tasks, under its department's plans.
pub async fn save_task(
    store: &Store,
    id: Option<i64>,
    filing: &Filing<'_>,
    def: &TaskDefinition,
    actor: &Actor,
    own: Option<&str>,
) -> Result<TaskView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let old = match id {
        Some(id) => Some(find(&txn, id).await?),
        None => None,
    };
    if let Some(old) = &old {
        task_within(own, &department_of(old)?)?;
    }
    let items = item_facts(&txn, &def.items).await?;
    let rules = crate::settings::load_in(&txn).await?.rules;
    let mut problems = def.check(&items, &rules);
    let (plan_id, plan_line, plan_department) =
        match super::plans::place_task(&txn, filing.plan_id, filing.plan_line, &def.items).await {
            Ok(placed) => placed,
            Err(p) => {
                problems.extend(p);
                (filing.plan_id, filing.plan_line, None)
            }
        };
    let department = filing
        .department
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .or(own)
        .or(plan_department.as_deref().filter(|d| !d.is_empty()))
        .or(def.departments.first().map(String::as_str))
        .unwrap_or_default()
        .to_owned();
    task_within(own, &department)?;
    if let Some(p) = plan_department.as_deref().filter(|_| own.is_some()) {
        if own != Some(p) {
            return Err(WorkflowError::Forbidden {
                zh: format!("只能在本部门的计划下编制任务（该计划属于{p}）"),
                en: format!("only under your own department's plans (the plan is {p}'s)"),
            });
        }
    }
    // A task's departments are the organisation's, in use (the bureau itself aside).
    let known = departments_in(&txn).await?;
    for d in def.departments.iter().filter(|d| !known.contains(*d)) {
        problems.push(suiji_domain::workflow::Invalid::new(
            "departments",
            format!("“{d}”不是本局组织机构中在用的部门"),
            format!("{d} is not a department of the bureau in use"),
        ));
    }
    if !department.is_empty() && !known.contains(&department) {
        problems.push(suiji_domain::workflow::Invalid::new(
            "department",
            format!("主办部门“{department}”不是本局组织机构中在用的部门"),
            format!("the running department {department} is not a department of the bureau in use"),
        ));
    }
    // The leads it takes up: registered, within reach, not another task's; its kind of
    // trigger one of theirs.
    match super::leads::leads_of_task(&txn, &def.leads, id, own).await {
        Ok(leads) => {
            if let Some(kind) = def.trigger_kind
                && !leads.is_empty()
                && !leads.iter().any(|l| l.source == kind.code())
            {
                problems.push(suiji_domain::workflow::Invalid::new(
                    "trigger_kind",
                    format!("触发类型“{}”与所关联线索的来源不符", kind.zh()),
                    format!("no lead of the task is a {}", kind.en()),
                ));
            }
        }
        Err(p) => problems.extend(p),
    }
    let code = filing.code.map(str::trim).filter(|c| !c.is_empty());
    if let Some(c) = code
        && !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
    {
        problems.push(suiji_domain::workflow::Invalid::new(
            "code",
            "任务编号只能包含字母、数字、横线和下划线",
            "a task code is letters, digits, '-' and '_'",
        ));
    }
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let year = def.window_start.year();
    let now = crate::clock::now();
    let definition = serde_json::to_string(def).expect("a definition serialises");
    let (model, action) = match old {
        None => {
            let code = match code {
                Some(c) => c.to_owned(),
                None => next_code(&txn, year).await?,
            };
            if task::Entity::find().filter(task::Column::Code.eq(&code)).one(&txn).await?.is_some() {
                return Err(WorkflowError::invalid(
                    "code",
                    format!("任务编号 {code} 已存在"),
                    format!("task code {code} is taken"),
                ));
            }
            let m = task::ActiveModel {
                code: Set(code),
                plan_id: Set(plan_id),
                plan_line_id: Set(plan_line),
                department: Set(Some(department.clone())),
                year: Set(i64::from(year)),
                title: Set(def.title.trim().to_owned()),
                kind: Set(serde_json::to_value(def.kind)
                    .expect("a kind serialises")
                    .as_str()
                    .unwrap_or("random")
                    .to_owned()),
                definition: Set(definition),
                rules: Set(rules_json(&rules)),
                status: Set(TaskStatus::Draft.code().into()),
                created_by: Set(actor.name.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            (m.insert(&txn).await?, "task.add")
        }
        Some(old) => {
            if old.status != TaskStatus::Draft.code() {
                return Err(WorkflowError::state(
                    "任务已公布，不能修改",
                    "the task is published and cannot be changed",
                ));
            }
            let mut m: task::ActiveModel = old.into();
            m.plan_id = Set(plan_id);
            m.plan_line_id = Set(plan_line);
            m.department = Set(Some(department.clone()));
            m.year = Set(i64::from(year));
            m.title = Set(def.title.trim().to_owned());
            m.kind = Set(serde_json::to_value(def.kind)
                .expect("a kind serialises")
                .as_str()
                .unwrap_or("random")
                .to_owned());
            m.definition = Set(definition);
            m.rules = Set(rules_json(&rules));
            m.updated_at = Set(now);
            (m.update(&txn).await?, "task.update")
        }
    };
    audit::append_touching(
        &txn,
        actor,
        action,
        &format!("task/{}", model.code),
        json!({"plan_id": plan_id, "plan_line_id": plan_line, "department": department, "definition": def}),
        &[Touched::one(&records::TASKS, model.id)],
    )
    .await?;
    txn.commit().await?;
    view(model)
}

/// The next free `T-YEAR-NNN`: after the year's count, skipping codes a deleted draft's gap
/// leaves taken further on.
async fn next_code(db: &impl ConnectionTrait, year: i32) -> Result<String, WorkflowError> {
    let mut n = task::Entity::find().filter(task::Column::Year.eq(i64::from(year))).count(db).await? + 1;
    loop {
        let code = format!("T-{year}-{n:03}");
        if task::Entity::find().filter(task::Column::Code.eq(&code)).one(db).await?.is_none() {
            return Ok(code);
        }
        n += 1;
    }
}

/// Deletes a draft task (one made twice, or not wanted): nothing was committed to for it yet.
/// A published task is never deleted — it is annulled through its draw, on the record.
pub async fn delete_draft(store: &Store, id: i64, actor: &Actor) -> Result<String, WorkflowError> {
    let txn = audit::begin(store).await?;
    let old = find(&txn, id).await?;
    if old.status != TaskStatus::Draft.code() {
        return Err(WorkflowError::state(
            "只能删除草稿；已公布的任务不能删除",
            "only a draft may be deleted; a published task stays on the record",
        ));
    }
    task::Entity::delete_by_id(id).exec(&txn).await?;
    audit::append_touching(
        &txn,
        actor,
        "task.delete",
        &format!("task/{}", old.code),
        json!({"title": old.title, "definition": serde_json::from_str::<serde_json::Value>(&old.definition).unwrap_or_default()}),
        &[Touched::one(&records::TASKS, id)],
    )
    .await?;
    txn.commit().await?;
    Ok(old.code)
}

/// Publishes a draft task: its eligible population is frozen and committed to by its SHA-256,
/// which the portal shows before the draw.
pub async fn publish_task(store: &Store, id: i64, actor: &Actor) -> Result<TaskView, WorkflowError> {
    publish_task_reporting(store, id, actor, &crate::unreported).await
}

/// [`publish_task`], telling `report` how far it has got (a province's population is frozen
/// a few thousand rows at a time).
pub async fn publish_task_reporting(
    store: &Store,
    id: i64,
    actor: &Actor,
    report: crate::Report<'_>,
) -> Result<TaskView, WorkflowError> {
    report("选出符合条件的检查对象 finding the eligible targets", 0, 0);
    let txn = audit::begin(store).await?;
    let old = find(&txn, id).await?;
    if old.status != TaskStatus::Draft.code() {
        return Err(WorkflowError::state("任务已公布", "the task is already published"));
    }
    let def: TaskDefinition = parse_json("a task's definition", &old.definition)?;
    let items = item_facts(&txn, &def.items).await?;
    // The rules in force now are the task's from here on, whatever the bureau changes later.
    let rules = crate::settings::load_in(&txn).await?.rules;
    let (preview, entities) = preview_with(&txn, &def, &items, &rules).await?;
    let at_cap = preview.at_cap;
    if !preview.problems.is_empty() {
        return Err(WorkflowError::Invalid(preview.problems));
    }
    let population = suiji_draw::Population::from_rows(
        entities.iter().map(|e| (e.uscc.as_str(), u64::from(e.weight), e.stratum.as_str())),
    )
    .map_err(|e| {
        WorkflowError::state(format!("总体无法生成：{e}"), format!("the population cannot be made: {e}"))
    })?;
    let sha256 = population.sha256().to_owned();
    // Inserted in chunks: SQLite takes at most 32,766 parameters in one statement.
    let total = entities.len() as u64;
    for (n, chunk) in entities.chunks(2_000).enumerate() {
        report("冻结总体 freezing the population", (n * 2_000) as u64, total);
        let rows = chunk.iter().map(|e| task_population::ActiveModel {
            task_id: Set(id),
            uscc: Set(e.uscc.clone()),
            weight: Set(i64::from(e.weight)),
            stratum: Set(e.stratum.clone()),
        });
        task_population::Entity::insert_many(rows).exec(&txn).await?;
    }
    report("记录留痕 recording the audit entry", total, total);
    let now = crate::clock::now();
    let mut m: task::ActiveModel = old.into();
    m.status = Set(TaskStatus::Published.code().into());
    m.published_at = Set(Some(now));
    m.updated_at = Set(now);
    m.population_sha256 = Set(Some(sha256.clone()));
    m.population_size = Set(Some(entities.len() as i64));
    m.at_cap = Set(Some(at_cap as i64));
    m.rules = Set(rules_json(&rules));
    let model = m.update(&txn).await?;
    // Its leads are taken up by it: checked again, another task may have published with one.
    let leads = super::leads::leads_of_task(&txn, &def.leads, Some(id), None)
        .await
        .map_err(WorkflowError::Invalid)?;
    let mut touched = vec![Touched::one(&records::TASKS, model.id)];
    touched.extend(super::leads::take_up(&txn, &leads.iter().map(|l| l.id).collect::<Vec<_>>(), id).await?);
    audit::append_touching(
        &txn,
        actor,
        "task.publish",
        &format!("task/{}", model.code),
        json!({"population_sha256": sha256, "population_size": entities.len(), "at_cap": at_cap, "drawn": preview.drawn, "rules": rules, "leads": def.leads}),
        &touched,
    )
    .await?;
    txn.commit().await?;
    audit::checkpoints::after_publication(store).await;
    view(model)
}

/// The committed population of a published task, as the portal offers it: CSV with the header
/// `id,weight,stratum`, rows sorted by id — the input `suiji verify` and the verify page take.
pub async fn population_csv(store: &Store, id: i64) -> Result<String, WorkflowError> {
    let rows = population_rows(store.connection(), id).await?;
    Ok(population_file(rows.iter().map(|r| (r.uscc.as_str(), r.weight, r.stratum.as_str()))))
}

/// A population file (`id,weight,stratum`) of `(id, weight, stratum)` rows, in the order given.
pub(super) fn population_file<'a>(rows: impl Iterator<Item = (&'a str, u32, &'a str)>) -> String {
    let mut out = String::from("id,weight,stratum\n");
    for (id, weight, stratum) in rows {
        out.push_str(&format!("{},{weight},{}\n", csv_field(id), csv_field(stratum)));
    }
    out
}

pub(super) async fn population_rows(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Vec<Entity>, WorkflowError> {
    let t = find(db, id).await?;
    if t.status == TaskStatus::Draft.code() {
        return Err(WorkflowError::state(
            "任务尚未公布，没有总体",
            "the task is not published: it has no population",
        ));
    }
    let rows = task_population::Entity::find()
        .filter(task_population::Column::TaskId.eq(id))
        .order_by_asc(task_population::Column::Uscc)
        .all(db)
        .await?;
    let mut rows: Vec<Entity> = rows
        .into_iter()
        .map(|r| Entity { uscc: r.uscc, weight: r.weight as u32, stratum: r.stratum })
        .collect();
    // Byte order, whatever the database's collation.
    rows.sort_by(|a, b| a.uscc.as_bytes().cmp(b.uscc.as_bytes()));
    Ok(rows)
}

/// Tasks, newest first; only those published (and beyond) when `public`; of one plan if given.
pub async fn tasks(
    store: &Store,
    public: bool,
    plan_id: Option<i64>,
) -> Result<Vec<TaskView>, WorkflowError> {
    let mut q = task::Entity::find().order_by_desc(task::Column::Id);
    if public {
        q = q.filter(task::Column::Status.ne(TaskStatus::Draft.code()));
    }
    if let Some(p) = plan_id {
        q = q.filter(task::Column::PlanId.eq(p));
    }
    q.limit(1_000).all(store.connection()).await?.into_iter().map(view).collect()
}

pub async fn task(store: &Store, id: i64) -> Result<TaskView, WorkflowError> {
    view(find(store.connection(), id).await?)
}

pub async fn task_by_code(store: &Store, code: &str) -> Result<TaskView, WorkflowError> {
    let m = task::Entity::find().filter(task::Column::Code.eq(code)).one(store.connection()).await?;
    view(m.ok_or_else(|| missing(code))?)
}

/// Whether a target counts toward the yearly cap when a task of `kind` draws it.
pub(super) fn counts_to_cap(kind: &str) -> bool {
    kind == "random"
}

/// Sets which of a draw's entries count toward the yearly cap.
pub(super) async fn set_cap_count(
    db: &impl ConnectionTrait,
    draw_id: i64,
    uscc: Option<&str>,
    counts: bool,
) -> Result<(), StoreError> {
    let mut q = draw_entry::Entity::update_many()
        .col_expr(draw_entry::Column::CountsToCap, Expr::value(counts))
        .filter(draw_entry::Column::DrawId.eq(draw_id));
    if let Some(u) = uscc {
        q = q.filter(draw_entry::Column::Uscc.eq(u));
    }
    q.exec(db).await?;
    Ok(())
}

/// The active items, for the task form's choices.
pub async fn active_items(store: &Store) -> Result<Vec<ItemFacts>, WorkflowError> {
    let db = store.connection();
    let mut q = Query::select();
    q.from(Alias::new("items"))
        .column(Alias::new("code"))
        .and_where(Expr::col(Alias::new("status")).eq("active"));
    let mut codes = Vec::new();
    for row in db.query_all(db.get_database_backend().build(&q)).await? {
        codes.push(row.try_get::<String>("", "code")?);
    }
    codes.sort();
    item_facts(db, &codes).await
}

/// The departments a task may name: the organisation's, in use, the bureau itself aside (for
/// the task form's hints).
pub async fn departments(store: &Store) -> Result<Vec<String>, WorkflowError> {
    departments_in(store.connection()).await
}

pub(crate) async fn departments_in(db: &impl ConnectionTrait) -> Result<Vec<String>, WorkflowError> {
    Ok(crate::org::in_use(db)
        .await?
        .into_iter()
        .filter(|d| d.kind != suiji_domain::org::DepartmentKind::Bureau)
        .map(|d| d.name)
        .collect())
}

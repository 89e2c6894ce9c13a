//! 线索登记: the leads that start triggered inspections (seed 002) — registered with their
//! source, day, firms, summary and files; each firm shown with its risk score; several leads on
//! one firm within a period put it on the organizer's workbench (多点触发). A lead is taken up
//! when a published triggered task names it. What a lead says stays with the staff: the public
//! learns only its kind, through the task.

use super::uploads::checked_upload;
use super::{WorkflowError, china_today};
use crate::Store;
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{lead, lead_file, lead_target, penalty};
use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use suiji_domain::workflow::{
    Invalid, LeadSource, LeadStatus, MULTI_POINT_DAYS, MULTI_POINT_LEADS, NewLead, RISK_PENALTY_YEARS,
    RiskFacts, RiskScore, risk_score,
};

/// The most leads one list shows (newest first).
pub const MAX_LEADS_LISTED: u64 = 500;

/// A firm a lead names, with its risk score today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LeadTarget {
    pub uscc: String,
    pub name: String,
    pub risk: RiskScore,
}

/// A file kept with a lead (its bytes are fetched by [`lead_file`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LeadFile {
    pub id: i64,
    pub lead_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
    #[serde(skip)]
    pub data: Vec<u8>,
}

/// A lead as the staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LeadView {
    pub id: i64,
    pub source: LeadSource,
    pub received_on: NaiveDate,
    pub reference: String,
    /// Private: never published.
    pub summary: String,
    /// The department that received it.
    pub department: String,
    pub status: LeadStatus,
    /// The published triggered task that took it up.
    pub task_id: Option<i64>,
    pub task_code: Option<String>,
    pub targets: Vec<LeadTarget>,
    pub files: Vec<LeadFile>,
    pub received_by: String,
    pub received_at: DateTime<Utc>,
    /// 不予立项: why it was closed without a task, by whom, when.
    pub closed_reason: Option<String>,
    pub closed_by: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A firm with several recent leads (多点触发).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MultiPoint {
    pub uscc: String,
    pub name: String,
    /// Leads naming it within [`MULTI_POINT_DAYS`].
    pub leads: u64,
    /// Of those, not yet taken up by a task.
    pub open: u64,
    pub last_on: NaiveDate,
    /// Its kinds of lead, each once.
    pub sources: Vec<LeadSource>,
}

fn not_found(id: i64) -> WorkflowError {
    WorkflowError::not_found(format!("没有编号为 {id} 的线索"), format!("no lead {id}"))
}

/// A 业务科室 sees and uses its own department's leads; the others every lead.
fn within(own: Option<&str>, m: &lead::Model) -> Result<(), WorkflowError> {
    match own {
        Some(d) if d != m.department => Err(WorkflowError::Forbidden {
            zh: format!("该线索由{}登记，只能处理本部门的线索", m.department),
            en: format!("the lead is {}'s: only your own department's", m.department),
        }),
        _ => Ok(()),
    }
}

/// Each firm's name and risk score on `today`, as the directory and the records have them —
/// four queries a thousand firms, however many leads are shown. A firm no longer in the
/// directory is scored on its record alone, without a name.
async fn risks(
    db: &impl ConnectionTrait,
    usccs: &[String],
    today: NaiveDate,
) -> Result<HashMap<String, (String, RiskScore)>, WorkflowError> {
    let since_penalties =
        today.checked_sub_months(Months::new(12 * RISK_PENALTY_YEARS as u32)).unwrap_or(today);
    let since_12m = today.checked_sub_months(Months::new(12)).unwrap_or(today);
    let recent = today - Duration::days(MULTI_POINT_DAYS);
    let mut facts: HashMap<String, (String, RiskFacts)> = HashMap::new();
    for chunk in usccs.chunks(1_000) {
        let mut q = Query::select();
        q.from(Alias::new("targets"))
            .columns(["uscc", "name", "credit_grade", "risk_class"].map(Alias::new))
            .and_where(Expr::col(Alias::new("uscc")).is_in(chunk.iter().cloned()));
        for row in db.query_all(db.get_database_backend().build(&q)).await? {
            let f = RiskFacts {
                credit_grade: row.try_get("", "credit_grade")?,
                risk_class: row.try_get("", "risk_class")?,
                ..RiskFacts::default()
            };
            facts.insert(row.try_get("", "uscc")?, (row.try_get("", "name")?, f));
        }
        let penalties: Vec<(String, i64)> = penalty::Entity::find()
            .select_only()
            .column(penalty::Column::Uscc)
            .column_as(penalty::Column::Id.count(), "n")
            .filter(penalty::Column::Uscc.is_in(chunk.to_vec()))
            .filter(penalty::Column::DecidedOn.gte(since_penalties))
            .group_by(penalty::Column::Uscc)
            .into_tuple()
            .all(db)
            .await?;
        for (uscc, n) in penalties {
            facts.entry(uscc).or_default().1.penalties = n as u64;
        }
        for l in lead_target::Entity::find()
            .filter(lead_target::Column::Uscc.is_in(chunk.to_vec()))
            .filter(lead_target::Column::ReceivedOn.gte(since_12m))
            .filter(lead_target::Column::ReceivedOn.lte(today))
            .all(db)
            .await?
        {
            let f = &mut facts.entry(l.uscc).or_default().1;
            f.leads_12m += 1;
            f.recent_leads += u64::from(l.received_on >= recent);
        }
    }
    Ok(usccs
        .iter()
        .map(|u| {
            let (name, f) = facts.get(u).cloned().unwrap_or_default();
            (u.clone(), (name, risk_score(&f)))
        })
        .collect())
}

/// The leads as the staff see them, in the order given: their firms with names and risk
/// scores and the codes of the tasks that took them up, read for all of them at once; the
/// files too when asked (one lead's page).
async fn views(
    db: &impl ConnectionTrait,
    models: Vec<lead::Model>,
    with_files: bool,
) -> Result<Vec<LeadView>, WorkflowError> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut firms: HashMap<i64, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(1_000) {
        for row in lead_target::Entity::find()
            .filter(lead_target::Column::LeadId.is_in(chunk.to_vec()))
            .order_by_asc(lead_target::Column::Id)
            .all(db)
            .await?
        {
            firms.entry(row.lead_id).or_default().push(row.uscc);
        }
    }
    let usccs: Vec<String> =
        firms.values().flatten().cloned().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let risks = risks(db, &usccs, china_today()).await?;
    let task_ids: Vec<i64> = models.iter().filter_map(|m| m.task_id).collect();
    let codes: HashMap<i64, String> = crate::entity::task::Entity::find()
        .filter(crate::entity::task::Column::Id.is_in(task_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.code))
        .collect();
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        let targets = firms
            .remove(&m.id)
            .unwrap_or_default()
            .into_iter()
            .map(|uscc| {
                let (name, risk) = risks
                    .get(&uscc)
                    .cloned()
                    .unwrap_or_else(|| (String::new(), risk_score(&RiskFacts::default())));
                LeadTarget { uscc, name, risk }
            })
            .collect();
        let files = if with_files {
            lead_file::Entity::find()
                .filter(lead_file::Column::LeadId.eq(m.id))
                .order_by_asc(lead_file::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(|f| LeadFile { data: Vec::new(), ..to_file(f) })
                .collect()
        } else {
            Vec::new()
        };
        out.push(LeadView {
            id: m.id,
            source: LeadSource::parse(&m.source).unwrap_or(LeadSource::Complaint),
            received_on: m.received_on,
            reference: m.reference,
            summary: m.summary,
            department: m.department,
            status: LeadStatus::parse(&m.status).unwrap_or(LeadStatus::Open),
            task_id: m.task_id,
            task_code: m.task_id.and_then(|id| codes.get(&id).cloned()),
            targets,
            files,
            received_by: m.received_by,
            received_at: m.received_at,
            closed_reason: m.closed_reason,
            closed_by: m.closed_by,
            closed_at: m.closed_at,
        });
    }
    Ok(out)
}

/// One lead as the staff see it, with its files.
async fn view(db: &impl ConnectionTrait, m: lead::Model) -> Result<LeadView, WorkflowError> {
    Ok(views(db, vec![m], true).await?.pop().expect("one lead in, one out"))
}

fn to_file(m: lead_file::Model) -> LeadFile {
    LeadFile {
        id: m.id,
        lead_id: m.lead_id,
        file_name: m.file_name,
        content_type: m.content_type,
        sha256: m.sha256,
        size: m.size,
        added_by: m.added_by,
        added_at: m.added_at,
        data: m.data,
    }
}

/// Registers a lead for `department` (the registering account's; the bureau's when it has none).
pub async fn register_lead(
    store: &Store,
    new: &NewLead,
    department: Option<&str>,
    actor: &Actor,
) -> Result<LeadView, WorkflowError> {
    let mut problems = new.check(china_today());
    let targets: Vec<String> = new.targets.iter().map(|t| t.trim().to_uppercase()).collect();
    if problems.is_empty() {
        let known = super::teams::target_names(store.connection(), &targets).await?;
        for uscc in targets.iter().filter(|u| !known.contains_key(*u)) {
            problems.push(Invalid::new(
                "targets",
                format!("检查对象名录库中没有 {uscc}"),
                format!("no target {uscc} in the directory"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let txn = audit::begin(store).await?;
    let department = match department.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => d.to_owned(),
        None => crate::settings::load_in(&txn).await?.bureau_name,
    };
    let m = lead::ActiveModel {
        source: Set(new.source.code().to_owned()),
        received_on: Set(new.received_on),
        reference: Set(new.reference.trim().to_owned()),
        summary: Set(new.summary.trim().to_owned()),
        department: Set(department.clone()),
        status: Set(LeadStatus::Open.code().to_owned()),
        task_id: Set(None),
        received_by: Set(actor.name.clone()),
        received_at: Set(crate::clock::now()),
        closed_reason: Set(None),
        closed_by: Set(None),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for uscc in &targets {
        lead_target::ActiveModel {
            lead_id: Set(m.id),
            uscc: Set(uscc.clone()),
            received_on: Set(new.received_on),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    // The log names the lead and its firms, never what it says.
    audit::append_touching(
        &txn,
        actor,
        "lead.register",
        &format!("lead/{}", m.id),
        json!({"source": new.source.code(), "received_on": new.received_on, "targets": targets, "department": department}),
        &[Touched::one(&records::LEADS, m.id)],
    )
    .await?;
    txn.commit().await?;
    view(store.connection(), m).await
}

/// One lead, with its firms' risk scores and its files.
pub async fn lead(store: &Store, id: i64, own: Option<&str>) -> Result<LeadView, WorkflowError> {
    let m = lead::Entity::find_by_id(id).one(store.connection()).await?.ok_or_else(|| not_found(id))?;
    within(own, &m)?;
    view(store.connection(), m).await
}

/// Whether lead `id` is within `own` department's reach (`None`: the whole bureau's).
pub async fn lead_in_reach(store: &Store, id: i64, own: Option<&str>) -> Result<(), WorkflowError> {
    match lead::Entity::find_by_id(id).one(store.connection()).await? {
        Some(m) => within(own, &m),
        None => Ok(()),
    }
}

/// The leads (the newest [`MAX_LEADS_LISTED`]), of one department if `own`, of one status if
/// asked.
pub async fn leads(
    store: &Store,
    own: Option<&str>,
    status: Option<LeadStatus>,
) -> Result<Vec<LeadView>, WorkflowError> {
    let mut q = lead::Entity::find();
    if let Some(d) = own {
        q = q.filter(lead::Column::Department.eq(d));
    }
    if let Some(s) = status {
        q = q.filter(lead::Column::Status.eq(s.code()));
    }
    let rows = q
        .order_by_desc(lead::Column::ReceivedOn)
        .order_by_desc(lead::Column::Id)
        .limit(MAX_LEADS_LISTED)
        .all(store.connection())
        .await?;
    views(store.connection(), rows, false).await
}

/// How many leads there are of one status (of one department if `own`).
pub async fn count_leads(store: &Store, own: Option<&str>, status: LeadStatus) -> Result<u64, WorkflowError> {
    let mut q = lead::Entity::find().filter(lead::Column::Status.eq(status.code()));
    if let Some(d) = own {
        q = q.filter(lead::Column::Department.eq(d));
    }
    Ok(q.count(store.connection()).await?)
}

/// Keeps a file with lead `id`.
pub async fn add_lead_file(
    store: &Store,
    id: i64,
    file_name: &str,
    content_type: &str,
    data: Vec<u8>,
    own: Option<&str>,
    actor: &Actor,
) -> Result<LeadFile, WorkflowError> {
    let (file_name, content_type, sha256) = checked_upload(file_name, content_type, &data)?;
    let txn = audit::begin(store).await?;
    let l = lead::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| not_found(id))?;
    within(own, &l)?;
    let size = data.len() as i64;
    let m = lead_file::ActiveModel {
        lead_id: Set(id),
        file_name: Set(file_name.clone()),
        content_type: Set(content_type),
        sha256: Set(sha256.clone()),
        size: Set(size),
        data: Set(data),
        added_by: Set(actor.name.clone()),
        added_at: Set(crate::clock::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::append(
        &txn,
        actor,
        "lead.add_file",
        &format!("lead/{id}/files/{}", m.id),
        json!({"file_name": file_name, "sha256": sha256, "size": size}),
    )
    .await?;
    txn.commit().await?;
    Ok(LeadFile { data: Vec::new(), ..to_file(m) })
}

/// A lead's file with its bytes.
pub async fn lead_file(
    store: &Store,
    id: i64,
    file: i64,
    own: Option<&str>,
) -> Result<LeadFile, WorkflowError> {
    let db = store.connection();
    let l = lead::Entity::find_by_id(id).one(db).await?.ok_or_else(|| not_found(id))?;
    within(own, &l)?;
    let f = lead_file::Entity::find_by_id(file)
        .filter(lead_file::Column::LeadId.eq(id))
        .one(db)
        .await?
        .ok_or_else(|| {
            WorkflowError::not_found(
                format!("线索 {id} 没有文件 {file}"),
                format!("no file {file} on lead {id}"),
            )
        })?;
    Ok(to_file(f))
}

/// Firms with [`MULTI_POINT_LEADS`] or more leads within [`MULTI_POINT_DAYS`] (of `own`'s leads
/// only, for a 业务科室), most leads first.
pub async fn multi_point(store: &Store, own: Option<&str>) -> Result<Vec<MultiPoint>, WorkflowError> {
    let db = store.connection();
    let today = china_today();
    let rows = lead_target::Entity::find()
        .filter(lead_target::Column::ReceivedOn.gte(today - Duration::days(MULTI_POINT_DAYS)))
        .filter(lead_target::Column::ReceivedOn.lte(today))
        .all(db)
        .await?;
    let ids: Vec<i64> =
        rows.iter().map(|r| r.lead_id).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let mut leads: HashMap<i64, lead::Model> = HashMap::new();
    for chunk in ids.chunks(500) {
        for m in lead::Entity::find().filter(lead::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            leads.insert(m.id, m);
        }
    }
    let mut by_firm: BTreeMap<String, Vec<&lead::Model>> = BTreeMap::new();
    for r in &rows {
        if let Some(m) = leads.get(&r.lead_id).filter(|m| own.is_none_or(|d| d == m.department)) {
            by_firm.entry(r.uscc.clone()).or_default().push(m);
        }
    }
    by_firm.retain(|_, ls| ls.len() as u64 >= MULTI_POINT_LEADS);
    let names = super::teams::target_names(db, &by_firm.keys().cloned().collect::<Vec<_>>()).await?;
    let mut out = Vec::new();
    for (uscc, ls) in by_firm {
        let mut sources: Vec<LeadSource> = Vec::new();
        for s in ls.iter().filter_map(|m| LeadSource::parse(&m.source)) {
            if !sources.contains(&s) {
                sources.push(s);
            }
        }
        out.push(MultiPoint {
            name: names.get(&uscc).cloned().unwrap_or_default(),
            leads: ls.len() as u64,
            open: ls.iter().filter(|m| m.status == LeadStatus::Open.code()).count() as u64,
            last_on: ls.iter().map(|m| m.received_on).max().unwrap_or(today),
            sources,
            uscc,
        });
    }
    out.sort_by(|a, b| b.leads.cmp(&a.leads).then(b.last_on.cmp(&a.last_on)).then(a.uscc.cmp(&b.uscc)));
    Ok(out)
}

/// The leads a task names, checked for a task of `department` saved by `own`: each exists, is
/// its department's (for a 业务科室) and is not taken up by another task.
pub(super) async fn leads_of_task(
    db: &impl ConnectionTrait,
    ids: &[i64],
    task_id: Option<i64>,
    own: Option<&str>,
) -> Result<Vec<lead::Model>, Vec<Invalid>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for &id in ids {
        let m = match lead::Entity::find_by_id(id).one(db).await {
            Ok(Some(m)) => m,
            Ok(None) => {
                problems.push(Invalid::new(
                    "leads",
                    format!("没有编号为 {id} 的线索"),
                    format!("no lead {id}"),
                ));
                continue;
            }
            Err(e) => {
                problems.push(Invalid::new(
                    "leads",
                    format!("线索 {id} 无法读取：{e}"),
                    format!("lead {id}: {e}"),
                ));
                continue;
            }
        };
        if within(own, &m).is_err() {
            problems.push(Invalid::new(
                "leads",
                format!("线索 {id} 由{}登记，只能使用本部门的线索", m.department),
                format!("lead {id} is {}'s", m.department),
            ));
        }
        if m.status == LeadStatus::Closed.code() {
            problems.push(Invalid::new(
                "leads",
                format!("线索 {id} 已不予立项"),
                format!("lead {id} was closed without a task"),
            ));
        }
        if m.task_id.is_some_and(|t| Some(t) != task_id) {
            problems.push(Invalid::new(
                "leads",
                format!("线索 {id} 已由其他任务立项检查"),
                format!("lead {id} is taken up by another task"),
            ));
        }
        out.push(m);
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// 不予立项: closes an open lead without a task, with the reason (1 to
/// [`suiji_domain::text::MAX_LINE`] characters). A lead taken up by a task, or closed, stays as
/// it is (409). Its firms keep the lead on their record: it was received.
pub async fn close_lead(
    store: &Store,
    id: i64,
    reason: &str,
    own: Option<&str>,
    actor: &Actor,
) -> Result<LeadView, WorkflowError> {
    let reason = reason.trim();
    let mut problems = Vec::new();
    if reason.is_empty() {
        problems.push(Invalid::new("reason", "不予立项须写明理由", "closing a lead needs a reason"));
    }
    suiji_domain::workflow::check_texts(
        &mut problems,
        &[("reason", reason, suiji_domain::text::Shape::Line)],
    );
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let txn = audit::begin(store).await?;
    let m = lead::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| not_found(id))?;
    within(own, &m)?;
    match LeadStatus::parse(&m.status) {
        Some(LeadStatus::Open) => {}
        Some(LeadStatus::Closed) => {
            return Err(WorkflowError::state("该线索已不予立项", "the lead is already closed"));
        }
        _ => {
            return Err(WorkflowError::state(
                "该线索已由任务立项检查，不能再不予立项",
                "the lead is taken up by a task: it cannot be closed",
            ));
        }
    }
    let mut am: lead::ActiveModel = m.into();
    am.status = Set(LeadStatus::Closed.code().to_owned());
    am.closed_reason = Set(Some(reason.to_owned()));
    am.closed_by = Set(Some(actor.name.clone()));
    am.closed_at = Set(Some(crate::clock::now()));
    let m = am.update(&txn).await?;
    // The reason may quote the lead: the log names the lead only (its hash covers the reason).
    audit::append_touching(
        &txn,
        actor,
        "lead.close",
        &format!("lead/{id}"),
        json!({"status": LeadStatus::Closed.code()}),
        &[Touched::one(&records::LEADS, id)],
    )
    .await?;
    txn.commit().await?;
    view(store.connection(), m).await
}

/// Marks the leads a task names as taken up by it (when it is published); what the log's entry
/// touches.
pub(super) async fn take_up(
    db: &impl ConnectionTrait,
    ids: &[i64],
    task_id: i64,
) -> Result<Option<Touched>, WorkflowError> {
    if ids.is_empty() {
        return Ok(None);
    }
    lead::Entity::update_many()
        .col_expr(lead::Column::Status, sea_orm::sea_query::Expr::value(LeadStatus::Tasked.code()))
        .col_expr(lead::Column::TaskId, sea_orm::sea_query::Expr::value(task_id))
        .filter(lead::Column::Id.is_in(ids.to_vec()))
        .exec(db)
        .await?;
    Ok(Some(Touched::new(&records::LEADS, ids.iter().copied())))
}

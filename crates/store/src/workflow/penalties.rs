//! 行政处罚 in the store: a decision recorded against the inspection that found the violation;
//! under 一般程序 its own public notice, due 7 working days after the decision whenever the
//! result itself was published, and corrected like a result (a new version with its reason, the
//! old one kept and marked). The rules are the domain's ([`PenaltyDecision`]); each step is one
//! transaction with its audit entry.

use super::inspections::china_today;
use super::tasks::find;
use super::{WorkflowError, parse_json};
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{inspection, penalty, penalty_notice};
use crate::{Store, calendar};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use suiji_domain::workflow::{
    InspectionForm, PenaltyDecision, PenaltyStanding, Procedure, PublicPenalty, TaskDefinition,
    penalty_deadline,
};

/// A version of a penalty's public notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PenaltyNoticeView {
    pub id: i64,
    pub penalty_id: i64,
    pub version: i64,
    pub uscc: String,
    pub target_name: String,
    pub content: PublicPenalty,
    /// `current` or `corrected`.
    pub status: String,
    /// Why this version corrects the one before (empty for the first).
    pub reason: String,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
    pub due_on: Option<NaiveDate>,
    /// Published after its deadline (China's date).
    pub late: bool,
}

/// A penalty decision with its notices, as the pages and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PenaltyView {
    pub id: i64,
    pub inspection_id: i64,
    pub task_id: i64,
    pub task_code: String,
    pub uscc: String,
    pub target_name: String,
    pub decision: PenaltyDecision,
    /// The notice's deadline: 7 working days after the decision (一般程序 only).
    pub due_on: Option<NaiveDate>,
    pub standing: PenaltyStanding,
    /// The notice's versions, newest first.
    pub notices: Vec<PenaltyNoticeView>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

fn notice_view(m: penalty_notice::Model) -> Result<PenaltyNoticeView, WorkflowError> {
    let content = parse_json("a penalty notice", &m.content)?;
    let published_on = audit::china_day(m.published_at);
    Ok(PenaltyNoticeView {
        content,
        late: m.due_on.is_some_and(|due| published_on > due),
        id: m.id,
        penalty_id: m.penalty_id,
        version: m.version,
        uscc: m.uscc,
        target_name: m.target_name,
        status: m.status,
        reason: m.reason,
        published_by: m.published_by,
        published_at: m.published_at,
        due_on: m.due_on,
    })
}

fn decision_of(m: &penalty::Model) -> PenaltyDecision {
    PenaltyDecision {
        procedure: Procedure::parse(&m.procedure).unwrap_or(Procedure::General),
        decision_no: m.decision_no.clone(),
        decided_on: m.decided_on,
        facts: m.facts.clone(),
        basis: m.basis.clone(),
        penalty: m.penalty.clone(),
    }
}

async fn views(
    db: &impl ConnectionTrait,
    models: Vec<penalty::Model>,
) -> Result<Vec<PenaltyView>, WorkflowError> {
    let today = china_today();
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut notices: HashMap<i64, Vec<PenaltyNoticeView>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for n in penalty_notice::Entity::find()
            .filter(penalty_notice::Column::PenaltyId.is_in(chunk.to_vec()))
            .order_by_desc(penalty_notice::Column::Version)
            .all(db)
            .await?
        {
            notices.entry(n.penalty_id).or_default().push(notice_view(n)?);
        }
    }
    let mut task_codes: HashMap<i64, String> = HashMap::new();
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        let task_code = match task_codes.get(&m.task_id) {
            Some(code) => code.clone(),
            None => {
                let code = find(db, m.task_id).await?.code;
                task_codes.insert(m.task_id, code.clone());
                code
            }
        };
        out.push(PenaltyView {
            decision: decision_of(&m),
            standing: PenaltyStanding::of(m.status == "published", m.due_on, today),
            notices: notices.remove(&m.id).unwrap_or_default(),
            id: m.id,
            inspection_id: m.inspection_id,
            task_id: m.task_id,
            task_code,
            uscc: m.uscc,
            target_name: m.target_name,
            due_on: m.due_on,
            created_at: m.created_at,
            created_by: m.created_by,
            updated_at: m.updated_at,
            updated_by: m.updated_by,
        });
    }
    Ok(out)
}

async fn find_penalty(db: &impl ConnectionTrait, id: i64) -> Result<penalty::Model, WorkflowError> {
    penalty::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| WorkflowError::not_found(format!("没有处罚决定 {id}"), format!("no penalty {id}")))
}

pub async fn penalty(store: &Store, id: i64) -> Result<PenaltyView, WorkflowError> {
    let db = store.connection();
    let m = find_penalty(db, id).await?;
    Ok(views(db, vec![m]).await?.remove(0))
}

/// The decisions in `standing` (all when `None`): the soonest deadline first, then the
/// newest decision.
pub async fn penalties(
    store: &Store,
    standing: Option<PenaltyStanding>,
) -> Result<Vec<PenaltyView>, WorkflowError> {
    let db = store.connection();
    let mut q = penalty::Entity::find();
    q = match standing {
        None => q,
        Some(PenaltyStanding::Published) => q.filter(penalty::Column::Status.eq("published")),
        Some(PenaltyStanding::Recorded) => {
            q.filter(penalty::Column::Status.eq("recorded")).filter(penalty::Column::DueOn.is_null())
        }
        Some(_) => {
            q.filter(penalty::Column::Status.eq("recorded")).filter(penalty::Column::DueOn.is_not_null())
        }
    };
    let mut out: Vec<PenaltyView> = views(db, q.all(db).await?)
        .await?
        .into_iter()
        .filter(|p| standing.is_none_or(|s| p.standing == s))
        .collect();
    out.sort_by_key(|p| {
        let open = matches!(p.standing, PenaltyStanding::Due | PenaltyStanding::Overdue);
        (!open, p.due_on.filter(|_| open), std::cmp::Reverse(p.decision.decided_on), std::cmp::Reverse(p.id))
    });
    Ok(out)
}

/// The decisions recorded against an inspection, oldest first.
pub async fn penalties_of_inspection(
    store: &Store,
    inspection_id: i64,
) -> Result<Vec<PenaltyView>, WorkflowError> {
    let db = store.connection();
    let models = penalty::Entity::find()
        .filter(penalty::Column::InspectionId.eq(inspection_id))
        .order_by_asc(penalty::Column::Id)
        .all(db)
        .await?;
    views(db, models).await
}

/// A firm's decisions, oldest first: its dossier's.
pub async fn penalties_of_target(store: &Store, uscc: &str) -> Result<Vec<PenaltyView>, WorkflowError> {
    let db = store.connection();
    let models = penalty::Entity::find()
        .filter(penalty::Column::Uscc.eq(uscc))
        .order_by_asc(penalty::Column::DecidedOn)
        .order_by_asc(penalty::Column::Id)
        .all(db)
        .await?;
    views(db, models).await
}

/// How many notices are past their deadline and how many due within the week, for the
/// workbench.
pub async fn penalties_due(store: &Store) -> Result<(u64, u64), WorkflowError> {
    let db = store.connection();
    let today = china_today();
    let week = today + chrono::Duration::days(7);
    let dues: Vec<Option<NaiveDate>> = penalty::Entity::find()
        .filter(penalty::Column::Status.eq("recorded"))
        .filter(penalty::Column::DueOn.is_not_null())
        .select_only()
        .column(penalty::Column::DueOn)
        .into_tuple()
        .all(db)
        .await?;
    let overdue = dues.iter().flatten().filter(|d| **d < today).count() as u64;
    let soon = dues.iter().flatten().filter(|d| **d >= today && **d <= week).count() as u64;
    Ok((overdue, soon))
}

/// The day the inspection began, which no decision precedes: the form's start, else the task's
/// window.
async fn inspected_on(db: &impl ConnectionTrait, i: &inspection::Model) -> Result<NaiveDate, WorkflowError> {
    if let Some(form) = i.form.as_deref() {
        let form: InspectionForm = parse_json("an inspection form", form)?;
        return Ok(form.started_on);
    }
    let def: TaskDefinition = parse_json("a task's definition", &find(db, i.task_id).await?.definition)?;
    Ok(def.window_start)
}

/// The decision's rules, and its number not taken by another decision.
async fn checked(
    db: &impl ConnectionTrait,
    i: &inspection::Model,
    decision: &PenaltyDecision,
    this: Option<i64>,
) -> Result<(), WorkflowError> {
    let mut problems = decision.check(inspected_on(db, i).await?, china_today());
    let taken = penalty::Entity::find()
        .filter(penalty::Column::DecisionNo.eq(decision.decision_no.trim()))
        .one(db)
        .await?
        .filter(|p| Some(p.id) != this);
    if let Some(p) = taken {
        problems.push(suiji_domain::workflow::Invalid::new(
            "decision_no",
            format!("决定书文号 {} 已登记（{}）", p.decision_no, p.target_name),
            format!("decision {} is already recorded ({})", p.decision_no, p.target_name),
        ));
    }
    if problems.is_empty() { Ok(()) } else { Err(WorkflowError::Invalid(problems)) }
}

async fn due_on(
    db: &impl ConnectionTrait,
    task_id: i64,
    decision: &PenaltyDecision,
) -> Result<Option<NaiveDate>, WorkflowError> {
    if !decision.procedure.published() {
        return Ok(None);
    }
    let workdays = super::tasks::task_rules(db, task_id).await?.penalty_workdays;
    Ok(Some(penalty_deadline(&calendar::calendar_in(db).await?, decision.decided_on, workdays).value))
}

/// Records a penalty decided on the firm an inspection found in violation.
pub async fn record_penalty(
    store: &Store,
    inspection_id: i64,
    decision: &PenaltyDecision,
    actor: &Actor,
) -> Result<PenaltyView, WorkflowError> {
    let decision = decision.trimmed();
    let txn = audit::begin(store).await?;
    let i = inspection::Entity::find_by_id(inspection_id).one(&txn).await?.ok_or_else(|| {
        WorkflowError::not_found(
            format!("没有检查 {inspection_id}"),
            format!("no inspection {inspection_id}"),
        )
    })?;
    match i.status.as_str() {
        "entered" | "returned" | "published" | "withheld" => {}
        "annulled" => return Err(WorkflowError::state("该检查已作废", "the inspection is annulled")),
        _ => {
            return Err(WorkflowError::state(
                "检查结果录入后方可登记行政处罚决定",
                "record a penalty once the inspection's result is entered",
            ));
        }
    }
    let form: Option<InspectionForm> =
        i.form.as_deref().map(|f| parse_json("an inspection form", f)).transpose()?;
    if !form.is_some_and(|f| f.grounds_penalty()) {
        return Err(WorkflowError::state(
            "该检查未发现违法行为（也无不配合检查情形），不能据此登记行政处罚决定",
            "the inspection found no violation (nor a refusal): no penalty can rest on it",
        ));
    }
    checked(&txn, &i, &decision, None).await?;
    let now = crate::clock::now();
    let m = penalty::ActiveModel {
        inspection_id: Set(i.id),
        task_id: Set(i.task_id),
        uscc: Set(i.uscc.clone()),
        target_name: Set(i.target_name.clone()),
        procedure: Set(decision.procedure.code().to_owned()),
        decision_no: Set(decision.decision_no.clone()),
        decided_on: Set(decision.decided_on),
        facts: Set(decision.facts.clone()),
        basis: Set(decision.basis.clone()),
        penalty: Set(decision.penalty.clone()),
        due_on: Set(due_on(&txn, i.task_id, &decision).await?),
        status: Set("recorded".into()),
        created_at: Set(now),
        created_by: Set(actor.name.clone()),
        updated_at: Set(now),
        updated_by: Set(actor.name.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::append_touching(
        &txn,
        actor,
        "penalty.record",
        &format!("penalty/{}", m.id),
        json!({"inspection": inspection_id, "decision": decision}),
        &[Touched::one(&records::PENALTIES, m.id)],
    )
    .await?;
    txn.commit().await?;
    penalty(store, m.id).await
}

async fn public_penalty(
    db: &impl ConnectionTrait,
    m: &penalty::Model,
    decision: &PenaltyDecision,
) -> Result<PublicPenalty, WorkflowError> {
    Ok(PublicPenalty {
        decision_no: decision.decision_no.clone(),
        procedure: decision.procedure.zh().to_owned(),
        decided_on: decision.decided_on,
        uscc: m.uscc.clone(),
        target_name: m.target_name.clone(),
        facts: decision.facts.clone(),
        basis: decision.basis.clone(),
        penalty: decision.penalty.clone(),
        authority: crate::settings::load_in(db).await?.bureau_name,
        task_code: find(db, m.task_id).await?.code,
    })
}

async fn add_notice(
    txn: &sea_orm::DatabaseTransaction,
    m: &penalty::Model,
    decision: &PenaltyDecision,
    version: i64,
    reason: &str,
    due: Option<NaiveDate>,
    actor: &Actor,
) -> Result<(PublicPenalty, i64), WorkflowError> {
    let content = public_penalty(txn, m, decision).await?;
    let n = penalty_notice::ActiveModel {
        penalty_id: Set(m.id),
        version: Set(version),
        uscc: Set(m.uscc.clone()),
        target_name: Set(m.target_name.clone()),
        content: Set(serde_json::to_string(&content).expect("a notice serialises")),
        status: Set("current".into()),
        reason: Set(reason.to_owned()),
        published_by: Set(actor.name.clone()),
        published_at: Set(crate::clock::now()),
        due_on: Set(due),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok((content, n.id))
}

/// Publishes the notice of a decision under 一般程序.
pub async fn publish_penalty(store: &Store, id: i64, actor: &Actor) -> Result<PenaltyView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let m = find_penalty(&txn, id).await?;
    if m.status == "published" {
        return Err(WorkflowError::state(
            "该处罚决定已公示；如需修改请更正",
            "already published: correct it instead",
        ));
    }
    let decision = decision_of(&m);
    if !decision.procedure.published() {
        return Err(WorkflowError::state(
            "简易程序的处罚决定随检查结果记录，不单独公示",
            "a decision under the summary procedure has no notice of its own",
        ));
    }
    let (content, notice) = add_notice(&txn, &m, &decision, 1, "", m.due_on, actor).await?;
    crate::push::enqueue(&txn, "penalty.published", &format!("penalty/{id}"), json!(content)).await?;
    let mut a: penalty::ActiveModel = m.into();
    a.status = Set("published".into());
    a.updated_at = Set(crate::clock::now());
    a.updated_by = Set(actor.name.clone());
    a.update(&txn).await?;
    audit::append_touching(
        &txn,
        actor,
        "penalty.publish",
        &format!("penalty/{id}"),
        json!(content),
        &[Touched::one(&records::PENALTIES, id), Touched::one(&records::PENALTY_NOTICES, notice)],
    )
    .await?;
    txn.commit().await?;
    audit::checkpoints::after_publication(store).await;
    penalty(store, id).await
}

/// Changes a decision: in place while its notice is unpublished; once published, by a new
/// version of the notice with the reason (the old one kept, marked corrected).
pub async fn correct_penalty(
    store: &Store,
    id: i64,
    decision: &PenaltyDecision,
    reason: &str,
    actor: &Actor,
) -> Result<PenaltyView, WorkflowError> {
    let decision = decision.trimmed();
    let reason = reason.trim();
    suiji_domain::workflow::texts(&[("reason", reason, suiji_domain::text::Shape::Line)])
        .map_err(WorkflowError::Invalid)?;
    let txn = audit::begin(store).await?;
    let m = find_penalty(&txn, id).await?;
    let i = inspection::Entity::find_by_id(m.inspection_id)
        .one(&txn)
        .await?
        .ok_or_else(|| WorkflowError::state("原检查记录丢失", "the inspection is missing"))?;
    checked(&txn, &i, &decision, Some(id)).await?;
    let published = m.status == "published";
    if published && reason.is_empty() {
        return Err(WorkflowError::invalid("reason", "更正须说明理由", "a correction needs its reason"));
    }
    if published && !decision.procedure.published() {
        return Err(WorkflowError::invalid(
            "procedure",
            "已公示的处罚决定不能改为简易程序",
            "a published decision cannot become a summary one",
        ));
    }
    let previous = decision_of(&m);
    let due = if published && previous.decided_on == decision.decided_on {
        m.due_on
    } else {
        due_on(&txn, m.task_id, &decision).await?
    };
    let now = crate::clock::now();
    let mut a: penalty::ActiveModel = m.clone().into();
    a.procedure = Set(decision.procedure.code().to_owned());
    a.decision_no = Set(decision.decision_no.clone());
    a.decided_on = Set(decision.decided_on);
    a.facts = Set(decision.facts.clone());
    a.basis = Set(decision.basis.clone());
    a.penalty = Set(decision.penalty.clone());
    a.due_on = Set(due);
    a.updated_at = Set(now);
    a.updated_by = Set(actor.name.clone());
    let m = a.update(&txn).await?;
    let mut touched = vec![Touched::one(&records::PENALTIES, id)];
    let (action, change) = if published {
        let last = penalty_notice::Entity::find()
            .filter(penalty_notice::Column::PenaltyId.eq(id))
            .order_by_desc(penalty_notice::Column::Version)
            .one(&txn)
            .await?
            .ok_or_else(|| WorkflowError::state("没有已公示的版本", "no published version"))?;
        let version = last.version + 1;
        let corrected = last.id;
        let mut old: penalty_notice::ActiveModel = last.into();
        old.status = Set("corrected".into());
        old.update(&txn).await?;
        let (content, notice) = add_notice(&txn, &m, &decision, version, reason, due, actor).await?;
        let event = json!({"version": version, "reason": reason, "notice": content});
        crate::push::enqueue(&txn, "penalty.corrected", &format!("penalty/{id}"), event).await?;
        touched.push(Touched::new(&records::PENALTY_NOTICES, [corrected, notice]));
        ("penalty.correct", json!({"version": version, "reason": reason, "public": content}))
    } else {
        ("penalty.edit", json!({"decision": decision}))
    };
    audit::append_touching(&txn, actor, action, &format!("penalty/{id}"), change, &touched).await?;
    txn.commit().await?;
    if published {
        audit::checkpoints::after_publication(store).await;
    }
    penalty(store, id).await
}

/// A page of published penalty notices, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PenaltyNoticesPage {
    pub notices: Vec<PenaltyNoticeView>,
    /// Pass as `after` for the next page; `None` on the last.
    pub next: Option<i64>,
}

/// Published penalty notices, every version (corrected ones marked), newest first, found by a
/// whole USCC or a part of the firm's name; keyset paging as for results.
pub async fn public_penalties(
    store: &Store,
    query: Option<&str>,
    after: Option<i64>,
    limit: u64,
) -> Result<PenaltyNoticesPage, WorkflowError> {
    let mut q = penalty_notice::Entity::find().order_by_desc(penalty_notice::Column::Id);
    if let Some(text) = query.map(str::trim).filter(|t| !t.is_empty()) {
        q = q.filter(
            sea_orm::Condition::any()
                .add(penalty_notice::Column::Uscc.eq(text.to_uppercase()))
                .add(penalty_notice::Column::TargetName.contains(text)),
        );
    }
    if let Some(after) = after {
        q = q.filter(penalty_notice::Column::Id.lt(after));
    }
    let rows = q.limit(limit + 1).all(store.connection()).await?;
    let (rows, next) = super::keyset_page(rows, limit, |r| r.id);
    let notices = rows.into_iter().map(notice_view).collect::<Result<_, _>>()?;
    Ok(PenaltyNoticesPage { notices, next })
}

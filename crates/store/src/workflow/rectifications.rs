//! 整改 and 复查 in the store: a published result that orders rectification opens one; a
//! follow-up inspection (复查) of the same firm — the same team, or a team drawn by
//! `suiji-assign/1` with the seed `<draw seed>/followup/<id>` — checks it and, once published,
//! records what it found; the organizer extends the deadline once or takes the case further.
//! The rules are the domain's ([`suiji_domain::workflow::Rectification`]); each step is one
//! transaction with its audit entry.

use super::draws::valid_draw;
use super::tasks::find;
use super::teams::{Member, pool, recusals};
use super::{WorkflowError, parse_json};
use crate::Store;
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{inspection, inspection_member, rectification};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use suiji_domain::workflow::{
    Escalation, FollowUpOutcome, InspectionForm, Rectification, RectificationStatus, Standing,
    TaskDefinition, TeamSpec,
};
use suiji_draw::{Inspector, TeamRule};

/// A follow-up inspection, as its rectification lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FollowUpView {
    pub inspection_id: i64,
    /// The inspection's status (`assigned` … `published`).
    pub status: String,
    /// What it found, once entered.
    pub outcome: Option<FollowUpOutcome>,
    pub members: Vec<(String, String)>,
}

/// A rectification as the pages and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RectificationView {
    pub id: i64,
    /// The inspection whose result ordered it.
    pub inspection_id: i64,
    pub task_id: i64,
    pub task_code: String,
    pub uscc: String,
    pub target_name: String,
    /// The day it was ordered: the inspection's last day.
    pub ordered_on: NaiveDate,
    /// The deadline the result set, and the one in force (extended once at most).
    pub deadline: NaiveDate,
    pub extended_to: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    pub deadline_in_force: NaiveDate,
    pub status: RectificationStatus,
    /// What the latest published follow-up found.
    pub outcome: Option<FollowUpOutcome>,
    pub escalation: Option<Escalation>,
    pub escalation_note: Option<String>,
    /// Open and past its deadline; open and due within the week (China's today).
    pub overdue: bool,
    pub due_soon: bool,
    /// The follow-ups, oldest first; the last may be pending.
    pub follow_ups: Vec<FollowUpView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    pub closed_at: Option<DateTime<Utc>>,
}

impl RectificationView {
    /// A follow-up scheduled and not yet published.
    pub fn pending_follow_up(&self) -> Option<&FollowUpView> {
        self.follow_ups.last().filter(|f| !matches!(f.status.as_str(), "published" | "withheld" | "annulled"))
    }

    /// Where it stands, in words: 整改中（复查中）, 整改中（复查：未整改）, 已整改, 移送…
    pub fn state(&self, en: bool) -> String {
        let t = |zh: &'static str, english: &'static str| if en { english } else { zh };
        if let Some(e) = self.escalation {
            return t(e.zh(), e.en()).to_owned();
        }
        let mut words = t(self.status.zh(), self.status.en()).to_owned();
        if self.pending_follow_up().is_some() {
            words.push_str(t("（复查中）", " (follow-up under way)"));
        } else if let Some(o) = self.outcome.filter(|o| *o != FollowUpOutcome::Rectified) {
            words.push_str(&format!(
                "{}{}{}",
                t("（复查：", " (follow-up: "),
                t(o.zh(), o.en()),
                t("）", ")")
            ));
        }
        words
    }

    /// The domain's view of it, for its rules.
    pub fn rules(&self) -> Rectification {
        Rectification {
            status: self.status,
            deadline: self.deadline,
            extended_to: self.extended_to,
            outcome: self.outcome,
            follow_up_pending: self.pending_follow_up().is_some(),
        }
    }
}

async fn find_rectification(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<rectification::Model, WorkflowError> {
    rectification::Entity::find_by_id(id).one(db).await?.ok_or_else(|| {
        WorkflowError::not_found(format!("没有整改记录 {id}"), format!("no rectification {id}"))
    })
}

/// The views of `models`, with their follow-ups and tasks, in the order given.
async fn views(
    db: &impl ConnectionTrait,
    models: Vec<rectification::Model>,
) -> Result<Vec<RectificationView>, WorkflowError> {
    let today = super::china_today();
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut follow_ups: HashMap<i64, Vec<FollowUpView>> = HashMap::new();
    let mut task_codes: HashMap<i64, String> = HashMap::new();
    for chunk in ids.chunks(500) {
        let found = inspection::Entity::find()
            .filter(inspection::Column::FollowUpOf.is_in(chunk.to_vec()))
            .order_by_asc(inspection::Column::Id)
            .all(db)
            .await?;
        let inspection_ids: Vec<i64> = found.iter().map(|i| i.id).collect();
        let mut members: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        for m in inspection_member::Entity::find()
            .filter(inspection_member::Column::InspectionId.is_in(inspection_ids))
            .order_by_asc(inspection_member::Column::Position)
            .all(db)
            .await?
        {
            members.entry(m.inspection_id).or_default().push((m.cert_no, m.name));
        }
        for i in found {
            let form: Option<InspectionForm> =
                i.form.as_deref().map(|f| parse_json("an inspection form", f)).transpose()?;
            let view = FollowUpView {
                inspection_id: i.id,
                status: i.status.clone(),
                outcome: form.and_then(|f| f.follow_up),
                members: members.remove(&i.id).unwrap_or_default(),
            };
            follow_ups.entry(i.follow_up_of.unwrap_or_default()).or_default().push(view);
        }
    }
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
        let status = RectificationStatus::parse(&m.status).unwrap_or(RectificationStatus::Open);
        let mut view = RectificationView {
            id: m.id,
            inspection_id: m.inspection_id,
            task_id: m.task_id,
            task_code,
            uscc: m.uscc,
            target_name: m.target_name,
            ordered_on: m.ordered_on,
            deadline: m.deadline,
            extended_to: m.extended_to,
            extension_reason: m.extension_reason,
            deadline_in_force: m.extended_to.unwrap_or(m.deadline),
            status,
            outcome: m.outcome.as_deref().and_then(FollowUpOutcome::parse),
            escalation: m.escalation.as_deref().and_then(Escalation::parse),
            escalation_note: m.escalation_note,
            overdue: false,
            due_soon: false,
            follow_ups: follow_ups.remove(&m.id).unwrap_or_default(),
            created_at: m.created_at,
            updated_at: m.updated_at,
            updated_by: m.updated_by,
            closed_at: m.closed_at,
        };
        let rules = view.rules();
        view.overdue = rules.is(Standing::Overdue, today);
        view.due_soon = rules.is(Standing::Due, today);
        out.push(view);
    }
    Ok(out)
}

/// The rectifications in `standing` (all when `None`), the deadline in force soonest first.
pub async fn rectifications(
    store: &Store,
    standing: Option<Standing>,
) -> Result<Vec<RectificationView>, WorkflowError> {
    let db = store.connection();
    let mut q = rectification::Entity::find();
    q = match standing {
        None => q,
        Some(Standing::Closed) => {
            q.filter(rectification::Column::Status.ne(RectificationStatus::Open.code()))
        }
        Some(_) => q.filter(rectification::Column::Status.eq(RectificationStatus::Open.code())),
    };
    let today = super::china_today();
    let mut out: Vec<RectificationView> = views(db, q.all(db).await?)
        .await?
        .into_iter()
        .filter(|r| standing.is_none_or(|s| r.rules().is(s, today)))
        .collect();
    out.sort_by_key(|r| (r.deadline_in_force, r.id));
    Ok(out)
}

pub async fn rectification(store: &Store, id: i64) -> Result<RectificationView, WorkflowError> {
    let db = store.connection();
    let m = find_rectification(db, id).await?;
    Ok(views(db, vec![m]).await?.remove(0))
}

/// A firm's rectifications, oldest first: its dossier's.
pub async fn rectifications_of_target(
    store: &Store,
    uscc: &str,
) -> Result<Vec<RectificationView>, WorkflowError> {
    let db = store.connection();
    let models = rectification::Entity::find()
        .filter(rectification::Column::Uscc.eq(uscc))
        .order_by_asc(rectification::Column::Id)
        .all(db)
        .await?;
    views(db, models).await
}

/// The rectification a result ordered, if any.
pub async fn rectification_of(
    store: &Store,
    inspection_id: i64,
) -> Result<Option<RectificationView>, WorkflowError> {
    let db = store.connection();
    let found = rectification::Entity::find()
        .filter(rectification::Column::InspectionId.eq(inspection_id))
        .one(db)
        .await?;
    match found {
        Some(m) => Ok(Some(views(db, vec![m]).await?.remove(0))),
        None => Ok(None),
    }
}

/// At a result's publication: opens the rectification it orders (an original inspection
/// whose handling has 责令整改 and none yet), or, for a follow-up, records what it found.
/// Returns the rectification touched, for the publication's audit entry.
pub(super) async fn on_publication(
    txn: &sea_orm::DatabaseTransaction,
    i: &inspection::Model,
    form: &InspectionForm,
    actor: &Actor,
) -> Result<Option<i64>, WorkflowError> {
    let now = crate::clock::now();
    if let Some(of) = i.follow_up_of {
        let r = find_rectification(txn, of).await?;
        let Some(outcome) = form.follow_up else { return Ok(None) };
        let mut rules = rules_of(&r);
        rules.after_follow_up(outcome);
        let mut m: rectification::ActiveModel = r.into();
        m.outcome = Set(Some(outcome.code().to_owned()));
        m.status = Set(rules.status.code().to_owned());
        if rules.status.closed() {
            m.closed_at = Set(Some(now));
        }
        m.updated_at = Set(now);
        m.updated_by = Set(actor.name.clone());
        m.update(txn).await?;
        return Ok(Some(of));
    }
    let Some(deadline) = form.handling.rectify_by else { return Ok(None) };
    let existing =
        rectification::Entity::find().filter(rectification::Column::InspectionId.eq(i.id)).one(txn).await?;
    match existing {
        // A correction that moves the deadline of an open rectification moves it here too.
        Some(r) => {
            if r.status != RectificationStatus::Open.code() || r.deadline == deadline {
                return Ok(None);
            }
            let id = r.id;
            let mut m: rectification::ActiveModel = r.into();
            m.deadline = Set(deadline);
            m.updated_at = Set(now);
            m.updated_by = Set(actor.name.clone());
            m.update(txn).await?;
            Ok(Some(id))
        }
        None => {
            let r = rectification::ActiveModel {
                inspection_id: Set(i.id),
                task_id: Set(i.task_id),
                uscc: Set(i.uscc.clone()),
                target_name: Set(i.target_name.clone()),
                // Ordered at the inspection (the order is served there), not at publication.
                ordered_on: Set(form.ended_on),
                deadline: Set(deadline),
                status: Set(RectificationStatus::Open.code().to_owned()),
                created_at: Set(now),
                updated_at: Set(now),
                updated_by: Set(actor.name.clone()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            Ok(Some(r.id))
        }
    }
}

fn rules_of(r: &rectification::Model) -> Rectification {
    Rectification {
        status: RectificationStatus::parse(&r.status).unwrap_or(RectificationStatus::Open),
        deadline: r.deadline,
        extended_to: r.extended_to,
        outcome: r.outcome.as_deref().and_then(FollowUpOutcome::parse),
        follow_up_pending: false,
    }
}

/// The team of a follow-up: the original team (`drawn` false), or one drawn by
/// `suiji-assign/1` from the task's pool with the seed `<draw seed>/followup/<id>`,
/// recusals respected. Returns the members (certificate, name) and the seed when drawn.
async fn follow_up_team(
    db: &impl ConnectionTrait,
    r: &rectification::Model,
    original: &inspection::Model,
    drawn: bool,
) -> Result<(Vec<(String, String)>, Option<String>), WorkflowError> {
    if !drawn {
        let members = inspection_member::Entity::find()
            .filter(inspection_member::Column::InspectionId.eq(original.id))
            .order_by_asc(inspection_member::Column::Position)
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.cert_no, m.name))
            .collect();
        return Ok((members, None));
    }
    let task = find(db, r.task_id).await?;
    let def: TaskDefinition = parse_json("a task's definition", &task.definition)?;
    let draw = valid_draw(db, r.task_id)
        .await?
        .ok_or_else(|| WorkflowError::state("任务没有有效的抽取", "the task has no valid draw"))?;
    // Inspectors whose certificate is valid today: the follow-up happens now.
    let today = super::china_today();
    let months = super::tasks::rules_of(&task)?.training_months;
    let pool: Vec<Member> = pool(db, &def.team_departments(), today, months).await?;
    let recusals = recusals(db, &pool, std::slice::from_ref(&r.uscc)).await?;
    let target = draw.targets.iter().find(|s| s.id == r.uscc).cloned().ok_or_else(|| {
        WorkflowError::state("该检查对象不在有效抽取结果中", "the target is not in the valid draw")
    })?;
    let seed = format!("{}/followup/{}", draw.seed, r.id);
    let document = suiji_draw::DrawDocument {
        seed: seed.clone(),
        selected: vec![target],
        reserve: Vec::new(),
        ..draw.document.clone()
    };
    let inspectors: Vec<Inspector> =
        pool.iter().map(|m| Inspector { id: m.cert_no.clone(), department: m.department.clone() }).collect();
    let rule = match &def.team {
        TeamSpec::Size(n) => TeamRule::Size(*n),
        TeamSpec::Joint(counts) => TeamRule::Require(counts.clone()),
    };
    let assigned = suiji_draw::assign(&document, &inspectors, &recusals, &rule, None).map_err(|e| {
        WorkflowError::state(
            format!("无法组成复查检查组：{e}（可用检查人员 {} 人）", pool.len()),
            format!("cannot make the follow-up team: {e} ({} inspectors available)", pool.len()),
        )
    })?;
    let names: HashMap<&str, &str> = pool.iter().map(|m| (m.cert_no.as_str(), m.name.as_str())).collect();
    let members = assigned.teams[0]
        .inspectors
        .iter()
        .map(|c| (c.clone(), names.get(c.as_str()).copied().unwrap_or_default().to_owned()))
        .collect();
    Ok((members, Some(seed)))
}

/// Schedules a follow-up inspection (复查) of the rectification's firm: an inspection of the
/// same task, marked as a follow-up, for the original team or, with `drawn`, a team drawn anew.
pub async fn schedule_follow_up(
    store: &Store,
    id: i64,
    drawn: bool,
    actor: &Actor,
) -> Result<RectificationView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let r = find_rectification(&txn, id).await?;
    let view = views(&txn, vec![r.clone()]).await?.remove(0);
    view.rules().check_follow_up().map_err(|p| WorkflowError::Invalid(vec![p]))?;
    let original = inspection::Entity::find_by_id(r.inspection_id)
        .one(&txn)
        .await?
        .ok_or_else(|| WorkflowError::state("原检查记录丢失", "the original inspection is missing"))?;
    let (members, seed) = follow_up_team(&txn, &r, &original, drawn).await?;
    // Its result is due like any other: 20 working days after it ends; until entered, after
    // the deadline in force.
    let calendar = crate::calendar::calendar_in(&txn).await?;
    let workdays = super::tasks::task_rules(&txn, original.task_id).await?.publication_workdays;
    let publish_by =
        suiji_domain::workflow::publication_deadline(&calendar, view.deadline_in_force, workdays).value;
    let follow_up = inspection::ActiveModel {
        task_id: Set(original.task_id),
        assignment_id: Set(original.assignment_id),
        rank: Set(original.rank),
        uscc: Set(original.uscc.clone()),
        target_name: Set(original.target_name.clone()),
        status: Set("assigned".into()),
        publish_by: Set(Some(publish_by)),
        follow_up_of: Set(Some(id)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let rows = members.iter().enumerate().map(|(position, (cert, name))| inspection_member::ActiveModel {
        inspection_id: Set(follow_up.id),
        cert_no: Set(cert.clone()),
        name: Set(name.clone()),
        position: Set(position as i64),
    });
    inspection_member::Entity::insert_many(rows).exec(&txn).await?;
    let now = crate::clock::now();
    let mut m: rectification::ActiveModel = r.into();
    m.follow_up_id = Set(Some(follow_up.id));
    m.updated_at = Set(now);
    m.updated_by = Set(actor.name.clone());
    m.update(&txn).await?;
    let team: Vec<&str> = members.iter().map(|(c, _)| c.as_str()).collect();
    audit::append_touching(
        &txn,
        actor,
        "rectification.follow_up",
        &format!("rectification/{id}"),
        json!({
            "inspection": follow_up.id,
            "team": team,
            "mode": if drawn { "drawn" } else { "same" },
            "seed": seed,
        }),
        &[Touched::one(&records::RECTIFICATIONS, id), Touched::one(&records::INSPECTIONS, follow_up.id)],
    )
    .await?;
    txn.commit().await?;
    rectification(store, id).await
}

/// Extends the deadline, once, after a follow-up found it not rectified.
pub async fn extend(
    store: &Store,
    id: i64,
    until: NaiveDate,
    reason: &str,
    actor: &Actor,
) -> Result<RectificationView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let r = find_rectification(&txn, id).await?;
    let view = views(&txn, vec![r.clone()]).await?.remove(0);
    let problems = view.rules().check_extension(until, reason, super::china_today());
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let mut m: rectification::ActiveModel = r.into();
    m.extended_to = Set(Some(until));
    m.extension_reason = Set(Some(reason.trim().to_owned()));
    m.updated_at = Set(crate::clock::now());
    m.updated_by = Set(actor.name.clone());
    m.update(&txn).await?;
    audit::append_touching(
        &txn,
        actor,
        "rectification.extend",
        &format!("rectification/{id}"),
        json!({"from": view.deadline_in_force, "until": until, "reason": reason.trim()}),
        &[Touched::one(&records::RECTIFICATIONS, id)],
    )
    .await?;
    txn.commit().await?;
    rectification(store, id).await
}

/// Takes a case not put right further — 立案查处 or 移送 — which closes the rectification.
pub async fn escalate(
    store: &Store,
    id: i64,
    kind: Escalation,
    note: &str,
    actor: &Actor,
) -> Result<RectificationView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let r = find_rectification(&txn, id).await?;
    let view = views(&txn, vec![r.clone()]).await?.remove(0);
    let problems = view.rules().check_escalation(note);
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let now = crate::clock::now();
    let mut m: rectification::ActiveModel = r.into();
    m.status = Set(RectificationStatus::Escalated.code().to_owned());
    m.escalation = Set(Some(kind.code().to_owned()));
    m.escalation_note = Set(Some(note.trim().to_owned()));
    m.closed_at = Set(Some(now));
    m.updated_at = Set(now);
    m.updated_by = Set(actor.name.clone());
    m.update(&txn).await?;
    audit::append_touching(
        &txn,
        actor,
        "rectification.escalate",
        &format!("rectification/{id}"),
        json!({"kind": kind.code(), "note": note.trim()}),
        &[Touched::one(&records::RECTIFICATIONS, id)],
    )
    .await?;
    txn.commit().await?;
    rectification(store, id).await
}

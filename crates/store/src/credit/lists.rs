//! The public lists in the store: an entry is proposed from a penalty decision; a serious
//! violation is then published (due 20 working days after the decision); a firm to be listed
//! for wage arrears is first told (告知) and may state its case for 5 working days, then the
//! decision lists it for its term; it leaves early by 信用修复 with the reason, or at the end of
//! the term. Each step is one transaction with its audit entry; the rules are the domain's
//! (`suiji_domain::lists`).

use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{list_entry, penalty};
use crate::workflow::{WorkflowError, china_today};
use crate::{Store, calendar};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde_json::json;
use suiji_domain::directory::Target;
use suiji_domain::lists::{
    DEFAULT_TERM_YEARS, EntryStatus, Kind, ListName, Removal, major_publication_due, statement_due, term_end,
};
use suiji_domain::text::Shape;
use suiji_domain::workflow::{Invalid, check_texts};

/// An entry as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EntryView {
    pub id: i64,
    pub list: ListName,
    pub penalty_id: i64,
    pub uscc: String,
    pub target_name: String,
    pub legal_rep: String,
    pub address: String,
    pub kinds: Vec<Kind>,
    pub facts: String,
    pub handling: String,
    pub decided_on: NaiveDate,
    pub status: EntryStatus,
    /// A serious violation's publication deadline, and whether it has passed unpublished.
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    pub notified_on: Option<NaiveDate>,
    /// The last day the firm may state its case.
    pub statement_due: Option<NaiveDate>,
    pub statement: Option<String>,
    pub listed_on: Option<NaiveDate>,
    /// The term's last day (wage arrears), and whether it is over.
    pub term_end: Option<NaiveDate>,
    pub term_over: bool,
    pub removed_on: Option<NaiveDate>,
    pub removal: Option<Removal>,
    pub removal_reason: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

impl EntryView {
    /// What the portal shows of it.
    pub fn public(&self) -> PublicEntry {
        PublicEntry {
            list: self.list,
            uscc: self.uscc.clone(),
            target_name: self.target_name.clone(),
            legal_rep: self.legal_rep.clone(),
            address: self.address.clone(),
            kinds: self.kinds.iter().map(|k| k.zh().to_owned()).collect(),
            facts: self.facts.clone(),
            handling: self.handling.clone(),
            decided_on: self.decided_on,
            listed_on: self.listed_on,
            term_end: self.term_end,
            removed_on: self.removed_on,
            removal: self.removal.map(|r| r.zh().to_owned()),
            removal_reason: self.removal_reason.clone(),
        }
    }
}

/// An entry as the portal publishes it (29号令 第六条: name, USCC, address, legal
/// representative, the facts and the handling).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PublicEntry {
    pub list: ListName,
    pub uscc: String,
    pub target_name: String,
    pub legal_rep: String,
    pub address: String,
    pub kinds: Vec<String>,
    pub facts: String,
    pub handling: String,
    pub decided_on: NaiveDate,
    pub listed_on: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
    pub removed_on: Option<NaiveDate>,
    pub removal: Option<String>,
    pub removal_reason: Option<String>,
}

/// A public list: who is on it, and who left it (and why).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PublicList {
    pub list: ListName,
    pub title: String,
    /// On the list today, newest first.
    pub entries: Vec<PublicEntry>,
    /// Removed, newest first.
    pub exits: Vec<PublicEntry>,
}

fn view(m: list_entry::Model, today: NaiveDate) -> EntryView {
    let status = EntryStatus::parse(&m.status).unwrap_or(EntryStatus::Proposed);
    let kinds: Vec<String> = serde_json::from_str(&m.kinds).unwrap_or_default();
    EntryView {
        list: ListName::parse(&m.list).unwrap_or(ListName::MajorViolations),
        kinds: kinds.iter().filter_map(|k| Kind::parse(k)).collect(),
        overdue: status == EntryStatus::Proposed && m.due_on.is_some_and(|d| d < today),
        term_over: m.term_end.is_some_and(|end| end < today),
        removal: m.removal.as_deref().and_then(Removal::parse),
        status,
        id: m.id,
        penalty_id: m.penalty_id,
        uscc: m.uscc,
        target_name: m.target_name,
        legal_rep: m.legal_rep,
        address: m.address,
        facts: m.facts,
        handling: m.handling,
        decided_on: m.decided_on,
        due_on: m.due_on,
        notified_on: m.notified_on,
        statement_due: m.statement_due,
        statement: m.statement,
        listed_on: m.listed_on,
        term_end: m.term_end,
        removed_on: m.removed_on,
        removal_reason: m.removal_reason,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_by: m.updated_by,
        updated_at: m.updated_at,
    }
}

async fn find(db: &impl ConnectionTrait, id: i64) -> Result<list_entry::Model, WorkflowError> {
    list_entry::Entity::find_by_id(id).one(db).await?.ok_or_else(|| WorkflowError::NotFound {
        zh: format!("没有名单记录 {id}"),
        en: format!("no list entry {id}"),
    })
}

pub async fn entry(store: &Store, id: i64) -> Result<EntryView, WorkflowError> {
    Ok(view(find(store.connection(), id).await?, china_today()))
}

/// The entries of `list` (both when `None`) in `status` (any when `None`), newest first.
pub async fn entries(
    store: &Store,
    list: Option<ListName>,
    status: Option<EntryStatus>,
) -> Result<Vec<EntryView>, WorkflowError> {
    let mut q = list_entry::Entity::find().order_by_desc(list_entry::Column::Id);
    if let Some(l) = list {
        q = q.filter(list_entry::Column::List.eq(l.code()));
    }
    if let Some(s) = status {
        q = q.filter(list_entry::Column::Status.eq(s.code()));
    }
    let today = china_today();
    Ok(q.all(store.connection()).await?.into_iter().map(|m| view(m, today)).collect())
}

/// A firm's entries, oldest first (its dossier, its grade).
pub async fn entries_of_target(
    db: &impl ConnectionTrait,
    uscc: &str,
) -> Result<Vec<EntryView>, WorkflowError> {
    let today = china_today();
    Ok(list_entry::Entity::find()
        .filter(list_entry::Column::Uscc.eq(uscc))
        .order_by_asc(list_entry::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| view(m, today))
        .collect())
}

/// What the portal publishes of `list`.
pub async fn public_list(store: &Store, list: ListName) -> Result<PublicList, WorkflowError> {
    let all = entries(store, Some(list), None).await?;
    let on = |e: &&EntryView| e.status == EntryStatus::Listed && !e.term_over;
    Ok(PublicList {
        list,
        title: list.zh().to_owned(),
        entries: all.iter().filter(on).map(EntryView::public).collect(),
        exits: all.iter().filter(|e| e.status == EntryStatus::Removed).map(EntryView::public).collect(),
    })
}

/// What a proposal says beyond the penalty: the kinds, and the facts and handling as they will
/// be published (the penalty's when empty).
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub kinds: Vec<Kind>,
    pub facts: String,
    pub handling: String,
}

/// Proposes an entry on `list` from a penalty decision.
pub async fn propose(
    store: &Store,
    penalty_id: i64,
    list: ListName,
    new: &NewEntry,
    actor: &Actor,
) -> Result<EntryView, WorkflowError> {
    let mut problems = Vec::new();
    check_texts(
        &mut problems,
        &[("facts", &new.facts, Shape::Text), ("handling", &new.handling, Shape::Line)],
    );
    if new.kinds.is_empty() {
        problems.push(Invalid::new("kinds", "请选择违法情形", "choose the kind of violation"));
    }
    for k in &new.kinds {
        if !list.kinds().contains(k) {
            problems.push(Invalid::new(
                "kinds",
                format!("“{}”不是{}的情形", k.zh(), list.zh()),
                format!("{} is not a kind of {}", k.code(), list.code()),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let db = store.connection();
    let p =
        penalty::Entity::find_by_id(penalty_id).one(db).await?.ok_or_else(|| WorkflowError::NotFound {
            zh: format!("没有处罚决定 {penalty_id}"),
            en: format!("no penalty {penalty_id}"),
        })?;
    let target = crate::directory::find::<Target>(store, &p.uscc).await.map_err(WorkflowError::Store)?;
    let (legal_rep, address) = target.map(|(_, t)| (t.legal_rep, t.address)).unwrap_or_default();
    let cal = calendar::calendar_in(db).await?;
    let txn = audit::begin(store).await?;
    let open = list_entry::Entity::find()
        .filter(list_entry::Column::PenaltyId.eq(penalty_id))
        .filter(list_entry::Column::List.eq(list.code()))
        .filter(list_entry::Column::Status.ne(EntryStatus::Removed.code()))
        .one(&txn)
        .await?;
    if let Some(e) = open {
        return Err(WorkflowError::State {
            zh: format!("该处罚决定已有{}记录（第 {} 号）", list.zh(), e.id),
            en: format!("the decision already has entry {} on {}", e.id, list.code()),
        });
    }
    let or = |given: &str, default: String| {
        if given.trim().is_empty() { default } else { given.trim().to_owned() }
    };
    let kinds: Vec<&str> = new.kinds.iter().map(|k| k.code()).collect();
    let now = crate::clock::now();
    let m = list_entry::ActiveModel {
        list: Set(list.code().to_owned()),
        penalty_id: Set(penalty_id),
        uscc: Set(p.uscc.clone()),
        target_name: Set(p.target_name.clone()),
        legal_rep: Set(legal_rep),
        address: Set(address),
        kinds: Set(serde_json::to_string(&kinds).expect("codes serialise")),
        facts: Set(or(&new.facts, p.facts.clone())),
        handling: Set(or(&new.handling, format!("{}：{}", p.decision_no, p.penalty))),
        decided_on: Set(p.decided_on),
        status: Set(EntryStatus::Proposed.code().to_owned()),
        due_on: Set((list == ListName::MajorViolations).then(|| major_publication_due(&cal, p.decided_on))),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
        updated_by: Set(actor.name.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::append_touching(
        &txn,
        actor,
        "list.propose",
        &format!("list-entry/{}", m.id),
        json!({"list": list.code(), "penalty": penalty_id, "kinds": kinds}),
        &[Touched::one(&records::LIST_ENTRIES, m.id)],
    )
    .await?;
    txn.commit().await?;
    entry(store, m.id).await
}

/// One step on an entry: checks where it stands (`from`, on `list`), then changes it and logs
/// `action` with `change`.
#[allow(clippy::too_many_arguments)]
async fn step(
    store: &Store,
    id: i64,
    list: ListName,
    from: EntryStatus,
    action: &str,
    change: serde_json::Value,
    actor: &Actor,
    apply: impl FnOnce(&EntryView, &mut list_entry::ActiveModel) -> Result<(), WorkflowError>,
) -> Result<EntryView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let m = find(&txn, id).await?;
    let v = view(m.clone(), china_today());
    if v.list != list {
        return Err(WorkflowError::State {
            zh: format!("该记录属于{}，不能进行此项操作", v.list.zh()),
            en: format!("the entry is on {}: this step is not its", v.list.code()),
        });
    }
    if v.status != from {
        return Err(WorkflowError::State {
            zh: format!("该记录当前为“{}”，不能进行此项操作", v.status.zh(v.list)),
            en: format!("the entry is {}: this step does not apply", v.status.en()),
        });
    }
    let mut a: list_entry::ActiveModel = m.into();
    apply(&v, &mut a)?;
    a.updated_by = Set(actor.name.clone());
    a.updated_at = Set(crate::clock::now());
    let after = view(a.update(&txn).await?, china_today());
    // On the list, or off it: an event for the departments that take part in joint sanctions.
    let event = match after.status {
        EntryStatus::Listed => Some("list.entered"),
        EntryStatus::Removed => Some("list.removed"),
        _ => None,
    };
    if let Some(kind) = event {
        crate::push::enqueue(&txn, kind, &format!("list-entry/{id}"), json!(after.public())).await?;
    }
    audit::append_touching(
        &txn,
        actor,
        action,
        &format!("list-entry/{id}"),
        change,
        &[Touched::one(&records::LIST_ENTRIES, id)],
    )
    .await?;
    txn.commit().await?;
    entry(store, id).await
}

/// Publishes a serious violation on the portal.
pub async fn publish(store: &Store, id: i64, actor: &Actor) -> Result<EntryView, WorkflowError> {
    let today = china_today();
    step(
        store,
        id,
        ListName::MajorViolations,
        EntryStatus::Proposed,
        "list.publish",
        json!({}),
        actor,
        |_, a| {
            a.status = Set(EntryStatus::Listed.code().to_owned());
            a.listed_on = Set(Some(today));
            Ok(())
        },
    )
    .await
}

/// Records that the firm was told it is to be listed for wage arrears, on `notified_on`.
pub async fn notify(
    store: &Store,
    id: i64,
    notified_on: NaiveDate,
    actor: &Actor,
) -> Result<EntryView, WorkflowError> {
    let today = china_today();
    // Never in the future (nor absurdly far back): checked before the calendar counts from it.
    if notified_on > today || notified_on < today - chrono::Duration::days(3660) {
        return Err(WorkflowError::Invalid(vec![Invalid::new(
            "notified_on",
            "告知日期不能晚于今天",
            "the notice cannot be dated after today",
        )]));
    }
    let cal = calendar::calendar_in(store.connection()).await?;
    let due = statement_due(&cal, notified_on);
    let change = json!({"notified_on": notified_on, "statement_due": due});
    step(store, id, ListName::WageArrears, EntryStatus::Proposed, "list.notify", change, actor, |v, a| {
        if notified_on < v.decided_on || notified_on > today {
            return Err(WorkflowError::Invalid(vec![Invalid::new(
                "notified_on",
                format!("告知日期应在处理决定日（{}）至今天之间", v.decided_on),
                format!("the notice lies between the decision ({}) and today", v.decided_on),
            )]));
        }
        a.status = Set(EntryStatus::Notified.code().to_owned());
        a.notified_on = Set(Some(notified_on));
        a.statement_due = Set(Some(due));
        Ok(())
    })
    .await
}

/// The most years a decision may list a firm for.
pub const MAX_TERM_YEARS: u32 = 5;

/// Decides to list the firm for wage arrears, for `years` (3 by default), once its time to
/// state its case is over or it has stated it (`statement`: what it said and the answer).
pub async fn decide(
    store: &Store,
    id: i64,
    statement: &str,
    years: Option<u32>,
    actor: &Actor,
) -> Result<EntryView, WorkflowError> {
    let statement = statement.trim().to_owned();
    let years = years.unwrap_or(DEFAULT_TERM_YEARS);
    let mut problems = Vec::new();
    check_texts(&mut problems, &[("statement", &statement, Shape::Text)]);
    if !(1..=MAX_TERM_YEARS).contains(&years) {
        problems.push(Invalid::new(
            "term_years",
            format!("列入期限为 1 至 {MAX_TERM_YEARS} 年"),
            format!("the term is 1 to {MAX_TERM_YEARS} years"),
        ));
    }
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let today = china_today();
    let end = term_end(today, years);
    let change = json!({"statement": statement, "term_years": years, "term_end": end});
    step(store, id, ListName::WageArrears, EntryStatus::Notified, "list.decide", change, actor, |v, a| {
        if statement.is_empty() && v.statement_due.is_some_and(|due| today <= due) {
            return Err(WorkflowError::State {
                zh: format!(
                    "陈述、申辩期至 {} 止，期满或当事人陈述申辩后方可作出列入决定",
                    v.statement_due.unwrap_or(today)
                ),
                en: "the firm may still state its case: decide after its deadline, or record what it said"
                    .into(),
            });
        }
        a.status = Set(EntryStatus::Listed.code().to_owned());
        a.statement = Set((!statement.is_empty()).then(|| statement.clone()));
        a.listed_on = Set(Some(today));
        a.term_end = Set(Some(end));
        Ok(())
    })
    .await
}

/// Takes a firm off the wage-arrears list: early (信用修复, `Repaired`, with the reason the
/// conditions are met) or at the end of its term (`Expired`).
pub async fn remove(
    store: &Store,
    id: i64,
    removal: Removal,
    reason: &str,
    actor: &Actor,
) -> Result<EntryView, WorkflowError> {
    let reason = reason.trim().to_owned();
    let mut problems = Vec::new();
    check_texts(&mut problems, &[("reason", &reason, Shape::Line)]);
    if removal == Removal::Repaired && reason.is_empty() {
        problems.push(Invalid::new("reason", "信用修复须写明理由", "an early removal needs its reason"));
    }
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let today = china_today();
    let change = json!({"removal": removal.code(), "reason": reason});
    step(store, id, ListName::WageArrears, EntryStatus::Listed, "list.remove", change, actor, |v, a| {
        if removal == Removal::Expired && !v.term_over {
            return Err(WorkflowError::State {
                zh: format!("列入期限至 {} 止，尚未期满", v.term_end.unwrap_or(today)),
                en: "the term is not over".into(),
            });
        }
        a.status = Set(EntryStatus::Removed.code().to_owned());
        a.removed_on = Set(Some(today));
        a.removal = Set(Some(removal.code().to_owned()));
        a.removal_reason = Set((!reason.is_empty()).then(|| reason.clone()));
        Ok(())
    })
    .await
}

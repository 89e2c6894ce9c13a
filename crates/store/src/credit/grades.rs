//! 守法诚信等级评价 in the store: a year's run proposes a grade for every firm with records that
//! year (a result published or withheld, a penalty), each with the rules' reasons; the
//! organizer reviews, may set another grade with a reason, and confirms — which writes each
//! firm's grade into the directory (its history kept, as for any change of a record) and into
//! the grades' history. The next draws weigh the firms by their new grades.

use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::{
    credit_evaluation, credit_grade, credit_proposal, import_batch, inspection, list_entry, penalty,
    record_change, rectification,
};
use crate::workflow::{WorkflowError, china_today};
use crate::{Store, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use suiji_domain::credit::{Grade, GradeRules, Reason, YearRecord};
use suiji_domain::directory::Target;
use suiji_domain::workflow::{Conclusion, FollowUpOutcome, InspectionForm, Invalid};

/// One firm in an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ProposalView {
    pub uscc: String,
    pub target_name: String,
    pub previous_grade: Option<Grade>,
    pub proposed_grade: Grade,
    pub reasons: Vec<Reason>,
    pub record: YearRecord,
    /// The grade to confirm: the proposed one unless the organizer set another.
    pub grade: Grade,
    pub adjust_reason: Option<String>,
}

impl ProposalView {
    /// The reason written into the grades' history.
    pub fn reason(&self) -> String {
        match &self.adjust_reason {
            Some(r) => {
                format!("{}（规则建议{}级，经审核调整：{r}）", self.reasons_zh(), self.proposed_grade.code())
            }
            None => self.reasons_zh(),
        }
    }

    fn reasons_zh(&self) -> String {
        self.reasons.iter().map(|r| r.zh.as_str()).collect::<Vec<_>>().join("；")
    }
}

/// An evaluation run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EvaluationView {
    pub id: i64,
    pub year: i32,
    /// `proposed` (to review and confirm) or `confirmed`.
    pub status: String,
    pub rules: GradeRules,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// How many firms are proposed each grade (final grades).
    pub counts: BTreeMap<String, u64>,
    /// The firms, C first, then B, then A, each by USCC.
    pub proposals: Vec<ProposalView>,
}

/// A grade decided for a firm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct GradeChange {
    pub year: i32,
    pub grade: Grade,
    pub previous_grade: Option<Grade>,
    pub reason: String,
    pub evaluation_id: Option<i64>,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

fn grade_of(code: &str) -> Grade {
    Grade::parse(code).unwrap_or(Grade::B)
}

fn json_of<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

async fn view(
    db: &impl ConnectionTrait,
    e: credit_evaluation::Model,
) -> Result<EvaluationView, WorkflowError> {
    let mut proposals: Vec<ProposalView> = credit_proposal::Entity::find()
        .filter(credit_proposal::Column::EvaluationId.eq(e.id))
        .order_by_asc(credit_proposal::Column::Uscc)
        .all(db)
        .await?
        .into_iter()
        .map(|p| ProposalView {
            previous_grade: p.previous_grade.as_deref().and_then(Grade::parse),
            proposed_grade: grade_of(&p.proposed_grade),
            reasons: json_of(&p.reasons),
            record: json_of(&p.record),
            grade: grade_of(&p.grade),
            adjust_reason: p.adjust_reason,
            uscc: p.uscc,
            target_name: p.target_name,
        })
        .collect();
    proposals.sort_by_key(|p| (std::cmp::Reverse(p.grade), p.uscc.clone()));
    let mut counts: BTreeMap<String, u64> = Grade::ALL.iter().map(|g| (g.code().to_owned(), 0)).collect();
    for p in &proposals {
        *counts.entry(p.grade.code().to_owned()).or_default() += 1;
    }
    Ok(EvaluationView {
        id: e.id,
        year: e.year as i32,
        status: e.status,
        rules: serde_json::from_str(&e.rules).unwrap_or_default(),
        created_by: e.created_by,
        created_at: e.created_at,
        confirmed_by: e.confirmed_by,
        confirmed_at: e.confirmed_at,
        counts,
        proposals,
    })
}

async fn find(db: &impl ConnectionTrait, id: i64) -> Result<credit_evaluation::Model, WorkflowError> {
    credit_evaluation::Entity::find_by_id(id).one(db).await?.ok_or_else(|| WorkflowError::NotFound {
        zh: format!("没有诚信等级评价 {id}"),
        en: format!("no evaluation {id}"),
    })
}

pub async fn evaluation(store: &Store, id: i64) -> Result<EvaluationView, WorkflowError> {
    let db = store.connection();
    view(db, find(db, id).await?).await
}

/// Every evaluation, newest first (without their firms: see [`evaluation`]).
pub async fn evaluations(store: &Store) -> Result<Vec<EvaluationView>, WorkflowError> {
    let db = store.connection();
    let mut out = Vec::new();
    for e in credit_evaluation::Entity::find().order_by_desc(credit_evaluation::Column::Id).all(db).await? {
        let mut v = view(db, e).await?;
        v.proposals.clear();
        out.push(v);
    }
    Ok(out)
}

/// What each firm's records of `year` show.
async fn records_of(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<BTreeMap<String, YearRecord>, WorkflowError> {
    let mut out: BTreeMap<String, YearRecord> = BTreeMap::new();
    let results = inspection::Entity::find()
        .filter(inspection::Column::Status.is_in(["published", "withheld"]))
        .filter(inspection::Column::FollowUpOf.is_null())
        .all(db)
        .await?;
    for i in results {
        let Some(form) = i.form.as_deref() else { continue };
        let form: InspectionForm = crate::workflow::parse_json("an inspection form", form)?;
        if form.ended_on.year() != year {
            continue;
        }
        let r = out.entry(i.uscc).or_default();
        r.inspections += 1;
        if matches!(form.conclusion, Conclusion::Corrected | Conclusion::PendingHandling) {
            r.violations += 1;
        }
        if form.conclusion == Conclusion::NonCooperation {
            r.non_cooperation += 1;
        }
    }
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    for p in penalty::Entity::find().filter(penalty::Column::DecidedOn.between(start, end)).all(db).await? {
        out.entry(p.uscc).or_default().penalties += 1;
    }
    let wanting = [FollowUpOutcome::Partly.code(), FollowUpOutcome::NotRectified.code()];
    for r in rectification::Entity::find()
        .filter(rectification::Column::Status.eq("escalated"))
        .filter(rectification::Column::Outcome.is_in(wanting))
        .all(db)
        .await?
    {
        if r.closed_at.is_some_and(|at| audit::china_day(at).year() == year) {
            out.entry(r.uscc).or_default().refused_rectifications += 1;
        }
    }
    // Listed for a serious violation, or for wage arrears, in the year.
    for e in list_entry::Entity::find()
        .filter(list_entry::Column::Status.is_in(["listed", "removed"]))
        .filter(list_entry::Column::ListedOn.between(start, end))
        .all(db)
        .await?
    {
        out.entry(e.uscc).or_default().serious_violations += 1;
    }
    Ok(out)
}

/// Runs the evaluation of `year`: proposes each firm's grade under the bureau's rules. One
/// evaluation of a year waits for confirmation at a time.
pub async fn evaluate(store: &Store, year: i32, actor: &Actor) -> Result<EvaluationView, WorkflowError> {
    let this_year = china_today().year();
    if !(2000..=this_year).contains(&year) {
        return Err(WorkflowError::Invalid(vec![Invalid::new(
            "year",
            format!("评价年度应在 2000 至 {this_year} 之间"),
            format!("the year is 2000 to {this_year}"),
        )]));
    }
    let rules = crate::settings::load(store).await.map_err(WorkflowError::Store)?.credit_rules;
    // The records and the firms' names and grades are read before the transaction, which then
    // only writes.
    let records = records_of(store.connection(), year).await?;
    let mut firms = Vec::with_capacity(records.len());
    for (uscc, record) in &records {
        let target = crate::directory::find::<Target>(store, uscc).await.map_err(WorkflowError::Store)?;
        let (name, previous) = match &target {
            Some((_, t)) => (t.name.clone(), t.credit_grade.map(|g| g.code().to_owned())),
            None => (uscc.clone(), None),
        };
        firms.push((uscc, record, name, previous));
    }
    let txn = audit::begin(store).await?;
    let pending = credit_evaluation::Entity::find()
        .filter(credit_evaluation::Column::Year.eq(year))
        .filter(credit_evaluation::Column::Status.eq("proposed"))
        .one(&txn)
        .await?;
    if let Some(p) = pending {
        return Err(WorkflowError::State {
            zh: format!("{year} 年度已有待确认的评价（第 {} 号），请先确认", p.id),
            en: format!("evaluation {} of {year} awaits confirmation", p.id),
        });
    }
    let now = crate::clock::now();
    let e = credit_evaluation::ActiveModel {
        year: Set(i64::from(year)),
        status: Set("proposed".into()),
        rules: Set(serde_json::to_string(&rules).expect("rules serialise")),
        firms: Set(records.len() as i64),
        created_by: Set(actor.name.clone()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (uscc, record, name, previous) in firms {
        let proposal = rules.propose(record);
        credit_proposal::ActiveModel {
            evaluation_id: Set(e.id),
            uscc: Set(uscc.clone()),
            target_name: Set(name),
            previous_grade: Set(previous),
            proposed_grade: Set(proposal.grade.code().to_owned()),
            reasons: Set(serde_json::to_string(&proposal.reasons).expect("reasons serialise")),
            record: Set(serde_json::to_string(record).expect("a record serialises")),
            grade: Set(proposal.grade.code().to_owned()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::append_touching(
        &txn,
        actor,
        "credit.evaluate",
        &format!("credit-evaluation/{}", e.id),
        json!({"year": year, "rules": rules, "firms": records.len()}),
        &[Touched::one(&records::CREDIT_EVALUATIONS, e.id)],
    )
    .await?;
    txn.commit().await?;
    evaluation(store, e.id).await
}

/// The organizer sets a firm's grade other than proposed (a mass incident, a fact the records
/// do not hold), with the reason; or back to the proposal with `grade` equal to it.
pub async fn adjust(
    store: &Store,
    id: i64,
    uscc: &str,
    grade: Grade,
    reason: &str,
    actor: &Actor,
) -> Result<EvaluationView, WorkflowError> {
    let reason = reason.trim();
    let mut problems = Vec::new();
    suiji_domain::workflow::check_texts(
        &mut problems,
        &[("reason", reason, suiji_domain::text::Shape::Line)],
    );
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    let txn = audit::begin(store).await?;
    let e = find(&txn, id).await?;
    if e.status != "proposed" {
        return Err(WorkflowError::State {
            zh: "评价已确认，不能再调整".into(),
            en: "the evaluation is confirmed".into(),
        });
    }
    let p = credit_proposal::Entity::find()
        .filter(credit_proposal::Column::EvaluationId.eq(id))
        .filter(credit_proposal::Column::Uscc.eq(uscc.trim().to_uppercase()))
        .one(&txn)
        .await?
        .ok_or_else(|| WorkflowError::NotFound {
            zh: format!("本次评价没有 {uscc}"),
            en: format!("{uscc} is not in this evaluation"),
        })?;
    let back_to_proposal = grade.code() == p.proposed_grade;
    if !back_to_proposal && reason.is_empty() {
        return Err(WorkflowError::Invalid(vec![Invalid::new(
            "reason",
            "调整评价等级须写明理由",
            "a grade other than proposed needs its reason",
        )]));
    }
    let mut a: credit_proposal::ActiveModel = p.clone().into();
    a.grade = Set(grade.code().to_owned());
    a.adjust_reason = Set((!back_to_proposal).then(|| reason.to_owned()));
    a.update(&txn).await?;
    audit::append_touching(
        &txn,
        actor,
        "credit.adjust",
        &format!("credit-evaluation/{id}"),
        json!({"uscc": p.uscc, "from": p.grade, "to": grade.code(), "reason": reason}),
        &[Touched::one(&records::CREDIT_EVALUATIONS, id)],
    )
    .await?;
    txn.commit().await?;
    evaluation(store, id).await
}

/// Confirms an evaluation: each firm's grade is written into the directory (with the record's
/// history) and into the grades' history, in one transaction.
pub async fn confirm(store: &Store, id: i64, actor: &Actor) -> Result<EvaluationView, WorkflowError> {
    let txn = audit::begin(store).await?;
    let e = find(&txn, id).await?;
    if e.status != "proposed" {
        return Err(WorkflowError::State {
            zh: "该评价已确认".into(),
            en: "the evaluation is already confirmed".into(),
        });
    }
    let later = credit_evaluation::Entity::find()
        .filter(credit_evaluation::Column::Status.eq("confirmed"))
        .filter(credit_evaluation::Column::Year.gt(e.year))
        .one(&txn)
        .await?;
    if let Some(l) = later {
        return Err(WorkflowError::State {
            zh: format!("已确认 {} 年度的评价，不能再确认更早年度的评价", l.year),
            en: format!("the {} evaluation is confirmed: an earlier year's cannot be", l.year),
        });
    }
    let v = view(&txn, e.clone()).await?;
    // The grades as they stand now (an import or another evaluation may have changed them
    // since this one ran), read in this transaction.
    let current = current_grades(&txn, v.proposals.iter().map(|p| p.uscc.as_str())).await?;
    let now = crate::clock::now();
    // The grades written are a change of the targets' list like an import, its own batch: an
    // import planned before this confirmation sees the list has moved on and plans again
    // rather than writing the old grades back.
    let changing =
        v.proposals.iter().filter(|p| current.get(&p.uscc).copied().flatten() != Some(p.grade)).count();
    let batch = if changing > 0 {
        let b = import_batch::ActiveModel {
            list: Set("targets".into()),
            file_name: Set(format!("{}年度守法诚信等级评价（第 {id} 号）", v.year)),
            file_sha256: Set(String::new()),
            actor: Set(actor.name.clone()),
            at: Set(now),
            rows: Set(v.proposals.len() as i64),
            added: Set(0),
            changed: Set(changing as i64),
            unchanged: Set((v.proposals.len() - changing) as i64),
            retired: Set(0),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        Some(b.id)
    } else {
        None
    };
    let mut grade_ids = Vec::with_capacity(v.proposals.len());
    let mut changed = Vec::new();
    for p in &v.proposals {
        let previous_grade = current.get(&p.uscc).copied().flatten();
        let p = &ProposalView { previous_grade, ..p.clone() };
        let row = credit_grade::ActiveModel {
            uscc: Set(p.uscc.clone()),
            year: Set(i64::from(v.year)),
            grade: Set(p.grade.code().to_owned()),
            previous_grade: Set(p.previous_grade.map(|g| g.code().to_owned())),
            reason: Set(p.reason()),
            evaluation_id: Set(Some(id)),
            decided_by: Set(actor.name.clone()),
            decided_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        grade_ids.push(row.id);
        if p.previous_grade == Some(p.grade) {
            continue;
        }
        changed.push(p.uscc.clone());
        let event = json!({
            "uscc": p.uscc, "target_name": p.target_name, "year": v.year,
            "grade": p.grade.code(), "previous_grade": p.previous_grade.map(Grade::code), "reason": p.reason(),
        });
        crate::push::enqueue(&txn, "grade.changed", &format!("target/{}", p.uscc), event).await?;
        let mut update = Query::update();
        update
            .table(Alias::new("targets"))
            .value(Alias::new("credit_grade"), p.grade.code())
            .value(Alias::new("updated_at"), now)
            .and_where(Expr::col(Alias::new("uscc")).eq(p.uscc.as_str()));
        txn.execute(txn.get_database_backend().build(&update)).await?;
        record_change::ActiveModel {
            list: Set("targets".into()),
            record_key: Set(p.uscc.clone()),
            field: Set("credit_grade".into()),
            old_value: Set(p.previous_grade.map(|g| g.code().to_owned())),
            new_value: Set(Some(p.grade.code().to_owned())),
            actor: Set(actor.name.clone()),
            at: Set(now),
            batch_id: Set(batch),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let mut a: credit_evaluation::ActiveModel = e.into();
    a.status = Set("confirmed".into());
    a.confirmed_by = Set(Some(actor.name.clone()));
    a.confirmed_at = Set(Some(now));
    a.update(&txn).await?;
    audit::append_touching(
        &txn,
        actor,
        "credit.confirm",
        &format!("credit-evaluation/{id}"),
        json!({"year": v.year, "firms": v.proposals.len(), "changed": changed.len(), "counts": v.counts}),
        &[
            Touched::one(&records::CREDIT_EVALUATIONS, id),
            Touched::new(&records::CREDIT_GRADES, grade_ids),
            // The directory's records whose grade changed.
            Touched::new(&records::TARGETS, changed),
        ],
    )
    .await?;
    txn.commit().await?;
    evaluation(store, id).await
}

/// The directory's grade of each of `usccs` (`None`: unrated), read through `db`.
async fn current_grades<'a>(
    db: &impl ConnectionTrait,
    usccs: impl Iterator<Item = &'a str>,
) -> Result<std::collections::HashMap<String, Option<Grade>>, DbErr> {
    let usccs: Vec<&str> = usccs.collect();
    let mut out = std::collections::HashMap::new();
    for chunk in usccs.chunks(500) {
        let mut q = Query::select();
        q.from(Alias::new("targets"))
            .columns([Alias::new("uscc"), Alias::new("credit_grade")])
            .and_where(Expr::col(Alias::new("uscc")).is_in(chunk.iter().copied()));
        for row in db.query_all(db.get_database_backend().build(&q)).await? {
            let uscc: String = row.try_get("", "uscc")?;
            let grade: Option<String> = row.try_get("", "credit_grade")?;
            out.insert(uscc, grade.as_deref().and_then(Grade::parse));
        }
    }
    Ok(out)
}

/// A firm's grades as decided, oldest first.
pub async fn grade_history(db: &impl ConnectionTrait, uscc: &str) -> Result<Vec<GradeChange>, StoreError> {
    Ok(credit_grade::Entity::find()
        .filter(credit_grade::Column::Uscc.eq(uscc))
        .order_by_asc(credit_grade::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|g| GradeChange {
            year: g.year as i32,
            grade: grade_of(&g.grade),
            previous_grade: g.previous_grade.as_deref().and_then(Grade::parse),
            reason: g.reason,
            evaluation_id: g.evaluation_id,
            decided_by: g.decided_by,
            decided_at: g.decided_at,
        })
        .collect())
}

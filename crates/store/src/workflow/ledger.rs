//! 检查台账: every inspection of a firm in a year — drawn by a random or triggered task (joint
//! ones too) or a follow-up of a rectification — with its kind and department, and the counts
//! the bureau's limits are held against. The same counts decide who a task may draw
//! ([`year_counts`]), so the ledger a clerk reads is the one the draw obeyed.

use super::{WorkflowError, parse_json};
use crate::Store;
use crate::audit::china_day;
use crate::entity::{inspection, rectification, task};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::HashMap;
use suiji_domain::directory::{Method, Target};
use suiji_domain::workflow::{
    Exemption, InspectionForm, Limits, RecentVisit, TaskDefinition, TaskKind, VisitKind, YearCount,
};

/// One inspection of the firm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Visit {
    /// The day it was made (the form's last day) once done; until then the day it was drawn
    /// (a follow-up: the rectification's deadline in force).
    pub on: NaiveDate,
    pub done: bool,
    pub kind: VisitKind,
    /// Several departments' items in one visit (联合检查).
    pub joint: bool,
    pub task_id: i64,
    pub task_code: String,
    pub task_title: String,
    /// The department running the task (主办部门).
    pub department: String,
    /// Every department taking part.
    pub departments: Vec<String>,
    /// The method's code: `on-site`, `written`, `online`.
    pub method: String,
    /// Whether it counts toward the limit of on-site visits.
    pub on_site: bool,
    /// Whether it counts toward the limit of random draws.
    pub counts_random: bool,
    /// The inspection record, once teams are assigned.
    pub inspection_id: Option<i64>,
    /// `drawn` (no team yet), or the inspection's status.
    pub status: String,
    /// Why it may go over the limits: a triggered task's exemption, or `follow_up`.
    pub exemption: Option<Exemption>,
    /// Merged with another task's visit (合并检查): that task's code.
    pub merged_with: Option<String>,
    /// Whether it counts as a visit of its own: the second half of a merged visit does not
    /// (the firm saw one team once).
    pub counts_visit: bool,
}

/// A firm's ledger for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Ledger {
    pub uscc: String,
    pub name: String,
    pub year: i32,
    /// The limits in force (the bureau's settings today).
    pub limits: Limits,
    pub count: YearCount,
    /// Oldest first.
    pub visits: Vec<Visit>,
}

/// What the ledger needs of a task.
struct TaskFacts {
    code: String,
    title: String,
    kind: TaskKind,
    method: String,
    on_site: bool,
    department: String,
    departments: Vec<String>,
    exemption: Option<Exemption>,
}

async fn task_facts(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, TaskFacts>, WorkflowError> {
    let ids: Vec<i64> = ids.into_iter().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        for m in task::Entity::find().filter(task::Column::Id.is_in(chunk.to_vec())).all(db).await? {
            let def: TaskDefinition = parse_json("a task's definition", &m.definition)?;
            let department = super::tasks::owner(m.department, &def);
            out.insert(
                m.id,
                TaskFacts {
                    code: m.code,
                    title: m.title,
                    kind: def.kind,
                    on_site: def.on_site(),
                    method: def.method,
                    department,
                    departments: def.departments,
                    exemption: def.exemption,
                },
            );
        }
    }
    Ok(out)
}

/// A target selected by a valid draw (or put in by a replacement).
struct Drawn {
    task_id: i64,
    uscc: String,
    counts_to_cap: bool,
    drawn_at: DateTime<Utc>,
}

/// The valid draws' selections of `year` (of one firm, or of all).
async fn drawn_in(
    db: &impl ConnectionTrait,
    year: i32,
    uscc: Option<&str>,
) -> Result<Vec<Drawn>, WorkflowError> {
    let (entries, draws) = (Alias::new("draw_entries"), Alias::new("draws"));
    let mut q = Query::select();
    q.from(entries.clone())
        .inner_join(
            draws.clone(),
            Expr::col((draws.clone(), Alias::new("id"))).equals((entries.clone(), Alias::new("draw_id"))),
        )
        .columns(["task_id", "uscc", "counts_to_cap"].map(|c| (entries.clone(), Alias::new(c))))
        .column((draws.clone(), Alias::new("drawn_at")))
        .and_where(Expr::col((draws.clone(), Alias::new("status"))).eq("valid"))
        .and_where(Expr::col((entries.clone(), Alias::new("state"))).is_in(super::draws::TO_INSPECT))
        .and_where(Expr::col((entries.clone(), Alias::new("year"))).eq(i64::from(year)));
    if let Some(u) = uscc {
        q.and_where(Expr::col((entries.clone(), Alias::new("uscc"))).eq(u));
    }
    let mut out = Vec::new();
    for row in db.query_all(db.get_database_backend().build(&q)).await? {
        out.push(Drawn {
            task_id: row.try_get("", "task_id")?,
            uscc: row.try_get("", "uscc")?,
            counts_to_cap: row.try_get("", "counts_to_cap")?,
            drawn_at: row.try_get("", "drawn_at")?,
        });
    }
    Ok(out)
}

/// A follow-up inspection (复查) and the day it stands on.
struct FollowUp {
    model: inspection::Model,
    on: NaiveDate,
    done: bool,
}

/// The follow-ups not annulled (of one firm, or of all) standing in `year`.
async fn follow_ups_in(
    db: &impl ConnectionTrait,
    year: i32,
    uscc: Option<&str>,
) -> Result<Vec<FollowUp>, WorkflowError> {
    let mut q = inspection::Entity::find()
        .filter(inspection::Column::FollowUpOf.is_not_null())
        .filter(inspection::Column::Status.ne("annulled"));
    if let Some(u) = uscc {
        q = q.filter(inspection::Column::Uscc.eq(u));
    }
    let models = q.all(db).await?;
    let rect_ids: Vec<i64> = models.iter().filter_map(|m| m.follow_up_of).collect();
    let mut deadlines = HashMap::new();
    for chunk in rect_ids.chunks(500) {
        for r in rectification::Entity::find()
            .filter(rectification::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            deadlines.insert(r.id, r.extended_to.unwrap_or(r.deadline));
        }
    }
    let mut out = Vec::new();
    for m in models {
        let ended = ended_on(&m);
        let on = match ended {
            Some(d) => d,
            None => {
                m.follow_up_of.and_then(|r| deadlines.get(&r).copied()).unwrap_or_else(super::china_today)
            }
        };
        if on.year() == year {
            out.push(FollowUp { done: ended.is_some(), on, model: m });
        }
    }
    Ok(out)
}

/// The last day of an entered inspection.
fn ended_on(m: &inspection::Model) -> Option<NaiveDate> {
    let form: InspectionForm = serde_json::from_str(m.form.as_deref()?).ok()?;
    Some(form.ended_on)
}

/// How often each firm has been drawn at random and visited on site in `year`: what a task's
/// eligibility is held against.
pub(crate) async fn year_counts(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<HashMap<String, YearCount>, WorkflowError> {
    let drawn = drawn_in(db, year, None).await?;
    let facts = task_facts(db, drawn.iter().map(|d| d.task_id)).await?;
    let seconds: std::collections::HashSet<(String, i64)> =
        super::merges::joint_halves(db, None).await?.into_iter().map(|h| (h.uscc, h.second)).collect();
    let mut counts: HashMap<String, YearCount> = HashMap::new();
    for d in drawn {
        // A merged visit is one visit: its second half does not count again.
        let merged = seconds.contains(&(d.uscc.clone(), d.task_id));
        let on_site = !merged && facts.get(&d.task_id).is_some_and(|t| t.on_site);
        let c = counts.entry(d.uscc).or_default();
        c.random += u32::from(d.counts_to_cap);
        c.visits += u32::from(on_site);
    }
    // A follow-up goes back to the firm: it is a visit (exempt, never refused).
    for f in follow_ups_in(db, year, None).await? {
        counts.entry(f.model.uscc).or_default().visits += 1;
    }
    Ok(counts)
}

/// The firms among `usccs` inspected (a form entered) within `days` before `day`, each with
/// its latest inspection. None when `days` is 0.
async fn recent_visits(
    db: &impl ConnectionTrait,
    usccs: &[String],
    day: NaiveDate,
    days: u32,
) -> Result<HashMap<String, (NaiveDate, i64)>, WorkflowError> {
    let mut out: HashMap<String, (NaiveDate, i64)> = HashMap::new();
    if days == 0 || usccs.is_empty() {
        return Ok(out);
    }
    let since = day - Duration::days(i64::from(days));
    // A form is entered after its inspection ends: one entered before `since` ended before it.
    let entered_since = since.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - Duration::hours(8);
    let models = inspection::Entity::find()
        .filter(inspection::Column::Form.is_not_null())
        .filter(inspection::Column::Status.ne("annulled"))
        .filter(inspection::Column::UpdatedAt.gte(entered_since))
        .all(db)
        .await?;
    let wanted: std::collections::HashSet<&str> = usccs.iter().map(String::as_str).collect();
    for m in models {
        if !wanted.contains(m.uscc.as_str()) {
            continue;
        }
        let Some(on) = ended_on(&m) else { continue };
        if on < since || on > day {
            continue;
        }
        let e = out.entry(m.uscc.clone()).or_insert((on, m.task_id));
        if on > e.0 {
            *e = (on, m.task_id);
        }
    }
    Ok(out)
}

/// The firms among `usccs` inspected within `days` before `day`, named, latest first (the
/// first `max`), and how many in all.
pub(crate) async fn recent_notes(
    db: &impl ConnectionTrait,
    usccs: &[String],
    day: NaiveDate,
    days: u32,
    max: usize,
) -> Result<(Vec<RecentVisit>, u64), WorkflowError> {
    let recent = recent_visits(db, usccs, day, days).await?;
    let count = recent.len() as u64;
    let codes = task_facts(db, recent.values().map(|(_, task)| *task)).await?;
    let names = target_names(db, recent.keys().cloned().collect()).await?;
    let mut notes: Vec<RecentVisit> = recent
        .into_iter()
        .map(|(uscc, (on, task))| RecentVisit {
            name: names.get(&uscc).cloned().unwrap_or_default(),
            uscc,
            on,
            task_code: codes.get(&task).map(|t| t.code.clone()).unwrap_or_default(),
        })
        .collect();
    notes.sort_by(|a, b| b.on.cmp(&a.on).then_with(|| a.uscc.cmp(&b.uscc)));
    notes.truncate(max);
    Ok((notes, count))
}

/// The directory's names of `usccs`.
async fn target_names(
    db: &impl ConnectionTrait,
    usccs: Vec<String>,
) -> Result<HashMap<String, String>, WorkflowError> {
    let mut out = HashMap::new();
    for chunk in usccs.chunks(500) {
        let mut q = Query::select();
        q.from(Alias::new("targets"))
            .columns(["uscc", "name"].map(Alias::new))
            .and_where(Expr::col(Alias::new("uscc")).is_in(chunk.to_vec()));
        for row in db.query_all(db.get_database_backend().build(&q)).await? {
            out.insert(row.try_get("", "uscc")?, row.try_get("", "name")?);
        }
    }
    Ok(out)
}

/// The ledger of `uscc` for `year`.
pub async fn ledger(store: &Store, uscc: &str, year: i32) -> Result<Ledger, WorkflowError> {
    let uscc = uscc.trim().to_uppercase();
    let Some((_, target)) =
        crate::directory::find::<Target>(store, &uscc).await.map_err(WorkflowError::Store)?
    else {
        return Err(WorkflowError::NotFound {
            zh: format!("检查对象名录库中没有 {uscc}"),
            en: format!("no target {uscc} in the directory"),
        });
    };
    let db = store.connection();
    let limits = crate::settings::load_in(db).await?.rules.limits();
    let drawn = drawn_in(db, year, Some(&uscc)).await?;
    let follow_ups = follow_ups_in(db, year, Some(&uscc)).await?;
    // Each task's line of a merged visit: the other task, and whether it is the second half.
    let mut merged: HashMap<i64, (i64, bool)> = HashMap::new();
    for h in super::merges::joint_halves(db, Some(&uscc)).await? {
        merged.insert(h.first, (h.second, false));
        merged.insert(h.second, (h.first, true));
    }
    let tasks = drawn.iter().map(|d| d.task_id).chain(follow_ups.iter().map(|f| f.model.task_id));
    let facts = task_facts(db, tasks.chain(merged.keys().copied())).await?;
    // The drawn targets' inspections (not the follow-ups), by task.
    let inspections: HashMap<i64, inspection::Model> = inspection::Entity::find()
        .filter(inspection::Column::Uscc.eq(&uscc))
        .filter(inspection::Column::FollowUpOf.is_null())
        .filter(inspection::Column::Status.ne("annulled"))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.task_id, m))
        .collect();
    let mut visits = Vec::new();
    for d in drawn {
        let Some(t) = facts.get(&d.task_id) else { continue };
        let joint = merged.get(&d.task_id).copied();
        let i = inspections.get(&d.task_id);
        let ended = i.and_then(ended_on);
        visits.push(Visit {
            on: ended.unwrap_or_else(|| china_day(d.drawn_at)),
            done: ended.is_some(),
            kind: if t.kind == TaskKind::Triggered { VisitKind::Triggered } else { VisitKind::Random },
            joint: t.departments.len() > 1,
            task_id: d.task_id,
            task_code: t.code.clone(),
            task_title: t.title.clone(),
            department: t.department.clone(),
            departments: t.departments.clone(),
            method: t.method.clone(),
            on_site: t.on_site,
            counts_random: d.counts_to_cap,
            inspection_id: i.map(|i| i.id),
            status: i.map_or_else(|| "drawn".to_owned(), |i| i.status.clone()),
            exemption: if t.kind == TaskKind::Triggered { t.exemption } else { None },
            merged_with: joint.and_then(|(other, _)| facts.get(&other)).map(|o| o.code.clone()),
            counts_visit: !joint.is_some_and(|(_, second)| second),
        });
    }
    for f in follow_ups {
        let Some(t) = facts.get(&f.model.task_id) else { continue };
        visits.push(Visit {
            on: f.on,
            done: f.done,
            kind: VisitKind::FollowUp,
            joint: t.departments.len() > 1,
            task_id: f.model.task_id,
            task_code: t.code.clone(),
            task_title: t.title.clone(),
            department: t.department.clone(),
            departments: t.departments.clone(),
            method: Method::OnSite.code().to_owned(),
            on_site: true,
            counts_random: false,
            inspection_id: Some(f.model.id),
            status: f.model.status.clone(),
            exemption: Some(Exemption::FollowUp),
            merged_with: None,
            counts_visit: true,
        });
    }
    visits.sort_by_key(|v| (v.on, v.task_id));
    let tally = |counts: fn(&Visit) -> bool| visits.iter().filter(|v| counts(v)).count() as u32;
    let count =
        YearCount { random: tally(|v| v.counts_random), visits: tally(|v| v.on_site && v.counts_visit) };
    Ok(Ledger { uscc, name: target.name, year, limits, count, visits })
}

//! How far each task has come, for the workbench: how many targets were drawn, and how many
//! inspections are assigned, entered, published, overdue and due within the week. Counted with
//! two grouped queries, however many inspections there are.

use super::WorkflowError;
use super::inspections::china_today;
use super::tasks::{TaskView, tasks};
use crate::Store;
use chrono::{Duration, NaiveDate};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ConnectionTrait, QueryResult};
use serde::Serialize;
use std::collections::HashMap;

/// One task's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TaskProgress {
    pub task: TaskView,
    /// Targets in the valid draw (selected and replacements, not those found gone).
    pub drawn: u64,
    /// Inspections with a team (every stage below counts here too).
    pub assigned: u64,
    /// Results entered (awaiting publication or returned for changes) or published.
    pub entered: u64,
    pub published: u64,
    /// Results kept off the portal (不予公开), counted apart from the published.
    pub withheld: u64,
    /// Not published and past the deadline (China's today).
    pub overdue: u64,
    /// Not published, due within seven days.
    pub due_this_week: u64,
}

impl TaskProgress {
    /// Whether the work on it is finished: every drawn target's result published (or kept
    /// off the portal on a legal basis).
    pub fn done(&self) -> bool {
        self.drawn > 0 && self.published + self.withheld >= self.drawn
    }
}

fn count(row: &QueryResult) -> Result<u64, sea_orm::DbErr> {
    Ok(u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0))
}

/// Every task's progress (the latest thousand tasks, newest first).
pub async fn progress(store: &Store) -> Result<Vec<TaskProgress>, WorkflowError> {
    let db = store.connection();
    let today = china_today();
    let week = today + Duration::days(7);
    let backend = db.get_database_backend();

    let mut drawn_q = Query::select();
    drawn_q
        .from(Alias::new("draw_entries"))
        .inner_join(
            Alias::new("draws"),
            Expr::col((Alias::new("draws"), Alias::new("id")))
                .equals((Alias::new("draw_entries"), Alias::new("draw_id"))),
        )
        .column((Alias::new("draw_entries"), Alias::new("task_id")))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .and_where(Expr::col((Alias::new("draws"), Alias::new("status"))).eq("valid"))
        .and_where(
            Expr::col((Alias::new("draw_entries"), Alias::new("state"))).is_in(super::draws::TO_INSPECT),
        )
        .group_by_col((Alias::new("draw_entries"), Alias::new("task_id")));
    let mut drawn: HashMap<i64, u64> = HashMap::new();
    for row in db.query_all(backend.build(&drawn_q)).await? {
        drawn.insert(row.try_get("", "task_id")?, count(&row)?);
    }

    let mut by_status = Query::select();
    by_status
        .from(Alias::new("inspections"))
        .columns(["task_id", "status", "publish_by"].map(Alias::new))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        // A task's drawn targets, not the follow-ups (复查) of some of them.
        .and_where(Expr::col(Alias::new("follow_up_of")).is_null())
        .group_by_columns(["task_id", "status", "publish_by"].map(Alias::new));
    let mut rows: HashMap<i64, Vec<(String, Option<NaiveDate>, u64)>> = HashMap::new();
    for row in db.query_all(backend.build(&by_status)).await? {
        let task_id: i64 = row.try_get("", "task_id")?;
        rows.entry(task_id).or_default().push((
            row.try_get("", "status")?,
            row.try_get("", "publish_by")?,
            count(&row)?,
        ));
    }

    let mut out = Vec::new();
    for task in tasks(store, false, None).await? {
        let mut p = TaskProgress {
            drawn: drawn.get(&task.id).copied().unwrap_or(0),
            assigned: 0,
            entered: 0,
            published: 0,
            withheld: 0,
            overdue: 0,
            due_this_week: 0,
            task,
        };
        for (status, publish_by, n) in rows.get(&p.task.id).map(Vec::as_slice).unwrap_or_default() {
            match status.as_str() {
                "annulled" => continue,
                "published" => {
                    p.published += n;
                    p.entered += n;
                }
                "withheld" => {
                    p.withheld += n;
                    p.entered += n;
                }
                "entered" | "returned" => p.entered += n,
                _ => {}
            }
            p.assigned += n;
            if !matches!(status.as_str(), "published" | "withheld")
                && let Some(by) = publish_by
            {
                if *by < today {
                    p.overdue += n;
                } else if *by <= week {
                    p.due_this_week += n;
                }
            }
        }
        out.push(p);
    }
    Ok(out)
}

/// One department's share of the open work: the tasks it takes part in (a joint task counts
/// for each of its departments) and their inspections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DepartmentLoad {
    pub department: String,
    /// Tasks not yet done that it runs (主办).
    pub leads: u64,
    /// Tasks not yet done it runs or takes part in.
    pub tasks: u64,
    pub drawn: u64,
    pub published: u64,
    pub overdue: u64,
    pub due_this_week: u64,
}

/// The open tasks' work by department, in the order the departments first appear (the
/// department running a task first, then those taking part).
pub fn by_department(progress: &[TaskProgress]) -> Vec<DepartmentLoad> {
    let mut out: Vec<DepartmentLoad> = Vec::new();
    for p in progress.iter().filter(|p| !p.done()) {
        let owner = &p.task.department;
        let joint = p.task.definition.departments.iter().filter(|d| *d != owner);
        for (i, d) in std::iter::once(owner).chain(joint).enumerate() {
            let at = match out.iter().position(|l| l.department == *d) {
                Some(at) => at,
                None => {
                    out.push(DepartmentLoad {
                        department: d.clone(),
                        leads: 0,
                        tasks: 0,
                        drawn: 0,
                        published: 0,
                        overdue: 0,
                        due_this_week: 0,
                    });
                    out.len() - 1
                }
            };
            let l = &mut out[at];
            l.leads += u64::from(i == 0);
            l.tasks += 1;
            l.drawn += p.drawn;
            l.published += p.published;
            l.overdue += p.overdue;
            l.due_this_week += p.due_this_week;
        }
    }
    out
}

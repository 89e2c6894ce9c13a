//! `suiji plan`: the annual plans from the server's shell — list, show with execution, add and
//! change from a JSON file, and the approval's steps.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::PlanCommand;
use std::io::Write;
use std::path::Path;
use suiji_domain::workflow::PlanStep;
use suiji_store::workflow::{self as wf, NewPlan, PlanView, WorkflowError};

fn failure(e: WorkflowError) -> Failure {
    Failure::Input(e.to_string())
}

fn plan_file(path: &Path) -> Result<NewPlan, Failure> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::Input(format!("{}: not a plan / 不是计划文件: {e}", path.display())))
}

/// One line: number, year, status, department, lines, title.
fn line(p: &PlanView) -> String {
    format!("{}\t{}\t{}\t{}\t{}\t{}", p.id, p.year, p.status.code(), p.department, p.lines.len(), p.title)
}

fn or_dash(n: Option<u32>) -> String {
    n.map_or_else(|| "-".into(), |n| n.to_string())
}

pub fn run(command: &PlanCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let rt = runtime()?;
    let step =
        |plan: i64, step: PlanStep, comment: &str, db: &crate::cli::DbArg, actor: &crate::cli::ActorArg| {
            rt.block_on(async {
                let store = open_store(&db.db).await?;
                wf::plan_step(&store, plan, step, comment, &actor.actor(), None).await.map_err(failure)
            })
        };
    let changed = match command {
        PlanCommand::List { year, db } => {
            let plans = rt.block_on(async {
                let store = open_store(&db.db).await?;
                wf::plans(&store, false).await.map_err(|e| Failure::Input(e.to_string()))
            })?;
            for p in plans.iter().filter(|p| year.is_none_or(|y| p.year == y)) {
                crate::output_line(stdout, line(p))?;
            }
            return Ok(());
        }
        PlanCommand::JointOffers { year, db } => {
            let offers = rt.block_on(async {
                let store = open_store(&db.db).await?;
                wf::joint_offers(&store, *year).await.map_err(failure)
            })?;
            for o in &offers {
                let side = |l: &wf::OfferedLine| {
                    format!("{} {}#{} {} {}", l.department, l.plan_id, l.position, l.item, l.item_name)
                };
                let kinds = if o.industries.is_empty() { "*".to_owned() } else { o.industries.join(" ") };
                crate::output_line(
                    stdout,
                    format!(
                        "{}\t{}\t{}\t{}\t{}..{}",
                        o.year,
                        side(&o.lines[0]),
                        side(&o.lines[1]),
                        kinds,
                        o.window_start,
                        o.window_end
                    ),
                )?;
            }
            return Ok(());
        }
        PlanCommand::Show { plan, db } => {
            let (p, execution) = rt.block_on(async {
                let store = open_store(&db.db).await?;
                let p = wf::plan(&store, *plan).await.map_err(failure)?;
                let e = wf::execution(&store, &p).await.map_err(failure)?;
                Ok::<_, Failure>((p, e))
            })?;
            crate::output_line(stdout, line(&p))?;
            if let Some(c) = p.review_comment.as_deref().filter(|c| !c.is_empty()) {
                crate::output_line(stdout, format!("review\t{c}"))?;
            }
            crate::output_line(
                stdout,
                "#\titem\tcount\tratio\tfrom\tto\tjoint\ttasks\tdrawn\tinspected\tpublished\toverdue".into(),
            )?;
            for (l, e) in p.lines.iter().zip(&execution) {
                crate::output_line(
                    stdout,
                    format!(
                        "{}\t{} {}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        l.position,
                        l.line.item,
                        l.item_name,
                        or_dash(l.line.expected_count),
                        l.line.ratio_text().unwrap_or_else(|| "-".into()),
                        l.line.window_start,
                        l.line.window_end,
                        l.line.joint_departments.join("、"),
                        e.tasks.join(","),
                        e.drawn,
                        e.inspected,
                        e.published,
                        e.overdue
                    ),
                )?;
            }
            return Ok(());
        }
        PlanCommand::Add { file, db, actor } => {
            let new = plan_file(file)?;
            rt.block_on(async {
                let store = open_store(&db.db).await?;
                wf::save_plan(&store, None, &new, &actor.actor(), None).await.map_err(failure)
            })?
        }
        PlanCommand::Set { plan, file, db, actor } => {
            let new = plan_file(file)?;
            rt.block_on(async {
                let store = open_store(&db.db).await?;
                wf::save_plan(&store, Some(*plan), &new, &actor.actor(), None).await.map_err(failure)
            })?
        }
        PlanCommand::Submit { plan, comment, db, actor } => {
            step(*plan, PlanStep::Submit, comment, db, actor)?
        }
        PlanCommand::Approve { plan, comment, db, actor } => {
            step(*plan, PlanStep::Approve, comment, db, actor)?
        }
        PlanCommand::Return { plan, comment, db, actor } => {
            step(*plan, PlanStep::Return, comment, db, actor)?
        }
        PlanCommand::Publish { plan, db, actor } => step(*plan, PlanStep::Publish, "", db, actor)?,
    };
    crate::output_line(stdout, line(&changed))
}

//! `suiji target`: one firm of the directory — its inspection ledger (检查台账), as the staff
//! page and the API give it.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::TargetCommand;
use chrono::Datelike;
use std::io::Write;
use suiji_store::workflow as wf;

pub fn run(command: &TargetCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    match command {
        TargetCommand::Inspections { uscc, year, db } => {
            let year = year.unwrap_or_else(|| wf::china_today().year());
            let l = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                wf::ledger(&store, uscc, year).await.map_err(|e| Failure::Input(e.to_string()))
            })?;
            crate::output_line(
                stdout,
                format!(
                    "ledger\t{}\t{}\t{}\trandom={}/{}\tvisits={}/{}",
                    l.uscc, l.name, l.year, l.count.random, l.limits.random, l.count.visits, l.limits.visits
                ),
            )?;
            for v in &l.visits {
                crate::output_line(
                    stdout,
                    format!(
                        "{}\t{}\t{}\t{}{}\t{}\t{}\t{}\t{}{}",
                        v.on,
                        if v.done { "done" } else { "planned" },
                        v.kind.en(),
                        v.task_code,
                        if v.joint { " (joint)" } else { "" },
                        v.department,
                        v.method,
                        v.status,
                        v.exemption.map_or("-", |e| e.code()),
                        // A merged visit (合并检查): the other task, and whether this line counts.
                        v.merged_with.as_ref().map_or(String::new(), |m| format!(
                            "\tmerged with {m}{}",
                            if v.counts_visit { "" } else { " (counted there)" }
                        )),
                    ),
                )?;
            }
            Ok(())
        }
    }
}

//! `suiji calendar`: working days on China's official schedule.
//!
//! The answers are printed bare (`true`, `2026-10-30`) for scripts; a warning goes to standard
//! error when a year without official data was counted Monday–Friday.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::{CalendarCommand, DbArg};
use chrono::NaiveDate;
use std::io::Write;
use suiji_domain::calendar::{Answer, WorkCalendar, parse_schedule};

pub fn run(command: &CalendarCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    match command {
        CalendarCommand::IsWorkday { date, db } => {
            let date = parse_date(date)?;
            let answer = calendar(db)?.is_workday(date);
            warn_if_provisional(&answer);
            crate::output_line(stdout, answer.value.to_string())
        }
        CalendarCommand::AddWorkdays { date, n, db } => {
            let date = parse_date(date)?;
            let answer = calendar(db)?.add_workdays(date, *n);
            warn_if_provisional(&answer);
            crate::output_line(stdout, answer.value.format("%Y-%m-%d").to_string())
        }
        CalendarCommand::Import { file, db, actor: who } => {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(file)
                .map_err(|e| Failure::Input(format!("{name}: cannot read: {e}")))?;
            let days = parse_schedule(&text).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
            if days.is_empty() {
                return Err(Failure::Input(format!("{name}: no days in the file")));
            }
            let source = file.file_name().map_or(name.clone(), |n| n.to_string_lossy().into_owned());
            let years = runtime()?.block_on(async {
                let store = open_store(&db.db).await?;
                suiji_store::calendar::import(&store, &days, &source, &who.actor())
                    .await
                    .map_err(|e| Failure::Input(e.to_string()))
            })?;
            let years: Vec<String> = years.iter().map(i32::to_string).collect();
            crate::output_line(
                stdout,
                format!(
                    "{name}: {} 天 days imported for {} (年度安排已替换 the years' schedules replaced)",
                    days.len(),
                    years.join(", ")
                ),
            )
        }
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Failure::Input(format!("{s:?} is not a date: write it as YYYY-MM-DD")))
}

/// The built-in schedule, with the years imported into the store when there is one. A SQLite
/// file that does not exist is not created just to answer a question.
fn calendar(db: &DbArg) -> Result<WorkCalendar, Failure> {
    if suiji_store::sqlite_file(&db.db).is_some_and(|file| !std::path::Path::new(file).exists()) {
        return Ok(WorkCalendar::builtin());
    }
    runtime()?.block_on(async {
        let store = open_store(&db.db).await?;
        suiji_store::calendar::calendar(&store).await.map_err(|e| Failure::Input(e.to_string()))
    })
}

fn warn_if_provisional<T>(answer: &Answer<T>) {
    if answer.provisional {
        eprintln!(
            "suiji: 警告：所涉年份尚无官方节假日安排，按周一至周五计算 \
             (warning: no official schedule for a year involved; counted Monday to Friday — \
             `suiji calendar import FILE` adds it)"
        );
    }
}

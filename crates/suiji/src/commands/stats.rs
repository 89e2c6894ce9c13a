//! `suiji stats`: a period's figures from the server's shell, as docs/statistics.md defines
//! them — a line a figure (name, count, of, rate), or the API's JSON with `--json`.

use super::{open_store, runtime};
use crate::cli::StatsArgs;
use crate::{Failure, output_line};
use std::io::Write;
use suiji_domain::stats::{Group, Period, Share};

pub fn run(args: &StatsArgs, stdout: &mut dyn Write) -> Result<(), Failure> {
    let period = match (args.year, args.from, args.to) {
        (Some(y), _, _) => Period::year(y).filter(|_| (2000..=2100).contains(&y)),
        (None, Some(from), Some(to)) => Some(Period { from, to }).filter(|p| p.from <= p.to),
        _ => None,
    }
    .ok_or_else(|| Failure::Input("a year from 2000 to 2100, or --from not after --to".into()))?;
    let rt = runtime()?;
    let stats = rt.block_on(async {
        let store = open_store(&args.db.db).await?;
        suiji_store::stats::stats(&store, &period, args.department.as_deref())
            .await
            .map_err(|e| Failure::Input(e.to_string()))
    })?;
    if args.json {
        let text = serde_json::to_string_pretty(&stats).expect("figures serialise");
        return output_line(stdout, text);
    }
    let mut out = |name: &str, value: String| output_line(stdout, format!("{name}\t{value}"));
    let share = |s: &Share| format!("{}\t{}\t{}", s.part, s.whole, s.percent());
    let groups = |gs: &[Group]| {
        gs.iter()
            .map(|g| format!("{} {} {}/{}", g.name, g.key, g.share.part, g.share.whole))
            .collect::<Vec<_>>()
            .join("; ")
    };
    out("period", format!("{} {}", stats.period.from, stats.period.to))?;
    out("department", stats.department.clone().unwrap_or_else(|| "*".into()))?;
    out("tasks_drawn", stats.tasks.to_string())?;
    out("coverage", share(&stats.coverage.drawn))?;
    out("never_drawn", stats.coverage.never_drawn.to_string())?;
    out("coverage_by_region", groups(&stats.coverage.by_region))?;
    for i in &stats.items {
        let least = i.least_bp.map_or_else(|| "-".into(), suiji_domain::directory::percent);
        let meets = match i.meets {
            Some(true) => "meets",
            Some(false) => "below",
            None => "-",
        };
        out(&format!("item {} {}", i.code, i.name), format!("{}\tleast {least}\t{meets}", share(&i.drawn)))?;
    }
    out("problems_found", share(&stats.findings.found))?;
    out("not_inspectable", stats.findings.not_inspectable.to_string())?;
    out("problems_by_grade", groups(&stats.findings.by_grade))?;
    out("problems_by_risk_class", groups(&stats.findings.by_risk_class))?;
    out("problems_by_item", groups(&stats.findings.by_item))?;
    out("problems_directed", share(&stats.findings.directed))?;
    out("problems_control", share(&stats.findings.control))?;
    let h = &stats.handling;
    out(
        "rectifications",
        format!("{}\trectified {}\tescalated {}", h.rectifications, h.rectified, h.escalated),
    )?;
    out("penalties", h.penalties.to_string())?;
    out("referrals", h.referrals.to_string())?;
    out("listed", groups(&h.listed))?;
    let t = &stats.timeliness;
    let days = |d: Option<i64>| d.map_or_else(|| "-".into(), |d| d.to_string());
    out(
        "results_on_time",
        format!("{}\tmedian days {}", share(&t.results_on_time), days(t.results_median_days)),
    )?;
    out(
        "penalty_notices_on_time",
        format!("{}\tmedian days {}", share(&t.penalties_on_time), days(t.penalties_median_days)),
    )?;
    out("inspections_by_department", groups(&stats.workload.by_department))?;
    out("inspectors_with_inspections", stats.workload.by_inspector.len().to_string())?;
    out("member_changes", stats.workload.member_changes.to_string())?;
    out("target_replacements", stats.workload.target_replacements.to_string())?;
    out("recusals", stats.workload.recusals.to_string())?;
    out("random_share", share(&stats.kinds.random))?;
    out("triggered", stats.kinds.triggered.to_string())?;
    out("follow_ups", stats.kinds.follow_up.to_string())
}

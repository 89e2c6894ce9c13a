//! The figures a bureau is judged on (统计), each defined once: what is counted, over which
//! period, and what a rate divides by. The store counts in SQL; this module holds the shapes of
//! the answer and the arithmetic on counts, so every page, report and command says the same.
//! `docs/statistics.md` gives the same definitions in words.
//!
//! A period is a range of China's calendar days, both ends included. What falls in it:
//! - a firm is *drawn* in it when a valid draw made in it has it among the firms to inspect
//!   (selected and not gone, a replacement, or the control sample's);
//! - an inspection is *completed* in it when its result is final — published, or kept off the
//!   portal on a legal basis (不予公开) — and the inspection ended (the form's 检查结束日期) in it;
//! - a rectification, penalty or list entry falls in it by the day it was ordered, decided or
//!   listed; a publication by the day it was first published.

use crate::workflow::Conclusion;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A share: `part` of `whole`, with the rate in basis points (none when `whole` is 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Share {
    pub part: u64,
    pub whole: u64,
    /// `part / whole` in basis points (10000 = 100%), rounded to the nearest; none of nothing.
    pub rate_bp: Option<u32>,
}

impl Share {
    pub fn new(part: u64, whole: u64) -> Share {
        Share { part, whole, rate_bp: rate_bp(part, whole) }
    }

    /// The rate as people write it ("12.5%"), or "—" of nothing.
    pub fn percent(&self) -> String {
        self.rate_bp.map_or_else(|| "—".to_owned(), crate::directory::percent)
    }
}

/// `part / whole` in basis points, rounded half up; none when `whole` is 0.
pub fn rate_bp(part: u64, whole: u64) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let bp = (u128::from(part) * 10_000 * 2 + u128::from(whole)) / (u128::from(whole) * 2);
    Some(u32::try_from(bp).unwrap_or(u32::MAX))
}

/// The median of counted values (`(value, how many)`, in any order): the middle one, or the
/// mean of the two middle ones rounded down; none of nothing.
pub fn median(counts: &[(i64, u64)]) -> Option<i64> {
    let mut sorted: Vec<(i64, u64)> = counts.iter().copied().filter(|(_, n)| *n > 0).collect();
    sorted.sort_unstable();
    let total: u64 = sorted.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    // The values at positions (total − 1) / 2 and total / 2, counting from 0.
    let at = |position: u64| {
        let mut seen = 0;
        for &(value, n) in &sorted {
            seen += n;
            if position < seen {
                return value;
            }
        }
        unreachable!("a position below the total is reached")
    };
    let (low, high) = (at((total - 1) / 2), at(total / 2));
    Some((low + high).div_euclid(2))
}

/// Whether an inspection with this conclusion found a problem (发现问题): a violation ordered
/// corrected, one left for further handling, or a refusal serious enough to be one.
pub fn found_problem(c: Conclusion) -> bool {
    matches!(c, Conclusion::Corrected | Conclusion::PendingHandling | Conclusion::NonCooperation)
}

/// Whether the firm could not be inspected as such (unreachable, no such activity, deregistered):
/// counted among the completed, and shown apart.
pub fn not_inspectable(c: Conclusion) -> bool {
    matches!(c, Conclusion::Unreachable | Conclusion::NoActivity | Conclusion::Deregistered)
}

/// What the figures are asked for: a period, and optionally one department's tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// A calendar year.
    pub fn year(year: i32) -> Option<Period> {
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }

    /// Every day the figures can be asked for (2000 to 2100): a task's whole life.
    pub fn all() -> Period {
        Period {
            from: NaiveDate::from_ymd_opt(2000, 1, 1).expect("a day"),
            to: NaiveDate::from_ymd_opt(2100, 12, 31).expect("a day"),
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// Counts of one group (a region, an industry section, a grade…): the firms or inspections of
/// it, and the part the figure is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Group {
    /// The group's code as stored ("" for none: unrated, unclassified, no region).
    pub key: String,
    /// Its name as people read it.
    pub name: String,
    pub share: Share,
}

/// 抽查覆盖率: active firms of the directory drawn at least once in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Coverage {
    /// Drawn in the period, of the directory's active firms (as the directory stands now).
    pub drawn: Share,
    /// By region (the firm's region code), industry section (GB/T 4754 letter), kind, scale.
    pub by_region: Vec<Group>,
    pub by_industry: Vec<Group>,
    pub by_kind: Vec<Group>,
    pub by_scale: Vec<Group>,
    /// Active firms by the year they were last drawn (any valid draw up to the period's end):
    /// `key` the year, or "" for never drawn; `share.part` the firms.
    pub last_drawn: Vec<Group>,
    /// Active firms never drawn by any valid draw.
    pub never_drawn: u64,
}

/// 事项覆盖: per item, the firms its tasks of the period inspected against the populations
/// they were drawn from, beside the item's least ratio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ItemCoverage {
    pub code: String,
    pub name: String,
    /// Tasks drawn in the period that carry the item.
    pub tasks: u64,
    /// Firms to inspect in their valid draws, of the firms in their committed populations
    /// (summed over the tasks).
    pub drawn: Share,
    /// The least ratio the rules ask of the item (its own, or 5% for a general item).
    pub least_bp: Option<u32>,
    /// Whether `drawn` reaches it (none without a least ratio or a population).
    pub meets: Option<bool>,
}

/// 问题发现率: completed inspections that found a problem.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Findings {
    /// With a problem found, of the inspections completed in the period.
    pub found: Share,
    /// Of the completed, those whose firm could not be inspected as such.
    pub not_inspectable: u64,
    /// By conclusion: `key` the conclusion's code, `share.part` the inspections.
    pub by_conclusion: Vec<Group>,
    /// By the firm's credit grade and risk class (as the directory stands now).
    pub by_grade: Vec<Group>,
    pub by_risk_class: Vec<Group>,
    /// By item (事项): `key` the item's code, `share` the completed inspections that found it
    /// not complied with (不符合规定) of those that checked it (符合 or 不符合; 未检查 left
    /// out). An inspection may find several items not complied with.
    pub by_item: Vec<Group>,
    /// Random tasks with a control sample: the directed draw's inspections, and the control
    /// sample's — does the weighting find more?
    pub directed: Share,
    pub control: Share,
}

/// What was done about what was found, in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HandlingCounts {
    /// 责令整改 ordered.
    pub rectifications: u64,
    /// Of those, closed as rectified on follow-up; and escalated (not rectified).
    pub rectified: u64,
    pub escalated: u64,
    /// 行政处罚 decided.
    pub penalties: u64,
    /// Completed inspections whose result refers the case to another body (移送).
    pub referrals: u64,
    /// Firms listed (列入名单), by list: `key` the list's code.
    pub listed: Vec<Group>,
}

/// How fast results and penalty notices went public.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Timeliness {
    /// Results first published in the period, on or before their deadline (20 working days
    /// after the inspection ended, unless the bureau's rules say otherwise).
    pub results_on_time: Share,
    /// Calendar days from the inspection's end to its result's first publication: the median.
    pub results_median_days: Option<i64>,
    /// Penalty notices first published in the period, on or before their deadline (7 working
    /// days after the decision).
    pub penalties_on_time: Share,
    pub penalties_median_days: Option<i64>,
}

/// Who did the work: completed inspections by the department running the task and by
/// inspector, and the changes made to draws and teams.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Workload {
    /// `key` the department, `share.part` its completed inspections.
    pub by_department: Vec<Group>,
    /// `key` the certificate number, `name` the inspector, `share.part` the completed
    /// inspections they were on; most first.
    pub by_inspector: Vec<Group>,
    /// Team members replaced (更换检查组成员) and drawn firms replaced from the reserve.
    pub member_changes: u64,
    pub target_replacements: u64,
    /// Recusals (回避) on the list now.
    pub recusals: u64,
}

/// Completed inspections by how they came about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Kinds {
    /// Drawn by random tasks (the 双随机 share of all completed).
    pub random: Share,
    pub triggered: u64,
    /// Follow-ups of rectifications (复查).
    pub follow_up: u64,
}

/// The few figures the workbench shows each role (工作台): tasks drawn, problems found, results
/// on time, rectifications ordered and found rectified — counted as in [Stats].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Headline {
    pub tasks: u64,
    pub found: Share,
    pub results_on_time: Share,
    pub rectifications: u64,
    pub rectified: u64,
}

/// Every figure for one period (and department).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Stats {
    pub period: Period,
    /// The department whose tasks were counted; none for the whole bureau.
    pub department: Option<String>,
    /// Tasks drawn in the period.
    pub tasks: u64,
    pub coverage: Coverage,
    pub items: Vec<ItemCoverage>,
    pub findings: Findings,
    pub handling: HandlingCounts,
    pub timeliness: Timeliness,
    pub workload: Workload,
    pub kinds: Kinds,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_rounded_half_up_and_nothing_has_none() {
        assert_eq!(rate_bp(1, 3), Some(3333));
        assert_eq!(rate_bp(2, 3), Some(6667));
        assert_eq!(rate_bp(1, 8), Some(1250));
        assert_eq!(rate_bp(1, 20_000), Some(1), "0.5 bp rounds up");
        assert_eq!(rate_bp(0, 0), None);
        assert_eq!(Share::new(3, 12).percent(), "25%");
        assert_eq!(Share::new(1, 8).percent(), "12.5%");
        assert_eq!(Share::new(0, 0).percent(), "—");
    }

    #[test]
    fn the_median_of_counted_values() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[(5, 1)]), Some(5));
        // 1, 2, 2, 9: the middle two are 2 and 2.
        assert_eq!(median(&[(9, 1), (2, 2), (1, 1)]), Some(2));
        // 3, 4: (3 + 4) / 2 rounded down.
        assert_eq!(median(&[(4, 1), (3, 1)]), Some(3));
        assert_eq!(median(&[(10, 3), (0, 0), (20, 1)]), Some(10));
    }

    #[test]
    fn what_counts_as_a_problem_found() {
        let found: Vec<_> = Conclusion::ALL.into_iter().filter(|c| found_problem(*c)).collect();
        assert_eq!(found, [Conclusion::Corrected, Conclusion::PendingHandling, Conclusion::NonCooperation]);
        assert_eq!(Conclusion::ALL.into_iter().filter(|c| not_inspectable(*c)).count(), 3);
        assert!(!found_problem(Conclusion::NoProblem) && !not_inspectable(Conclusion::NoProblem));
    }
}

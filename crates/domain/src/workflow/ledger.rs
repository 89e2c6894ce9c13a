//! 检查台账 and the limits on visiting one firm (无事不扰): every inspection of a firm in a year —
//! random, triggered, follow-up, joint — counts against the bureau's limits. Random draws are
//! limited on their own (000: twice a year); on-site visits of every kind together are limited
//! too (国办发〔2024〕54号: the yearly frequency of 涉企行政检查 is capped and published). A
//! random draw never selects a firm over a limit; a triggered inspection of one needs a coded
//! exemption, and a follow-up of a rectification is exempt by its nature.

use serde::{Deserialize, Serialize};

/// Why an inspection may visit a firm already at its yearly limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Exemption {
    /// 投诉举报且有证据: a complaint or report with evidence of a violation.
    ComplaintEvidence,
    /// 整改复查: checking that an ordered rectification was carried out.
    FollowUp,
    /// 上级机关转办交办: referred or assigned by a higher authority.
    Referral,
    /// 重大风险隐患: a major risk (wage arrears at scale, a threat to safety or stability).
    MajorRisk,
}

impl Exemption {
    pub const ALL: [Exemption; 4] =
        [Exemption::ComplaintEvidence, Exemption::FollowUp, Exemption::Referral, Exemption::MajorRisk];

    /// Those a triggered task may carry: a follow-up is its rectification's, never a task's.
    pub const OF_TASKS: [Exemption; 3] =
        [Exemption::ComplaintEvidence, Exemption::Referral, Exemption::MajorRisk];

    pub fn code(self) -> &'static str {
        match self {
            Exemption::ComplaintEvidence => "complaint_evidence",
            Exemption::FollowUp => "follow_up",
            Exemption::Referral => "referral",
            Exemption::MajorRisk => "major_risk",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Exemption::ComplaintEvidence => "投诉举报且有违法证据",
            Exemption::FollowUp => "整改复查",
            Exemption::Referral => "上级机关转办交办",
            Exemption::MajorRisk => "存在重大风险隐患",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Exemption::ComplaintEvidence => "a complaint with evidence",
            Exemption::FollowUp => "follow-up of a rectification",
            Exemption::Referral => "referred by a higher authority",
            Exemption::MajorRisk => "a major risk",
        }
    }

    pub fn parse(code: &str) -> Option<Exemption> {
        let code = code.trim();
        Exemption::ALL.into_iter().find(|e| e.code() == code || e.zh() == code)
    }
}

/// What kind of inspection a visit on the ledger is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitKind {
    /// Drawn by a random task (双随机).
    Random,
    /// Drawn or named by a triggered task (触发式).
    Triggered,
    /// A follow-up of a rectification (整改复查).
    FollowUp,
}

impl VisitKind {
    pub fn zh(self) -> &'static str {
        match self {
            VisitKind::Random => "随机抽查",
            VisitKind::Triggered => "触发式检查",
            VisitKind::FollowUp => "整改复查",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            VisitKind::Random => "random",
            VisitKind::Triggered => "triggered",
            VisitKind::FollowUp => "follow-up",
        }
    }
}

/// The limits a firm's year is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Limits {
    /// Random draws of one firm in a year.
    pub random: u32,
    /// On-site inspections of one firm in a year, of every kind.
    pub visits: u32,
}

/// How often a firm has been drawn and visited this year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct YearCount {
    /// Drawn by random tasks (valid draws; the ones counting toward the random limit).
    pub random: u32,
    /// On-site inspections of every kind, drawn or done.
    pub visits: u32,
}

/// Which limit a firm has reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OverLimit {
    /// Drawn `count` times by random tasks this year; the limit is `limit`.
    Random { count: u32, limit: u32 },
    /// Visited on site `count` times this year; the limit is `limit`.
    Visits { count: u32, limit: u32 },
}

impl OverLimit {
    pub fn zh(self) -> String {
        match self {
            OverLimit::Random { count, limit } => {
                format!("本年度已被随机抽取 {count} 次，达到上限 {limit} 次")
            }
            OverLimit::Visits { count, limit } => {
                format!("本年度已现场检查 {count} 次，达到上限 {limit} 次")
            }
        }
    }

    pub fn en(self) -> String {
        match self {
            OverLimit::Random { count, limit } => {
                format!("drawn at random {count} times this year, at the limit of {limit}")
            }
            OverLimit::Visits { count, limit } => {
                format!("visited on site {count} times this year, at the limit of {limit}")
            }
        }
    }
}

impl YearCount {
    /// The limit a new inspection would go over: a random draw is held to both limits (the
    /// random one first), any other on-site inspection to the visits' limit; an inspection not
    /// on site to none.
    pub fn over(self, limits: Limits, random: bool, on_site: bool) -> Option<OverLimit> {
        if random && self.random >= limits.random {
            return Some(OverLimit::Random { count: self.random, limit: limits.random });
        }
        if on_site && self.visits >= limits.visits {
            return Some(OverLimit::Visits { count: self.visits, limit: limits.visits });
        }
        None
    }
}

/// A firm the filters admit that reached a yearly limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LimitNote {
    pub uscc: String,
    pub name: String,
    pub over: OverLimit,
    /// Kept under the task's exemption (a triggered task); otherwise left out.
    pub exempted: bool,
}

/// What the yearly limits did to a task's population, for its preview: how many firms were left
/// out, the firms at a limit (left out, or kept under the task's exemption; the first
/// [`MAX_NOTES`]), and the eligible firms inspected lately (the first [`MAX_NOTES`]) with how
/// many in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LimitNotes {
    pub left_out: u64,
    pub over: Vec<LimitNote>,
    pub recent: Vec<RecentVisit>,
    pub recent_count: u64,
}

/// An earlier inspection of a firm, pointed out before it is drawn again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecentVisit {
    pub uscc: String,
    pub name: String,
    /// The last day of its latest inspection.
    pub on: chrono::NaiveDate,
    pub task_code: String,
}

/// What a draw's record points out beside its list (无事不扰), fixed when the draw is made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct DrawNotes {
    /// Drawn firms inspected within the bureau's recent days before the draw.
    pub recent: Vec<RecentVisit>,
    /// The days that was.
    pub recent_days: u32,
    /// Drawn firms that reached a yearly limit after the task was published (another task's
    /// draw came between) and that the reserve could not replace: they stay, said so.
    pub over_limit: Vec<OverDrawn>,
    /// Firms of the control sample found at a yearly limit so: a control sample has no reserve,
    /// so they are left out of it, said so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub control_over_limit: Vec<OverDrawn>,
}

/// A drawn firm found at a limit when the draw was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OverDrawn {
    pub uscc: String,
    pub over: OverLimit,
}

/// The most firms a preview or a draw names in one list of notes.
pub const MAX_NOTES: usize = 100;

/// The highest yearly limit of on-site visits a bureau may set.
pub const MAX_VISIT_CAP: u32 = 24;
/// The default: two random draws and two other visits.
pub const DEFAULT_VISIT_CAP: u32 = 4;
/// The default span in which an earlier visit is pointed out (days).
pub const DEFAULT_RECENT_DAYS: u32 = 30;
/// The longest such span.
pub const MAX_RECENT_DAYS: u32 = 365;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_random_draw_is_held_to_both_limits_and_other_visits_to_one() {
        let limits = Limits { random: 2, visits: 4 };
        let two_draws = YearCount { random: 2, visits: 2 };
        assert_eq!(two_draws.over(limits, true, true), Some(OverLimit::Random { count: 2, limit: 2 }));
        assert_eq!(two_draws.over(limits, false, true), None, "a triggered visit is not a random draw");
        let four_visits = YearCount { random: 1, visits: 4 };
        assert_eq!(four_visits.over(limits, true, true), Some(OverLimit::Visits { count: 4, limit: 4 }));
        assert_eq!(four_visits.over(limits, false, true), Some(OverLimit::Visits { count: 4, limit: 4 }));
        assert_eq!(four_visits.over(limits, false, false), None, "a written check visits nobody");
        assert!(four_visits.over(limits, false, true).unwrap().zh().contains("现场检查 4 次"));
    }

    #[test]
    fn exemptions_read_their_codes_and_names() {
        for e in Exemption::ALL {
            assert_eq!(Exemption::parse(e.code()), Some(e));
            assert_eq!(Exemption::parse(e.zh()), Some(e));
        }
        assert_eq!(Exemption::parse("because"), None);
    }
}

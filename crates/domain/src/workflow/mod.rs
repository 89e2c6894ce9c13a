//! The inspection workflow's domain: tasks (who is eligible, how many are drawn, how teams are
//! made), inspections and their results, and the deadlines of publication. Pure rules; the
//! store keeps them and the web service shows them.

mod inspection;
mod invalid;
mod lead;
mod ledger;
mod penalty;
mod plan;
mod rectification;
mod task;

pub use inspection::{
    Conclusion, FormDates, Handling, InspectionForm, ItemResult, ItemVerdict, NonCooperation,
    PENALTY_WORKDAYS, PUBLICATION_WORKDAYS, PublicResult, penalty_deadline, publication_deadline,
};
pub use invalid::{Invalid, check_texts, texts};
pub use lead::{
    LeadSource, LeadStatus, MAX_LEAD_TARGETS, MULTI_POINT_DAYS, MULTI_POINT_LEADS, NewLead,
    RISK_PENALTY_YEARS, RiskFacts, RiskLevel, RiskPart, RiskScore, risk_score,
};
pub use ledger::{
    DEFAULT_RECENT_DAYS, DEFAULT_VISIT_CAP, DrawNotes, Exemption, LimitNote, LimitNotes, Limits, MAX_NOTES,
    MAX_RECENT_DAYS, MAX_VISIT_CAP, OverDrawn, OverLimit, RecentVisit, VisitKind, YearCount,
};
pub use penalty::{
    PenaltyDecision, PenaltyStanding, Procedure, PublicPenalty, WITHHOLDING_BASES, check_withholding,
};
pub use plan::{
    MAX_EXPECTED, MAX_INDUSTRIES, MAX_JOINT, MAX_LINES, PlanLine, PlanStatus, PlanStep, check_lines,
    common_industries, is_industry_prefix, parse_ratio,
};
pub use rectification::{
    DUE_DAYS, Escalation, FollowUpOutcome, MAX_EXTENSION_DAYS, Rectification, RectificationStatus, Standing,
};
pub use task::{
    CreditWeights, Eligibility, ItemFacts, MAX_SHARE_FLOOR, MAX_YEARLY_CAP, Preview, RiskWeights, SizeSpec,
    StratumField, StratumShare, TargetFacts, TaskDefinition, TaskKind, TaskStatus, TeamSpec, stratum_zh,
};

//! 线索: what starts a triggered inspection (seed 002 第二条) — a complaint or report (投诉举报),
//! a case referred or assigned by another authority (转办交办), an alert from online monitoring
//! (网络监测), a finding of risk control (风险防控). A lead names the firms it concerns and what
//! it says; what it says, its reference and whoever made it stay private — the public sees only
//! that a task was started by a lead of its kind.
//!
//! Beside each lead sits the firm's risk score (a reading of its record, not a verdict), and
//! several leads on one firm within [`MULTI_POINT_DAYS`] put it on the organizer's workbench
//! (多点触发, 002 第四条).

use super::Invalid;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a lead came from: the four triggers of seed 002.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeadSource {
    /// 投诉举报: a complaint or report (the 12345 hotline, a letter, a visit).
    Complaint,
    /// 转办交办: referred or assigned by a higher or another authority.
    Referral,
    /// 网络监测: an alert from online monitoring.
    Monitoring,
    /// 风险防控: a finding of risk control (a credit risk class, an early warning).
    Risk,
}

impl LeadSource {
    pub const ALL: [LeadSource; 4] =
        [LeadSource::Complaint, LeadSource::Referral, LeadSource::Monitoring, LeadSource::Risk];

    pub fn code(self) -> &'static str {
        match self {
            LeadSource::Complaint => "complaint",
            LeadSource::Referral => "referral",
            LeadSource::Monitoring => "monitoring",
            LeadSource::Risk => "risk",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            LeadSource::Complaint => "投诉举报",
            LeadSource::Referral => "转办交办",
            LeadSource::Monitoring => "网络监测",
            LeadSource::Risk => "风险防控",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            LeadSource::Complaint => "complaint or report",
            LeadSource::Referral => "referral",
            LeadSource::Monitoring => "online monitoring",
            LeadSource::Risk => "risk control",
        }
    }

    /// The code or the Chinese name.
    pub fn parse(text: &str) -> Option<LeadSource> {
        let text = text.trim();
        LeadSource::ALL.into_iter().find(|s| s.code() == text || s.zh() == text)
    }
}

/// The most firms one lead names.
pub const MAX_LEAD_TARGETS: usize = 50;
/// How far back leads on one firm count together (多点触发) and in its risk score.
pub const MULTI_POINT_DAYS: i64 = 90;
/// How many leads on one firm within [`MULTI_POINT_DAYS`] put it on the workbench.
pub const MULTI_POINT_LEADS: u64 = 2;
/// How far back a firm's penalties count in its risk score, in years.
pub const RISK_PENALTY_YEARS: i32 = 3;

/// A lead as it is registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLead {
    pub source: LeadSource,
    /// The day it reached the bureau.
    pub received_on: NaiveDate,
    /// The firms it concerns (统一社会信用代码), each in the directory.
    #[schemars(length(min = 1, max = MAX_LEAD_TARGETS), inner(length(max = crate::text::MAX_CODE)))]
    pub targets: Vec<String>,
    /// Its own number: the hotline's ticket, the referral letter's 文号 (private).
    #[serde(default)]
    #[schemars(length(max = crate::text::MAX_NAME))]
    pub reference: String,
    /// What it says (private: never published).
    #[schemars(length(min = 1, max = crate::text::MAX_TEXT))]
    pub summary: String,
}

impl NewLead {
    /// The lead's own rules, `today` being the bureau's day.
    pub fn check(&self, today: NaiveDate) -> Vec<Invalid> {
        use crate::text::Shape::{Name, Text};
        let mut out = Vec::new();
        super::check_texts(
            &mut out,
            &[("reference", &self.reference, Name), ("summary", &self.summary, Text)],
        );
        if self.summary.trim().is_empty() {
            out.push(Invalid::new("summary", "须写明线索内容", "the summary is required"));
        }
        if self.received_on > today {
            out.push(Invalid::new("received_on", "收到日期不能晚于今天", "received_on is after today"));
        }
        if self.targets.is_empty() {
            out.push(Invalid::new("targets", "至少填写一个涉及的检查对象", "name at least one firm"));
        }
        if self.targets.len() > MAX_LEAD_TARGETS {
            out.push(Invalid::new(
                "targets",
                format!("一条线索最多涉及 {MAX_LEAD_TARGETS} 个检查对象"),
                format!("at most {MAX_LEAD_TARGETS} firms"),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in self.targets.iter().take(MAX_LEAD_TARGETS) {
            if crate::uscc::validate(t).is_err() {
                out.push(Invalid::new(
                    "targets",
                    format!("“{}”不是有效的统一社会信用代码", crate::text::shorten(t, 40)),
                    format!("{:?} is not a valid USCC", crate::text::shorten(t, 40)),
                ));
            } else if !seen.insert(t) {
                out.push(Invalid::new("targets", format!("{t} 重复"), format!("{t} is named twice")));
            }
        }
        out
    }
}

/// A lead's standing: open until a triggered task takes it up or it is closed without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    /// 待处理.
    Open,
    /// 已立项检查: a published triggered task names it.
    Tasked,
    /// 不予立项: closed without a task, with the reason (unfounded, another authority's, already
    /// settled…).
    Closed,
}

impl LeadStatus {
    pub fn code(self) -> &'static str {
        match self {
            LeadStatus::Open => "open",
            LeadStatus::Tasked => "tasked",
            LeadStatus::Closed => "closed",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            LeadStatus::Open => "待处理",
            LeadStatus::Tasked => "已立项检查",
            LeadStatus::Closed => "不予立项",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            LeadStatus::Open => "open",
            LeadStatus::Tasked => "taken up by a task",
            LeadStatus::Closed => "closed without a task",
        }
    }

    pub fn parse(code: &str) -> Option<LeadStatus> {
        [LeadStatus::Open, LeadStatus::Tasked, LeadStatus::Closed].into_iter().find(|s| s.code() == code)
    }
}

/// What a firm's risk score is read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RiskFacts {
    /// Penalties decided against it in the last [`RISK_PENALTY_YEARS`] years.
    pub penalties: u64,
    /// Leads naming it received in the last [`MULTI_POINT_DAYS`] days.
    pub recent_leads: u64,
    /// Leads naming it received in the last twelve months.
    pub leads_12m: u64,
    /// 诚信等级 (A, B, C) if graded.
    pub credit_grade: Option<String>,
    /// 信用风险分类 (A–D) if classified.
    pub risk_class: Option<String>,
}

/// One part of a risk score: what it counts and the points it gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RiskPart {
    /// `penalties`, `leads`, `credit_grade` or `risk_class`.
    pub code: &'static str,
    pub zh: String,
    pub en: String,
    pub points: u32,
}

/// How high a risk score is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub fn zh(self) -> &'static str {
        match self {
            RiskLevel::Low => "低",
            RiskLevel::Medium => "中",
            RiskLevel::High => "高",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }
}

/// A firm's risk score: the sum of its parts, 0–150, and its level (高 from
/// [`RiskScore::HIGH`], 中 from [`RiskScore::MEDIUM`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RiskScore {
    pub score: u32,
    pub level: RiskLevel,
    pub parts: Vec<RiskPart>,
    /// Several leads within [`MULTI_POINT_DAYS`] (多点触发).
    pub multi_point: bool,
}

impl RiskScore {
    pub const HIGH: u32 = 60;
    pub const MEDIUM: u32 = 30;
}

/// The firm's risk score. Each part is capped, so that no single one decides alone: 20 points
/// a penalty in three years (at most 60), 10 a lead in twelve months (at most 40), the credit
/// grade (C 20, B 10, none 10, A 0) and the risk class (D 30, C 20, B 10, none 10, A 0). A
/// firm with no record at all scores 20 — neither low nor high for want of information.
pub fn risk_score(f: &RiskFacts) -> RiskScore {
    let penalties = (f.penalties.min(3) * 20) as u32;
    let leads = (f.leads_12m.min(4) * 10) as u32;
    let grade = match f.credit_grade.as_deref() {
        Some("A") => 0,
        Some("B") => 10,
        Some("C") => 20,
        _ => 10,
    };
    let class = match f.risk_class.as_deref() {
        Some("A") => 0,
        Some("B") => 10,
        Some("C") => 20,
        Some("D") => 30,
        _ => 10,
    };
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let parts = vec![
        RiskPart {
            code: "penalties",
            zh: format!("近{RISK_PENALTY_YEARS}年行政处罚 {} 次", f.penalties),
            en: format!("{} penalties in {RISK_PENALTY_YEARS} years", f.penalties),
            points: penalties,
        },
        RiskPart {
            code: "leads",
            zh: format!("近12个月线索 {} 条", f.leads_12m),
            en: format!("{} leads in 12 months", f.leads_12m),
            points: leads,
        },
        RiskPart {
            code: "credit_grade",
            zh: format!("诚信等级 {}", or_none(&f.credit_grade)),
            en: format!("credit grade {}", or_none(&f.credit_grade)),
            points: grade,
        },
        RiskPart {
            code: "risk_class",
            zh: format!("信用风险分类 {}", or_none(&f.risk_class)),
            en: format!("risk class {}", or_none(&f.risk_class)),
            points: class,
        },
    ];
    let score = parts.iter().map(|p| p.points).sum();
    let level = if score >= RiskScore::HIGH {
        RiskLevel::High
    } else if score >= RiskScore::MEDIUM {
        RiskLevel::Medium
    } else {
        RiskLevel::Low
    };
    RiskScore { score, level, parts, multi_point: f.recent_leads >= MULTI_POINT_LEADS }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead() -> NewLead {
        NewLead {
            source: LeadSource::Complaint,
            received_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            targets: vec![],
            reference: "12345-20261201-0031".into(),
            summary: "职工反映拖欠工资两个月".into(),
        }
    }

    #[test]
    fn a_lead_names_valid_firms_once_and_says_something() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let mut l = lead();
        let body = "91410300MA44A0001";
        l.targets = vec![format!("{body}{}", crate::uscc::check_character(body).unwrap())];
        assert_eq!(l.check(today), vec![]);
        l.targets.push(l.targets[0].clone());
        l.targets.push("123".into());
        l.summary = "  ".into();
        l.received_on = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let fields: Vec<String> = l.check(today).into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["summary", "received_on", "targets", "targets"]);
        l.targets.clear();
        assert!(l.check(today).iter().any(|p| p.zh.contains("至少")));
    }

    #[test]
    fn a_source_parses_from_its_code_or_its_chinese_name() {
        for s in LeadSource::ALL {
            assert_eq!(LeadSource::parse(s.code()), Some(s));
            assert_eq!(LeadSource::parse(s.zh()), Some(s));
        }
        assert_eq!(LeadSource::parse("letter"), None);
    }

    #[test]
    fn the_risk_score_adds_capped_parts() {
        let none = risk_score(&RiskFacts::default());
        assert_eq!((none.score, none.level, none.multi_point), (20, RiskLevel::Low, false));
        let bad = RiskFacts {
            penalties: 5,
            recent_leads: 2,
            leads_12m: 9,
            credit_grade: Some("C".into()),
            risk_class: Some("D".into()),
        };
        let s = risk_score(&bad);
        // 60 (penalties, capped) + 40 (leads, capped) + 20 (C) + 30 (D).
        assert_eq!((s.score, s.level, s.multi_point), (150, RiskLevel::High, true));
        let good = RiskFacts {
            leads_12m: 1,
            credit_grade: Some("A".into()),
            risk_class: Some("A".into()),
            ..Default::default()
        };
        assert_eq!(risk_score(&good).score, 10);
        let middling = RiskFacts { leads_12m: 1, risk_class: Some("C".into()), ..Default::default() };
        assert_eq!(risk_score(&middling).level, RiskLevel::Medium);
    }
}

//! 行政处罚 decisions as their own public notices, and results that stay unpublished.
//!
//! A penalty decided under 一般程序 is published as its own notice within 7 working days of the
//! decision (seed 004 二(六)), whether or not the result of the inspection that found the
//! violation was published earlier; a notice is corrected like a result, its old version kept.
//! A penalty under 简易程序 (on the spot) is recorded with the inspection and in the firm's
//! dossier, with no notice of its own.
//!
//! 不予公开: seed 001 三(五) publishes results "除依法依规不适合公开的情形外". The organizer may
//! keep an entered result off the portal, naming the legal basis; it then has no deadline, and
//! the portal counts such results without showing them.

use super::Invalid;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 一般程序 or 简易程序.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    General,
    Simple,
}

impl Procedure {
    pub const ALL: [Procedure; 2] = [Procedure::General, Procedure::Simple];

    pub fn code(self) -> &'static str {
        match self {
            Procedure::General => "general",
            Procedure::Simple => "simple",
        }
    }

    pub fn parse(code: &str) -> Option<Procedure> {
        Procedure::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Procedure::General => "一般程序",
            Procedure::Simple => "简易程序",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Procedure::General => "general procedure",
            Procedure::Simple => "summary procedure",
        }
    }

    /// Whether a decision under it is published as its own notice.
    pub fn published(self) -> bool {
        self == Procedure::General
    }
}

/// A 行政处罚决定, as the bureau records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PenaltyDecision {
    pub procedure: Procedure,
    /// 行政处罚决定书文号.
    #[schemars(length(min = 1, max = crate::text::MAX_NAME))]
    pub decision_no: String,
    pub decided_on: NaiveDate,
    /// 违法事实 — written for publication.
    #[schemars(length(min = 1, max = crate::text::MAX_TEXT))]
    pub facts: String,
    /// 处罚依据.
    #[schemars(length(min = 1, max = crate::text::MAX_LINE))]
    pub basis: String,
    /// 处罚内容: what was imposed (a warning, a fine of so much…).
    #[schemars(length(min = 1, max = crate::text::MAX_LINE))]
    pub penalty: String,
}

impl PenaltyDecision {
    /// The decision's rules: every field given, decided between the inspection's start and
    /// today (China's date).
    pub fn check(&self, inspected_on: NaiveDate, today: NaiveDate) -> Vec<Invalid> {
        use crate::text::Shape::{Line, Name, Text};
        let mut out = Vec::new();
        super::check_texts(
            &mut out,
            &[
                ("decision_no", &self.decision_no, Name),
                ("facts", &self.facts, Text),
                ("basis", &self.basis, Line),
                ("penalty", &self.penalty, Line),
            ],
        );
        for (field, value, zh, en) in [
            ("decision_no", &self.decision_no, "决定书文号", "the decision's number"),
            ("facts", &self.facts, "违法事实", "the facts"),
            ("basis", &self.basis, "处罚依据", "the legal basis"),
            ("penalty", &self.penalty, "处罚内容", "the penalty"),
        ] {
            if value.trim().is_empty() {
                out.push(Invalid::new(field, format!("请填写{zh}"), format!("{en} is required")));
            }
        }
        if self.decided_on < inspected_on {
            out.push(Invalid::new(
                "decided_on",
                format!("处罚决定日期早于检查日期（{inspected_on}）"),
                format!("the decision predates the inspection ({inspected_on})"),
            ));
        }
        if self.decided_on > today {
            out.push(Invalid::new(
                "decided_on",
                format!("处罚决定日期 {} 晚于今天（{today}）", self.decided_on),
                format!("the decision is dated {}, after today ({today})", self.decided_on),
            ));
        }
        out
    }

    /// The same decision with its texts trimmed, as it is kept.
    pub fn trimmed(&self) -> PenaltyDecision {
        PenaltyDecision {
            procedure: self.procedure,
            decision_no: self.decision_no.trim().to_owned(),
            decided_on: self.decided_on,
            facts: self.facts.trim().to_owned(),
            basis: self.basis.trim().to_owned(),
            penalty: self.penalty.trim().to_owned(),
        }
    }
}

/// What the portal shows of a penalty: the notice's fields (行政处罚决定信息公示).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublicPenalty {
    pub decision_no: String,
    pub procedure: String,
    pub decided_on: NaiveDate,
    pub uscc: String,
    pub target_name: String,
    pub facts: String,
    pub basis: String,
    pub penalty: String,
    /// The deciding body: the bureau's full name.
    pub authority: String,
    /// The task whose inspection found the violation.
    pub task_code: String,
}

/// A penalty notice's standing in the staff list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyStanding {
    /// Under 一般程序, not yet published, its deadline today or later.
    Due,
    /// Under 一般程序, not yet published, its deadline passed.
    Overdue,
    /// Its notice is published.
    Published,
    /// Under 简易程序: recorded, no notice.
    Recorded,
}

impl PenaltyStanding {
    pub const ALL: [PenaltyStanding; 4] = [
        PenaltyStanding::Due,
        PenaltyStanding::Overdue,
        PenaltyStanding::Published,
        PenaltyStanding::Recorded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PenaltyStanding::Due => "due",
            PenaltyStanding::Overdue => "overdue",
            PenaltyStanding::Published => "published",
            PenaltyStanding::Recorded => "recorded",
        }
    }

    pub fn parse(code: &str) -> Option<PenaltyStanding> {
        PenaltyStanding::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            PenaltyStanding::Due => "待公示",
            PenaltyStanding::Overdue => "逾期未公示",
            PenaltyStanding::Published => "已公示",
            PenaltyStanding::Recorded => "简易程序（不单独公示）",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            PenaltyStanding::Due => "to publish",
            PenaltyStanding::Overdue => "overdue",
            PenaltyStanding::Published => "published",
            PenaltyStanding::Recorded => "summary procedure (no notice)",
        }
    }

    /// Where a decision stands: `published` whether its notice is out, `due_on` its deadline
    /// (none under 简易程序), on `today`.
    pub fn of(published: bool, due_on: Option<NaiveDate>, today: NaiveDate) -> PenaltyStanding {
        match (published, due_on) {
            (true, _) => PenaltyStanding::Published,
            (false, None) => PenaltyStanding::Recorded,
            (false, Some(due)) if due < today => PenaltyStanding::Overdue,
            (false, Some(_)) => PenaltyStanding::Due,
        }
    }
}

/// The legal bases a bureau most often names for 不予公开, offered as suggestions (any basis
/// may be written).
pub const WITHHOLDING_BASES: [&str; 4] = [
    "《中华人民共和国政府信息公开条例》第十四条（涉及国家秘密等）",
    "《中华人民共和国政府信息公开条例》第十五条（涉及商业秘密、个人隐私）",
    "《中华人民共和国政府信息公开条例》第十六条（内部事务信息、过程性信息）",
    "《中华人民共和国未成年人保护法》（涉及未成年人个人信息）",
];

/// 不予公开 needs its legal basis, on one line.
pub fn check_withholding(basis: &str) -> Vec<Invalid> {
    let mut out = Vec::new();
    super::check_texts(&mut out, &[("basis", basis, crate::text::Shape::Line)]);
    if basis.trim().is_empty() {
        out.push(Invalid::new("basis", "不予公开须写明法律依据", "withholding needs its legal basis"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn decision() -> PenaltyDecision {
        PenaltyDecision {
            procedure: Procedure::General,
            decision_no: "偃人社监罚〔2026〕3号".into(),
            decided_on: day(6, 20),
            facts: "拖欠12名农民工工资共计8.6万元，经责令限期支付逾期未支付。".into(),
            basis: "《保障农民工工资支付条例》第五十七条".into(),
            penalty: "罚款人民币2万元".into(),
        }
    }

    fn fields(d: &PenaltyDecision) -> Vec<String> {
        d.check(day(6, 3), day(7, 1)).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_whole_decision_passes() {
        assert!(fields(&decision()).is_empty());
    }

    #[test]
    fn every_field_is_required_and_the_date_lies_between_inspection_and_today() {
        let mut d = decision();
        d.facts = "  ".into();
        d.penalty.clear();
        assert_eq!(fields(&d), ["facts", "penalty"]);
        let mut d = decision();
        d.decided_on = day(6, 2);
        assert_eq!(fields(&d), ["decided_on"]);
        d.decided_on = day(7, 2);
        assert_eq!(fields(&d), ["decided_on"]);
    }

    #[test]
    fn standing_follows_procedure_publication_and_deadline() {
        let today = day(7, 1);
        assert_eq!(PenaltyStanding::of(false, None, today), PenaltyStanding::Recorded);
        assert_eq!(PenaltyStanding::of(false, Some(day(7, 1)), today), PenaltyStanding::Due);
        assert_eq!(PenaltyStanding::of(false, Some(day(6, 30)), today), PenaltyStanding::Overdue);
        assert_eq!(PenaltyStanding::of(true, Some(day(6, 30)), today), PenaltyStanding::Published);
        assert!(Procedure::General.published() && !Procedure::Simple.published());
    }

    #[test]
    fn withholding_names_its_basis() {
        assert_eq!(check_withholding(" ").len(), 1);
        assert!(check_withholding(WITHHOLDING_BASES[1]).is_empty());
    }
}

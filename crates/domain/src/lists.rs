//! The public lists a penalty may lead to:
//!
//! - **重大劳动保障违法行为社会公布** (after 人社部令第29号): a serious violation of one of the
//!   kinds the rule names is published — the firm's name, USCC, legal representative and address,
//!   the facts and how it was handled — within 20 working days of the decision.
//! - **拖欠农民工工资失信联合惩戒对象名单** (after 人社部令第45号): the firm is first told the
//!   facts, reasons and basis and may state its case within 5 working days; the decision then
//!   lists it for a term (3 years by default), published and pushed to other departments. It
//!   leaves the list early by 信用修复 when the rule's conditions are met (with the reason), or at
//!   the end of its term; both are published.

use crate::calendar::WorkCalendar;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Working days from a decision to its publication on the list of serious violations.
pub const MAJOR_PUBLISH_WORKDAYS: u32 = 20;
/// Working days the firm has to state its case after being told it is to be listed.
pub const STATEMENT_WORKDAYS: u32 = 5;
/// Years on the list of wage arrears, unless the decision says otherwise.
pub const DEFAULT_TERM_YEARS: u32 = 3;

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListName {
    MajorViolations,
    WageArrears,
}

impl ListName {
    pub const ALL: [ListName; 2] = [ListName::MajorViolations, ListName::WageArrears];

    pub fn code(self) -> &'static str {
        match self {
            ListName::MajorViolations => "major_violations",
            ListName::WageArrears => "wage_arrears",
        }
    }

    /// As it appears in addresses: `/public/lists/major-violations`.
    pub fn slug(self) -> &'static str {
        match self {
            ListName::MajorViolations => "major-violations",
            ListName::WageArrears => "wage-arrears",
        }
    }

    pub fn parse(code: &str) -> Option<ListName> {
        ListName::ALL.into_iter().find(|l| l.code() == code || l.slug() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            ListName::MajorViolations => "重大劳动保障违法行为社会公布",
            ListName::WageArrears => "拖欠农民工工资失信联合惩戒对象名单",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            ListName::MajorViolations => "Serious labour-law violations made public",
            ListName::WageArrears => "Employers listed for unpaid migrant workers' wages",
        }
    }

    /// The kinds of violation that may put a firm on it.
    pub fn kinds(self) -> &'static [Kind] {
        match self {
            ListName::MajorViolations => &MAJOR_KINDS,
            ListName::WageArrears => &ARREARS_KINDS,
        }
    }
}

/// A kind of violation the rules name (29号令 第五条, 45号令 第五条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 克扣、无故拖欠劳动者劳动报酬，数额较大；拒不支付劳动报酬，移送司法机关.
    Wages,
    /// 不依法参加社会保险或者不依法缴纳社会保险费，情节严重.
    SocialInsurance,
    /// 违反工作时间和休息休假规定，情节严重.
    WorkingHours,
    /// 违反女职工和未成年工特殊劳动保护规定，情节严重.
    SpecialProtection,
    /// 违反禁止使用童工规定.
    ChildLabour,
    /// 因劳动保障违法行为造成严重不良社会影响.
    SeriousImpact,
    /// 其他重大劳动保障违法行为.
    Other,
    /// 克扣、无故拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准.
    ArrearsCriminalAmount,
    /// 因拖欠农民工工资违法行为引发群体性事件、极端事件造成严重不良社会影响.
    ArrearsMassIncident,
}

const MAJOR_KINDS: [Kind; 7] = [
    Kind::Wages,
    Kind::SocialInsurance,
    Kind::WorkingHours,
    Kind::SpecialProtection,
    Kind::ChildLabour,
    Kind::SeriousImpact,
    Kind::Other,
];
const ARREARS_KINDS: [Kind; 2] = [Kind::ArrearsCriminalAmount, Kind::ArrearsMassIncident];

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Wages => "wages",
            Kind::SocialInsurance => "social_insurance",
            Kind::WorkingHours => "working_hours",
            Kind::SpecialProtection => "special_protection",
            Kind::ChildLabour => "child_labour",
            Kind::SeriousImpact => "serious_impact",
            Kind::Other => "other",
            Kind::ArrearsCriminalAmount => "arrears_criminal_amount",
            Kind::ArrearsMassIncident => "arrears_mass_incident",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        MAJOR_KINDS.iter().chain(&ARREARS_KINDS).copied().find(|k| k.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Kind::Wages => "克扣、无故拖欠劳动者劳动报酬数额较大，或拒不支付劳动报酬被移送司法机关",
            Kind::SocialInsurance => "不依法参加社会保险或者不依法缴纳社会保险费，情节严重",
            Kind::WorkingHours => "违反工作时间和休息休假规定，情节严重",
            Kind::SpecialProtection => "违反女职工和未成年工特殊劳动保护规定，情节严重",
            Kind::ChildLabour => "违反禁止使用童工规定",
            Kind::SeriousImpact => "因劳动保障违法行为造成严重不良社会影响",
            Kind::Other => "其他重大劳动保障违法行为",
            Kind::ArrearsCriminalAmount => "克扣、无故拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准",
            Kind::ArrearsMassIncident => "因拖欠农民工工资引发群体性事件、极端事件，造成严重不良社会影响",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Kind::Wages => {
                "wages withheld or unpaid on a large scale, or refused and referred for prosecution"
            }
            Kind::SocialInsurance => "serious failure to insure or pay social-insurance contributions",
            Kind::WorkingHours => "serious breach of working-hours and rest rules",
            Kind::SpecialProtection => "serious breach of the protection of women and minor workers",
            Kind::ChildLabour => "child labour",
            Kind::SeriousImpact => "a violation with serious public consequences",
            Kind::Other => "another serious labour-law violation",
            Kind::ArrearsCriminalAmount => "migrant workers' wages unpaid up to the criminal threshold",
            Kind::ArrearsMassIncident => "unpaid wages leading to a mass or extreme incident",
        }
    }
}

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// 拟列入 / 拟公布: prepared, not yet public.
    Proposed,
    /// 已告知: told it is to be listed; may state its case (wage arrears).
    Notified,
    /// 已列入 / 已公布: on the public list.
    Listed,
    /// 已移出: off the list, early (信用修复) or at the end of its term.
    Removed,
}

impl EntryStatus {
    pub fn code(self) -> &'static str {
        match self {
            EntryStatus::Proposed => "proposed",
            EntryStatus::Notified => "notified",
            EntryStatus::Listed => "listed",
            EntryStatus::Removed => "removed",
        }
    }

    pub fn parse(code: &str) -> Option<EntryStatus> {
        [EntryStatus::Proposed, EntryStatus::Notified, EntryStatus::Listed, EntryStatus::Removed]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn zh(self, list: ListName) -> &'static str {
        match (self, list) {
            (EntryStatus::Proposed, ListName::MajorViolations) => "拟公布",
            (EntryStatus::Proposed, ListName::WageArrears) => "拟列入",
            (EntryStatus::Notified, _) => "已告知，陈述申辩期",
            (EntryStatus::Listed, ListName::MajorViolations) => "已公布",
            (EntryStatus::Listed, ListName::WageArrears) => "已列入名单",
            (EntryStatus::Removed, _) => "已移出",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            EntryStatus::Proposed => "proposed",
            EntryStatus::Notified => "notified, may state its case",
            EntryStatus::Listed => "listed",
            EntryStatus::Removed => "removed",
        }
    }
}

/// How an entry left the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Removal {
    /// 信用修复: early, the rule's conditions met.
    Repaired,
    /// 期满移出: at the end of its term.
    Expired,
}

impl Removal {
    pub fn code(self) -> &'static str {
        match self {
            Removal::Repaired => "repaired",
            Removal::Expired => "expired",
        }
    }

    pub fn parse(code: &str) -> Option<Removal> {
        [Removal::Repaired, Removal::Expired].into_iter().find(|r| r.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Removal::Repaired => "信用修复，提前移出",
            Removal::Expired => "期满移出",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Removal::Repaired => "removed early (credit repaired)",
            Removal::Expired => "removed at the end of its term",
        }
    }
}

/// The last day of the firm's statement (陈述、申辩) after being told on `notified_on`.
pub fn statement_due(calendar: &WorkCalendar, notified_on: NaiveDate) -> NaiveDate {
    calendar.add_workdays(notified_on, STATEMENT_WORKDAYS).value
}

/// The last day to publish a serious violation decided on `decided_on`.
pub fn major_publication_due(calendar: &WorkCalendar, decided_on: NaiveDate) -> NaiveDate {
    calendar.add_workdays(decided_on, MAJOR_PUBLISH_WORKDAYS).value
}

/// The last day on the list of a firm listed on `listed_on` for `years`: the day before the
/// same date `years` later; listed on 29 February, the term's year has no such day and it ends
/// on the month's last day, 28 February (民法典 第二百零三条).
pub fn term_end(listed_on: NaiveDate, years: u32) -> NaiveDate {
    let year = listed_on.year() + years as i32;
    match NaiveDate::from_ymd_opt(year, listed_on.month(), listed_on.day()) {
        Some(same) => same.pred_opt().unwrap_or(same),
        None => NaiveDate::from_ymd_opt(year, 3, 1).and_then(|d| d.pred_opt()).unwrap_or(listed_on),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn each_list_names_its_kinds() {
        assert!(ListName::MajorViolations.kinds().contains(&Kind::ChildLabour));
        assert!(!ListName::WageArrears.kinds().contains(&Kind::ChildLabour));
        assert_eq!(ListName::parse("wage-arrears"), Some(ListName::WageArrears));
        assert_eq!(Kind::parse("arrears_mass_incident"), Some(Kind::ArrearsMassIncident));
    }

    #[test]
    fn a_term_runs_to_the_day_before_its_anniversary() {
        assert_eq!(term_end(day(2026, 12, 10), 3), day(2029, 12, 9));
        assert_eq!(term_end(day(2028, 2, 29), 1), day(2029, 2, 28));
    }

    #[test]
    fn deadlines_count_working_days() {
        let cal = WorkCalendar::builtin();
        // Five working days from Friday 2026-09-25 run past the National Day holiday.
        assert!(statement_due(&cal, day(2026, 9, 25)) > day(2026, 10, 2));
        assert!(major_publication_due(&cal, day(2026, 6, 1)) > day(2026, 6, 26));
    }
}

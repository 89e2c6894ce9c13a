//! 整改 and 复查: a published result that orders rectification (责令整改, by a date) opens a
//! rectification, followed until the firm has put things right — "及时开展整改回访" (seed 000
//! 四(三)), "后续监管" (seed 002 第十五条). A follow-up inspection (复查) of the same firm records
//! what it found: rectified closes the rectification; partly or not rectified leaves it open,
//! and the organizer may then extend the deadline once, with a reason, or take the case further
//! (立案查处, or 移送 to another body), which closes it too.
//!
//! A follow-up is not a random draw: it does not count against a firm's yearly cap.

use super::Invalid;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Where a rectification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RectificationStatus {
    /// Waiting for the firm, or for a follow-up to find it done.
    Open,
    /// A follow-up found it rectified.
    Rectified,
    /// Taken further (立案查处 or 移送).
    Escalated,
}

impl RectificationStatus {
    pub fn code(self) -> &'static str {
        match self {
            RectificationStatus::Open => "open",
            RectificationStatus::Rectified => "rectified",
            RectificationStatus::Escalated => "escalated",
        }
    }

    pub fn parse(code: &str) -> Option<RectificationStatus> {
        [RectificationStatus::Open, RectificationStatus::Rectified, RectificationStatus::Escalated]
            .into_iter()
            .find(|s| s.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            RectificationStatus::Open => "整改中",
            RectificationStatus::Rectified => "已整改",
            RectificationStatus::Escalated => "已立案或移送",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            RectificationStatus::Open => "open",
            RectificationStatus::Rectified => "rectified",
            RectificationStatus::Escalated => "escalated",
        }
    }

    pub fn closed(self) -> bool {
        self != RectificationStatus::Open
    }
}

/// What a follow-up inspection found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpOutcome {
    Rectified,
    Partly,
    NotRectified,
}

impl FollowUpOutcome {
    pub fn code(self) -> &'static str {
        match self {
            FollowUpOutcome::Rectified => "rectified",
            FollowUpOutcome::Partly => "partly",
            FollowUpOutcome::NotRectified => "not_rectified",
        }
    }

    pub fn parse(code: &str) -> Option<FollowUpOutcome> {
        [FollowUpOutcome::Rectified, FollowUpOutcome::Partly, FollowUpOutcome::NotRectified]
            .into_iter()
            .find(|o| o.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            FollowUpOutcome::Rectified => "已整改",
            FollowUpOutcome::Partly => "部分整改",
            FollowUpOutcome::NotRectified => "未整改",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            FollowUpOutcome::Rectified => "rectified",
            FollowUpOutcome::Partly => "partly rectified",
            FollowUpOutcome::NotRectified => "not rectified",
        }
    }
}

/// How a case not put right is taken further.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    /// 立案查处: the bureau opens a case of its own.
    Case,
    /// 移送: handed to another body (named in the note).
    Referral,
}

impl Escalation {
    pub fn code(self) -> &'static str {
        match self {
            Escalation::Case => "case",
            Escalation::Referral => "referral",
        }
    }

    pub fn parse(code: &str) -> Option<Escalation> {
        [Escalation::Case, Escalation::Referral].into_iter().find(|e| e.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Escalation::Case => "立案查处",
            Escalation::Referral => "移送",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Escalation::Case => "case opened",
            Escalation::Referral => "referred",
        }
    }
}

/// A rectification as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rectification {
    pub status: RectificationStatus,
    /// The deadline the result ordered.
    pub deadline: NaiveDate,
    /// The deadline as extended, once.
    pub extended_to: Option<NaiveDate>,
    /// What the latest published follow-up found.
    pub outcome: Option<FollowUpOutcome>,
    /// A follow-up scheduled and not yet published.
    pub follow_up_pending: bool,
}

/// The list's filters: `open` (not closed), `due` (open, its deadline within the coming week),
/// `overdue` (open, its deadline passed), `closed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Open,
    Due,
    Overdue,
    Closed,
}

impl Standing {
    pub const ALL: [Standing; 4] = [Standing::Open, Standing::Due, Standing::Overdue, Standing::Closed];

    pub fn code(self) -> &'static str {
        match self {
            Standing::Open => "open",
            Standing::Due => "due",
            Standing::Overdue => "overdue",
            Standing::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<Standing> {
        Standing::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Standing::Open => "整改中",
            Standing::Due => "七日内到期",
            Standing::Overdue => "已逾期",
            Standing::Closed => "已办结",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Standing::Open => "open",
            Standing::Due => "due within 7 days",
            Standing::Overdue => "overdue",
            Standing::Closed => "closed",
        }
    }
}

/// The most days an extension may reach past the deadline in force (or past today, when the
/// deadline has passed).
pub const MAX_EXTENSION_DAYS: i64 = 180;

/// Days ahead in which an open rectification counts as due.
pub const DUE_DAYS: i64 = 7;

impl Rectification {
    /// The deadline in force: the extended one, else the ordered one.
    pub fn deadline_in_force(&self) -> NaiveDate {
        self.extended_to.unwrap_or(self.deadline)
    }

    /// Whether it is in the list `filter` on `today` (China's date).
    pub fn is(&self, filter: Standing, today: NaiveDate) -> bool {
        let open = !self.status.closed();
        let deadline = self.deadline_in_force();
        match filter {
            Standing::Open => open,
            Standing::Closed => !open,
            Standing::Overdue => open && deadline < today,
            Standing::Due => open && deadline >= today && deadline <= today + Duration::days(DUE_DAYS),
        }
    }

    /// A follow-up may be scheduled while the rectification is open and no other is pending.
    pub fn check_follow_up(&self) -> Result<(), Invalid> {
        if self.status.closed() {
            return Err(Invalid::new("status", "整改已办结，不能再安排复查", "the rectification is closed"));
        }
        if self.follow_up_pending {
            return Err(Invalid::new(
                "follow_up",
                "已安排的复查尚未公示结果",
                "a follow-up is already scheduled and not yet published",
            ));
        }
        Ok(())
    }

    /// Whether the latest follow-up found it not (fully) put right: what lets the organizer
    /// extend or escalate.
    fn found_wanting(&self) -> bool {
        matches!(self.outcome, Some(FollowUpOutcome::Partly | FollowUpOutcome::NotRectified))
    }

    /// Whether it may now be extended or taken further (each with its own checks besides).
    pub fn may_take_further(&self) -> bool {
        !self.status.closed() && !self.follow_up_pending && self.found_wanting()
    }

    /// An extension: once, after a follow-up found it not rectified, to a later day within
    /// [`MAX_EXTENSION_DAYS`] of the deadline in force (or of today, when it has passed), with
    /// a reason.
    pub fn check_extension(&self, until: NaiveDate, reason: &str, today: NaiveDate) -> Vec<Invalid> {
        let mut out = Vec::new();
        super::check_texts(&mut out, &[("reason", reason, crate::text::Shape::Line)]);
        if self.status.closed() {
            out.push(Invalid::new("status", "整改已办结", "the rectification is closed"));
        } else if self.extended_to.is_some() {
            out.push(Invalid::new("until", "整改期限只能延长一次", "the deadline may be extended once only"));
        } else if !self.found_wanting() || self.follow_up_pending {
            out.push(Invalid::new(
                "until",
                "复查发现未整改或部分整改后，方可延长整改期限",
                "the deadline may be extended after a follow-up found it not rectified",
            ));
        }
        let now = self.deadline_in_force();
        if until <= now || until < today {
            out.push(Invalid::new(
                "until",
                format!("延长后的期限应晚于原期限 {now} 和今天"),
                format!("the new deadline must be after {now} and not before today"),
            ));
        } else if until > now.max(today) + Duration::days(MAX_EXTENSION_DAYS) {
            out.push(Invalid::new(
                "until",
                format!("一次最多延长 {MAX_EXTENSION_DAYS} 日"),
                format!("an extension adds at most {MAX_EXTENSION_DAYS} days"),
            ));
        }
        if reason.trim().is_empty() {
            out.push(Invalid::new("reason", "延长整改期限须说明理由", "an extension needs a reason"));
        }
        out
    }

    /// Escalation: after a follow-up found it not rectified, with a note (for a referral, the
    /// receiving body).
    pub fn check_escalation(&self, note: &str) -> Vec<Invalid> {
        let mut out = Vec::new();
        super::check_texts(&mut out, &[("note", note, crate::text::Shape::Line)]);
        if self.status.closed() {
            out.push(Invalid::new("status", "整改已办结", "the rectification is closed"));
        } else if !self.found_wanting() || self.follow_up_pending {
            out.push(Invalid::new(
                "kind",
                "复查发现未整改或部分整改后，方可立案查处或移送",
                "a case is opened or referred after a follow-up found it not rectified",
            ));
        }
        if note.trim().is_empty() {
            out.push(Invalid::new(
                "note",
                "请写明立案情况或移送机关",
                "say what was opened, or the body it was referred to",
            ));
        }
        out
    }

    /// What a published follow-up makes of it: rectified closes it.
    pub fn after_follow_up(&mut self, outcome: FollowUpOutcome) {
        self.outcome = Some(outcome);
        self.follow_up_pending = false;
        if outcome == FollowUpOutcome::Rectified {
            self.status = RectificationStatus::Rectified;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn open(deadline: NaiveDate) -> Rectification {
        Rectification {
            status: RectificationStatus::Open,
            deadline,
            extended_to: None,
            outcome: None,
            follow_up_pending: false,
        }
    }

    #[test]
    fn standing_follows_the_deadline_in_force() {
        let r = open(day(7, 10));
        assert!(r.is(Standing::Open, day(7, 1)));
        assert!(!r.is(Standing::Due, day(7, 1)), "nine days ahead");
        assert!(r.is(Standing::Due, day(7, 3)), "seven days ahead");
        assert!(r.is(Standing::Due, day(7, 10)), "its last day");
        assert!(r.is(Standing::Overdue, day(7, 11)));
        assert!(!r.is(Standing::Closed, day(7, 11)));
        let extended = Rectification { extended_to: Some(day(8, 31)), ..r.clone() };
        assert!(!extended.is(Standing::Overdue, day(7, 11)), "extended");
        let done = Rectification { status: RectificationStatus::Rectified, ..r };
        assert!(done.is(Standing::Closed, day(9, 1)) && !done.is(Standing::Overdue, day(9, 1)));
    }

    #[test]
    fn a_follow_up_decides_what_may_follow() {
        let mut r = open(day(7, 10));
        assert!(r.check_follow_up().is_ok());
        // Nothing to extend or escalate before a follow-up has found it wanting.
        assert!(!r.check_extension(day(8, 1), "企业申请", day(7, 12)).is_empty());
        assert!(!r.check_escalation("移送县市场监管局").is_empty());
        r.follow_up_pending = true;
        assert!(r.check_follow_up().is_err(), "one follow-up at a time");
        r.after_follow_up(FollowUpOutcome::NotRectified);
        assert_eq!(r.status, RectificationStatus::Open);
        assert!(r.check_extension(day(8, 1), "企业申请延期，已补发部分工资", day(7, 12)).is_empty());
        assert!(r.check_escalation("立案查处").is_empty());
        // The extension's own rules.
        let fields = |p: Vec<Invalid>| p.into_iter().map(|p| p.field).collect::<Vec<_>>();
        assert_eq!(fields(r.check_extension(day(7, 10), "理由", day(7, 12))), ["until"], "not later");
        let far = NaiveDate::from_ymd_opt(2027, 2, 1).unwrap();
        assert_eq!(fields(r.check_extension(far, "理由", day(7, 12))), ["until"], "too far");
        assert_eq!(fields(r.check_extension(day(8, 1), " ", day(7, 12))), ["reason"]);
        r.extended_to = Some(day(8, 1));
        assert_eq!(fields(r.check_extension(day(8, 20), "再延", day(7, 12))), ["until"], "once only");
        assert_eq!(fields(r.check_escalation("")), ["note"]);
        r.after_follow_up(FollowUpOutcome::Rectified);
        assert_eq!(r.status, RectificationStatus::Rectified);
        assert!(r.check_follow_up().is_err() && !r.check_escalation("立案").is_empty());
    }

    #[test]
    fn codes_read_back() {
        for s in [RectificationStatus::Open, RectificationStatus::Rectified, RectificationStatus::Escalated] {
            assert_eq!(RectificationStatus::parse(s.code()), Some(s));
        }
        for o in [FollowUpOutcome::Rectified, FollowUpOutcome::Partly, FollowUpOutcome::NotRectified] {
            assert_eq!(FollowUpOutcome::parse(o.code()), Some(o));
            assert_eq!(serde_json::to_value(o).unwrap(), o.code());
        }
        for s in Standing::ALL {
            assert_eq!(Standing::parse(s.code()), Some(s));
        }
        assert_eq!(Escalation::parse("referral"), Some(Escalation::Referral));
    }
}

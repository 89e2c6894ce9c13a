//! 检查 and 检查结果: the inspection form (after 执法检查登记表), what of it is public, and the
//! deadlines of publication (rule 5).

use super::Invalid;
use crate::calendar::{Answer, WorkCalendar};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Working days from an inspection's end to its publication (001, 002 第十四条).
pub const PUBLICATION_WORKDAYS: u32 = 20;
/// Working days from a penalty decision to its publication (004).
pub const PENALTY_WORKDAYS: u32 = 7;

/// The conclusion of an inspection, in the words of the public notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    NoProblem,
    Corrected,
    PendingHandling,
    NonCooperation,
    Unreachable,
    NoActivity,
    Deregistered,
}

impl Conclusion {
    pub const ALL: [Conclusion; 7] = [
        Conclusion::NoProblem,
        Conclusion::Corrected,
        Conclusion::PendingHandling,
        Conclusion::NonCooperation,
        Conclusion::Unreachable,
        Conclusion::NoActivity,
        Conclusion::Deregistered,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Conclusion::NoProblem => "no_problem",
            Conclusion::Corrected => "corrected",
            Conclusion::PendingHandling => "pending_handling",
            Conclusion::NonCooperation => "non_cooperation",
            Conclusion::Unreachable => "unreachable",
            Conclusion::NoActivity => "no_activity",
            Conclusion::Deregistered => "deregistered",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Conclusion::NoProblem => "未发现问题",
            Conclusion::Corrected => "发现问题已责令改正",
            Conclusion::PendingHandling => "发现问题待后续处理",
            Conclusion::NonCooperation => "不配合检查情节严重",
            Conclusion::Unreachable => "通过登记的住所(经营场所)无法联系",
            Conclusion::NoActivity => "未发现开展本次抽查涉及的经营活动",
            Conclusion::Deregistered => "已注销或被吊销",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Conclusion::NoProblem => "no problem found",
            Conclusion::Corrected => "problems found, ordered to correct",
            Conclusion::PendingHandling => "problems found, to be handled",
            Conclusion::NonCooperation => "serious non-cooperation",
            Conclusion::Unreachable => "unreachable at its registered address",
            Conclusion::NoActivity => "no activity of the kind inspected",
            Conclusion::Deregistered => "deregistered or licence revoked",
        }
    }

    pub fn parse(code: &str) -> Option<Conclusion> {
        Conclusion::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Whether the conclusion says problems were found.
    fn found_problems(self) -> bool {
        matches!(self, Conclusion::Corrected | Conclusion::PendingHandling)
    }
}

/// 不予配合情节严重 — the four cases of 洛阳细则 第十二条.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NonCooperation {
    RefusedEntry,
    RefusedMaterials,
    FalseMaterials,
    Obstruction,
}

impl NonCooperation {
    pub const ALL: [NonCooperation; 4] = [
        NonCooperation::RefusedEntry,
        NonCooperation::RefusedMaterials,
        NonCooperation::FalseMaterials,
        NonCooperation::Obstruction,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NonCooperation::RefusedEntry => "refused_entry",
            NonCooperation::RefusedMaterials => "refused_materials",
            NonCooperation::FalseMaterials => "false_materials",
            NonCooperation::Obstruction => "obstruction",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            NonCooperation::RefusedEntry => "拒绝检查人员进入被检查场所",
            NonCooperation::RefusedMaterials => "拒绝提供相关情况或相关材料",
            NonCooperation::FalseMaterials => "不如实或不按要求提供情况或相关材料",
            NonCooperation::Obstruction => "其他阻挠、妨碍抽查工作致使无法正常进行",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            NonCooperation::RefusedEntry => "refused the inspectors entry",
            NonCooperation::RefusedMaterials => "refused to provide information or materials",
            NonCooperation::FalseMaterials => "provided false or incomplete materials",
            NonCooperation::Obstruction => "otherwise obstructed the inspection",
        }
    }

    pub fn parse(code: &str) -> Option<NonCooperation> {
        NonCooperation::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// One item's result on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemVerdict {
    Compliant,
    NonCompliant,
    NotChecked,
}

impl ItemVerdict {
    pub const ALL: [ItemVerdict; 3] =
        [ItemVerdict::Compliant, ItemVerdict::NonCompliant, ItemVerdict::NotChecked];

    pub fn code(self) -> &'static str {
        match self {
            ItemVerdict::Compliant => "compliant",
            ItemVerdict::NonCompliant => "non_compliant",
            ItemVerdict::NotChecked => "not_checked",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ItemVerdict::Compliant => "符合规定",
            ItemVerdict::NonCompliant => "不符合规定",
            ItemVerdict::NotChecked => "未检查",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            ItemVerdict::Compliant => "compliant",
            ItemVerdict::NonCompliant => "non-compliant",
            ItemVerdict::NotChecked => "not checked",
        }
    }

    pub fn parse(code: &str) -> Option<ItemVerdict> {
        ItemVerdict::ALL.into_iter().find(|c| c.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemResult {
    /// The item's code.
    #[schemars(length(min = 1, max = crate::text::MAX_CODE))]
    pub item: String,
    pub verdict: ItemVerdict,
    /// The legal basis the item was checked against.
    #[serde(default)]
    #[schemars(length(max = crate::text::MAX_LINE))]
    pub basis: String,
    #[serde(default)]
    #[schemars(length(max = crate::text::MAX_LINE))]
    pub note: String,
}

/// 处理: what was done about the findings. Any of the three, or none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Handling {
    /// 责令整改, by this date.
    pub rectify_by: Option<NaiveDate>,
    /// 行政处罚: the decision's number and date.
    #[schemars(length(max = crate::text::MAX_NAME))]
    pub penalty_decision_no: String,
    pub penalty_date: Option<NaiveDate>,
    /// 移送: the receiving body.
    #[schemars(length(max = crate::text::MAX_NAME))]
    pub referred_to: String,
}

impl Handling {
    pub fn is_empty(&self) -> bool {
        *self == Handling::default()
    }

    /// The handling in the words of the public notice.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(by) = self.rectify_by {
            out.push(format!("责令整改（期限 {by}）"));
        }
        if !self.penalty_decision_no.is_empty() {
            let date = self.penalty_date.map(|d| format!("，{d}")).unwrap_or_default();
            out.push(format!("行政处罚（{}{date}）", self.penalty_decision_no));
        }
        if !self.referred_to.is_empty() {
            out.push(format!("移送{}", self.referred_to));
        }
        out
    }
}

/// The inspection form, as the team fills it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionForm {
    pub started_on: NaiveDate,
    pub ended_on: NaiveDate,
    #[schemars(length(max = super::task::MAX_LIST))]
    pub items: Vec<ItemResult>,
    /// 检查发现: private (it may hold commercial secrets).
    #[serde(default)]
    #[schemars(length(max = crate::text::MAX_TEXT))]
    pub findings: String,
    pub conclusion: Conclusion,
    #[serde(default)]
    pub non_cooperation: Option<NonCooperation>,
    #[serde(default)]
    pub handling: Handling,
    /// Whether the party signed the form; why not when it did not.
    pub signed: bool,
    #[serde(default)]
    #[schemars(length(max = crate::text::MAX_LINE))]
    pub unsigned_reason: String,
    /// 检查小结.
    #[schemars(length(max = crate::text::MAX_TEXT))]
    pub summary: String,
    /// What the public notice says beyond the conclusion and handling, written for publication.
    #[serde(default)]
    #[schemars(length(max = crate::text::MAX_TEXT))]
    pub public_note: String,
    /// 延期理由: why the inspection ended after the task's window (required then).
    #[serde(default)]
    #[schemars(length(max = crate::text::MAX_LINE))]
    pub extension_reason: String,
    /// A follow-up (复查) only: what it found of the rectification it checks. Absent from
    /// every other form (and from its stored JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<super::FollowUpOutcome>,
}

/// The dates a form is checked against: the task's window (实施期限) and today in China.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormDates {
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub today: NaiveDate,
}

impl InspectionForm {
    /// Whether a 行政处罚 can rest on this result: it found problems (a follow-up: found the
    /// rectification not, or only partly, done), or the firm refused the inspection
    /// (《劳动保障监察条例》第三十条). A result that found nothing, or nobody to inspect, cannot.
    pub fn grounds_penalty(&self) -> bool {
        use super::FollowUpOutcome::{NotRectified, Partly};
        self.conclusion.found_problems()
            || self.conclusion == Conclusion::NonCooperation
            || matches!(self.follow_up, Some(NotRectified | Partly))
    }

    /// The form's rules, given the task's item codes and dates.
    pub fn check(&self, task_items: &[String], dates: FormDates) -> Vec<Invalid> {
        use crate::text::Shape::{Code, Line, Name, Text};
        let mut out = Vec::new();
        super::check_texts(
            &mut out,
            &[
                ("findings", &self.findings, Text),
                ("penalty_decision_no", &self.handling.penalty_decision_no, Name),
                ("referred_to", &self.handling.referred_to, Name),
                ("unsigned_reason", &self.unsigned_reason, Line),
                ("summary", &self.summary, Text),
                ("public_note", &self.public_note, Text),
                ("extension_reason", &self.extension_reason, Line),
            ],
        );
        if self.items.len() > super::task::MAX_LIST {
            let max = super::task::MAX_LIST;
            out.push(Invalid::new("items", format!("最多 {max} 项"), format!("at most {max} entries")));
        }
        for r in self.items.iter().take(super::task::MAX_LIST) {
            super::check_texts(
                &mut out,
                &[("items", &r.item, Code), ("items", &r.basis, Line), ("items", &r.note, Line)],
            );
        }
        if self.ended_on < self.started_on {
            out.push(Invalid::new(
                "ended_on",
                "检查结束日期早于开始日期",
                "the inspection ends before it starts",
            ));
        }
        self.check_dates(dates, &mut out);
        for code in task_items {
            if !self.items.iter().any(|r| &r.item == code) {
                out.push(Invalid::new(
                    "items",
                    format!("事项 {code} 没有检查结果"),
                    format!("item {code} has no result"),
                ));
            }
        }
        for r in &self.items {
            if !task_items.contains(&r.item) {
                out.push(Invalid::new(
                    "items",
                    format!("事项 {} 不属于本任务", r.item),
                    format!("item {} is not the task's", r.item),
                ));
            }
        }
        let non_compliant = self.items.iter().any(|r| r.verdict == ItemVerdict::NonCompliant);
        if self.conclusion.found_problems() {
            if !non_compliant {
                out.push(Invalid::new(
                    "conclusion",
                    "结论为发现问题，但没有不符合规定的事项",
                    "problems found, yet no item is non-compliant",
                ));
            }
            if self.findings.trim().is_empty() {
                out.push(Invalid::new("findings", "发现问题时须填写检查发现", "describe the problems found"));
            }
        } else if self.conclusion == Conclusion::NoProblem && non_compliant {
            out.push(Invalid::new(
                "conclusion",
                "有不符合规定的事项，结论不能为未发现问题",
                "an item is non-compliant: not “no problem”",
            ));
        }
        if self.conclusion == Conclusion::Corrected && self.handling.rectify_by.is_none() {
            out.push(Invalid::new(
                "rectify_by",
                "已责令改正的须填写整改期限",
                "a rectification needs its deadline",
            ));
        }
        match (self.conclusion, self.non_cooperation) {
            (Conclusion::NonCooperation, None) => out.push(Invalid::new(
                "non_cooperation",
                "不配合检查情节严重的，须选择第十二条所列情形",
                "choose which case of non-cooperation",
            )),
            (c, Some(_)) if c != Conclusion::NonCooperation => out.push(Invalid::new(
                "non_cooperation",
                "只有结论为不配合检查情节严重时才选择不配合情形",
                "a case of non-cooperation goes with that conclusion only",
            )),
            _ => {}
        }
        if let Some(by) = self.handling.rectify_by
            && by < self.ended_on
        {
            out.push(Invalid::new(
                "rectify_by",
                "整改期限早于检查结束日期",
                "the rectification deadline is before the inspection's end",
            ));
        }
        let decision = !self.handling.penalty_decision_no.trim().is_empty();
        if decision && !self.grounds_penalty() {
            out.push(Invalid::new(
                "penalty_decision_no",
                "未发现违法行为的检查结果不能载明行政处罚",
                "a result that found no violation cannot name a penalty",
            ));
        }
        if decision != self.handling.penalty_date.is_some() {
            out.push(Invalid::new(
                "penalty_date",
                "行政处罚须同时填写决定书文号和决定日期",
                "a penalty needs both its decision number and date",
            ));
        }
        if !self.signed && self.unsigned_reason.trim().is_empty() {
            out.push(Invalid::new(
                "unsigned_reason",
                "被检查单位未签字的，须写明原因",
                "say why the party did not sign",
            ));
        }
        if self.summary.trim().is_empty() {
            out.push(Invalid::new("summary", "检查小结不能为空", "the summary is required"));
        }
        out
    }
}

impl InspectionForm {
    /// An inspection happens inside its task's window, or later with a recorded reason (延期);
    /// never before the task's window opens and never in the future, so its publication
    /// deadline cannot fall in the past or years ahead.
    fn check_dates(&self, dates: FormDates, out: &mut Vec<Invalid>) {
        let FormDates { window_start, window_end, today } = dates;
        if self.started_on < window_start {
            out.push(Invalid::new(
                "started_on",
                format!("检查开始日期早于任务实施期限（{window_start} 起）"),
                format!("the inspection starts before the task's window ({window_start})"),
            ));
        }
        for (field, date, zh, en) in
            [("started_on", self.started_on, "开始", "starts"), ("ended_on", self.ended_on, "结束", "ends")]
        {
            if date > today {
                out.push(Invalid::new(
                    field,
                    format!("检查{zh}日期 {date} 晚于今天（{today}），请在检查后录入"),
                    format!("the inspection {en} on {date}, after today ({today})"),
                ));
            }
        }
        if self.ended_on > window_end && self.extension_reason.trim().is_empty() {
            out.push(Invalid::new(
                "extension_reason",
                format!("检查结束日期晚于任务实施期限（{window_end} 止），须写明延期理由"),
                format!("the inspection ends after the task's window ({window_end}): give the reason"),
            ));
        }
    }
}

/// What the portal shows of a result: no findings, no summary, no evidence, no reasons for a
/// missing signature — only what the public notice carries (rule 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublicResult {
    pub task_code: String,
    pub task_title: String,
    pub uscc: String,
    pub target_name: String,
    /// The items' names, in the task's order.
    pub items: Vec<String>,
    pub started_on: NaiveDate,
    pub ended_on: NaiveDate,
    pub conclusion: String,
    pub handling: Vec<String>,
    pub note: String,
    /// The inspectors' names and certificate numbers (the public directory's fields).
    pub inspectors: Vec<String>,
    /// A follow-up's finding (复查：已整改…); absent from other results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<String>,
    /// A joint visit's note (与 T-… 合并检查): one team visited for both tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_with: Option<String>,
}

/// The last day to publish the result of an inspection that ended on `ended_on`, `workdays`
/// working days later (the task's rules: [`PUBLICATION_WORKDAYS`] at most).
pub fn publication_deadline(
    calendar: &WorkCalendar,
    ended_on: NaiveDate,
    workdays: u32,
) -> Answer<NaiveDate> {
    calendar.add_workdays(ended_on, workdays)
}

/// The last day to publish a penalty decided on `decided_on`, `workdays` working days later
/// (the task's rules: [`PENALTY_WORKDAYS`] at most).
pub fn penalty_deadline(calendar: &WorkCalendar, decided_on: NaiveDate, workdays: u32) -> Answer<NaiveDate> {
    calendar.add_workdays(decided_on, workdays)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn form() -> InspectionForm {
        InspectionForm {
            started_on: day(6, 3),
            ended_on: day(6, 3),
            items: vec![ItemResult {
                item: "RS-001".into(),
                verdict: ItemVerdict::Compliant,
                basis: "《保障农民工工资支付条例》".into(),
                note: String::new(),
            }],
            findings: String::new(),
            conclusion: Conclusion::NoProblem,
            non_cooperation: None,
            handling: Handling::default(),
            signed: true,
            unsigned_reason: String::new(),
            summary: "工资按月足额支付。".into(),
            public_note: String::new(),
            extension_reason: String::new(),
            follow_up: None,
        }
    }

    const JUNE: FormDates = FormDates {
        window_start: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        window_end: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 7, 15).unwrap(),
    };

    fn fields(f: &InspectionForm) -> Vec<String> {
        f.check(&["RS-001".into()], JUNE).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn dates_lie_in_the_window_or_carry_a_reason_and_never_after_today() {
        let mut f = form();
        f.started_on = day(5, 31);
        assert_eq!(fields(&f), ["started_on"]);
        f.started_on = day(6, 29);
        f.ended_on = day(7, 2);
        assert_eq!(fields(&f), ["extension_reason"]);
        f.extension_reason = "企业停产，待复工后检查".into();
        assert!(fields(&f).is_empty());
        f.ended_on = day(7, 16);
        assert_eq!(fields(&f), ["ended_on"]);
        f.started_on = day(7, 16);
        assert_eq!(fields(&f), ["started_on", "ended_on"]);
    }

    #[test]
    fn a_clean_form_passes() {
        assert!(fields(&form()).is_empty());
    }

    #[test]
    fn every_item_needs_a_result() {
        let mut f = form();
        f.items.clear();
        assert_eq!(fields(&f), ["items"]);
    }

    #[test]
    fn problems_need_findings_and_a_non_compliant_item() {
        let mut f = form();
        f.conclusion = Conclusion::PendingHandling;
        assert_eq!(fields(&f), ["conclusion", "findings"]);
        f.items[0].verdict = ItemVerdict::NonCompliant;
        f.findings = "拖欠3名农民工工资".into();
        assert!(fields(&f).is_empty());
        f.conclusion = Conclusion::NoProblem;
        assert_eq!(fields(&f), ["conclusion"]);
    }

    #[test]
    fn non_cooperation_names_its_case() {
        let mut f = form();
        f.conclusion = Conclusion::NonCooperation;
        assert_eq!(fields(&f), ["non_cooperation"]);
        f.non_cooperation = Some(NonCooperation::RefusedEntry);
        assert!(fields(&f).is_empty());
        f.conclusion = Conclusion::NoProblem;
        assert_eq!(fields(&f), ["non_cooperation"]);
    }

    #[test]
    fn handling_and_signature_rules() {
        let mut f = form();
        f.handling.penalty_decision_no = "洛人社监罚字〔2026〕12号".into();
        f.signed = false;
        assert_eq!(fields(&f), ["penalty_decision_no", "penalty_date", "unsigned_reason"]);
        f.conclusion = Conclusion::NonCooperation;
        f.non_cooperation = Some(NonCooperation::RefusedEntry);
        assert_eq!(fields(&f), ["penalty_date", "unsigned_reason"]);
        f.handling.penalty_date = Some(day(6, 10));
        f.unsigned_reason = "法定代表人拒绝签字，两名检查人员在场见证".into();
        f.handling.rectify_by = Some(day(6, 1));
        assert_eq!(fields(&f), ["rectify_by"]);
        f.handling.rectify_by = Some(day(6, 30));
        assert_eq!(f.handling.describe()[0], "责令整改（期限 2026-06-30）");
    }

    #[test]
    fn a_penalty_rests_on_a_violation_or_a_refusal() {
        let mut f = form();
        assert!(!f.grounds_penalty(), "nothing found");
        for c in [Conclusion::Unreachable, Conclusion::NoActivity, Conclusion::Deregistered] {
            f.conclusion = c;
            assert!(!f.grounds_penalty(), "{c:?}: nobody was inspected");
        }
        for c in [Conclusion::Corrected, Conclusion::PendingHandling, Conclusion::NonCooperation] {
            f.conclusion = c;
            assert!(f.grounds_penalty(), "{c:?}");
        }
        // A follow-up that found the order not carried out grounds one, whatever else it found.
        f.conclusion = Conclusion::NoProblem;
        for (outcome, grounds) in [
            (super::super::FollowUpOutcome::Rectified, false),
            (super::super::FollowUpOutcome::Partly, true),
            (super::super::FollowUpOutcome::NotRectified, true),
        ] {
            f.follow_up = Some(outcome);
            assert_eq!(f.grounds_penalty(), grounds, "{outcome:?}");
        }
    }

    #[test]
    fn deadlines_count_working_days() {
        let calendar = WorkCalendar::builtin();
        // Twenty working days from Friday 2026-09-25 run through the National Day holiday:
        // the deadline falls later than twenty weekdays would.
        let end = day(9, 25);
        let deadline = publication_deadline(&calendar, end, PUBLICATION_WORKDAYS).value;
        let weekdays_only = {
            let mut d = end;
            let mut n = 0;
            while n < 20 {
                d = d.succ_opt().unwrap();
                if !matches!(chrono::Datelike::weekday(&d), chrono::Weekday::Sat | chrono::Weekday::Sun) {
                    n += 1;
                }
            }
            d
        };
        assert!(deadline > weekdays_only, "{deadline} vs {weekdays_only}");
        assert_eq!(penalty_deadline(&calendar, day(6, 1), PENALTY_WORKDAYS).value, day(6, 10));
    }
}

//! 年度抽查计划: a department drafts its plan for a year as lines (an item, how many of its
//! targets or what share of them, in which months, with which other departments), submits it to
//! the 牵头科室, which approves it or returns it with a comment; approved plans are published and
//! together make the bureau's annual plan on the portal (seed 001 三(一): plans are 报局劳动保障
//! 监察股, and similar targets and methods are merged into joint work).

use super::Invalid;
use crate::text::Shape;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The most lines a plan holds.
pub const MAX_LINES: usize = 100;

/// The most departments one line shares its work with.
pub const MAX_JOINT: usize = 10;

/// The most targets one line may plan for.
pub const MAX_EXPECTED: u32 = 1_000_000;

/// Where a plan is. It is edited while a draft or returned; submitted, it waits for the
/// 牵头科室; approved, it may be published; published, it is public and fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Submitted,
    Returned,
    Approved,
    Published,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 5] = [
        PlanStatus::Draft,
        PlanStatus::Submitted,
        PlanStatus::Returned,
        PlanStatus::Approved,
        PlanStatus::Published,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::Returned => "returned",
            PlanStatus::Approved => "approved",
            PlanStatus::Published => "published",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            PlanStatus::Draft => "草稿",
            PlanStatus::Submitted => "已报送待审核",
            PlanStatus::Returned => "已退回修改",
            PlanStatus::Approved => "已审核待公布",
            PlanStatus::Published => "已公布",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted for approval",
            PlanStatus::Returned => "returned for changes",
            PlanStatus::Approved => "approved, awaiting publication",
            PlanStatus::Published => "published",
        }
    }

    pub fn parse(code: &str) -> Option<PlanStatus> {
        PlanStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether its department may still change it.
    pub fn editable(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::Returned)
    }

    /// Whether tasks may carry out its lines: once the 牵头科室 has approved it.
    pub fn in_force(self) -> bool {
        matches!(self, PlanStatus::Approved | PlanStatus::Published)
    }
}

/// A step of a plan's approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanStep {
    /// 报送: the department sends it to the 牵头科室.
    Submit,
    /// 审核通过.
    Approve,
    /// 退回: back to the department, with the reason.
    Return,
    /// 公布: on the portal, part of the bureau's annual plan.
    Publish,
}

impl PlanStep {
    pub const ALL: [PlanStep; 4] = [PlanStep::Submit, PlanStep::Approve, PlanStep::Return, PlanStep::Publish];

    /// The path segment and the audit action's last word: `submit` → `plan.submit`.
    pub fn code(self) -> &'static str {
        match self {
            PlanStep::Submit => "submit",
            PlanStep::Approve => "approve",
            PlanStep::Return => "return",
            PlanStep::Publish => "publish",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            PlanStep::Submit => "报送审核",
            PlanStep::Approve => "审核通过",
            PlanStep::Return => "退回修改",
            PlanStep::Publish => "公布",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            PlanStep::Submit => "submit",
            PlanStep::Approve => "approve",
            PlanStep::Return => "return",
            PlanStep::Publish => "publish",
        }
    }

    pub fn parse(code: &str) -> Option<PlanStep> {
        PlanStep::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether only the 牵头科室 (organizer or administrator) takes it; a department submits its
    /// own plan, the lead office approves, returns and publishes.
    pub fn by_lead_office(self) -> bool {
        !matches!(self, PlanStep::Submit)
    }

    /// Whether it must say why (a return does).
    pub fn needs_comment(self) -> bool {
        matches!(self, PlanStep::Return)
    }

    /// The status after the step, from `from`; `Err` with the reason when it cannot be taken.
    pub fn apply(self, from: PlanStatus) -> Result<PlanStatus, (&'static str, &'static str)> {
        use PlanStatus as S;
        match (self, from) {
            (PlanStep::Submit, S::Draft | S::Returned) => Ok(S::Submitted),
            (PlanStep::Approve, S::Submitted) => Ok(S::Approved),
            (PlanStep::Return, S::Submitted | S::Approved) => Ok(S::Returned),
            (PlanStep::Publish, S::Approved) => Ok(S::Published),
            (PlanStep::Submit, _) => {
                Err(("只有草稿或退回的计划可以报送", "only a draft or returned plan is submitted"))
            }
            (PlanStep::Approve | PlanStep::Return, S::Published) => {
                Err(("计划已公布", "the plan is already published"))
            }
            (PlanStep::Approve | PlanStep::Return, _) => {
                Err(("计划尚未报送审核", "the plan has not been submitted"))
            }
            (PlanStep::Publish, S::Published) => Err(("计划已公布", "the plan is already published")),
            (PlanStep::Publish, _) => {
                Err(("计划须经审核通过后公布", "a plan is approved before it is published"))
            }
        }
    }
}

/// One line of a plan: an item, how many of its targets (a count, a share of those eligible,
/// or both), when, and with whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanLine {
    /// The item's code.
    #[schemars(length(min = 1, max = crate::text::MAX_CODE))]
    pub item: String,
    /// How many targets are to be inspected.
    #[serde(default)]
    #[schemars(range(min = 1, max = MAX_EXPECTED))]
    pub expected_count: Option<u32>,
    /// What share of the eligible targets, in basis points (500 = 5%).
    #[serde(default)]
    #[schemars(range(min = 1, max = 10000))]
    pub expected_ratio_bp: Option<u32>,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    /// Other departments doing it together with the plan's (联合抽查).
    #[serde(default)]
    #[schemars(length(max = MAX_JOINT), inner(length(max = crate::text::MAX_NAME)))]
    pub joint_departments: Vec<String>,
    #[serde(default)]
    #[schemars(length(max = crate::text::MAX_LINE))]
    pub note: String,
    /// The kind of firms it inspects, as GB/T 4754 industry code prefixes (`L7261` 人力资源
    /// 服务, `E47` 房屋建筑业); none: every kind. Lines of two departments whose kinds meet
    /// in one period are offered for a joint task (see [`PlanLine::meets`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = MAX_INDUSTRIES), inner(length(max = crate::text::MAX_CODE)))]
    pub industries: Vec<String>,
}

/// The most industry prefixes one line names.
pub const MAX_INDUSTRIES: usize = 20;

/// Whether `v` is an industry code prefix: a section letter and up to four digits, or digits.
pub fn is_industry_prefix(v: &str) -> bool {
    let rest = v.strip_prefix(|c: char| c.is_ascii_uppercase()).unwrap_or(v);
    !v.is_empty() && rest.len() <= 4 && rest.bytes().all(|b| b.is_ascii_digit())
}

/// The industry prefixes two lists of them have in common: the narrower of each pair where one
/// contains the other; every kind (`[]`) is no limit. `None` when they do not meet.
pub fn common_industries(a: &[String], b: &[String]) -> Option<Vec<String>> {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => return Some(b.to_vec()),
        (_, true) => return Some(a.to_vec()),
        _ => {}
    }
    // A prefix may leave out its section letter (`47` is `E47`, GB/T 4754's fixed ranges):
    // written with it, one prefix within another is one kind within another.
    let lettered =
        |p: &str| match p.get(..2).and_then(|d| d.parse().ok()).and_then(crate::codes::section_of_division) {
            Some(section) if p.starts_with(|c: char| c.is_ascii_digit()) => format!("{section}{p}"),
            _ => p.to_owned(),
        };
    let within = |narrow: &str, wide: &str| lettered(narrow).starts_with(&lettered(wide));
    let mut out: Vec<String> = Vec::new();
    for x in a {
        for y in b {
            let narrower = if within(x, y) {
                x
            } else if within(y, x) {
                y
            } else {
                continue;
            };
            if !out.contains(narrower) {
                out.push(narrower.clone());
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

impl PlanLine {
    /// This line's problems (it is line `n`, from 1, of a plan for `year`), each named
    /// `lines[n].field`.
    pub fn check(&self, n: usize, year: i32, out: &mut Vec<Invalid>) {
        let field = |f: &str| format!("lines[{n}].{f}");
        let mut push = |f: &str, zh: String, en: String| out.push(Invalid::new(&field(f), zh, en));
        for (f, value, shape) in [("item", &self.item, Shape::Code), ("note", &self.note, Shape::Line)] {
            if let Some((zh, en)) = shape.problem(value) {
                push(f, format!("第 {n} 行：{zh}"), format!("line {n}: {en}"));
            }
        }
        if self.item.trim().is_empty() {
            push("item", format!("第 {n} 行：请选择抽查事项"), format!("line {n}: the item is required"));
        }
        match (self.expected_count, self.expected_ratio_bp) {
            (None, None) => push(
                "expected_count",
                format!("第 {n} 行：请填写计划抽查户数或比例"),
                format!("line {n}: give the expected count, the ratio or both"),
            ),
            (Some(c), _) if !(1..=MAX_EXPECTED).contains(&c) => push(
                "expected_count",
                format!("第 {n} 行：计划户数应为 1–{MAX_EXPECTED}"),
                format!("line {n}: the count is 1 to {MAX_EXPECTED}"),
            ),
            (_, Some(r)) if !(1..=10_000).contains(&r) => push(
                "expected_ratio_bp",
                format!("第 {n} 行：计划比例应在 0.01%–100% 之间"),
                format!("line {n}: the ratio is 0.01% to 100%"),
            ),
            _ => {}
        }
        if self.window_end < self.window_start {
            push(
                "window_end",
                format!("第 {n} 行：结束日期早于开始日期"),
                format!("line {n}: the window ends before it starts"),
            );
        }
        if self.window_start.year() != year || self.window_end.year() != year {
            push(
                "window_start",
                format!("第 {n} 行：实施时间应在 {year} 年内"),
                format!("line {n}: the window lies within {year}"),
            );
        }
        if self.joint_departments.len() > MAX_JOINT {
            push(
                "joint_departments",
                format!("第 {n} 行：联合部门至多 {MAX_JOINT} 个"),
                format!("line {n}: at most {MAX_JOINT} joint departments"),
            );
        }
        for d in &self.joint_departments {
            if let Some((zh, en)) = Shape::Name.problem(d) {
                push("joint_departments", format!("第 {n} 行：{zh}"), format!("line {n}: {en}"));
            }
        }
        if self.industries.len() > MAX_INDUSTRIES {
            push(
                "industries",
                format!("第 {n} 行：对象行业至多 {MAX_INDUSTRIES} 个"),
                format!("line {n}: at most {MAX_INDUSTRIES} industries"),
            );
        }
        for v in self.industries.iter().filter(|v| !is_industry_prefix(v)) {
            push(
                "industries",
                format!("第 {n} 行：“{}”不是行业代码前缀（如 L7261、E47）", crate::text::shorten(v, 20)),
                format!("line {n}: {:?} is not an industry code prefix", crate::text::shorten(v, 20)),
            );
        }
    }

    /// Whether this line and `other` inspect the same kind of firms in one period: their
    /// windows overlap and their industries meet. Then, run by two departments, they are one
    /// visit to make together (综合查一次) rather than two.
    pub fn meets(&self, other: &PlanLine) -> bool {
        self.window_start <= other.window_end
            && other.window_start <= self.window_end
            && common_industries(&self.industries, &other.industries).is_some()
    }

    /// The ratio as people read it: `5%`, `2.5%`.
    pub fn ratio_text(&self) -> Option<String> {
        self.expected_ratio_bp.map(crate::directory::percent)
    }
}

/// A share as people type it (`5`, `5%`, `2.5%`), in basis points.
pub fn parse_ratio(text: &str) -> Option<u32> {
    crate::directory::fields::ratio_bp(text).ok()
}

/// Every problem of a plan's lines for `year`: each line's own, too many lines, and an item
/// planned twice in overlapping months (one line per item and period, so execution adds up).
pub fn check_lines(lines: &[PlanLine], year: i32) -> Vec<Invalid> {
    let mut out = Vec::new();
    if lines.len() > MAX_LINES {
        out.push(Invalid::new(
            "lines",
            format!("计划至多 {MAX_LINES} 行"),
            format!("a plan has at most {MAX_LINES} lines"),
        ));
        return out;
    }
    for (i, line) in lines.iter().enumerate() {
        line.check(i + 1, year, &mut out);
        let twice = lines[..i].iter().position(|l| {
            l.item == line.item && l.window_start <= line.window_end && line.window_start <= l.window_end
        });
        if let Some(j) = twice {
            out.push(Invalid::new(
                &format!("lines[{}].item", i + 1),
                format!("第 {} 行与第 {} 行是同一事项且时间重叠，请合并", i + 1, j + 1),
                format!("line {} repeats line {}'s item in overlapping months: merge them", i + 1, j + 1),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn line(item: &str, from: NaiveDate, to: NaiveDate) -> PlanLine {
        PlanLine {
            item: item.into(),
            expected_count: Some(20),
            expected_ratio_bp: None,
            window_start: from,
            window_end: to,
            joint_departments: vec![],
            note: String::new(),
            industries: vec![],
        }
    }

    #[test]
    fn the_approval_runs_draft_submit_approve_publish_and_a_return_goes_back() {
        use PlanStatus as S;
        use PlanStep as P;
        assert_eq!(P::Submit.apply(S::Draft), Ok(S::Submitted));
        assert_eq!(P::Return.apply(S::Submitted), Ok(S::Returned));
        assert_eq!(P::Submit.apply(S::Returned), Ok(S::Submitted));
        assert_eq!(P::Approve.apply(S::Submitted), Ok(S::Approved));
        assert_eq!(P::Publish.apply(S::Approved), Ok(S::Published));
        // Nothing skips the lead office's approval, and nothing moves a published plan.
        assert!(P::Publish.apply(S::Draft).is_err());
        assert!(P::Publish.apply(S::Submitted).is_err());
        assert!(P::Approve.apply(S::Draft).is_err());
        for step in PlanStep::ALL {
            assert!(step.apply(S::Published).is_err(), "{step:?}");
        }
        assert!(P::Submit.apply(S::Submitted).is_err());
        assert!(S::Draft.editable() && S::Returned.editable() && !S::Submitted.editable());
        assert!(S::Approved.in_force() && !S::Submitted.in_force());
        for s in PlanStatus::ALL {
            assert_eq!(PlanStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn lines_of_one_period_and_kind_of_firms_meet() {
        let june = line("RS-001", day(6, 1), day(6, 30));
        let july = line("RS-010", day(7, 1), day(7, 31));
        let late_june = line("RS-010", day(6, 20), day(7, 10));
        assert!(!june.meets(&july), "no common day");
        assert!(june.meets(&late_june) && late_june.meets(&june), "every kind, common days");
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let building = PlanLine { industries: v(&["E47"]), ..late_june.clone() };
        let agencies = PlanLine { industries: v(&["L7261"]), ..june.clone() };
        assert!(!building.meets(&agencies), "different kinds");
        assert!(building.meets(&june), "every kind meets any");
        // The narrower of two prefixes one within the other; a division without its letter.
        assert_eq!(common_industries(&v(&["E"]), &v(&["E4710", "C"])), Some(v(&["E4710"])));
        assert_eq!(common_industries(&v(&["4710"]), &v(&["E47"])), Some(v(&["4710"])));
        assert_eq!(common_industries(&v(&["E47"]), &v(&["L7261"])), None);
        assert_eq!(common_industries(&v(&["47"]), &v(&["E"])), Some(v(&["47"])));
        assert_eq!(common_industries(&v(&["47"]), &v(&["L"])), None);
        assert_eq!(common_industries(&[], &v(&["L7261"])), Some(v(&["L7261"])));
        let mut out = Vec::new();
        PlanLine { industries: v(&["人力资源", "L72611"]), ..june }.check(1, 2026, &mut out);
        assert_eq!(out.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["lines[1].industries"; 2]);
    }

    #[test]
    fn lines_need_a_count_or_ratio_a_window_in_the_year_and_no_item_twice_at_once() {
        let good = line("A01", day(3, 1), day(5, 31));
        assert!(check_lines(std::slice::from_ref(&good), 2026).is_empty());
        assert_eq!(check_lines(std::slice::from_ref(&good), 2027)[0].field, "lines[1].window_start");

        let none = PlanLine { expected_count: None, ..good.clone() };
        assert_eq!(check_lines(&[none], 2026)[0].field, "lines[1].expected_count");
        let ratio = PlanLine { expected_count: None, expected_ratio_bp: Some(500), ..good.clone() };
        assert!(check_lines(std::slice::from_ref(&ratio), 2026).is_empty());
        assert_eq!(ratio.ratio_text().as_deref(), Some("5%"));
        let too_much = PlanLine { expected_ratio_bp: Some(10_001), ..ratio };
        assert_eq!(check_lines(&[too_much], 2026)[0].field, "lines[1].expected_ratio_bp");

        let backwards = line("A01", day(5, 1), day(3, 1));
        assert!(check_lines(&[backwards], 2026).iter().any(|p| p.field == "lines[1].window_end"));

        // The same item twice: in other months it is two lines, overlapping it is one.
        let later = line("A01", day(9, 1), day(10, 31));
        assert!(check_lines(&[good.clone(), later], 2026).is_empty());
        let overlapping = line("A01", day(5, 1), day(6, 30));
        let problems = check_lines(&[good, overlapping], 2026);
        assert_eq!(problems[0].field, "lines[2].item");
        assert!(problems[0].zh.contains("第 1 行"));

        let many = vec![line("A01", day(1, 1), day(1, 1)); MAX_LINES + 1];
        assert_eq!(check_lines(&many, 2026)[0].field, "lines");
    }
}

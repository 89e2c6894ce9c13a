//! 抽查任务: the items a task inspects, who is eligible (定向 or 不定向), how many are drawn,
//! how likely each target is (weights by credit grade), and how its teams are made.
//!
//! A task's definition is one document, kept as JSON while the task is a draft and frozen when
//! it is published; [`TaskDefinition::check`] applies the seeds' rules to it.

use super::Invalid;
use crate::directory::{CreditGrade, ItemCategory, Method, RiskClass, Scale};
use crate::rules::{DEFAULT_YEARLY_CAP, RATIO_BP_FULL, Rules};
use crate::text::Shape;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A random task (the yearly plan's) or a triggered one (complaints, referrals, risk alerts —
/// 触发式抽查), which alone may have its teams chosen directly (直接选派).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    #[default]
    Random,
    Triggered,
}

impl TaskKind {
    pub fn zh(self) -> &'static str {
        match self {
            TaskKind::Random => "随机抽查",
            TaskKind::Triggered => "触发式抽查",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            TaskKind::Random => "random",
            TaskKind::Triggered => "triggered",
        }
    }
}

/// Where a task is in its life. Only a draft can be edited; publishing commits the population;
/// a task is drawn once (an annulled draw leaves it published again, with the annulled draw
/// kept beside the next); teams follow the draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Draft,
    Published,
    Drawn,
    Assigned,
}

impl TaskStatus {
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Draft => "draft",
            TaskStatus::Published => "published",
            TaskStatus::Drawn => "drawn",
            TaskStatus::Assigned => "assigned",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            TaskStatus::Draft => "草稿",
            TaskStatus::Published => "已公布待抽取",
            TaskStatus::Drawn => "已抽取",
            TaskStatus::Assigned => "已选派检查组",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            TaskStatus::Draft => "draft",
            TaskStatus::Published => "published, awaiting the draw",
            TaskStatus::Drawn => "drawn",
            TaskStatus::Assigned => "teams assigned",
        }
    }

    pub fn parse(code: &str) -> Option<TaskStatus> {
        [TaskStatus::Draft, TaskStatus::Published, TaskStatus::Drawn, TaskStatus::Assigned]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// 定向抽查: filters on the targets' fields. Every list left empty admits all; a target must pass
/// every non-empty list (any value within a list). All empty is 不定向: every active target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Eligibility {
    /// 类型, exactly as in the directory.
    #[schemars(length(max = MAX_LIST), inner(length(max = crate::text::MAX_NAME)))]
    pub kinds: Vec<String>,
    /// 规模 codes: large, medium, small, micro.
    #[schemars(length(max = MAX_LIST), inner(length(max = crate::text::MAX_CODE)))]
    pub scales: Vec<String>,
    /// GB/T 4754 prefixes, with or without the section letter: `C`, `C18`, `1810`.
    #[schemars(length(max = MAX_LIST), inner(length(max = crate::text::MAX_CODE)))]
    pub industry_prefixes: Vec<String>,
    /// GB/T 2260 prefixes: `41` (Henan), `4103` (Luoyang), `410307`.
    #[schemars(length(max = MAX_LIST), inner(length(max = crate::text::MAX_CODE)))]
    pub region_prefixes: Vec<String>,
    /// 诚信等级 codes: A, B, C.
    #[schemars(length(max = MAX_LIST), inner(length(max = crate::text::MAX_CODE)))]
    pub credit_grades: Vec<String>,
    /// Named firms (统一社会信用代码): a triggered task directed at the firms its leads name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = MAX_LIST), inner(length(max = crate::text::MAX_CODE)))]
    pub targets: Vec<String>,
    /// 风险分类 codes: A–D.
    #[schemars(length(max = MAX_LIST), inner(length(max = crate::text::MAX_CODE)))]
    pub risk_classes: Vec<String>,
}

/// What eligibility, weights and strata are decided on: a target's fields as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetFacts {
    pub uscc: String,
    pub kind: String,
    pub scale: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub credit_grade: Option<String>,
    pub risk_class: Option<String>,
}

impl Eligibility {
    pub fn is_directed(&self) -> bool {
        *self != Eligibility::default()
    }

    pub fn admits(&self, t: &TargetFacts) -> bool {
        fn one_of(list: &[String], value: Option<&str>) -> bool {
            list.is_empty() || value.is_some_and(|v| list.iter().any(|x| x == v))
        }
        fn prefixed(list: &[String], value: Option<&str>) -> bool {
            list.is_empty() || value.is_some_and(|v| list.iter().any(|p| v.starts_with(p.as_str())))
        }
        // An industry code is stored with its section letter (C1810); a prefix may leave the
        // letter out (18, 1810).
        let industry = t.industry.as_deref();
        let industry_digits = industry.map(|i| i.trim_start_matches(|c: char| c.is_ascii_uppercase()));
        (self.targets.is_empty() || self.targets.contains(&t.uscc))
            && one_of(&self.kinds, Some(t.kind.as_str()))
            && one_of(&self.scales, t.scale.as_deref())
            && (prefixed(&self.industry_prefixes, industry)
                || prefixed(&self.industry_prefixes, industry_digits))
            && prefixed(&self.region_prefixes, t.region.as_deref())
            && one_of(&self.credit_grades, t.credit_grade.as_deref())
            && one_of(&self.risk_classes, t.risk_class.as_deref())
    }

    fn check(&self, out: &mut Vec<Invalid>) {
        fn codes(out: &mut Vec<Invalid>, field: &str, list: &[String], ok: impl Fn(&str) -> bool, zh: &str) {
            for v in list.iter().filter(|v| !ok(v)) {
                out.push(Invalid::new(
                    field,
                    format!("“{v}”不是{zh}"),
                    format!("{v:?} is not a valid value"),
                ));
            }
        }
        codes(out, "scales", &self.scales, |v| Scale::ALL.iter().any(|s| s.code() == v), "规模代码");
        codes(
            out,
            "credit_grades",
            &self.credit_grades,
            |v| CreditGrade::ALL.iter().any(|s| s.code() == v),
            "诚信等级",
        );
        codes(
            out,
            "risk_classes",
            &self.risk_classes,
            |v| RiskClass::ALL.iter().any(|s| s.code() == v),
            "风险分类",
        );
        let digits = |v: &str| !v.is_empty() && v.len() <= 6 && v.bytes().all(|b| b.is_ascii_digit());
        codes(out, "region_prefixes", &self.region_prefixes, digits, "区划代码前缀（1–6 位数字）");
        codes(out, "industry_prefixes", &self.industry_prefixes, super::is_industry_prefix, "行业代码前缀");
        codes(out, "targets", &self.targets, |v| crate::uscc::validate(v).is_ok(), "统一社会信用代码");
    }
}

/// How many targets a task draws.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SizeSpec {
    /// So many targets.
    Count(u64),
    /// A share of the eligible targets, in basis points (500 = 5%).
    RatioBp(u32),
    /// So many from each stratum (see [`StratumField`]).
    Quotas(BTreeMap<String, u64>),
    /// Per stratum, a share of its eligible targets with a least number (信用风险分类: "D 类
    /// 抽查比例不低于 20%、至少 10 户"). Every stratum of the population must have one, so
    /// that no class is left without a chance to be drawn. At the draw it becomes the quotas
    /// its eligible strata give (see [`SizeSpec::quotas_in`]), which the draw record publishes.
    Shares(BTreeMap<String, StratumShare>),
}

/// One stratum's share of a [`SizeSpec::Shares`] rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StratumShare {
    /// The share of the stratum's eligible targets, in basis points (2000 = 20%).
    #[schemars(range(min = 1, max = RATIO_BP_FULL))]
    pub ratio_bp: u32,
    /// The least number drawn from the stratum (all of it when it has fewer).
    #[serde(default)]
    #[schemars(range(max = MAX_SHARE_FLOOR))]
    pub floor: u64,
}

/// The largest least number a stratum's share may ask for.
pub const MAX_SHARE_FLOOR: u64 = 1_000_000;

impl StratumShare {
    /// How many of a stratum's `eligible` targets the share draws: its ratio rounded up, at
    /// least its floor, at most the stratum.
    pub fn quota(&self, eligible: u64) -> u64 {
        let by_ratio = (eligible * u64::from(self.ratio_bp)).div_ceil(u64::from(RATIO_BP_FULL));
        by_ratio.max(self.floor).min(eligible)
    }
}

impl SizeSpec {
    /// How many are drawn from `eligible` targets. (A shares rule counts by stratum: see
    /// [`SizeSpec::count_in`].)
    pub fn count(&self, eligible: u64) -> u64 {
        match self {
            SizeSpec::Count(k) => *k,
            SizeSpec::RatioBp(r) => (eligible * u64::from(*r)).div_ceil(u64::from(RATIO_BP_FULL)),
            SizeSpec::Quotas(q) => q.values().sum(),
            SizeSpec::Shares(_) => 0,
        }
    }

    /// How many are drawn from eligible targets counted by stratum.
    pub fn count_in(&self, strata: &BTreeMap<String, u64>) -> u64 {
        match self.quotas_in(strata) {
            Some(q) => q.values().sum(),
            None => self.count(strata.values().sum()),
        }
    }

    /// The quotas a shares rule gives the eligible targets counted by stratum — strata with
    /// none to draw left out, as the protocol's quotas name only strata drawn from — or the
    /// quotas of a quotas rule; none for a count or a ratio.
    pub fn quotas_in(&self, strata: &BTreeMap<String, u64>) -> Option<BTreeMap<String, u64>> {
        match self {
            SizeSpec::Quotas(q) => Some(q.clone()),
            SizeSpec::Shares(shares) => Some(
                shares
                    .iter()
                    .map(|(s, share)| (s.clone(), share.quota(strata.get(s).copied().unwrap_or(0))))
                    .filter(|(_, q)| *q > 0)
                    .collect(),
            ),
            _ => None,
        }
    }

    /// Whether a drawn target's replacement must come from its own stratum.
    pub fn by_stratum(&self) -> bool {
        matches!(self, SizeSpec::Quotas(_) | SizeSpec::Shares(_))
    }
}

/// A stratum's name as a person reads it: the empty stratum (no value) is “（空）”.
pub fn stratum_zh(stratum: &str) -> &str {
    if stratum.is_empty() { "（空）" } else { stratum }
}

/// The target field whose value is a target's stratum (the population file's third column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StratumField {
    Region,
    Scale,
    CreditGrade,
    RiskClass,
    Kind,
}

impl StratumField {
    pub const ALL: [StratumField; 5] = [
        StratumField::Region,
        StratumField::Scale,
        StratumField::CreditGrade,
        StratumField::RiskClass,
        StratumField::Kind,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StratumField::Region => "region",
            StratumField::Scale => "scale",
            StratumField::CreditGrade => "credit_grade",
            StratumField::RiskClass => "risk_class",
            StratumField::Kind => "kind",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            StratumField::Region => "区划",
            StratumField::Scale => "规模",
            StratumField::CreditGrade => "诚信等级",
            StratumField::RiskClass => "风险分类",
            StratumField::Kind => "类型",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            StratumField::Region => "region",
            StratumField::Scale => "scale",
            StratumField::CreditGrade => "credit grade",
            StratumField::RiskClass => "risk class",
            StratumField::Kind => "kind",
        }
    }

    pub fn parse(code: &str) -> Option<StratumField> {
        StratumField::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The target's stratum: the field's value, empty when it has none.
    pub fn of(self, t: &TargetFacts) -> String {
        let v = match self {
            StratumField::Region => t.region.as_deref(),
            StratumField::Scale => t.scale.as_deref(),
            StratumField::CreditGrade => t.credit_grade.as_deref(),
            StratumField::RiskClass => t.risk_class.as_deref(),
            StratumField::Kind => Some(t.kind.as_str()),
        };
        v.unwrap_or_default().to_owned()
    }
}

/// The draw's weights by credit grade (rule 4: a low grade is drawn more often). A target of
/// weight w is w times as likely to be drawn next as one of weight 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CreditWeights {
    #[schemars(range(min = 1, max = CreditWeights::MAX))]
    pub a: u32,
    #[schemars(range(min = 1, max = CreditWeights::MAX))]
    pub b: u32,
    #[schemars(range(min = 1, max = CreditWeights::MAX))]
    pub c: u32,
    /// A target without a grade counts as the middle grade: no information is no reason to
    /// inspect it more or less than an ordinary one.
    #[schemars(range(min = 1, max = CreditWeights::MAX))]
    pub unrated: u32,
}

impl Default for CreditWeights {
    fn default() -> CreditWeights {
        CreditWeights { a: 1, b: 2, c: 4, unrated: 2 }
    }
}

impl CreditWeights {
    /// The most a weight may be: enough for any policy, small enough that a population's
    /// tickets stay a small multiple of its size.
    pub const MAX: u32 = 100;

    /// All weights 1: every target equally likely.
    pub const EQUAL: CreditWeights = CreditWeights { a: 1, b: 1, c: 1, unrated: 1 };

    /// Whether the weights differ by grade: then a target's published weight tells its grade.
    /// (See also [`TaskDefinition::risk_weights`].)
    pub fn differ_by_grade(&self) -> bool {
        !(self.a == self.b && self.b == self.c && self.c == self.unrated)
    }

    pub fn of(&self, credit_grade: Option<&str>) -> u32 {
        match credit_grade {
            Some("A") => self.a,
            Some("B") => self.b,
            Some("C") => self.c,
            _ => self.unrated,
        }
    }
}

/// The draw's weights by 信用风险分类 (seed 002 第六条: draws follow the risk classification),
/// multiplying those by credit grade. No class is weighted to zero: every firm keeps a chance
/// to be drawn. The weights are published with the population, so anyone re-checks the draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskWeights {
    #[schemars(range(min = 1, max = CreditWeights::MAX))]
    pub a: u32,
    #[schemars(range(min = 1, max = CreditWeights::MAX))]
    pub b: u32,
    #[schemars(range(min = 1, max = CreditWeights::MAX))]
    pub c: u32,
    #[schemars(range(min = 1, max = CreditWeights::MAX))]
    pub d: u32,
    /// A firm without a class: no information is no reason to weigh it more or less.
    #[schemars(range(min = 1, max = CreditWeights::MAX))]
    pub unclassified: u32,
}

impl RiskWeights {
    pub fn of(&self, risk_class: Option<&str>) -> u32 {
        match risk_class {
            Some("A") => self.a,
            Some("B") => self.b,
            Some("C") => self.c,
            Some("D") => self.d,
            _ => self.unclassified,
        }
    }
}

/// Who is on a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TeamSpec {
    /// So many inspectors of the task's department.
    Size(u32),
    /// 联合抽查: so many inspectors of each department taking part.
    Joint(BTreeMap<String, u32>),
}

impl TeamSpec {
    pub fn size(&self) -> u32 {
        match self {
            TeamSpec::Size(g) => *g,
            TeamSpec::Joint(counts) => counts.values().sum(),
        }
    }
}

/// A task, as the organizer defines it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskDefinition {
    #[schemars(length(min = 1, max = crate::text::MAX_NAME))]
    pub title: String,
    #[serde(default)]
    pub kind: TaskKind,
    /// What started a triggered task, in the staff's words (a complaint's number, a referral):
    /// required for one that names no lead. Private: the public is told `trigger_kind` only.
    #[serde(default)]
    #[schemars(length(max = crate::text::MAX_LINE))]
    pub trigger: String,
    /// A triggered task's kind of trigger (seed 002 第二条): what the public is told started it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_kind: Option<super::LeadSource>,
    /// The leads (线索) a triggered task takes up, by number: taken up when it is published.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = super::MAX_LEAD_TARGETS))]
    pub leads: Vec<i64>,
    /// Why a triggered task may inspect firms already at their yearly limits (a complaint with
    /// evidence, a referral, a major risk); without one, such firms are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption: Option<super::Exemption>,
    /// The items' codes: several items on one target are one visit.
    #[schemars(length(min = 1, max = MAX_LIST), inner(length(max = crate::text::MAX_CODE)))]
    pub items: Vec<String>,
    /// The departments taking part; two or more make a joint inspection.
    #[schemars(length(min = 1, max = MAX_LIST), inner(length(max = crate::text::MAX_NAME)))]
    pub departments: Vec<String>,
    #[serde(default)]
    pub eligibility: Eligibility,
    pub size: SizeSpec,
    /// What a target's stratum is; quotas need it.
    #[serde(default)]
    pub stratify_by: Option<StratumField>,
    #[serde(default)]
    pub weights: CreditWeights,
    /// Weights by risk class, multiplying those by grade (none: the class does not weigh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_weights: Option<RiskWeights>,
    /// Targets drawn this many times by random tasks this calendar year are not eligible.
    #[serde(default = "default_cap")]
    #[schemars(range(min = 1, max = MAX_YEARLY_CAP))]
    pub yearly_cap: u32,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    /// The inspection method's code (on-site, written, online).
    #[schemars(length(min = 1, max = crate::text::MAX_CODE))]
    pub method: String,
    pub team: TeamSpec,
    /// The most inspections one inspector is given by this task.
    #[serde(default)]
    #[schemars(range(min = 1, max = MAX_LOAD))]
    pub max_load: Option<u32>,
    /// How many targets follow the selected ones as the reserve list.
    #[serde(default)]
    #[schemars(range(max = MAX_RESERVE))]
    pub reserve: u32,
    /// The control sample (对照样本): so many more firms drawn beside a directed draw, without
    /// weights or strata, from the firms it left (protocol §2.9). None when 0; left out of the
    /// stored definition then, so a task defined before it was kept keeps its text.
    #[serde(default, skip_serializing_if = "is_zero")]
    #[schemars(range(max = MAX_CONTROL))]
    pub control: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn default_cap() -> u32 {
    DEFAULT_YEARLY_CAP
}

impl TaskDefinition {
    /// A target's weight in the draw: by its credit grade, times by its risk class when the
    /// task weighs classes.
    pub fn weight(&self, t: &TargetFacts) -> u32 {
        let risk = self.risk_weights.map_or(1, |r| r.of(t.risk_class.as_deref()));
        self.weights.of(t.credit_grade.as_deref()) * risk
    }

    /// Whether the draw favours some firms over others — by weights, or by strata given their
    /// own shares or quotas — so that a control sample beside it has something to measure.
    pub fn directed(&self) -> bool {
        self.weights_tell() || matches!(self.size, SizeSpec::Quotas(_) | SizeSpec::Shares(_))
    }

    /// Whether a target's published weight tells its grade or its class.
    pub fn weights_tell(&self) -> bool {
        self.weights.differ_by_grade()
            || self
                .risk_weights
                .is_some_and(|r| !(r.a == r.b && r.b == r.c && r.c == r.d && r.d == r.unclassified))
    }

    /// Every text of the definition within its limit and free of control characters.
    fn check_texts(&self, out: &mut Vec<Invalid>) {
        use crate::text::Shape::{Code, Line, Name};
        super::check_texts(
            out,
            &[("title", &self.title, Name), ("trigger", &self.trigger, Line), ("method", &self.method, Code)],
        );
        let lists: [(&str, &Vec<String>, Shape); 9] = [
            ("items", &self.items, Code),
            ("departments", &self.departments, Name),
            ("eligibility", &self.eligibility.kinds, Name),
            ("eligibility", &self.eligibility.scales, Code),
            ("eligibility", &self.eligibility.industry_prefixes, Code),
            ("eligibility", &self.eligibility.region_prefixes, Code),
            ("eligibility", &self.eligibility.credit_grades, Code),
            ("eligibility", &self.eligibility.risk_classes, Code),
            ("eligibility", &self.eligibility.targets, Code),
        ];
        for (field, values, shape) in lists {
            if values.len() > MAX_LIST {
                out.push(Invalid::new(
                    field,
                    format!("最多 {MAX_LIST} 项"),
                    format!("at most {MAX_LIST} entries"),
                ));
            }
            for v in values.iter().take(MAX_LIST) {
                super::check_texts(out, &[(field, v, shape)]);
            }
        }
    }
}

fn team_too_small(least: u32) -> Invalid {
    Invalid::new("team", format!("检查组至少 {least} 人"), format!("a team has at least {least} inspectors"))
}

/// The most entries in one of a task's lists (items, departments, a filter).
pub const MAX_LIST: usize = 200;
/// The highest yearly cap: a target drawn more often than monthly is no longer drawn at random.
pub const MAX_YEARLY_CAP: u32 = 12;
/// The most inspections one inspector may be given by one task.
pub const MAX_LOAD: u32 = 10_000;
/// The longest reserve list.
pub const MAX_RESERVE: u32 = 10_000;
/// The largest control sample: a measure beside the draw, not a second task.
pub const MAX_CONTROL: u32 = 1_000;

/// What a rule check needs to know about one of the task's items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub code: String,
    pub name: String,
    pub category: ItemCategory,
    pub min_ratio_bp: Option<u32>,
    pub active: bool,
    /// Which tasks may check it (the 触发式事项清单: `triggered` or `both`).
    pub scope: crate::directory::ItemScope,
}

/// What publishing a task would commit to, shown on the form before it is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Preview {
    /// Active targets passing the eligibility filters and under the yearly cap.
    pub eligible: u64,
    /// Of those, left out because they reached the yearly cap.
    pub at_cap: u64,
    /// How many the size rule draws.
    pub drawn: u64,
    /// The eligible targets per stratum (one entry, "", without strata).
    pub strata: BTreeMap<String, u64>,
    /// What stops the task from being published or drawn; empty when it can be.
    pub problems: Vec<Invalid>,
    /// The firms the filters admit that reached a yearly limit (the first
    /// [`super::MAX_NOTES`]): left out, or kept under the task's exemption.
    pub over_limit: Vec<super::LimitNote>,
    /// The eligible firms inspected within the bureau's recent days (the first
    /// [`super::MAX_NOTES`]) and how many in all.
    pub recent: Vec<super::RecentVisit>,
    pub recent_count: u64,
    /// The days an earlier inspection is pointed out within (the bureau's rule).
    pub recent_days: u32,
}

impl TaskDefinition {
    /// The definition's own rules, those that depend on its items (found in the item list by
    /// the caller, in the task's order; a code not found is missing from `items`), and the
    /// bureau's `rules` it is made under.
    pub fn check(&self, items: &[ItemFacts], rules: &Rules) -> Vec<Invalid> {
        let mut out = Vec::new();
        self.check_texts(&mut out);
        if self.title.trim().is_empty() {
            out.push(Invalid::new("title", "任务名称不能为空", "the title is required"));
        }
        match self.kind {
            TaskKind::Triggered => {
                if self.trigger.trim().is_empty() && self.leads.is_empty() {
                    out.push(Invalid::new(
                        "trigger",
                        "触发式抽查须写明触发原因或关联线索",
                        "a triggered task needs its trigger or its leads",
                    ));
                }
                if self.trigger_kind.is_none() {
                    out.push(Invalid::new(
                        "trigger_kind",
                        "触发式抽查须选择触发类型（投诉举报、转办交办、网络监测、风险防控）",
                        "a triggered task needs its kind of trigger",
                    ));
                }
            }
            TaskKind::Random => {
                if self.trigger_kind.is_some()
                    || !self.leads.is_empty()
                    || !self.eligibility.targets.is_empty()
                {
                    out.push(Invalid::new(
                        "kind",
                        "触发类型、线索和指定检查对象只适用于触发式抽查",
                        "a kind of trigger, leads and named firms are for triggered tasks only",
                    ));
                }
            }
        }
        // The 触发式事项清单: a triggered task checks the items on it; a random task, the others.
        let triggered = self.kind == TaskKind::Triggered;
        for i in items.iter().filter(|i| !i.scope.allows(triggered)) {
            out.push(if triggered {
                Invalid::new(
                    "items",
                    format!("事项 {}（{}）未列入触发式事项清单，触发式抽查不能使用", i.code, i.name),
                    format!("item {} is not on the list for triggered inspections", i.code),
                )
            } else {
                Invalid::new(
                    "items",
                    format!("事项 {}（{}）只用于触发式抽查", i.code, i.name),
                    format!("item {} is for triggered inspections only", i.code),
                )
            });
        }
        if self.leads.len() > super::MAX_LEAD_TARGETS {
            out.push(Invalid::new(
                "leads",
                format!("最多关联 {} 条线索", super::MAX_LEAD_TARGETS),
                format!("at most {} leads", super::MAX_LEAD_TARGETS),
            ));
        }
        if self.leads.iter().collect::<BTreeSet<_>>().len() < self.leads.len() {
            out.push(Invalid::new("leads", "线索重复", "a lead is named twice"));
        }
        if self.kind == TaskKind::Random && self.exemption.is_some() {
            out.push(Invalid::new(
                "exemption",
                "随机抽查不得超出年度检查上限，只有触发式检查可注明豁免事由",
                "a random task never goes over the yearly limits: only a triggered task takes an exemption",
            ));
        }
        if self.exemption.is_some_and(|e| !super::Exemption::OF_TASKS.contains(&e)) {
            out.push(Invalid::new(
                "exemption",
                "整改复查由整改记录安排，不作为任务的豁免事由",
                "a follow-up is scheduled from its rectification, not as a task's exemption",
            ));
        }
        if self.items.is_empty() {
            out.push(Invalid::new("items", "至少选择一个抽查事项", "choose at least one item"));
        }
        let mut seen = BTreeSet::new();
        for code in &self.items {
            if !seen.insert(code) {
                out.push(Invalid::new(
                    "items",
                    format!("事项 {code} 重复"),
                    format!("item {code} is listed twice"),
                ));
            }
            match items.iter().find(|i| &i.code == code) {
                None => out.push(Invalid::new(
                    "items",
                    format!("事项清单中没有 {code}"),
                    format!("no item {code} in the list"),
                )),
                Some(i) if !i.active => out.push(Invalid::new(
                    "items",
                    format!("事项 {code} 已停用"),
                    format!("item {code} is retired"),
                )),
                Some(_) => {}
            }
        }
        let departments: BTreeSet<&str> =
            self.departments.iter().map(|d| d.trim()).filter(|d| !d.is_empty()).collect();
        if departments.is_empty() {
            out.push(Invalid::new("departments", "至少一个参与部门", "at least one department"));
        }
        if departments.len() != self.departments.len() {
            out.push(Invalid::new(
                "departments",
                "部门不能为空或重复",
                "departments must be distinct and not blank",
            ));
        }
        self.eligibility.check(&mut out);
        self.check_size(items, rules, &mut out);
        let risk = self.risk_weights.map(|r| [r.a, r.b, r.c, r.d, r.unclassified]).unwrap_or([1; 5]);
        for (field, w) in [
            ("weights", self.weights.a),
            ("weights", self.weights.b),
            ("weights", self.weights.c),
            ("weights", self.weights.unrated),
        ]
        .into_iter()
        .chain(risk.map(|w| ("risk_weights", w)))
        {
            if w == 0 || w > CreditWeights::MAX {
                out.push(Invalid::new(
                    field,
                    format!("权重应为 1–{} 的整数", CreditWeights::MAX),
                    format!("a weight must be 1 to {}", CreditWeights::MAX),
                ));
                break;
            }
        }
        let cap = rules.yearly_cap.min(MAX_YEARLY_CAP);
        if !(1..=cap).contains(&self.yearly_cap) {
            out.push(Invalid::new(
                "yearly_cap",
                format!("年度抽查上限应为 1–{cap} 次（本局抽查工作细则）"),
                format!("the yearly cap is 1 to {cap} (the bureau's rules)"),
            ));
        }
        if self.reserve > MAX_RESERVE {
            out.push(Invalid::new(
                "reserve",
                format!("备选名单最多 {MAX_RESERVE} 个"),
                format!("the reserve list holds at most {MAX_RESERVE}"),
            ));
        }
        if self.control > MAX_CONTROL {
            out.push(Invalid::new(
                "control",
                format!("对照样本最多 {MAX_CONTROL} 户"),
                format!("a control sample holds at most {MAX_CONTROL}"),
            ));
        } else if self.control > 0 && self.kind != TaskKind::Random {
            out.push(Invalid::new(
                "control",
                "对照样本只用于随机抽查",
                "a control sample is for random tasks only",
            ));
        } else if self.control > 0 && !self.directed() {
            out.push(Invalid::new(
                "control",
                "本任务各检查对象被抽中的机会相同，无需对照样本：对照样本用于按信用等级、风险分类加权或分层比例的定向抽取",
                "every firm has the same chance in this draw: a control sample stands beside a weighted or stratified one",
            ));
        }
        if self.window_end < self.window_start {
            out.push(Invalid::new(
                "window_end",
                "检查结束日期早于开始日期",
                "the window ends before it starts",
            ));
        }
        if Method::parse(&self.method).is_none() {
            out.push(Invalid::new(
                "method",
                "检查方式应为现场、书面或网络监测",
                "the method is on-site, written or online",
            ));
        }
        let least_team = rules.team_size.max(crate::rules::MIN_TEAM_SIZE);
        match &self.team {
            TeamSpec::Size(g) => {
                if *g < least_team {
                    out.push(team_too_small(least_team));
                }
                if departments.len() > 1 {
                    out.push(Invalid::new(
                        "team",
                        "联合抽查须写明每个部门出几人",
                        "a joint inspection names how many inspectors each department sends",
                    ));
                }
            }
            TeamSpec::Joint(counts) => {
                let named: BTreeSet<&str> = counts.keys().map(String::as_str).collect();
                if named != departments {
                    out.push(Invalid::new(
                        "team",
                        "联合检查组须由每个参与部门各派人员，且只含参与部门",
                        "a joint team takes inspectors from each department taking part, and only from them",
                    ));
                }
                if counts.values().any(|&n| n == 0) {
                    out.push(Invalid::new("team", "每个部门至少派 1 人", "each department sends at least 1"));
                }
                if self.team.size() < least_team {
                    out.push(team_too_small(least_team));
                }
            }
        }
        if self.max_load.is_some_and(|n| !(1..=MAX_LOAD).contains(&n)) {
            out.push(Invalid::new(
                "max_load",
                format!("每人检查上限应为 1–{MAX_LOAD}"),
                format!("the load cap is 1 to {MAX_LOAD}"),
            ));
        }
        out
    }

    fn check_size(&self, items: &[ItemFacts], rules: &Rules, out: &mut Vec<Invalid>) {
        match &self.size {
            SizeSpec::Count(0) => out.push(Invalid::new("size", "抽取数量至少为 1", "draw at least 1")),
            SizeSpec::RatioBp(r) if *r == 0 || *r > RATIO_BP_FULL => {
                out.push(Invalid::new("size", "抽查比例应在 0.01%–100% 之间", "the ratio is 0.01% to 100%"))
            }
            SizeSpec::RatioBp(r) => {
                if let Some((floor, why)) = self.floor_ratio(items, rules).filter(|(floor, _)| r < floor) {
                    out.push(Invalid::new(
                        "size",
                        format!("抽查比例不得低于 {}（{why}）", crate::directory::percent(floor)),
                        format!("the ratio may not be below {} bp ({why})", floor),
                    ));
                }
            }
            SizeSpec::Quotas(q) => {
                if self.stratify_by.is_none() {
                    out.push(Invalid::new(
                        "stratify_by",
                        "按分层定额抽取须选择分层依据",
                        "quotas need a stratum field",
                    ));
                }
                if q.is_empty() || q.values().any(|&n| n == 0) {
                    out.push(Invalid::new("size", "每层定额至少为 1", "each quota is at least 1"));
                }
            }
            SizeSpec::Shares(shares) => {
                if self.stratify_by.is_none() {
                    out.push(Invalid::new(
                        "stratify_by",
                        "按分层比例抽取须选择分层依据",
                        "shares need a stratum field",
                    ));
                }
                if shares.is_empty() || shares.len() > MAX_LIST {
                    out.push(Invalid::new(
                        "size",
                        format!("分层比例须设 1–{MAX_LIST} 层"),
                        format!("shares name 1 to {MAX_LIST} strata"),
                    ));
                }
                for (stratum, share) in shares {
                    super::check_texts(out, &[("size", stratum, crate::text::Shape::Code)]);
                    if !(1..=RATIO_BP_FULL).contains(&share.ratio_bp) {
                        out.push(Invalid::new(
                            "size",
                            format!(
                                "“{}”层的比例应在 0.01%–100% 之间：任何一类都不能不抽",
                                stratum_zh(stratum)
                            ),
                            format!(
                                "stratum {stratum:?}: the ratio is 0.01% to 100% (no class may be left out)"
                            ),
                        ));
                    }
                    if share.floor > MAX_SHARE_FLOOR {
                        out.push(Invalid::new(
                            "size",
                            format!("“{}”层最少户数不超过 {MAX_SHARE_FLOOR}", stratum_zh(stratum)),
                            format!("stratum {stratum:?}: the least number is at most {MAX_SHARE_FLOOR}"),
                        ));
                    }
                }
            }
            SizeSpec::Count(_) => {}
        }
    }

    /// The least ratio the task's items allow, and why: the bureau's floor for general items
    /// (5% or more, rule 2) or for key items (if it sets one), or an item's own minimum.
    pub fn floor_ratio(&self, items: &[ItemFacts], rules: &Rules) -> Option<(u32, String)> {
        let mut floor: Option<(u32, String)> = None;
        for i in items.iter().filter(|i| self.items.contains(&i.code)) {
            let (bureau, kind) = match i.category {
                ItemCategory::General => (rules.general_floor_bp, "一般事项"),
                ItemCategory::Key => (rules.key_floor_bp, "重点事项"),
            };
            for (bp, why) in [
                (Some(bureau).filter(|&bp| bp > 0), format!("{kind} {}", i.code)),
                (i.min_ratio_bp, format!("事项 {} 的最低比例", i.code)),
            ] {
                if let Some(bp) = bp.filter(|&bp| floor.as_ref().is_none_or(|(f, _)| bp > *f)) {
                    floor = Some((bp, why));
                }
            }
        }
        floor
    }

    /// The team rule's departments, for the assignment: a single-department team takes its
    /// inspectors from that department.
    pub fn team_departments(&self) -> Vec<String> {
        match &self.team {
            TeamSpec::Size(_) => self.departments.clone(),
            TeamSpec::Joint(counts) => counts.keys().cloned().collect(),
        }
    }

    /// A target's stratum in this task.
    pub fn stratum(&self, t: &TargetFacts) -> String {
        self.stratify_by.map(|f| f.of(t)).unwrap_or_default()
    }

    /// Whether the task's inspections go on site (the visits' limit holds them).
    pub fn on_site(&self) -> bool {
        crate::directory::Method::parse(&self.method) == Some(crate::directory::Method::OnSite)
    }

    /// The limit a firm that has been drawn and visited `count` times this year has reached for
    /// this task — its own random-draw cap, the bureau's limit of visits — if any, and whether
    /// the task's exemption covers it (a triggered task's only).
    pub fn limit_reached(&self, count: super::YearCount, rules: &Rules) -> Option<(super::OverLimit, bool)> {
        let random = self.kind == TaskKind::Random;
        let limits = super::Limits { random: self.yearly_cap, visits: rules.visit_cap };
        let over = count.over(limits, random, self.on_site())?;
        Some((over, !random && self.exemption.is_some()))
    }

    /// What publishing would commit to, from the eligible targets' strata (counted by the
    /// caller) and what the yearly limits did to them.
    pub fn preview(
        &self,
        items: &[ItemFacts],
        strata: BTreeMap<String, u64>,
        limited: super::LimitNotes,
        rules: &Rules,
    ) -> Preview {
        let eligible: u64 = strata.values().sum();
        let drawn = self.size.count_in(&strata);
        let mut problems = self.check(items, rules);
        // A triggered task goes to firms at a limit only with a coded exemption: without one it
        // is refused rather than quietly leaving them out (the organizer narrows it or says
        // why) — which also says why none is eligible, when none is.
        let unexempt = self.kind == TaskKind::Triggered && self.exemption.is_none();
        let needs_exemption =
            limited.over.first().filter(|_| unexempt && limited.left_out > 0).map(|first| {
                Invalid::new(
                    "exemption",
                    format!(
                        "{} 户已达本年度检查上限（如 {} {}：{}），触发式检查须注明豁免事由",
                        limited.left_out,
                        first.name,
                        first.uscc,
                        first.over.zh()
                    ),
                    format!(
                        "{} firms are at a yearly limit (e.g. {}: {}): a triggered task needs an exemption",
                        limited.left_out,
                        first.uscc,
                        first.over.en()
                    ),
                )
            });
        if eligible == 0 {
            if needs_exemption.is_none() {
                problems.push(Invalid::new("eligibility", "没有符合条件的检查对象", "no target is eligible"));
            }
        } else if drawn > eligible {
            problems.push(Invalid::new(
                "size",
                format!("要抽取 {drawn} 户，符合条件的只有 {eligible} 户"),
                format!("{drawn} to draw, only {eligible} eligible"),
            ));
        }
        if drawn <= eligible && u64::from(self.reserve) > eligible - drawn {
            problems.push(Invalid::new(
                "reserve",
                format!("备选 {} 户，抽取后只剩 {} 户", self.reserve, eligible - drawn),
                format!("a reserve of {} leaves only {} after the draw", self.reserve, eligible - drawn),
            ));
        }
        let left = eligible.saturating_sub(drawn).saturating_sub(u64::from(self.reserve));
        if drawn <= eligible && u64::from(self.reserve) <= eligible - drawn && u64::from(self.control) > left
        {
            problems.push(Invalid::new(
                "control",
                format!("对照样本 {} 户，抽取和备选后只剩 {left} 户", self.control),
                format!("a control sample of {} leaves only {left} after the draw and reserve", self.control),
            ));
        }
        if let SizeSpec::Quotas(quotas) = &self.size {
            for (stratum, quota) in quotas {
                let have = strata.get(stratum).copied().unwrap_or(0);
                if have < *quota {
                    problems.push(Invalid::new(
                        "size",
                        format!("“{stratum}”层定额 {quota} 户，符合条件的只有 {have} 户"),
                        format!("stratum {stratum:?}: quota {quota}, only {have} eligible"),
                    ));
                }
            }
        }
        // A shares rule names every stratum the task may draw from: one left unnamed would
        // have no chance to be drawn, which the weights may not do either.
        if let SizeSpec::Shares(shares) = &self.size {
            let unnamed: Vec<&str> =
                strata.keys().filter(|s| !shares.contains_key(*s)).map(|s| stratum_zh(s)).collect();
            if !unnamed.is_empty() {
                problems.push(Invalid::new(
                    "size",
                    format!("分层比例未包括“{}”层：每一类对象都须有被抽中的机会", unnamed.join("”“")),
                    format!(
                        "the shares leave out stratum {}: every class keeps a chance",
                        unnamed.join(", ")
                    ),
                ));
            }
        }
        // A count or quotas must still reach the items' least ratio of the eligible targets.
        if !matches!(self.size, SizeSpec::RatioBp(_))
            && let Some((floor, why)) = self.floor_ratio(items, rules)
        {
            let least = SizeSpec::RatioBp(floor).count(eligible);
            if drawn < least {
                problems.push(Invalid::new(
                    "size",
                    format!(
                        "抽取 {drawn} 户低于 {}（{why}），至少应抽 {least} 户",
                        crate::directory::percent(floor)
                    ),
                    format!("{drawn} is below the least ratio of {floor} bp ({why}): draw at least {least}"),
                ));
            }
        }
        problems.extend(needs_exemption);
        Preview {
            eligible,
            at_cap: limited.left_out,
            drawn,
            strata,
            problems,
            over_limit: limited.over,
            recent: limited.recent,
            recent_count: limited.recent_count,
            recent_days: rules.recent_days,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(code: &str, category: ItemCategory) -> ItemFacts {
        ItemFacts {
            code: code.into(),
            name: code.into(),
            category,
            min_ratio_bp: None,
            active: true,
            scope: crate::directory::ItemScope::Both,
        }
    }

    fn task() -> TaskDefinition {
        TaskDefinition {
            title: "2026年农民工工资支付专项抽查".into(),
            kind: TaskKind::Random,
            trigger: String::new(),
            trigger_kind: None,
            leads: Vec::new(),
            exemption: None,
            items: vec!["RS-001".into()],
            departments: vec!["劳动保障监察科".into()],
            eligibility: Eligibility::default(),
            size: SizeSpec::RatioBp(500),
            stratify_by: None,
            weights: CreditWeights::default(),
            risk_weights: None,
            yearly_cap: 2,
            window_start: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            window_end: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            method: "on-site".into(),
            team: TeamSpec::Size(2),
            max_load: None,
            reserve: 3,
            control: 0,
        }
    }

    #[test]
    fn a_control_sample_stands_beside_a_directed_random_draw_and_fits_what_it_leaves() {
        let key = [item("RS-001", ItemCategory::Key)];
        let mut t = TaskDefinition { control: 10, ..task() };
        assert_eq!(t.check(&key, &Rules::default()), vec![], "weighted by grade by default");
        t.weights = CreditWeights { a: 1, b: 1, c: 1, unrated: 1 };
        assert_eq!(fields(&t.check(&key, &Rules::default())), ["control"], "every chance the same");
        t.size = SizeSpec::Quotas(BTreeMap::from([("A".to_owned(), 2)]));
        t.stratify_by = Some(StratumField::CreditGrade);
        assert_eq!(t.check(&key, &Rules::default()), vec![], "quotas favour their strata");
        t.control = MAX_CONTROL + 1;
        assert_eq!(fields(&t.check(&key, &Rules::default())), ["control"]);
        let triggered = TaskDefinition {
            kind: TaskKind::Triggered,
            trigger: "12345热线投诉".into(),
            trigger_kind: Some(super::super::LeadSource::Complaint),
            control: 5,
            ..task()
        };
        let triggered_item =
            [ItemFacts { scope: crate::directory::ItemScope::Both, ..item("RS-001", ItemCategory::Key) }];
        assert_eq!(fields(&triggered.check(&triggered_item, &Rules::default())), ["control"]);
        // 100 eligible, 5 drawn (5%), 3 reserve: 92 are left for the control sample.
        let preview = |control| {
            let t = TaskDefinition { control, ..task() };
            t.preview(&key, BTreeMap::from([(String::new(), 100)]), Default::default(), &Rules::default())
        };
        assert_eq!(preview(92).problems, vec![]);
        assert_eq!(fields(&preview(93).problems), ["control"]);
        // Not written when there is none: the definitions stored before keep their text.
        assert!(!serde_json::to_string(&task()).unwrap().contains("control"));
        assert!(serde_json::to_string(&preview_task(7)).unwrap().contains(r#""control":7"#));
    }

    fn preview_task(control: u32) -> TaskDefinition {
        TaskDefinition { control, ..task() }
    }

    fn fields(problems: &[Invalid]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn the_trigger_item_list_keeps_each_kind_of_task_to_its_items() {
        use crate::directory::ItemScope;
        let only = |scope| ItemFacts { scope, ..item("RS-001", ItemCategory::Key) };
        let random = task();
        assert_eq!(fields(&random.check(&[only(ItemScope::Triggered)], &Rules::default())), ["items"]);
        assert_eq!(random.check(&[only(ItemScope::Random)], &Rules::default()), vec![]);
        let triggered = TaskDefinition {
            kind: TaskKind::Triggered,
            trigger: "12345热线投诉".into(),
            trigger_kind: Some(super::super::LeadSource::Complaint),
            ..task()
        };
        assert_eq!(fields(&triggered.check(&[only(ItemScope::Random)], &Rules::default())), ["items"]);
        for scope in [ItemScope::Triggered, ItemScope::Both] {
            assert_eq!(triggered.check(&[only(scope)], &Rules::default()), vec![], "{scope:?}");
        }
        assert_eq!(ItemScope::parse("触发式"), Some(ItemScope::Triggered));
    }

    #[test]
    fn a_sound_task_passes() {
        assert_eq!(task().check(&[item("RS-001", ItemCategory::Key)], &Rules::default()), vec![]);
    }

    #[test]
    fn general_items_need_five_percent() {
        let mut t = task();
        t.size = SizeSpec::RatioBp(499);
        assert_eq!(fields(&t.check(&[item("RS-001", ItemCategory::General)], &Rules::default())), ["size"]);
        assert_eq!(t.check(&[item("RS-001", ItemCategory::Key)], &Rules::default()), vec![]);
        // A count below 5% of the eligible is caught when the eligible are known.
        t.size = SizeSpec::Count(4);
        let strata = BTreeMap::from([(String::new(), 100)]);
        let p = t.preview(
            &[item("RS-001", ItemCategory::General)],
            strata.clone(),
            Default::default(),
            &Rules::default(),
        );
        assert_eq!(fields(&p.problems), ["size"], "{:?}", p.problems);
        t.size = SizeSpec::Count(5);
        assert_eq!(
            t.preview(
                &[item("RS-001", ItemCategory::General)],
                strata,
                Default::default(),
                &Rules::default()
            )
            .problems,
            vec![]
        );
    }

    #[test]
    fn an_items_own_minimum_applies() {
        let mut t = task();
        t.size = SizeSpec::RatioBp(800);
        let mut i = item("RS-001", ItemCategory::Key);
        i.min_ratio_bp = Some(1000);
        assert_eq!(fields(&t.check(&[i], &Rules::default())), ["size"]);
    }

    #[test]
    fn teams_have_two_and_joint_teams_name_every_department() {
        let mut t = task();
        t.team = TeamSpec::Size(1);
        assert_eq!(fields(&t.check(&[item("RS-001", ItemCategory::Key)], &Rules::default())), ["team"]);
        t.departments = vec!["人社局".into(), "市场监管局".into()];
        t.team = TeamSpec::Joint(BTreeMap::from([("人社局".into(), 1)]));
        assert!(fields(&t.check(&[item("RS-001", ItemCategory::Key)], &Rules::default())).contains(&"team"));
        t.team = TeamSpec::Joint(BTreeMap::from([("人社局".into(), 1), ("市场监管局".into(), 1)]));
        assert_eq!(t.check(&[item("RS-001", ItemCategory::Key)], &Rules::default()), vec![]);
    }

    #[test]
    fn missing_or_retired_items_and_bad_dates_are_named() {
        let mut t = task();
        t.items.push("RS-404".into());
        t.window_end = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let mut retired = item("RS-001", ItemCategory::Key);
        retired.active = false;
        assert_eq!(fields(&t.check(&[retired], &Rules::default())), ["items", "items", "window_end"]);
    }

    #[test]
    fn quotas_need_strata_and_enough_targets() {
        let mut t = task();
        t.size = SizeSpec::Quotas(BTreeMap::from([("C".into(), 3), ("B".into(), 1)]));
        assert_eq!(
            fields(&t.check(&[item("RS-001", ItemCategory::Key)], &Rules::default())),
            ["stratify_by"]
        );
        t.stratify_by = Some(StratumField::CreditGrade);
        let p = t.preview(
            &[item("RS-001", ItemCategory::Key)],
            BTreeMap::from([("C".into(), 2), ("B".into(), 5)]),
            Default::default(),
            &Rules::default(),
        );
        assert_eq!(p.drawn, 4);
        assert_eq!(fields(&p.problems), ["size"]);
        assert!(p.problems[0].zh.contains("“C”层定额 3 户"), "{}", p.problems[0].zh);
    }

    #[test]
    fn shares_give_each_class_its_ratio_with_a_floor_and_leave_none_out() {
        let mut t = task();
        let share = |ratio_bp, floor| StratumShare { ratio_bp, floor };
        // D 20% at least 10, C 10%, B 5%, A 1%, unclassified 5%: worked by hand below.
        t.size = SizeSpec::Shares(BTreeMap::from([
            ("D".into(), share(2000, 10)),
            ("C".into(), share(1000, 0)),
            ("B".into(), share(500, 0)),
            ("A".into(), share(100, 0)),
            ("".into(), share(500, 0)),
        ]));
        let key = [item("RS-001", ItemCategory::Key)];
        assert_eq!(fields(&t.check(&key, &Rules::default())), ["stratify_by"]);
        t.stratify_by = Some(StratumField::RiskClass);
        assert!(t.check(&key, &Rules::default()).is_empty());
        // D: 20% of 30 = 6, floor 10 → 10; C: 10% of 41 = 4.1 → 5; B: 5% of 200 = 10;
        // A: 1% of 7 = 0.07 → 1; none: 5% of 3 → 1 (each class keeps a chance).
        let strata = BTreeMap::from([
            ("D".into(), 30),
            ("C".into(), 41),
            ("B".into(), 200),
            ("A".into(), 7),
            ("".into(), 3),
        ]);
        let quotas = t.size.quotas_in(&strata).unwrap();
        assert_eq!(
            quotas,
            BTreeMap::from([
                ("D".into(), 10),
                ("C".into(), 5),
                ("B".into(), 10),
                ("A".into(), 1),
                ("".into(), 1)
            ])
        );
        // A floor over the stratum takes all of it; a stratum with no firm is left out.
        let small = BTreeMap::from([("D".into(), 4), ("C".into(), 41), ("B".into(), 200), ("A".into(), 7)]);
        let q = t.size.quotas_in(&small).unwrap();
        assert_eq!((q.get("D"), q.get("")), (Some(&4), None));
        let p = t.preview(&key, strata.clone(), Default::default(), &Rules::default());
        assert_eq!(p.drawn, 27);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        // A class with no share, or a share of 0, is refused: every firm keeps a chance.
        let SizeSpec::Shares(shares) = &mut t.size else { unreachable!() };
        shares.remove("");
        let p = t.preview(&key, strata, Default::default(), &Rules::default());
        assert_eq!(fields(&p.problems), ["size"]);
        assert!(p.problems[0].zh.contains("“（空）”层"), "{}", p.problems[0].zh);
        let SizeSpec::Shares(shares) = &mut t.size else { unreachable!() };
        shares.insert("A".into(), share(0, 3));
        assert_eq!(fields(&t.check(&key, &Rules::default())), ["size"]);
    }

    #[test]
    fn directed_filters() {
        let e = Eligibility {
            industry_prefixes: vec!["47".into()],
            region_prefixes: vec!["4103".into()],
            credit_grades: vec!["C".into(), "B".into()],
            ..Eligibility::default()
        };
        let t = TargetFacts {
            uscc: "x".into(),
            industry: Some("F4711".into()),
            region: Some("410307".into()),
            credit_grade: Some("C".into()),
            ..TargetFacts::default()
        };
        assert!(e.admits(&t));
        assert!(!e.admits(&TargetFacts { credit_grade: Some("A".into()), ..t.clone() }));
        assert!(!e.admits(&TargetFacts { credit_grade: None, ..t.clone() }));
        assert!(!e.admits(&TargetFacts { region: Some("150802".into()), ..t.clone() }));
        assert!(Eligibility::default().admits(&TargetFacts::default()));
        assert!(!Eligibility::default().is_directed());
    }

    #[test]
    fn weights_follow_the_grade() {
        let w = CreditWeights::default();
        assert_eq!([w.of(Some("A")), w.of(Some("B")), w.of(Some("C")), w.of(None)], [1, 2, 4, 2]);
    }

    #[test]
    fn risk_weights_multiply_the_grades_and_none_is_zero() {
        let mut t = task();
        let facts = |grade: &str, class: Option<&str>| TargetFacts {
            credit_grade: Some(grade.into()),
            risk_class: class.map(str::to_owned),
            ..TargetFacts::default()
        };
        assert_eq!(t.weight(&facts("C", Some("D"))), 4, "no risk weights: the grade alone");
        t.risk_weights = Some(RiskWeights { a: 1, b: 2, c: 3, d: 5, unclassified: 2 });
        assert_eq!(t.weight(&facts("C", Some("D"))), 20);
        assert_eq!(t.weight(&facts("A", None)), 2);
        t.risk_weights = Some(RiskWeights { a: 0, b: 2, c: 3, d: 5, unclassified: 2 });
        let fields: Vec<String> = t.check(&[], &Rules::default()).into_iter().map(|p| p.field).collect();
        assert!(fields.contains(&"risk_weights".to_owned()), "{fields:?}");
    }

    #[test]
    fn the_definition_round_trips_as_json() {
        let t = task();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<TaskDefinition>(&json).unwrap(), t);
        assert!(serde_json::from_str::<TaskDefinition>(&json.replace("\"title\"", "\"titel\"")).is_err());
    }
}

//! The bureau's settings: choices the source documents leave to each bureau, changed by an
//! administrator and recorded in the audit log like any other change.

use crate::directory::percent;
use serde::Serialize;

/// One setting a bureau may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// Whether the public target look-up shows each target's 诚信等级. Credit grades are kept
    /// from the public unless the bureau decides to publish them (docs/design.md, rule 7).
    PublicCreditGrades,
    /// The bureau's full name (主办单位), shown in every page's header and footer, in page
    /// titles and at the head of every printed document.
    BureauName,
    /// Whether an inspection's result waits for the task's organizer (负责人) to approve it
    /// before its team may publish it.
    ApproveResults,
    /// The bureau's own word at the head of its document numbers (机关代字, "偃人社监"), so
    /// that a 检查通知书 reads 偃人社监检通〔2026〕3-1号. Empty: the numbers start with the
    /// document's word.
    DocumentPrefix,
    /// Whether an inspector reads the results and evidence of its own department's other
    /// inspections too (not only of those on whose team it is).
    InspectorReadsDepartment,
    /// Whether the bureau keeps one shared directory of targets (检查对象名录库), which every
    /// 业务科室 keeps up to date (yes); no: a 业务科室 changes only the targets it keeps (管理部门).
    SharedDirectory,
    /// 守法诚信等级评价: violations found on this many inspections in a year make C (3).
    CreditCViolations,
    /// 守法诚信等级评价: whether serious non-cooperation makes C (yes).
    CreditCNonCooperation,
    /// 守法诚信等级评价: whether a rectification order not carried out makes C (yes).
    CreditCRefusedRectification,
    /// 一般事项最低抽查比例 (5%; may be raised, never lowered).
    GeneralItemFloor,
    /// 重点事项最低抽查比例 (none: each item's own minimum).
    KeyItemFloor,
    /// 同一检查对象每年被随机抽取次数上限 (2).
    YearlyCap,
    /// 同一检查对象每年现场检查次数上限, every kind together (4).
    VisitCap,
    /// 近期已检查提示天数: a firm inspected within so many days is pointed out (30; 0: not).
    RecentVisitDays,
    /// 检查结果公示期限, working days (20; may be shortened, never lengthened).
    PublicationWorkdays,
    /// 行政处罚决定公示期限, working days (7; may be shortened, never lengthened).
    PenaltyWorkdays,
    /// The default weights by 守法诚信等级: A (1), B (2), C (4), unrated (2); none zero.
    WeightA,
    WeightB,
    WeightC,
    WeightUnrated,
    /// 检查组默认人数 (2; never fewer).
    TeamSize,
    /// 见证随机数最少位数 (20; may be raised).
    WitnessDigits,
    /// 执法人员须在近N个月内参加培训方可被抽取 (0: not required).
    TrainingMonths,
}

impl Setting {
    pub const ALL: [Setting; 23] = [
        Setting::PublicCreditGrades,
        Setting::BureauName,
        Setting::ApproveResults,
        Setting::DocumentPrefix,
        Setting::InspectorReadsDepartment,
        Setting::SharedDirectory,
        Setting::CreditCViolations,
        Setting::CreditCNonCooperation,
        Setting::CreditCRefusedRectification,
        Setting::GeneralItemFloor,
        Setting::KeyItemFloor,
        Setting::YearlyCap,
        Setting::VisitCap,
        Setting::RecentVisitDays,
        Setting::PublicationWorkdays,
        Setting::PenaltyWorkdays,
        Setting::WeightA,
        Setting::WeightB,
        Setting::WeightC,
        Setting::WeightUnrated,
        Setting::TeamSize,
        Setting::WitnessDigits,
        Setting::TrainingMonths,
    ];

    /// The settings that are rules of the bureau's random inspections (its 抽查工作细则), every
    /// one of [`Setting::ALL`] from the general items' floor on: the public page lists them,
    /// and a task records them when it is published.
    pub const RULES: &'static [Setting] = Setting::ALL.as_slice().split_at(9).1;

    /// The code name stored and typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Setting::PublicCreditGrades => "public_credit_grades",
            Setting::BureauName => "bureau_name",
            Setting::ApproveResults => "approve_results",
            Setting::DocumentPrefix => "document_prefix",
            Setting::InspectorReadsDepartment => "inspector_reads_department",
            Setting::SharedDirectory => "shared_directory",
            Setting::CreditCViolations => "credit_c_violations",
            Setting::CreditCNonCooperation => "credit_c_non_cooperation",
            Setting::CreditCRefusedRectification => "credit_c_refused_rectification",
            Setting::GeneralItemFloor => "general_item_floor",
            Setting::KeyItemFloor => "key_item_floor",
            Setting::YearlyCap => "yearly_cap",
            Setting::VisitCap => "visit_cap",
            Setting::RecentVisitDays => "recent_visit_days",
            Setting::PublicationWorkdays => "publication_workdays",
            Setting::PenaltyWorkdays => "penalty_workdays",
            Setting::WeightA => "weight_a",
            Setting::WeightB => "weight_b",
            Setting::WeightC => "weight_c",
            Setting::WeightUnrated => "weight_unrated",
            Setting::TeamSize => "team_size",
            Setting::WitnessDigits => "witness_digits",
            Setting::TrainingMonths => "training_months",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Setting::PublicCreditGrades => "公开检查对象的诚信等级",
            Setting::BureauName => "单位全称",
            Setting::ApproveResults => "检查结果须经任务负责人审核后公示",
            Setting::DocumentPrefix => "文书编号机关代字",
            Setting::InspectorReadsDepartment => "执法检查人员可查阅本部门其他检查的结果和证据",
            Setting::SharedDirectory => "各业务科室共同维护一个检查对象名录库",
            Setting::CreditCViolations => "评为C级的年度违法次数",
            Setting::CreditCNonCooperation => "无理抗拒、阻挠检查的评为C级",
            Setting::CreditCRefusedRectification => "拒不履行整改指令的评为C级",
            Setting::GeneralItemFloor => "一般事项最低抽查比例",
            Setting::KeyItemFloor => "重点事项最低抽查比例",
            Setting::YearlyCap => "同一检查对象每年被随机抽取次数上限",
            Setting::VisitCap => "同一检查对象每年现场检查次数上限（各类检查合计）",
            Setting::RecentVisitDays => "近期已检查提示天数（0为不提示）",
            Setting::PublicationWorkdays => "检查结果公示期限（工作日）",
            Setting::PenaltyWorkdays => "行政处罚决定公示期限（工作日）",
            Setting::WeightA => "A级检查对象的抽取权重",
            Setting::WeightB => "B级检查对象的抽取权重",
            Setting::WeightC => "C级检查对象的抽取权重",
            Setting::WeightUnrated => "未评级检查对象的抽取权重",
            Setting::TeamSize => "检查组默认人数",
            Setting::WitnessDigits => "见证随机数最少位数",
            Setting::TrainingMonths => "执法人员须在近几个月内参加过培训（0为不要求）",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Setting::PublicCreditGrades => "Publish the targets' credit grades",
            Setting::BureauName => "The bureau's full name",
            Setting::ApproveResults => "Results are published only after the organizer approves",
            Setting::DocumentPrefix => "The bureau's word at the head of document numbers",
            Setting::InspectorReadsDepartment => {
                "Inspectors read their department's other inspections' results and evidence"
            }
            Setting::SharedDirectory => "Every business office keeps one shared directory of targets",
            Setting::CreditCViolations => "Violations in a year that make grade C",
            Setting::CreditCNonCooperation => "Serious non-cooperation makes grade C",
            Setting::CreditCRefusedRectification => "A rectification order not carried out makes grade C",
            Setting::GeneralItemFloor => "Least ratio of a general item's targets inspected",
            Setting::KeyItemFloor => "Least ratio of a key item's targets inspected",
            Setting::YearlyCap => "Random draws of one target in a year, at most",
            Setting::VisitCap => "On-site inspections of one target in a year, of every kind, at most",
            Setting::RecentVisitDays => "Point out a target inspected within so many days (0: never)",
            Setting::PublicationWorkdays => "Working days to publish a result",
            Setting::PenaltyWorkdays => "Working days to publish a penalty decision",
            Setting::WeightA => "Draw weight of grade A",
            Setting::WeightB => "Draw weight of grade B",
            Setting::WeightC => "Draw weight of grade C",
            Setting::WeightUnrated => "Draw weight of an unrated target",
            Setting::TeamSize => "Default team size",
            Setting::WitnessDigits => "Fewest digits the witnesses give",
            Setting::TrainingMonths => "Inspectors drawn only with training within so many months (0: none)",
        }
    }

    /// The range a number setting must stay in, as the seeds allow (min, max); `None` for a
    /// setting that is not a number. Ratios are in basis points.
    pub fn range(self) -> Option<(u32, u32)> {
        use crate::rules::*;
        Some(match self {
            Setting::CreditCViolations => (1, crate::credit::MAX_C_VIOLATIONS),
            Setting::GeneralItemFloor => (MIN_GENERAL_RATIO_BP, RATIO_BP_FULL),
            Setting::KeyItemFloor => (0, RATIO_BP_FULL),
            Setting::YearlyCap => (1, crate::workflow::MAX_YEARLY_CAP),
            Setting::VisitCap => (1, crate::workflow::MAX_VISIT_CAP),
            Setting::RecentVisitDays => (0, crate::workflow::MAX_RECENT_DAYS),
            Setting::PublicationWorkdays => (1, crate::workflow::PUBLICATION_WORKDAYS),
            Setting::PenaltyWorkdays => (1, crate::workflow::PENALTY_WORKDAYS),
            Setting::WeightA | Setting::WeightB | Setting::WeightC | Setting::WeightUnrated => {
                (1, crate::workflow::CreditWeights::MAX)
            }
            Setting::TeamSize => (MIN_TEAM_SIZE, MAX_TEAM_SIZE),
            Setting::WitnessDigits => (MIN_WITNESS_DIGITS, MAX_WITNESS_DIGITS),
            Setting::TrainingMonths => (0, crate::training::MAX_MONTHS),
            _ => return None,
        })
    }

    /// Whether the setting is a ratio (typed and shown as a percentage).
    pub fn is_ratio(self) -> bool {
        matches!(self, Setting::GeneralItemFloor | Setting::KeyItemFloor)
    }

    pub fn from_name(name: &str) -> Option<Setting> {
        Setting::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// A value that does not fit its setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error(
        "unknown setting {0:?} (settings: public_credit_grades, bureau_name, approve_results, document_prefix, inspector_reads_department, shared_directory, credit_c_violations, credit_c_non_cooperation, credit_c_refused_rectification, general_item_floor, key_item_floor, yearly_cap, visit_cap, recent_visit_days, publication_workdays, penalty_workdays, weight_a, weight_b, weight_c, weight_unrated, team_size, witness_digits, training_months) / 没有这项设置"
    )]
    Unknown(String),
    #[error("{setting} takes true or false, not {value:?} / 只能是 true 或 false")]
    NotBool { setting: &'static str, value: String },
    #[error(
        "{setting} is a name of 2 to {MAX_BUREAU_NAME} characters on one line / 单位全称应为 2 至 {MAX_BUREAU_NAME} 个字，且不含换行"
    )]
    NotName { setting: &'static str },
    #[error(
        "{setting} is up to {MAX_DOCUMENT_PREFIX} characters without spaces or brackets / 机关代字至多 {MAX_DOCUMENT_PREFIX} 个字，不含空格和括号"
    )]
    NotPrefix { setting: &'static str },
    #[error("{setting} is a whole number from 1 to {max} / 应为 1 至 {max} 的整数")]
    NotCount { setting: &'static str, max: u32 },
    #[error("{setting} is a whole number from {min} to {max} / 应为 {min} 至 {max} 的整数")]
    OutOfRange { setting: &'static str, min: u32, max: u32 },
    #[error("{setting} is a percentage from {min} to {max} / 应为 {min} 至 {max} 之间的百分比")]
    NotPercent { setting: &'static str, min: String, max: String },
    /// The bureau's name is its organisation's root: no department may already hold it.
    #[error("a department is already named {name} / 已有名为“{name}”的部门")]
    NameTaken { setting: &'static str, name: String },
}

impl SettingError {
    /// The message in Chinese, for a page in Chinese (the `Display` form gives both).
    pub fn zh(&self) -> String {
        match self {
            SettingError::Unknown(name) => format!("没有这项设置：{name}"),
            SettingError::NotBool { .. } => "只能是 true 或 false".to_owned(),
            SettingError::NotName { .. } => {
                format!("单位全称应为 2 至 {MAX_BUREAU_NAME} 个字，且不含换行")
            }
            SettingError::NotPrefix { .. } => {
                format!("机关代字至多 {MAX_DOCUMENT_PREFIX} 个字，不含空格和括号")
            }
            SettingError::NotCount { max, .. } => format!("应为 1 至 {max} 的整数"),
            SettingError::NameTaken { name, .. } => format!("已有名为“{name}”的部门"),
            SettingError::OutOfRange { min, max, .. } => format!("应为 {min} 至 {max} 的整数"),
            SettingError::NotPercent { min, max, .. } => format!("应为 {min} 至 {max} 之间的百分比"),
        }
    }

    /// The setting the error is about, as it was named.
    pub fn field(&self) -> &str {
        match self {
            SettingError::Unknown(name) => name,
            SettingError::NotBool { setting, .. }
            | SettingError::NotName { setting }
            | SettingError::NotPrefix { setting }
            | SettingError::NotCount { setting, .. }
            | SettingError::NameTaken { setting, .. }
            | SettingError::OutOfRange { setting, .. }
            | SettingError::NotPercent { setting, .. } => setting,
        }
    }
}

/// The longest bureau name: the longest Chinese bureau names run to about 30 characters.
pub const MAX_BUREAU_NAME: usize = 60;

/// The longest 机关代字: a few characters ("偃人社监").
pub const MAX_DOCUMENT_PREFIX: usize = 12;

/// What a bureau that has not named itself is called on its pages and documents.
pub const UNNAMED_BUREAU: &str = "人力资源和社会保障局";

/// Every setting's value; a bureau that changed nothing has the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Settings {
    pub public_credit_grades: bool,
    pub bureau_name: String,
    pub approve_results: bool,
    pub document_prefix: String,
    /// See [`Setting::InspectorReadsDepartment`].
    pub inspector_reads_department: bool,
    /// See [`Setting::SharedDirectory`].
    pub shared_directory: bool,
    /// The rules of 守法诚信等级评价 (the grades' thresholds).
    pub credit_rules: crate::credit::GradeRules,
    /// The rules of the bureau's random inspections (its 抽查工作细则).
    pub rules: crate::rules::Rules,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            public_credit_grades: false,
            bureau_name: UNNAMED_BUREAU.to_owned(),
            approve_results: false,
            document_prefix: String::new(),
            inspector_reads_department: false,
            shared_directory: true,
            credit_rules: crate::credit::GradeRules::default(),
            rules: crate::rules::Rules::default(),
        }
    }
}

/// A whole number within the setting's range.
fn parse_number(setting: Setting, value: &str) -> Result<u32, SettingError> {
    let (min, max) = setting.range().expect("a number setting");
    match value.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(SettingError::OutOfRange { setting: setting.name(), min, max }),
    }
}

/// A percentage (`5`, `5%`, `7.5%`) within the setting's range, in basis points.
fn parse_ratio(setting: Setting, value: &str) -> Result<u32, SettingError> {
    let (min, max) = setting.range().expect("a ratio setting");
    crate::directory::fields::ratio_bp(value).ok().filter(|bp| (min..=max).contains(bp)).ok_or_else(|| {
        SettingError::NotPercent { setting: setting.name(), min: percent(min), max: percent(max) }
    })
}

fn parse_name(setting: Setting, value: &str) -> Result<String, SettingError> {
    let name = value.trim();
    let count = name.chars().count();
    if !(2..=MAX_BUREAU_NAME).contains(&count) || name.chars().any(char::is_control) {
        return Err(SettingError::NotName { setting: setting.name() });
    }
    Ok(name.to_owned())
}

fn parse_prefix(setting: Setting, value: &str) -> Result<String, SettingError> {
    let prefix = value.trim();
    let wrong = |c: char| c.is_whitespace() || c.is_control() || "〔〕[]()（）【】".contains(c);
    if prefix.chars().count() > MAX_DOCUMENT_PREFIX || prefix.chars().any(wrong) {
        return Err(SettingError::NotPrefix { setting: setting.name() });
    }
    Ok(prefix.to_owned())
}

fn parse_count(setting: Setting, value: &str, max: u32) -> Result<u32, SettingError> {
    match value.trim().parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(SettingError::NotCount { setting: setting.name(), max }),
    }
}

fn parse_bool(setting: Setting, value: &str) -> Result<bool, SettingError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" | "是" => Ok(true),
        "false" | "no" | "off" | "0" | "否" => Ok(false),
        _ => Err(SettingError::NotBool { setting: setting.name(), value: value.to_owned() }),
    }
}

impl Settings {
    /// Sets `name` to `value` (as typed), checked; returns the setting and its stored form.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(Setting, String), SettingError> {
        let setting = Setting::from_name(name).ok_or_else(|| SettingError::Unknown(name.to_owned()))?;
        match setting {
            Setting::PublicCreditGrades => self.public_credit_grades = parse_bool(setting, value)?,
            Setting::BureauName => self.bureau_name = parse_name(setting, value)?,
            Setting::ApproveResults => self.approve_results = parse_bool(setting, value)?,
            Setting::DocumentPrefix => self.document_prefix = parse_prefix(setting, value)?,
            Setting::InspectorReadsDepartment => {
                self.inspector_reads_department = parse_bool(setting, value)?
            }
            Setting::SharedDirectory => self.shared_directory = parse_bool(setting, value)?,
            Setting::CreditCViolations => {
                self.credit_rules.c_violations = parse_count(setting, value, crate::credit::MAX_C_VIOLATIONS)?
            }
            Setting::CreditCNonCooperation => {
                self.credit_rules.c_non_cooperation = parse_bool(setting, value)?
            }
            Setting::CreditCRefusedRectification => {
                self.credit_rules.c_refused_rectification = parse_bool(setting, value)?
            }
            Setting::GeneralItemFloor => self.rules.general_floor_bp = parse_ratio(setting, value)?,
            Setting::KeyItemFloor => self.rules.key_floor_bp = parse_ratio(setting, value)?,
            Setting::YearlyCap => self.rules.yearly_cap = parse_number(setting, value)?,
            Setting::VisitCap => self.rules.visit_cap = parse_number(setting, value)?,
            Setting::RecentVisitDays => self.rules.recent_days = parse_number(setting, value)?,
            Setting::PublicationWorkdays => self.rules.publication_workdays = parse_number(setting, value)?,
            Setting::PenaltyWorkdays => self.rules.penalty_workdays = parse_number(setting, value)?,
            Setting::WeightA => self.rules.weights.a = parse_number(setting, value)?,
            Setting::WeightB => self.rules.weights.b = parse_number(setting, value)?,
            Setting::WeightC => self.rules.weights.c = parse_number(setting, value)?,
            Setting::WeightUnrated => self.rules.weights.unrated = parse_number(setting, value)?,
            Setting::TeamSize => self.rules.team_size = parse_number(setting, value)?,
            Setting::WitnessDigits => self.rules.witness_digits = parse_number(setting, value)?,
            Setting::TrainingMonths => self.rules.training_months = parse_number(setting, value)?,
        }
        Ok((setting, self.value(setting)))
    }

    /// A setting's value in its stored form.
    pub fn value(&self, setting: Setting) -> String {
        match setting {
            Setting::PublicCreditGrades => self.public_credit_grades.to_string(),
            Setting::BureauName => self.bureau_name.clone(),
            Setting::ApproveResults => self.approve_results.to_string(),
            Setting::DocumentPrefix => self.document_prefix.clone(),
            Setting::InspectorReadsDepartment => self.inspector_reads_department.to_string(),
            Setting::SharedDirectory => self.shared_directory.to_string(),
            Setting::CreditCViolations => self.credit_rules.c_violations.to_string(),
            Setting::CreditCNonCooperation => self.credit_rules.c_non_cooperation.to_string(),
            Setting::CreditCRefusedRectification => self.credit_rules.c_refused_rectification.to_string(),
            Setting::GeneralItemFloor => percent(self.rules.general_floor_bp),
            Setting::KeyItemFloor => percent(self.rules.key_floor_bp),
            Setting::YearlyCap => self.rules.yearly_cap.to_string(),
            Setting::VisitCap => self.rules.visit_cap.to_string(),
            Setting::RecentVisitDays => self.rules.recent_days.to_string(),
            Setting::PublicationWorkdays => self.rules.publication_workdays.to_string(),
            Setting::PenaltyWorkdays => self.rules.penalty_workdays.to_string(),
            Setting::WeightA => self.rules.weights.a.to_string(),
            Setting::WeightB => self.rules.weights.b.to_string(),
            Setting::WeightC => self.rules.weights.c.to_string(),
            Setting::WeightUnrated => self.rules.weights.unrated.to_string(),
            Setting::TeamSize => self.rules.team_size.to_string(),
            Setting::WitnessDigits => self.rules.witness_digits.to_string(),
            Setting::TrainingMonths => self.rules.training_months.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_keep_grades_private_and_values_are_checked() {
        let mut s = Settings::default();
        assert!(!s.public_credit_grades);
        assert_eq!(
            s.set("public_credit_grades", " YES ").unwrap(),
            (Setting::PublicCreditGrades, "true".into())
        );
        assert!(s.public_credit_grades);
        assert_eq!(
            s.set("public_credit_grades", "maybe").unwrap_err(),
            SettingError::NotBool { setting: "public_credit_grades", value: "maybe".into() }
        );
        assert!(s.public_credit_grades, "a refused value changes nothing");
        assert_eq!(s.set("colour", "red").unwrap_err(), SettingError::Unknown("colour".into()));
    }

    #[test]
    fn the_bureau_is_named_on_one_line() {
        let mut s = Settings::default();
        assert_eq!(s.bureau_name, UNNAMED_BUREAU);
        s.set("bureau_name", " 洛阳市偃师区人力资源和社会保障局 ").unwrap();
        assert_eq!(s.bureau_name, "洛阳市偃师区人力资源和社会保障局");
        for bad in ["局", "一\n二", &"长".repeat(MAX_BUREAU_NAME + 1)] {
            assert_eq!(
                s.set("bureau_name", bad).unwrap_err(),
                SettingError::NotName { setting: "bureau_name" }
            );
        }
        assert_eq!(s.bureau_name, "洛阳市偃师区人力资源和社会保障局");
    }

    #[test]
    fn the_document_prefix_is_a_short_word() {
        let mut s = Settings::default();
        assert_eq!(s.document_prefix, "");
        s.set("document_prefix", " 偃人社监 ").unwrap();
        assert_eq!(s.document_prefix, "偃人社监");
        for bad in ["偃 人社", "偃〔人〕", &"长".repeat(MAX_DOCUMENT_PREFIX + 1)] {
            assert_eq!(
                s.set("document_prefix", bad).unwrap_err(),
                SettingError::NotPrefix { setting: "document_prefix" }
            );
        }
        s.set("document_prefix", "").unwrap();
        assert_eq!(s.document_prefix, "", "cleared");
    }

    #[test]
    fn rules_stay_within_what_the_seeds_allow() {
        let mut s = Settings::default();
        assert_eq!(s.rules, crate::rules::Rules::default());
        assert_eq!(s.value(Setting::GeneralItemFloor), "5%");
        // A floor is raised, never lowered below 5%; percentages as people type them.
        assert_eq!(s.set("general_item_floor", "７.5％").unwrap().1, "7.5%");
        assert_eq!(s.rules.general_floor_bp, 750);
        for bad in ["4.99", "101%", "五", "", "5.123", "-5"] {
            assert!(
                matches!(s.set("general_item_floor", bad), Err(SettingError::NotPercent { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(s.rules.general_floor_bp, 750, "a refused value changes nothing");
        s.set("key_item_floor", "0").unwrap();
        s.set("key_item_floor", "10%").unwrap();
        assert_eq!(s.rules.key_floor_bp, 1000);
        // Deadlines are shortened, never lengthened; teams never smaller than two; no weight 0.
        s.set("publication_workdays", "15").unwrap();
        for (name, bad, min, max) in [
            ("publication_workdays", "21", 1, 20),
            ("penalty_workdays", "8", 1, 7),
            ("team_size", "1", 2, 10),
            ("weight_c", "0", 1, 100),
            ("yearly_cap", "13", 1, 12),
            ("visit_cap", "0", 1, 24),
            ("recent_visit_days", "366", 0, 365),
            ("witness_digits", "19", 20, 200),
        ] {
            assert_eq!(
                s.set(name, bad).unwrap_err(),
                SettingError::OutOfRange { setting: Setting::from_name(name).unwrap().name(), min, max },
                "{name}"
            );
        }
        s.set("weight_c", "8").unwrap();
        assert_eq!((s.rules.weights.c, s.rules.publication_workdays), (8, 15));
        assert_eq!(percent(1234), "12.34%");
        for setting in Setting::ALL {
            let mut again = Settings::default();
            assert_eq!(
                again.set(setting.name(), &s.value(setting)).unwrap().1,
                s.value(setting),
                "{setting:?}"
            );
        }
    }

    #[test]
    fn the_grades_thresholds_are_checked() {
        let mut s = Settings::default();
        assert_eq!(s.credit_rules.c_violations, 3);
        s.set("credit_c_violations", " 2 ").unwrap();
        assert_eq!(s.credit_rules.c_violations, 2);
        for bad in ["0", "21", "两", "-1"] {
            assert_eq!(
                s.set("credit_c_violations", bad).unwrap_err(),
                SettingError::NotCount { setting: "credit_c_violations", max: 20 }
            );
        }
        s.set("credit_c_non_cooperation", "false").unwrap();
        assert!(!s.credit_rules.c_non_cooperation && s.credit_rules.c_refused_rectification);
    }
}

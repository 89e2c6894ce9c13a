//! The bureau's settings: choices the source documents leave to each bureau, changed by an
//! administrator and recorded in the audit log like any other change.

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
    /// 守法诚信等级评价: violations found on this many inspections in a year make C (3).
    CreditCViolations,
    /// 守法诚信等级评价: whether serious non-cooperation makes C (yes).
    CreditCNonCooperation,
    /// 守法诚信等级评价: whether a rectification order not carried out makes C (yes).
    CreditCRefusedRectification,
}

impl Setting {
    pub const ALL: [Setting; 7] = [
        Setting::PublicCreditGrades,
        Setting::BureauName,
        Setting::ApproveResults,
        Setting::DocumentPrefix,
        Setting::CreditCViolations,
        Setting::CreditCNonCooperation,
        Setting::CreditCRefusedRectification,
    ];

    /// The code name stored and typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Setting::PublicCreditGrades => "public_credit_grades",
            Setting::BureauName => "bureau_name",
            Setting::ApproveResults => "approve_results",
            Setting::DocumentPrefix => "document_prefix",
            Setting::CreditCViolations => "credit_c_violations",
            Setting::CreditCNonCooperation => "credit_c_non_cooperation",
            Setting::CreditCRefusedRectification => "credit_c_refused_rectification",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Setting::PublicCreditGrades => "公开检查对象的诚信等级",
            Setting::BureauName => "单位全称",
            Setting::ApproveResults => "检查结果须经任务负责人审核后公示",
            Setting::DocumentPrefix => "文书编号机关代字",
            Setting::CreditCViolations => "评为C级的年度违法次数",
            Setting::CreditCNonCooperation => "无理抗拒、阻挠检查的评为C级",
            Setting::CreditCRefusedRectification => "拒不履行整改指令的评为C级",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Setting::PublicCreditGrades => "Publish the targets' credit grades",
            Setting::BureauName => "The bureau's full name",
            Setting::ApproveResults => "Results are published only after the organizer approves",
            Setting::DocumentPrefix => "The bureau's word at the head of document numbers",
            Setting::CreditCViolations => "Violations in a year that make grade C",
            Setting::CreditCNonCooperation => "Serious non-cooperation makes grade C",
            Setting::CreditCRefusedRectification => "A rectification order not carried out makes grade C",
        }
    }

    pub fn from_name(name: &str) -> Option<Setting> {
        Setting::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// A value that does not fit its setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error(
        "unknown setting {0:?} (settings: public_credit_grades, bureau_name, approve_results, document_prefix, credit_c_violations, credit_c_non_cooperation, credit_c_refused_rectification) / 没有这项设置"
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
        }
    }

    /// The setting the error is about, as it was named.
    pub fn field(&self) -> &str {
        match self {
            SettingError::Unknown(name) => name,
            SettingError::NotBool { setting, .. }
            | SettingError::NotName { setting }
            | SettingError::NotPrefix { setting }
            | SettingError::NotCount { setting, .. } => setting,
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
    /// The rules of 守法诚信等级评价 (the grades' thresholds).
    pub credit_rules: crate::credit::GradeRules,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            public_credit_grades: false,
            bureau_name: UNNAMED_BUREAU.to_owned(),
            approve_results: false,
            document_prefix: String::new(),
            credit_rules: crate::credit::GradeRules::default(),
        }
    }
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
            Setting::CreditCViolations => {
                self.credit_rules.c_violations = parse_count(setting, value, crate::credit::MAX_C_VIOLATIONS)?
            }
            Setting::CreditCNonCooperation => {
                self.credit_rules.c_non_cooperation = parse_bool(setting, value)?
            }
            Setting::CreditCRefusedRectification => {
                self.credit_rules.c_refused_rectification = parse_bool(setting, value)?
            }
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
            Setting::CreditCViolations => self.credit_rules.c_violations.to_string(),
            Setting::CreditCNonCooperation => self.credit_rules.c_non_cooperation.to_string(),
            Setting::CreditCRefusedRectification => self.credit_rules.c_refused_rectification.to_string(),
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

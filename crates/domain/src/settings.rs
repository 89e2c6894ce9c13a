//! The bureau's settings: choices the source documents leave to each bureau, changed by an
//! administrator and recorded in the audit log like any other change.

use serde::Serialize;

/// One setting a bureau may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// Whether the public target look-up shows each target's 诚信等级. Credit grades are kept
    /// from the public unless the bureau decides to publish them (DESIGN rule 7).
    PublicCreditGrades,
}

impl Setting {
    pub const ALL: [Setting; 1] = [Setting::PublicCreditGrades];

    /// The code name stored and typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Setting::PublicCreditGrades => "public_credit_grades",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Setting::PublicCreditGrades => "公开检查对象的诚信等级",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Setting::PublicCreditGrades => "Publish the targets' credit grades",
        }
    }

    pub fn from_name(name: &str) -> Option<Setting> {
        Setting::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// A value that does not fit its setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error("unknown setting {0:?} (settings: public_credit_grades) / 没有这项设置")]
    Unknown(String),
    #[error("{setting} takes true or false, not {value:?} / 只能是 true 或 false")]
    NotBool { setting: &'static str, value: String },
}

impl SettingError {
    /// The setting the error is about, as it was named.
    pub fn field(&self) -> &str {
        match self {
            SettingError::Unknown(name) => name,
            SettingError::NotBool { setting, .. } => setting,
        }
    }
}

/// Every setting's value; a bureau that changed nothing has the defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Settings {
    pub public_credit_grades: bool,
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
        }
        Ok((setting, self.value(setting)))
    }

    /// A setting's value in its stored form.
    pub fn value(&self, setting: Setting) -> String {
        match setting {
            Setting::PublicCreditGrades => self.public_credit_grades.to_string(),
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
}

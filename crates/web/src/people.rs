//! Who and what, as a person reads them: a user's name (their display name, not the user name
//! they sign in with), an audit entry's object in words, a change as a short summary.

use std::collections::HashMap;
use suiji_domain::directory::ListKind;
use suiji_store::{Store, StoreError};

/// The accounts' display names, by user name.
#[derive(Debug, Clone, Default)]
pub struct People(HashMap<String, String>);

impl People {
    pub async fn load(store: &Store) -> Result<People, StoreError> {
        let users = suiji_store::accounts::users(store).await?;
        Ok(People(users.into_iter().map(|u| (u.username, u.display_name)).collect()))
    }

    /// A user's display name; a name with no account (the system, a deleted account) as it is,
    /// or "系统" for the system's own work.
    pub fn name(&self, username: &str, role: &str) -> String {
        if role == "system" {
            return "系统".to_owned();
        }
        match self.0.get(username) {
            Some(name) if !name.trim().is_empty() => name.clone(),
            _ => username.to_owned(),
        }
    }

    /// [`People::name`] for a user who is not the system.
    pub fn of(&self, username: &str) -> String {
        self.name(username, "")
    }
}

/// One user's display name, or the user name when it has none (the system, a deleted account).
pub async fn display_name(store: &Store, username: &str) -> String {
    match suiji_store::accounts::user(store, username).await {
        Ok(Some(u)) if !u.display_name.trim().is_empty() => u.display_name,
        _ => username.to_owned(),
    }
}

/// An audit entry's object in words: a list by its name, the calendar, the log itself; the
/// rest (`task/T-2026-001`, `inspection/12`) as written, which reads as a reference.
pub fn object_name(object: &str, english: bool) -> String {
    if let Some(list) = ListKind::from_name(object) {
        return if english { list.en() } else { list.zh() }.to_owned();
    }
    match (object, english) {
        ("calendar", false) => "节假日日历".into(),
        ("calendar", true) => "Holiday calendar".into(),
        ("audit", false) => "操作留痕链".into(),
        ("audit", true) => "Audit chain".into(),
        _ => object.to_owned(),
    }
}

/// The change fields' names in Chinese; others are shown as written.
const FIELD_NAMES: &[(&str, &str)] = &[
    ("added", "新增"),
    ("address", "地址"),
    ("batch", "批次"),
    ("changed", "修改"),
    ("contributions", "见证人输入"),
    ("department", "部门"),
    ("description", "说明"),
    ("display_name", "姓名"),
    ("reserve", "备选"),
    ("retired", "退出"),
    ("rows", "行数"),
    ("selected", "抽中"),
    ("unchanged", "未变"),
    ("username", "用户名"),
    ("year", "年度"),
    ("at_cap", "达年度上限"),
    ("cert_no", "执法证号"),
    ("change", "变更"),
    ("comment", "意见"),
    ("content", "内容"),
    ("count", "数量"),
    ("days", "天数"),
    ("definition", "任务定义"),
    ("drawn", "抽取数"),
    ("failures", "失败次数"),
    ("file_name", "文件"),
    ("form", "检查结果"),
    ("gone", "灭失对象"),
    ("id", "编号"),
    ("mode", "方式"),
    ("name", "名称"),
    ("new", "新值"),
    ("old", "原值"),
    ("plan_id", "计划"),
    ("plan_line_id", "计划事项"),
    ("lines", "计划事项"),
    ("pool", "人员库"),
    ("population_sha256", "总体哈希"),
    ("population_size", "总体户数"),
    ("public", "公开"),
    ("rank", "名次"),
    ("reason", "理由"),
    ("records", "记录"),
    ("recusals", "回避"),
    ("replacement", "递补对象"),
    ("control", "对照样本"),
    ("replaced_at_limit", "因达检查上限递补"),
    ("notes", "提示"),
    ("chosen", "替换为"),
    ("member", "成员"),
    ("n", "次数"),
    ("role", "角色"),
    ("seed", "种子"),
    ("setting", "设置"),
    ("size", "数量"),
    ("source", "来源"),
    ("status", "状态"),
    ("teams", "检查组"),
    ("title", "标题"),
    ("tokens_revoked", "吊销令牌"),
    ("user", "用户"),
    ("version", "版本"),
    ("years", "年度"),
    ("rules", "抽查工作细则"),
    ("before", "修改前"),
    ("after", "修改后"),
    ("kind", "类型"),
    ("parent_id", "上级部门"),
    ("active", "在用"),
    ("migration", "数据库升级"),
    ("leads", "线索"),
    ("received_on", "收到日期"),
    ("targets", "检查对象"),
    ("with", "合并对象任务"),
    ("quota", "各部门人数"),
    ("merge", "合并检查"),
];

/// Code values a change holds, in Chinese.
const VALUE_NAMES: &[(&str, &str)] = &[
    ("true", "是"),
    ("false", "否"),
    ("random", "随机"),
    ("direct", "直接"),
    ("witnesses", "见证人输入"),
    ("system", "系统"),
    ("admin", "管理员"),
    ("organizer", "牵头科室"),
    ("unit", "业务科室"),
    ("inspector", "执法检查人员"),
    ("supervisor", "监督"),
    ("bureau", "本局"),
    ("lead", "牵头科室"),
    ("business", "业务科室"),
    ("enforcement", "执法机构"),
    ("affiliated", "直属单位"),
    ("active", "正常"),
    ("disabled", "停用"),
];

/// The most characters of a change's summary.
const SUMMARY_CHARS: usize = 160;

/// A change (JSON) as a short line: its top-level fields as `name: value`, long values cut.
pub fn summary(change: &str) -> String {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str::<serde_json::Value>(change) else {
        return change.chars().take(SUMMARY_CHARS).collect();
    };
    let mut parts = Vec::new();
    for (name, value) in fields {
        let text = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => continue,
            serde_json::Value::Array(a) => format!("{} 项", a.len()),
            serde_json::Value::Object(o) => format!("{} 项", o.len()),
            other => other.to_string(),
        };
        let label = FIELD_NAMES.iter().find(|(n, _)| *n == name).map_or(name.as_str(), |(_, zh)| zh);
        let source = suiji_domain::workflow::LeadSource::parse(&text).filter(|_| name == "source");
        let text = match suiji_domain::settings::Setting::from_name(&text) {
            Some(setting) if name == "setting" => setting.zh().to_owned(),
            _ if source.is_some() => source.map(|s| s.zh().to_owned()).unwrap_or_default(),
            _ => {
                VALUE_NAMES.iter().find(|(v, _)| *v == text).map_or(text.clone(), |(_, zh)| (*zh).to_owned())
            }
        };
        parts.push(format!("{label}：{text}"));
    }
    let line = parts.join("；");
    if line.chars().count() > SUMMARY_CHARS {
        format!("{}…", line.chars().take(SUMMARY_CHARS).collect::<String>())
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_and_changes_read_as_words() {
        assert_eq!(object_name("targets", false), "检查对象名录库");
        assert_eq!(object_name("task/T-2026-001", false), "task/T-2026-001");
        assert_eq!(
            summary(r#"{"setting":"bureau_name","old":"甲","new":"乙","x":null}"#),
            "设置：单位全称；原值：甲；新值：乙"
        );
        assert_eq!(summary(r#"{"items":[1,2,3]}"#), "items：3 项");
        assert!(summary(&format!(r#"{{"a":"{}"}}"#, "长".repeat(500))).ends_with('…'));
    }
}

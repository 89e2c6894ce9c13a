//! The audit log's chain (全程留痕、责任可追溯): how an entry's digest and hash are computed.
//! Each entry's hash covers its own fields and the previous entry's hash, so changing,
//! removing or reordering any entry breaks every hash after it. The store appends and
//! re-checks; this is the one definition both use.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The version tag hashed into every entry, so the definition can change without ambiguity.
pub const VERSION: &str = "suiji-audit/1";

/// The lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: impl AsRef<[u8]>) -> String {
    hex::encode(Sha256::digest(bytes.as_ref()))
}

/// The fields of an entry that its hash covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFields<'a> {
    pub seq: i64,
    /// UTC, RFC 3339 with microseconds and `Z` (what [`timestamp`] gives).
    pub at: &'a str,
    pub actor: &'a str,
    pub role: &'a str,
    pub action: &'a str,
    pub object: &'a str,
    /// [`sha256_hex`] of the change's JSON text.
    pub digest: &'a str,
    pub prev_hash: &'a str,
}

impl EntryFields<'_> {
    /// The entry's hash: SHA-256 of the JSON array of the version tag and the fields in this
    /// order. A JSON array keeps the fields apart whatever characters they hold.
    pub fn hash(&self) -> String {
        let fields = serde_json::json!([
            VERSION,
            self.seq,
            self.at,
            self.actor,
            self.role,
            self.action,
            self.object,
            self.digest,
            self.prev_hash
        ]);
        sha256_hex(fields.to_string())
    }
}

/// The time as the chain hashes it: UTC, microseconds, `Z`. Both databases keep microseconds,
/// so the time read back hashes the same.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The actions the log records, with what a reader calls them: code, Chinese, English.
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("import", "导入或修改（名录、日历）", "Import or edit (a directory, the calendar)"),
    ("login", "登录", "Sign in"),
    ("logout", "退出", "Sign out"),
    ("login.locked", "登录失败次数过多，暂时锁定", "Sign-in locked after failures"),
    ("user.add", "新增账号", "Add an account"),
    ("user.update", "修改账号", "Change an account"),
    ("user.password", "修改或重置密码", "Change or reset a password"),
    ("user.unlock", "解除登录锁定", "Unlock sign-in"),
    ("user.link_inspector", "关联执法人员", "Link an inspector"),
    ("token.issue", "签发接口令牌", "Issue an API token"),
    ("token.revoke", "吊销接口令牌", "Revoke an API token"),
    ("setting.set", "修改设置", "Change a setting"),
    ("plan.add", "新增抽查计划", "Add a plan"),
    ("plan.update", "修改抽查计划", "Change a plan"),
    ("plan.submit", "报送抽查计划", "Submit a plan"),
    ("plan.approve", "审核通过抽查计划", "Approve a plan"),
    ("plan.return", "退回抽查计划", "Return a plan"),
    ("plan.publish", "公布抽查计划", "Publish a plan"),
    ("task.add", "新建抽查任务", "Add a task"),
    ("task.update", "修改抽查任务", "Change a task"),
    ("task.delete", "删除任务草稿", "Delete a draft task"),
    ("task.publish", "公布任务（冻结总体）", "Publish a task"),
    ("draw.make", "随机抽取", "Draw"),
    ("draw.annul", "作废抽取", "Annul a draw"),
    ("draw.replace", "替换检查对象", "Replace a target"),
    ("teams.assign", "选派检查组", "Assign teams"),
    ("tasks.merge", "合并检查（综合查一次）", "Merge visits (one visit for two tasks)"),
    ("inspection.replace_member", "更换检查组成员", "Replace a team member"),
    ("inspection.enter", "录入检查结果", "Enter a result"),
    ("inspection.approve", "审核检查结果", "Approve a result"),
    ("inspection.return", "退回检查结果", "Return a result"),
    ("inspection.publish", "公示检查结果", "Publish a result"),
    ("inspection.correct", "更正检查结果", "Correct a result"),
    ("evidence.add", "上传证据材料", "Add evidence"),
    ("lead.register", "登记线索", "Register a lead"),
    ("lead.close", "线索不予立项", "Close a lead without a task"),
    ("lead.add_file", "上传线索附件", "Add a lead's file"),
    ("audit.baseline", "建立留痕基线", "Audit baseline"),
];

/// An action as a reader calls it, in Chinese or English; the code itself if unknown.
pub fn action_name(action: &str, english: bool) -> &str {
    ACTIONS
        .iter()
        .find(|(code, _, _)| *code == action)
        .map_or(action, |(_, zh, en)| if english { en } else { zh })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(prev: &'a str, digest: &'a str) -> EntryFields<'a> {
        EntryFields {
            seq: 1,
            at: "2026-11-23T01:02:03.000004Z",
            actor: "admin",
            role: "admin",
            action: "user.add",
            object: "users/ann",
            digest,
            prev_hash: prev,
        }
    }

    #[test]
    fn the_hash_covers_every_field() {
        let d = sha256_hex("{}");
        let base = entry(GENESIS, &d).hash();
        assert_eq!(base.len(), 64);
        assert_eq!(base, entry(GENESIS, &d).hash());
        let other = sha256_hex("{\"a\":1}");
        assert_ne!(base, entry(GENESIS, &other).hash());
        assert_ne!(base, entry(&base, &d).hash());
        let mut e = entry(GENESIS, &d);
        e.actor = "admin\"";
        assert_ne!(base, e.hash());
        let mut e = entry(GENESIS, &d);
        e.seq = 2;
        assert_ne!(base, e.hash());
    }

    #[test]
    fn sha256_is_hex() {
        assert_eq!(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}

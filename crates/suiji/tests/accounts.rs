//! `suiji user`, `suiji token` and `suiji audit` end to end, on SQLite and (with SUIJI_TEST_PG)
//! PostgreSQL: accounts made from the shell, and the audit chain re-checked after someone edits
//! a row directly in the database.

use sea_orm::ConnectionTrait;
use std::io::Write;
use std::process::{Command, Output, Stdio};
use suiji_store::testing::databases;

fn suiji(db: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_suiji"))
        .args(args)
        .env("SUIJI_DB", db)
        .env("SUIJI_ACTOR", "测试员")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("suiji runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn ok(db: &str, args: &[&str], stdin: &str) -> String {
    let o = suiji(db, args, stdin);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[tokio::test]
async fn accounts_tokens_and_the_audit_chain_from_the_shell() {
    for db in databases().await {
        let url = db.url.as_str();
        let out = ok(url, &["user", "add", "admin", "--role", "admin", "--name", "系统管理员"], "");
        assert!(out.starts_with("added admin (系统管理员, 管理员 admin)"), "{out}");
        let password = out.lines().nth(1).unwrap().strip_prefix("password: ").unwrap();
        assert_eq!(password.split_whitespace().next().unwrap().len(), 20);
        ok(
            url,
            &["user", "add", "zhang.wei", "--role", "organizer", "--password-stdin"],
            "a long passphrase\n",
        );
        let refused = suiji(url, &["user", "add", "zhang.wei", "--role", "unit"], "");
        assert_eq!(refused.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&refused.stderr).contains("已存在"));
        let bad_role = suiji(url, &["user", "add", "x1", "--role", "root"], "");
        assert_eq!(bad_role.status.code(), Some(2));
        let list = ok(url, &["user", "list"], "");
        assert!(list.contains("zhang.wei\tzhang.wei\torganizer\t-\tactive"), "{list}");

        let issued = ok(url, &["token", "issue", "zhang.wei", "--name", "同步"], "");
        assert!(issued.lines().nth(1).unwrap().starts_with("suiji_"));
        ok(url, &["token", "revoke", "1"], "");
        assert!(ok(url, &["token", "list"], "").contains("revoked"));

        let verified = ok(url, &["audit", "verify"], "");
        assert!(verified.starts_with("audit log intact: 4 entries"), "{}: {verified}", db.backend);
        let shown = ok(url, &["audit", "show", "--last", "2"], "");
        assert!(shown.lines().next().unwrap().contains("token.revoke"), "{shown}");
        assert!(shown.contains("测试员 (system)"));

        let store = db.open().await;
        store
            .connection()
            .execute_unprepared("UPDATE audit_entries SET object = 'users/someone' WHERE seq = 2")
            .await
            .unwrap();
        let caught = suiji(url, &["audit", "verify"], "");
        assert_eq!(caught.status.code(), Some(1), "{}", db.backend);
        let said = String::from_utf8_lossy(&caught.stderr);
        assert!(said.contains("entry 2: its hash does not match its contents"), "{said}");
    }
}

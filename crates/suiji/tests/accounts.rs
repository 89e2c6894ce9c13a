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

#[tokio::test]
async fn settings_and_account_changes_from_the_shell() {
    for db in databases().await {
        let url = db.url.as_str();
        assert_eq!(
            ok(url, &["setting", "show"], ""),
            "public_credit_grades\tfalse\t公开检查对象的诚信等级\n\
             bureau_name\t人力资源和社会保障局\t单位全称\n\
             approve_results\tfalse\t检查结果须经任务负责人审核后公示\n\
             document_prefix\t\t文书编号机关代字\n\
             inspector_reads_department\tfalse\t执法检查人员可查阅本部门其他检查的结果和证据\n\
             shared_directory\ttrue\t各业务科室共同维护一个检查对象名录库\n\
             credit_c_violations\t3\t评为C级的年度违法次数\n\
             credit_c_non_cooperation\ttrue\t无理抗拒、阻挠检查的评为C级\n\
             credit_c_refused_rectification\ttrue\t拒不履行整改指令的评为C级\n\
             general_item_floor\t5%\t一般事项最低抽查比例\n\
             key_item_floor\t0%\t重点事项最低抽查比例\n\
             yearly_cap\t2\t同一检查对象每年被随机抽取次数上限\n\
             visit_cap\t4\t同一检查对象每年现场检查次数上限（各类检查合计）\n\
             recent_visit_days\t30\t近期已检查提示天数（0为不提示）\n\
             publication_workdays\t20\t检查结果公示期限（工作日）\n\
             penalty_workdays\t7\t行政处罚决定公示期限（工作日）\n\
             weight_a\t1\tA级检查对象的抽取权重\n\
             weight_b\t2\tB级检查对象的抽取权重\n\
             weight_c\t4\tC级检查对象的抽取权重\n\
             weight_unrated\t2\t未评级检查对象的抽取权重\n\
             team_size\t2\t检查组默认人数\n\
             witness_digits\t20\t见证随机数最少位数\n\
             training_months\t0\t执法人员须在近几个月内参加过培训（0为不要求）\n"
        );
        // The bureau's rules stay within the seeds' limits: a deadline is not lengthened.
        let longer = suiji(url, &["setting", "set", "publication_workdays", "25"], "");
        assert_eq!(longer.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&longer.stderr).contains("1 至 20"));
        ok(url, &["setting", "set", "publication_workdays", "15"], "");
        assert_eq!(ok(url, &["setting", "show", "publication_workdays"], ""), "15\n");
        let list = ok(url, &["setting", "list"], "");
        assert!(list.contains("publication_workdays\t15\t20\t1–20\t"), "{list}");
        assert!(list.contains("general_item_floor\t5%\t5%\t5%–100%\t"), "{list}");
        let refused = suiji(url, &["setting", "set", "public_credit_grades", "maybe"], "");
        assert_eq!(refused.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&refused.stderr).contains("true or false"));
        let unknown = suiji(url, &["setting", "set", "colour", "red"], "");
        assert_eq!(unknown.status.code(), Some(2));
        let set = ok(url, &["setting", "set", "public_credit_grades", "true"], "");
        assert!(set.starts_with("public_credit_grades\ttrue"), "{set}");
        assert!(ok(url, &["setting", "show"], "").starts_with("public_credit_grades\ttrue"));

        ok(
            url,
            &["user", "add", "li.ming", "--role", "inspector", "--password-stdin"],
            "a long passphrase\n",
        );
        let changed = ok(url, &["user", "set", "li.ming", "--role", "supervisor", "--disable"], "");
        assert_eq!(changed, "li.ming: 监督 (supervisor), disabled\n");
        let enabled = ok(url, &["user", "set", "li.ming", "--enable"], "");
        assert_eq!(enabled, "li.ming: 监督 (supervisor), active\n", "the role stays");
        let nobody = suiji(url, &["user", "set", "nobody", "--disable"], "");
        assert_eq!(nobody.status.code(), Some(2));
        let both = suiji(url, &["user", "set", "li.ming", "--disable", "--enable"], "");
        assert_eq!(both.status.code(), Some(2), "clap refuses --disable with --enable");

        let shown = ok(url, &["audit", "show", "--last", "5"], "");
        assert!(shown.contains("setting.set\tsettings/public_credit_grades"), "{shown}");
        assert_eq!(shown.matches("\tuser.update\tusers/li.ming").count(), 2, "{shown}");
        assert!(ok(url, &["audit", "verify"], "").starts_with("audit log intact: 5 entries"));
    }
}

#[tokio::test]
async fn a_checkpoint_saved_earlier_catches_a_cut_off_log() {
    for db in databases().await {
        let url = db.url.as_str();
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("signing.key");
        let key_arg = key.to_str().unwrap();
        for name in ["a1", "a2", "a3"] {
            ok(url, &["user", "add", name, "--role", "unit", "--password-stdin"], "a long passphrase\n");
        }
        // No key file yet: `audit checkpoint` needs the server's key and says so.
        let refused = suiji(url, &["audit", "checkpoint", "--signing-key", key_arg], "");
        assert_eq!(refused.status.code(), Some(2));
        std::fs::write(
            &key,
            suiji_domain::checkpoint::key_file_text(&suiji_domain::checkpoint::key_from_seed([9; 32])),
        )
        .unwrap();
        let saved = ok(url, &["audit", "checkpoint", "--signing-key", key_arg], "");
        let cp: suiji_domain::checkpoint::Checkpoint = serde_json::from_str(saved.trim()).unwrap();
        assert_eq!(cp.size, 3, "{}", db.backend);
        let file = dir.path().join("cp.json");
        std::fs::write(&file, &saved).unwrap();
        let file_arg = file.to_str().unwrap();
        let good = ok(url, &["audit", "verify", "--signing-key", key_arg, "--checkpoint", file_arg], "");
        assert!(good.starts_with("audit log intact: 3 entries"), "{good}");
        assert!(good.contains("1 stored and 1 given checkpoints"), "{good}");

        // Someone cuts the last entry off and moves the head back to match: the chain holds…
        let store = db.open().await;
        let kept = suiji_store::audit::entries(&store, 1, 1).await.unwrap().remove(0);
        for statement in [
            "DELETE FROM audit_entries WHERE seq = 3".to_owned(),
            format!("UPDATE audit_head SET seq = 2, hash = '{}' WHERE id = 1", kept.hash),
        ] {
            store.connection().execute_unprepared(&statement).await.unwrap();
        }
        assert!(suiji_store::audit::verify(&store).await.unwrap().is_ok());
        // …and the checkpoint saved from the portal does not.
        let caught = suiji(url, &["audit", "verify", "--signing-key", key_arg, "--checkpoint", file_arg], "");
        assert_eq!(caught.status.code(), Some(1), "{}", db.backend);
        let said = String::from_utf8_lossy(&caught.stderr);
        assert!(said.contains(&format!("checkpoint {file_arg} (size 3")), "{said}");
        assert!(said.contains("the log has only 2 entries"), "{said}");
        assert!(
            !said.contains("entry 3: the record hashes"),
            "a removed entry's records are not called edited: {said}"
        );
        assert!(said.contains("audit log NOT intact"), "{said}");
    }
}

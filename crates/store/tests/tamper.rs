//! Rewrites a database administrator could make, which a hash chain alone misses: a cut-off
//! tail with the head moved to match, a re-hash from an edited entry, a deleted middle entry
//! with the rest renumbered and re-hashed — each caught against a checkpoint signed before it;
//! and edits to the records under the log, each named. On SQLite and PostgreSQL.

use sea_orm::ConnectionTrait;
use serde_json::json;
use suiji_domain::audit::{EntryFields, GENESIS, sha256_hex, timestamp};
use suiji_domain::checkpoint::{Checkpoint, key_from_seed};
use suiji_domain::merkle;
use suiji_store::Store;
use suiji_store::audit::{self, Actor, Problem, RecordState, VerifyOptions};
use suiji_store::testing::{county, databases};

fn key() -> suiji_domain::checkpoint::Key {
    key_from_seed([42; 32])
}

async fn write(store: &Store, n: usize) {
    let actor = Actor::system("tester");
    for i in 0..n {
        let txn = audit::begin(store).await.unwrap();
        audit::append(&txn, &actor, "test.step", &format!("things/{i}"), json!({ "i": i })).await.unwrap();
        txn.commit().await.unwrap();
    }
}

async fn sql(store: &Store, statement: &str) {
    store.connection().execute_unprepared(statement).await.unwrap();
}

/// What an attacker does after an edit: recompute every entry's digest and hash in order, and
/// the head, so that the chain verifies again.
async fn rehash(store: &Store) {
    let entries = audit::entries(store, 0, 100_000).await.unwrap();
    let mut prev = GENESIS.to_owned();
    for e in &entries {
        let digest = sha256_hex(&e.change);
        let at = timestamp(e.at);
        let hash = EntryFields { digest: &digest, prev_hash: &prev, ..e.fields(&at) }.hash();
        sql(
            store,
            &format!(
                "UPDATE audit_entries SET digest = '{digest}', prev_hash = '{prev}', hash = '{hash}' WHERE seq = {}",
                e.seq
            ),
        )
        .await;
        prev = hash;
    }
    let last = entries.last().map_or(0, |e| e.seq);
    sql(store, &format!("UPDATE audit_head SET seq = {last}, hash = '{prev}' WHERE id = 1")).await;
}

fn options(saved: &Checkpoint) -> VerifyOptions {
    VerifyOptions {
        public_key: Some(suiji_domain::checkpoint::public_key(&key())),
        given: vec![("saved.json".into(), saved.clone())],
    }
}

/// The checkpoint problems of a report: (name, reason).
fn checkpoint_problems(report: &audit::LogReport) -> Vec<(String, String)> {
    report
        .problems
        .iter()
        .filter_map(|p| match p {
            Problem::Checkpoint { name, reason, .. } => Some((name.clone(), reason.clone())),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn rewrites_that_keep_the_chain_whole_are_caught_by_a_checkpoint() {
    type Attack = fn(&Store) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>>;
    let attacks: [(&str, Attack); 3] = [
        ("a cut-off tail with the head moved to match", |s| {
            Box::pin(async move {
                sql(s, "DELETE FROM audit_entries WHERE seq > 4").await;
                rehash(s).await;
            })
        }),
        ("a re-hash from an edited entry", |s| {
            Box::pin(async move {
                sql(s, r#"UPDATE audit_entries SET change = '{"i":99}' WHERE seq = 2"#).await;
                rehash(s).await;
            })
        }),
        ("a deleted middle entry, the rest renumbered and re-hashed", |s| {
            Box::pin(async move {
                sql(s, "DELETE FROM audit_entries WHERE seq = 3").await;
                sql(s, "UPDATE audit_entries SET seq = seq - 1 WHERE seq > 3").await;
                rehash(s).await;
            })
        }),
    ];
    for (what, attack) in attacks {
        for db in databases().await {
            let who = format!("{what}, {}", db.backend);
            let store = db.open().await;
            write(&store, 6).await;
            let saved = audit::checkpoints::sign(&store, &key()).await.unwrap();
            assert_eq!(saved.size, 6);
            write(&store, 2).await;
            let report = audit::verify_log(&store, &options(&saved)).await.unwrap();
            assert!(report.is_intact(), "{who}: before: {:?}", report.problems);

            attack(&store).await;
            // The chain alone no longer sees it…
            assert!(
                audit::verify(&store).await.unwrap().is_ok(),
                "{who}: the chain verifies after the attack"
            );
            // …the checkpoint saved from the portal does, and so does the stored one.
            let report = audit::verify_log(&store, &options(&saved)).await.unwrap();
            let found = checkpoint_problems(&report);
            assert!(found.iter().any(|(name, _)| name == "saved.json"), "{who}: {:?}", report.problems);
            assert!(found.iter().any(|(name, _)| name.starts_with("stored")), "{who}: {:?}", report.problems);
            // And the server will not sign the rewritten log as if nothing happened.
            if what.starts_with("a cut-off") {
                assert!(audit::checkpoints::sign(&store, &key()).await.is_err(), "{who}");
            }
        }
    }
}

#[tokio::test]
async fn a_forged_or_foreign_checkpoint_is_refused() {
    for db in databases().await {
        let store = db.open().await;
        write(&store, 3).await;
        let saved = audit::checkpoints::sign(&store, &key()).await.unwrap();
        let mut forged = saved.clone();
        forged.size = 2;
        let report = audit::verify_log(&store, &options(&forged)).await.unwrap();
        assert_eq!(checkpoint_problems(&report).len(), 1, "{}: {:?}", db.backend, report.problems);
        // Signed by someone else's key: it vouches for nothing.
        let stranger =
            Checkpoint::sign(&key_from_seed([1; 32]), saved.size, &saved.root_hash().unwrap(), &saved.time);
        let report = audit::verify_log(&store, &options(&stranger)).await.unwrap();
        assert!(checkpoint_problems(&report)[0].1.contains("not by the log's key"), "{:?}", report.problems);
    }
}

#[tokio::test]
async fn an_entry_is_proved_in_the_signed_tree() {
    for db in databases().await {
        let store = db.open().await;
        write(&store, 5).await;
        assert!(audit::inclusion_proof(&store, 3).await.unwrap().is_none(), "no checkpoint yet");
        let cp = audit::checkpoints::sign(&store, &key()).await.unwrap();
        write(&store, 2).await;
        for seq in 1..=5 {
            let p = audit::inclusion_proof(&store, seq).await.unwrap().expect("a proof");
            let proof: Vec<merkle::Hash> = p.proof.iter().map(|h| merkle::from_hex(h).unwrap()).collect();
            let leaf = merkle::leaf_hash(&merkle::from_hex(&p.entry.hash).unwrap());
            assert_eq!(merkle::to_hex(&leaf), p.leaf_hash);
            assert_eq!(p.checkpoint, cp);
            assert!(merkle::verify_inclusion(p.leaf_index, cp.size, &leaf, &proof, &cp.root_hash().unwrap()));
        }
        // Entries after the newest checkpoint have no proof until the next one.
        assert!(audit::inclusion_proof(&store, 6).await.unwrap().is_none());
        audit::checkpoints::sign(&store, &key()).await.unwrap();
        assert!(audit::inclusion_proof(&store, 6).await.unwrap().is_some());
    }
}

#[tokio::test]
async fn records_changed_outside_suiji_are_named() {
    for db in databases().await {
        let who = db.backend;
        let store = db.open().await;
        let c = county(&store).await;
        suiji_store::accounts::add_user(
            &store,
            &suiji_store::accounts::NewUser {
                username: "zhang".into(),
                display_name: "张伟".into(),
                role: suiji_domain::access::Role::Inspector,
                department: None,
                password: "a long passphrase".into(),
            },
            &Actor::system("tester"),
        )
        .await
        .unwrap();
        let report = audit::verify_log(&store, &VerifyOptions::default()).await.unwrap();
        assert!(report.is_intact(), "{who}: {:?}", report.problems);
        // 40 targets, 8 inspectors, 2 items, 2 recusals and the account, at least.
        assert!(report.records > 40 + 8 + 2 + 2, "{who}: {}", report.records);

        // A target renamed, a role raised, a recusal deleted, a target slipped in: by hand.
        let (first, second) = (&c.targets[0], &c.targets[1]);
        sql(&store, &format!("UPDATE targets SET name = '改名公司' WHERE uscc = '{first}'")).await;
        sql(&store, "UPDATE users SET role = 'admin' WHERE username = 'zhang'").await;
        let (cert, uscc) = &c.recusals[0];
        sql(&store, &format!("DELETE FROM recusals WHERE cert_no = '{cert}' AND uscc = '{uscc}'")).await;
        let report = audit::verify_log(&store, &VerifyOptions::default()).await.unwrap();
        let named: Vec<(String, String, RecordState)> = report
            .problems
            .iter()
            .filter_map(|p| match p {
                Problem::Record { kind, key, state } => Some((kind.clone(), key.clone(), *state)),
                _ => None,
            })
            .collect();
        assert!(named.contains(&("targets".into(), first.clone(), RecordState::Changed)), "{who}: {named:?}");
        assert!(named.contains(&("users".into(), "zhang".into(), RecordState::Changed)), "{who}: {named:?}");
        assert!(
            named.contains(&("recusals".into(), format!("{cert}|{uscc}"), RecordState::Removed)),
            "{who}: {named:?}"
        );
        assert!(!named.iter().any(|(_, k, _)| k == second), "{who}: an untouched target is not named");
        assert_eq!(named.len(), 3, "{who}: {named:?}");

        // Editing the stored record hashes to match breaks the entry that carries them.
        sql(&store, &format!("UPDATE audit_records SET lines = REPLACE(lines, '{second}\t', '{second}x\t')"))
            .await;
        let report = audit::verify_log(&store, &VerifyOptions::default()).await.unwrap();
        assert!(
            report.problems.iter().any(|p| matches!(p, Problem::EntryRecords { .. })),
            "{who}: {:?}",
            report.problems
        );
    }
}

#[tokio::test]
async fn a_database_from_before_is_covered_once_on_opening() {
    for db in databases().await {
        let who = db.backend;
        let store = db.open().await;
        county(&store).await;
        // As a database made before the log covered records: none named.
        sql(&store, "DELETE FROM audit_records").await;
        sql(&store, "UPDATE audit_entries SET change = '{}' WHERE action IN ('import', 'department.add')")
            .await;
        rehash(&store).await;
        let report = audit::verify_log(&store, &VerifyOptions::default()).await.unwrap();
        assert!(
            report.problems.iter().any(|p| matches!(p, Problem::Record { state: RecordState::Unlogged, .. })),
            "{who}"
        );
        drop(store);
        let store = db.open().await;
        let last = audit::latest(&store, None, 1).await.unwrap().remove(0);
        assert_eq!(last.action, "audit.baseline", "{who}");
        let report = audit::verify_log(&store, &VerifyOptions::default()).await.unwrap();
        assert!(report.is_intact(), "{who}: {:?}", report.problems);
        // Opened again: nothing more is written.
        drop(store);
        let store = db.open().await;
        assert_eq!(audit::latest(&store, None, 1).await.unwrap().remove(0).seq, last.seq, "{who}");
    }
}

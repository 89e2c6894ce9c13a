//! The audit log on a real store (SQLite, and PostgreSQL with SUIJI_TEST_PG): every change is
//! chained, and editing, removing or reordering entries directly in the database is caught.

use sea_orm::ConnectionTrait;
use serde_json::json;
use suiji_store::Store;
use suiji_store::audit::{self, Actor, Break};
use suiji_store::testing::databases;

async fn write(store: &Store, n: usize) {
    let actor = Actor::system("tester");
    for i in 0..n {
        let txn = audit::begin(store).await.unwrap();
        audit::append(&txn, &actor, "test.step", &format!("things/{i}"), json!({ "i": i, "名称": "甲" }))
            .await
            .unwrap();
        txn.commit().await.unwrap();
    }
}

async fn sql(store: &Store, statement: &str) {
    store.connection().execute_unprepared(statement).await.unwrap();
}

async fn broken(store: &Store) -> Break {
    audit::verify(store).await.unwrap().expect_err("the chain is broken")
}

#[tokio::test]
async fn a_good_chain_verifies_and_links() {
    for db in databases().await {
        let store = db.open().await;
        assert_eq!(audit::verify(&store).await.unwrap().unwrap().entries, 0, "{}", db.backend);
        write(&store, 5).await;
        let v = audit::verify(&store).await.unwrap().unwrap();
        assert_eq!(v.entries, 5);
        let entries = audit::entries(&store, 0, 10).await.unwrap();
        assert_eq!(entries.len(), 5);
        assert_eq!(entries[0].prev_hash, suiji_domain::audit::GENESIS);
        for w in entries.windows(2) {
            assert_eq!(w[1].prev_hash, w[0].hash);
            assert_eq!(w[1].seq, w[0].seq + 1);
        }
        assert_eq!(v.head, entries[4].hash);
        assert_eq!(audit::head(&store).await.unwrap(), (5, entries[4].hash.clone()));
        let latest = audit::latest(&store, None, 2).await.unwrap();
        assert_eq!(latest.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 4]);
        let older = audit::latest(&store, Some(4), 10).await.unwrap();
        assert_eq!(older.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 2, 1]);
        let days = audit::daily_heads(&store, 30).await.unwrap();
        assert_eq!(days.len(), 1);
        assert_eq!((days[0].1, days[0].2.clone()), (5, entries[4].hash.clone()));
    }
}

#[tokio::test]
async fn an_edited_change_is_caught() {
    for db in databases().await {
        let store = db.open().await;
        write(&store, 4).await;
        sql(&store, r#"UPDATE audit_entries SET change = '{"i":2,"名称":"乙"}' WHERE seq = 3"#).await;
        assert_eq!(broken(&store).await, Break::Digest { seq: 3 }, "{}", db.backend);
    }
}

#[tokio::test]
async fn an_edited_actor_is_caught() {
    for db in databases().await {
        let store = db.open().await;
        write(&store, 4).await;
        sql(&store, "UPDATE audit_entries SET actor = 'someone else' WHERE seq = 2").await;
        assert_eq!(broken(&store).await, Break::Hash { seq: 2 }, "{}", db.backend);
    }
}

#[tokio::test]
async fn a_removed_entry_is_caught() {
    for db in databases().await {
        let store = db.open().await;
        write(&store, 4).await;
        sql(&store, "DELETE FROM audit_entries WHERE seq = 2").await;
        assert_eq!(broken(&store).await, Break::Missing { seq: 2, after: 1 }, "{}", db.backend);
    }
}

#[tokio::test]
async fn a_removed_tail_is_caught() {
    for db in databases().await {
        let store = db.open().await;
        write(&store, 4).await;
        sql(&store, "DELETE FROM audit_entries WHERE seq = 4").await;
        assert_eq!(broken(&store).await, Break::Tail { last: 3, head: 4 }, "{}", db.backend);
    }
}

#[tokio::test]
async fn a_rewritten_entry_with_its_own_hash_breaks_the_link() {
    for db in databases().await {
        let store = db.open().await;
        write(&store, 4).await;
        // Someone rewrites entry 2 and recomputes its hash: entry 3 no longer follows it.
        let e = audit::entries(&store, 1, 1).await.unwrap().remove(0);
        let change = r#"{"i":1,"名称":"改"}"#;
        let digest = suiji_domain::audit::sha256_hex(change);
        let at = suiji_domain::audit::timestamp(e.at);
        let hash = suiji_domain::audit::EntryFields { digest: &digest, ..e.fields(&at) }.hash();
        sql(
            &store,
            &format!("UPDATE audit_entries SET change = '{change}', digest = '{digest}', hash = '{hash}' WHERE seq = 2"),
        )
        .await;
        assert_eq!(broken(&store).await, Break::Link { seq: 3, prev: 2 }, "{}", db.backend);
    }
}

#[tokio::test]
async fn concurrent_writers_keep_one_chain() {
    for db in databases().await {
        let store = db.open().await;
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move { write(&store, 10).await }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let v = audit::verify(&store).await.unwrap().unwrap();
        assert_eq!(v.entries, 40, "{}", db.backend);
    }
}

//! Opening a store migrates it, also when several processes (here: several pools) open a new
//! database at the same moment — as `suiji serve` instances started together after an upgrade
//! do. Each must wait for the first to finish, then find the schema complete.

use sea_orm::{ConnectionTrait, Statement};
use suiji_store::Store;
use suiji_store::testing::databases;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stores_opened_at_once_on_a_new_database_all_migrate() {
    for round in 0..3 {
        for db in databases().await {
            let url = db.url.as_str();
            let mut opening = tokio::task::JoinSet::new();
            for _ in 0..4 {
                let url = url.to_owned();
                opening.spawn(async move { Store::open(&url).await });
            }
            let mut stores = Vec::new();
            while let Some(opened) = opening.join_next().await {
                stores.push(opened.unwrap().unwrap_or_else(|e| panic!("{} round {round}: {e}", db.backend)));
            }
            let store = &stores[0];
            let sql = "SELECT COUNT(*) AS n, COUNT(DISTINCT version) AS d FROM seaql_migrations";
            let row = store
                .connection()
                .query_one(Statement::from_string(store.backend(), sql))
                .await
                .unwrap()
                .unwrap();
            let (n, d): (i64, i64) = (row.try_get("", "n").unwrap(), row.try_get("", "d").unwrap());
            assert!(n > 0 && n == d, "{}: each migration once, got {n} rows for {d} versions", db.backend);
        }
    }
}

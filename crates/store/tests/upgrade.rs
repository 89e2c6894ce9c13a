//! A database made by the release before departments (the demo bureau, made by `suiji serve
//! --demo` at commit ef19cbf, in `tests/data/`) opened by this one: every department label in
//! it becomes a department under the bureau, nothing that names one changes, the log still
//! accounts for every record, and a department renamed is renamed where it is named.

use flate2::read::GzDecoder;
use sea_orm::{ConnectionTrait, Statement};
use suiji_domain::org::{DepartmentKind, DepartmentSpec};
use suiji_store::Store;
use suiji_store::audit::{self, Actor, Filter, VerifyOptions};
use suiji_store::org;

/// The fixture, unpacked into a temporary directory.
fn release_db(dir: &tempfile::TempDir) -> String {
    let packed =
        std::fs::File::open(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/demo-ef19cbf.sqlite.gz"))
            .expect("the fixture");
    let path = dir.path().join("suiji.db");
    let mut out = std::fs::File::create(&path).unwrap();
    std::io::copy(&mut GzDecoder::new(packed), &mut out).unwrap();
    format!("sqlite://{}", path.display())
}

/// Distinct values of one text column.
async fn values(store: &Store, sql: &str) -> Vec<String> {
    let db = store.connection();
    let rows = db.query_all(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    let mut out: Vec<String> =
        rows.iter().filter_map(|r| r.try_get_by_index::<Option<String>>(0).unwrap()).collect();
    out.sort();
    out.dedup();
    out
}

async fn clean_log(store: &Store) {
    let report = audit::verify_log(store, &VerifyOptions::default()).await.unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(report.records > 3_000, "every record recomputed: {}", report.records);
}

#[tokio::test]
async fn the_labels_of_a_release_database_become_departments() {
    let dir = tempfile::tempdir().unwrap();
    let url = release_db(&dir);
    let store = Store::open(&url).await.unwrap();

    let tree = org::tree(&store).await.unwrap();
    let root = &tree[0];
    assert_eq!(
        (root.kind, root.name.as_str(), root.depth),
        (DepartmentKind::Bureau, "洛阳市偃师区人力资源和社会保障局", 0)
    );
    let names: Vec<&str> = tree.iter().map(|d| d.name.as_str()).collect();
    let mut labels = Vec::new();
    for sql in [
        "SELECT DISTINCT department FROM inspectors",
        "SELECT DISTINCT department FROM users",
        "SELECT DISTINCT department FROM plans",
        "SELECT DISTINCT subject FROM items",
    ] {
        labels.extend(values(&store, sql).await);
    }
    // The demo's joint task names two departments in its definition.
    labels.extend(["社会保险科".to_owned(), "就业促进科".to_owned()]);
    for label in &labels {
        assert!(names.contains(&label.as_str()), "{label} is a department: {names:?}");
    }
    assert!(tree[1..].iter().all(|d| d.parent_id == Some(root.id) && d.kind == DepartmentKind::Business));
    let inspectors: u64 = tree.iter().map(|d| d.inspectors).sum();
    let in_post = values(&store, "SELECT cert_no FROM inspectors WHERE status = 'active'").await.len();
    assert_eq!(inspectors, in_post as u64, "each of the demo's inspectors in post is in a department");

    // The migration's work is on the record, once; the log accounts for every record.
    let migrated = Filter { action: Some("audit.migrate".into()), ..Filter::default() };
    assert_eq!(audit::search(&store, &migrated, None, 10).await.unwrap().len(), 1);
    clean_log(&store).await;
    drop(store);
    let store = Store::open(&url).await.unwrap();
    assert_eq!(audit::search(&store, &migrated, None, 10).await.unwrap().len(), 1, "not again");

    // Renamed: the inspectors, accounts and plans that named it name the new name; the
    // directory's history has the change; the log is still clean.
    let admin = Actor::user("admin", suiji_domain::access::Role::Admin);
    let unit = tree.iter().find(|d| d.name == "劳动保障监察大队").expect("the demo's 监察大队");
    let spec = DepartmentSpec {
        name: "劳动保障监察支队".into(),
        kind: DepartmentKind::Enforcement,
        parent_id: unit.parent_id,
        active: true,
    };
    let renamed = org::update(&store, unit.id, &spec, &admin).await.unwrap();
    assert_eq!((renamed.name.as_str(), renamed.kind), ("劳动保障监察支队", DepartmentKind::Enforcement));
    assert!(
        values(&store, "SELECT DISTINCT department FROM plans")
            .await
            .contains(&"劳动保障监察支队".to_owned())
    );
    assert!(
        !values(&store, "SELECT DISTINCT department FROM users")
            .await
            .contains(&"劳动保障监察大队".to_owned())
    );
    clean_log(&store).await;
    // The bureau's root follows its name in the settings.
    let root_spec = DepartmentSpec {
        name: "洛阳市偃师区人社局".into(),
        kind: DepartmentKind::Bureau,
        parent_id: None,
        active: true,
    };
    org::update(&store, root.id, &root_spec, &admin).await.unwrap();
    assert_eq!(suiji_store::settings::load(&store).await.unwrap().bureau_name, "洛阳市偃师区人社局");
    clean_log(&store).await;
}

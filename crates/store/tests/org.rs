//! The organisation tree on SQLite and PostgreSQL: the bureau at its root from the first open,
//! departments added under it and under each other, the tree's rules refused with the field at
//! fault and nothing written, a rename carried into the records that name the department, and
//! each change on the record.

use suiji_domain::org::{DepartmentKind, DepartmentSpec};
use suiji_store::audit::{self, Actor, Filter, VerifyOptions};
use suiji_store::org;
use suiji_store::testing::{county, databases};
use suiji_store::workflow::WorkflowError;

fn admin() -> Actor {
    Actor::user("admin", suiji_domain::access::Role::Admin)
}

fn spec(name: &str, kind: DepartmentKind, parent_id: Option<i64>) -> DepartmentSpec {
    DepartmentSpec { name: name.into(), kind, parent_id, active: true }
}

fn field(e: WorkflowError) -> String {
    match e {
        WorkflowError::Invalid(p) => p[0].field.clone(),
        e => panic!("not a refusal: {e}"),
    }
}

#[tokio::test]
async fn departments_form_a_tree_under_the_bureau() {
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        let root = org::root(&store).await.unwrap();
        assert_eq!(org::tree(&store).await.unwrap().len(), 1, "{who}: the bureau alone on a new database");
        assert_eq!(root.name, suiji_domain::settings::UNNAMED_BUREAU);
        // The county's two departments, then its inspectors.
        county(&store).await;
        let tree = org::tree(&store).await.unwrap();
        let (lead, insurance) = (tree[1].clone(), tree[2].clone());
        assert_eq!(
            (lead.kind, lead.parent_id, lead.depth, lead.inspectors),
            (DepartmentKind::Lead, Some(root.id), 1, 5),
            "{who}: {lead:?}: the departed one aside"
        );
        assert_eq!((insurance.name.as_str(), insurance.inspectors), ("社会保险科", 2));
        let injury =
            org::add(&store, &spec("工伤保险股", DepartmentKind::Business, Some(insurance.id)), &admin())
                .await
                .unwrap();
        let tree = org::tree(&store).await.unwrap();
        let order: Vec<(usize, &str)> = tree.iter().map(|d| (d.depth, d.name.as_str())).collect();
        assert_eq!(
            order,
            [(0, root.name.as_str()), (1, "劳动保障监察科"), (1, "社会保险科"), (2, "工伤保险股")],
            "{who}"
        );
        let tree = org::tree(&store).await.unwrap();
        assert_eq!(
            tree.iter().map(|d| d.id).collect::<Vec<_>>(),
            [root.id, lead.id, insurance.id, injury.id]
        );

        // Refused, with the field at fault, and nothing written.
        let before = audit::head(&store).await.unwrap();
        let e = org::add(&store, &spec(" 社会保险科 ", DepartmentKind::Business, None), &admin())
            .await
            .unwrap_err();
        assert_eq!(field(e), "name", "{who}: one name, one department");
        let e = org::update(
            &store,
            insurance.id,
            &spec("社会保险科", DepartmentKind::Business, Some(injury.id)),
            &admin(),
        )
        .await
        .unwrap_err();
        assert_eq!(field(e), "parent_id", "{who}: not under its own");
        let e = org::update(
            &store,
            lead.id,
            &DepartmentSpec {
                active: false, ..spec("劳动保障监察科", DepartmentKind::Lead, Some(root.id))
            },
            &admin(),
        )
        .await
        .unwrap_err();
        assert_eq!(field(e), "active", "{who}: its inspectors are still in it");
        let e = org::update(&store, 999, &spec("x", DepartmentKind::Business, Some(root.id)), &admin())
            .await
            .unwrap_err();
        assert!(matches!(e, WorkflowError::NotFound { .. }));
        assert_eq!(audit::head(&store).await.unwrap(), before, "{who}: nothing written");

        // Renamed: its inspectors name the new name, with the change in their history.
        let renamed = org::update(
            &store,
            insurance.id,
            &spec("社会保险股", DepartmentKind::Business, Some(root.id)),
            &admin(),
        )
        .await
        .unwrap();
        assert_eq!((renamed.name.as_str(), renamed.inspectors), ("社会保险股", 2), "{who}");
        let changes = audit::search(
            &store,
            &Filter { object: Some("department/".into()), ..Filter::default() },
            None,
            10,
        )
        .await
        .unwrap();
        assert_eq!(changes.len(), 4, "{who}: three added, one changed");
        // An import naming a department not in the organisation is refused, naming the row.
        let sheet = suiji_domain::directory::Sheet::new(
            suiji_domain::directory::ListKind::Inspectors,
            [
                vec!["执法证号", "姓名", "单位", "证件有效期至", "状态"],
                vec!["JC-X-001", "新来员", "社会保险科", "2030-12-31", "在岗"],
            ]
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                suiji_domain::directory::RawRow::new(
                    i as u64 + 1,
                    r.into_iter().map(str::to_owned).collect::<Vec<_>>(),
                )
            }),
        )
        .unwrap();
        let options = suiji_store::directory::ImportOptions {
            actor: admin(),
            file_name: "new.csv".into(),
            file_sha256: "0".repeat(64),
            retire_missing: false,
            own: None,
        };
        let e = suiji_store::directory::import::<suiji_domain::directory::Inspector>(
            &store,
            &sheet,
            suiji_domain::codes::Codes::builtin(),
            &options,
            &|_, _, _| {},
        )
        .await
        .unwrap_err();
        let suiji_store::directory::ImportError::Rejected(problems) = e else { panic!("{who}: {e}") };
        assert_eq!((problems[0].row, problems[0].value.as_str()), (Some(2), "社会保险科"), "{who}");
        assert!(problems[0].zh.contains("组织机构"), "{who}: {problems:?}");
        assert_eq!(changes[0].action, "department.update");
        let report = audit::verify_log(&store, &VerifyOptions::default()).await.unwrap();
        assert!(report.problems.is_empty(), "{who}: {:?}", report.problems);
        // A department with nobody in it is put out of use, after those under it.
        let e = org::update(
            &store,
            renamed.id,
            &DepartmentSpec {
                active: false, ..spec("社会保险股", DepartmentKind::Business, Some(root.id))
            },
            &admin(),
        )
        .await
        .unwrap_err();
        assert_eq!(field(e), "active", "{who}: its two inspectors");
        let off = DepartmentSpec {
            active: false,
            ..spec("工伤保险股", DepartmentKind::Business, Some(renamed.id))
        };
        let off = org::update(&store, injury.id, &off, &admin()).await.unwrap();
        assert!(!off.active);
        assert_eq!(org::active_names(store.connection()).await.unwrap().len(), 3);
    }
}

/// A 业务科室's staff change only their own department's items (抽查主体) and inspectors
/// (单位): a row of another department's — as the row has it or as the record stood — is
/// refused with its row and column and nothing is written; retiring what a file leaves out
/// retires only their own department's.
#[tokio::test]
async fn a_department_changes_only_its_own_items_and_inspectors() {
    use suiji_domain::directory::{Item, ListKind, RawRow, Sheet};
    use suiji_store::directory::{self, ImportError, ImportOptions};
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        county(&store).await;
        let sheet = |rows: &[&[&str]]| {
            let mut all = vec![RawRow::new(
                1,
                ["事项编码", "事项名称", "类别", "抽查主体"].map(str::to_owned).to_vec(),
            )];
            for (i, r) in rows.iter().enumerate() {
                all.push(RawRow::new(i as u64 + 2, r.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>()));
            }
            Sheet::new(ListKind::Items, all).unwrap()
        };
        let import = |rows: &[&[&str]], retire_missing: bool| {
            let options = ImportOptions {
                actor: Actor::user("unit", suiji_domain::access::Role::Unit),
                file_name: "items.csv".into(),
                file_sha256: "0".repeat(64),
                retire_missing,
                own: Some("社会保险科".into()),
            };
            let sheet = sheet(rows);
            let store = store.clone();
            async move {
                directory::import::<Item>(
                    &store,
                    &sheet,
                    suiji_domain::codes::Codes::builtin(),
                    &options,
                    &|_, _, _| {},
                )
                .await
            }
        };
        let refused = |r: Result<directory::ImportSummary, ImportError>| match r {
            Err(ImportError::Rejected(p)) => p.into_iter().map(|p| (p.row, p.column)).collect::<Vec<_>>(),
            other => panic!("{who}: not refused: {other:?}"),
        };
        // Its own item is added; another department's, or the county's RS-001 (of no
        // department) taken over, is refused, and nothing of the file is written.
        let before = directory::count(&store, ListKind::Items).await.unwrap();
        let e = import(
            &[
                &["SB-001", "社会保险登记情况检查", "一般", "社会保险科"],
                &["JC-001", "劳动合同检查", "一般", "劳动保障监察科"],
                &["RS-001", "农民工工资支付情况检查", "重点", "社会保险科"],
            ],
            false,
        )
        .await;
        assert_eq!(refused(e), [(Some(3), "抽查主体".to_owned()), (Some(4), "抽查主体".to_owned())], "{who}");
        assert_eq!(directory::count(&store, ListKind::Items).await.unwrap(), before, "{who}");
        let done = import(&[&["SB-001", "社会保险登记情况检查", "一般", "社会保险科"]], false).await.unwrap();
        assert_eq!(done.added, 1, "{who}");
        // A file of its own items that leaves others out retires none of theirs.
        let done = import(&[&["SB-002", "社会保险缴费情况检查", "一般", "社会保险科"]], true).await.unwrap();
        assert_eq!((done.added, done.retired), (1, 1), "{who}: SB-001 only");
        let items = directory::all::<Item>(&store).await.unwrap();
        let status = |code: &str| items.iter().find(|i| i.code == code).unwrap().status.code();
        assert_eq!(
            (status("SB-001"), status("RS-001"), status("RS-010")),
            ("retired", "active", "active"),
            "{who}"
        );
        assert!(audit::verify(&store).await.unwrap().is_ok(), "{who}");
    }
}

/// Targets: while the bureau keeps one shared directory (the default) a 业务科室 keeps any
/// target; once it does not, it changes only the targets whose 管理部门 is its own — what it
/// adds without naming one becomes its own — and the rest are refused row by row.
#[tokio::test]
async fn a_department_keeps_its_own_targets_unless_the_directory_is_shared() {
    use suiji_domain::directory::{ListKind, RawRow, Sheet, Target};
    use suiji_store::directory::{self, ImportError, ImportOptions};
    use suiji_store::testing::uscc;
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        county(&store).await;
        let import = |rows: Vec<[String; 3]>, retire_missing: bool| {
            let mut all =
                vec![RawRow::new(1, ["统一社会信用代码", "名称", "管理部门"].map(str::to_owned).to_vec())];
            for (i, r) in rows.into_iter().enumerate() {
                all.push(RawRow::new(i as u64 + 2, r.to_vec()));
            }
            let sheet = Sheet::new(ListKind::Targets, all).unwrap();
            let options = ImportOptions {
                actor: Actor::user("unit", suiji_domain::access::Role::Unit),
                file_name: "targets.csv".into(),
                file_sha256: "0".repeat(64),
                retire_missing,
                own: Some("社会保险科".into()),
            };
            let store = store.clone();
            async move {
                let codes = suiji_domain::codes::Codes::builtin();
                directory::import::<Target>(&store, &sheet, codes, &options, &|_, _, _| {}).await
            }
        };
        let row = |serial: u32, name: &str, department: &str| {
            [uscc(serial), name.to_owned(), department.to_owned()]
        };
        // Shared: the county's target (kept by no department) is changed by the 业务科室.
        let done = import(vec![row(1, "洛阳测试01有限公司（更名）", "")], false).await.unwrap();
        assert_eq!(done.changed, 1, "{who}");
        let change = [("shared_directory".to_owned(), "false".to_owned())];
        suiji_store::settings::set(&store, &change, &admin()).await.unwrap();
        // Kept apart: the county's target, and a new one named another department's, are
        // refused with their rows; nothing of the file is written.
        let e = import(
            vec![
                row(2, "洛阳测试02有限公司（更名）", ""),
                row(100, "新办一公司", "劳动保障监察科"),
                row(101, "新办二公司", ""),
            ],
            false,
        )
        .await;
        let Err(ImportError::Rejected(p)) = e else { panic!("{who}: not refused: {e:?}") };
        let rows: Vec<Option<u64>> = p.iter().map(|p| p.row).collect();
        assert_eq!(rows, [Some(2), Some(3)], "{who}: {p:?}");
        assert!(p[0].zh.contains("只能新增或修改本部门（社会保险科）的记录"), "{who}: {p:?}");
        assert!(directory::find::<Target>(&store, &uscc(101)).await.unwrap().is_none(), "{who}");
        // Its own: a new target naming no department becomes its own, and it changes it after.
        let done = import(vec![row(101, "新办二公司", "")], false).await.unwrap();
        assert_eq!(done.added, 1, "{who}");
        let (_, t) = directory::find::<Target>(&store, &uscc(101)).await.unwrap().unwrap();
        assert_eq!(t.department, "社会保险科", "{who}");
        let done = import(vec![row(101, "新办二公司（更名）", "社会保险科")], false).await.unwrap();
        assert_eq!(done.changed, 1, "{who}");
        // A file of its own targets retires none of the county's 40.
        let done = import(vec![row(102, "新办三公司", "")], true).await.unwrap();
        assert_eq!((done.added, done.retired), (1, 1), "{who}: only 101, its own");
        assert_eq!(
            directory::count_with_status(&store, ListKind::Targets, "active").await.unwrap(),
            41,
            "{who}"
        );
        assert!(audit::verify(&store).await.unwrap().is_ok(), "{who}");
    }
}

/// Tasks: a 业务科室 runs its own department's tasks, under its own department's plans; the
/// 牵头科室 names any department to run one; a task made before departments ran tasks is its
/// first named department's.
#[tokio::test]
async fn a_department_runs_its_own_tasks() {
    use suiji_domain::workflow::SizeSpec;
    use suiji_store::testing::{published_plan, task};
    use suiji_store::workflow::{self as wf, Filing};
    for db in databases().await {
        let store = db.open().await;
        let who = db.backend;
        county(&store).await;
        let unit = Actor::user("unit", suiji_domain::access::Role::Unit);
        let lead = Actor::user("organizer", suiji_domain::access::Role::Organizer);
        let own = Some("社会保险科");
        let ours = published_plan(&store, "社会保险科").await;
        let theirs = published_plan(&store, "劳动保障监察科").await;
        let def = task("社会保险科", SizeSpec::Count(2));
        // Its own task, under its plan's line: run by its department though none was named.
        let t = wf::save_task(&store, None, &Filing::line(ours.lines[0].id), &def, &unit, own).await.unwrap();
        assert_eq!(t.department, "社会保险科", "{who}");
        wf::task_in_reach(&store, t.id, own).await.unwrap();
        // Another department's plan, or another department named to run it: refused.
        let forbidden =
            |r: Result<wf::TaskView, WorkflowError>| matches!(r, Err(WorkflowError::Forbidden { .. }));
        let r = wf::save_task(&store, None, &Filing::line(theirs.lines[0].id), &def, &unit, own).await;
        assert!(forbidden(r), "{who}");
        let named = Filing { department: Some("劳动保障监察科"), ..Filing::default() };
        assert!(forbidden(wf::save_task(&store, None, &named, &def, &unit, own).await), "{who}");
        // A 业务科室's account placed in no department runs no task, not even one of none.
        assert!(
            forbidden(wf::save_task(&store, None, &Filing::default(), &def, &unit, Some("")).await),
            "{who}"
        );
        assert!(forbidden(wf::task_in_reach(&store, t.id, Some("")).await.map(|_| t.clone())), "{who}");
        // The lead office runs a joint task of both under its own plan, and names who runs
        // another; the 业务科室 cannot reach either.
        let joint =
            wf::save_task(&store, None, &Filing::line(theirs.lines[0].id), &def, &lead, None).await.unwrap();
        assert_eq!(joint.department, "劳动保障监察科", "{who}: the plan's");
        assert!(
            matches!(wf::task_in_reach(&store, joint.id, own).await, Err(WorkflowError::Forbidden { .. })),
            "{who}"
        );
        let r = wf::save_task(&store, Some(joint.id), &Filing::default(), &def, &unit, own).await;
        assert!(forbidden(r), "{who}");
        let unknown = Filing { department: Some("不存在的科"), ..Filing::default() };
        let e = wf::save_task(&store, None, &unknown, &def, &lead, None).await.unwrap_err();
        assert_eq!(field(e), "department", "{who}");
        let t = wf::publish_task(&store, t.id, &unit).await.unwrap();
        let progress = wf::progress(&store).await.unwrap();
        let loads = wf::by_department(&progress);
        let load = |d: &str| loads.iter().find(|l| l.department == d).map(|l| (l.leads, l.tasks));
        assert_eq!(load("社会保险科"), Some((1, 2)), "{who}: runs its own, takes part in the joint one");
        assert_eq!(load("劳动保障监察科"), Some((1, 1)), "{who}: runs the joint one");
        assert_eq!(t.department, "社会保险科", "{who}");
        assert!(audit::verify(&store).await.unwrap().is_ok(), "{who}");
    }
}

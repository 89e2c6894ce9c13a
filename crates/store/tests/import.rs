//! Importing lists into a real store, on SQLite and (with SUIJI_TEST_PG) on PostgreSQL.

use suiji_domain::codes::Codes;
use suiji_domain::directory::{Inspector, ListKind, RawRow, Recusal, Sheet, Target, TargetStatus};
use suiji_domain::uscc::check_character;
use suiji_store::Store;
use suiji_store::directory::{self, ImportError, ImportOptions, ImportSummary, Stored};
use suiji_store::testing::databases;

/// A valid USCC with the given serial (the body's organization-code part varies).
fn uscc(serial: u32) -> String {
    let body = format!("91410300MA{serial:07}");
    format!("{body}{}", check_character(&body).unwrap())
}

fn sheet(list: ListKind, rows: &[&[&str]]) -> Sheet {
    let rows = rows.iter().enumerate().map(|(i, r)| RawRow::new(i as u64 + 1, r.iter()));
    Sheet::new(list, rows).expect("a good header")
}

fn options(retire_missing: bool) -> ImportOptions {
    ImportOptions {
        actor: suiji_store::audit::Actor::system("tester"),
        file_name: "t.csv".into(),
        file_sha256: "0".repeat(64),
        retire_missing,
        own: None,
    }
}

async fn import<R: Stored>(store: &Store, sheet: &Sheet, retire: bool) -> Result<ImportSummary, ImportError> {
    directory::import::<R>(store, sheet, Codes::builtin(), &options(retire), &|_, _, _| {}).await
}

fn summary(s: &ImportSummary) -> [u64; 5] {
    [s.rows, s.added, s.changed, s.unchanged, s.retired]
}

#[tokio::test]
async fn upsert_history_and_retiring() {
    for db in databases().await {
        let store = db.open().await;
        let (a, b, c) = (uscc(1), uscc(2), uscc(3));
        let first = sheet(
            ListKind::Targets,
            &[
                &["统一社会信用代码", "名称", "规模", "区划代码", "诚信等级"],
                &[&a, "洛阳甲公司", "小型", "410307", "A"],
                &[&b, "洛阳乙公司", "", "410307", "B"],
                &[&c, "洛阳丙公司", "微型", "", ""],
            ],
        );
        let s = import::<Target>(&store, &first, false).await.unwrap();
        assert_eq!(summary(&s), [3, 3, 0, 0, 0], "{}", db.backend);
        let created = {
            use sea_orm::{ConnectionTrait, Statement};
            let db = store.connection();
            let sql = format!("SELECT created_by, created_batch FROM targets WHERE uscc = '{c}'");
            let row =
                db.query_one(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
            (
                row.try_get::<String>("", "created_by").unwrap(),
                row.try_get::<i64>("", "created_batch").unwrap(),
            )
        };
        assert_eq!(created, ("tester".to_owned(), s.batch_id), "{}", db.backend);

        // Only two columns: the others keep their stored values.
        let second = sheet(ListKind::Targets, &[&["uscc", "credit_grade"], &[&a, "C"], &[&b, "b"]]);
        let s = import::<Target>(&store, &second, true).await.unwrap();
        assert_eq!(summary(&s), [2, 0, 1, 1, 1], "{}", db.backend);

        let all = directory::all::<Target>(&store).await.unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].name, "洛阳甲公司");
        assert_eq!(all[0].region.as_deref(), Some("410307"));
        assert_eq!(all[0].credit_grade.map(|g| g.code()), Some("C"));
        assert_eq!(all[2].status, TargetStatus::Retired, "{}", db.backend);

        let history = directory::history(&store, ListKind::Targets, &a).await.unwrap();
        let history: Vec<_> = history
            .iter()
            .map(|h| (h.field.as_str(), h.old_value.as_deref(), h.new_value.as_deref()))
            .collect();
        assert_eq!(history, [("credit_grade", Some("A"), Some("C"))], "{}", db.backend);
        let history = directory::history(&store, ListKind::Targets, &c).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!((history[0].field.as_str(), history[0].new_value.as_deref()), ("status", Some("退出")));
        assert_eq!(history[0].actor, "tester");
        // Who, when and which batch are written once a statement: each row still has them.
        assert_eq!(history[0].batch_id, Some(s.batch_id), "{}", db.backend);
        let age = chrono::Utc::now() - history[0].at;
        assert!(age >= chrono::TimeDelta::zero() && age < chrono::TimeDelta::minutes(5), "{age}");

        // The counts the list pages show, kept by the imports, agree with the table.
        let counted = |status: Option<&str>| {
            let store = store.clone();
            let status = status.map(str::to_owned);
            async move {
                match status {
                    Some(s) => directory::count_with_status(&store, ListKind::Targets, &s).await.unwrap(),
                    None => directory::count(&store, ListKind::Targets).await.unwrap(),
                }
            }
        };
        assert_eq!(
            [counted(None).await, counted(Some("active")).await, counted(Some("retired")).await],
            [3, 2, 1]
        );
        // A one-row sheet (as a form sends) bringing the retired target back and adding one.
        let third = sheet(
            ListKind::Targets,
            &[&["uscc", "name", "status"], &[&c, "洛阳丙公司", "正常"], &[&uscc(4), "洛阳丁公司", "注销"]],
        );
        let s = import::<Target>(&store, &third, false).await.unwrap();
        assert_eq!(summary(&s), [2, 1, 1, 0, 0], "{}", db.backend);
        let by_status = [counted(None).await, counted(Some("active")).await, counted(Some("retired")).await];
        assert_eq!(by_status, [4, 3, 0], "{}", db.backend);
        let all = directory::all::<Target>(&store).await.unwrap();
        assert_eq!(all.len() as u64, by_status[0]);
        assert_eq!(all.iter().filter(|t| t.status == TargetStatus::Active).count() as u64, by_status[1]);
    }
}

#[tokio::test]
async fn one_bad_row_and_nothing_is_written() {
    for db in databases().await {
        let store = db.open().await;
        let good = uscc(7);
        let mut bad_check = uscc(8);
        let last = if bad_check.ends_with('0') { '1' } else { '0' };
        bad_check.replace_range(17.., &last.to_string());
        let file = sheet(
            ListKind::Targets,
            &[
                &["统一社会信用代码", "名称", "区划代码"],
                &[&good, "甲", "410307"],
                &[&bad_check, "乙", "419999"],
                &[&good, "甲二", ""],
                &["", "", "410307"],
            ],
        );
        let Err(ImportError::Rejected(problems)) = import::<Target>(&store, &file, false).await else {
            panic!("{}: the file must be rejected", db.backend)
        };
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("{}|{}|{}|{}", p.row.unwrap(), p.column, p.value, p.zh))
            .collect();
        let expected_check = check_character(&bad_check[..17]).unwrap();
        assert_eq!(
            lines,
            [
                format!(
                    "3|统一社会信用代码|{bad_check}|校验位错误：第18位为“{last}”，按GB 32100-2015应为“{expected_check}”"
                ),
                "3|区划代码|419999|区划代码不在 GB/T 2260 代码表中".to_owned(),
                format!("4|统一社会信用代码|{good}|与第2行重复"),
                "5|统一社会信用代码||必填，不能为空".to_owned(),
                "5|名称||必填，不能为空".to_owned(),
            ],
            "{}",
            db.backend
        );
        assert_eq!(directory::count(&store, ListKind::Targets).await.unwrap(), 0);
    }
}

#[tokio::test]
async fn recusals_must_name_known_inspectors_and_targets() {
    for db in databases().await {
        let store = db.open().await;
        let t = uscc(11);
        import::<Target>(&store, &sheet(ListKind::Targets, &[&["uscc", "name"], &[&t, "甲"]]), false)
            .await
            .unwrap();
        let inspectors = sheet(
            ListKind::Inspectors,
            &[
                &["执法证号", "姓名", "单位", "证件有效期至"],
                &["豫人社A001", "张三", "监察大队", "2027/12/31"],
            ],
        );
        // An inspector belongs to a department of the organisation: none yet, so refused.
        let Err(ImportError::Rejected(problems)) = import::<Inspector>(&store, &inspectors, false).await
        else {
            panic!("{}: an unknown department must be rejected", db.backend)
        };
        assert_eq!((problems[0].row, problems[0].column.as_str()), (Some(2), "单位"));
        suiji_store::testing::departments(&store, &[("监察大队", suiji_domain::org::DepartmentKind::Lead)])
            .await;
        import::<Inspector>(&store, &inspectors, false).await.unwrap();
        let recusals = sheet(
            ListKind::Recusals,
            &[
                &["执法证号", "统一社会信用代码", "原因"],
                &["豫人社a001", &t, "近亲属任职"],
                &["豫人社A002", &t, ""],
                &["豫人社A001", &uscc(12), ""],
            ],
        );
        let Err(ImportError::Rejected(problems)) = import::<Recusal>(&store, &recusals, false).await else {
            panic!("{}: unknown references must be rejected", db.backend)
        };
        let lines: Vec<String> =
            problems.iter().map(|p| format!("{}|{}|{}", p.row.unwrap(), p.column, p.zh)).collect();
        assert_eq!(
            lines,
            ["3|执法证号|执法检查人员名录库中没有这一条", "4|统一社会信用代码|检查对象名录库中没有这一条"]
        );
        let ok = sheet(ListKind::Recusals, &[&["执法证号", "统一社会信用代码"], &["豫人社A001", &t]]);
        let s = import::<Recusal>(&store, &ok, false).await.unwrap();
        assert_eq!(summary(&s), [1, 1, 0, 0, 0]);
        let inspectors = directory::all::<Inspector>(&store).await.unwrap();
        assert_eq!(inspectors[0].cert_valid_until.unwrap().to_string(), "2027-12-31");
    }
}

#[tokio::test]
async fn many_rows_and_awkward_text_survive_the_bulk_paths() {
    for db in databases().await {
        let store = db.open().await;
        // More rows than one SQLite statement takes, and a last partial statement; text with
        // quotes, commas and a backslash (COPY's CSV); an empty address that must stay "".
        let codes: Vec<String> = (0..5_000).map(|i| uscc(100_000 + i)).collect();
        let mut rows: Vec<Vec<String>> =
            vec![vec!["uscc".into(), "name".into(), "address".into(), "employees".into()]];
        for (i, code) in codes.iter().enumerate() {
            rows.push(vec![code.clone(), format!("甲\"乙\",丙\\{i}"), String::new(), i.to_string()]);
        }
        let raw: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        let raw: Vec<&[&str]> = raw.iter().map(Vec::as_slice).collect();
        let s = import::<Target>(&store, &sheet(ListKind::Targets, &raw), false).await.unwrap();
        assert_eq!(summary(&s), [5_000, 5_000, 0, 0, 0], "{}", db.backend);
        let all = directory::all::<Target>(&store).await.unwrap();
        assert_eq!(all.len(), 5_000, "{}", db.backend);
        assert_eq!(all[4_999].uscc, codes[4_999]);
        assert_eq!(all[4_999].name, "甲\"乙\",丙\\4999", "{}", db.backend);
        assert_eq!(all[4_999].address, "", "{}", db.backend);
        assert_eq!(all[4_999].employees, Some(4_999));
        assert_eq!(all[0].scale, None);
    }
}

/// Issue 13, item 12: a change another writer commits while an import is being checked is not
/// undone by it. Here a target is retired (in another connection, from another thread) while
/// a file that renames it is checked: before, the import wrote the target back as active with
/// no history row, and the kept counts drifted from the table.
#[tokio::test]
async fn an_import_does_not_undo_a_change_made_while_it_was_checked() {
    for db in databases().await {
        let store = db.open().await;
        let (a, b) = (uscc(1), uscc(2));
        let first = sheet(
            ListKind::Targets,
            &[&["统一社会信用代码", "名称"], &[&a, "洛阳甲公司"], &[&b, "洛阳乙公司"]],
        );
        import::<Target>(&store, &first, false).await.unwrap();
        let rename = sheet(
            ListKind::Targets,
            &[&["统一社会信用代码", "名称"], &[&a, "洛阳甲公司（更名）"], &[&b, "洛阳乙公司（更名）"]],
        );
        let url = db.url.clone();
        let retired_once = std::sync::Once::new();
        let b_again = b.clone();
        let progress = move |_: &'static str, _: u64, _: u64| {
            retired_once.call_once(|| {
                let (url, b) = (url.clone(), b_again.clone());
                // Another writer, with its own connections, while this import is checking.
                std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                    rt.block_on(async {
                        let other = Store::open(&url).await.unwrap();
                        let retire =
                            sheet(ListKind::Targets, &[&["统一社会信用代码", "状态"], &[&b, "退出"]]);
                        import::<Target>(&other, &retire, false).await.unwrap();
                    })
                })
                .join()
                .unwrap();
            });
        };
        let s = directory::import::<Target>(&store, &rename, Codes::builtin(), &options(false), &progress)
            .await
            .unwrap();
        assert_eq!(s.changed, 2, "{}", db.backend);
        let (_, found) = directory::find::<Target>(&store, &b).await.unwrap().unwrap();
        assert_eq!(found.status, TargetStatus::Retired, "{}: the retirement stays", db.backend);
        assert_eq!(found.name, "洛阳乙公司（更名）");
        // The history has the retirement and the rename, and the counts match the table.
        let history = directory::history(&store, ListKind::Targets, &b).await.unwrap();
        let fields: Vec<&str> = history.iter().map(|c| c.field.as_str()).collect();
        assert!(fields.contains(&"status") && fields.contains(&"name"), "{fields:?}");
        assert_eq!(directory::count_with_status(&store, ListKind::Targets, "active").await.unwrap(), 1);
        assert_eq!(directory::count_with_status(&store, ListKind::Targets, "retired").await.unwrap(), 1);
    }
}

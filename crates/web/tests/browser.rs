//! Staff and the public in a real browser (headless Chromium through chromedriver): the
//! directories (sign in, import a bad file and read its report, import a good one, edit a
//! target, find it on the portal, sign out); the inspection workflow end to end, down to the
//! verify page saying 通过; and the protocol's test vectors run against verify.js. Runs when SUIJI_CHROMEDRIVER names chromedriver (`.ci/run` installs
//! Debian's `chromium` and `chromium-driver` and sets it); skipped otherwise.

mod common;

use fantoccini::Locator;
use suiji_domain::access::Role;
use suiji_store::Store;
use suiji_store::accounts::{self, NewUser};
use suiji_store::audit::Actor;

use common::uscc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_member_in_a_real_browser() {
    // The server, on a SQLite file, with one organizer and one target.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("suiji.db").display())).await.unwrap();
    let organizer = NewUser {
        username: "organizer".into(),
        display_name: "王建国".into(),
        role: Role::Organizer,
        department: None,
        password: "organizer-password".into(),
    };
    accounts::add_user(&store, &organizer, &Actor::system("tester")).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let wait = std::time::Duration::from_secs(120);
    tokio::spawn(suiji_web::serve_on(listener, suiji_web::AppState::new(store.clone()).with_job_wait(wait)));

    let Some((c, _driver)) = common::browser::start("browser test").await else { return };

    // Sign in, asked for by the page the organizer wanted.
    c.goto(&format!("{base}/staff/targets")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/login"));
    c.find(Locator::Css("input[name=username]")).await.unwrap().send_keys("organizer").await.unwrap();
    c.find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys("organizer-password")
        .await
        .unwrap();
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("table")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/staff/targets");

    // A bad file: its report, and nothing imported.
    let good = uscc(1);
    let bad = format!("{}{}", &good[..17], if good.ends_with('0') { '1' } else { '0' });
    let bad_file = dir.path().join("bad.csv");
    std::fs::write(&bad_file, format!("统一社会信用代码,名称\n{good},偃师甲公司\n{bad},错码公司\n")).unwrap();
    c.goto(&format!("{base}/staff/targets/import")).await.unwrap();
    c.find(Locator::Css("input[type=file]"))
        .await
        .unwrap()
        .send_keys(&bad_file.display().to_string())
        .await
        .unwrap();
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    let report = c.wait().for_element(Locator::Css("#problems")).await.unwrap().text().await.unwrap();
    assert!(report.contains("统一社会信用代码") && report.contains(&bad), "{report}");
    assert_eq!(
        suiji_store::directory::count(&store, suiji_domain::directory::ListKind::Targets).await.unwrap(),
        0
    );

    // The corrected file.
    let good_file = dir.path().join("good.csv");
    std::fs::write(&good_file, format!("统一社会信用代码,名称\n{good},偃师甲公司\n")).unwrap();
    c.find(Locator::Css("input[type=file]"))
        .await
        .unwrap()
        .send_keys(&good_file.display().to_string())
        .await
        .unwrap();
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    let summary = c.wait().for_element(Locator::Css("p.ok")).await.unwrap().text().await.unwrap();
    assert!(summary.contains("新增 1"), "{summary}");

    // Edit the target's name.
    c.goto(&format!("{base}/staff/targets/{good}/edit")).await.unwrap();
    let name = c.find(Locator::Css("input[name=name]")).await.unwrap();
    name.clear().await.unwrap();
    name.send_keys("偃师甲有限公司").await.unwrap();
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    let record = c.wait().for_element(Locator::Css("dl.record")).await.unwrap().text().await.unwrap();
    assert!(record.contains("偃师甲有限公司"), "{record}");

    // The public portal shows it, without signing in.
    c.goto(&format!("{base}/public/targets?q={good}")).await.unwrap();
    let table = c.find(Locator::Css("table")).await.unwrap().text().await.unwrap();
    assert!(table.contains("偃师甲有限公司"), "{table}");

    // A large file on a server that answers long work with its job's page at once (the same
    // store; the session cookie holds on any port of the host): the page follows the job with
    // its progress bar, then shows what the import came to.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let jobs_base = format!("http://{}", listener.local_addr().unwrap());
    let answering_with_jobs =
        suiji_web::AppState::new(store.clone()).with_job_wait(std::time::Duration::ZERO);
    tokio::spawn(suiji_web::serve_on(listener, answering_with_jobs));
    let many_file = dir.path().join("many.csv");
    let rows: String = (100..20_100).map(|i| format!("{},大批公司{i}\n", uscc(i))).collect();
    std::fs::write(&many_file, format!("统一社会信用代码,名称\n{rows}")).unwrap();
    c.goto(&format!("{jobs_base}/staff/targets/import")).await.unwrap();
    c.find(Locator::Css("input[type=file]"))
        .await
        .unwrap()
        .send_keys(&many_file.display().to_string())
        .await
        .unwrap();
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#job")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/staff/jobs/"));
    let done = c
        .wait()
        .at_most(std::time::Duration::from_secs(120))
        .for_element(Locator::Css("#job[data-state=done] p.ok"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(done.contains("新增 20000"), "{done}");
    assert_eq!(text(&c, "#job-state").await, "已完成");

    // Sign out: the staff pages ask for a sign-in again.
    c.find(Locator::Css("header form button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("a[href='/login']")).await.unwrap();
    c.goto(&format!("{base}/staff/targets")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/login"));
    c.close().await.unwrap();

    let actions: Vec<String> = suiji_store::audit::latest(&store, None, 20)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["user.add", "login", "import", "import", "import", "logout"]);
}

async fn sign_in(c: &fantoccini::Client, base: &str, username: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Css("input[name=username]")).await.unwrap().send_keys(username).await.unwrap();
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(password).await.unwrap();
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("header form button")).await.unwrap();
}

async fn sign_out(c: &fantoccini::Client) {
    c.find(Locator::Css("header form button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("a[href='/login']")).await.unwrap();
}

async fn click(c: &fantoccini::Client, css: &str) {
    c.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

/// Clicks a button of an irreversible step: the browser asks first, saying what cannot be
/// undone, and the person confirms.
async fn confirm(c: &fantoccini::Client, css: &str) {
    click(c, css).await;
    let question = c.get_alert_text().await.unwrap_or_else(|e| panic!("{css} asked nothing: {e}"));
    assert!(question.contains("确定"), "{css}: {question}");
    c.accept_alert().await.unwrap();
}

async fn text(c: &fantoccini::Client, css: &str) -> String {
    c.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

/// Waits until the element shows `want`: after a click that loads a page, an element of the old
/// page with the same id may be found first and then go stale.
async fn until_text(c: &fantoccini::Client, css: &str, want: &str) {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(e) = c.find(Locator::Css(css)).await
            && let Ok(t) = e.text().await
        {
            if t == want {
                return;
            }
            last = t;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css}: {last:?}, not {want:?}");
}

/// Sets a form field by script: date inputs and selects take typed keys differently in each
/// locale, a value set directly is what a person picking it would send.
async fn set(c: &fantoccini::Client, name: &str, value: &str) {
    c.execute(
        "const e = document.querySelector(`[name=\"${arguments[0]}\"]`); e.value = arguments[1]; return e.value;",
        vec![name.into(), value.into()],
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_workflow_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("suiji.db").display())).await.unwrap();
    let county = suiji_store::testing::county(&store).await;
    for (username, role) in [("organizer", Role::Organizer), ("inspector", Role::Inspector)] {
        let new = NewUser {
            username: username.into(),
            display_name: role.zh().into(),
            role,
            department: None,
            password: format!("{username}-password"),
        };
        accounts::add_user(&store, &new, &Actor::system("tester")).await.unwrap();
    }
    // 社会保险科 has two inspectors: a team of two from it has both, this account's among them.
    accounts::link_inspector(&store, "inspector", Some(&county.insurers[0]), &Actor::system("tester"))
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(suiji_web::serve_on(listener, suiji_web::AppState::new(store.clone())));
    let Some((c, _driver)) = common::browser::start("workflow browser test").await else { return };

    // The organizer drafts a task, previews it, saves and publishes it.
    sign_in(&c, &base, "organizer", "organizer-password").await;
    c.goto(&format!("{base}/staff/tasks/new")).await.unwrap();
    c.find(Locator::Css("input[name=title]"))
        .await
        .unwrap()
        .send_keys("社会保险费缴纳情况抽查")
        .await
        .unwrap();
    click(&c, "input[name=items][value='RS-001']").await;
    c.find(Locator::Css("input[name=departments]")).await.unwrap().send_keys("社会保险科").await.unwrap();
    click(&c, "input[name=size_kind][value=count]").await;
    set(&c, "size_count", "1").await;
    set(&c, "window_start", "2026-06-01").await;
    set(&c, "window_end", "2026-06-30").await;
    // Weighted by credit grade: a control sample of two beside it (对照样本).
    set(&c, "control", "2").await;
    click(&c, "button[name=intent][value=preview]").await;
    assert_eq!(text(&c, "#preview-eligible").await, "40");
    assert_eq!(text(&c, "#preview-drawn").await, "1");
    click(&c, "button[name=intent][value=save]").await;
    until_text(&c, "#task-status", "草稿").await;
    confirm(&c, "#publish-task").await;
    until_text(&c, "#task-status", "已公布待抽取").await;

    // The ceremony: a witness's digits, then the ranking on the projector.
    click(&c, "#to-ceremony").await;
    let commitment = text(&c, "#commitment").await;
    assert_eq!(commitment.len(), 64, "{commitment}");
    c.find(Locator::Css("input[name=name_1]")).await.unwrap().send_keys("张三（群众代表）").await.unwrap();
    c.find(Locator::Css("input[name=digits_1]"))
        .await
        .unwrap()
        .send_keys("31415926535897932384")
        .await
        .unwrap();
    confirm(&c, "#draw-now").await;
    let ranking = text(&c, "#ranking").await;
    assert_eq!(text(&c, "#seed").await, "31415926535897932384/T-2026-001");
    let drawn = county.targets.iter().find(|t| ranking.contains(t.as_str())).expect("a drawn target").clone();
    let control = text(&c, "#control-1").await;
    assert!(control.contains("对照样本（2 户）") && !control.contains(&drawn), "{control}");

    // Teams: both of 社会保险科's inspectors.
    c.goto(&format!("{base}/staff/tasks/1")).await.unwrap();
    confirm(&c, "#assign-teams").await;
    let teams = text(&c, "#teams").await;
    assert!(teams.contains("社保员1") && teams.contains("社保员2"), "{teams}");
    sign_out(&c).await;

    // The inspector finds the inspection, enters the result and publishes it.
    sign_in(&c, &base, "inspector", "inspector-password").await;
    c.goto(&format!("{base}/staff/inspections")).await.unwrap();
    click(&c, "#mine a").await;
    set(&c, "started_on", "2026-06-03").await;
    set(&c, "ended_on", "2026-06-03").await;
    set(&c, "verdict_RS-001", "non_compliant").await;
    set(&c, "conclusion", "pending_handling").await;
    for (name, value) in [
        ("findings", "未按规定为2名职工缴纳社会保险费。"),
        ("summary", "未足额缴纳社会保险费，移交立案查处。"),
    ] {
        c.find(Locator::Css(&format!("textarea[name={name}]")))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    click(&c, "#save-form").await;
    until_text(&c, "#inspection-status", "已录入待公示").await;
    confirm(&c, "#publish-result").await;
    until_text(&c, "#inspection-status", "已公示").await;
    sign_out(&c).await;

    // Anyone finds the result by USCC, and re-checks the draw in the browser: 通过.
    c.goto(&format!("{base}/public/results?q={drawn}")).await.unwrap();
    let results = text(&c, "#results").await;
    assert!(results.contains("发现问题待后续处理") && results.contains(&drawn), "{results}");
    assert!(!results.contains("移交立案查处"), "the summary is not public");
    c.goto(&format!("{base}/public/tasks/T-2026-001")).await.unwrap();
    click(&c, "a.verify-link").await;
    click(&c, "#verify-start").await;
    c.wait().for_element(Locator::Css("#verify-result[data-outcome]")).await.unwrap();
    let outcome = text(&c, "#verify-result").await;
    let checks = text(&c, "#verify-checks").await;
    assert_eq!(outcome, "通过", "{checks}");
    // The control sample re-drawn from the population file, and the teams made for it.
    assert!(
        checks.contains("对照样本：抽取结果 2 名与重算一致") && checks.contains("其中 2 个来自对照样本"),
        "{checks}"
    );

    // Closing the loop: the organizer records a penalty against the inspection and publishes
    // its notice, lists the firm for wage arrears, runs the year's grades and confirms them;
    // the firm's dossier shows each step and its new grade.
    sign_in(&c, &base, "organizer", "organizer-password").await;
    c.goto(&format!("{base}/staff/inspections/1")).await.unwrap();
    click(&c, "#record-penalty summary").await;
    c.find(Locator::Css("input[name=decision_no]"))
        .await
        .unwrap()
        .send_keys("偃人社监罚〔2026〕8号")
        .await
        .unwrap();
    set(&c, "decided_on", "2026-06-10").await;
    for (name, value) in [
        ("facts", "未按规定为2名职工缴纳社会保险费。"),
        ("basis", "《社会保险法》第八十六条"),
        ("penalty", "罚款人民币3000元"),
    ] {
        c.find(Locator::Css(&format!("#record-penalty [name={name}]")))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    click(&c, "#record-penalty-button").await;
    // Decided in June, on China's calendar (端午 on the 19th) due on the 22nd: late now.
    until_text(&c, "#penalty-standing", "逾期未公示（公示期限 2026-06-22）").await;
    confirm(&c, "#publish-penalty").await;
    c.wait().for_element(Locator::Css("#notices")).await.unwrap();
    assert!(text(&c, "#penalty-standing").await.starts_with("已公示"));
    // The firm is told it is to be listed for wage arrears, states its case, and is listed.
    click(&c, "#propose-entry summary").await;
    click(&c, "#propose-entry input[name=kinds][value=arrears_criminal_amount]").await;
    click(&c, "#propose-entry form:last-of-type button").await;
    until_text(&c, "#entry-status", "拟列入").await;
    click(&c, "#notify-entry").await;
    until_text(&c, "#entry-status", "已告知，陈述申辩期").await;
    c.find(Locator::Css("textarea[name=statement]"))
        .await
        .unwrap()
        .send_keys("当事人称已筹措资金，但未提供支付凭证，不予采纳。")
        .await
        .unwrap();
    confirm(&c, "#decide-entry").await;
    until_text(&c, "#entry-status", "已列入名单").await;
    c.goto(&format!("{base}/public/lists/wage-arrears")).await.unwrap();
    assert!(text(&c, "#list-entries").await.contains(&drawn));
    c.goto(&format!("{base}/staff/credit/evaluations")).await.unwrap();
    set(&c, "year", "2026").await;
    click(&c, "#run-evaluation button").await;
    let proposals = text(&c, "#proposals").await;
    assert!(proposals.contains(&drawn) && proposals.contains("失信联合惩戒对象名单"), "{proposals}");
    confirm(&c, "#confirm-evaluation").await;
    c.wait().for_element(Locator::Css("#grade-notices")).await.unwrap();
    c.goto(&format!("{base}/staff/targets/{drawn}/dossier")).await.unwrap();
    assert_eq!(text(&c, "#credit-grade").await, "C");
    let events = text(&c, "#dossier-events").await;
    for step in [
        "被随机抽中",
        "检查结果公示",
        "行政处罚决定公示",
        "列入拖欠农民工工资失信联合惩戒对象名单",
        "守法诚信等级评价：C级（原为B）",
    ] {
        assert!(events.contains(step), "{step}: {events}");
    }
    c.close().await.unwrap();
}

/// The protocol's test vectors, run against the browser's implementation (verify.js, Web
/// Crypto) in Chromium: byte-identical documents, and the one failing assignment fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_test_vectors_pass_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("suiji.db").display())).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(suiji_web::serve_on(listener, suiji_web::AppState::new(store)));
    let Some((c, _driver)) = common::browser::start("vector browser test").await else { return };
    // A page of the site: Web Crypto needs a secure context, and localhost is one.
    c.goto(&format!("{base}/")).await.unwrap();
    c.execute_async(
        "const done = arguments[0]; const s = document.createElement('script'); s.src = '/static/verify.js'; s.onload = () => done(true); document.head.appendChild(s);",
        vec![],
    )
    .await
    .unwrap();
    let vectors = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../draw/tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(&vectors)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 12);
    for file in files {
        let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let got = c
            .execute_async(
                r#"const [v, done] = arguments;
                   const S = window.SuijiVerify;
                   (async () => {
                     const d = await S.draw(v.population, v.seed, v.params, 0);
                     let a;
                     try {
                       const p = v.assign_params;
                       a = await S.assign(d, v.inspectors, v.recusals, {team_size: p.team_size, require: p.require || undefined, max_load: p.max_load || undefined});
                     } catch (e) { a = {error: e.message}; }
                     return {draw: d, assign: a};
                   })().then(done, e => done({failed: String(e)}));"#,
                vec![case.clone()],
            )
            .await
            .unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(got.get("failed").is_none(), "{name}: {got}");
        for field in ["protocol", "seed", "population_sha256", "population_size", "rule", "selected"] {
            assert_eq!(got["draw"][field], case["expect_draw"][field], "{name}: draw {field}");
        }
        match case["expect_assign"].get("error") {
            Some(error) => assert_eq!(&got["assign"]["error"], error, "{name}"),
            None => {
                for field in ["protocol", "seed", "team_size", "teams"] {
                    assert_eq!(got["assign"][field], case["expect_assign"][field], "{name}: assign {field}");
                }
            }
        }
    }
    c.close().await.unwrap();
}

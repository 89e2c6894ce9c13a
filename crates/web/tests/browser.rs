//! A staff member in a real browser (headless Chromium through chromedriver): sign in, import a
//! bad file and read its report, import a good one, edit a target, find the edit on the public
//! portal, sign out. Runs when SUIJI_CHROMEDRIVER names chromedriver (`.ci/run` installs
//! Debian's `chromium` and `chromium-driver` and sets it); skipped otherwise.

use fantoccini::{ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use suiji_domain::access::Role;
use suiji_domain::uscc::check_character;
use suiji_store::Store;
use suiji_store::accounts::{self, NewUser};
use suiji_store::audit::Actor;

fn uscc(serial: u32) -> String {
    let body = format!("91410307MA{serial:07}");
    format!("{body}{}", check_character(&body).unwrap())
}

/// chromedriver, stopped when the test ends however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_member_in_a_real_browser() {
    let Ok(chromedriver) = std::env::var("SUIJI_CHROMEDRIVER") else {
        eprintln!("browser test skipped: set SUIJI_CHROMEDRIVER=/usr/bin/chromedriver to run it");
        return;
    };
    let chromium = std::env::var("SUIJI_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());

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
    tokio::spawn(suiji_web::serve_on(listener, suiji_web::AppState::new(store.clone())));

    let port = free_port();
    let _driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{chromedriver}: {e}")),
    );
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("chromedriver starts Chromium");

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
    assert_eq!(actions, ["user.add", "login", "import", "import", "logout"]);
}

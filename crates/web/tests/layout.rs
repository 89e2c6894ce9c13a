//! The pages' layout rules, measured in a real browser (headless Chromium through chromedriver;
//! skipped without SUIJI_CHROMEDRIVER): each role signs in and opens its forms, and the test reads
//! where the browser put things. With SUIJI_SCREENSHOTS=DIR it also saves each page it measured.

mod common;

use common::Fixture;
use fantoccini::{Client, Locator};
use suiji_domain::access::Role;

async fn sign_in(c: &Client, base: &str, role: Role) {
    c.goto(&format!("{base}/login")).await.unwrap();
    c.find(Locator::Css("input[name=username]")).await.unwrap().send_keys(role.name()).await.unwrap();
    let password = format!("{}-password-1", role.name());
    c.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(&password).await.unwrap();
    c.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("header form button")).await.unwrap();
}

/// Each checkbox and radio button in a label, with the label's text: those whose box is not on
/// the same line as the text and before it.
const CHECKS_OFF_THEIR_ROW: &str = r#"
const off = [];
let seen = 0;
for (const box of document.querySelectorAll('label input[type=checkbox], label input[type=radio]')) {
  const label = box.closest('label');
  seen += 1;
  const text = [...label.childNodes].find(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  if (!text) { off.push('no text beside ' + box.name); continue; }
  const range = document.createRange();
  range.selectNodeContents(text);
  const t = range.getClientRects()[0];
  const b = box.getBoundingClientRect();
  const middle = b.top + b.height / 2;
  if (!(middle > t.top && middle < t.bottom && b.right <= t.left + 1)) {
    off.push(`${box.name}: box ${Math.round(b.left)},${Math.round(b.top)} text ${Math.round(t.left)},${Math.round(t.top)} "${text.textContent.trim().slice(0, 20)}"`);
  }
}
return [seen, off];
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_checkbox_and_radio_button_shares_a_row_with_its_label() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("suiji.db").display());
    let f = Fixture::new(suiji_store::Store::open(&url).await.unwrap()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(suiji_web::serve_on(listener, suiji_web::AppState::new(f.store.clone())));
    let Some((c, _driver)) = common::browser::start("layout test").await else { return };

    let pages = [
        (Role::Organizer, "/staff/tasks/new"),
        (Role::Organizer, "/staff/targets/import"),
        (Role::Admin, "/staff/settings"),
        (Role::Inspector, "/staff/inspections/1"),
    ];
    let mut failures = Vec::new();
    for (width, height) in [(1366, 900), (390, 844)] {
        c.set_window_size(width, height).await.unwrap();
        for (role, path) in pages {
            sign_in(&c, &base, role).await;
            c.goto(&format!("{base}{path}")).await.unwrap();
            // SUIJI_SCREENSHOTS=DIR keeps what the browser showed, to look at.
            if let Ok(shots) = std::env::var("SUIJI_SCREENSHOTS") {
                let first = "document.querySelector('label input[type=checkbox], label input[type=radio]')?.scrollIntoView({block: 'center'})";
                c.execute(first, vec![]).await.unwrap();
                let name = format!("{width}{}.png", path.replace('/', "_"));
                std::fs::write(std::path::Path::new(&shots).join(name), c.screenshot().await.unwrap())
                    .unwrap();
            }
            let found = c.execute(CHECKS_OFF_THEIR_ROW, vec![]).await.unwrap();
            let seen = found[0].as_u64().unwrap();
            assert!(seen > 0, "{path} has no checkbox or radio button to measure");
            for off in found[1].as_array().unwrap() {
                failures.push(format!("{width}px {path}: {off}"));
            }
            c.find(Locator::Css("header form button")).await.unwrap().click().await.unwrap();
            c.wait().for_element(Locator::Css("a[href='/login']")).await.unwrap();
        }
    }
    assert!(failures.is_empty(), "checkboxes off their label's row:\n{}", failures.join("\n"));
}

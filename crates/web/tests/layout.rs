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

/// The test fixture on a SQLite file of its own (kept while the directory lives).
async fn fixture() -> (tempfile::TempDir, Fixture) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("suiji.db").display());
    let f = Fixture::new(suiji_store::Store::open(&url).await.unwrap()).await;
    (dir, f)
}

/// A server on the fixture's store; its address.
async fn serve(f: &Fixture) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(suiji_web::serve_on(listener, suiji_web::AppState::new(f.store.clone())));
    base
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
    let (_dir, f) = fixture().await;
    let base = serve(&f).await;
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

/// Words of three or more ASCII letters in the page's text, outside codes and hashes (and the
/// language switch): English left in a Chinese page.
const ENGLISH_WORDS: &str = r#"
const words = new Set();
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  const el = node.parentElement;
  if (!el || el.closest('script, style, code, .hash, .code, [lang=en], [translate=no]')) continue;
  if (!el.getClientRects().length) continue;
  for (const token of node.textContent.split(/[\s，。、；：（）()“”"'·,;:!?\[\]{}<>|=+*]+/)) {
    // A token with a digit, a dot, a slash, a hyphen or an @ is a code, a file or an address.
    if (/[0-9./@_#-]/.test(token)) continue;
    for (const w of token.match(/[A-Za-z]{3,}/g) || []) words.add(w);
  }
}
return [...words];
"#;

/// Abbreviations and names a Chinese page writes in Latin letters: formats, standards, Python.
/// ("script" and "alert" are the fixture's hostile target name, data rather than the page's.)
const LATIN_ALLOWED: &[&str] =
    &["PDF", "CSV", "JSON", "Excel", "Word", "xlsx", "SHA", "API", "Atom", "Python", "script", "alert"];

/// How far the page is wider than the window (0 when nothing scrolls sideways).
const SIDEWAYS: &str = "return document.documentElement.scrollWidth - window.innerWidth;";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_roles_pages_read_in_chinese_and_the_inspectors_fit_a_phone() {
    let (_dir, f) = fixture().await;
    let base = serve(&f).await;
    let Some((c, _driver)) = common::browser::start("language and phone test").await else { return };

    let walks: [(Option<Role>, &[&str]); 6] = [
        (
            None,
            &[
                "/",
                "/public/plans",
                "/public/tasks",
                "/public/tasks/T-2026-001",
                "/public/results",
                "/public/targets",
                "/public/items",
                "/public/inspectors",
                "/public/audit",
                "/public/draws/1/verify",
            ],
        ),
        (
            Some(Role::Organizer),
            &[
                "/staff",
                "/staff/tasks",
                "/staff/tasks/1",
                "/staff/tasks/new",
                "/staff/plans",
                "/staff/targets",
                "/staff/inspections",
            ],
        ),
        (Some(Role::Inspector), &["/staff", "/staff/inspections", "/staff/inspections/1"]),
        (Some(Role::Unit), &["/staff", "/staff/targets"]),
        (Some(Role::Supervisor), &["/staff", "/staff/audit"]),
        (Some(Role::Admin), &["/staff", "/staff/users", "/staff/settings", "/staff/tokens"]),
    ];
    let mut english = Vec::new();
    let mut sideways = Vec::new();
    c.set_window_size(390, 844).await.unwrap();
    for (role, paths) in walks {
        if let Some(role) = role {
            sign_in(&c, &base, role).await;
        }
        for path in paths {
            c.goto(&format!("{base}{path}")).await.unwrap();
            let words = c.execute(ENGLISH_WORDS, vec![]).await.unwrap();
            for w in words.as_array().unwrap().iter().filter_map(|w| w.as_str()) {
                if !LATIN_ALLOWED.contains(&w) {
                    english.push(format!("{path}: {w}"));
                }
            }
            // The inspector works on a phone: nothing of theirs scrolls sideways at 390 px.
            if matches!(role, Some(Role::Inspector) | None) {
                let over = c.execute(SIDEWAYS, vec![]).await.unwrap().as_i64().unwrap();
                if over > 0 {
                    sideways.push(format!("{path}: {over} px wider than the phone"));
                }
            }
            if let Ok(shots) = std::env::var("SUIJI_SCREENSHOTS") {
                let who = role.map_or("public", |r| r.name());
                let name = format!("390-{who}{}.png", path.replace('/', "_"));
                std::fs::write(std::path::Path::new(&shots).join(name), c.screenshot().await.unwrap())
                    .unwrap();
            }
        }
        if role.is_some() {
            c.find(Locator::Css("header form button")).await.unwrap().click().await.unwrap();
            c.wait().for_element(Locator::Css("a[href='/login']")).await.unwrap();
        }
    }
    assert!(english.is_empty(), "English words in Chinese pages:\n{}", english.join("\n"));
    assert!(sideways.is_empty(), "pages wider than a phone:\n{}", sideways.join("\n"));
}

/// Each form control on the page, unless inside the toolbar that print hides; and whether the
/// style sheet's print rules hide that toolbar.
const CONTROLS_IN_PRINT: &str = r#"
const shown = [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => !el.closest('.toolbar'))
  .map(el => el.outerHTML.slice(0, 60));
let hidden = false;
for (const sheet of document.styleSheets) {
  for (const rule of sheet.cssRules) {
    if (rule.media && [...rule.media].includes('print')) {
      for (const r of rule.cssRules) {
        if (r.selectorText && r.selectorText.split(',').map(s => s.trim()).includes('.toolbar') && r.style.display === 'none') hidden = true;
      }
    }
  }
}
return [shown, hidden];
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_print_as_documents_and_as_pdf() {
    use suiji_store::workflow as wf;
    let (dir, f) = fixture().await;
    let Ok(chromium) = std::env::var("SUIJI_CHROMIUM") else {
        eprintln!("documents test skipped: set SUIJI_CHROMIUM (and SUIJI_CHROMEDRIVER)");
        return;
    };
    let bureau = "洛阳市偃师区人力资源和社会保障局";
    let admin = suiji_store::audit::Actor::user("admin", Role::Admin);
    let settings = [("bureau_name".into(), bureau.into()), ("document_prefix".into(), "偃人社监".into())];
    suiji_store::settings::set(&f.store, &settings, &admin).await.unwrap();
    // The team enters a result that orders rectification.
    let i = wf::inspection(&f.store, 1).await.unwrap();
    let lead = i.members[0].clone();
    let form: suiji_domain::workflow::InspectionForm = serde_json::from_value(serde_json::json!({
        "started_on": "2026-06-10", "ended_on": "2026-06-10",
        "items": [{"item": "RS-001", "verdict": "non_compliant", "basis": "《保障农民工工资支付条例》第十一条"}],
        "findings": "拖欠2名农民工5月工资", "conclusion": "corrected",
        "handling": {"rectify_by": "2026-06-30"},
        "signed": false, "unsigned_reason": "法定代表人外出，由两名检查人员见证", "summary": "已责令限期支付。"
    }))
    .unwrap();
    let inspector = suiji_store::audit::Actor::user("inspector", Role::Inspector);
    wf::save_form(&f.store, 1, &form, Some(&lead.0), &inspector).await.unwrap();
    // Published, it opens a rectification; the team's follow-up finds it rectified; the year's
    // grades are confirmed.
    wf::publish_result(&f.store, 1, Some(&lead.0), &inspector).await.unwrap();
    let organizer = suiji_store::audit::Actor::user("organizer", Role::Organizer);
    let r = wf::rectification_of(&f.store, 1).await.unwrap().unwrap();
    let r = wf::schedule_follow_up(&f.store, r.id, false, &organizer).await.unwrap();
    let follow_up = r.pending_follow_up().unwrap().inspection_id;
    let today = wf::china_today();
    let mut found = form.clone();
    (found.started_on, found.ended_on) = (today, today);
    found.items[0].verdict = suiji_domain::workflow::ItemVerdict::Compliant;
    found.conclusion = suiji_domain::workflow::Conclusion::NoProblem;
    found.findings = "已足额补发拖欠工资".into();
    found.handling = Default::default();
    found.follow_up = Some(suiji_domain::workflow::FollowUpOutcome::Rectified);
    wf::save_form(&f.store, follow_up, &found, Some(&lead.0), &inspector).await.unwrap();
    let evaluation = suiji_store::credit::evaluate(&f.store, 2026, &organizer).await.unwrap();
    suiji_store::credit::confirm(&f.store, evaluation.id, &organizer).await.unwrap();
    let opinion = format!("/staff/inspections/{follow_up}/follow-up-opinion");
    let dossier = format!("/staff/targets/{}/dossier/print", i.uscc);
    let notices = format!("/staff/credit/evaluations/{}/notices", evaluation.id);

    let documents = [
        (opinion.as_str(), "复查意见书", vec!["经复查，你单位已按要求改正", "签收人", lead.1.as_str()]),
        (dossier.as_str(), "诚信档案", vec![i.uscc.as_str(), "被随机抽中", "责令限期整改"]),
        (
            notices.as_str(),
            "劳动保障守法诚信等级评价结果告知书",
            vec!["评价等级为", "十五个工作日", "签收人"],
        ),
        (
            "/staff/inspections/1/print",
            "执法检查登记表",
            vec!["检查人员签名", "见证人签名", "法定代表人外出", lead.1.as_str(), "☑ 不符合"],
        ),
        (
            "/staff/inspections/1/notice",
            "检查通知书",
            vec!["送达回证", "签收人", i.target_name.as_str(), lead.1.as_str(), "偃人社监检通〔2026〕1-1号"],
        ),
        (
            "/staff/inspections/1/rectification-order",
            "责令改正指令书",
            vec!["2026年6月30日", "第十一条", "签收人", lead.1.as_str()],
        ),
        (
            "/staff/tasks/1/team-notice",
            "检查组选派通知",
            vec!["负责人（签字）", "经办人", "牵头科室", lead.1.as_str(), "偃人社监选派〔2026〕1号"],
        ),
        (
            "/staff/draws/1/record",
            "抽取记录",
            vec!["见证人签名", "12345678901234567890", "总体承诺", "偃师乙公司"],
        ),
        ("/staff/documents/registration-form", "执法检查登记表", vec!["检查人员签名", "法律依据"]),
        (
            "/staff/tasks/1/registration-form",
            "执法检查登记表",
            vec!["农民工工资支付情况检查", "检查人员签名"],
        ),
    ];

    // The PDFs, from the server's own printer: the bureau, the document's name, its lines.
    let app =
        suiji_web::router(suiji_web::AppState::new(f.store.clone()).with_chromium(Some(chromium.into())));
    let (cookie, _) = f.session(Role::Organizer);
    for (path, title, lines) in &documents {
        use tower::ServiceExt;
        let request = axum::http::Request::get(format!("{path}.pdf"))
            .header(axum::http::header::COOKIE, cookie)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), 200, "{path}.pdf");
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let pdf = axum::body::to_bytes(response.into_body(), 16 << 20).await.unwrap();
        let file = dir.path().join("document.pdf");
        std::fs::write(&file, &pdf).unwrap();
        if let Ok(shots) = std::env::var("SUIJI_SCREENSHOTS") {
            std::fs::write(
                std::path::Path::new(&shots).join(format!("{}.pdf", path.replace('/', "_"))),
                &pdf,
            )
            .unwrap();
        }
        let text = std::process::Command::new("pdftotext")
            .args([file.to_str().unwrap(), "-"])
            .output()
            .expect("pdftotext (Debian's poppler-utils) reads the PDFs");
        let text = String::from_utf8_lossy(&text.stdout).replace(char::is_whitespace, "");
        for wanted in [bureau, title].iter().chain(lines.iter()) {
            let wanted = wanted.replace(char::is_whitespace, "");
            assert!(text.contains(&wanted), "{path}.pdf lacks {wanted:?}:\n{text}");
        }
        for toolbar in ["下载PDF", "返回"] {
            assert!(!text.contains(toolbar), "{path}.pdf prints its toolbar");
        }
    }

    // In the browser: the page is the document, and its only controls are in the toolbar
    // that print hides.
    let base = serve(&f).await;
    let Some((c, _driver)) = common::browser::start("documents test").await else { return };
    sign_in(&c, &base, Role::Organizer).await;
    for (width, height) in [(1366, 900), (390, 844)] {
        c.set_window_size(width, height).await.unwrap();
        for (path, title, _) in &documents {
            c.goto(&format!("{base}{path}")).await.unwrap();
            let h1 = c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
            assert!(h1.replace(char::is_whitespace, "").contains(title), "{path}: {h1}");
            let found = c.execute(CONTROLS_IN_PRINT, vec![]).await.unwrap();
            assert_eq!(
                found[0].as_array().unwrap().len(),
                0,
                "{path}: form controls outside the toolbar: {}",
                found[0]
            );
            assert_eq!(found[1], true, "{path}: print does not hide the toolbar");
            if let Ok(shots) = std::env::var("SUIJI_SCREENSHOTS") {
                let name = format!("{width}-document{}.png", path.replace('/', "_"));
                std::fs::write(std::path::Path::new(&shots).join(name), c.screenshot().await.unwrap())
                    .unwrap();
            }
        }
    }
}

//! Headless Chromium through chromedriver, for the tests that need a real browser. They run
//! when SUIJI_CHROMEDRIVER names chromedriver (`.ci/run` installs Debian's `chromium` and
//! `chromium-driver` and sets it) and are skipped otherwise.

use fantoccini::{Client, ClientBuilder};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// chromedriver, stopped when the test ends however it ends.
pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A browser session, or `None` (with a note) when no chromedriver is configured.
pub async fn start(test: &str) -> Option<(Client, Driver)> {
    let Ok(chromedriver) = std::env::var("SUIJI_CHROMEDRIVER") else {
        eprintln!("{test} skipped: set SUIJI_CHROMEDRIVER=/usr/bin/chromedriver to run it");
        return None;
    };
    let chromium = std::env::var("SUIJI_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let port = free_port();
    let driver = Driver(
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
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("chromedriver starts Chromium");
    Some((client, driver))
}

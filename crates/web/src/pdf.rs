//! Printed documents as PDF files. A document is one HTML template with print CSS (A4, no
//! navigation); its `.pdf` is the same HTML printed by headless Chromium, so the paper and
//! the download cannot drift apart. Chromium is found at start (`suiji serve --chromium PATH`,
//! else `chromium`, `chromium-browser` or `google-chrome` on the PATH); without one the
//! documents still print from the browser, and the `.pdf` links are not offered. Why not a
//! Rust PDF library: the forms are tables of wrapping Chinese text with a CJK font to embed,
//! which a browser lays out correctly and a hand-made layout would not; one print costs about
//! a second (see BENCHMARKS.md), and documents are printed one at a time by a clerk.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The longest one print may take before it is given up.
pub const PRINT_TIMEOUT: Duration = Duration::from_secs(60);
/// How many prints run at once (each is a browser process of a few hundred MB).
pub const PRINTS_AT_ONCE: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("no Chromium to print with (suiji serve --chromium PATH)")]
    Unavailable,
    #[error("printing failed: {0}")]
    Failed(String),
}

/// Prints HTML to PDF with headless Chromium.
#[derive(Debug, Clone)]
pub struct Printer {
    chromium: Option<PathBuf>,
    slots: Arc<Semaphore>,
}

impl Default for Printer {
    fn default() -> Printer {
        Printer::with(None)
    }
}

impl Printer {
    /// A printer using `chromium`, or none.
    pub fn with(chromium: Option<PathBuf>) -> Printer {
        Printer { chromium, slots: Arc::new(Semaphore::new(PRINTS_AT_ONCE)) }
    }

    /// The Chromium named, else the first found on the PATH.
    pub fn find(named: Option<PathBuf>) -> Printer {
        let found = named.or_else(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|n| dir.join(n)))
                .find(|p| p.is_file())
        });
        Printer::with(found)
    }

    pub fn available(&self) -> bool {
        self.chromium.is_some()
    }

    /// `html` (self-contained: its style sheet inline, no links it needs) as a PDF file.
    pub async fn pdf(&self, html: &str) -> Result<Vec<u8>, PrintError> {
        let chromium = self.chromium.as_deref().ok_or(PrintError::Unavailable)?;
        let _slot = self.slots.acquire().await.map_err(|e| PrintError::Failed(e.to_string()))?;
        let dir = tempfile::tempdir().map_err(|e| PrintError::Failed(e.to_string()))?;
        let page = dir.path().join("document.html");
        let out = dir.path().join("document.pdf");
        tokio::fs::write(&page, html).await.map_err(|e| PrintError::Failed(e.to_string()))?;
        let run = command(chromium, dir.path(), &page, &out).output();
        let output = tokio::time::timeout(PRINT_TIMEOUT, run)
            .await
            .map_err(|_| PrintError::Failed(format!("no PDF within {} s", PRINT_TIMEOUT.as_secs())))?
            .map_err(|e| PrintError::Failed(format!("{}: {e}", chromium.display())))?;
        match tokio::fs::read(&out).await {
            Ok(bytes) if bytes.starts_with(b"%PDF") => Ok(bytes),
            _ => Err(PrintError::Failed(format!(
                "{} gave no PDF ({}): {}",
                chromium.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("")
            ))),
        }
    }
}

fn command(chromium: &Path, profile: &Path, page: &Path, out: &Path) -> tokio::process::Command {
    let mut c = tokio::process::Command::new(chromium);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-pdf-header-footer",
    ])
    // Its own profile: prints running at once do not share (and lock) one.
    .arg(format!("--user-data-dir={}", profile.join("profile").display()))
    .arg(format!("--print-to-pdf={}", out.display()))
    .arg(format!("file://{}", page.display()))
    .stdin(std::process::Stdio::null())
    .kill_on_drop(true);
    c
}

//! 推送 to other departments: the worker that sends the outbox's webhook deliveries — each body
//! signed `X-Suiji-Signature: sha256=<HMAC-SHA256 of the body, hex>` with the receiver's secret
//! and keyed by `Idempotency-Key` — and the staff page with the receivers and the delivery log.
//! What is queued, and when it is retried, is the store's (`suiji_store::push`).

use crate::auth::Viewer;
use crate::error::{PageError, render};
use crate::lang::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use hmac::{KeyInit, Mac};
use suiji_store::push::{self, Attempt, Delivery, Receiver};
use suiji_store::{Store, StoreError};

/// How often the worker looks for deliveries due.
const EVERY: std::time::Duration = std::time::Duration::from_secs(15);

/// The most deliveries attempted in one round.
const ROUND: u64 = 100;

/// `sha256=` and the hex HMAC-SHA256 of `body` under `secret`: what a receiver recomputes.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A client for the webhooks: a short timeout, so one slow receiver does not hold the others.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .user_agent(concat!("suiji/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("a client with a timeout builds")
}

/// Attempts every delivery due at `now`; returns how many were attempted.
pub async fn deliver_due(
    store: &Store,
    client: &reqwest::Client,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let due = push::due(store, now, ROUND).await?;
    for d in &due {
        let sent = client
            .post(&d.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Suiji-Signature", signature(&d.secret, d.body.as_bytes()))
            .header("Idempotency-Key", &d.idempotency_key)
            .body(d.body.clone())
            .send()
            .await;
        let attempt = match sent {
            Ok(r) => {
                let status = r.status();
                let reply = r.text().await.unwrap_or_default();
                Attempt { delivered: status.is_success(), status: Some(status.as_u16()), reply }
            }
            Err(e) => Attempt {
                delivered: false,
                status: None,
                reply: format!("无法连接接收方 (not reached): {e}"),
            },
        };
        if !attempt.delivered {
            tracing::warn!(receiver = %d.receiver, status = ?attempt.status, "a push delivery failed; it will be retried");
        }
        push::record(store, d.delivery_id, Utc::now().max(now), &attempt).await?;
    }
    Ok(due.len())
}

/// Runs the worker for the server's life.
pub fn spawn_worker(store: Store) {
    tokio::spawn(async move {
        let client = client();
        loop {
            if let Err(e) = deliver_due(&store, &client, Utc::now()).await {
                tracing::error!(error = %e, "the push worker could not read its deliveries");
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}

#[derive(Template)]
#[template(path = "push.html")]
struct Page<'a> {
    lang: Lang,
    viewer: Option<&'a Viewer>,
    receivers: Vec<Receiver>,
    deliveries: Vec<Delivery>,
}

impl Page<'_> {
    fn time(&self, at: &DateTime<Utc>) -> String {
        crate::pages::china_time(*at)
    }

    /// An event's kind in the page's words.
    fn kind(&self, k: &str) -> &'static str {
        let (zh, en) = match k {
            "result.published" => ("检查结果公示", "result published"),
            "result.corrected" => ("检查结果更正", "result corrected"),
            "penalty.published" => ("行政处罚公示", "penalty notice"),
            "penalty.corrected" => ("处罚公示更正", "penalty notice corrected"),
            "list.entered" => ("列入公示名单", "listed"),
            "list.removed" => ("移出公示名单", "removed from a list"),
            "grade.changed" => ("诚信等级变化", "grade changed"),
            _ => ("其他", "other"),
        };
        self.lang.t(zh, en)
    }

    fn status(&self, s: &str) -> &'static str {
        match s {
            "delivered" => self.lang.t("已送达", "delivered"),
            "failed" => self.lang.t("24小时内未送达，已停止重试", "given up after 24 hours"),
            _ => self.lang.t("待发送（自动重试）", "pending (retried)"),
        }
    }
}

/// `GET /staff/push`: the receivers and the latest 200 deliveries.
pub async fn page(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Result<Response, PageError> {
    let receivers = push::receivers(&state.store).await.map_err(|e| PageError::internal(lang, e))?;
    let deliveries =
        push::deliveries(&state.store, None, 200).await.map_err(|e| PageError::internal(lang, e))?;
    Ok(render(lang, &Page { lang, viewer: Some(&viewer), receivers, deliveries }))
}

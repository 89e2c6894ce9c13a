//! 推送: every public event — a result published or corrected, a penalty notice, a list entry
//! or exit, a grade changed — goes into an outbox in the same transaction as the event, with a
//! delivery for each receiver that takes it. A webhook receiver is sent the event as JSON,
//! signed with its secret (the web service's worker does the sending, retrying for 24 hours);
//! a file receiver takes the day's events as `.xlsx` and `.json` (`suiji push export`). The
//! event's body is written once, at the event, so every retry sends the same bytes.

use crate::audit::{self, Actor};
use crate::entity::{push_delivery, push_event, push_receiver};
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The kinds of event pushed, as a receiver subscribes to them.
pub const EVENT_KINDS: [&str; 7] = [
    "result.published",
    "result.corrected",
    "penalty.published",
    "penalty.corrected",
    "list.entered",
    "list.removed",
    "grade.changed",
];

/// How long a delivery is retried before it is given up.
pub const RETRY_HOURS: i64 = 24;

/// The body of every delivery (docs/push-event.schema.json).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PushEvent {
    /// The idempotency key: the same event always has the same id.
    pub id: String,
    /// One of [`EVENT_KINDS`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The record it is about: `inspection/12`, `penalty/3`, `list-entry/2`, `target/<USCC>`.
    pub subject: String,
    pub occurred_at: DateTime<Utc>,
    /// The publishing bureau.
    pub bureau: String,
    /// What the portal published (the result, the notice, the entry, the grade).
    pub data: serde_json::Value,
}

/// A receiver, its secret left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Receiver {
    pub id: i64,
    pub name: String,
    /// `webhook` or `file`.
    pub kind: String,
    pub url: Option<String>,
    /// The kinds it takes; all when empty.
    pub events: Vec<String>,
    pub active: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// Why a receiver was refused.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<DbErr> for PushError {
    fn from(e: DbErr) -> Self {
        PushError::Store(StoreError::Db(e))
    }
}

fn receiver(m: push_receiver::Model) -> Receiver {
    Receiver {
        events: serde_json::from_str(&m.events).unwrap_or_default(),
        active: m.active,
        id: m.id,
        name: m.name,
        kind: m.kind,
        url: m.url,
        created_by: m.created_by,
        created_at: m.created_at,
    }
}

/// Adds a receiver: a webhook (`url` and `secret`, at least 16 bytes) or, without a URL, a file
/// receiver. `events` empty takes every kind.
pub async fn add_receiver(
    store: &Store,
    name: &str,
    url: Option<&str>,
    secret: &str,
    events: &[String],
    actor: &Actor,
) -> Result<Receiver, PushError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(PushError::Invalid(
            "a receiver's name is 1 to 100 characters on one line / 名称应为1至100个字".into(),
        ));
    }
    if let Some(url) = url {
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() <= 1000
            && !url.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            return Err(PushError::Invalid(format!(
                "{url:?} is not an http(s) address / 地址应以 http:// 或 https:// 开头"
            )));
        }
        // Kept exactly as given: the receiver signs with the same bytes.
        if secret.len() < 16 || secret.len() > 1000 || secret.trim() != secret {
            return Err(PushError::Invalid(
                "the secret is 16 to 1000 bytes without surrounding spaces / 密钥应为16至1000字节，首尾不含空白".into(),
            ));
        }
    }
    for e in events {
        if !EVENT_KINDS.contains(&e.as_str()) {
            return Err(PushError::Invalid(format!(
                "no event kind {e:?}: one of {}",
                EVENT_KINDS.join(", ")
            )));
        }
    }
    let txn = audit::begin(store).await?;
    if push_receiver::Entity::find().filter(push_receiver::Column::Name.eq(name)).one(&txn).await?.is_some() {
        return Err(PushError::Invalid(format!("a receiver named {name:?} exists / 已有同名接收方")));
    }
    let m = push_receiver::ActiveModel {
        name: Set(name.to_owned()),
        kind: Set(if url.is_some() { "webhook" } else { "file" }.to_owned()),
        url: Set(url.map(str::to_owned)),
        secret: Set(secret.to_owned()),
        events: Set(serde_json::to_string(events).expect("names serialise")),
        active: Set(true),
        created_by: Set(actor.name.clone()),
        created_at: Set(crate::clock::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // The secret is not logged.
    let change = json!({"name": name, "url": url, "events": events});
    audit::append(&txn, actor, "push.add", &format!("push-receiver/{}", m.id), change).await?;
    txn.commit().await.map_err(StoreError::Db)?;
    Ok(receiver(m))
}

pub async fn receivers(store: &Store) -> Result<Vec<Receiver>, StoreError> {
    let rows =
        push_receiver::Entity::find().order_by_asc(push_receiver::Column::Id).all(store.connection()).await?;
    Ok(rows.into_iter().map(receiver).collect())
}

/// Queues an event for every active receiver that takes it, in the caller's transaction.
pub(crate) async fn enqueue(
    txn: &impl ConnectionTrait,
    kind: &str,
    subject: &str,
    data: serde_json::Value,
) -> Result<(), DbErr> {
    debug_assert!(EVENT_KINDS.contains(&kind), "{kind}");
    let now = crate::clock::now();
    let bureau = crate::settings::load_in(txn).await?.bureau_name;
    let e = push_event::ActiveModel {
        kind: Set(kind.to_owned()),
        subject: Set(subject.to_owned()),
        payload: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let event = PushEvent {
        id: format!("suiji-{}", e.id),
        kind: kind.to_owned(),
        subject: subject.to_owned(),
        occurred_at: now,
        bureau,
        data,
    };
    let mut a: push_event::ActiveModel = e.clone().into();
    a.payload = Set(serde_json::to_string(&event).expect("an event serialises"));
    a.update(txn).await?;
    for r in push_receiver::Entity::find().filter(push_receiver::Column::Active.eq(true)).all(txn).await? {
        let events: Vec<String> = serde_json::from_str(&r.events).unwrap_or_default();
        if r.kind != "webhook" || !(events.is_empty() || events.iter().any(|k| k == kind)) {
            continue;
        }
        push_delivery::ActiveModel {
            event_id: Set(e.id),
            receiver_id: Set(r.id),
            status: Set("pending".into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// A delivery as its log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Delivery {
    pub id: i64,
    pub event_id: i64,
    pub event_kind: String,
    pub subject: String,
    pub receiver: String,
    /// `pending`, `delivered` or `failed` (given up after 24 hours).
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The receiver's HTTP status, and the start of its reply (or why it could not be reached).
    pub last_status: Option<i64>,
    pub last_reply: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// The latest deliveries (of one receiver, by name), newest first.
pub async fn deliveries(
    store: &Store,
    receiver_name: Option<&str>,
    limit: u64,
) -> Result<Vec<Delivery>, StoreError> {
    let db = store.connection();
    let receivers: Vec<push_receiver::Model> = push_receiver::Entity::find().all(db).await?;
    let mut q = push_delivery::Entity::find().order_by_desc(push_delivery::Column::Id).limit(limit);
    if let Some(name) = receiver_name {
        let id = receivers.iter().find(|r| r.name == name).map_or(-1, |r| r.id);
        q = q.filter(push_delivery::Column::ReceiverId.eq(id));
    }
    let mut out = Vec::new();
    for d in q.all(db).await? {
        let e = push_event::Entity::find_by_id(d.event_id).one(db).await?;
        out.push(Delivery {
            event_kind: e.as_ref().map(|e| e.kind.clone()).unwrap_or_default(),
            subject: e.map(|e| e.subject).unwrap_or_default(),
            receiver: receivers
                .iter()
                .find(|r| r.id == d.receiver_id)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            next_attempt_at: (d.status == "pending").then_some(d.next_attempt_at),
            id: d.id,
            event_id: d.event_id,
            status: d.status,
            attempts: d.attempts,
            last_attempt_at: d.last_attempt_at,
            last_status: d.last_status,
            last_reply: d.last_reply,
            delivered_at: d.delivered_at,
        });
    }
    Ok(out)
}

/// A delivery to attempt now: where, with which secret, and the body.
#[derive(Debug, Clone)]
pub struct Due {
    pub delivery_id: i64,
    pub receiver: String,
    pub url: String,
    pub secret: String,
    pub idempotency_key: String,
    pub body: String,
}

/// The pending deliveries whose time has come (`now`), oldest first.
pub async fn due(store: &Store, now: DateTime<Utc>, limit: u64) -> Result<Vec<Due>, StoreError> {
    let db = store.connection();
    let rows = push_delivery::Entity::find()
        .filter(push_delivery::Column::Status.eq("pending"))
        .filter(push_delivery::Column::NextAttemptAt.lte(now))
        .order_by_asc(push_delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for d in rows {
        let (Some(e), Some(r)) = (
            push_event::Entity::find_by_id(d.event_id).one(db).await?,
            push_receiver::Entity::find_by_id(d.receiver_id).one(db).await?,
        ) else {
            continue;
        };
        let Some(url) = r.url else { continue };
        out.push(Due {
            delivery_id: d.id,
            receiver: r.name,
            url,
            secret: r.secret,
            idempotency_key: format!("suiji-{}", e.id),
            body: e.payload,
        });
    }
    Ok(out)
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The receiver answered 2xx.
    pub delivered: bool,
    pub status: Option<u16>,
    /// The start of its reply, or why it could not be reached.
    pub reply: String,
}

/// Records an attempt made at `now`: delivered (an audit entry), or retried after 1, 2, 4…
/// minutes (at most two hours apart) until 24 hours after the event, then given up.
pub async fn record(
    store: &Store,
    delivery_id: i64,
    now: DateTime<Utc>,
    attempt: &Attempt,
) -> Result<(), StoreError> {
    let txn = audit::begin(store).await?;
    let Some(d) = push_delivery::Entity::find_by_id(delivery_id).one(&txn).await? else { return Ok(()) };
    let event = push_event::Entity::find_by_id(d.event_id).one(&txn).await?;
    let receiver = push_receiver::Entity::find_by_id(d.receiver_id).one(&txn).await?;
    let attempts = d.attempts + 1;
    let reply: String = attempt.reply.chars().take(500).collect();
    let mut a: push_delivery::ActiveModel = d.clone().into();
    a.attempts = Set(attempts);
    a.last_attempt_at = Set(Some(now));
    a.last_status = Set(attempt.status.map(i64::from));
    a.last_reply = Set(Some(reply.clone()));
    if attempt.delivered {
        a.status = Set("delivered".into());
        a.delivered_at = Set(Some(now));
    } else {
        let wait = Duration::minutes(1 << (attempts - 1).clamp(0, 7)).min(Duration::hours(2));
        let created = event.as_ref().map_or(now, |e| e.created_at);
        if now + wait > created + Duration::hours(RETRY_HOURS) {
            a.status = Set("failed".into());
        } else {
            a.next_attempt_at = Set(now + wait);
        }
    }
    a.update(&txn).await?;
    if attempt.delivered {
        let change = json!({
            "event": event.as_ref().map(|e| format!("suiji-{}", e.id)),
            "kind": event.as_ref().map(|e| e.kind.clone()),
            "receiver": receiver.map(|r| r.name),
            "attempts": attempts,
            "status": attempt.status,
        });
        let actor = Actor::system("push");
        audit::append(&txn, &actor, "push.deliver", &format!("push-delivery/{delivery_id}"), change).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The events of the days from `since` (China's dates) on, oldest first: what a file receiver
/// takes.
pub async fn events_since(store: &Store, since: NaiveDate) -> Result<Vec<PushEvent>, StoreError> {
    let start = audit::china_midnight(since);
    let rows = push_event::Entity::find()
        .filter(push_event::Column::CreatedAt.gte(start))
        .order_by_asc(push_event::Column::Id)
        .all(store.connection())
        .await?;
    Ok(rows.into_iter().filter_map(|e| serde_json::from_str(&e.payload).ok()).collect())
}

//! Inspectors' training and certificates in the store: training records kept on an inspector's
//! record (each an audit entry), the latest training of each inspector for the bureau's
//! requirement when teams are drawn, and the certificates about to lapse.

use crate::Store;
use crate::audit::records::{self, Touched};
use crate::audit::{self, Actor};
use crate::entity::training;
use crate::workflow::{WorkflowError, china_today};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Func, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use suiji_domain::training::Training;

/// A training record as pages and the API show it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TrainingView {
    pub id: i64,
    pub cert_no: String,
    #[serde(flatten)]
    pub training: Training,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

fn view(m: training::Model) -> TrainingView {
    TrainingView {
        id: m.id,
        cert_no: m.cert_no,
        training: Training {
            course: m.course,
            held_on: m.held_on,
            hours: u32::try_from(m.hours).unwrap_or(0),
            provider: m.provider,
        },
        created_by: m.created_by,
        created_at: m.created_at,
    }
}

/// An inspector's training, newest first.
pub async fn of_inspector(store: &Store, cert_no: &str) -> Result<Vec<TrainingView>, WorkflowError> {
    let rows = training::Entity::find()
        .filter(training::Column::CertNo.eq(cert_no))
        .order_by_desc(training::Column::HeldOn)
        .order_by_desc(training::Column::Id)
        .all(store.connection())
        .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// Records a course `cert_no` took.
pub async fn add(
    store: &Store,
    cert_no: &str,
    t: &Training,
    actor: &Actor,
) -> Result<TrainingView, WorkflowError> {
    let problems = t.check(china_today());
    if !problems.is_empty() {
        return Err(WorkflowError::Invalid(problems));
    }
    // Inspectors are retired, never removed: one found now is there when the record is written.
    let known = crate::directory::find::<suiji_domain::directory::Inspector>(store, cert_no).await?;
    let Some((_, inspector)) = known else {
        return Err(WorkflowError::NotFound {
            zh: format!("执法检查人员名录库中没有证号 {cert_no}"),
            en: format!("no inspector with certificate {cert_no}"),
        });
    };
    let txn = audit::begin(store).await?;
    let m = training::ActiveModel {
        cert_no: Set(inspector.cert_no.clone()),
        course: Set(suiji_domain::text::trim(&t.course).to_owned()),
        held_on: Set(t.held_on),
        hours: Set(i64::from(t.hours)),
        provider: Set(suiji_domain::text::trim(&t.provider).to_owned()),
        created_by: Set(actor.name.clone()),
        created_at: Set(crate::clock::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::append_touching(
        &txn,
        actor,
        "training.add",
        &format!("inspectors/{}", inspector.cert_no),
        json!({"training": t}),
        &[Touched::one(&records::TRAININGS, m.id)],
    )
    .await?;
    txn.commit().await?;
    Ok(view(m))
}

/// Each of `cert_nos`' latest training day (those never trained are absent).
pub(crate) async fn latest(
    db: &impl ConnectionTrait,
    cert_nos: &[String],
) -> Result<HashMap<String, NaiveDate>, WorkflowError> {
    let mut out = HashMap::new();
    for chunk in cert_nos.chunks(500) {
        let mut q = Query::select();
        q.column(Alias::new("cert_no"))
            .expr_as(Func::max(Expr::col(Alias::new("held_on"))), Alias::new("latest"))
            .from(Alias::new("trainings"))
            .and_where(Expr::col(Alias::new("cert_no")).is_in(chunk.iter().map(String::as_str)))
            .group_by_col(Alias::new("cert_no"));
        for row in db.query_all(db.get_database_backend().build(&q)).await? {
            out.insert(row.try_get::<String>("", "cert_no")?, row.try_get::<NaiveDate>("", "latest")?);
        }
    }
    Ok(out)
}

/// An inspector in post whose certificate lapses soon.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Lapsing {
    pub cert_no: String,
    pub name: String,
    pub department: String,
    pub valid_until: NaiveDate,
}

/// Inspectors in post whose certificates lapse within `days` of today (China's date), soonest
/// first.
pub async fn lapsing_certificates(store: &Store, days: i64) -> Result<Vec<Lapsing>, WorkflowError> {
    let today = china_today();
    let until = today + chrono::Duration::days(days);
    let mut q = Query::select();
    q.columns(["cert_no", "name", "department", "cert_valid_until"].map(Alias::new))
        .from(Alias::new("inspectors"))
        .and_where(Expr::col(Alias::new("status")).eq("active"))
        .and_where(Expr::col(Alias::new("cert_valid_until")).gte(today))
        .and_where(Expr::col(Alias::new("cert_valid_until")).lte(until))
        .order_by(Alias::new("cert_valid_until"), sea_orm::sea_query::Order::Asc)
        .limit(200);
    let db = store.connection();
    let mut out = Vec::new();
    for row in db.query_all(db.get_database_backend().build(&q)).await? {
        out.push(Lapsing {
            cert_no: row.try_get("", "cert_no")?,
            name: row.try_get("", "name")?,
            department: row.try_get("", "department")?,
            valid_until: row.try_get("", "cert_valid_until")?,
        });
    }
    Ok(out)
}

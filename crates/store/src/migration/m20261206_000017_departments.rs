//! Departments become an organisation tree whose root is the bureau itself: each with its kind
//! (牵头科室, 业务科室, 执法机构, 直属单位), the department above it, and whether it is in use. Until
//! now a department was a label typed wherever it was needed (an inspector's 单位, an account's,
//! a plan's, a task's departments, an item's 抽查主体), and the `departments` table made by the
//! first migration was never used. It is made again, and every label in use becomes a
//! department under the root, with its name unchanged: nothing that names one changes. The
//! bureau's administrator then sets each one's kind and place (each change logged).

use super::m20261123_000001_directories::{id, int_null, table, text, text_null, time, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use std::collections::BTreeSet;

pub struct Migration;

/// This migration's name: the store covers the departments it makes with an audit entry.
pub const NAME: &str = "m20261206_000017_departments";

impl MigrationName for Migration {
    fn name(&self) -> &str {
        NAME
    }
}

/// Distinct non-empty values of one text column.
async fn labels(db: &impl ConnectionTrait, sql: &str) -> Result<Vec<String>, DbErr> {
    let rows = db.query_all(Statement::from_string(db.get_database_backend(), sql)).await?;
    let mut out = Vec::new();
    for row in rows {
        let value: Option<String> = row.try_get_by_index(0)?;
        if let Some(v) = value.map(|v| suiji_domain::text::trim(&v).to_owned())
            && !v.is_empty()
        {
            out.push(v);
        }
    }
    Ok(out)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("departments")).to_owned()).await?;
        m.create_table(table(
            "departments",
            vec![
                id(),
                // The department above; none for the bureau itself.
                int_null("parent_id"),
                text("name"),
                // bureau, lead, business, enforcement, affiliated
                text("kind"),
                // active, inactive
                text("status"),
                time("created_at"),
                text("created_by"),
                time("updated_at"),
                text("updated_by"),
                text_null("note"),
            ],
        ))
        .await?;
        m.create_index(unique_index("departments", "departments_name", &["name"])).await?;

        let db = m.get_connection();
        let bureau = labels(db, "SELECT value FROM settings WHERE name = 'bureau_name'")
            .await?
            .into_iter()
            .next()
            .unwrap_or_else(|| suiji_domain::settings::UNNAMED_BUREAU.to_owned());
        let mut found = BTreeSet::new();
        for sql in [
            "SELECT DISTINCT department FROM inspectors",
            "SELECT DISTINCT department FROM users",
            "SELECT DISTINCT department FROM plans",
            "SELECT DISTINCT subject FROM items",
        ] {
            found.extend(labels(db, sql).await?);
        }
        for definition in labels(db, "SELECT definition FROM tasks").await? {
            let value: serde_json::Value = serde_json::from_str(&definition).unwrap_or_default();
            for d in value["departments"].as_array().into_iter().flatten().filter_map(|d| d.as_str()) {
                let d = suiji_domain::text::trim(d);
                if !d.is_empty() {
                    found.insert(d.to_owned());
                }
            }
        }
        found.remove(&bureau);
        let now = chrono::Utc::now();
        let insert = |parent: Option<i64>, name: &str, kind: &str| {
            let mut q = Query::insert();
            q.into_table(Alias::new("departments"))
                .columns(
                    [
                        "parent_id",
                        "name",
                        "kind",
                        "status",
                        "created_at",
                        "created_by",
                        "updated_at",
                        "updated_by",
                    ]
                    .map(Alias::new),
                )
                .values_panic([
                    parent.into(),
                    name.into(),
                    kind.into(),
                    "active".into(),
                    now.into(),
                    "suiji".into(),
                    now.into(),
                    "suiji".into(),
                ]);
            q
        };
        m.exec_stmt(insert(None, &bureau, "bureau")).await?;
        let root: i64 = db
            .query_one(Statement::from_string(
                db.get_database_backend(),
                "SELECT id FROM departments WHERE kind = 'bureau'",
            ))
            .await?
            .ok_or_else(|| DbErr::Migration("the bureau's department was not made".into()))?
            .try_get_by_index(0)?;
        for name in &found {
            m.exec_stmt(insert(Some(root), name, "business")).await?;
        }
        Ok(())
    }
}

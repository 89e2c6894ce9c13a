//! 一单两库, recusals, their history, import batches, departments, users, calendar years.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_directories"
    }
}

pub(super) fn id() -> ColumnDef {
    ColumnDef::new(Alias::new("id")).big_integer().not_null().auto_increment().primary_key().to_owned()
}

pub(super) fn text(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).string().not_null().to_owned()
}

pub(super) fn text_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).string().null().to_owned()
}

pub(super) fn int_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).big_integer().null().to_owned()
}

pub(super) fn int(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).big_integer().not_null().to_owned()
}

pub(super) fn time(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().not_null().to_owned()
}

/// A directory's table: its id, its own columns, then what every record carries — when it
/// was added and last changed, who added it, and in which import.
fn list_table(name: &str, mut columns: Vec<ColumnDef>) -> TableCreateStatement {
    columns.insert(0, id());
    columns.extend([time("created_at"), time("updated_at"), text("created_by"), int_null("created_batch")]);
    table(name, columns)
}

pub(super) fn table(name: &str, columns: Vec<ColumnDef>) -> TableCreateStatement {
    let mut t = Table::create().table(Alias::new(name)).to_owned();
    for mut c in columns {
        t.col(&mut c);
    }
    t
}

pub(super) fn unique_index(table: &str, name: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut i = Index::create().name(name).table(Alias::new(table)).unique().to_owned();
    for c in columns {
        i.col(Alias::new(*c));
    }
    i
}

pub(super) fn index(table: &str, name: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut i = Index::create().name(name).table(Alias::new(table)).to_owned();
    for c in columns {
        i.col(Alias::new(*c));
    }
    i
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            list_table(
                "targets",
                vec![
                    text("uscc"),
                    text("name"),
                    text("kind"),
                    text_null("scale"),
                    text_null("industry"),
                    text_null("region"),
                    text("address"),
                    text("legal_rep"),
                    int_null("employees"),
                    text_null("credit_grade"),
                    text_null("risk_class"),
                    text("status"),
                ],
            ),
            list_table(
                "inspectors",
                vec![
                    text("cert_no"),
                    text("name"),
                    text_null("gender"),
                    text("department"),
                    text("position"),
                    ColumnDef::new(Alias::new("cert_valid_until")).date().null().to_owned(),
                    text("expertise"),
                    text_null("region"),
                    text("status"),
                ],
            ),
            list_table(
                "items",
                vec![
                    text("code"),
                    text("name"),
                    text("category"),
                    text("subject"),
                    text("basis"),
                    text("content"),
                    text("methods"),
                    int_null("min_ratio_bp"),
                    text("status"),
                ],
            ),
            list_table("recusals", vec![text("cert_no"), text("uscc"), text("reason"), text("status")]),
            table(
                "record_changes",
                vec![
                    id(),
                    text("list"),
                    text("record_key"),
                    text("field"),
                    text_null("old_value"),
                    text_null("new_value"),
                    text("actor"),
                    time("at"),
                    int_null("batch_id"),
                ],
            ),
            table(
                "import_batches",
                vec![
                    id(),
                    text("list"),
                    text("file_name"),
                    text("file_sha256"),
                    text("actor"),
                    time("at"),
                    int("rows"),
                    int("added"),
                    int("changed"),
                    int("unchanged"),
                    int("retired"),
                ],
            ),
            table(
                "calendar_days",
                vec![
                    ColumnDef::new(Alias::new("date")).date().not_null().primary_key().to_owned(),
                    text("kind"),
                    text("name"),
                    text("source"),
                    text("actor"),
                    time("imported_at"),
                ],
            ),
            table("departments", vec![id(), text("name"), text("status"), time("created_at")]),
            // A placeholder, made again by the accounts migration.
            table("users", vec![id(), text("username")]),
        ];
        for t in tables {
            m.create_table(t).await?;
        }
        for i in [
            unique_index("targets", "targets_uscc", &["uscc"]),
            unique_index("inspectors", "inspectors_cert_no", &["cert_no"]),
            unique_index("items", "items_code", &["code"]),
            unique_index("recusals", "recusals_pair", &["cert_no", "uscc"]),
            index("record_changes", "record_changes_record", &["list", "record_key"]),
            unique_index("departments", "departments_name", &["name"]),
            unique_index("users", "users_username", &["username"]),
        ] {
            m.create_index(i).await?;
        }
        Ok(())
    }
}

//! The bureau's settings, read on every request that depends on them (so several `suiji serve`
//! on one database agree at once) and changed only through [`set`], which records the change.

use crate::audit::{self, Actor};
use crate::entity::setting;
use crate::{Store, StoreError};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::json;
use suiji_domain::settings::{SettingError, Settings};

#[derive(Debug, thiserror::Error)]
pub enum SetError {
    #[error(transparent)]
    Invalid(#[from] SettingError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for SetError {
    fn from(e: sea_orm::DbErr) -> SetError {
        SetError::Store(e.into())
    }
}

/// The settings in force: the defaults, with what the bureau changed.
pub async fn load(store: &Store) -> Result<Settings, StoreError> {
    Ok(load_in(store.connection()).await?)
}

/// The settings in force as `db` (a transaction, say) sees them.
pub async fn load_in(db: &impl sea_orm::ConnectionTrait) -> Result<Settings, sea_orm::DbErr> {
    let mut settings = Settings::default();
    for row in setting::Entity::find().all(db).await? {
        // A row no longer understood (a setting withdrawn in a later version) is ignored: the
        // default stands, and it stays in the table and the audit log as history.
        let _ = settings.set(&row.name, &row.value);
    }
    Ok(settings)
}

/// Changes settings — `(name, value as typed)` pairs — all or none: every value is checked
/// before anything is written, and each change has its audit entry in the same transaction.
/// Returns the settings now in force.
pub async fn set(store: &Store, changes: &[(String, String)], actor: &Actor) -> Result<Settings, SetError> {
    let before = load(store).await?;
    let mut settings = before.clone();
    let mut checked = Vec::with_capacity(changes.len());
    for (name, value) in changes {
        checked.push(settings.set(name, value)?);
    }
    let txn = audit::begin(store).await?;
    for (setting, value) in checked {
        let row = setting::ActiveModel {
            name: Set(setting.name().to_owned()),
            value: Set(value.clone()),
            changed_at: Set(chrono::Utc::now()),
            changed_by: Set(actor.name.clone()),
        };
        setting::Entity::insert(row)
            .on_conflict(
                OnConflict::column(setting::Column::Name)
                    .update_columns([
                        setting::Column::Value,
                        setting::Column::ChangedAt,
                        setting::Column::ChangedBy,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
        let change = json!({ "setting": setting.name(), "old": before.value(setting), "new": value });
        audit::append(&txn, actor, "setting.set", &format!("settings/{}", setting.name()), change).await?;
    }
    txn.commit().await?;
    Ok(settings)
}

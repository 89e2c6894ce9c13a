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
    Ok(settings_of(&setting::Entity::find().all(db).await?))
}

/// The defaults, with what the rows changed.
fn settings_of(rows: &[setting::Model]) -> Settings {
    let mut settings = Settings::default();
    for row in rows {
        // A row no longer understood (a setting withdrawn in a later version) is ignored: the
        // default stands, and it stays in the table and the audit log as history.
        let _ = settings.set(&row.name, &row.value);
    }
    settings
}

/// Changes settings — `(name, value as typed)` pairs — all or none: every value is checked
/// before anything is written, and each change has its audit entry in the same transaction.
/// Returns the settings now in force.
pub async fn set(store: &Store, changes: &[(String, String)], actor: &Actor) -> Result<Settings, SetError> {
    let txn = audit::begin(store).await?;
    let settings = set_in(&txn, changes, actor).await?;
    txn.commit().await?;
    Ok(settings)
}

/// [`set`], inside a change's transaction (from [`audit::begin`]).
pub(crate) async fn set_in(
    txn: &sea_orm::DatabaseTransaction,
    changes: &[(String, String)],
    actor: &Actor,
) -> Result<Settings, SetError> {
    let before = load_in(txn).await?;
    let mut settings = before.clone();
    let mut checked = Vec::with_capacity(changes.len());
    for (name, value) in changes {
        checked.push(settings.set(name, value)?);
    }
    for (setting, value) in checked {
        let row = setting::ActiveModel {
            name: Set(setting.name().to_owned()),
            value: Set(value.clone()),
            changed_at: Set(crate::clock::now()),
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
            .exec(txn)
            .await?;
        let change = json!({ "setting": setting.name(), "old": before.value(setting), "new": value });
        audit::append(txn, actor, "setting.set", &format!("settings/{}", setting.name()), change).await?;
    }
    if settings.bureau_name != before.bureau_name {
        rename_root(txn, &settings.bureau_name, actor).await?;
    }
    Ok(settings)
}

/// The bureau's name is its organisation tree's root: renamed with the setting.
async fn rename_root(txn: &sea_orm::DatabaseTransaction, name: &str, actor: &Actor) -> Result<(), SetError> {
    use crate::entity::department;
    use sea_orm::{ActiveModelTrait, ColumnTrait, QueryFilter};
    let Some(root) =
        department::Entity::find().filter(department::Column::Kind.eq("bureau")).one(txn).await?
    else {
        return Ok(());
    };
    if root.name == name {
        return Ok(());
    }
    let taken = department::Entity::find().filter(department::Column::Name.eq(name)).one(txn).await?;
    if taken.is_some() {
        return Err(SettingError::NameTaken { setting: "bureau_name", name: name.to_owned() }.into());
    }
    let (id, old) = (root.id, root.name.clone());
    let mut a: department::ActiveModel = root.into();
    a.name = Set(name.to_owned());
    a.updated_at = Set(crate::clock::now());
    a.updated_by = Set(actor.name.clone());
    a.update(txn).await?;
    // The bureau's row mirrors this setting: no record of its own (see records::DEPARTMENTS).
    let change = json!({"before": {"name": old}, "after": {"name": name}, "reason": "bureau_name"});
    audit::append(txn, actor, "department.update", &format!("department/{id}"), change).await?;
    Ok(())
}

/// One of the bureau's rules as its public page (抽查工作细则) lists it.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct RuleInForce {
    /// The setting's code name (`publication_workdays`).
    pub setting: String,
    pub zh: String,
    pub en: String,
    /// The value in force, as stored (`20`, `5%`).
    pub value: String,
    /// The default the seeds give.
    pub default: String,
    /// When the value in force took effect; none while it is the default.
    pub since: Option<chrono::DateTime<chrono::Utc>>,
}

/// The bureau's rules in force, each with the day it took effect.
pub async fn rules_in_force(store: &Store) -> Result<Vec<RuleInForce>, StoreError> {
    use suiji_domain::settings::Setting;
    let rows = setting::Entity::find().all(store.connection()).await.map_err(StoreError::Db)?;
    let now = settings_of(&rows);
    let defaults = Settings::default();
    Ok(Setting::RULES
        .iter()
        .map(|&s| {
            let value = now.value(s);
            let default = defaults.value(s);
            let since =
                rows.iter().find(|r| r.name == s.name()).filter(|_| value != default).map(|r| r.changed_at);
            RuleInForce {
                setting: s.name().to_owned(),
                zh: s.zh().to_owned(),
                en: s.en().to_owned(),
                value,
                default,
                since,
            }
        })
        .collect())
}

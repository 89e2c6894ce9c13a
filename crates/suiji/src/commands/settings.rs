//! `suiji setting`: the bureau's settings, from the server's shell.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::SettingCommand;
use std::io::Write;
use suiji_domain::settings::{Setting, Settings};
use suiji_store::settings::{self, SetError};

/// A setting's range as typed (`5%–100%`, `1–20`), or `-` for one that is not a number.
fn range(setting: Setting) -> String {
    match setting.range() {
        Some((min, max)) if setting.is_ratio() => {
            format!("{}–{}", suiji_domain::directory::percent(min), suiji_domain::directory::percent(max))
        }
        Some((min, max)) => format!("{min}–{max}"),
        None => "-".to_owned(),
    }
}

pub fn run(command: &SettingCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let (db, change) = match command {
        SettingCommand::List { db } | SettingCommand::Show { db, .. } => (db, None),
        SettingCommand::Set { name, value, db, actor } => {
            (db, Some(([(name.clone(), value.clone())], actor)))
        }
    };
    let now = runtime()?.block_on(async {
        let store = open_store(&db.db).await?;
        match change {
            None => settings::load(&store).await.map_err(|e| Failure::Input(e.to_string())),
            Some((change, who)) => settings::set(&store, &change, &who.actor()).await.map_err(|e| match e {
                SetError::Invalid(e) => Failure::Input(e.to_string()),
                SetError::Store(e) => Failure::Input(e.to_string()),
            }),
        }
    })?;
    match command {
        SettingCommand::List { .. } => {
            let defaults = Settings::default();
            for setting in Setting::ALL {
                crate::output_line(
                    stdout,
                    format!(
                        "{}\t{}\t{}\t{}\t{}",
                        setting.name(),
                        now.value(setting),
                        defaults.value(setting),
                        range(setting),
                        setting.zh()
                    ),
                )?;
            }
        }
        SettingCommand::Show { name: Some(name), .. } => {
            let setting = Setting::from_name(name).ok_or_else(|| {
                Failure::Input(suiji_domain::settings::SettingError::Unknown(name.clone()).to_string())
            })?;
            crate::output_line(stdout, now.value(setting))?;
        }
        _ => {
            for setting in Setting::ALL {
                crate::output_line(
                    stdout,
                    format!("{}\t{}\t{}", setting.name(), now.value(setting), setting.zh()),
                )?;
            }
        }
    }
    Ok(())
}

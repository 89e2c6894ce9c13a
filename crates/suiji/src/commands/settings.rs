//! `suiji setting`: the bureau's settings, from the server's shell.

use super::{open_store, runtime};
use crate::Failure;
use crate::cli::SettingCommand;
use std::io::Write;
use suiji_domain::settings::Setting;
use suiji_store::settings::{self, SetError};

pub fn run(command: &SettingCommand, stdout: &mut dyn Write) -> Result<(), Failure> {
    let (db, change) = match command {
        SettingCommand::Show { db } => (db, None),
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
    for setting in Setting::ALL {
        crate::output_line(stdout, format!("{}\t{}\t{}", setting.name(), now.value(setting), setting.zh()))?;
    }
    Ok(())
}

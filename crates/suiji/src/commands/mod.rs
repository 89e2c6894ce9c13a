//! One module per subcommand: read the inputs, call the engine, write the document.

pub mod accounts;
pub mod assign;
pub mod audit;
pub mod calendar;
pub mod credit;
pub mod department;
pub mod directory;
pub mod draw;
pub mod lead;
pub mod lists;
pub mod penalty;
pub mod plan;
pub mod push;
pub mod rectification;
pub mod report;
pub mod serve;
pub mod settings;
pub mod stats;
pub mod target;
pub mod task;
pub mod training;
pub mod verify;

use crate::Failure;
use std::collections::BTreeMap;

/// `NAME=N` pairs as a map; a name given twice is an error.
fn pairs_to_map<N: Copy>(flag: &str, pairs: &[(String, N)]) -> Result<BTreeMap<String, N>, Failure> {
    let mut map = BTreeMap::new();
    for (name, n) in pairs {
        if map.insert(name.clone(), *n).is_some() {
            return Err(Failure::Input(format!("{flag} {name:?} is given twice")));
        }
    }
    Ok(map)
}

/// A runtime for the commands that use the store.
fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Input(format!("cannot start: {e}")))
}

/// Opens (creating and migrating if need be) the store at `url`.
async fn open_store(url: &str) -> Result<suiji_store::Store, Failure> {
    suiji_store::Store::open(url).await.map_err(|e| Failure::Input(e.to_string()))
}

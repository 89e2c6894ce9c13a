//! One module per subcommand: read the inputs, call the engine, write the document.

pub mod assign;
pub mod draw;
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

//! The JSON documents `suiji` writes and reads back: draws and assignments.

use super::{InputError, TextFile};
use serde::de::DeserializeOwned;

/// Parses `file` as the JSON document `kind` (for messages, e.g. "suiji-draw/1").
pub fn parse<T: DeserializeOwned>(file: &TextFile, kind: &str) -> Result<T, InputError> {
    serde_json::from_str(file.text())
        .map_err(|e| InputError::file(&file.name, format!("not a {kind} document: {e}")))
}

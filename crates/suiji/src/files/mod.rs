//! Reading the files a user hands to `suiji`: CSV tables and JSON documents. Every failure names
//! the file, the row (as a spreadsheet numbers it: the header is row 1) and the reason.

pub mod documents;
pub mod pool;
pub mod population;
pub mod table;

use std::fmt;
use std::path::Path;

/// What went wrong in an input file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    pub row: Option<u64>,
    pub column: Option<String>,
    pub reason: String,
}

impl InputError {
    pub fn file(file: &str, reason: impl Into<String>) -> Self {
        InputError { file: file.to_owned(), row: None, column: None, reason: reason.into() }
    }

    pub fn row(file: &str, row: u64, column: Option<&str>, reason: impl Into<String>) -> Self {
        InputError {
            file: file.to_owned(),
            row: Some(row),
            column: column.map(str::to_owned),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(row) = self.row {
            write!(f, ": row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for InputError {}

/// A whole input file, read and checked to be UTF-8, without its byte-order mark.
pub struct TextFile {
    pub name: String,
    pub text: String,
}

impl TextFile {
    pub fn read(path: &Path) -> Result<TextFile, InputError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| InputError::file(&name, format!("cannot read: {e}")))?;
        TextFile::from_bytes(name, bytes)
    }

    pub fn from_bytes(name: String, mut bytes: Vec<u8>) -> Result<TextFile, InputError> {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(TextFile { name, text }),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let row = 1 + memchr::memchr_iter(b'\n', &bytes[..valid]).count() as u64;
                Err(InputError::row(&name, row, None, "not valid UTF-8 (save the file as UTF-8)"))
            }
        }
    }
}

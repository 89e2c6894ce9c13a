//! The lists as bureaus keep them: spreadsheets. Reads CSV (UTF-8 with or without a BOM, or
//! GB18030/GBK as Excel writes it on Chinese Windows, told apart by themselves) and `.xlsx`
//! into numbered rows; writes CSV (UTF-8 with a BOM, so that Excel shows the Chinese) and
//! `.xlsx` with every cell as text (so that codes like `410307` stay codes).

#![forbid(unsafe_code)]

pub mod formula;
mod read;
mod write;

pub use read::{Encoding, Limits, ReadError, Rows, read, read_csv, read_limited, read_xlsx};
pub use write::{Format, WriteError, write};

/// A file's kind, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Xlsx,
}

impl Kind {
    /// `.csv` or `.xlsx` (any case); `None` for anything else.
    pub fn of(name: &str) -> Option<Kind> {
        let lower = name.to_lowercase();
        if lower.ends_with(".csv") {
            Some(Kind::Csv)
        } else if lower.ends_with(".xlsx") {
            Some(Kind::Xlsx)
        } else {
            None
        }
    }
}

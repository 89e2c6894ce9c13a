//! Reading the files a user hands to `suiji`: CSV tables and JSON documents. Every failure names
//! the file, the row (as a spreadsheet numbers it: the header is row 1) and the reason.

pub mod documents;
pub mod pool;
pub mod population;
pub mod signing_key;
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

/// A whole input file, checked to be UTF-8, without its byte-order mark.
///
/// Large files are memory-mapped rather than read: the text is then the page cache itself, and
/// a ten-million-row population is parsed without copying it. Like other tools that map their
/// inputs, suiji expects a file not to be changed while it reads it.
pub struct TextFile {
    pub name: String,
    bytes: Bytes,
    /// Length of the byte-order mark skipped at the start (0 or 3).
    bom: usize,
}

enum Bytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl TextFile {
    pub fn read(path: &Path) -> Result<TextFile, InputError> {
        let name = path.display().to_string();
        let cannot = |e: std::io::Error| InputError::file(&name, format!("cannot read: {e}"));
        let file = std::fs::File::open(path).map_err(cannot)?;
        let meta = file.metadata().map_err(cannot)?;
        let bytes = if meta.is_file() && meta.len() >= MAP_AT_LEAST {
            Bytes::Mapped(mapped::map(&file).map_err(cannot)?)
        } else {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut &file, &mut bytes).map_err(cannot)?;
            Bytes::Read(bytes)
        };
        TextFile::new(name, bytes)
    }

    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Result<TextFile, InputError> {
        TextFile::new(name, Bytes::Read(bytes))
    }

    fn new(name: String, bytes: Bytes) -> Result<TextFile, InputError> {
        let all = match &bytes {
            Bytes::Mapped(m) => &m[..],
            Bytes::Read(v) => &v[..],
        };
        let bom = if all.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        if simdutf8::basic::from_utf8(&all[bom..]).is_err() {
            // The fast check says only "no"; the standard one says where.
            let valid = std::str::from_utf8(&all[bom..]).map_or_else(|e| e.valid_up_to(), |s| s.len());
            let row = 1 + memchr::memchr_iter(b'\n', &all[bom..bom + valid]).count() as u64;
            return Err(InputError::row(&name, row, None, "not valid UTF-8 (save the file as UTF-8)"));
        }
        Ok(TextFile { name, bytes, bom })
    }

    pub fn text(&self) -> &str {
        let all = match &self.bytes {
            Bytes::Mapped(m) => &m[..],
            Bytes::Read(v) => &v[..],
        };
        mapped::checked_text(&all[self.bom..])
    }
}

impl AsRef<str> for TextFile {
    fn as_ref(&self) -> &str {
        self.text()
    }
}

/// Files from this size on are mapped; smaller ones are simply read.
const MAP_AT_LEAST: u64 = 1 << 20;

/// The one place suiji uses `unsafe`: mapping a file, and viewing bytes checked once as text.
#[allow(unsafe_code)]
mod mapped {
    pub(super) fn map(file: &std::fs::File) -> std::io::Result<memmap2::Mmap> {
        // SAFETY: the map is read-only and lives as long as the TextFile that owns it. A file
        // changed by another process while mapped is the known hazard of mapping (the same
        // that ripgrep documents); suiji's inputs are files a user hands it to read.
        unsafe { memmap2::Mmap::map(file) }
    }

    /// Views bytes that `TextFile::new` checked to be UTF-8 as text, without checking again
    /// (the check costs a pass over hundreds of megabytes, and the text is read many times).
    pub(super) fn checked_text(bytes: &[u8]) -> &str {
        debug_assert!(std::str::from_utf8(bytes).is_ok());
        // SAFETY: TextFile::new returns a TextFile only after these exact bytes passed
        // simdutf8's UTF-8 validation, and a TextFile never changes its bytes.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }
}

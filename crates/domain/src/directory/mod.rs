//! 一单两库: the item list and the two directories (targets, inspectors), and recusals.
//!
//! Each list has columns with a code name (the English header) and a Chinese header; a row of
//! cells parses into a typed record or into every reason it cannot, in Chinese and English.
//! Records turn back into canonical cells, which is what exports write and what the history
//! compares.

mod fields;
mod inspector;
mod item;
mod recusal;
mod sheet;
mod target;

pub use fields::{CreditGrade, Gender, ItemCategory, Method, RiskClass, Scale};
pub use inspector::{Inspector, InspectorStatus};
pub use item::{Item, ItemStatus};
pub use recusal::{Recusal, RecusalStatus};
pub use sheet::{Problem, RawRow, Sheet};
pub use target::{Target, TargetStatus};

use crate::codes::Codes;
use crate::text;
use std::fmt;

/// The lists of 一单两库, and recusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    Targets,
    Inspectors,
    Items,
    Recusals,
}

impl ListKind {
    pub const ALL: [ListKind; 4] =
        [ListKind::Targets, ListKind::Inspectors, ListKind::Items, ListKind::Recusals];

    /// The code name: `targets`, `inspectors`, `items`, `recusals`.
    pub fn name(self) -> &'static str {
        match self {
            ListKind::Targets => "targets",
            ListKind::Inspectors => "inspectors",
            ListKind::Items => "items",
            ListKind::Recusals => "recusals",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ListKind::Targets => "检查对象名录库",
            ListKind::Inspectors => "执法检查人员名录库",
            ListKind::Items => "抽查事项清单",
            ListKind::Recusals => "回避名单",
        }
    }

    pub fn from_name(name: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|l| l.name() == name)
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            ListKind::Targets => target::COLUMNS,
            ListKind::Inspectors => inspector::COLUMNS,
            ListKind::Items => item::COLUMNS,
            ListKind::Recusals => recusal::COLUMNS,
        }
    }

    /// The columns whose values together identify a record.
    pub fn key_columns(self) -> &'static [&'static str] {
        match self {
            ListKind::Targets => &["uscc"],
            ListKind::Inspectors => &["cert_no"],
            ListKind::Items => &["code"],
            ListKind::Recusals => &["cert_no", "uscc"],
        }
    }

    /// Finds a column by a header as people write it: the code name or the Chinese name, any
    /// case, spaces of either width around it.
    pub fn column(self, header: &str) -> Option<&'static Column> {
        let h = crate::text::trim(&crate::text::half_width(header)).to_lowercase();
        self.columns().iter().find(|c| c.name == h || c.zh == h)
    }
}

impl fmt::Display for ListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One column of a list.
#[derive(Debug, PartialEq, Eq)]
pub struct Column {
    /// The code name, which is also the English header.
    pub name: &'static str,
    /// The Chinese header.
    pub zh: &'static str,
    pub required: bool,
    /// How to fill it in, for templates (Chinese).
    pub note: &'static str,
}

/// Why a cell cannot be taken, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The column's code name.
    pub column: &'static str,
    pub value: String,
    pub zh: String,
    pub en: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?}: {} ({})", self.column, self.value, self.zh, self.en)
    }
}

/// The cells of one row, looked up by column code name. A column the file does not have is
/// `None`; a column it has but leaves blank is `Some("")`.
pub trait Cells {
    fn get(&self, column: &str) -> Option<&str>;
}

impl Cells for [(&str, &str)] {
    fn get(&self, column: &str) -> Option<&str> {
        self.iter().find(|(c, _)| *c == column).map(|(_, v)| *v)
    }
}

/// A row's cells in a slice, with the column each one belongs to.
pub struct RowCells<'a> {
    pub columns: &'a [Option<&'static Column>],
    pub cells: &'a [String],
}

impl Cells for RowCells<'_> {
    fn get(&self, column: &str) -> Option<&str> {
        self.columns
            .iter()
            .position(|c| c.is_some_and(|c| c.name == column))
            .map(|i| self.cells.get(i).map_or("", String::as_str))
    }
}

/// A record of one of the lists.
pub trait Record: Sized {
    const LIST: ListKind;

    /// Parses a row, checking codes against `codes`. A column the row lacks takes its default
    /// (blank, or the default status); `Err` lists every cell that cannot be taken.
    fn parse(cells: &dyn Cells, codes: &Codes) -> Result<Self, Vec<FieldError>>;

    /// The record as canonical cells, in [`ListKind::columns`] order.
    fn cells(&self) -> Vec<String>;

    /// The record's key, joined by `|` when it has several columns.
    fn key(&self) -> String;
}

/// A row's cells in list column order; `None` where neither the file nor the stored record
/// gives the column.
struct Merged<'a> {
    list: ListKind,
    cells: Vec<Option<&'a str>>,
}

impl Cells for Merged<'_> {
    fn get(&self, column: &str) -> Option<&str> {
        let i = self.list.columns().iter().position(|c| c.name == column)?;
        self.cells[i]
    }
}

impl Sheet {
    /// Where each of the list's columns is in the file.
    pub fn positions(&self) -> Vec<Option<usize>> {
        self.list
            .columns()
            .iter()
            .map(|col| self.columns.iter().position(|c| c.is_some_and(|c| c.name == col.name)))
            .collect()
    }

    /// The row's key as records write it (codes upper-cased, half-width, trimmed), joined by `|`.
    pub fn key(&self, positions: &[Option<usize>], row: &RawRow) -> String {
        let columns = self.list.columns();
        let mut key = String::new();
        for (n, name) in self.list.key_columns().iter().enumerate() {
            let i = columns.iter().position(|c| c.name == *name).expect("key columns are columns");
            let cell = positions[i].and_then(|p| row.cells.get(p)).map_or("", String::as_str);
            if n > 0 {
                key.push('|');
            }
            key.push_str(&text::code(cell));
        }
        key
    }

    /// Parses a row into a record. For a record already stored, a column the file does not
    /// have keeps the stored value; for a new one it takes its default.
    pub fn parse<R: Record>(
        &self,
        positions: &[Option<usize>],
        row: &RawRow,
        stored: Option<&R>,
        codes: &Codes,
    ) -> Result<R, Vec<Problem>> {
        let stored_cells = stored.map(Record::cells);
        let cells = positions
            .iter()
            .enumerate()
            .map(|(i, p)| match (p, &stored_cells) {
                (Some(p), _) => Some(row.cells.get(*p).map_or("", String::as_str)),
                (None, Some(s)) => Some(s[i].as_str()),
                (None, None) => None,
            })
            .collect();
        R::parse(&Merged { list: self.list, cells }, codes).map_err(|errors| {
            errors
                .into_iter()
                .map(|e| Problem {
                    row: Some(row.number),
                    column: self.header_of(e.column),
                    value: e.value,
                    zh: e.zh,
                    en: e.en,
                })
                .collect()
        })
    }
}

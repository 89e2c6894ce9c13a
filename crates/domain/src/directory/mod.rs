//! 一单两库: the item list and the two directories (targets, inspectors), and recusals.
//!
//! Each list has columns with a code name (the English header) and a Chinese header; a row of
//! cells parses into a typed record or into every reason it cannot, in Chinese and English.
//! Records turn back into canonical cells, which is what exports write and what the history
//! compares.

pub(crate) mod fields;
mod inspector;
mod item;
mod recusal;
mod sheet;
mod target;

pub use fields::{CreditGrade, Gender, ItemCategory, Method, RiskClass, Scale, percent};
pub use inspector::{Inspector, InspectorStatus};
pub use item::{Item, ItemScope, ItemStatus};
pub use recusal::{Recusal, RecusalStatus};
pub use sheet::{Problem, RawRow, Sheet};
pub use target::{Target, TargetStatus};

use crate::codes::Codes;
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

    /// Its place in [`ListKind::ALL`] (a const, so a type can be made per list).
    pub const fn index(self) -> usize {
        match self {
            ListKind::Targets => 0,
            ListKind::Inspectors => 1,
            ListKind::Items => 2,
            ListKind::Recusals => 3,
        }
    }

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

    /// The English name, as the pages show it in English mode.
    pub fn en(self) -> &'static str {
        match self {
            ListKind::Targets => "Target directory",
            ListKind::Inspectors => "Inspector directory",
            ListKind::Items => "Item list",
            ListKind::Recusals => "Recusal list",
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

/// A record of one of the lists.
/// The notes row of a list's template: how to fill in each column. The first cell starts with
/// “说明”, which tells import to pass over the row.
pub fn template_notes(list: ListKind) -> Vec<String> {
    list.columns()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let note = match (c.required, c.note.is_empty()) {
                (true, true) => "必填".to_owned(),
                (true, false) => format!("必填；{}", c.note),
                (false, _) => c.note.to_owned(),
            };
            if i == 0 { format!("说明：{note}（本行导入时忽略）") } else { note }
        })
        .collect()
}

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

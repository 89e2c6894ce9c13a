use crate::text::Shape;
use std::fmt;

/// Why a form field cannot be taken, in both languages; `field` is the form's field name, so
/// a page can show the message beside it and the API can return it as `field`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Invalid {
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl Invalid {
    pub fn new(field: &str, zh: impl Into<String>, en: impl Into<String>) -> Invalid {
        Invalid { field: field.to_owned(), zh: zh.into(), en: en.into() }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.zh, self.en)
    }
}

/// Checks each `(field, value, shape)` against [`Shape`]'s rule (length, control characters),
/// adding a problem for each that breaks it. The one text rule every entry point applies: the
/// domain's checks call it for their own fields, the store for the free text its steps take.
pub fn check_texts(out: &mut Vec<Invalid>, fields: &[(&str, &str, Shape)]) {
    for (field, value, shape) in fields {
        if let Some((zh, en)) = shape.problem(value) {
            out.push(Invalid::new(field, zh, en));
        }
    }
}

/// [`check_texts`] as a result: `Err` with every problem.
pub fn texts(fields: &[(&str, &str, Shape)]) -> Result<(), Vec<Invalid>> {
    let mut out = Vec::new();
    check_texts(&mut out, fields);
    if out.is_empty() { Ok(()) } else { Err(out) }
}

use std::fmt;

/// Why a form field cannot be taken, in both languages; `field` is the form's field name, so
/// a page can show the message beside it and the API can return it as `field`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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

//! The layout of the JSON documents suiji writes: the top level one field a line, and each
//! element of a top-level list (a selection, a team) on a line of its own, compact:
//!
//! ```text
//! {
//!   "protocol": "suiji-draw/1",
//!   "rule": {"size":2},
//!   "selected": [
//!     {"rank":1,"id":"914403001922038216","ticket":"0.0102…","ticket_name":"…","stratum":""},
//!     {"rank":2,…}
//!   ]
//! }
//! ```
//!
//! Still one JSON value, and a draw of half a million entities reads (and diffs, and greps)
//! a rank a line, at two thirds the size of fully indented JSON.

use serde_json::ser::Formatter;
use std::io::{self, Write};

#[derive(Default)]
pub struct DocumentLayout {
    /// How many objects and arrays are open.
    depth: usize,
    /// Whether the open top-level list has elements (to close an empty one on its line).
    list_has_elements: bool,
}

impl Formatter for DocumentLayout {
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        w.write_all(if self.depth == 0 { b"\n}" } else { b"}" })
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        match (self.depth, first) {
            (1, true) => w.write_all(b"\n  "),
            (1, false) => w.write_all(b",\n  "),
            (_, true) => Ok(()),
            (_, false) => w.write_all(b","),
        }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.depth == 1 { b": " } else { b":" })
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        if self.depth == 2 {
            self.list_has_elements = false;
        }
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        w.write_all(if self.depth == 1 && self.list_has_elements { b"\n  ]" } else { b"]" })
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if self.depth == 2 {
            self.list_has_elements = true;
            return w.write_all(if first { b"\n    " } else { b",\n    " });
        }
        if first { Ok(()) } else { w.write_all(b",") }
    }
}

/// `value` as JSON in the document layout, with a final line feed.
pub fn write<W: Write>(w: W, value: &impl serde::Serialize) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(w, DocumentLayout::default());
    value.serialize(&mut serializer)?;
    serializer.into_inner().write_all(b"\n").map_err(serde_json::Error::io)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn laid_out(v: &serde_json::Value) -> String {
        let mut out = Vec::new();
        super::write(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_field_a_line_and_one_element_a_line() {
        let v = json!({"protocol": "p", "rule": {"size": 2}, "selected": [{"rank": 1, "id": "a"}, {"rank": 2, "id": "b"}], "none": []});
        let text = laid_out(&v);
        assert_eq!(
            text,
            "{\n  \"protocol\": \"p\",\n  \"rule\": {\"size\":2},\n  \"selected\": [\n    {\"rank\":1,\"id\":\"a\"},\n    {\"rank\":2,\"id\":\"b\"}\n  ],\n  \"none\": []\n}\n"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
    }

    #[test]
    fn nested_lists_stay_on_their_element_line() {
        let v = json!({"teams": [{"target": "t", "inspectors": ["a", "b"]}]});
        assert_eq!(
            laid_out(&v),
            "{\n  \"teams\": [\n    {\"target\":\"t\",\"inspectors\":[\"a\",\"b\"]}\n  ]\n}\n"
        );
    }
}

//! 回避: an inspector who must not inspect a target, and why (the reason is never public).

use super::fields::{self, RowParser, vocabulary};
use super::{Cells, Column, FieldError, ListKind, Record};
use crate::codes::Codes;

pub(super) const COLUMNS: &[Column] = &[
    Column {
        name: "cert_no", zh: "执法证号", required: true, note: "须已在执法检查人员名录库中"
    },
    Column {
        name: "uscc", zh: "统一社会信用代码", required: true, note: "须已在检查对象名录库中"
    },
    Column { name: "reason", zh: "原因", required: false, note: "如 近亲属任职；不公开" },
    Column { name: "status", zh: "状态", required: false, note: "有效、撤销；留空为有效" },
];

vocabulary!(
    RecusalStatus { Active = ("active", "有效"), Withdrawn = ("withdrawn", "撤销") }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recusal {
    pub cert_no: String,
    pub uscc: String,
    pub reason: String,
    pub status: RecusalStatus,
}

impl Record for Recusal {
    const LIST: ListKind = ListKind::Recusals;

    fn parse(cells: &dyn Cells, _codes: &Codes) -> Result<Self, Vec<FieldError>> {
        let mut p = RowParser::new(cells);
        let cert_no = p.required("cert_no", fields::code);
        let uscc = p.required("uscc", fields::uscc);
        let reason = p.text("reason", false);
        let status = p.optional("status", RecusalStatus::cell).unwrap_or(RecusalStatus::Active);
        p.finish(|| Recusal {
            cert_no: cert_no.unwrap_or_default(),
            uscc: uscc.unwrap_or_default(),
            reason,
            status,
        })
    }

    fn cells(&self) -> Vec<String> {
        vec![self.cert_no.clone(), self.uscc.clone(), self.reason.clone(), self.status.zh().to_owned()]
    }

    fn key(&self) -> String {
        format!("{}|{}", self.cert_no, self.uscc)
    }
}

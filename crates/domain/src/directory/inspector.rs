//! 执法检查人员: keyed by the law-enforcement certificate number.

use super::fields::{self, RowParser, vocabulary};
use super::{Cells, Column, FieldError, Gender, ListKind, Record};
use crate::codes::Codes;
use chrono::NaiveDate;

pub(super) const COLUMNS: &[Column] = &[
    Column {
        name: "cert_no", zh: "执法证号", required: true, note: "行政执法证（监察证）号，唯一"
    },
    Column { name: "name", zh: "姓名", required: true, note: "" },
    Column { name: "gender", zh: "性别", required: false, note: "男、女" },
    Column {
        name: "department", zh: "单位", required: true, note: "所在单位或科室，如 劳动保障监察大队"
    },
    Column { name: "position", zh: "职务", required: false, note: "" },
    Column {
        name: "cert_valid_until", zh: "证件有效期至", required: false, note: "日期，如 2027-12-31"
    },
    Column { name: "expertise", zh: "专长", required: false, note: "" },
    Column { name: "region", zh: "区划代码", required: false, note: "GB/T 2260 六位代码" },
    Column {
        name: "status", zh: "状态", required: false, note: "在岗、离岗、停用、退出；留空为在岗"
    },
];

vocabulary!(
    /// Only inspectors on duty can be assigned; the others keep their rows and history.
    InspectorStatus {
        Active = ("active", "在岗", "在职"),
        Departed = ("departed", "离岗", "调离"),
        Suspended = ("suspended", "停用", "暂停"),
        Retired = ("retired", "退出", "退休"),
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspector {
    pub cert_no: String,
    pub name: String,
    pub gender: Option<Gender>,
    pub department: String,
    pub position: String,
    pub cert_valid_until: Option<NaiveDate>,
    pub expertise: String,
    pub region: Option<String>,
    pub status: InspectorStatus,
}

impl Record for Inspector {
    const LIST: ListKind = ListKind::Inspectors;

    fn parse(cells: &dyn Cells, codes: &Codes) -> Result<Self, Vec<FieldError>> {
        let mut p = RowParser::new(cells);
        let cert_no = p.required("cert_no", fields::code);
        let name = p.text("name", true);
        let gender = p.optional("gender", Gender::cell);
        let department = p.label("department", true);
        let position = p.text("position", false);
        let cert_valid_until = p.optional("cert_valid_until", fields::date);
        let expertise = p.text("expertise", false);
        let region = p.optional("region", |v| codes.region_cell(v));
        let status = p.optional("status", InspectorStatus::cell).unwrap_or(InspectorStatus::Active);
        p.finish(|| Inspector {
            cert_no: cert_no.unwrap_or_default(),
            name,
            gender,
            department,
            position,
            cert_valid_until,
            expertise,
            region,
            status,
        })
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.cert_no.clone(),
            self.name.clone(),
            self.gender.map_or("", Gender::zh).to_owned(),
            self.department.clone(),
            self.position.clone(),
            self.cert_valid_until.map_or(String::new(), |d| d.to_string()),
            self.expertise.clone(),
            self.region.clone().unwrap_or_default(),
            self.status.zh().to_owned(),
        ]
    }

    fn key(&self) -> String {
        self.cert_no.clone()
    }
}

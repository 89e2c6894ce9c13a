//! 检查对象: an employer or market entity, keyed by its USCC.

use super::fields::{self, RowParser, vocabulary};
use super::{Cells, Column, CreditGrade, FieldError, ListKind, Record, RiskClass, Scale};
use crate::codes::Codes;

pub(super) const COLUMNS: &[Column] = &[
    Column {
        name: "uscc",
        zh: "统一社会信用代码",
        required: true,
        note: "18位，末位为校验位（GB 32100-2015）",
    },
    Column { name: "name", zh: "名称", required: true, note: "与营业执照一致" },
    Column { name: "kind", zh: "类型", required: false, note: "如 有限责任公司、个体工商户" },
    Column { name: "scale", zh: "规模", required: false, note: "大型、中型、小型、微型" },
    Column {
        name: "industry", zh: "行业代码", required: false, note: "GB/T 4754-2017，如 C1811 或 1811"
    },
    Column {
        name: "region", zh: "区划代码", required: false, note: "GB/T 2260 六位代码，如 410307"
    },
    Column { name: "address", zh: "地址", required: false, note: "" },
    Column { name: "legal_rep", zh: "法定代表人", required: false, note: "" },
    Column { name: "employees", zh: "职工人数", required: false, note: "整数" },
    Column { name: "credit_grade", zh: "诚信等级", required: false, note: "A、B、C（C 为最低）" },
    Column {
        name: "risk_class", zh: "风险分类", required: false, note: "A、B、C、D（D 风险最高）"
    },
    Column {
        name: "status",
        zh: "状态",
        required: false,
        note: "正常、注销、吊销、迁出、停业、退出；留空为正常",
    },
    Column {
        name: "department", zh: "管理部门", required: false, note: "维护该记录的科室；留空为全局共用"
    },
];

vocabulary!(
    /// Only active targets can be drawn; the others keep their rows and history.
    TargetStatus {
        Active = ("active", "正常", "在营", "存续"),
        Deregistered = ("deregistered", "注销"),
        Revoked = ("revoked", "吊销"),
        Moved = ("moved", "迁出"),
        Closed = ("closed", "停业", "歇业"),
        Retired = ("retired", "退出"),
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub uscc: String,
    pub name: String,
    pub kind: String,
    pub scale: Option<Scale>,
    /// GB/T 4754-2017, stored with its section letter: `C1810`.
    pub industry: Option<String>,
    /// GB/T 2260, six digits.
    pub region: Option<String>,
    pub address: String,
    pub legal_rep: String,
    pub employees: Option<u32>,
    pub credit_grade: Option<CreditGrade>,
    pub risk_class: Option<RiskClass>,
    pub status: TargetStatus,
    /// The department keeping the record (管理部门), when the bureau does not keep one shared
    /// directory; blank: the whole bureau's.
    pub department: String,
}

impl Record for Target {
    const LIST: ListKind = ListKind::Targets;

    fn parse(cells: &dyn Cells, codes: &Codes) -> Result<Self, Vec<FieldError>> {
        let mut p = RowParser::new(cells);
        let uscc = p.required("uscc", fields::uscc);
        let name = p.text("name", true);
        let kind = p.label("kind", false);
        let scale = p.optional("scale", Scale::cell);
        let industry = p.optional("industry", |v| codes.industry_cell(v));
        let region = p.optional("region", |v| codes.region_cell(v));
        let address = p.text("address", false);
        let legal_rep = p.text("legal_rep", false);
        let employees = p.optional("employees", fields::count);
        let credit_grade = p.optional("credit_grade", CreditGrade::cell);
        let risk_class = p.optional("risk_class", RiskClass::cell);
        let status = p.optional("status", TargetStatus::cell).unwrap_or(TargetStatus::Active);
        let department = p.label("department", false);
        p.finish(|| Target {
            uscc: uscc.unwrap_or_default(),
            name,
            kind,
            scale,
            industry,
            region,
            address,
            legal_rep,
            employees,
            credit_grade,
            risk_class,
            status,
            department,
        })
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.uscc.clone(),
            self.name.clone(),
            self.kind.clone(),
            self.scale.map_or("", Scale::zh).to_owned(),
            self.industry.clone().unwrap_or_default(),
            self.region.clone().unwrap_or_default(),
            self.address.clone(),
            self.legal_rep.clone(),
            self.employees.map_or(String::new(), |n| n.to_string()),
            self.credit_grade.map_or("", CreditGrade::code).to_owned(),
            self.risk_class.map_or("", RiskClass::code).to_owned(),
            self.status.zh().to_owned(),
            self.department.clone(),
        ]
    }

    fn key(&self) -> String {
        self.uscc.clone()
    }
}

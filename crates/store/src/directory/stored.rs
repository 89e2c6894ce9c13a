//! How each list's records are stored: storage values for writing, records from rows.

use sea_orm::{DbErr, QueryResult, Value};
use suiji_domain::directory::{
    CreditGrade, Gender, Inspector, InspectorStatus, Item, ItemCategory, ItemScope, ItemStatus, Method,
    Record, Recusal, RecusalStatus, RiskClass, Scale, Target, TargetStatus,
};

/// A record as the store holds it.
pub trait Stored: Record + Clone + Send + Sync + 'static {
    /// The stored columns (all but `id`, the timestamps and who created the record), in the
    /// order [`Stored::into_values`] gives them.
    const STORED: &'static [&'static str];

    /// The record's values for [`Stored::STORED`], in that order. Takes the record: an import
    /// moves a million records' text into the statements instead of copying it.
    fn into_values(self) -> Vec<Value>;

    fn from_row(row: &QueryResult) -> Result<Self, DbErr>;

    /// The record's status code as stored (`active`, `retired`, …): what the list's counts
    /// are kept by.
    fn status(&self) -> &'static str;

    fn is_retired(&self) -> bool;

    /// Takes the record out of use (it keeps its row and history).
    fn retire(&mut self);

    /// The other lists a record refers to: (column, list, key).
    fn references(&self) -> Vec<(&'static str, suiji_domain::directory::ListKind, String)> {
        Vec::new()
    }

    /// The department a record belongs to, by name, with its column: an inspector's 单位, an
    /// item's 抽查主体. It must be a department of the bureau's organisation, in use.
    fn department(&self) -> Option<(&'static str, &str)> {
        None
    }

    /// Whether the list's records belong to departments (it has a department column): then
    /// an account confined to its department changes only its own department's records.
    const OWNED: bool = false;

    /// Makes a record that names no department `department`'s: what one confined to its
    /// department adds is its own.
    fn claim(&mut self, _department: &str) {}
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> Result<T, DbErr> {
    row.try_get("", column)
}

/// A stored code read back into its vocabulary; an unknown code is a corrupt row.
fn vocab<T>(code: Option<String>, parse: fn(&str) -> Option<T>, column: &str) -> Result<Option<T>, DbErr> {
    code.filter(|c| !c.is_empty())
        .map(|c| parse(&c).ok_or_else(|| DbErr::Type(format!("{column}: unknown code {c:?}"))))
        .transpose()
}

fn required<T>(v: Option<T>, column: &str) -> Result<T, DbErr> {
    v.ok_or_else(|| DbErr::Type(format!("{column} is empty")))
}

impl Stored for Target {
    const STORED: &'static [&'static str] = &[
        "uscc",
        "name",
        "kind",
        "scale",
        "industry",
        "region",
        "address",
        "legal_rep",
        "employees",
        "credit_grade",
        "risk_class",
        "status",
        "department",
    ];

    fn into_values(self) -> Vec<Value> {
        // Blank is stored as null: a target made before owners hashes as it did.
        let department = Some(self.department).filter(|d| !d.is_empty());
        vec![
            self.uscc.into(),
            self.name.into(),
            self.kind.into(),
            self.scale.map(|s| s.code().to_owned()).into(),
            self.industry.into(),
            self.region.into(),
            self.address.into(),
            self.legal_rep.into(),
            self.employees.map(i64::from).into(),
            self.credit_grade.map(|g| g.code().to_owned()).into(),
            self.risk_class.map(|r| r.code().to_owned()).into(),
            self.status.code().to_owned().into(),
            department.into(),
        ]
    }

    fn from_row(row: &QueryResult) -> Result<Self, DbErr> {
        Ok(Target {
            uscc: get(row, "uscc")?,
            name: get(row, "name")?,
            kind: get(row, "kind")?,
            scale: vocab(get(row, "scale")?, Scale::parse, "scale")?,
            industry: get(row, "industry")?,
            region: get(row, "region")?,
            address: get(row, "address")?,
            legal_rep: get(row, "legal_rep")?,
            employees: get::<Option<i64>>(row, "employees")?.map(|n| n as u32),
            credit_grade: vocab(get(row, "credit_grade")?, CreditGrade::parse, "credit_grade")?,
            risk_class: vocab(get(row, "risk_class")?, RiskClass::parse, "risk_class")?,
            status: required(vocab(Some(get(row, "status")?), TargetStatus::parse, "status")?, "status")?,
            department: get::<Option<String>>(row, "department")?.unwrap_or_default(),
        })
    }

    fn status(&self) -> &'static str {
        self.status.code()
    }

    fn is_retired(&self) -> bool {
        self.status == TargetStatus::Retired
    }

    fn retire(&mut self) {
        self.status = TargetStatus::Retired;
    }

    // Owned only when the bureau keeps no shared directory (`directory::kept_to`).
    const OWNED: bool = true;

    fn department(&self) -> Option<(&'static str, &str)> {
        (!self.department.is_empty()).then_some(("department", self.department.as_str()))
    }

    fn claim(&mut self, department: &str) {
        if self.department.is_empty() {
            department.clone_into(&mut self.department);
        }
    }
}

impl Stored for Inspector {
    const OWNED: bool = true;
    const STORED: &'static [&'static str] = &[
        "cert_no",
        "name",
        "gender",
        "department",
        "position",
        "cert_valid_until",
        "expertise",
        "region",
        "status",
    ];

    fn into_values(self) -> Vec<Value> {
        vec![
            self.cert_no.into(),
            self.name.into(),
            self.gender.map(|g| g.code().to_owned()).into(),
            self.department.into(),
            self.position.into(),
            self.cert_valid_until.into(),
            self.expertise.into(),
            self.region.into(),
            self.status.code().to_owned().into(),
        ]
    }

    fn from_row(row: &QueryResult) -> Result<Self, DbErr> {
        Ok(Inspector {
            cert_no: get(row, "cert_no")?,
            name: get(row, "name")?,
            gender: vocab(get(row, "gender")?, Gender::parse, "gender")?,
            department: get(row, "department")?,
            position: get(row, "position")?,
            cert_valid_until: get(row, "cert_valid_until")?,
            expertise: get(row, "expertise")?,
            region: get(row, "region")?,
            status: required(vocab(Some(get(row, "status")?), InspectorStatus::parse, "status")?, "status")?,
        })
    }

    fn status(&self) -> &'static str {
        self.status.code()
    }

    fn is_retired(&self) -> bool {
        self.status == InspectorStatus::Retired
    }

    fn retire(&mut self) {
        self.status = InspectorStatus::Retired;
    }

    fn department(&self) -> Option<(&'static str, &str)> {
        Some(("department", &self.department))
    }
}

impl Stored for Item {
    const OWNED: bool = true;
    const STORED: &'static [&'static str] = &[
        "code",
        "name",
        "category",
        "subject",
        "basis",
        "content",
        "methods",
        "min_ratio_bp",
        "status",
        "scope",
    ];

    fn into_values(self) -> Vec<Value> {
        let methods: Vec<&str> = self.methods.iter().map(|m| m.code()).collect();
        vec![
            self.code.into(),
            self.name.into(),
            self.category.code().to_owned().into(),
            self.subject.into(),
            self.basis.into(),
            self.content.into(),
            methods.join(",").into(),
            self.min_ratio_bp.map(i64::from).into(),
            self.status.code().to_owned().into(),
            // Null for 通用: an item made before scopes hashes as it did.
            (self.scope != ItemScope::Both).then(|| self.scope.code().to_owned()).into(),
        ]
    }

    fn from_row(row: &QueryResult) -> Result<Self, DbErr> {
        let methods: String = get(row, "methods")?;
        Ok(Item {
            code: get(row, "code")?,
            name: get(row, "name")?,
            category: required(
                vocab(Some(get(row, "category")?), ItemCategory::parse, "category")?,
                "category",
            )?,
            subject: get(row, "subject")?,
            basis: get(row, "basis")?,
            content: get(row, "content")?,
            methods: methods
                .split(',')
                .filter(|m| !m.is_empty())
                .map(|m| Method::parse(m).ok_or_else(|| DbErr::Type(format!("methods: unknown code {m:?}"))))
                .collect::<Result<_, _>>()?,
            min_ratio_bp: get::<Option<i64>>(row, "min_ratio_bp")?.map(|n| n as u32),
            status: required(vocab(Some(get(row, "status")?), ItemStatus::parse, "status")?, "status")?,
            scope: vocab(get::<Option<String>>(row, "scope")?, ItemScope::parse, "scope")?
                .unwrap_or(ItemScope::Both),
        })
    }

    fn status(&self) -> &'static str {
        self.status.code()
    }

    fn is_retired(&self) -> bool {
        self.status == ItemStatus::Retired
    }

    fn retire(&mut self) {
        self.status = ItemStatus::Retired;
    }

    fn department(&self) -> Option<(&'static str, &str)> {
        (!self.subject.is_empty()).then_some(("subject", self.subject.as_str()))
    }

    fn claim(&mut self, department: &str) {
        if self.subject.is_empty() {
            department.clone_into(&mut self.subject);
        }
    }
}

impl Stored for Recusal {
    const STORED: &'static [&'static str] = &["cert_no", "uscc", "reason", "status"];

    fn into_values(self) -> Vec<Value> {
        vec![self.cert_no.into(), self.uscc.into(), self.reason.into(), self.status.code().to_owned().into()]
    }

    fn from_row(row: &QueryResult) -> Result<Self, DbErr> {
        Ok(Recusal {
            cert_no: get(row, "cert_no")?,
            uscc: get(row, "uscc")?,
            reason: get(row, "reason")?,
            status: required(vocab(Some(get(row, "status")?), RecusalStatus::parse, "status")?, "status")?,
        })
    }

    fn status(&self) -> &'static str {
        self.status.code()
    }

    fn is_retired(&self) -> bool {
        self.status == RecusalStatus::Withdrawn
    }

    fn retire(&mut self) {
        self.status = RecusalStatus::Withdrawn;
    }

    fn references(&self) -> Vec<(&'static str, suiji_domain::directory::ListKind, String)> {
        use suiji_domain::directory::ListKind;
        vec![
            ("cert_no", ListKind::Inspectors, self.cert_no.clone()),
            ("uscc", ListKind::Targets, self.uscc.clone()),
        ]
    }
}

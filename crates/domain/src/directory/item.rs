//! 抽查事项: an item of the random-inspection list, keyed by its code.

use super::fields::{self, RowParser, reason, vocabulary};
use super::{Cells, Column, FieldError, ItemCategory, ListKind, Method, Record};
use crate::codes::Codes;
use crate::rules::MIN_GENERAL_RATIO_BP;

pub(super) const COLUMNS: &[Column] = &[
    Column { name: "code", zh: "事项编码", required: true, note: "唯一，如 RS-001" },
    Column { name: "name", zh: "事项名称", required: true, note: "" },
    Column { name: "category", zh: "类别", required: true, note: "重点、一般" },
    Column { name: "subject", zh: "抽查主体", required: false, note: "实施抽查的部门" },
    Column { name: "basis", zh: "抽查依据", required: false, note: "法律法规及条款" },
    Column { name: "content", zh: "抽查内容", required: false, note: "" },
    Column {
        name: "method",
        zh: "检查方式",
        required: false,
        note: "现场、书面、网络监测，可多选，以顿号分隔",
    },
    Column {
        name: "min_ratio", zh: "最低比例", required: false, note: "百分数；一般事项不低于5%，留空为5%"
    },
    Column { name: "status", zh: "状态", required: false, note: "有效、废止；留空为有效" },
    Column {
        name: "scope",
        zh: "适用范围",
        required: false,
        note: "通用、随机抽查、触发式抽查；留空为通用。列入触发式事项清单的填触发式抽查或通用",
    },
];

vocabulary!(
    /// Which tasks may check an item: the 触发式事项清单 (seed 002) is the items a triggered
    /// task may use — those of scope `triggered` or `both`; a random task uses `random` or `both`.
    ItemScope {
        Both = ("both", "通用", "均可"),
        Random = ("random", "随机抽查", "随机"),
        Triggered = ("triggered", "触发式抽查", "触发式")
    }
);

impl ItemScope {
    /// Whether a task of this kind may check an item of this scope.
    pub fn allows(self, triggered: bool) -> bool {
        match self {
            ItemScope::Both => true,
            ItemScope::Random => !triggered,
            ItemScope::Triggered => triggered,
        }
    }
}

vocabulary!(
    /// A retired item keeps its row and history; tasks can no longer use it.
    ItemStatus { Active = ("active", "有效", "正常"), Retired = ("retired", "废止", "停用") }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub code: String,
    pub name: String,
    pub category: ItemCategory,
    pub subject: String,
    pub basis: String,
    pub content: String,
    pub methods: Vec<Method>,
    /// The least share of targets to inspect, in basis points.
    pub min_ratio_bp: Option<u32>,
    pub status: ItemStatus,
    /// Random inspections, triggered ones (the 触发式事项清单), or both.
    pub scope: ItemScope,
}

/// Several methods, separated by 、 , ， ; ； or /.
fn methods(value: &str) -> Result<Vec<Method>, fields::Reason> {
    let mut out = Vec::new();
    for part in
        value.split(['、', ',', '，', ';', '；', '/']).map(crate::text::trim).filter(|p| !p.is_empty())
    {
        let m = Method::cell(part)?;
        if !out.contains(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

impl Record for Item {
    const LIST: ListKind = ListKind::Items;

    fn parse(cells: &dyn Cells, _codes: &Codes) -> Result<Self, Vec<FieldError>> {
        let mut p = RowParser::new(cells);
        let code = p.required("code", fields::code);
        let name = p.text("name", true);
        let category = p.required("category", ItemCategory::cell);
        let subject = p.text("subject", false);
        let basis = p.text("basis", false);
        let content = p.text("content", false);
        let methods = p.optional("method", methods).unwrap_or_default();
        // General items: 5% at least (the 001 rule), and 5% when left blank.
        let min_ratio_bp = p.optional("min_ratio", |v| {
            let bp = fields::ratio_bp(v)?;
            if category == Some(ItemCategory::General) && bp < MIN_GENERAL_RATIO_BP {
                return Err(reason(
                    "一般事项的抽查比例不得低于5%",
                    "a general item's ratio must be at least 5%",
                ));
            }
            Ok(bp)
        });
        let min_ratio_bp =
            min_ratio_bp.or((category == Some(ItemCategory::General)).then_some(MIN_GENERAL_RATIO_BP));
        let status = p.optional("status", ItemStatus::cell).unwrap_or(ItemStatus::Active);
        let scope = p.optional("scope", ItemScope::cell).unwrap_or(ItemScope::Both);
        p.finish(|| Item {
            code: code.unwrap_or_default(),
            name,
            category: category.unwrap_or(ItemCategory::General),
            subject,
            basis,
            content,
            methods,
            min_ratio_bp,
            status,
            scope,
        })
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.code.clone(),
            self.name.clone(),
            self.category.zh().to_owned(),
            self.subject.clone(),
            self.basis.clone(),
            self.content.clone(),
            self.methods.iter().map(|m| m.zh()).collect::<Vec<_>>().join("、"),
            self.min_ratio_bp.map_or(String::new(), fields::percent),
            self.status.zh().to_owned(),
            self.scope.zh().to_owned(),
        ]
    }

    fn key(&self) -> String {
        self.code.clone()
    }
}

//! The bureau's organisation (谁主管、谁发起、谁主导、谁组织): a tree whose root is the bureau
//! itself, holding its 牵头科室 (which coordinates), its 业务科室 (which own items, tasks and
//! inspectors), its 执法机构 (a 监察大队) and its 直属单位. Every account, inspector, item, plan and
//! task belongs to one department of the tree, named as people name it.
//!
//! The root is the one node of kind [`DepartmentKind::Bureau`]; a later step puts several
//! bureaus (a city's, a province's) under one deployment by giving the tree several such roots
//! under a higher one, without changing what a department is.

use crate::text::Shape;
use crate::workflow::Invalid;
use serde::{Deserialize, Serialize};

/// What a department is to the bureau's random inspections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentKind {
    /// The bureau itself: the root of its tree.
    Bureau,
    /// 牵头科室: coordinates the bureau's random inspections (001 四(一)).
    Lead,
    /// 业务科室: owns its items, tasks and inspectors.
    Business,
    /// 执法机构: a 劳动保障监察大队 or 支队.
    Enforcement,
    /// 直属单位: a unit directly under the bureau (a 社保中心, a 就业服务中心).
    Affiliated,
}

impl DepartmentKind {
    pub const ALL: [DepartmentKind; 5] = [
        DepartmentKind::Bureau,
        DepartmentKind::Lead,
        DepartmentKind::Business,
        DepartmentKind::Enforcement,
        DepartmentKind::Affiliated,
    ];

    /// The kinds a department under the root may have.
    pub const UNDER_ROOT: [DepartmentKind; 4] = [
        DepartmentKind::Lead,
        DepartmentKind::Business,
        DepartmentKind::Enforcement,
        DepartmentKind::Affiliated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DepartmentKind::Bureau => "bureau",
            DepartmentKind::Lead => "lead",
            DepartmentKind::Business => "business",
            DepartmentKind::Enforcement => "enforcement",
            DepartmentKind::Affiliated => "affiliated",
        }
    }

    pub fn parse(code: &str) -> Option<DepartmentKind> {
        DepartmentKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            DepartmentKind::Bureau => "本局",
            DepartmentKind::Lead => "牵头科室",
            DepartmentKind::Business => "业务科室",
            DepartmentKind::Enforcement => "执法机构",
            DepartmentKind::Affiliated => "直属单位",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            DepartmentKind::Bureau => "the bureau",
            DepartmentKind::Lead => "lead office",
            DepartmentKind::Business => "business office",
            DepartmentKind::Enforcement => "enforcement body",
            DepartmentKind::Affiliated => "affiliated unit",
        }
    }
}

/// The deepest a department may sit below the bureau (a 科室's 股 is two).
pub const MAX_DEPTH: usize = 4;

/// A department as it is added or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentSpec {
    #[schemars(length(min = 1, max = crate::text::MAX_NAME))]
    pub name: String,
    pub kind: DepartmentKind,
    /// The department it sits under: the bureau's root unless said.
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// An inactive department keeps its history but takes no new members, items or tasks.
    #[serde(default = "active")]
    pub active: bool,
}

fn active() -> bool {
    true
}

/// One node of the tree as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: i64,
    pub name: String,
    pub kind: DepartmentKind,
    pub parent_id: Option<i64>,
    pub active: bool,
}

impl DepartmentSpec {
    /// The spec with its name trimmed.
    pub fn trimmed(&self) -> DepartmentSpec {
        DepartmentSpec { name: crate::text::trim(&self.name).to_owned(), ..self.clone() }
    }

    /// The rules of a department in `tree`, as the department `this` (`None` when added).
    pub fn check(&self, tree: &[Node], this: Option<i64>) -> Vec<Invalid> {
        let mut out = Vec::new();
        let name = crate::text::trim(&self.name);
        if name.is_empty() {
            out.push(Invalid::new("name", "部门名称不能为空", "the name is required"));
        } else if let Some((zh, en)) = Shape::Name.problem(name) {
            out.push(Invalid::new("name", format!("部门名称{zh}"), format!("name: {en}")));
        } else if let Some(other) = tree.iter().find(|n| n.name == name && Some(n.id) != this) {
            out.push(Invalid::new(
                "name",
                format!("已有名为“{}”的部门", other.name),
                format!("a department is already named {}", other.name),
            ));
        }
        let current = this.and_then(|id| tree.iter().find(|n| n.id == id));
        let is_root = current.is_some_and(|n| n.kind == DepartmentKind::Bureau);
        if is_root {
            if self.kind != DepartmentKind::Bureau || self.parent_id.is_some() {
                out.push(Invalid::new(
                    "kind",
                    "本局是组织机构的根，不能改为其他类型或移到其他部门之下",
                    "the bureau stays the root",
                ));
            }
            if !self.active {
                out.push(Invalid::new("active", "本局不能停用", "the bureau cannot be deactivated"));
            }
            return out;
        }
        if self.kind == DepartmentKind::Bureau {
            out.push(Invalid::new(
                "kind",
                "“本局”类型只用于组织机构的根",
                "only the root is of kind “bureau”",
            ));
        }
        let Some(parent_id) = self.parent_id else {
            out.push(Invalid::new("parent_id", "须选择上级部门", "choose the department above"));
            return out;
        };
        match tree.iter().find(|n| n.id == parent_id) {
            None => out.push(Invalid::new(
                "parent_id",
                format!("没有编号为 {parent_id} 的部门"),
                format!("no department {parent_id}"),
            )),
            Some(parent) if !parent.active && self.active => out.push(Invalid::new(
                "parent_id",
                format!("上级部门“{}”已停用", parent.name),
                format!("{} is inactive", parent.name),
            )),
            Some(_) => {
                let chain = ancestors(tree, parent_id);
                if this.is_some_and(|id| parent_id == id || chain.contains(&id)) {
                    out.push(Invalid::new(
                        "parent_id",
                        "不能把部门移到它自己或它的下级部门之下",
                        "a department cannot sit under itself or one of its own",
                    ));
                } else if chain.len() + this.map_or(0, |id| height(tree, id)) > MAX_DEPTH {
                    out.push(Invalid::new(
                        "parent_id",
                        format!("部门层级最多 {MAX_DEPTH} 级"),
                        format!("at most {MAX_DEPTH} levels below the bureau"),
                    ));
                }
            }
        }
        if let Some(id) = this
            && !self.active
            && tree.iter().any(|n| n.parent_id == Some(id) && n.active)
        {
            out.push(Invalid::new(
                "active",
                "下级部门仍在使用，须先停用下级部门",
                "deactivate the departments under it first",
            ));
        }
        out
    }
}

/// The ids from `id` up to (and including) the root, `id` first; stops at a loop.
pub fn ancestors(tree: &[Node], id: i64) -> Vec<i64> {
    let mut out = Vec::new();
    let mut at = Some(id);
    while let Some(i) = at {
        if out.contains(&i) {
            break;
        }
        out.push(i);
        at = tree.iter().find(|n| n.id == i).and_then(|n| n.parent_id);
    }
    out
}

/// How many levels hang below `id` (0 for a department with none under it).
fn height(tree: &[Node], id: i64) -> usize {
    fn below(tree: &[Node], id: i64, seen: usize) -> usize {
        if seen > MAX_DEPTH {
            return seen;
        }
        tree.iter()
            .filter(|n| n.parent_id == Some(id))
            .map(|n| 1 + below(tree, n.id, seen + 1))
            .max()
            .unwrap_or(0)
    }
    below(tree, id, 0)
}

/// The tree in reading order: each department followed by those under it, by name; with
/// each one's depth below the root.
pub fn in_order(tree: &[Node]) -> Vec<(usize, &Node)> {
    fn walk<'a>(tree: &'a [Node], parent: Option<i64>, depth: usize, out: &mut Vec<(usize, &'a Node)>) {
        let mut children: Vec<&Node> = tree.iter().filter(|n| n.parent_id == parent).collect();
        children.sort_by(|a, b| a.name.cmp(&b.name));
        for c in children {
            out.push((depth, c));
            if depth < MAX_DEPTH + 1 {
                walk(tree, Some(c.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(tree, None, 0, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use DepartmentKind::*;

    fn node(id: i64, name: &str, kind: DepartmentKind, parent_id: Option<i64>) -> Node {
        Node { id, name: name.into(), kind, parent_id, active: true }
    }

    fn county() -> Vec<Node> {
        vec![
            node(1, "偃师区人力资源和社会保障局", Bureau, None),
            node(2, "劳动保障监察股", Lead, Some(1)),
            node(3, "社会保险科", Business, Some(1)),
            node(4, "工伤保险股", Business, Some(3)),
        ]
    }

    fn spec(name: &str, kind: DepartmentKind, parent_id: Option<i64>) -> DepartmentSpec {
        DepartmentSpec { name: name.into(), kind, parent_id, active: true }
    }

    fn fields(problems: Vec<Invalid>) -> Vec<String> {
        problems.into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_department_sits_under_another_with_a_name_of_its_own() {
        let tree = county();
        assert!(spec("就业促进科", Business, Some(1)).check(&tree, None).is_empty());
        assert_eq!(fields(spec("社会保险科", Business, Some(1)).check(&tree, None)), ["name"]);
        assert_eq!(fields(spec(" ", Business, Some(1)).check(&tree, None)), ["name"]);
        assert_eq!(fields(spec("就业促进科", Business, None).check(&tree, None)), ["parent_id"]);
        assert_eq!(fields(spec("就业促进科", Business, Some(9)).check(&tree, None)), ["parent_id"]);
        assert_eq!(fields(spec("第二个局", Bureau, Some(1)).check(&tree, None)), ["kind"]);
        // Its own name is no clash when it is changed.
        assert!(spec("社会保险科", Business, Some(1)).check(&tree, Some(3)).is_empty());
    }

    #[test]
    fn the_tree_has_no_loops_and_the_root_stays() {
        let tree = county();
        assert_eq!(fields(spec("社会保险科", Business, Some(4)).check(&tree, Some(3))), ["parent_id"]);
        assert_eq!(fields(spec("社会保险科", Business, Some(3)).check(&tree, Some(3))), ["parent_id"]);
        let root = spec("偃师区人力资源和社会保障局", Bureau, None);
        assert!(root.check(&tree, Some(1)).is_empty());
        assert_eq!(
            fields(DepartmentSpec { active: false, ..root.clone() }.check(&tree, Some(1))),
            ["active"]
        );
        assert_eq!(fields(spec("偃师区人力资源和社会保障局", Lead, None).check(&tree, Some(1))), ["kind"]);
    }

    #[test]
    fn a_department_is_deactivated_after_those_under_it() {
        let mut tree = county();
        let off = |s: DepartmentSpec| DepartmentSpec { active: false, ..s };
        assert_eq!(fields(off(spec("社会保险科", Business, Some(1))).check(&tree, Some(3))), ["active"]);
        tree[3].active = false;
        assert!(off(spec("社会保险科", Business, Some(1))).check(&tree, Some(3)).is_empty());
        tree[2].active = false;
        // Nothing new goes under an inactive department.
        assert_eq!(fields(spec("医疗保险股", Business, Some(3)).check(&tree, None)), ["parent_id"]);
    }

    #[test]
    fn the_depth_is_limited_and_the_order_is_the_tree() {
        let mut tree = county();
        tree.push(node(5, "甲", Business, Some(4)));
        tree.push(node(6, "乙", Business, Some(5)));
        assert_eq!(fields(spec("丙", Business, Some(6)).check(&tree, None)), ["parent_id"]);
        let order: Vec<(usize, i64)> = in_order(&tree).into_iter().map(|(d, n)| (d, n.id)).collect();
        assert_eq!(order, [(0, 1), (1, 2), (1, 3), (2, 4), (3, 5), (4, 6)]);
        assert_eq!(ancestors(&tree, 6), [6, 5, 4, 3, 1]);
        // A department moves with what hangs below it: 甲 (two levels under it) fits under
        // 社会保险科 but not under 工伤保险股… which is below it anyway.
        assert!(spec("甲", Business, Some(3)).check(&tree, Some(5)).is_empty());
        assert_eq!(fields(spec("工伤保险股", Business, Some(2)).check(&tree, Some(4))), Vec::<String>::new());
        tree.push(node(7, "丁", Business, Some(6)));
        assert_eq!(fields(spec("工伤保险股", Business, Some(2)).check(&tree, Some(4))), ["parent_id"]);
    }
}

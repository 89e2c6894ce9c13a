//! Who may do what: the roles of a bureau's staff and the one table that says which role may
//! take which action. The web service and the API ask [`allowed`] once per action, before the
//! handler runs; nothing else decides.

use crate::directory::ListKind;
use serde::{Deserialize, Serialize};

/// A staff account's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 管理员: accounts, tokens, and everything the organizer does.
    Admin,
    /// 牵头科室: the item list, the directories, plans, tasks and draws.
    Organizer,
    /// 业务科室: keeps the targets of its field up to date.
    Unit,
    /// 执法检查人员: sees the directories and its own inspections.
    Inspector,
    /// 监督: reads everything, the audit log included; changes nothing.
    Supervisor,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Organizer, Role::Unit, Role::Inspector, Role::Supervisor];

    /// The code name stored and typed on the command line: `admin`, `organizer`, …
    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Organizer => "organizer",
            Role::Unit => "unit",
            Role::Inspector => "inspector",
            Role::Supervisor => "supervisor",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Organizer => "牵头科室",
            Role::Unit => "业务科室",
            Role::Inspector => "执法检查人员",
            Role::Supervisor => "监督",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        Role::from_name(s).ok_or_else(|| {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
            format!("unknown role {s:?}: one of {}", names.join(", "))
        })
    }
}

/// Something a signed-in account asks to do. Public pages need no action: they show only what
/// is public to everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// List, search, view a record and its history, export (private fields included).
    ViewList(ListKind),
    /// Add, edit, retire, import.
    EditList(ListKind),
    /// Read the audit log.
    ViewAudit,
    /// Add accounts, change their role, disable them.
    ManageUsers,
    /// Issue and revoke API tokens.
    ManageTokens,
    /// Change the bureau's settings (what the portal publishes).
    ManageSettings,
    /// What every signed-in account does with itself: see it, change its password, sign out.
    OwnAccount,
    /// See plans, tasks, draws, teams and inspections (staff only: drafts and forms included).
    ViewWorkflow,
    /// Draft one's own department's annual plan and submit it to the 牵头科室.
    DraftPlans,
    /// Run one's own department's tasks (谁主管、谁发起): draft and publish them, hold the draw
    /// ceremony, annul and replace, assign the teams.
    RunTasks,
    /// What the 牵头科室 coordinates for the whole bureau: plans (approving, returning,
    /// publishing), every department's tasks, returning and approving results, rectifications,
    /// penalties, credit and the lists.
    ManageTasks,
    /// Enter, publish and correct results, add evidence — on one's own team's inspections.
    EnterResults,
}

impl Action {
    /// Every action, for the matrix test and the documentation.
    pub fn all() -> Vec<Action> {
        let mut out = Vec::new();
        for list in ListKind::ALL {
            out.push(Action::ViewList(list));
            out.push(Action::EditList(list));
        }
        out.extend([
            Action::ViewAudit,
            Action::ManageUsers,
            Action::ManageTokens,
            Action::ManageSettings,
            Action::OwnAccount,
            Action::ViewWorkflow,
            Action::DraftPlans,
            Action::RunTasks,
            Action::ManageTasks,
            Action::EnterResults,
        ]);
        out
    }

    /// A short name for messages and the audit log: `edit targets`, `view audit`.
    /// The action in Chinese, as a refusal names it.
    pub fn describe_zh(self) -> String {
        match self {
            Action::ViewList(l) => format!("查看{}", l.zh()),
            Action::EditList(l) => format!("修改{}", l.zh()),
            Action::ViewAudit => "查看操作日志".into(),
            Action::ManageUsers => "管理账号".into(),
            Action::ManageTokens => "管理接口令牌".into(),
            Action::ManageSettings => "修改设置".into(),
            Action::OwnAccount => "使用本人账号".into(),
            Action::ViewWorkflow => "查看抽查工作".into(),
            Action::DraftPlans => "编制和报送本部门抽查计划".into(),
            Action::RunTasks => "编制和实施本部门抽查任务".into(),
            Action::ManageTasks => "管理计划、任务和抽取".into(),
            Action::EnterResults => "录入检查结果".into(),
        }
    }

    pub fn describe(self) -> String {
        match self {
            Action::ViewList(l) => format!("view {}", l.name()),
            Action::EditList(l) => format!("edit {}", l.name()),
            Action::ViewAudit => "view audit".into(),
            Action::ManageUsers => "manage users".into(),
            Action::ManageTokens => "manage tokens".into(),
            Action::ManageSettings => "manage settings".into(),
            Action::OwnAccount => "use own account".into(),
            Action::ViewWorkflow => "view the workflow".into(),
            Action::DraftPlans => "draft and submit the department's plan".into(),
            Action::RunTasks => "run the department's tasks".into(),
            Action::ManageTasks => "manage plans, tasks and draws".into(),
            Action::EnterResults => "enter inspection results".into(),
        }
    }
}

/// Whether a role's changes reach only its own department's records (its plans and tasks; its
/// items, inspectors and — unless the bureau keeps one shared directory — targets): a 业务科室's
/// staff and inspectors. The 牵头科室, the administrator and the supervisor reach the whole
/// bureau. The route table names the record a route changes ([`Reach`]) and the store
/// applies it to the record at hand.
pub fn confined_to_department(role: Role) -> bool {
    matches!(role, Role::Unit | Role::Inspector)
}

/// The record a route acts on, named by the `{id}` of its path, whose department decides
/// whether a role confined to its department ([`confined_to_department`]) may act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    /// A plan: its department.
    Plan,
    /// A task: its department (主办部门).
    Task,
    /// A draw: its task's department.
    Draw,
    /// An inspection: its task's department.
    Inspection,
    /// A lead (线索): the department that registered it.
    Lead,
}

/// Whether a signed-in `role` reads an inspection's findings and evidence: everyone but an
/// inspector; an inspector those of the inspections on whose team it is, and — when the bureau
/// allows it (the setting `inspector_reads_department`) — those of the tasks its department
/// takes part in. (Published results are public anyway.)
pub fn reads_findings(role: Role, on_team: bool, own_department: bool, department_allowed: bool) -> bool {
    role != Role::Inspector || on_team || (own_department && department_allowed)
}

/// Whether `role` may take `action`. The one place this is decided.
pub fn allowed(role: Role, action: Action) -> bool {
    use Action::*;
    use ListKind::*;
    use Role::*;
    match (role, action) {
        (_, OwnAccount) => true,
        // 谁检查、谁录入、谁公示: only inspectors enter results (and the store checks they are
        // on the team) — not even an administrator.
        (Inspector, EnterResults) => true,
        (_, EnterResults) => false,
        (Admin, _) => true,
        // Recusal reasons are private: those who keep the list and those who supervise.
        (Organizer | Supervisor, ViewList(Recusals)) => true,
        (_, ViewList(Recusals)) => false,
        (_, ViewList(_)) => true,
        (Organizer, EditList(_)) => true,
        // A business unit keeps the targets of its field, and its own department's items (抽查
        // 主体) and inspectors (单位) — the store keeps it to them; recusals are the organizer's
        // (牵头科室) to keep.
        (Unit, EditList(Targets | Items | Inspectors)) => true,
        (_, EditList(_)) => false,
        (Supervisor, ViewAudit) => true,
        (_, ViewAudit | ManageUsers | ManageTokens | ManageSettings) => false,
        (_, ViewWorkflow) => true,
        // Each 业务科室 drafts its own plan (the store keeps it to its department); the 牵头科室
        // drafts and approves them all.
        (Organizer | Unit, DraftPlans) => true,
        (_, DraftPlans) => false,
        // 谁主管、谁发起: a 业务科室 runs its own department's tasks (the route's reach keeps it
        // to them); the 牵头科室 runs and coordinates every department's.
        (Organizer | Unit, RunTasks) => true,
        (_, RunTasks) => false,
        // The organizer (牵头科室) runs the plans, the tasks and the draw ceremony.
        (Organizer, ManageTasks) => true,
        (_, ManageTasks) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inspector_reads_findings_of_its_own_inspections_and_its_departments_if_allowed() {
        for role in Role::ALL {
            let inspector = role == Role::Inspector;
            assert_eq!(reads_findings(role, false, false, false), !inspector, "{role}");
            assert!(reads_findings(role, true, false, false), "{role}");
            assert_eq!(reads_findings(role, false, true, false), !inspector, "{role}");
            assert!(reads_findings(role, false, true, true), "{role}");
        }
    }

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.name().parse::<Role>().unwrap(), r);
        }
        assert!("root".parse::<Role>().unwrap_err().contains("admin, organizer"));
    }

    #[test]
    fn supervisors_change_nothing_and_inspectors_keep_nothing() {
        for a in Action::all() {
            if matches!(
                a,
                Action::EditList(_)
                    | Action::ManageUsers
                    | Action::ManageTokens
                    | Action::ManageSettings
                    | Action::ManageTasks
                    | Action::DraftPlans
                    | Action::RunTasks
            ) {
                assert!(!allowed(Role::Supervisor, a), "{a:?}");
                assert!(!allowed(Role::Inspector, a), "{a:?}");
            }
            // 谁检查、谁录入: results are entered by inspectors, not by an administrator.
            assert_eq!(allowed(Role::Admin, a), a != Action::EnterResults, "{a:?}");
        }
        let enter: Vec<Role> = Role::ALL.into_iter().filter(|r| allowed(*r, Action::EnterResults)).collect();
        assert_eq!(enter, [Role::Inspector]);
        assert!(
            !allowed(Role::Supervisor, Action::ManageTasks)
                && allowed(Role::Supervisor, Action::ViewWorkflow)
        );
    }
}

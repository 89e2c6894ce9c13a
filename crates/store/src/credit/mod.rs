//! 结果运用 in the store: what the results lead to — the firm's dossier (诚信档案), the yearly
//! grades (守法诚信等级评价) and the public lists (重大违法社会公布, 拖欠农民工工资失信名单).

mod dossier;
mod grades;
pub mod lists;

pub use dossier::{Dossier, DossierEvent, DossierTarget, dossier};
pub use grades::{
    EvaluationView, GradeChange, ProposalView, adjust, confirm, evaluate, evaluation, evaluations,
    grade_history,
};
pub use lists::{EntryView, NewEntry, PublicEntry, PublicList};

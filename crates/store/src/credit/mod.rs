//! 结果运用 in the store: what the results lead to — the firm's dossier (诚信档案) and the
//! yearly grades (守法诚信等级评价).

mod dossier;
mod grades;

pub use dossier::{Dossier, DossierEvent, DossierTarget, dossier};
pub use grades::{
    EvaluationView, GradeChange, ProposalView, adjust, confirm, evaluate, evaluation, evaluations,
    grade_history,
};

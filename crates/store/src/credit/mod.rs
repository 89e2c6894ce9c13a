//! 结果运用 in the store: what the results lead to — the firm's dossier (诚信档案).

mod dossier;

pub use dossier::{Dossier, DossierEvent, DossierTarget, dossier};

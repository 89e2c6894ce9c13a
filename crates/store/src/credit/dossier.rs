//! 诚信档案: everything the bureau holds on one firm, in the order it happened — every draw that
//! selected it, each inspection and result (with corrections, or kept unpublished), penalties,
//! rectifications and their follow-ups, non-cooperation, grades and list entries. The staff
//! dossier shows it all, with links to each record; the public one only what the portal
//! publishes, so a citizen sees the same history the bureau's public pages already show.

use crate::Store;
use crate::audit::china_day;
use crate::entity::{draw, draw_entry, task};
use crate::workflow::{self as wf, WorkflowError};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use suiji_domain::directory::Target;
use suiji_domain::workflow::{Conclusion, PenaltyStanding, RectificationStatus};

/// What the dossier says of the firm itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DossierTarget {
    pub uscc: String,
    pub name: String,
    /// Left empty in the public dossier.
    pub legal_rep: String,
    pub address: String,
    pub region: Option<String>,
    pub industry: Option<String>,
    /// `active`, … (the directory's code).
    pub status: String,
    /// 诚信等级 (public only where the bureau publishes grades).
    pub credit_grade: Option<String>,
}

/// One thing that happened to the firm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DossierEvent {
    /// The day it happened (China's date).
    pub on: NaiveDate,
    /// `drawn`, `inspected`, `result_published`, `result_corrected`, `result_withheld`,
    /// `non_cooperation`, `rectification_ordered`, `rectification_extended`,
    /// `rectification_closed`, `follow_up`, `penalty_decided`, `penalty_published`,
    /// `penalty_corrected`, `grade`, `notified` (told it is to be listed), `listed`, `delisted`.
    pub kind: String,
    pub zh: String,
    pub en: String,
    /// Whether the portal shows it.
    pub public: bool,
    /// Where it is shown: a staff page in the staff dossier, a public page in the public one.
    pub link: Option<String>,
}

/// A firm's dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Dossier {
    pub target: DossierTarget,
    /// Oldest first.
    pub events: Vec<DossierEvent>,
    /// Drawn (selected or as a replacement) in a valid draw, not counting follow-ups.
    pub times_drawn: u64,
    pub inspections: u64,
    /// Inspections that found problems (follow-ups not counted).
    pub violations: u64,
    pub penalties: u64,
    pub open_rectifications: u64,
    pub generated_at: DateTime<Utc>,
}

/// An event builder: `e(on, kind, zh, en, public, staff link, public link)`.
struct Events {
    all: Vec<(DossierEvent, Option<String>)>,
}

impl Events {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        on: NaiveDate,
        kind: &str,
        zh: String,
        en: String,
        public: bool,
        staff: Option<String>,
        portal: Option<String>,
    ) {
        let event = DossierEvent { on, kind: kind.to_owned(), zh, en, public, link: staff };
        self.all.push((event, portal));
    }
}

/// The staff dossier of `uscc` (all of it), or the public one (`public`: what the portal shows).
pub async fn dossier(store: &Store, uscc: &str, public: bool) -> Result<Dossier, WorkflowError> {
    let uscc = uscc.trim().to_uppercase();
    let Some((_, t)) = crate::directory::find::<Target>(store, &uscc).await.map_err(WorkflowError::Store)?
    else {
        return Err(WorkflowError::NotFound {
            zh: format!("检查对象名录库中没有 {uscc}"),
            en: format!("no target {uscc} in the directory"),
        });
    };
    let settings = crate::settings::load(store).await.map_err(WorkflowError::Store)?;
    let db = store.connection();
    let mut ev = Events { all: Vec::new() };
    let mut times_drawn = 0;

    // Draws that selected it.
    let entries = draw_entry::Entity::find()
        .filter(draw_entry::Column::Uscc.eq(&uscc))
        .filter(draw_entry::Column::State.is_in(["selected", "replacement", "gone", "control"]))
        .order_by_asc(draw_entry::Column::DrawId)
        .all(db)
        .await?;
    for e in entries {
        let (Some(d), Some(tk)) = (
            draw::Entity::find_by_id(e.draw_id).one(db).await?,
            task::Entity::find_by_id(e.task_id).one(db).await?,
        ) else {
            continue;
        };
        let valid = d.status == "valid";
        if valid && e.state != "gone" {
            times_drawn += 1;
        }
        let (zh_state, en_state) = match (e.state.as_str(), valid) {
            (_, false) => ("（该次抽取已作废）", " (that draw was annulled)"),
            ("replacement", _) => ("（递补）", " (as a replacement)"),
            ("control", _) => ("（对照样本）", " (in the control sample)"),
            ("gone", _) => ("（因注销等原因由备选递补）", " (gone; replaced from the reserve)"),
            _ => ("", ""),
        };
        ev.push(
            china_day(d.drawn_at),
            "drawn",
            format!("被随机抽中：{} {}，第 {} 位{zh_state}", tk.code, tk.title, e.rank),
            format!("Drawn at random: {} {}, rank {}{en_state}", tk.code, tk.title, e.rank),
            true,
            Some(format!("/staff/tasks/{}/draw", tk.id)),
            Some(format!("/public/tasks/{}", tk.code)),
        );
    }

    // Inspections and their results.
    let inspections = wf::inspections_of_target(store, &uscc).await?;
    let mut violations = 0;
    for i in &inspections {
        let staff = Some(format!("/staff/inspections/{}", i.id));
        let portal = Some(format!("/public/results?q={uscc}"));
        let what =
            if i.follow_up_of.is_some() { ("整改复查", "follow-up") } else { ("检查", "inspection") };
        // Not yet entered: the draw (or the follow-up's rectification) stands for it.
        let Some(form) = &i.form else { continue };
        if i.follow_up_of.is_none()
            && matches!(form.conclusion, Conclusion::Corrected | Conclusion::PendingHandling)
        {
            violations += 1;
        }
        let published = i.status == "published";
        let outcome = form.follow_up.map(|o| format!("；复查：{}", o.zh())).unwrap_or_default();
        let outcome_en = form.follow_up.map(|o| format!("; found {}", o.en())).unwrap_or_default();
        ev.push(
            form.ended_on,
            if i.follow_up_of.is_some() { "follow_up" } else { "inspected" },
            format!(
                "{}{}：{}{}{}",
                i.task_code,
                what.0,
                form.conclusion.zh(),
                form.handling.describe().iter().map(|h| format!("；{h}")).collect::<String>(),
                outcome
            ),
            format!("{} {}: {}{outcome_en}", i.task_code, what.1, form.conclusion.en()),
            published,
            staff.clone(),
            portal.clone(),
        );
        if let Some(n) = form.non_cooperation {
            // The published result names the conclusion only: so does the public dossier.
            let (zh, en) = if public {
                (form.conclusion.zh().to_owned(), form.conclusion.en().to_owned())
            } else {
                (format!("不配合检查情节严重：{}", n.zh()), format!("Serious non-cooperation: {}", n.en()))
            };
            ev.push(form.ended_on, "non_cooperation", zh, en, published, staff.clone(), portal.clone());
        }
        for p in i.publications.iter().rev() {
            let (kind, zh, en) = if p.version == 1 {
                ("result_published", "检查结果公示".to_owned(), "Result published".to_owned())
            } else {
                (
                    "result_corrected",
                    format!("检查结果更正（第{}版）：{}", p.version, p.reason),
                    format!("Result corrected (version {}): {}", p.version, p.reason),
                )
            };
            let late = if p.late { ("（逾期公示）", " (late)") } else { ("", "") };
            ev.push(
                china_day(p.published_at),
                kind,
                format!("{zh}{}", late.0),
                format!("{en}{}", late.1),
                true,
                staff.clone(),
                portal.clone(),
            );
        }
        if let Some(w) = &i.withheld {
            ev.push(
                china_day(w.decided_at),
                "result_withheld",
                format!("检查结果依法不予公开：{}", w.basis),
                format!("Result withheld from publication: {}", w.basis),
                false,
                staff.clone(),
                None,
            );
        }
    }

    // Rectifications: ordered with the result (public with it), extended, closed.
    let rectifications = wf::rectifications_of_target(store, &uscc).await?;
    let mut open_rectifications = 0;
    for r in &rectifications {
        let staff = Some(format!("/staff/rectifications/{}", r.id));
        let original_public = inspections.iter().any(|i| i.id == r.inspection_id && i.status == "published");
        ev.push(
            r.ordered_on,
            "rectification_ordered",
            format!("责令限期整改，期限 {}", r.deadline),
            format!("Ordered to rectify by {}", r.deadline),
            original_public,
            staff.clone(),
            Some(format!("/public/results?q={uscc}")),
        );
        if let (Some(until), Some(reason)) = (r.extended_to, &r.extension_reason) {
            ev.push(
                china_day(r.updated_at),
                "rectification_extended",
                format!("整改期限延长至 {until}：{reason}"),
                format!("Deadline extended to {until}: {reason}"),
                false,
                staff.clone(),
                None,
            );
        }
        match (r.status, r.closed_at) {
            (RectificationStatus::Open, _) => open_rectifications += 1,
            (status, Some(at)) => {
                let note = r.escalation_note.as_deref().map(|n| format!("：{n}")).unwrap_or_default();
                ev.push(
                    china_day(at),
                    "rectification_closed",
                    format!("整改办结：{}{note}", r.state(false)),
                    format!("Rectification closed: {}", r.state(true)),
                    // A follow-up that found it rectified is public with its result (when
                    // both it and the original result were published); a referral or case is
                    // not published here.
                    status == RectificationStatus::Rectified
                        && original_public
                        && r.follow_ups.last().is_some_and(|f| f.status == "published"),
                    staff.clone(),
                    Some(format!("/public/results?q={uscc}")),
                );
            }
            _ => {}
        }
    }

    // Penalties: decided, and their notices.
    let penalties = wf::penalties_of_target(store, &uscc).await?;
    for p in &penalties {
        let staff = Some(format!("/staff/penalties/{}", p.id));
        let portal = Some(format!("/public/penalties?q={uscc}"));
        let d = &p.decision;
        ev.push(
            d.decided_on,
            "penalty_decided",
            format!("行政处罚（{}，{}）：{}", d.procedure.zh(), d.decision_no, d.penalty),
            format!("Penalty ({}, {}): {}", d.procedure.en(), d.decision_no, d.penalty),
            p.standing == PenaltyStanding::Published,
            staff.clone(),
            portal.clone(),
        );
        for n in p.notices.iter().rev() {
            let late = if n.late { ("（逾期公示）", " (late)") } else { ("", "") };
            let (kind, zh, en) = if n.version == 1 {
                ("penalty_published", "行政处罚决定公示".to_owned(), "Penalty notice published".to_owned())
            } else {
                (
                    "penalty_corrected",
                    format!("行政处罚公示更正（第{}版）：{}", n.version, n.reason),
                    format!("Penalty notice corrected (version {}): {}", n.version, n.reason),
                )
            };
            ev.push(
                china_day(n.published_at),
                kind,
                format!("{zh}{}", late.0),
                format!("{en}{}", late.1),
                true,
                staff.clone(),
                portal.clone(),
            );
        }
    }

    // The public lists: proposed (staff only), listed and removed (public).
    for e in super::lists::entries_of_target(db, &uscc).await? {
        let staff = Some(format!("/staff/lists/{}", e.id));
        let portal = Some(format!("/public/lists/{}", e.list.slug()));
        let kinds: Vec<&str> = e.kinds.iter().map(|k| k.zh()).collect();
        if let Some(on) = e.notified_on {
            ev.push(
                on,
                "notified",
                format!("告知拟列入{}，陈述申辩期至 {}", e.list.zh(), e.statement_due.unwrap_or(on)),
                format!("Told it is to be listed ({}), may state its case", e.list.en()),
                false,
                staff.clone(),
                None,
            );
        }
        if let Some(on) = e.listed_on {
            let term = e.term_end.map(|t| format!("，至 {t} 止")).unwrap_or_default();
            ev.push(
                on,
                "listed",
                format!("列入{}{term}：{}", e.list.zh(), kinds.join("；")),
                format!("Listed: {}", e.list.en()),
                true,
                staff.clone(),
                portal.clone(),
            );
        }
        if let (Some(on), Some(removal)) = (e.removed_on, e.removal) {
            let why = e.removal_reason.as_deref().map(|r| format!("：{r}")).unwrap_or_default();
            ev.push(
                on,
                "delisted",
                format!("移出{}（{}）{why}", e.list.zh(), removal.zh()),
                format!("Off the list: {} ({})", e.list.en(), removal.en()),
                true,
                staff.clone(),
                portal.clone(),
            );
        }
    }

    // Grades, with the reason for each: public where the bureau publishes grades.
    for g in super::grades::grade_history(db, &uscc).await.map_err(WorkflowError::Store)? {
        let was = |none: &str| g.previous_grade.map_or_else(|| none.to_owned(), |p| p.code().to_owned());
        ev.push(
            china_day(g.decided_at),
            "grade",
            format!(
                "{}年度守法诚信等级评价：{}级（原为{}）。{}",
                g.year,
                g.grade.code(),
                was("未评级"),
                g.reason
            ),
            format!("{} labour-law compliance grade: {} (was {})", g.year, g.grade.code(), was("unrated")),
            settings.public_credit_grades,
            g.evaluation_id.map(|id| format!("/staff/credit/evaluations/{id}")),
            None,
        );
    }

    let mut events: Vec<DossierEvent> = ev
        .all
        .into_iter()
        .filter(|(e, _)| !public || e.public)
        .map(|(mut e, portal)| {
            if public {
                e.link = portal;
            }
            e
        })
        .collect();
    // Stable: on one day, in the order the records were read (draw, inspection, result…).
    events.sort_by_key(|e| e.on);
    let show_grade = !public || settings.public_credit_grades;
    let target = DossierTarget {
        uscc: t.uscc.clone(),
        name: t.name.clone(),
        legal_rep: if public { String::new() } else { t.legal_rep.clone() },
        address: if public { String::new() } else { t.address.clone() },
        region: t.region.clone(),
        industry: t.industry.clone(),
        status: t.status.code().to_owned(),
        credit_grade: t.credit_grade.filter(|_| show_grade).map(|g| g.code().to_owned()),
    };
    let public_inspections = inspections.iter().filter(|i| !public || i.status == "published");
    Ok(Dossier {
        target,
        events,
        times_drawn,
        inspections: public_inspections.clone().filter(|i| i.follow_up_of.is_none()).count() as u64,
        violations: if public {
            public_inspections
                .filter(|i| i.follow_up_of.is_none())
                .filter(|i| {
                    i.form.as_ref().is_some_and(|f| {
                        matches!(f.conclusion, Conclusion::Corrected | Conclusion::PendingHandling)
                    })
                })
                .count() as u64
        } else {
            violations
        },
        penalties: penalties.iter().filter(|p| !public || p.standing == PenaltyStanding::Published).count()
            as u64,
        open_rectifications: if public { 0 } else { open_rectifications },
        generated_at: crate::clock::now(),
    })
}

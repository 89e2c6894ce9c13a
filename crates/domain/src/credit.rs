//! 劳动保障守法诚信等级评价: each year a firm with records is graded A, B or C from what the
//! year's records show, under the bureau's rule set, with the reason for each grade. The
//! default rules follow 人社部《企业劳动保障守法诚信等级评价办法》(人社部规〔2016〕1号):
//!
//! - **A** — inspected in the year and no violation found;
//! - **B** — violations found (and handled), but none of C's grounds;
//! - **C** — violations found on `c_violations` or more inspections (three by default), serious
//!   non-cooperation with an inspection (无理抗拒、阻挠), refusing to carry out a rectification
//!   order (a follow-up found it not put right and the case was taken further), a serious
//!   violation listed publicly (重大劳动保障违法行为), or a mass incident recorded by the
//!   organizer when reviewing the proposal.
//!
//! The grade feeds the next draws' weights (C is drawn most often), which closes the loop.

use crate::directory::CreditGrade;
use serde::{Deserialize, Serialize};

/// A grade: A is the most trusted, C the least (the directory's 诚信等级).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Grade {
    A,
    B,
    C,
}

impl Grade {
    pub const ALL: [Grade; 3] = [Grade::A, Grade::B, Grade::C];

    pub fn code(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
        }
    }

    pub fn parse(code: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.code().eq_ignore_ascii_case(code.trim()))
    }

    /// As the directory keeps it.
    pub fn directory(self) -> CreditGrade {
        match self {
            Grade::A => CreditGrade::A,
            Grade::B => CreditGrade::B,
            Grade::C => CreditGrade::C,
        }
    }
}

/// The rule set an evaluation runs under (kept with the evaluation, so its reasons can be read
/// later under the rules of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GradeRules {
    /// Violations found on this many inspections in the year make C.
    pub c_violations: u32,
    /// Serious non-cooperation with an inspection makes C.
    pub c_non_cooperation: bool,
    /// A rectification order not carried out (taken further after a follow-up) makes C.
    pub c_refused_rectification: bool,
}

impl Default for GradeRules {
    fn default() -> GradeRules {
        GradeRules { c_violations: 3, c_non_cooperation: true, c_refused_rectification: true }
    }
}

/// The most inspections a bureau may set for C.
pub const MAX_C_VIOLATIONS: u32 = 20;

/// What a firm's records of one year show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct YearRecord {
    /// Inspections with a result (published or withheld), follow-ups not counted.
    pub inspections: u32,
    /// Of them, those that found problems.
    pub violations: u32,
    /// Penalties decided in the year.
    pub penalties: u32,
    /// Inspections concluded as serious non-cooperation.
    pub non_cooperation: u32,
    /// Rectifications taken further after a follow-up found them not put right.
    pub refused_rectifications: u32,
    /// Listings in the year: serious violations made public (重大劳动保障违法行为) and the
    /// wage-arrears list (拖欠农民工工资失信名单).
    pub serious_violations: u32,
}

impl YearRecord {
    /// Whether there is anything to grade.
    pub fn is_empty(&self) -> bool {
        self.inspections == 0 && self.penalties == 0 && self.serious_violations == 0
    }
}

/// One reason for a grade, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reason {
    pub zh: String,
    pub en: String,
}

impl Reason {
    fn new(zh: impl Into<String>, en: impl Into<String>) -> Reason {
        Reason { zh: zh.into(), en: en.into() }
    }
}

/// A grade with the reasons the rules gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Proposal {
    pub grade: Grade,
    pub reasons: Vec<Reason>,
}

impl GradeRules {
    /// The rules' values, checked.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=MAX_C_VIOLATIONS).contains(&self.c_violations) {
            return Err(format!("c_violations is 1 to {MAX_C_VIOLATIONS}"));
        }
        Ok(())
    }

    /// The grade `r` earns, with every ground that decided it.
    pub fn propose(&self, r: &YearRecord) -> Proposal {
        let mut c = Vec::new();
        if r.violations >= self.c_violations {
            c.push(Reason::new(
                format!(
                    "本年度 {} 次检查发现劳动保障违法行为（达到 {} 次即评为C级）",
                    r.violations, self.c_violations
                ),
                format!("violations found on {} inspections (C from {})", r.violations, self.c_violations),
            ));
        }
        if self.c_non_cooperation && r.non_cooperation > 0 {
            c.push(Reason::new(
                "无理抗拒、阻挠实施劳动保障监察",
                "serious non-cooperation with an inspection",
            ));
        }
        if self.c_refused_rectification && r.refused_rectifications > 0 {
            c.push(Reason::new(
                "拒不履行劳动保障监察限期整改指令",
                "did not carry out a rectification order",
            ));
        }
        if r.serious_violations > 0 {
            c.push(Reason::new(
                "因重大劳动保障违法行为被社会公布，或被列入拖欠农民工工资失信联合惩戒对象名单",
                "listed publicly for a serious violation or for unpaid migrant workers' wages",
            ));
        }
        if !c.is_empty() {
            return Proposal { grade: Grade::C, reasons: c };
        }
        if r.violations > 0 || r.penalties > 0 {
            let penalties = if r.penalties > 0 {
                format!("，受行政处罚 {} 次", r.penalties)
            } else {
                String::new()
            };
            return Proposal {
                grade: Grade::B,
                reasons: vec![Reason::new(
                    format!("本年度 {} 次检查发现劳动保障违法行为{penalties}，不属于C级情形", r.violations),
                    format!(
                        "violations found on {} inspections, {} penalties; none of C's grounds",
                        r.violations, r.penalties
                    ),
                )],
            };
        }
        Proposal {
            grade: Grade::A,
            reasons: vec![Reason::new(
                format!("本年度接受检查 {} 次，未发现劳动保障违法行为", r.inspections),
                format!("inspected {} times; no violation found", r.inspections),
            )],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(inspections: u32, violations: u32) -> YearRecord {
        YearRecord { inspections, violations, ..YearRecord::default() }
    }

    #[test]
    fn a_clean_year_is_a_and_a_violation_b() {
        let rules = GradeRules::default();
        assert_eq!(rules.propose(&record(2, 0)).grade, Grade::A);
        assert_eq!(rules.propose(&record(2, 1)).grade, Grade::B);
        assert_eq!(rules.propose(&YearRecord { penalties: 1, ..record(1, 0) }).grade, Grade::B);
    }

    #[test]
    fn c_has_its_grounds_each_named() {
        let rules = GradeRules::default();
        let p = rules.propose(&record(3, 3));
        assert_eq!((p.grade, p.reasons.len()), (Grade::C, 1));
        assert!(p.reasons[0].zh.contains("3 次"), "{:?}", p.reasons);
        let p = rules.propose(&YearRecord { non_cooperation: 1, refused_rectifications: 1, ..record(1, 1) });
        assert_eq!((p.grade, p.reasons.len()), (Grade::C, 2));
        let p = rules.propose(&YearRecord { serious_violations: 1, ..record(1, 1) });
        assert_eq!(p.grade, Grade::C);
    }

    #[test]
    fn a_bureau_may_change_the_thresholds() {
        let strict = GradeRules { c_violations: 2, ..GradeRules::default() };
        assert_eq!(strict.propose(&record(2, 2)).grade, Grade::C);
        let lenient = GradeRules { c_non_cooperation: false, ..GradeRules::default() };
        assert_eq!(lenient.propose(&YearRecord { non_cooperation: 1, ..record(1, 1) }).grade, Grade::B);
        assert!(GradeRules { c_violations: 0, ..GradeRules::default() }.check().is_err());
        assert!(record(0, 0).is_empty() && !record(1, 0).is_empty());
    }
}

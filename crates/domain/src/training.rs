//! 执法人员培训 (seed 003 二(五), 004 二(三), 002 第五条): each inspector's training — the course,
//! the day, the hours — kept on its record; a bureau may require training within so many months
//! for an inspector to be drawn onto a team.

use crate::text::Shape;
use crate::workflow::Invalid;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The most hours one training record may hold (a long course is recorded once).
pub const MAX_HOURS: u32 = 500;

/// The longest a bureau may ask training to be recent: five years.
pub const MAX_MONTHS: u32 = 60;

/// One course an inspector took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// 培训课程 (执法资格培训, 劳动保障监察业务培训…).
    #[schemars(length(min = 1, max = crate::text::MAX_NAME))]
    pub course: String,
    /// The day it ended.
    pub held_on: NaiveDate,
    /// 学时.
    #[schemars(range(min = 1, max = 500))]
    pub hours: u32,
    /// Who held it (optional).
    #[serde(default)]
    #[schemars(length(max = crate::text::MAX_NAME))]
    pub provider: String,
}

impl Training {
    /// The record's rules, on `today` (China's date).
    pub fn check(&self, today: NaiveDate) -> Vec<Invalid> {
        let mut out = Vec::new();
        crate::workflow::check_texts(
            &mut out,
            &[("course", &self.course, Shape::Name), ("provider", &self.provider, Shape::Name)],
        );
        if crate::text::trim(&self.course).is_empty() {
            out.push(Invalid::new("course", "培训课程不能为空", "the course is required"));
        }
        if !(1..=MAX_HOURS).contains(&self.hours) {
            out.push(Invalid::new(
                "hours",
                format!("学时应为 1 至 {MAX_HOURS}"),
                format!("hours are 1 to {MAX_HOURS}"),
            ));
        }
        if self.held_on > today {
            out.push(Invalid::new("held_on", "培训日期不能晚于今天", "the training cannot be in the future"));
        }
        if self.held_on.year() < 2000 {
            out.push(Invalid::new("held_on", "培训日期有误", "the date is wrong"));
        }
        out
    }
}

/// Whether training last held on `latest` is recent enough on `on` for a bureau that asks for
/// training within `months` (0: no requirement).
pub fn recent_enough(latest: Option<NaiveDate>, months: u32, on: NaiveDate) -> bool {
    earliest_counting(months, on).is_none_or(|since| latest.is_some_and(|d| d >= since))
}

/// The earliest training day that still counts on `on` (None: no requirement).
pub fn earliest_counting(months: u32, on: NaiveDate) -> Option<NaiveDate> {
    (months > 0).then(|| on.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_record_names_its_course_hours_and_a_past_day() {
        let t = Training {
            course: "劳动保障监察业务培训".into(),
            held_on: day(2026, 5, 20),
            hours: 16,
            provider: String::new(),
        };
        assert!(t.check(day(2026, 6, 1)).is_empty());
        let fields = |t: Training| t.check(day(2026, 6, 1)).into_iter().map(|p| p.field).collect::<Vec<_>>();
        assert_eq!(fields(Training { course: " ".into(), ..t.clone() }), ["course"]);
        assert_eq!(fields(Training { hours: 0, ..t.clone() }), ["hours"]);
        assert_eq!(fields(Training { hours: 501, ..t.clone() }), ["hours"]);
        assert_eq!(fields(Training { held_on: day(2026, 6, 2), ..t.clone() }), ["held_on"]);
    }

    #[test]
    fn training_counts_for_so_many_months() {
        let on = day(2026, 6, 30);
        assert!(recent_enough(None, 0, on), "no requirement");
        assert!(!recent_enough(None, 12, on), "never trained");
        assert!(recent_enough(Some(day(2025, 6, 30)), 12, on));
        assert!(!recent_enough(Some(day(2025, 6, 29)), 12, on));
        assert_eq!(earliest_counting(12, on), Some(day(2025, 6, 30)));
        assert_eq!(earliest_counting(0, on), None);
    }
}

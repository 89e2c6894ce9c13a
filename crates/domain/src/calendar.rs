//! China's workday calendar: Monday to Friday, except the statutory days off the State Council
//! publishes each year, plus the weekend days it makes working days (调休).
//!
//! The official schedule for 2020–2026 is built in (`data/calendar-cn.csv`, sources in
//! `data/README.md`); an administrator adds a newly announced year with `suiji calendar import`.
//! A year with no official data falls back to Monday–Friday, and every answer that relied on
//! such a year says so: a legal deadline is never a silent guess.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet};

/// A day the schedule names: a day off, or a weekend day made a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    Off,
    Work,
}

/// One day of an official schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The holiday it belongs to: 春节, 国庆节…
    pub name: String,
}

/// An answer, and whether it relied on a year without official data (then Monday–Friday).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer<T> {
    pub value: T,
    pub provisional: bool,
}

#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    days: BTreeMap<NaiveDate, ScheduledDay>,
    official_years: BTreeSet<i32>,
}

/// The official schedule built into suiji.
const BUILTIN: &str = include_str!("../data/calendar-cn.csv");

impl WorkCalendar {
    /// The built-in official schedule (2020–2026).
    pub fn builtin() -> WorkCalendar {
        let mut calendar = WorkCalendar::default();
        let days = parse_csv(BUILTIN).expect("the built-in calendar is valid");
        calendar.set_years(days);
        calendar
    }

    /// Adds official schedules, replacing whole years: every year that has a day in `days` is
    /// official afterwards, with exactly those days.
    pub fn set_years(&mut self, days: Vec<ScheduledDay>) {
        let years: BTreeSet<i32> = days.iter().map(|d| d.date.year()).collect();
        self.days.retain(|date, _| !years.contains(&date.year()));
        for day in days {
            self.days.insert(day.date, day);
        }
        self.official_years.extend(years);
    }

    /// The years with an official schedule.
    pub fn official_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.official_years.iter().copied()
    }

    pub fn is_official(&self, year: i32) -> bool {
        self.official_years.contains(&year)
    }

    /// The scheduled days of `year`.
    pub fn year(&self, year: i32) -> impl Iterator<Item = &ScheduledDay> + '_ {
        self.days.values().filter(move |d| d.date.year() == year)
    }

    fn workday(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(d) => d.kind == DayKind::Work,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    pub fn is_workday(&self, date: NaiveDate) -> Answer<bool> {
        Answer { value: self.workday(date), provisional: !self.is_official(date.year()) }
    }

    /// The date `n` working days after `date`, not counting `date` itself: the deadline of
    /// "within 20 working days of the inspection's end" is `add_workdays(end, 20)`.
    pub fn add_workdays(&self, date: NaiveDate, n: u32) -> Answer<NaiveDate> {
        let mut day = date;
        let mut left = n;
        let mut provisional = false;
        while left > 0 {
            day += Duration::days(1);
            provisional |= !self.is_official(day.year());
            if self.workday(day) {
                left -= 1;
            }
        }
        Answer { value: day, provisional }
    }
}

/// Reads a schedule: CSV `date,kind,name` (kind `off` or `work`), or a holiday-cn JSON file
/// (`{"days": [{"name", "date", "isOffDay"}]}`).
pub fn parse_schedule(text: &str) -> Result<Vec<ScheduledDay>, String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') { parse_holiday_cn(trimmed) } else { parse_csv(trimmed) }
}

fn parse_date(s: &str, line: usize) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("line {line}: {s:?} is not a date (YYYY-MM-DD)"))
}

fn parse_csv(text: &str) -> Result<Vec<ScheduledDay>, String> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, header)) if header.trim() == "date,kind,name" => {}
        _ => return Err("line 1: the header must be date,kind,name".into()),
    }
    let mut days = Vec::new();
    for (i, line) in lines {
        let mut cells = line.splitn(3, ',');
        let (date, kind, name) =
            (cells.next().unwrap_or(""), cells.next().unwrap_or(""), cells.next().unwrap_or(""));
        let kind = match kind.trim() {
            "off" => DayKind::Off,
            "work" => DayKind::Work,
            k => return Err(format!("line {}: kind {k:?} is neither off nor work", i + 1)),
        };
        days.push(ScheduledDay { date: parse_date(date, i + 1)?, kind, name: name.trim().to_owned() });
    }
    check(days)
}

/// The holiday-cn dataset's shape, one file a year.
fn parse_holiday_cn(text: &str) -> Result<Vec<ScheduledDay>, String> {
    #[derive(serde::Deserialize)]
    struct File {
        days: Vec<Day>,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Day {
        name: String,
        date: String,
        is_off_day: bool,
    }
    let file: File = serde_json::from_str(text).map_err(|e| format!("not a holiday-cn file: {e}"))?;
    let days = file
        .days
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            Ok(ScheduledDay {
                date: parse_date(&d.date, i + 1)?,
                kind: if d.is_off_day { DayKind::Off } else { DayKind::Work },
                name: d.name,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    check(days)
}

/// A schedule names each date once, and makes working days only of weekend days.
fn check(days: Vec<ScheduledDay>) -> Result<Vec<ScheduledDay>, String> {
    let mut seen = BTreeSet::new();
    for d in &days {
        if !seen.insert(d.date) {
            return Err(format!("{} appears twice", d.date));
        }
        if d.kind == DayKind::Work && !matches!(d.date.weekday(), Weekday::Sat | Weekday::Sun) {
            return Err(format!("{} is a weekday: only a weekend day can be made a working day", d.date));
        }
    }
    if days.is_empty() {
        return Err("the schedule names no day".into());
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_2026_schedule() {
        let c = WorkCalendar::builtin();
        assert_eq!(c.year(2026).filter(|d| d.kind == DayKind::Off).count(), 33);
        let work: Vec<String> =
            c.year(2026).filter(|d| d.kind == DayKind::Work).map(|d| d.date.to_string()).collect();
        assert_eq!(
            work,
            ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
        );
        // National Day week and the Saturday made a working day after it.
        assert!(!c.is_workday(d("2026-10-01")).value);
        assert!(c.is_workday(d("2026-10-10")).value);
        assert!(!c.is_workday(d("2026-10-10")).provisional);
        assert_eq!(c.official_years().collect::<Vec<_>>(), (2020..=2026).collect::<Vec<_>>());
    }

    #[test]
    fn working_days_after_do_not_count_the_day_itself() {
        let c = WorkCalendar::builtin();
        assert_eq!(c.add_workdays(d("2026-11-20"), 1).value, d("2026-11-23"), "Friday + 1 is Monday");
        assert_eq!(c.add_workdays(d("2026-11-23"), 0).value, d("2026-11-23"));
        // Across National Day 2026 (Oct 1–7 off, Sep 20 and Oct 10 working Sundays/Saturdays).
        assert_eq!(c.add_workdays(d("2026-09-30"), 1).value, d("2026-10-08"));
        assert_eq!(c.add_workdays(d("2026-09-30"), 3).value, d("2026-10-10"));
    }

    #[test]
    fn years_without_data_fall_back_and_say_so() {
        let c = WorkCalendar::builtin();
        let a = c.add_workdays(d("2026-12-20"), 20);
        assert!(a.provisional);
        assert_eq!(a.value, d("2027-01-15"), "Monday–Friday in 2027, as nothing is official yet");
        assert!(c.is_workday(d("2027-01-01")).provisional);
        assert!(!c.add_workdays(d("2026-11-02"), 20).provisional);
    }

    #[test]
    fn an_imported_year_replaces_the_fallback() {
        let mut c = WorkCalendar::builtin();
        let json = r#"{"year": 2027, "days": [
            {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
            {"name": "春节", "date": "2027-02-06", "isOffDay": false}]}"#;
        c.set_years(parse_schedule(json).unwrap());
        assert!(!c.is_workday(d("2027-01-01")).value);
        assert!(c.is_workday(d("2027-02-06")).value);
        assert!(!c.is_workday(d("2027-03-01")).provisional);
    }

    #[test]
    fn bad_schedules_are_refused() {
        assert!(parse_schedule("date,kind,name\n2027-01-04,work,x\n").unwrap_err().contains("weekday"));
        assert!(
            parse_schedule("date,kind,name\n2027-01-01,off,a\n2027-01-01,off,b\n")
                .unwrap_err()
                .contains("twice")
        );
        assert!(parse_schedule("day,kind\n").unwrap_err().contains("header"));
        assert!(parse_schedule("date,kind,name\n2027-13-01,off,a\n").unwrap_err().contains("not a date"));
    }
}

//! The national code tables a directory is checked against: administrative divisions
//! (GB/T 2260, six digits) and industries (GB/T 4754-2017).
//!
//! Both tables are built in (`data/regions.csv`, `data/industries.csv`; sources in
//! `data/README.md`), so every code a person reads can be shown with its name. A bureau that
//! uses another edition of the industry table (the 2019 amendment, say) loads its own
//! ([`Codes::load`], `SUIJI_INDUSTRIES`), which replaces the built-in one; with an empty table
//! an industry code is checked by the standard's structure only (a section letter A–T, a
//! two-digit division within its section's fixed range, a group or class of 3 or 4 digits).

use std::collections::HashMap;

const BUILTIN_REGIONS: &str = include_str!("../data/regions.csv");
const BUILTIN_INDUSTRIES: &str = include_str!("../data/industries.csv");
/// The header of an industry table file: `code,name,level`.
pub const INDUSTRIES_HEADER: &str = "code,name,level";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub name: String,
    /// The enclosing division's code, `None` for a province.
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Industry {
    /// Section letter and digits: `C`, `C18`, `C181`, `C1810`.
    pub code: String,
    pub name: String,
}

/// Region and industry tables.
#[derive(Debug, Clone, Default)]
pub struct Codes {
    regions: HashMap<String, Region>,
    /// By their digits (or the letter, for a section).
    industries: HashMap<String, Industry>,
}

/// The GB/T 4754-2017 section of a division (its two digits): the standard's fixed ranges.
pub fn section_of_division(division: u32) -> Option<char> {
    let section = match division {
        1..=5 => 'A',
        6..=12 => 'B',
        13..=43 => 'C',
        44..=46 => 'D',
        47..=50 => 'E',
        51..=52 => 'F',
        53..=60 => 'G',
        61..=62 => 'H',
        63..=65 => 'I',
        66..=69 => 'J',
        70 => 'K',
        71..=72 => 'L',
        73..=75 => 'M',
        76..=79 => 'N',
        80..=82 => 'O',
        83 => 'P',
        84..=85 => 'Q',
        86..=90 => 'R',
        91..=96 => 'S',
        97 => 'T',
        _ => return None,
    };
    Some(section)
}

impl Codes {
    /// The built-in tables.
    pub fn builtin() -> &'static Codes {
        static CODES: std::sync::OnceLock<Codes> = std::sync::OnceLock::new();
        CODES.get_or_init(|| {
            Codes::from_csv(BUILTIN_REGIONS, BUILTIN_INDUSTRIES).expect("the built-in tables are valid")
        })
    }

    /// The built-in tables, with either replaced by an official file's text.
    pub fn load(regions: Option<&str>, industries: Option<&str>) -> Result<Codes, String> {
        Codes::from_csv(regions.unwrap_or(BUILTIN_REGIONS), industries.unwrap_or(BUILTIN_INDUSTRIES))
    }

    /// Tables from CSV text: regions `code,name,parent`, industries `code,name,level`.
    pub fn from_csv(regions: &str, industries: &str) -> Result<Codes, String> {
        let mut codes = Codes::default();
        for (line, cells) in csv_lines(regions, "code,name,parent")? {
            let [code, name, parent] = cells[..] else {
                return Err(format!("regions line {line}: expected code,name,parent"));
            };
            if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("regions line {line}: {code:?} is not six digits"));
            }
            let parent = (!parent.is_empty()).then(|| parent.to_owned());
            codes
                .regions
                .insert(code.to_owned(), Region { code: code.to_owned(), name: name.to_owned(), parent });
        }
        for (line, cells) in csv_lines(industries, "code,name,level")? {
            let [code, name, _level] = cells[..] else {
                return Err(format!("industries line {line}: expected code,name,level"));
            };
            let full = normalize_industry(code)
                .ok_or_else(|| format!("industries line {line}: {code:?} is not a GB/T 4754 code"))?;
            let digits = full.trim_start_matches(|c: char| c.is_ascii_uppercase());
            let key = if digits.is_empty() { full.clone() } else { digits.to_owned() };
            codes.industries.insert(key, Industry { code: full, name: name.to_owned() });
        }
        Ok(codes)
    }

    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.get(code)
    }

    /// Whether an official industry table is loaded.
    pub fn has_industry_table(&self) -> bool {
        !self.industries.is_empty()
    }

    /// An industry by any of its writings: `C1810`, `1810`, `c18`.
    pub fn industry(&self, code: &str) -> Option<&Industry> {
        let full = normalize_industry(&crate::text::code(code))?;
        let digits = full.trim_start_matches(|c: char| c.is_ascii_uppercase());
        self.industries.get(if digits.is_empty() { full.as_str() } else { digits }).filter(|i| i.code == full)
    }

    /// A region cell: six digits in the table.
    pub(crate) fn region_cell(&self, value: &str) -> Result<String, (String, String)> {
        let code = crate::text::code(value);
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err((
                "区划代码应为6位数字（GB/T 2260）".into(),
                "a region code is six digits (GB/T 2260)".into(),
            ));
        }
        if self.region(&code).is_none() {
            return Err((
                "区划代码不在 GB/T 2260 代码表中".into(),
                "the region code is not in the GB/T 2260 table".into(),
            ));
        }
        Ok(code)
    }

    /// An industry cell, stored with its section letter.
    pub(crate) fn industry_cell(&self, value: &str) -> Result<String, (String, String)> {
        if !self.has_industry_table() {
            return normalize_industry(&crate::text::code(value)).ok_or_else(|| {
                (
                    "行业代码不符合 GB/T 4754-2017 的结构（门类字母与大类不符，或不是2至4位数字；如 C1811 或 1811）".into(),
                    "not a GB/T 4754-2017 code: section letter and division disagree, or not 2 to 4 digits (e.g. C1811 or 1811)".into(),
                )
            });
        }
        match self.industry(value) {
            Some(i) => Ok(i.code.clone()),
            None => Err((
                "行业代码不在 GB/T 4754-2017 代码表中（如 C1811 或 1811）".into(),
                "the industry code is not in the GB/T 4754-2017 table (e.g. C1811 or 1811)".into(),
            )),
        }
    }
}

/// `1810` → `C1810`; `C18` stays; a letter that is not the division's section is refused.
fn normalize_industry(code: &str) -> Option<String> {
    let (letter, digits) = match code.chars().next()? {
        c if c.is_ascii_uppercase() => (Some(c), &code[1..]),
        _ => (None, code),
    };
    if digits.is_empty() {
        return letter.filter(|l| ('A'..='T').contains(l)).map(String::from);
    }
    if !(2..=4).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let section = section_of_division(digits[..2].parse().ok()?)?;
    if letter.is_some_and(|l| l != section) {
        return None;
    }
    Some(format!("{section}{digits}"))
}

/// The lines of a small CSV without quoting, after checking its header.
fn csv_lines<'a>(text: &'a str, header: &str) -> Result<Vec<(usize, Vec<&'a str>)>, String> {
    let mut lines =
        text.trim_start_matches('\u{feff}').lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, h)) if h.trim() == header => {}
        _ => return Err(format!("line 1: the header must be {header}")),
    }
    Ok(lines.map(|(i, l)| (i + 1, l.split(',').map(str::trim).collect())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_districts_are_in_the_region_table() {
        let codes = Codes::builtin();
        for (code, name) in
            [("410307", "偃师区"), ("410421", "宝丰县"), ("411722", "上蔡县"), ("150802", "临河区")]
        {
            assert_eq!(codes.region(code).map(|r| r.name.as_str()), Some(name), "{code}");
        }
        assert_eq!(codes.region("410307").unwrap().parent.as_deref(), Some("410300"));
        assert!(codes.region_cell("999999").is_err());
        assert_eq!(codes.region_cell("４１０３０７"), Ok("410307".to_owned()));
    }

    /// A two-line table in the official file's shape (names are placeholders).
    fn with_industries() -> Codes {
        Codes::from_csv(BUILTIN_REGIONS, "code,name,level\nC18,测试大类,division\nC1810,测试小类,class\n")
            .unwrap()
    }

    #[test]
    fn industries_by_any_writing() {
        let codes = with_industries();
        let i = codes.industry("1810").expect("1810");
        assert_eq!(i.code, "C1810");
        assert_eq!(codes.industry("c1810"), Some(i));
        assert_eq!(codes.industry_cell("C18"), Ok("C18".to_owned()));
        assert!(codes.industry_cell("A1810").is_err(), "1810 is in section C");
        assert!(codes.industry_cell("1820").is_err(), "not in the loaded table");
        assert!(codes.industry_cell("18a").is_err());
    }

    #[test]
    fn the_standard_table_is_built_in() {
        let codes = Codes::builtin();
        assert!(codes.has_industry_table());
        assert_eq!(codes.industry("1811").map(|i| i.name.as_str()), Some("运动机织服装制造"));
        assert_eq!(codes.industry("C181").map(|i| i.name.as_str()), Some("机织服装制造"));
        assert_eq!(codes.industry("A").map(|i| i.name.as_str()), Some("农、林、牧、渔业"));
        assert_eq!(codes.industry_cell("ｆ5191"), Ok("F5191".to_owned()));
        assert!(codes.industry_cell("1899").is_err(), "not a class of the standard");
    }

    #[test]
    fn without_a_table_the_structure_is_checked() {
        let codes = Codes::load(None, Some(INDUSTRIES_HEADER)).unwrap();
        assert!(!codes.has_industry_table());
        assert_eq!(codes.industry_cell("1899"), Ok("C1899".to_owned()));
        assert_eq!(codes.industry_cell("ｆ5191"), Ok("F5191".to_owned()));
        for wrong in ["A1810", "9999", "18a", "U", "C1", "C18101", "Z97"] {
            assert!(codes.industry_cell(wrong).is_err(), "{wrong}");
        }
        assert_eq!(codes.industry_cell("T"), Ok("T".to_owned()));
    }
}

//! Parsing cells: text, codes, dates, counts, ratios and the lists' closed vocabularies.

use super::{Cells, FieldError};
use crate::text;
use chrono::NaiveDate;

/// Parses one row's cells, collecting every reason a cell cannot be taken.
pub(super) struct RowParser<'a> {
    cells: &'a dyn Cells,
    pub(super) errors: Vec<FieldError>,
}

/// Why a value is wrong: Chinese, English.
pub(super) type Reason = (String, String);

pub(super) fn reason(zh: impl Into<String>, en: impl Into<String>) -> Reason {
    (zh.into(), en.into())
}

/// Why a required cell cannot be left blank.
fn blank() -> Reason {
    reason("必填，不能为空", "required, must not be blank")
}

impl<'a> RowParser<'a> {
    pub(super) fn new(cells: &'a dyn Cells) -> Self {
        RowParser { cells, errors: Vec::new() }
    }

    /// The trimmed cell, `None` when the row has no such column.
    pub(super) fn raw(&self, column: &str) -> Option<&'a str> {
        self.cells.get(column).map(text::trim)
    }

    fn fail(&mut self, column: &'static str, value: &str, (zh, en): Reason) {
        // A refused value is echoed in the report: a huge cell stays a short line there.
        self.errors.push(FieldError { column, value: text::shorten(value, 100), zh, en });
    }

    /// A free-text cell ("" when blank or absent).
    pub(super) fn text(&mut self, column: &'static str, required: bool) -> String {
        let value = self.raw(column).unwrap_or_default();
        if let Some(problem) = text::Shape::Line.problem(value) {
            self.fail(column, value, problem);
        } else if required && value.is_empty() {
            self.fail(column, value, blank());
        }
        value.to_owned()
    }

    /// A free-text cell that also goes into the published files of a draw (a department, a
    /// target's kind): it may not begin with a formula sign.
    pub(super) fn label(&mut self, column: &'static str, required: bool) -> String {
        let value = self.text(column, required);
        if text::starts_like_formula(&value) {
            self.fail(column, &value.clone(), formula_sign());
        }
        value
    }

    /// A cell parsed by `parse` when not blank; `None` when blank, absent or wrong.
    pub(super) fn optional<T>(
        &mut self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, Reason>,
    ) -> Option<T> {
        let value = self.raw(column).unwrap_or_default();
        if value.is_empty() {
            return None;
        }
        match parse(value) {
            Ok(v) => Some(v),
            Err(r) => {
                self.fail(column, value, r);
                None
            }
        }
    }

    /// A cell that must be present and parse; `None` when it does not (the error is recorded).
    pub(super) fn required<T>(
        &mut self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, Reason>,
    ) -> Option<T> {
        let value = self.raw(column).unwrap_or_default();
        if value.is_empty() {
            self.fail(column, value, blank());
            return None;
        }
        self.optional(column, parse)
    }

    pub(super) fn finish<T>(self, record: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() { Ok(record()) } else { Err(self.errors) }
    }
}

/// A code-like cell: half-width, upper case, no spaces inside.
pub(super) fn code(value: &str) -> Result<String, Reason> {
    let code = text::code(value);
    if code.is_empty() || code.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(reason(
            "编码不能含空格或控制字符",
            "a code must not contain spaces or control characters",
        ));
    }
    if let Some(problem) = text::Shape::Code.problem(&code) {
        return Err(problem);
    }
    if text::starts_like_formula(&code) {
        return Err(formula_sign());
    }
    Ok(code)
}

/// Why a code or a label cannot begin with a formula sign: it goes into published CSV files
/// (a draw's population, its inspectors) that must be re-checked byte for byte, so it cannot
/// be guarded there with a `'` as other CSV cells are.
fn formula_sign() -> Reason {
    reason(
        "不能以 = + - @ 开头（表格软件会把它当作公式）",
        "must not begin with = + - @ (a spreadsheet would run it as a formula)",
    )
}

/// 统一社会信用代码, checked by GB 32100-2015.
pub(super) fn uscc(value: &str) -> Result<String, Reason> {
    use crate::uscc::UsccError;
    let code = text::code(value);
    crate::uscc::validate(&code).map_err(|e| match e {
        UsccError::Length(n) => {
            reason(format!("应为18位，实为{n}位"), format!("must be 18 characters, found {n}"))
        }
        UsccError::Character { position, found } => reason(
            format!("第{position}位字符“{found}”不允许（只能是数字和除I、O、S、V、Z外的大写字母）"),
            format!(
                "character {position} ({found:?}) is not allowed (digits and capitals except I, O, S, V, Z)"
            ),
        ),
        UsccError::CheckCharacter { found, expected } => reason(
            format!("校验位错误：第18位为“{found}”，按GB 32100-2015应为“{expected}”"),
            format!("wrong check character: {found}, GB 32100-2015 gives {expected}"),
        ),
    })?;
    Ok(code)
}

/// A date: 2027-12-31, 2027/12/31, 2027.12.31, 20271231 or 2027年12月31日.
pub(super) fn date(value: &str) -> Result<NaiveDate, Reason> {
    let v = text::half_width(value);
    let v = v.trim();
    let normalized = v.replace(['/', '.', '年', '月'], "-").replace('日', "");
    let parsed = NaiveDate::parse_from_str(&normalized, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(v, "%Y%m%d"));
    parsed.map_err(|_| reason("日期无法识别，请写作 2027-12-31", "not a date; write it as 2027-12-31"))
}

/// A whole number of people; thousands separators allowed.
pub(super) fn count(value: &str) -> Result<u32, Reason> {
    let v = text::half_width(value).replace([',', '，'], "");
    v.trim().parse::<u32>().map_err(|_| reason("应为非负整数", "must be a whole number"))
}

/// A ratio as a percentage (`5`, `5%`, `12.5%`), in basis points.
pub(crate) fn ratio_bp(value: &str) -> Result<u32, Reason> {
    let v = text::half_width(value);
    let v = v.trim().trim_end_matches('%').trim();
    let wrong =
        || reason("比例应为0到100之间的百分数，如 5%", "a ratio is a percentage from 0 to 100, e.g. 5%");
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    if whole.is_empty() || frac.len() > 2 || !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(wrong());
    }
    let whole: u32 = whole.parse().map_err(|_| wrong())?;
    let frac: u32 = format!("{frac:0<2}").parse().map_err(|_| wrong())?;
    let bp = whole.checked_mul(100).and_then(|w| w.checked_add(frac)).filter(|&bp| bp <= 10_000);
    bp.ok_or_else(wrong)
}

/// Writes basis points as a percentage: 500 → `5%`, 1250 → `12.5%`.
pub fn percent(bp: u32) -> String {
    match bp % 100 {
        0 => format!("{}%", bp / 100),
        r if r % 10 == 0 => format!("{}.{}%", bp / 100, r / 10),
        r => format!("{}.{r:02}%", bp / 100),
    }
}

/// A closed vocabulary: each value has a code (stored, English) and a Chinese label; cells
/// may hold either, in either case.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident = ($code:literal, $zh:literal $(, $alias:literal)*)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// Reads a code, a Chinese label or an alias.
            pub fn parse(value: &str) -> Option<$name> {
                let v = $crate::text::trim(&$crate::text::half_width(value)).to_lowercase();
                $(
                    if v.eq_ignore_ascii_case($code) || v == $zh $(|| v == $alias)* {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            /// Parses a cell, naming the accepted values when it is none of them.
            pub(super) fn cell(value: &str) -> Result<$name, super::fields::Reason> {
                $name::parse(value).ok_or_else(|| {
                    let zh: Vec<&str> = $name::ALL.iter().map(|v| v.zh()).collect();
                    let en: Vec<&str> = $name::ALL.iter().map(|v| v.code()).collect();
                    super::fields::reason(format!("应为{}之一", zh.join("、")), format!("must be one of {}", en.join(", ")))
                })
            }
        }
    };
}
pub(super) use vocabulary;

vocabulary!(
    /// 企业规模.
    Scale { Large = ("large", "大型"), Medium = ("medium", "中型"), Small = ("small", "小型"), Micro = ("micro", "微型") }
);
vocabulary!(
    /// 诚信等级: A is the most trusted, C the least.
    CreditGrade { A = ("A", "a级"), B = ("B", "b级"), C = ("C", "c级") }
);
vocabulary!(
    /// 信用风险分类: A lowest risk, D highest.
    RiskClass { A = ("A", "a类"), B = ("B", "b类"), C = ("C", "c类"), D = ("D", "d类") }
);
vocabulary!(
    /// 性别.
    Gender { Male = ("male", "男", "m"), Female = ("female", "女", "f") }
);
vocabulary!(
    /// 事项类别: key items (重点) may be inspected at any ratio; general ones at 5% at least.
    ItemCategory { Key = ("key", "重点"), General = ("general", "一般") }
);
vocabulary!(
    /// 检查方式.
    Method { OnSite = ("on-site", "现场", "现场检查"), Written = ("written", "书面", "书面检查"), Online = ("online", "网络监测") }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_ways_people_write_them() {
        let d = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap();
        for v in
            ["2027-12-31", "2027/12/31", "2027.12.31", "20271231", "2027年12月31日", "２０２７-１２-３１"]
        {
            assert_eq!(date(v), Ok(d), "{v}");
        }
        assert!(date("2027-02-30").is_err());
        assert!(date("明年").is_err());
    }

    #[test]
    fn ratios_are_percentages() {
        assert_eq!(ratio_bp("5"), Ok(500));
        assert_eq!(ratio_bp("5%"), Ok(500));
        assert_eq!(ratio_bp("12.5%"), Ok(1250));
        assert_eq!(ratio_bp("0.05"), Ok(5));
        assert_eq!(ratio_bp("100%"), Ok(10_000));
        assert!(ratio_bp("101%").is_err());
        assert!(ratio_bp("-5").is_err());
        assert!(ratio_bp("5.125").is_err());
        assert_eq!([500, 1250, 5, 10_000].map(percent), ["5%", "12.5%", "0.05%", "100%"]);
    }

    #[test]
    fn vocabularies_read_codes_labels_and_full_width() {
        assert_eq!(Scale::parse("大型"), Some(Scale::Large));
        assert_eq!(Scale::parse(" Large "), Some(Scale::Large));
        assert_eq!(CreditGrade::parse("Ｂ"), Some(CreditGrade::B));
        assert_eq!(CreditGrade::parse("C级"), Some(CreditGrade::C));
        assert_eq!(Method::parse("现场检查"), Some(Method::OnSite));
        assert_eq!(Scale::cell("巨型").unwrap_err().0, "应为大型、中型、小型、微型之一");
    }

    #[test]
    fn uscc_reasons_are_bilingual() {
        let (zh, en) = uscc("91350100M000100Y44").unwrap_err();
        assert_eq!(zh, "校验位错误：第18位为“4”，按GB 32100-2015应为“3”");
        assert_eq!(en, "wrong check character: 4, GB 32100-2015 gives 3");
        assert_eq!(uscc(" ９１３５０１００Ｍ０００１００Ｙ４３ "), Ok("91350100M000100Y43".into()));
    }
}

//! Statement dates at a precision: a day, ISO week, calendar month or calendar year.
//!
//! Known limits: the proleptic Gregorian calendar of `jiff`; weeks are ISO weeks
//! (Monday to Sunday).

use jiff::civil::{Date, ISOWeekDate};
use jiff::ToSpan;
use serde::{Deserialize, Serialize};

/// How coarse a statement's date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Week,
    Day,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Week => "week",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }
}

/// A day, ISO week, calendar month or calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// The first day of the period (the Monday of a week).
    pub first: Date,
    pub precision: Precision,
}

impl Period {
    pub fn day(d: Date) -> Period {
        Period { first: d, precision: Precision::Day }
    }

    /// The ISO week (Monday to Sunday) holding `d`.
    pub fn week(d: Date) -> Period {
        let back = i64::from(d.weekday().to_monday_zero_offset());
        Period { first: d.checked_sub(back.days()).unwrap_or(d), precision: Precision::Week }
    }

    pub fn month(d: Date) -> Period {
        Period { first: d.first_of_month(), precision: Precision::Month }
    }

    pub fn year(d: Date) -> Period {
        Period { first: d.first_of_year(), precision: Precision::Year }
    }

    /// The period of `precision` that holds `d`.
    pub fn of(d: Date, precision: Precision) -> Period {
        match precision {
            Precision::Day => Period::day(d),
            Precision::Week => Period::week(d),
            Precision::Month => Period::month(d),
            Precision::Year => Period::year(d),
        }
    }

    /// The last day of the period.
    pub fn last(&self) -> Date {
        match self.precision {
            Precision::Day => self.first,
            Precision::Week => self.first.checked_add(6.days()).unwrap_or(self.first),
            Precision::Month => self.first.last_of_month(),
            Precision::Year => self.first.last_of_year(),
        }
    }

    /// ISO 8601 at the period's precision: `2025-03-12`, `2025-W11`, `2025-03`, `2025`.
    pub fn label(&self) -> String {
        let d = self.first;
        match self.precision {
            Precision::Day => d.to_string(),
            Precision::Week => {
                let w: ISOWeekDate = d.iso_week_date();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            Precision::Month => format!("{:04}-{:02}", d.year(), d.month()),
            Precision::Year => format!("{:04}", d.year()),
        }
    }

    /// The period that begins a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` string.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = s.split('-').collect();
        if !parts.iter().all(|p| all_digits(p)) || parts[0].len() != 4 {
            return None;
        }
        let y: i16 = parts[0].parse().ok()?;
        match parts.as_slice() {
            [_] => Date::new(y, 1, 1).ok().map(Period::year),
            [_, m] if m.len() == 2 => Date::new(y, m.parse().ok()?, 1).ok().map(Period::month),
            [_, m, d] if m.len() == 2 && d.len() == 2 => {
                Date::new(y, m.parse().ok()?, d.parse().ok()?).ok().map(Period::day)
            }
            _ => None,
        }
    }
}

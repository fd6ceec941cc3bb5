//! Publication dates as news data writes them: `YYYY-MM-DD`, RFC 3339, `YYYY/M/D`,
//! epoch seconds; and a `YYYY-MM-DD` hidden in a file path.
//!
//! Known limits: no month names ("Feb 26, 1987"), no two-digit years, no day-first
//! orders; a time of day is ignored, never converted between zones (except epoch
//! seconds, read as UTC). Digit-only strings count as epoch seconds only from 9
//! digits up (1973-03-03 onwards), so a bare year or `20161012` is not misread as 1970.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The years whose days the index can hold and filter by: Tantivy keeps a date as
/// nanoseconds in an i64, about 1677-09-21 to 2262-04-11. A news article dated
/// outside them is a mistake in its data far more often than history.
pub const INDEXED_YEARS: std::ops::RangeInclusive<i16> = 1678..=2261;

/// [`INDEXED_YEARS`] as messages say them: "1678 to 2261".
pub fn indexed_years() -> String {
    format!("{} to {}", INDEXED_YEARS.start(), INDEXED_YEARS.end())
}

/// Whether `day` is within [`INDEXED_YEARS`].
pub fn indexable(day: Date) -> bool {
    INDEXED_YEARS.contains(&day.year())
}

/// Parses one date; `None` for anything it does not recognise, or that is not a
/// real day (2017-02-30). Dates are optional metadata, so failure is silent.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() >= 9 && s.bytes().all(|b| b.is_ascii_digit()) {
        return date_from_epoch(s.parse().ok()?);
    }
    // RFC 3339 and its common space-separated variant: the date is taken as written,
    // because the writer's local day is the day the article says it was published.
    if s.len() > 10 && matches!(s.as_bytes()[10], b'T' | b't' | b' ') {
        return s.get(..10).and_then(parse_ymd);
    }
    parse_ymd(s)
}

/// The UTC day of a Unix timestamp in seconds.
pub fn date_from_epoch(seconds: i64) -> Option<Date> {
    let ts = Timestamp::from_second(seconds).ok()?;
    Some(ts.to_zoned_datetime(TimeZone::UTC).date())
}

/// `YYYY-M-D` or `YYYY/M/D`, one separator kind throughout, month and day of one or
/// two digits.
fn parse_ymd(s: &str) -> Option<Date> {
    let sep = if s.contains('/') { '/' } else { '-' };
    let mut parts = s.split(sep);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || !(1..=2).contains(&m.len())
        || !(1..=2).contains(&d.len())
    {
        return None;
    }
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// The last real `YYYY-MM-DD` in `path` that is not part of a longer digit run; the
/// last, because the file name (most specific) comes after its folders.
pub fn date_in_path(path: &str) -> Option<Date> {
    let b = path.as_bytes();
    if b.len() < 10 {
        return None;
    }
    (0..=b.len() - 10).rev().find_map(|i| {
        let w = &b[i..i + 10];
        let shape = w.iter().enumerate().all(|(j, &c)| match j {
            4 | 7 => c == b'-',
            _ => c.is_ascii_digit(),
        });
        let digit_before = i > 0 && b[i - 1].is_ascii_digit();
        let digit_after = b.get(i + 10).is_some_and(|c| c.is_ascii_digit());
        if !shape || digit_before || digit_after {
            return None;
        }
        // The window is ASCII, so it is valid UTF-8.
        std::str::from_utf8(w).ok().and_then(parse_ymd)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn iso_day() {
        assert_eq!(parse_date("1987-02-26"), Some(date(1987, 2, 26)));
        assert_eq!(parse_date(" 1987-02-26\n"), Some(date(1987, 2, 26)));
    }

    #[test]
    fn rfc3339_keeps_the_written_day() {
        assert_eq!(parse_date("2016-10-12T08:00:00Z"), Some(date(2016, 10, 12)));
        assert_eq!(parse_date("2016-10-12T23:30:00-05:00"), Some(date(2016, 10, 12)));
        assert_eq!(parse_date("2016-10-12 23:30:00"), Some(date(2016, 10, 12)));
    }

    #[test]
    fn slashed_short_month_and_day() {
        assert_eq!(parse_date("2017/2/7"), Some(date(2017, 2, 7)));
        assert_eq!(parse_date("2017/12/31"), Some(date(2017, 12, 31)));
    }

    #[test]
    fn epoch_seconds_as_utc_day() {
        assert_eq!(parse_date("1500000000"), Some(date(2017, 7, 14)));
        assert_eq!(date_from_epoch(0), Some(date(1970, 1, 1)));
        assert_eq!(date_from_epoch(i64::MAX), None);
    }

    #[test]
    fn rejects_the_rest() {
        for s in [
            "",
            "  ",
            "2017",
            "20161012",
            "2017-02-30",
            "2017-13-01",
            "2017/2-7",
            "Feb 26, 1987",
            "2017-02-07x",
            "99999999999999999999",
            "é2017-02-07",
            "-1500000000",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
    }

    #[test]
    fn date_in_file_name() {
        assert_eq!(
            date_in_path("polnear/dev/text/breitbart_2016-10-12_slug.txt"),
            Some(date(2016, 10, 12))
        );
        assert_eq!(date_in_path("2015-01-01/x_2016-10-12.txt"), Some(date(2016, 10, 12)));
        assert_eq!(date_in_path("x_2016-02-30_y.txt"), None);
        assert_eq!(date_in_path("x_12016-02-03.txt"), None);
        assert_eq!(date_in_path("short"), None);
        assert_eq!(date_in_path("é_2016-10-12"), Some(date(2016, 10, 12)));
    }
}

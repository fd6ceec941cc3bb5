//! Days as the index stores them: a statement's day is a Tantivy date at midnight
//! UTC, within the years Tantivy can hold.
//!
//! Known limits: days only (no time of day); 1678 to 2261.

use anyhow::Result;
use jiff::civil::Date;
use tantivy::DateTime;

pub(crate) fn parse_day(s: &str) -> Option<jiff::civil::Date> {
    s.parse().ok()
}

/// The days Tantivy's dates can hold: it keeps nanoseconds in an i64, so a day
/// outside about 1677-09-21 … 2262-04-11 would wrap around silently.
pub(crate) fn in_date_range(day: jiff::civil::Date) -> bool {
    crate::article::indexable(day)
}

/// Midnight UTC of `day`, clamped to the days Tantivy can hold (so a search bound
/// such as `--until 9999` means "no later bound" rather than an overflow).
pub(crate) fn day_to_datetime(day: jiff::civil::Date) -> Result<DateTime> {
    let day = day.clamp(jiff::civil::date(1678, 1, 1), jiff::civil::date(2261, 12, 31));
    let secs = day.to_zoned_datetime(jiff::tz::TimeZone::UTC)?.timestamp().as_second();
    Ok(DateTime::from_timestamp_secs(secs))
}

/// `YYYY-MM-DD` of a stored date (which is always a UTC midnight).
pub(crate) fn datetime_to_day(dt: DateTime) -> Option<String> {
    let ts = jiff::Timestamp::from_second(dt.into_timestamp_secs()).ok()?;
    Some(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date().to_string())
}

/// The day of a stored date (always a UTC midnight).
pub(crate) fn day_of(dt: DateTime) -> Option<Date> {
    let ts = jiff::Timestamp::from_second(dt.into_timestamp_secs()).ok()?;
    Some(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_roundtrips_through_datetime() {
        let day = parse_day("2024-02-29").unwrap();
        let dt = day_to_datetime(day).unwrap();
        assert_eq!(dt.into_timestamp_secs() % 86_400, 0);
        assert_eq!(datetime_to_day(dt).as_deref(), Some("2024-02-29"));
        assert!(parse_day("2024-02-30").is_none());
        assert!(parse_day("yesterday").is_none());
    }
}

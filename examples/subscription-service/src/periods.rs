//! Billing periods: where a period starts and ends, as RFC 3339 date-times.

use chrono::{DateTime, Datelike, Days, FixedOffset, Months, SecondsFormat, TimeZone, Utc};
use subscription_api::BillingInterval;

/// The start of a first period: the requested instant, keeping its offset, or now.
/// The contract has already checked `requested` as a date-time; one chrono cannot read
/// (none is known) starts now rather than failing the request.
pub fn start(requested: Option<&str>) -> DateTime<FixedOffset> {
    requested
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        .unwrap_or_else(|| Utc::now().fixed_offset())
}

/// One interval after `start`, but never past the last instant a date-time can be written
/// with a four-digit year.
pub fn end(start: DateTime<FixedOffset>, interval: BillingInterval) -> DateTime<FixedOffset> {
    let months = match interval {
        BillingInterval::Month => 1,
        BillingInterval::Year => 12,
    };
    capped(start, start.checked_add_months(Months::new(months)))
}

/// `days` after `start`, capped like [`end`].
pub fn after_days(start: DateTime<FixedOffset>, days: u32) -> DateTime<FixedOffset> {
    capped(start, start.checked_add_days(Days::new(u64::from(days))))
}

fn capped(
    start: DateTime<FixedOffset>,
    later: Option<DateTime<FixedOffset>>,
) -> DateTime<FixedOffset> {
    later
        .filter(|instant| instant.year() <= 9999)
        .or_else(|| {
            start
                .offset()
                .with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
                .single()
        })
        .unwrap_or(start)
}

/// RFC 3339, `Z` for UTC.
pub fn format(instant: DateTime<FixedOffset>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Now, in RFC 3339.
pub fn now() -> String {
    format(Utc::now().fixed_offset())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_keep_the_offset_and_stop_at_year_9999() {
        let start = start(Some("2026-01-31T10:00:00+02:00"));
        assert_eq!(
            format(end(start, BillingInterval::Month)),
            "2026-02-28T10:00:00+02:00"
        );
        assert_eq!(
            format(end(start, BillingInterval::Year)),
            "2027-01-31T10:00:00+02:00"
        );
        let last = super::start(Some("9999-12-15T00:00:00Z"));
        assert_eq!(
            format(end(last, BillingInterval::Month)),
            "9999-12-31T23:59:59Z"
        );
        assert_eq!(format(after_days(last, 90)), "9999-12-31T23:59:59Z");
    }
}

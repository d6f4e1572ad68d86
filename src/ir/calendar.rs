//! Calendar dates of deprecation timelines, turned into the forms HTTP headers carry.
//!
//! Hand-written because three pure functions are all it takes; a date-time crate would be
//! a dependency of the generator for nothing else.

/// A `YYYY-MM-DD` day, checked to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let year = number(0..4)? as i32;
        let month = number(5..7)?;
        let day = number(8..10)?;
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    fn days_since_epoch(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5
            + i64::from(self.day)
            - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// Seconds since the Unix epoch at the start of the day, UTC.
    pub fn unix_seconds(self) -> i64 {
        self.days_since_epoch() * 86_400
    }

    /// The IMF-fixdate form of HTTP (`Tue, 30 Mar 2027 00:00:00 GMT`).
    pub fn http_date(self) -> String {
        const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let weekday = WEEKDAYS[self.days_since_epoch().rem_euclid(7) as usize];
        let month = MONTHS[(self.month - 1) as usize];
        format!(
            "{weekday}, {:02} {month} {:04} 00:00:00 GMT",
            self.day, self.year
        )
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_days_only() {
        assert!(Date::parse("2027-03-31").is_some());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("1900-02-29").is_none());
        assert!(Date::parse("2027-13-01").is_none());
        assert!(Date::parse("2027-3-31").is_none());
        assert!(Date::parse("+027-03-31").is_none());
    }

    #[test]
    fn http_dates_and_epoch_seconds_match_known_values() {
        let date = Date::parse("2027-03-31").unwrap();
        assert_eq!(date.http_date(), "Wed, 31 Mar 2027 00:00:00 GMT");
        assert_eq!(date.unix_seconds(), 1_806_451_200);
        assert_eq!(Date::parse("1970-01-01").unwrap().unix_seconds(), 0);
        assert_eq!(date.to_string(), "2027-03-31");
        assert_eq!(
            Date::parse("2000-02-29").unwrap().http_date(),
            "Tue, 29 Feb 2000 00:00:00 GMT"
        );
    }
}

//! Date and duration wording, the same on server and browser.
use chrono::{DateTime, Utc};

/// `2021-01-21 15:17 UTC`
pub fn utc_minutes(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// `2021-01-21`
pub fn day(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

/// The machine-readable form for `<time datetime>`.
pub fn iso(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `1 h 5 min`, `1 min 46 s`, `12 s`.
pub fn duration(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s} s"),
        (0, _) => format!("{m} min {s} s"),
        _ => format!("{h} h {m} min"),
    }
}

/// `just now`, `3 minutes ago`, `2 days ago` for an age in seconds.
pub fn ago(secs: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" });
    match secs.max(0) {
        0..=59 => "just now".to_string(),
        s @ 60..=3599 => plural(s / 60, "minute"),
        s @ 3600..=86_399 => plural(s / 3600, "hour"),
        s @ 86_400..=2_591_999 => plural(s / 86_400, "day"),
        s @ 2_592_000..=31_535_999 => plural(s / 2_592_000, "month"),
        s => plural(s / 31_536_000, "year"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording() {
        assert_eq!(duration(106), "1 min 46 s");
        assert_eq!(duration(12), "12 s");
        assert_eq!(duration(3900), "1 h 5 min");
        assert_eq!(ago(5), "just now");
        assert_eq!(ago(60), "1 minute ago");
        assert_eq!(ago(180), "3 minutes ago");
        assert_eq!(ago(7200), "2 hours ago");
        assert_eq!(ago(86_400 * 3), "3 days ago");
        assert_eq!(ago(-5), "just now");
    }
}

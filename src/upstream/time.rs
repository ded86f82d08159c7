//! The date formats the services use, all UTC.
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

/// Bodhi `2019-01-21 16:51:00`, Bugzilla `2019-03-29T16:57:48Z` (or without `Z`),
/// Koji `2021-01-21 15:17:02.903082+00:00`.
pub fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%:z") {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .map(|t| t.and_utc())
}

/// Unix seconds (Koji `*_ts`, mdapi changelog `date`).
pub fn from_unix(secs: f64) -> Option<DateTime<Utc>> {
    let whole = secs.floor();
    // Microseconds, as Koji stores them; finer digits are float noise.
    let micros = ((secs - whole) * 1e6).round() as u32;
    Utc.timestamp_opt(whole as i64, micros.min(999_999) * 1000).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_service_format() {
        let bodhi = parse_utc("2019-01-21 16:51:00").unwrap();
        assert_eq!(bodhi.to_rfc3339(), "2019-01-21T16:51:00+00:00");
        let bz = parse_utc("2019-03-29T16:57:48Z").unwrap();
        assert_eq!(bz, parse_utc("2019-03-29T16:57:48").unwrap());
        let koji = parse_utc("2021-01-21 15:17:02.903082+00:00").unwrap();
        assert_eq!(koji.timestamp(), 1611242222);
        assert_eq!(parse_utc("yesterday"), None);
    }

    #[test]
    fn reads_unix_seconds() {
        assert_eq!(from_unix(1611242222.903082).unwrap().timestamp(), 1611242222);
        assert_eq!(from_unix(1739361600.0).unwrap().to_rfc3339(), "2025-02-12T12:00:00+00:00");
    }
}

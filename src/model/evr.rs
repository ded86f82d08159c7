//! rpm's version comparison (`rpmvercmp`), to pick the newest build of a
//! package among a branch's repositories the way dnf would.
use std::cmp::Ordering;

/// Compares two version (or release) strings as rpm does: runs of digits
/// numerically, runs of letters as text, a digit run beats a letter run,
/// `~` sorts before anything (pre-releases) and `^` after the base only.
pub fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (mut one, mut two) = (a.as_bytes(), b.as_bytes());
    let separator = |c: &u8| !c.is_ascii_alphanumeric() && *c != b'~' && *c != b'^';
    loop {
        while one.first().is_some_and(separator) {
            one = &one[1..];
        }
        while two.first().is_some_and(separator) {
            two = &two[1..];
        }
        // A tilde sorts before everything, even the end of the string.
        if one.first() == Some(&b'~') || two.first() == Some(&b'~') {
            if one.first() != Some(&b'~') {
                return Ordering::Greater;
            }
            if two.first() != Some(&b'~') {
                return Ordering::Less;
            }
            (one, two) = (&one[1..], &two[1..]);
            continue;
        }
        // A caret sorts after the end of the string but before anything else.
        if one.first() == Some(&b'^') || two.first() == Some(&b'^') {
            if one.is_empty() {
                return Ordering::Less;
            }
            if two.is_empty() {
                return Ordering::Greater;
            }
            if one.first() != Some(&b'^') {
                return Ordering::Greater;
            }
            if two.first() != Some(&b'^') {
                return Ordering::Less;
            }
            (one, two) = (&one[1..], &two[1..]);
            continue;
        }
        if one.is_empty() || two.is_empty() {
            break;
        }
        let numeric = one[0].is_ascii_digit();
        let kind = |c: &u8| if numeric { c.is_ascii_digit() } else { c.is_ascii_alphabetic() };
        let len1 = one.iter().take_while(|c| kind(c)).count();
        let len2 = two.iter().take_while(|c| kind(c)).count();
        let (seg1, seg2) = (&one[..len1], &two[..len2]);
        (one, two) = (&one[len1..], &two[len2..]);
        // Segments of different kinds: the numeric one is newer.
        if seg2.is_empty() {
            return if numeric { Ordering::Greater } else { Ordering::Less };
        }
        let order = if numeric {
            let trim = |s: &'_ [u8]| -> usize { s.iter().take_while(|c| **c == b'0').count() };
            let (n1, n2) = (&seg1[trim(seg1)..], &seg2[trim(seg2)..]);
            n1.len().cmp(&n2.len()).then_with(|| n1.cmp(n2))
        } else {
            seg1.cmp(seg2)
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    match (one.is_empty(), two.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

/// Compares epoch, then version, then release.
pub fn compare_evr(a: (i32, &str, &str), b: (i32, &str, &str)) -> Ordering {
    a.0.cmp(&b.0).then_with(|| rpmvercmp(a.1, b.1)).then_with(|| rpmvercmp(a.2, b.2))
}

/// `[epoch:]version-release`, the epoch left out when it is 0, as rpm prints it.
pub fn label(epoch: Option<&str>, version: &str, release: &str) -> String {
    match epoch {
        Some(e) if !e.is_empty() && e != "0" => format!("{e}:{version}-{release}"),
        _ => format!("{version}-{release}"),
    }
}

/// A versioned requirement's `>= 1:0.50.0` from rpm's flags (`GE`, ...)
/// and its parts, the epoch left out when 0; `None` when unversioned.
pub fn constraint(
    flags: Option<&str>,
    epoch: Option<&str>,
    version: Option<&str>,
    release: Option<&str>,
) -> Option<String> {
    let op = match flags? {
        "EQ" => "=",
        "LT" => "<",
        "LE" => "<=",
        "GT" => ">",
        "GE" => ">=",
        other => other,
    };
    let mut evr = String::new();
    if let Some(e) = epoch.filter(|e| !e.is_empty() && *e != "0") {
        evr.push_str(e);
        evr.push(':');
    }
    evr.push_str(version?);
    if let Some(r) = release {
        evr.push('-');
        evr.push_str(r);
    }
    Some(format!("{op} {evr}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases from rpm's own test suite (tests/rpmvercmp.at).
    #[test]
    fn agrees_with_rpm() {
        let cases: &[(&str, &str, i32)] = &[
            ("1.0", "1.0", 0),
            ("1.0", "2.0", -1),
            ("2.0", "1.0", 1),
            ("2.0.1", "2.0.1", 0),
            ("2.0", "2.0.1", -1),
            ("2.0.1a", "2.0.1", 1),
            ("5.5p1", "5.5p10", -1),
            ("5.5p10", "5.5p1", 1),
            ("10xyz", "10.1xyz", -1),
            ("xyz10", "xyz10.1", -1),
            ("xyz.4", "8", -1),
            ("8", "xyz.4", 1),
            ("5.5p2", "5.6p1", -1),
            ("6.0", "6.0.rc1", -1),
            ("6.0.rc1", "6.0", 1),
            ("10b2", "10a1", 1),
            ("1.0aa", "1.0a", 1),
            ("10.0001", "10.1", 0),
            ("10.0001", "10.0039", -1),
            ("4.999.9", "5.0", -1),
            ("20101121", "20101122", -1),
            ("2_0", "2_0", 0),
            ("2.0", "2_0", 0),
            ("a", "a", 0),
            ("a+", "a_", 0),
            ("+", "_", 0),
            ("1.0~rc1", "1.0~rc1", 0),
            ("1.0~rc1", "1.0", -1),
            ("1.0", "1.0~rc1", 1),
            ("1.0~rc1", "1.0~rc2", -1),
            ("1.0~rc1~git123", "1.0~rc1", -1),
            ("1.0^", "1.0", 1),
            ("1.0^git1", "1.0", 1),
            ("1.0^git1", "1.0^git2", -1),
            ("1.0^git1", "1.01", -1),
            ("1.0^20160101", "1.0.1", -1),
            ("1.0~rc1^git1", "1.0~rc1", 1),
            ("1.0^git1~pre", "1.0^git1", -1),
        ];
        for (a, b, want) in cases {
            let got = match rpmvercmp(a, b) {
                Ordering::Less => -1,
                Ordering::Equal => 0,
                Ordering::Greater => 1,
            };
            assert_eq!(got, *want, "rpmvercmp({a:?}, {b:?})");
        }
    }

    #[test]
    fn epoch_first() {
        assert_eq!(compare_evr((1, "0.1", "1"), (0, "9.9", "9")), Ordering::Greater);
        assert_eq!(compare_evr((0, "0.8.6", "1.fc42"), (0, "0.8.4", "3.fc42")), Ordering::Greater);
        assert_eq!(compare_evr((0, "1.3.0", "1.fc42"), (0, "1.3.0", "1.fc42")), Ordering::Equal);
    }
}

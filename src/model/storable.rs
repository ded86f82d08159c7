//! Text made storable: PostgreSQL refuses NUL in `text` and `\u0000` in
//! `jsonb`, so one NUL in an upstream answer or a bus message would make
//! every write that carries it fail. Every string from outside passes
//! through here before it reaches SQL (connectors' bodies and parsed JSON,
//! bus messages, and the database layer's last check).
use std::borrow::Cow;

use serde_json::Value;

/// Longest package name accepted from outside (RPM has no limit; Fedora's
/// longest is about 80 bytes, and PostgreSQL's btree keys end near 2.7 kB).
pub const MAX_NAME_BYTES: usize = 255;

/// The text without NUL characters.
pub fn text(s: &str) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', ""))
    } else {
        Cow::Borrowed(s)
    }
}

/// Removes NUL from a string in place.
pub fn clean_string(s: &mut String) {
    if s.contains('\0') {
        s.retain(|c| c != '\0');
    }
}

/// Removes NUL from every string and key of a JSON value.
pub fn clean_json(value: &mut Value) {
    match value {
        Value::String(s) => clean_string(s),
        Value::Array(items) => items.iter_mut().for_each(clean_json),
        Value::Object(map) => {
            if map.keys().any(|k| k.contains('\0')) {
                let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                for (mut k, v) in entries {
                    clean_string(&mut k);
                    map.insert(k, v);
                }
            }
            map.values_mut().for_each(clean_json);
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Whether a name from outside can be a package name: not empty, bounded,
/// no control characters, no path separator.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && !name.chars().any(|c| c.is_control() || c == '/' || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_removed_everywhere() {
        assert_eq!(text("a\0b"), "ab");
        assert!(matches!(text("plain"), Cow::Borrowed(_)));
        let mut v: Value = serde_json::from_str(r#"{"k\u0000": ["x\u0000y", {"z": "\u0000"}], "n": 1}"#).unwrap();
        clean_json(&mut v);
        assert_eq!(v, serde_json::json!({"k": ["xy", {"z": ""}], "n": 1}));
    }

    #[test]
    fn names_from_outside() {
        for ok in ["gtk+", "libstdc++", "python3.12", "perl-Net-DNS", "ocaml-ppx_deriving"] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in ["", "a b", "a/b", "a\0b", "a\nb", &"x".repeat(256)] {
            assert!(!valid_name(bad), "{bad:?}");
        }
    }
}

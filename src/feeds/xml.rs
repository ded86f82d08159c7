//! Writing XML documents with quick-xml, which escapes text and attributes;
//! characters XML 1.0 cannot carry at all (most control characters) are
//! dropped from upstream text first.
use std::borrow::Cow;
use std::io;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

pub type Xml = Writer<Vec<u8>>;

/// A document: the XML declaration, then what `body` writes.
pub fn document(body: impl FnOnce(&mut Xml) -> io::Result<()>) -> io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    body(&mut w)?;
    Ok(w.into_inner())
}

/// `<name>text</name>`.
pub fn text(w: &mut Xml, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name).write_text_content(BytesText::new(&clean(text)))?;
    Ok(())
}

/// Text XML 1.0 can carry (§2.2 Char): no control characters but tab and
/// newlines, no surrogates (Rust has none), no U+FFFE/U+FFFF.
pub fn clean(s: &str) -> Cow<'_, str> {
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    match s.chars().all(allowed) {
        true => Cow::Borrowed(s),
        false => Cow::Owned(s.chars().filter(|&c| allowed(c)).collect()),
    }
}

/// RFC 3339 in UTC, as Atom and sitemaps want dates.
pub fn date(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_hold() {
        let body = document(|w| text(w, "title", "a<b>&\"c\u{1}\u{b}d\u{fffe}")).unwrap();
        let s = String::from_utf8(body).unwrap();
        assert!(s.contains("<title>a&lt;b&gt;&amp;&quot;cd</title>"), "{s}");
    }
}

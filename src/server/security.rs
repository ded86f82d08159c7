//! The headers every response carries, cached or not: a strict
//! Content-Security-Policy (scripts from this site, WebAssembly, and the
//! page's own inline scripts by hash), `nosniff`, a referrer policy, no
//! framing, and HSTS when the site is served over https.
use axum::body::Bytes;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use base64::Engine;
use sha2::{Digest, Sha256};

/// Everything but the scripts: styles and images from this site, fetches
/// to it only, no plugins, no framing, forms posted here.
const BASE_POLICY: &str = "default-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
     object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The static security headers, built once per process.
#[derive(Clone)]
pub struct SecurityHeaders {
    fixed: Vec<(HeaderName, HeaderValue)>,
    /// `connect-src`: this site, plus the live-reload socket under `cargo leptos watch`.
    connect: String,
    /// The policy of everything but HTML (no inline scripts), built once:
    /// JSON, feeds, assets and errors carry it on every answer.
    plain: HeaderValue,
}

impl SecurityHeaders {
    /// `https`: the site is served over TLS (`SITE_URL`), so browsers are told to stay on it.
    pub fn new(https: bool) -> Self {
        let mut fixed = vec![
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")),
        ];
        if https {
            fixed.push((STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains")));
        }
        let watch = std::env::var_os("LEPTOS_WATCH").is_some();
        let connect = if watch { "connect-src 'self' ws: wss:" } else { "connect-src 'self'" }.to_string();
        let plain = policy(&connect, &[]);
        SecurityHeaders { fixed, connect, plain }
    }

    /// The policy of a page: its inline scripts allowed by their hashes.
    pub fn policy_for(&self, body: &[u8], content_type: Option<&HeaderValue>) -> HeaderValue {
        let html = content_type.and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
        match html {
            true => policy(&self.connect, &inline_script_hashes(body)),
            false => self.plain.clone(),
        }
    }

    /// Sets the headers on a response; `policy` when the caller computed
    /// (or cached) the page's own, else the one for its body.
    pub fn apply(&self, headers: &mut HeaderMap, policy: Option<&HeaderValue>, body: Option<&Bytes>) {
        for (name, value) in &self.fixed {
            headers.insert(name.clone(), value.clone());
        }
        if !headers.contains_key(CONTENT_SECURITY_POLICY) {
            let value = match policy {
                Some(p) => p.clone(),
                None => self.policy_for(body.map(|b| &b[..]).unwrap_or_default(), headers.get(CONTENT_TYPE)),
            };
            headers.insert(CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// The policy: scripts from this site, WebAssembly, and the inline scripts
/// with these hashes; fetches to `connect`.
fn policy(connect: &str, hashes: &[String]) -> HeaderValue {
    let scripts = format!(
        "script-src 'self' 'wasm-unsafe-eval'{}",
        hashes.iter().fold(String::new(), |mut s, h| {
            s.push_str(" 'sha256-");
            s.push_str(h);
            s.push('\'');
            s
        })
    );
    let policy = format!("{BASE_POLICY}; {connect}; {scripts}");
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static(BASE_POLICY))
}

/// The base64 SHA-256 of every inline `<script>` (one without `src`).
pub fn inline_script_hashes(html: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(html);
    let mut out = Vec::new();
    let mut rest: &str = &text;
    while let Some(open) = rest.find("<script") {
        let after = &rest[open..];
        let Some(tag_end) = after.find('>') else { break };
        let tag = &after[..tag_end];
        let body_start = open + tag_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else { break };
        if !tag.contains(" src=") {
            let body = &rest[body_start..body_start + close];
            out.push(base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body.as_bytes())));
        }
        rest = &rest[body_start + close + "</script>".len()..];
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_not() {
        let html = br#"<head><script type="module">import('/pkg/a.js')</script><script src="/pkg/x.js"></script></head><body><script>window.x=1</script></body>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"window.x=1"));
        assert!(hashes.contains(&expected));
        let headers = SecurityHeaders::new(false);
        let policy = headers.policy_for(html, Some(&HeaderValue::from_static("text/html; charset=utf-8")));
        let policy = policy.to_str().unwrap();
        assert!(policy.contains(&format!("'sha256-{expected}'")));
        assert!(policy.contains("'wasm-unsafe-eval'") && policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
    }

    #[test]
    fn hsts_only_over_https() {
        let mut h = HeaderMap::new();
        SecurityHeaders::new(false).apply(&mut h, None, None);
        assert!(!h.contains_key(STRICT_TRANSPORT_SECURITY));
        assert_eq!(h[X_CONTENT_TYPE_OPTIONS], "nosniff");
        let mut h = HeaderMap::new();
        SecurityHeaders::new(true).apply(&mut h, None, None);
        assert!(h.contains_key(STRICT_TRANSPORT_SECURITY));
        assert!(h.contains_key(CONTENT_SECURITY_POLICY));
    }
}

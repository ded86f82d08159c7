use leptos::prelude::*;

use crate::model::{url_query, Tab};

/// The package's version badge and the Markdown that shows it in a README,
/// selectable in one click. URLs are absolute: the snippet is pasted elsewhere.
#[component]
pub fn BadgeSnippet(name: String, site_url: String, branch: Option<String>) -> impl IntoView {
    let page = format!("{site_url}{}", Tab::Overview.href(&name));
    let mut badge = format!("{page}/badge.svg");
    if let Some(b) = &branch {
        badge.push_str(&format!("?branch={}", url_query(b)));
    }
    // Markdown would end the link text at `]` or the URL at `)`.
    let label = format!("{} in Fedora", name.replace(['[', ']'], ""));
    let markdown = format!("[![{label}]({})]({})", badge.replace(')', "%29"), page.replace(')', "%29"));
    let local = badge.strip_prefix(&site_url).unwrap_or(&badge).to_string();
    view! {
        <section class="badge-snippet">
            <h2>"Badge"</h2>
            <p><img src=local alt=label height="20"/></p>
            <p>"For a README, in Markdown:"</p>
            <pre tabindex="0"><code>{markdown}</code></pre>
        </section>
    }
}

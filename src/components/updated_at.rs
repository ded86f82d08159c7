use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::time::{iso, utc_minutes};

/// When a tab's data was refreshed. The server writes the exact UTC time; the
/// browser rewords it as "updated 3 minutes ago" once hydrated, so a cached
/// page never carries a stale "minutes ago".
#[component]
pub fn UpdatedAt(at: DateTime<Utc>) -> impl IntoView {
    let absolute = utc_minutes(&at);
    let (text, set_text) = signal(format!("updated {absolute}"));
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let now_ms = js_sys::Date::now() as i64;
            set_text.set(format!("updated {}", super::time::ago(now_ms / 1000 - at.timestamp())));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = set_text;
    });
    view! {
        <p class="updated-at">
            <time datetime=iso(&at) title=absolute>{text}</time>
        </p>
    }
}

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::time::{iso, utc_minutes};

/// When a tab's data was refreshed. The server writes the exact UTC time; on
/// a package page the browser rewords it as "updated 3 minutes ago"
/// (`pages::package::live_tabs`), so a cached page never carries a stale
/// "minutes ago".
#[component]
pub fn UpdatedAt(at: DateTime<Utc>) -> impl IntoView {
    let absolute = utc_minutes(&at);
    view! {
        <p class="updated-at">
            <time datetime=iso(&at) title=absolute.clone()>{format!("updated {absolute}")}</time>
        </p>
    }
}

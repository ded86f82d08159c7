//! The package page follows its live stream (`/packages/{name}/live`) in
//! the browser: each change it hears of is put in a signal, and the tab
//! shown refetches itself when the change touches it
//! (`pages::package::live_tabs`). On the server, and without JavaScript,
//! nothing here runs.
use leptos::prelude::*;

use crate::model::live::LiveChange;

/// The newest change the page has heard of.
#[derive(Clone, Copy)]
pub struct LiveUpdates {
    pub last: ReadSignal<Option<LiveChange>>,
}

/// Opens the stream of the package shown (again when the name changes).
/// `read_at` gives, for a name, the refresh version the page was read at,
/// if known: the stream starts from there.
pub fn follow_live(name: Memo<String>, read_at: Callback<String, Option<i64>>) -> LiveUpdates {
    let (last, set_last) = signal(None::<LiveChange>);
    #[cfg(feature = "hydrate")]
    browser::follow(name, read_at, set_last);
    #[cfg(not(feature = "hydrate"))]
    let _ = (name, read_at, set_last);
    LiveUpdates { last }
}

/// The open/closed state of the `<details>` inside `selector`, by their
/// summaries' text, so a re-rendered tab can be put back as the reader left it.
pub fn details_state(selector: &str) -> Vec<(String, bool)> {
    #[cfg(feature = "hydrate")]
    return browser::details_state(selector);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = selector;
        Vec::new()
    }
}

/// Puts back what [`details_state`] recorded, after the next paint.
pub fn restore_details(selector: String, state: Vec<(String, bool)>) {
    #[cfg(feature = "hydrate")]
    browser::restore_details(selector, state);
    #[cfg(not(feature = "hydrate"))]
    let _ = (selector, state);
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::time::Duration;

    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    use crate::model::live::{live_path_since, LiveChange};

    /// An open `EventSource` and its handlers; closed when dropped.
    struct Connection {
        source: web_sys::EventSource,
        _on_change: Closure<dyn FnMut(web_sys::MessageEvent)>,
        _on_error: Closure<dyn FnMut(web_sys::Event)>,
        _on_open: Closure<dyn FnMut(web_sys::Event)>,
    }

    impl Drop for Connection {
        fn drop(&mut self) {
            self.source.close();
        }
    }

    pub fn follow(
        name: Memo<String>,
        read_at: Callback<String, Option<i64>>,
        set_last: WriteSignal<Option<LiveChange>>,
    ) {
        // Bumped to reconnect after the server refused the stream.
        let attempt = RwSignal::new(0u32);
        Effect::new(move |previous: Option<Option<Connection>>| {
            drop(previous);
            let _ = attempt.get();
            let name = name.get();
            // After a refusal this may catch up on a change heard before:
            // one refetch too many, never one missed.
            let since = read_at.run(name.clone());
            connect(&name, since, set_last, attempt).ok()
        });
    }

    fn connect(
        name: &str,
        since: Option<i64>,
        set_last: WriteSignal<Option<LiveChange>>,
        attempt: RwSignal<u32>,
    ) -> Result<Connection, JsValue> {
        let source = web_sys::EventSource::new(&live_path_since(name, since))?;
        let on_change = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(change) = e.data().as_string().and_then(|t| serde_json::from_str::<LiveChange>(&t).ok()) {
                set_last.set(Some(change));
            }
        });
        source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref())?;
        let watched = source.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            // A dropped connection the browser retries by itself (with the
            // server's `retry` delay and Last-Event-ID). A refused one (503
            // at the cap, a restart's 404) stays closed: try again later,
            // waiting twice as long each time, up to about five minutes.
            if watched.ready_state() == web_sys::EventSource::CLOSED {
                let n = attempt.get_untracked();
                let delay = Duration::from_secs(5u64 << n.min(6));
                set_timeout(move || attempt.set(n + 1), delay);
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // Marks the document while the stream is open (tests wait on it).
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            attempt.update_untracked(|n| *n = 0);
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("data-live", "open");
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        Ok(Connection { source, _on_change: on_change, _on_error: on_error, _on_open: on_open })
    }

    fn details(selector: &str) -> Vec<web_sys::HtmlDetailsElement> {
        let Some(list) = document().query_selector_all(&format!("{selector} details")).ok() else {
            return Vec::new();
        };
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlDetailsElement>().ok()).collect()
    }

    fn summary(d: &web_sys::HtmlDetailsElement) -> String {
        d.query_selector("summary").ok().flatten().and_then(|s| s.text_content()).unwrap_or_default()
    }

    pub fn details_state(selector: &str) -> Vec<(String, bool)> {
        details(selector).iter().map(|d| (summary(d), d.open())).collect()
    }

    pub fn restore_details(selector: String, state: Vec<(String, bool)>) {
        request_animation_frame(move || {
            for d in details(&selector) {
                let text = summary(&d);
                if let Some((_, open)) = state.iter().find(|(s, _)| *s == text) {
                    d.set_open(*open);
                }
            }
        });
    }
}

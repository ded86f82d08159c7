use std::time::Duration;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use crate::model::{Suggestion, Tab};
use crate::pages::search::suggest_packages;

/// Wait after a keystroke before asking for suggestions.
const DEBOUNCE: Duration = Duration::from_millis(120);

/// The package search form: a plain GET form to `/search`, so it works
/// without JavaScript; once hydrated it suggests names as you type
/// (arrows to move, Enter to open, Escape to close).
#[component]
pub fn SearchBox(#[prop(into, optional)] value: String, #[prop(optional)] autofocus: bool) -> impl IntoView {
    view! { <SearchForm value autofocus/> }
}

/// [`SearchBox`] as an island: its props travel in the page.
#[island]
fn SearchForm(value: String, autofocus: bool) -> impl IntoView {
    let text = RwSignal::new(value.clone());
    let suggestions = RwSignal::new(Vec::<Suggestion>::new());
    let highlighted = RwSignal::new(None::<usize>);
    // Each keystroke bumps the generation; answers to older ones are dropped.
    let generation = StoredValue::new(0u64);

    let ask = move |query: String| {
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        if query.trim().is_empty() {
            suggestions.set(Vec::new());
            return;
        }
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let found = suggest_packages(query).await.unwrap_or_default();
                    if generation.get_value() == mine {
                        highlighted.set(None);
                        suggestions.set(found);
                    }
                });
            },
            DEBOUNCE,
        );
    };

    let open = move |name: &str| {
        suggestions.set(Vec::new());
        let _ = window().location().set_href(&Tab::Overview.href(name));
    };
    let on_keydown = move |ev: KeyboardEvent| {
        let count = suggestions.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                highlighted.update(|h| *h = Some(h.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                highlighted.update(|h| *h = Some(h.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            // The first Escape closes the list; only the next one lets the
            // browser clear the search field.
            "Escape" if count > 0 => {
                ev.prevent_default();
                generation.update_value(|g| *g += 1);
                suggestions.set(Vec::new());
                highlighted.set(None);
            }
            "Enter" => {
                let chosen = highlighted.get().and_then(|i| suggestions.with(|s| s.get(i).map(|s| s.name.clone())));
                if let Some(name) = chosen {
                    ev.prevent_default();
                    open(&name);
                }
            }
            _ => {}
        }
    };

    let list = move || {
        let items = suggestions.get();
        (!items.is_empty()).then(|| {
            let rows = items
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    let name = s.name.clone();
                    let source = (s.source != s.name)
                        .then(|| view! { <span class="source">{format!(" ({})", s.source)}</span> });
                    view! {
                        <li
                            role="option"
                            class="suggestion"
                            data-name=s.name.clone()
                            aria-selected=move || (highlighted.get() == Some(i)).to_string()
                            on:mousedown=move |ev| {
                                ev.prevent_default();
                                open(&name);
                            }
                        >
                            <strong>{s.name.clone()}</strong>
                            {source}
                            <span class="suggestion-summary">{s.summary}</span>
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="suggestions" role="listbox">{rows}</ul> }
        })
    };

    view! {
        <form class="search-box" action="/search" method="get" role="search">
            <input
                type="search"
                name="q"
                value=value
                prop:value=move || text.get()
                placeholder="Search packages"
                aria-label="Search packages"
                autocomplete="off"
                maxlength="1000"
                autofocus=autofocus
                on:input=move |ev| {
                    let q = event_target_value(&ev);
                    text.set(q.clone());
                    ask(q);
                }
                on:keydown=on_keydown
                on:blur=move |_| suggestions.set(Vec::new())
            />
            <button type="submit">"Search"</button>
            {list}
        </form>
    }
}

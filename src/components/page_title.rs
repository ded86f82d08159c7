use leptos::prelude::*;
use leptos_meta::Title;

/// The page's `<title>`. leptos_meta 0.8 writes the server-rendered title
/// without escaping it, so a package name or a search query could close the
/// tag and inject markup: the server escapes it here. In the browser the
/// title is set as text (`document.title`), so it stays as typed.
#[component]
pub fn PageTitle(#[prop(into)] text: Signal<String>) -> impl IntoView {
    // leptos_meta may read the title after this component's owner is gone
    // (the server writes `<head>` last): fall back to the last value seen.
    let last = std::sync::Arc::new(std::sync::Mutex::new(text.get_untracked()));
    let shown = move || {
        let text = match text.try_get() {
            Some(t) => {
                if let Ok(mut l) = last.lock() {
                    l.clone_from(&t);
                }
                t
            }
            None => last.lock().map(|l| l.clone()).unwrap_or_default(),
        };
        #[cfg(feature = "ssr")]
        let text = escape(&text);
        text
    };
    view! { <Title text=shown/> }
}

/// `&`, `<` and `>` as entities: what RCDATA inside `<title>` needs.
#[cfg(any(feature = "ssr", test))]
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn closes_no_tags() {
        assert_eq!(super::escape("</title><script>a&b"), "&lt;/title&gt;&lt;script&gt;a&amp;b");
    }
}

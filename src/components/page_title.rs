use leptos::prelude::*;
use leptos_meta::Title;

/// The page's `<title>`. leptos_meta 0.8 writes the server-rendered title
/// without escaping it, so a package name or a search query could close the
/// tag and inject markup: the server escapes it here. In the browser the
/// title is set as text (`document.title`), so it stays as typed.
#[component]
pub fn PageTitle(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let shown = move || {
        let text = text.get();
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

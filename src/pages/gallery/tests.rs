//! Every story rendered on the server and compared with its snapshot in
//! `src/pages/gallery/snapshots/`: a change to a component shows up as a
//! reviewable diff (`cargo insta review`, or `INSTA_UPDATE=always`).
use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::location::RequestUrl;

use super::{story_href, StoryView};
use crate::gallery::{all, index, story};

/// The story's markup, as the server sends it inside the gallery page.
fn render(story: crate::model::gallery::Story) -> String {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(RequestUrl::new(&story_href(&story.component, &story.name)));
        let props = story.props;
        view! { <Router><StoryView props/></Router> }.to_html()
    })
}

/// The markup one element per line, so a snapshot diff points at the change.
/// An island's name carries a hash of its source (`SearchForm_8879…`): it
/// is cut, so an edit to an island changes only its own stories.
fn lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    const MARK: &str = "data-component=\"";
    while let Some(at) = rest.find(MARK) {
        let (head, tail) = rest.split_at(at + MARK.len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        let name = &tail[..end];
        out.push_str(
            name.rsplit_once('_').filter(|(_, h)| h.bytes().all(|b| b.is_ascii_digit())).map_or(name, |(n, _)| n),
        );
        rest = &tail[end..];
    }
    out.push_str(rest);
    out.replace("><", ">\n<")
}

#[test]
fn every_story_matches_its_snapshot() {
    let stories = all();
    assert!(stories.len() > 60, "{} stories", stories.len());
    for story in stories {
        let name = format!("{}__{}", story.component, story.name);
        let html = render(story);
        insta::assert_snapshot!(name, lines(&html));
    }
}

#[test]
fn hostile_text_never_becomes_markup_or_a_script_link() {
    for story in all().into_iter().filter(|s| s.name == "hostile") {
        let name = format!("{}/{}", story.component, story.name);
        let doc = scraper::Html::parse_fragment(&render(story));
        for element in doc.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            let e = element.value();
            assert!(!["script", "iframe"].contains(&e.name()), "{name}: an injected <{}>", e.name());
            // The one image a story shows is the site's own badge.
            let own_image = e.attr("src").is_some_and(|src| src.starts_with("/packages/"));
            assert!(e.name() != "img" || own_image, "{name}: an injected <img>");
            for (attr, value) in e.attrs() {
                assert!(!attr.starts_with("on"), "{name}: an injected {attr} attribute");
                let scheme = value.trim().to_ascii_lowercase();
                let url_attr = ["href", "src", "action"].contains(&attr);
                assert!(!(url_attr && scheme.starts_with("javascript:")), "{name}: a javascript: {attr}");
            }
        }
    }
}

#[test]
fn a_result_lists_a_dozen_matching_sub_packages_then_counts_the_rest() {
    let Some(story) = story("SearchResultsList", "many-sub-packages") else { panic!("no such story") };
    let doc = scraper::Html::parse_fragment(&render(story));
    let subs = scraper::Selector::parse(".matching-subs a").unwrap_or_else(|e| panic!("{e}"));
    let links: Vec<String> = doc.select(&subs).map(|a| a.text().collect()).collect();
    assert_eq!(links.len(), 13, "{links:?}");
    assert_eq!(links[11], "gcc-14-cross-target-11");
    assert_eq!(links[12], "and 288 more", "the rest is a count linking to the source");
}

#[test]
fn every_story_is_listed_and_found() {
    for entry in index() {
        assert!(!entry.stories.is_empty(), "{}", entry.component);
        assert!(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&entry.file).exists(), "{}", entry.file);
        for s in &entry.stories {
            assert!(story(&entry.component, s).is_some(), "{}/{s}", entry.component);
        }
    }
    assert!(story("BuildsBody", "nope").is_none());
}

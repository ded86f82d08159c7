//! The stories the gallery shows (server only): every shared component and
//! tab body, in each state that changes what it shows, with props from
//! `fixtures`. The page that renders them is `pages/gallery.rs`; each story
//! also has a server-rendering snapshot (`src/pages/gallery/snapshots/`).
pub mod fixtures;

use crate::model::gallery::{GalleryEntry, Story, StoryProps, TabData, TabState};
use crate::model::{Bugs, Builds, Changelog, Contents, Dependencies, Overview, Sources, Tab, Updates};
use fixtures as fx;

/// A component, the file that defines it, and its stories by name.
struct Entry {
    component: &'static str,
    file: &'static str,
    stories: fn() -> Vec<(&'static str, StoryProps)>,
}

const ENTRIES: [Entry; 21] = [
    Entry { component: "OverviewBody", file: "src/components/tabs/overview.rs", stories: overview },
    Entry { component: "RecentEvents", file: "src/components/tabs/overview.rs", stories: recent_events },
    Entry { component: "BuildsBody", file: "src/components/tabs/builds.rs", stories: builds },
    Entry { component: "UpdatesBody", file: "src/components/tabs/updates.rs", stories: updates },
    Entry { component: "BugsBody", file: "src/components/tabs/bugs.rs", stories: bugs },
    Entry { component: "ContentsBody", file: "src/components/tabs/contents.rs", stories: contents },
    Entry { component: "ChangelogBody", file: "src/components/tabs/changelog.rs", stories: changelog },
    Entry { component: "DependenciesBody", file: "src/components/tabs/dependencies.rs", stories: dependencies },
    Entry { component: "SourcesBody", file: "src/components/tabs/sources.rs", stories: sources },
    Entry { component: "TabFrame", file: "src/components/tab_content.rs", stories: frame },
    Entry { component: "PackageHeading", file: "src/components/package_heading.rs", stories: heading },
    Entry { component: "TabBar", file: "src/components/tab_bar.rs", stories: tab_bar },
    Entry { component: "ReleaseSelector", file: "src/components/release_selector.rs", stories: release_selector },
    Entry { component: "UpdatedAt", file: "src/components/updated_at.rs", stories: updated_at },
    Entry { component: "FileTree", file: "src/components/file_tree.rs", stories: file_tree },
    Entry { component: "SearchBox", file: "src/components/search_box.rs", stories: search_box },
    Entry { component: "SiteHeader", file: "src/components/site_header.rs", stories: site_header },
    Entry { component: "SearchResultsList", file: "src/components/search_results.rs", stories: search_results },
    Entry { component: "ProvidesResultsList", file: "src/components/provides_results.rs", stories: provides_results },
    Entry { component: "ErrorPanel", file: "src/components/error_panel.rs", stories: error_panel },
    Entry { component: "BadgeSnippet", file: "src/components/badge_snippet.rs", stories: badge_snippet },
];

/// Every component and the names of its stories.
pub fn index() -> Vec<GalleryEntry> {
    ENTRIES
        .iter()
        .map(|e| GalleryEntry {
            component: e.component.to_string(),
            file: e.file.to_string(),
            stories: (e.stories)().into_iter().map(|(name, _)| name.to_string()).collect(),
        })
        .collect()
}

/// One story, if there is such a component and story.
pub fn story(component: &str, name: &str) -> Option<Story> {
    let entry = ENTRIES.iter().find(|e| e.component == component)?;
    let (name, props) = (entry.stories)().into_iter().find(|(n, _)| *n == name)?;
    Some(Story { component: entry.component.into(), name: name.into(), file: entry.file.into(), props })
}

/// Every story of every component.
pub fn all() -> Vec<Story> {
    ENTRIES
        .iter()
        .flat_map(|e| {
            (e.stories)().into_iter().map(|(name, props)| Story {
                component: e.component.into(),
                name: name.into(),
                file: e.file.into(),
                props,
            })
        })
        .collect()
}

const SOURCE: &str = "python-requre";
const BINARY: &str = "python3-requre";

fn loaded(name: &str, data: TabData) -> StoryProps {
    StoryProps::Tab { name: name.into(), state: TabState::Loaded(Box::new(data)) }
}

/// The states every tab has besides its data: loading, failed, never fetched.
fn frame_states(tab: Tab, never: TabData) -> Vec<(&'static str, StoryProps)> {
    vec![
        ("loading", StoryProps::Tab { name: SOURCE.into(), state: TabState::Loading(tab) }),
        ("error", StoryProps::Tab { name: SOURCE.into(), state: TabState::Failed(tab) }),
        ("never-fetched", loaded(SOURCE, never)),
    ]
}

fn whole<T>(owner: &str, data: T) -> crate::model::TabView<T> {
    fx::view(owner, data, None, &[])
}

fn overview() -> Vec<(&'static str, StoryProps)> {
    let per = |o: Overview, branch: &str| TabData::Overview(fx::view(SOURCE, o, Some(branch), &["rawhide", "f42"]));
    let mut v = vec![
        ("typical", loaded(SOURCE, per(fx::overview(), "rawhide"))),
        ("release-f42", loaded(SOURCE, per(fx::overview(), "f42"))),
        ("empty", loaded(SOURCE, TabData::Overview(whole(SOURCE, Overview::default())))),
        ("orphaned", loaded(SOURCE, per(fx::orphaned_overview(), "rawhide"))),
        ("hostile", loaded(SOURCE, per(fx::hostile_overview(), "rawhide"))),
    ];
    v.extend(frame_states(Tab::Overview, TabData::Overview(fx::never_fetched(SOURCE))));
    v
}

fn recent_events() -> Vec<(&'static str, StoryProps)> {
    let many: Vec<_> = (0..25).flat_map(|_| fx::events()).collect();
    let mut hostile = fx::events();
    hostile[0].summary = fx::HOSTILE.into();
    hostile[1].agent = Some(fx::long_word());
    vec![
        ("typical", StoryProps::RecentEvents(fx::events())),
        ("empty", StoryProps::RecentEvents(Vec::new())),
        ("long", StoryProps::RecentEvents(many)),
        ("hostile", StoryProps::RecentEvents(hostile)),
    ]
}

fn builds() -> Vec<(&'static str, StoryProps)> {
    let b = |data: Builds| TabData::Builds(whole(SOURCE, data));
    let mut v = vec![
        ("typical", loaded(SOURCE, b(fx::builds()))),
        ("empty", loaded(SOURCE, b(Builds::default()))),
        ("long", loaded(SOURCE, b(fx::many_builds()))),
        ("hostile", loaded(SOURCE, b(fx::hostile_builds()))),
        ("sub-package", loaded(BINARY, b(fx::builds()))),
    ];
    v.extend(frame_states(Tab::Builds, TabData::Builds(fx::never_fetched(SOURCE))));
    v
}

fn updates() -> Vec<(&'static str, StoryProps)> {
    let u = |data: Updates| TabData::Updates(whole(SOURCE, data));
    let mut v = vec![
        ("typical", loaded(SOURCE, u(fx::updates()))),
        ("empty", loaded(SOURCE, u(Updates::default()))),
        ("long", loaded(SOURCE, u(fx::many_updates()))),
        ("hostile", loaded(SOURCE, u(fx::hostile_updates()))),
    ];
    v.extend(frame_states(Tab::Updates, TabData::Updates(fx::never_fetched(SOURCE))));
    v
}

fn bugs() -> Vec<(&'static str, StoryProps)> {
    let b = |data: Bugs| TabData::Bugs(whole(SOURCE, data));
    let mut v = vec![
        ("typical", loaded(SOURCE, b(fx::bugs()))),
        ("empty", loaded(SOURCE, b(Bugs::default()))),
        ("long", loaded(SOURCE, b(fx::many_bugs()))),
        ("hostile", loaded(SOURCE, b(fx::hostile_bugs()))),
    ];
    v.extend(frame_states(Tab::Bugs, TabData::Bugs(fx::never_fetched(SOURCE))));
    v
}

fn per_release<T>(data: T, branch: &str) -> crate::model::TabView<T> {
    fx::view(BINARY, data, Some(branch), &["rawhide", "f42"])
}

fn contents() -> Vec<(&'static str, StoryProps)> {
    let c = |data: Contents, branch: &str| TabData::Contents(per_release(data, branch));
    let files = |files| Contents {
        packages: vec![crate::model::PackageFiles { name: BINARY.into(), repo: "release".into(), files }],
    };
    let mut v = vec![
        ("typical", loaded(BINARY, c(fx::contents(false), "rawhide"))),
        ("release-f42", loaded(BINARY, c(fx::contents(true), "f42"))),
        ("empty", loaded(BINARY, c(Contents::default(), "rawhide"))),
        ("long", loaded(BINARY, c(files(fx::many_files()), "rawhide"))),
        ("hostile", loaded(BINARY, c(files(fx::hostile_files()), "rawhide"))),
    ];
    v.extend(frame_states(Tab::Contents, TabData::Contents(fx::never_fetched(BINARY))));
    v
}

fn changelog() -> Vec<(&'static str, StoryProps)> {
    let c = |data: Changelog, branch: &str| TabData::Changelog(per_release(data, branch));
    let mut v = vec![
        ("typical", loaded(BINARY, c(fx::changelog(), "rawhide"))),
        ("release-f42", loaded(BINARY, c(fx::changelog(), "f42"))),
        ("empty", loaded(BINARY, c(Changelog::default(), "rawhide"))),
        ("long", loaded(BINARY, c(fx::many_changelog_entries(), "rawhide"))),
        ("hostile", loaded(BINARY, c(fx::hostile_changelog(), "rawhide"))),
    ];
    v.extend(frame_states(Tab::Changelog, TabData::Changelog(fx::never_fetched(BINARY))));
    v
}

fn dependencies() -> Vec<(&'static str, StoryProps)> {
    let d = |data: Dependencies, branch: &str| TabData::Dependencies(per_release(data, branch));
    let mut v = vec![
        ("typical", loaded(BINARY, d(fx::dependencies(false), "rawhide"))),
        ("release-f42", loaded(BINARY, d(fx::dependencies(true), "f42"))),
        ("empty", loaded(BINARY, d(Dependencies::default(), "rawhide"))),
        ("long", loaded(BINARY, d(fx::many_dependencies(), "rawhide"))),
        ("hostile", loaded(BINARY, d(fx::hostile_dependencies(), "rawhide"))),
        ("source-with-build-requires", loaded(SOURCE, d(fx::dependencies_with_build_requires(), "rawhide"))),
    ];
    v.extend(frame_states(Tab::Dependencies, TabData::Dependencies(fx::never_fetched(BINARY))));
    v
}

fn sources() -> Vec<(&'static str, StoryProps)> {
    let s = |data: Sources| TabData::Sources(whole(SOURCE, data));
    let mut v = vec![
        ("typical", loaded(SOURCE, s(fx::sources()))),
        ("empty", loaded(SOURCE, s(Sources::default()))),
        ("retired", loaded(SOURCE, s(fx::retired_sources()))),
        ("over-the-caps", loaded(SOURCE, s(fx::capped_sources()))),
        ("hostile", loaded(SOURCE, s(fx::hostile_sources()))),
    ];
    v.extend(frame_states(Tab::Sources, TabData::Sources(fx::never_fetched(SOURCE))));
    v
}

fn frame() -> Vec<(&'static str, StoryProps)> {
    vec![
        ("inherited-from-source", loaded(BINARY, TabData::Builds(whole(SOURCE, fx::builds())))),
        (
            "one-release",
            loaded(BINARY, TabData::Changelog(fx::view(BINARY, fx::changelog(), Some("rawhide"), &["rawhide"]))),
        ),
    ]
}

fn heading() -> Vec<(&'static str, StoryProps)> {
    let mut retired = fx::header(SOURCE, SOURCE);
    retired.retired_in = vec!["rawhide".into(), "f43".into()];
    let mut hostile = fx::header(fx::HOSTILE, SOURCE);
    hostile.summary = fx::long_word();
    vec![
        ("source-package", StoryProps::PackageHeading { header: fx::header(SOURCE, SOURCE) }),
        ("sub-package", StoryProps::PackageHeading { header: fx::header(BINARY, SOURCE) }),
        ("retired", StoryProps::PackageHeading { header: retired }),
        ("hostile", StoryProps::PackageHeading { header: hostile }),
    ]
}

fn tab_bar() -> Vec<(&'static str, StoryProps)> {
    vec![
        ("typical", StoryProps::TabBar { name: SOURCE.into() }),
        ("hostile", StoryProps::TabBar { name: fx::HOSTILE.into() }),
    ]
}

fn release_selector() -> Vec<(&'static str, StoryProps)> {
    let branches = |available: &[&str]| fx::view(BINARY, (), None, available).branches;
    let path = crate::model::Tab::Contents.href(BINARY);
    vec![
        (
            "typical",
            StoryProps::ReleaseSelector {
                branches: branches(&["rawhide", "f42"]),
                selected: Some("f42".into()),
                path: path.clone(),
            },
        ),
        (
            "many-releases",
            StoryProps::ReleaseSelector {
                branches: branches(&["rawhide", "f43", "f42", "f41", "epel10", "epel9", "epel8"]),
                selected: Some("rawhide".into()),
                path: path.clone(),
            },
        ),
        (
            "one-release",
            StoryProps::ReleaseSelector { branches: branches(&["rawhide"]), selected: Some("rawhide".into()), path },
        ),
    ]
}

fn updated_at() -> Vec<(&'static str, StoryProps)> {
    vec![("typical", StoryProps::UpdatedAt { at: fx::at() })]
}

fn file_tree() -> Vec<(&'static str, StoryProps)> {
    let typical = fx::contents(false).packages.into_iter().next().map(|p| p.files).unwrap_or_default();
    vec![
        ("typical", StoryProps::FileTree { files: typical }),
        ("empty", StoryProps::FileTree { files: Vec::new() }),
        ("long", StoryProps::FileTree { files: fx::many_files() }),
        ("hostile", StoryProps::FileTree { files: fx::hostile_files() }),
    ]
}

fn search_box() -> Vec<(&'static str, StoryProps)> {
    vec![
        ("empty", StoryProps::SearchBox { value: String::new() }),
        ("typical", StoryProps::SearchBox { value: "requre".into() }),
        ("hostile", StoryProps::SearchBox { value: fx::HOSTILE.into() }),
    ]
}

fn badge_snippet() -> Vec<(&'static str, StoryProps)> {
    let site = "https://packages.fedoraproject.org".to_string();
    let props = |name: &str, branch: Option<&str>| StoryProps::BadgeSnippet {
        name: name.into(),
        site_url: site.clone(),
        branch: branch.map(String::from),
    };
    vec![
        ("typical", props(SOURCE, None)),
        ("in-a-release", props(SOURCE, Some("f43"))),
        ("hostile", props(fx::HOSTILE, Some("f43\"><script>"))),
    ]
}

fn site_header() -> Vec<(&'static str, StoryProps)> {
    vec![
        ("typical", StoryProps::SiteHeader { query: String::new() }),
        ("with-a-query", StoryProps::SiteHeader { query: "requre".into() }),
    ]
}

fn provides_results() -> Vec<(&'static str, StoryProps)> {
    let p = |results| StoryProps::ProvidesResults { results };
    let mut hostile = fx::provides_results("/usr/bin/packit", 2);
    hostile.hits[0].matched = format!("/usr/share/{}/{}", fx::HOSTILE, fx::long_word());
    hostile.hits[1].package = fx::HOSTILE.to_string();
    vec![
        ("typical", p(fx::provides_results("/usr/bin/packit", 2))),
        ("capability-from-words", p(fx::provides_results("python module requre", 2))),
        ("nothing-found", p(fx::provides_results("/usr/bin/rg", 0))),
        ("not-read-yet", p(fx::provides_unread())),
        ("long", p(fx::provides_results("python", 100))),
        ("hostile", p(hostile)),
    ]
}

fn search_results() -> Vec<(&'static str, StoryProps)> {
    let mut none = fx::search_results("pyhton-requre");
    none.hits.clear();
    none.total = 0;
    none.similar = vec!["python-requre".into(), "python3-requre".into()];
    let mut paged = fx::search_results("python");
    paged.total = 90;
    paged.page = 2;
    let mut hostile = fx::search_results(fx::HOSTILE);
    hostile.hits[0].summary = fx::long_word();
    // A cross-compiler source: hundreds of sub-packages match `gcc`.
    let mut many_subs = fx::search_results("gcc");
    many_subs.hits[0].name = "gcc-14-cross".into();
    many_subs.hits[0].sub_packages = (0..300).map(|i| format!("gcc-14-cross-target-{i}")).collect();
    vec![
        ("typical", StoryProps::SearchResults { results: fx::search_results("requre") }),
        ("nothing-typed", StoryProps::SearchResults { results: fx::search_results("") }),
        ("uncounted", StoryProps::SearchResults { results: fx::search_results_uncounted() }),
        ("no-match", StoryProps::SearchResults { results: none }),
        ("second-page", StoryProps::SearchResults { results: paged }),
        ("hostile", StoryProps::SearchResults { results: hostile }),
        ("many-sub-packages", StoryProps::SearchResults { results: many_subs }),
    ]
}

fn error_panel() -> Vec<(&'static str, StoryProps)> {
    vec![("typical", StoryProps::ErrorPanel)]
}

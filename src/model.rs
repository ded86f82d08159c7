//! Payload types shared by the server and the browser: one type per tab,
//! stored as the JSONB `payload` of a tab row and returned by server functions.

mod bugs;
mod builds;
mod changelog;
mod contents;
mod dependencies;
mod events;
pub mod evr;
pub mod gallery;
pub mod links;
pub mod live;
pub mod old_links;
mod overview;
mod package;
pub mod provides;
pub mod release;
pub mod repodata;
pub mod route;
mod search;
mod sources;
pub mod storable;
mod tab;
mod updates;

pub use bugs::{Bug, Bugs};
pub use builds::{Build, BuildState, Builds};
pub use changelog::{Changelog, ChangelogEntry};
pub use contents::{Contents, FileEntry, FileKind, PackageFiles};
pub use dependencies::{Dependencies, Dependency, PackageDeps};
pub use events::{tab_for_topic, PackageEvent};
pub use overview::{
    BugCounts, BuildSummary, Maintainers, Overview, PackageInfo, Part, ReleaseLine, ReleaseVersions, UpdateRef,
};
pub use package::{Branch, PackageHeader, TabPart, TabView};
pub use release::Release;
pub use search::{clean_query, fold_name, SearchHit, SearchQuery, SearchResults, Suggestion, MAX_QUERY_CHARS};
pub use sources::{SourceCommit, Sources, SpecEntry, SpecFile};
pub use tab::{Tab, TabPayload};
pub use updates::{Update, Updates};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// Characters a package name may not carry raw in one URL path segment.
/// `+` stays as it is: `/packages/gtk+` is the URL people share.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// A package name made safe for one path segment of a URL.
pub fn url_segment(name: &str) -> String {
    utf8_percent_encode(name, SEGMENT).to_string()
}

/// Characters escaped in a query-string value: in a query `+` means a space,
/// so `gtk+` must travel as `gtk%2B`.
const QUERY_VALUE: &AsciiSet = &SEGMENT.add(b'+').add(b'&').add(b'=').add(b';');

/// A value made safe for a query string (`?packages=...`).
pub fn url_query(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_keep_package_punctuation() {
        for name in ["gtk+", "libstdc++", "python3.12", "perl-Net-DNS", "ocaml-ppx_deriving"] {
            assert_eq!(url_segment(name), name);
        }
        assert_eq!(url_segment("a/b?c#d"), "a%2Fb%3Fc%23d");
    }

    #[test]
    fn query_values_escape_plus() {
        assert_eq!(url_query("gtk+"), "gtk%2B");
        assert_eq!(url_query("a&b=c"), "a%26b%3Dc");
    }
}

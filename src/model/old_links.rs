//! Links in the wild that point at the sites this one replaces: the old
//! Fedora Packages app and today's static packages.fedoraproject.org. Each
//! is answered with a permanent redirect to the page that shows the same
//! thing here (README, "Old links", has the table).
use super::release::RAWHIDE;
use super::route::{query_param, Route};
use super::{url_query, url_segment, Tab};

/// Where an old URL's page lives now (a path and query), or `None` when
/// the URL is not an old form. `path` is as requested (not decoded).
pub fn redirect(path: &str, query: Option<&str>) -> Option<String> {
    let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let package = |name: &str, tab: Tab| Some(tab.href(&decode(name)));
    match segments.as_slice() {
        // The old app: its search URL and its search form's parameters.
        ["packages", "s", q, ..] => Some(search(decode(q))),
        ["search"] if query.is_some_and(|q| query_param(q, "q").is_none()) => {
            let q = query?;
            query_param(q, "query").or_else(|| query_param(q, "search")).map(search)
        }
        // The old app's sub-tabs.
        ["packages", name, "bugs", "all"] => package(name, Tab::Bugs),
        ["packages", name, "sources", "spec" | "patches"] => package(name, Tab::Sources),
        // The static site: a source package, a binary package, and the
        // binary package in one release.
        ["pkgs", source] if !source.is_empty() => package(source, Tab::Overview),
        ["pkgs", _, binary] | ["pkgs", _, binary, "index.html"] if !binary.is_empty() => package(binary, Tab::Overview),
        ["pkgs", _, binary, page] if !binary.is_empty() => {
            let branch = static_site_branch(page)?;
            Some(format!("/packages/{}?branch={}", url_segment(&decode(binary)), url_query(&branch)))
        }
        // The static site's sitemaps: their numbering is not ours, so the index.
        ["sitemaps", file] if is_static_sitemap(file) => Some("/sitemap.xml".into()),
        _ => None,
    }
}

/// `sitemap{N}.xml`, the static site's sitemap files.
fn is_static_sitemap(file: &str) -> bool {
    file.strip_prefix("sitemap")
        .and_then(|f| f.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.len() <= 6 && n.bytes().all(|b| b.is_ascii_digit()))
}

fn search(query: String) -> String {
    Route::OldSearch { query }.href()
}

/// The branch a static-site release page shows: `fedora-42.html` and its
/// `-updates` and `-updates-testing` forms are f42, `fedora-rawhide.html`
/// is rawhide, `epel-9.html` (and its forms) is epel9.
fn static_site_branch(page: &str) -> Option<String> {
    let release = page.strip_suffix(".html")?;
    let release =
        release.strip_suffix("-updates-testing").or_else(|| release.strip_suffix("-updates")).unwrap_or(release);
    let (kind, version) = release.split_once('-')?;
    let numbered = !version.is_empty() && version.len() <= 3 && version.bytes().all(|b| b.is_ascii_digit());
    match kind {
        "fedora" if version == RAWHIDE => Some(RAWHIDE.to_string()),
        "fedora" if numbered => Some(format!("f{version}")),
        "epel" if numbered => Some(format!("epel{version}")),
        _ => None,
    }
}

/// Every old form with an example and where it goes, for the README's
/// table and the test that walks it.
pub const TABLE: [(&str, &str, &str); 13] = [
    ("/packages/s/{query}", "/packages/s/vim", "/search?q=vim"),
    ("/search?query={query}", "/search?query=gtk%2B", "/search?q=gtk%2B"),
    ("/search?search={query}", "/search?search=vim", "/search?q=vim"),
    ("/packages/{name}/bugs/all", "/packages/packit/bugs/all", "/packages/packit/bugs"),
    ("/packages/{name}/sources/spec", "/packages/packit/sources/spec", "/packages/packit/sources"),
    ("/packages/{name}/sources/patches", "/packages/packit/sources/patches", "/packages/packit/sources"),
    ("/pkgs/{source}/", "/pkgs/python-requre/", "/packages/python-requre"),
    ("/pkgs/{source}/{binary}/", "/pkgs/python-requre/python3-requre/", "/packages/python3-requre"),
    ("/pkgs/{source}/{binary}/index.html", "/pkgs/python-requre/python3-requre/index.html", "/packages/python3-requre"),
    (
        "/pkgs/{source}/{binary}/fedora-{N}[-updates[-testing]].html",
        "/pkgs/packit/packit/fedora-42-updates-testing.html",
        "/packages/packit?branch=f42",
    ),
    (
        "/pkgs/{source}/{binary}/fedora-rawhide.html",
        "/pkgs/packit/packit/fedora-rawhide.html",
        "/packages/packit?branch=rawhide",
    ),
    (
        "/pkgs/{source}/{binary}/epel-{N}[-updates[-testing]].html",
        "/pkgs/packit/packit/epel-9-updates.html",
        "/packages/packit?branch=epel9",
    ),
    ("/sitemaps/sitemap{N}.xml", "/sitemaps/sitemap1.xml", "/sitemap.xml"),
];

/// The static site's fragments (`#files`, `#changelog`, `#dependencies`)
/// never reach the server; the browser maps them to a tab after the redirect.
pub fn fragment_tab(fragment: &str) -> Option<Tab> {
    match fragment.trim_start_matches('#') {
        "files" => Some(Tab::Contents),
        "changelog" => Some(Tab::Changelog),
        "dependencies" => Some(Tab::Dependencies),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(url: &str) -> (&str, Option<&str>) {
        url.split_once('?').map_or((url, None), |(p, q)| (p, Some(q)))
    }

    #[test]
    fn every_old_form_goes_where_the_table_says() {
        for (form, example, target) in TABLE {
            let (path, query) = split(example);
            assert_eq!(redirect(path, query).as_deref(), Some(target), "{form}");
        }
    }

    #[test]
    fn names_are_decoded_once_and_encoded_again() {
        let to = redirect("/pkgs/libstdc%2B%2B/libstdc%2B%2B/fedora-41.html", None);
        assert_eq!(to.as_deref(), Some("/packages/libstdc++?branch=f41"));
        assert_eq!(redirect("/packages/s/gtk%2B", None).as_deref(), Some("/search?q=gtk%2B"));
    }

    #[test]
    fn current_urls_are_not_old_forms() {
        for url in [
            "/",
            "/search?q=vim",
            "/search",
            "/search?q=a&query=b",
            "/packages/packit",
            "/packages/packit/bugs",
            "/packages/packit/sources",
            "/pkgs",
            "/pkgs/packit/packit/notes.html",
            "/pkgs/packit/packit/fedora-.html",
            "/pkgs/packit/packit/fedora-99999.html",
            "/pkg/fedora-packages.js",
        ] {
            let (path, query) = split(url);
            assert_eq!(redirect(path, query), None, "{url}");
        }
    }

    #[test]
    fn targets_stay_on_this_site() {
        assert_eq!(redirect("/pkgs/x/%2F%2Fevil.example", None).as_deref(), Some("/packages/%2F%2Fevil.example"));
        assert_eq!(redirect("//pkgs/evil.example/", None).as_deref(), Some("/packages/evil.example"));
        assert!(redirect("/packages/s/%0d%0aSet-Cookie:x", None).is_some_and(|t| !t.contains('\n')));
    }

    #[test]
    fn fragments_name_tabs() {
        assert_eq!(fragment_tab("#files"), Some(Tab::Contents));
        assert_eq!(fragment_tab("changelog"), Some(Tab::Changelog));
        assert_eq!(fragment_tab("#dependencies"), Some(Tab::Dependencies));
        assert_eq!(fragment_tab("#top"), None);
    }
}

//! Links to the services' own pages, built in one place, and the one check
//! every link made from upstream text passes.
use super::{url_query, url_segment};

/// A URL from upstream text (a spec's `URL:`, a Bodhi update's link) as an
/// `href`, if it is a web address: `http` and `https` only, so a
/// `javascript:` or `data:` URL is shown as text, never made a link.
pub fn safe_href(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    (web && !url.chars().any(|c| c.is_control())).then(|| url.to_string())
}

/// A Koji build's page.
pub fn koji_build(build_id: i64) -> String {
    format!("https://koji.fedoraproject.org/koji/buildinfo?buildID={build_id}")
}

/// Every build of a package in Koji, by its Koji package id.
pub fn koji_package(package_id: i64) -> String {
    format!("https://koji.fedoraproject.org/koji/packageinfo?packageID={package_id}")
}

/// Koji's search for a package by name.
pub fn koji_search(package: &str) -> String {
    format!("https://koji.fedoraproject.org/koji/search?terms={}&type=package&match=exact", url_query(package))
}

/// Every Bodhi update of a package.
pub fn bodhi_updates(package: &str) -> String {
    format!("https://bodhi.fedoraproject.org/updates/?packages={}", url_query(package))
}

/// One Bodhi update, by alias (old updates carry no URL of their own).
pub fn bodhi_update(alias: &str) -> String {
    format!("https://bodhi.fedoraproject.org/updates/{}", url_segment(alias))
}

/// The open Fedora and EPEL bugs of a component.
pub fn bugzilla_open(component: &str) -> String {
    format!(
        "https://bugzilla.redhat.com/buglist.cgi?component={}&product=Fedora&product=Fedora%20EPEL&bug_status=__open__",
        url_query(component)
    )
}

/// One bug.
pub fn bugzilla_bug(id: i64) -> String {
    format!("https://bugzilla.redhat.com/show_bug.cgi?id={id}")
}

/// A package's dist-git repository.
pub fn distgit(package: &str) -> String {
    format!("https://src.fedoraproject.org/rpms/{}", url_segment(package))
}

/// A packager's page on dist-git.
pub fn distgit_user(user: &str) -> String {
    format!("https://src.fedoraproject.org/user/{}", url_segment(user))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            super::safe_href(" https://github.com/packit/requre ").as_deref(),
            Some("https://github.com/packit/requre")
        );
        assert!(super::safe_href("HTTP://example.org").is_some());
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "//evil",
            "",
            "\u{1}https://x",
            "https://x\ny",
        ] {
            assert_eq!(super::safe_href(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn names_are_escaped() {
        assert_eq!(super::bodhi_updates("gtk+"), "https://bodhi.fedoraproject.org/updates/?packages=gtk%2B");
        assert_eq!(super::distgit("libstdc++"), "https://src.fedoraproject.org/rpms/libstdc++");
        assert!(super::bugzilla_open("a&b").contains("component=a%26b&"));
    }
}

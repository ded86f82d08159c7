use leptos::prelude::*;

use crate::model::{PackageHeader, Tab};

/// Name, summary, and the link between a source package and its sub-packages.
#[component]
pub fn PackageHeading(header: PackageHeader) -> impl IntoView {
    let source_link = header.is_sub_package().then(|| {
        let href = Tab::Overview.href(&header.source_name);
        view! {
            <p class="source-package">
                "Sub-package of " <a href=href>{header.source_name.clone()}</a>
            </p>
        }
    });
    let subs = (!header.sub_packages.is_empty()).then(|| {
        let links = header
            .sub_packages
            .iter()
            .map(|s| view! { <li><a href=Tab::Overview.href(s)>{s.clone()}</a></li> })
            .collect_view();
        view! {
            <div class="sub-packages">
                <span>"Sub-packages:"</span>
                <ul>{links}</ul>
            </div>
        }
    });
    let retired = (!header.retired_in.is_empty()).then(|| {
        view! {
            <p class="retired" role="note">
                <strong>{format!("Retired in {}.", header.retired_in.join(", "))}</strong>
                " The package is no longer shipped there; the last data seen is shown."
            </p>
        }
    });
    view! {
        <div class="package-heading">
            <h1>{header.name.clone()}</h1>
            <p class="summary">{header.summary.clone()}</p>
            {retired}
            {source_link}
            {subs}
        </div>
    }
}

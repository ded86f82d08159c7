//! The contents tab's body: a pure component, payload in, view out (its page
//! wrapper with the server function is `pages/package/contents.rs`).
use leptos::prelude::*;

use crate::components::FileTree;
use crate::model::{Contents, PackageFiles};

/// The files each binary package installs, as a tree.
#[component]
pub fn ContentsBody(contents: Contents) -> impl IntoView {
    if contents.packages.is_empty() {
        return view! { <p class="empty">"No files are listed for this release."</p> }.into_any();
    }
    contents.packages.into_iter().map(|p| view! { <PackageFileList package=p/> }).collect_view().into_any()
}

#[component]
fn PackageFileList(package: PackageFiles) -> impl IntoView {
    let count = package.files.iter().filter(|f| f.kind != crate::model::FileKind::Dir).count();
    view! {
        <section class="package-files">
            <h2>{package.name.clone()} <small>{format!(" {count} files · {} repository", package.repo)}</small></h2>
            <FileTree files=package.files/>
        </section>
    }
}

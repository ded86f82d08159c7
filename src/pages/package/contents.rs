use leptos::prelude::*;

use crate::components::{FileTree, TabContent};
use crate::error::AppError;
use crate::hooks::{branch_param, package_name};
use crate::model::{Contents, PackageFiles, Tab, TabView};

#[server(endpoint = "tab/contents", input = server_fn::codec::GetUrl)]
pub async fn get_contents(name: String, branch: Option<String>) -> Result<TabView<Contents>, AppError> {
    let state = crate::read::context()?;
    crate::read::tab(&state.pool, &name, Tab::Contents, branch.as_deref()).await
}

/// The files each binary package installs, as a tree, per release.
#[component]
pub fn ContentsTab() -> impl IntoView {
    let (name, branch) = (package_name(), branch_param());
    let resource = Resource::new(move || (name.get(), branch.get()), |(n, b)| get_contents(n, b));
    view! { <TabContent tab=Tab::Contents resource render=|contents: Contents, _| view! { <PackageFileLists contents/> }/> }
}

#[component]
fn PackageFileLists(contents: Contents) -> impl IntoView {
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

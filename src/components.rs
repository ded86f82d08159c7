//! Small presentational pieces, each named for what it shows. No server
//! functions here: pages fetch, components display.

mod badge_snippet;
mod error_panel;
mod external_link;
mod file_tree;
mod package_heading;
mod page_title;
mod provides_results;
mod release_selector;
mod search_box;
mod search_results;
mod site_header;
mod status;
mod tab_bar;
mod tab_content;
pub mod tabs;
pub mod time;
mod updated_at;

pub use badge_snippet::BadgeSnippet;
pub use error_panel::ErrorPanel;
pub use external_link::ExternalLink;
pub use file_tree::{FileTree, TreeNode};
pub use package_heading::PackageHeading;
pub use page_title::PageTitle;
pub use provides_results::ProvidesResultsList;
pub use release_selector::ReleaseSelector;
pub use search_box::SearchBox;
pub use search_results::SearchResultsList;
pub use site_header::SiteHeader;
pub use status::set_status;
pub use tab_bar::TabBar;
#[cfg(feature = "ssr")]
pub use tab_content::tab_part;
pub use tab_content::{TabBody, TabContext, TabFrame, TabLoading};
pub use updated_at::UpdatedAt;

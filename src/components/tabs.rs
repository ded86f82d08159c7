//! The tab bodies: one per tab, pure components taking the tab's payload
//! (and what they show of the package) as props. The pages around them
//! (`pages/package/`) read the URL and fetch; the gallery shows each alone.

mod bugs;
mod builds;
mod changelog;
mod contents;
mod dependencies;
mod overview;
mod sources;
mod updates;

pub use bugs::BugsBody;
pub use builds::BuildsBody;
pub use changelog::ChangelogBody;
pub use contents::ContentsBody;
pub use dependencies::DependenciesBody;
pub use overview::{OverviewBody, RecentEvents};
pub use sources::SourcesBody;
pub use updates::UpdatesBody;

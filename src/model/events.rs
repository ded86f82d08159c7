use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A bus event that touched a package, as the overview lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackageEvent {
    pub at: DateTime<Utc>,
    /// The topic without its environment prefix, e.g. `buildsys.build.state.change`.
    pub topic: String,
    pub agent: Option<String>,
    pub summary: String,
}

impl PackageEvent {
    /// The tab that shows what the event changed.
    pub fn tab(&self) -> super::Tab {
        tab_for_topic(&self.topic)
    }
}

/// The tab that shows what an event on `topic` changed: builds for Koji,
/// updates for Bodhi, bugs for Bugzilla, sources for dist-git pushes; the
/// overview for the rest (repository and package-list changes).
pub fn tab_for_topic(topic: &str) -> super::Tab {
    use super::Tab;
    let first = topic.split('.').next().unwrap_or_default();
    match first {
        "buildsys" | "koji" => Tab::Builds,
        "bodhi" => Tab::Updates,
        "bugzilla" => Tab::Bugs,
        "git" | "distgit" => Tab::Sources,
        "pagure" if topic.starts_with("pagure.git.") => Tab::Sources,
        _ => Tab::Overview,
    }
}

#[cfg(test)]
mod tests {
    use super::tab_for_topic;
    use crate::model::Tab;

    #[test]
    fn topics_point_at_their_tab() {
        assert_eq!(tab_for_topic("buildsys.build.state.change"), Tab::Builds);
        assert_eq!(tab_for_topic("bodhi.update.request.testing"), Tab::Updates);
        assert_eq!(tab_for_topic("bugzilla.bug.update"), Tab::Bugs);
        assert_eq!(tab_for_topic("git.receive"), Tab::Sources);
        assert_eq!(tab_for_topic("pagure.git.receive"), Tab::Sources);
        assert_eq!(tab_for_topic("pagure.project.new"), Tab::Overview);
        assert_eq!(tab_for_topic("mdapi.repo.update"), Tab::Overview);
    }
}

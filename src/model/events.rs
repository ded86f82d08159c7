use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A bus event that touched a package, as the overview lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackageEvent {
    pub at: DateTime<Utc>,
    /// The topic without its environment prefix, e.g. `buildsys.build.state.change`.
    pub topic: String,
    pub agent: Option<String>,
    pub summary: String,
}

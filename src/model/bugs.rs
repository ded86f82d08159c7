use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Open Bugzilla bugs filed against a component.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Bugs {
    pub bugs: Vec<Bug>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Bug {
    pub id: i64,
    pub summary: String,
    pub status: String,
    pub resolution: String,
    pub severity: String,
    pub priority: String,
    pub product: String,
    pub versions: Vec<String>,
    pub assigned_to: String,
    pub created: Option<DateTime<Utc>>,
    pub last_change: Option<DateTime<Utc>>,
    pub keywords: Vec<String>,
}

impl super::TabPayload for Bugs {
    const TAB: super::Tab = super::Tab::Bugs;

    fn is_empty(&self) -> bool {
        self.bugs.is_empty()
    }

    fn headline(&self) -> Option<String> {
        Some(format!("Bugs changed: {} open", self.bugs.len()))
    }
}

impl Bugs {
    /// Bug counts per status, in Bugzilla's workflow order.
    pub fn by_status(&self) -> Vec<(String, usize)> {
        const ORDER: [&str; 5] = ["NEW", "ASSIGNED", "POST", "MODIFIED", "ON_QA"];
        let mut counts = count_by(self.bugs.iter().map(|b| b.status.clone()));
        counts.sort_by_key(|(status, _)| ORDER.iter().position(|o| o == status).unwrap_or(ORDER.len()));
        counts
    }

    /// Bug counts per product and version, e.g. `Fedora 42`, `Fedora EPEL 9`.
    pub fn by_release(&self) -> Vec<(String, usize)> {
        let releases = self.bugs.iter().flat_map(|b| {
            let versions = if b.versions.is_empty() { vec![String::new()] } else { b.versions.clone() };
            versions.into_iter().map(|v| format!("{} {v}", b.product).trim().to_string())
        });
        count_by(releases)
    }
}

fn count_by(keys: impl Iterator<Item = String>) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for key in keys {
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counts.push((key, 1)),
        }
    }
    counts.sort_by(|a, b| a.0.cmp(&b.0));
    counts
}

//! What the index's documents point at: one row per package version seen
//! (by number, which the tantivy documents store) and one group per source
//! package. Rows are only ever added: a query reading an older snapshot of
//! the tantivy index still finds the rows its documents name. A changed
//! package gets a new row; the old one is dead weight until the next
//! rebuild (see [`Table::mostly_dead`]).
use std::collections::HashMap;

use crate::db::search::IndexRow;

/// A package as the index last saw it.
#[derive(Debug)]
pub struct Row {
    pub name: Box<str>,
    pub folded: Box<str>,
    pub summary: Box<str>,
    pub version: Box<str>,
    pub group: u32,
    /// Characters in `name` (PostgreSQL's `length`).
    pub name_len: u32,
    pub is_source: bool,
}

/// A source package and its packages' current rows.
#[derive(Debug)]
pub struct Group {
    pub name: Box<str>,
    /// Characters in `name`.
    pub len: u32,
    pub members: Vec<u32>,
}

#[derive(Debug, Default)]
pub struct Table {
    rows: Vec<Row>,
    groups: Vec<Group>,
    group_ids: HashMap<Box<str>, u32>,
    /// Package name → its current row.
    current: HashMap<Box<str>, u32>,
}

impl Table {
    pub fn row(&self, id: u32) -> &Row {
        &self.rows[id as usize]
    }

    pub fn group(&self, id: u32) -> &Group {
        &self.groups[id as usize]
    }

    /// Source packages ever seen (group numbers are below this).
    pub fn groups_len(&self) -> usize {
        self.groups.len()
    }

    /// The current row of a package.
    pub fn current(&self, name: &str) -> Option<u32> {
        self.current.get(name).copied()
    }

    /// The current row of the group's source package, if there is one.
    pub fn source_row(&self, group: u32) -> Option<&Row> {
        self.current(&self.group(group).name).map(|id| self.row(id))
    }

    /// Packages indexed now.
    pub fn len(&self) -> usize {
        self.current.len()
    }

    /// More replaced rows than current ones: time to rebuild.
    pub fn mostly_dead(&self) -> bool {
        self.rows.len() > 1024 && self.rows.len() > 2 * self.current.len()
    }

    /// Adds `row` as its package's current row; returns the new row's number
    /// and the one it replaces.
    pub fn insert(&mut self, row: &IndexRow) -> (u32, Option<u32>) {
        let replaced = self.remove(&row.name);
        let group = self.group_id(&row.source_name);
        let id = u32::try_from(self.rows.len()).unwrap_or(u32::MAX);
        let name_len = row.name.chars().count() as u32;
        self.rows.push(Row {
            name: row.name.as_str().into(),
            folded: row.folded_name.as_str().into(),
            summary: row.summary.as_str().into(),
            version: row.version.as_str().into(),
            group,
            name_len,
            is_source: row.name == row.source_name,
        });
        self.groups[group as usize].members.push(id);
        self.current.insert(row.name.as_str().into(), id);
        (id, replaced)
    }

    /// Forgets a package; returns the row it had.
    pub fn remove(&mut self, name: &str) -> Option<u32> {
        let id = self.current.remove(name)?;
        let group = self.rows[id as usize].group as usize;
        self.groups[group].members.retain(|m| *m != id);
        Some(id)
    }

    fn group_id(&mut self, source: &str) -> u32 {
        if let Some(id) = self.group_ids.get(source) {
            return *id;
        }
        let id = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
        self.groups.push(Group { name: source.into(), len: source.chars().count() as u32, members: Vec::new() });
        self.group_ids.insert(source.into(), id);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, source: &str, summary: &str) -> IndexRow {
        IndexRow {
            name: name.into(),
            source_name: source.into(),
            folded_name: crate::model::fold_name(name),
            summary: summary.into(),
            version: String::new(),
            name_words: Vec::new(),
            summary_words: Vec::new(),
            description_words: Vec::new(),
        }
    }

    #[test]
    fn a_changed_package_gets_a_new_row_and_keeps_its_group() {
        let mut t = Table::default();
        let (a, none) = t.insert(&row("vim", "vim", "old"));
        assert_eq!(none, None);
        let (x, _) = t.insert(&row("vim-X11", "vim", ""));
        let (b, replaced) = t.insert(&row("vim", "vim", "new"));
        assert_eq!(replaced, Some(a));
        assert_eq!(&*t.row(a).summary, "old", "an older snapshot still reads its row");
        assert_eq!(&*t.source_row(t.row(b).group).unwrap().summary, "new");
        assert_eq!(t.group(t.row(b).group).members, [x, b]);
        assert_eq!(t.len(), 2);
        assert_eq!(t.remove("vim-X11"), Some(x));
        assert_eq!(t.group(t.row(b).group).members, [b]);
    }
}

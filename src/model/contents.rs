use serde::{Deserialize, Serialize};

/// The files of each binary package in one release, from mdapi.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Contents {
    pub packages: Vec<PackageFiles>,
}

impl super::TabPayload for Contents {
    const TAB: super::Tab = super::Tab::Contents;

    fn is_empty(&self) -> bool {
        self.packages.iter().all(|p| p.files.is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackageFiles {
    pub name: String,
    pub repo: String,
    /// Sorted by path.
    pub files: Vec<FileEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FileEntry {
    pub path: String,
    pub kind: FileKind,
}

/// mdapi's one-letter `filetypes`: f file, d directory, g ghost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    File,
    Dir,
    Ghost,
}

impl FileKind {
    pub fn from_letter(letter: char) -> Self {
        match letter {
            'd' => FileKind::Dir,
            'g' => FileKind::Ghost,
            _ => FileKind::File,
        }
    }
}

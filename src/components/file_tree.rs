use leptos::prelude::*;

use crate::model::{FileEntry, FileKind};

/// One entry of a file tree; a directory chain with one child each is
/// folded into one node (`/usr/lib/python3.13/site-packages`).
#[derive(Debug, Clone, PartialEq)]
pub struct TreeNode {
    pub name: String,
    pub kind: FileKind,
    pub children: Vec<TreeNode>,
}

impl TreeNode {
    /// Builds the tree of absolute paths under `/`.
    pub fn build(files: &[FileEntry]) -> Vec<TreeNode> {
        let mut root: Vec<TreeNode> = Vec::new();
        for f in files {
            let parts: Vec<&str> = f.path.split('/').filter(|p| !p.is_empty()).collect();
            insert(&mut root, &parts, f.kind);
        }
        for node in root.iter_mut() {
            fold(node);
            node.name.insert(0, '/');
        }
        root
    }
}

fn insert(level: &mut Vec<TreeNode>, parts: &[&str], kind: FileKind) {
    let Some((first, rest)) = parts.split_first() else { return };
    let pos = match level.iter().position(|n| n.name == *first) {
        Some(p) => p,
        None => {
            level.push(TreeNode { name: first.to_string(), kind: FileKind::Dir, children: Vec::new() });
            level.len() - 1
        }
    };
    if rest.is_empty() {
        level[pos].kind = kind;
    } else {
        level[pos].kind = FileKind::Dir;
        insert(&mut level[pos].children, rest, kind);
    }
}

fn fold(node: &mut TreeNode) {
    while node.kind == FileKind::Dir && node.children.len() == 1 && node.children[0].kind == FileKind::Dir {
        let child = node.children.remove(0);
        node.name = format!("{}/{}", node.name, child.name);
        node.children = child.children;
    }
    node.children.iter_mut().for_each(fold);
}

/// A package's files as a collapsible tree; works without JavaScript (`<details>`).
#[component]
pub fn FileTree(files: Vec<FileEntry>) -> impl IntoView {
    let nodes = TreeNode::build(&files);
    view! { <ul class="file-tree">{nodes.into_iter().map(|n| view! { <FileNode node=n/> }).collect_view()}</ul> }
}

#[component]
fn FileNode(node: TreeNode) -> impl IntoView {
    match node.kind {
        FileKind::Dir if !node.children.is_empty() => view! {
            <li class="dir">
                <details open=true>
                    <summary>{format!("{}/", node.name)}</summary>
                    <ul>{node.children.into_iter().map(|n| view! { <FileNode node=n/> }).collect_view()}</ul>
                </details>
            </li>
        }
        .into_any(),
        kind => {
            let class = match kind {
                FileKind::Dir => "dir empty",
                FileKind::Ghost => "ghost",
                FileKind::File => "file",
            };
            view! { <li class=class>{node.name}</li> }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, kind: FileKind) -> FileEntry {
        FileEntry { path: path.into(), kind }
    }

    #[test]
    fn folds_single_child_directories() {
        let files = [
            entry("/usr/bin/requre-patch", FileKind::File),
            entry("/usr/lib/python3.13/site-packages/requre/__init__.py", FileKind::File),
            entry("/usr/lib/python3.13/site-packages/requre/storage", FileKind::Dir),
            entry("/var/cache/requre", FileKind::Ghost),
        ];
        let tree = TreeNode::build(&files);
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].name, "/usr");
        let usr: Vec<_> = tree[0].children.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(usr, ["bin", "lib/python3.13/site-packages/requre"]);
        assert_eq!(tree[1].name, "/var/cache");
        assert_eq!(tree[1].children[0].kind, FileKind::Ghost);
    }
}

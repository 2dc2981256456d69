//! What the page shows of a state: the visible rows of a collapsible tree, built from
//! only the expanded nodes, so a state of 300,000 streams costs what is on screen.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use rewind_core::diff::Change;
use rewind_core::pointer::{escape, Pointer};
use rewind_core::Replay;
use rewind_core::Value;

/// Children listed under one expanded node before a "more" row, unless more were asked for.
pub const CHILDREN_SHOWN: usize = 100;

/// How many children to list under each expanded node: [`CHILDREN_SHOWN`] unless the
/// person asked for more (by pointer).
pub type Shown = HashMap<String, usize>;

/// One visible line of the state tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeRow {
    /// RFC 6901 pointer of the node (`""` for the root).
    pub pointer: String,
    /// The member name or array index shown for the node (`(root)` for the root).
    pub key: String,
    /// Nesting depth (0 for the root).
    pub depth: usize,
    /// One-line summary: `{3 keys}`, `[2 items]`, or the scalar as JSON.
    pub summary: String,
    /// Objects and arrays with members can be expanded.
    pub expandable: bool,
    /// The node is expanded (its children follow it).
    pub expanded: bool,
    /// The current event changed this node or something below it.
    pub changed: bool,
    /// For a "more" row: how many children are not shown.
    pub more: Option<usize>,
}

/// The summary of an object with `n` members: `{1 key}`, `{3 keys}`.
fn keys_summary(n: usize) -> String {
    match n {
        1 => "{1 key}".to_string(),
        n => format!("{{{n} keys}}"),
    }
}

/// A one-line summary of a value.
pub fn summary(v: &Value) -> String {
    match v {
        Value::Object(o) => keys_summary(o.len()),
        Value::Array(a) => match a.len() {
            1 => "[1 item]".to_string(),
            n => format!("[{n} items]"),
        },
        other => {
            let text = other.to_compact_string();
            if text.chars().count() > 200 {
                let cut: String = text.chars().take(200).collect();
                format!("{cut}…")
            } else {
                text
            }
        }
    }
}

fn expandable(v: &Value) -> bool {
    match v {
        Value::Object(o) => !o.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

/// The pointers of `changes` (an event's diff), with all their ancestors: the nodes to
/// highlight.
pub fn changed_nodes(changes: &[Change]) -> HashSet<String> {
    let mut out = HashSet::new();
    for change in changes {
        let mut p = change.path.clone();
        out.insert(p.to_string());
        while let Some((parent, _)) = p.split_last() {
            out.insert(parent.to_string());
            p = parent;
        }
    }
    out
}

struct Builder<'a> {
    replay: &'a Replay,
    position: isize,
    expanded: &'a HashSet<String>,
    changed: &'a HashSet<String>,
    shown: &'a Shown,
    rows: Vec<TreeRow>,
}

impl<'a> Builder<'a> {
    fn new(
        replay: &'a Replay,
        position: isize,
        expanded: &'a HashSet<String>,
        changed: &'a HashSet<String>,
        shown: &'a Shown,
    ) -> Self {
        Builder {
            replay,
            position,
            expanded,
            changed,
            shown,
            rows: Vec::new(),
        }
    }

    /// Children to list under `pointer`.
    fn limit(&self, pointer: &str) -> usize {
        self.shown.get(pointer).copied().unwrap_or(CHILDREN_SHOWN)
    }

    /// A node's row and, when it is expanded, its children's rows.
    fn node(&mut self, pointer: &str, key: String, depth: usize, v: &Value) {
        if self.row(pointer, key, depth, v) {
            self.children(pointer, depth + 1, v);
        }
    }

    fn row(&mut self, pointer: &str, key: String, depth: usize, v: &Value) -> bool {
        let open = expandable(v) && self.expanded.contains(pointer);
        self.rows.push(TreeRow {
            pointer: pointer.to_string(),
            key,
            depth,
            summary: summary(v),
            expandable: expandable(v),
            expanded: open,
            changed: self.changed.contains(pointer),
            more: None,
        });
        open
    }

    fn more(&mut self, pointer: &str, depth: usize, hidden: usize) {
        self.rows.push(TreeRow {
            pointer: pointer.to_string(),
            key: String::new(),
            depth,
            summary: format!("… {hidden} more"),
            expandable: false,
            expanded: false,
            changed: false,
            more: Some(hidden),
        });
    }

    /// Rows for the children of the expanded value `v` at `pointer`.
    fn children(&mut self, pointer: &str, depth: usize, v: &Value) {
        let limit = self.limit(pointer);
        match v {
            Value::Object(o) => {
                for (k, child) in o.iter().take(limit) {
                    self.node(
                        &format!("{pointer}/{}", escape(k)),
                        k.to_string(),
                        depth,
                        child,
                    );
                }
                if o.len() > limit {
                    self.more(pointer, depth, o.len() - limit);
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate().take(limit) {
                    self.node(&format!("{pointer}/{i}"), i.to_string(), depth, child);
                }
                if a.len() > limit {
                    self.more(pointer, depth, a.len() - limit);
                }
            }
            _ => {}
        }
    }
}

/// The visible rows of the subtree at `root` (a stream, say) in the state at `position`:
/// that node and the children of every expanded node below it. Empty when the node does
/// not exist at `position`.
pub fn subtree_rows(
    replay: &Replay,
    position: isize,
    root: &Pointer,
    expanded: &HashSet<String>,
    changed: &HashSet<String>,
    shown: &Shown,
) -> Vec<TreeRow> {
    if root.is_root() {
        return tree_rows(replay, position, expanded, changed, shown);
    }
    let mut b = Builder::new(replay, position, expanded, changed, shown);
    if let Some(v) = replay.get(position, root) {
        let key = root.tokens().last().cloned().unwrap_or_default();
        b.node(&root.to_string(), key, 0, &v);
    }
    b.rows
}

/// The visible rows of the state at `position`: the root, and the children of every
/// expanded node (by pointer), depth first. With the column timeline only the expanded
/// top-level keys are computed.
pub fn tree_rows(
    replay: &Replay,
    position: isize,
    expanded: &HashSet<String>,
    changed: &HashSet<String>,
    shown: &Shown,
) -> Vec<TreeRow> {
    let mut b = Builder::new(replay, position, expanded, changed, shown);
    let limit = b.limit("");
    match replay.root_keys(position, 0, limit) {
        Some((keys, total)) => {
            let open = expanded.contains("");
            b.rows.push(TreeRow {
                pointer: String::new(),
                key: "(root)".into(),
                depth: 0,
                summary: keys_summary(total),
                expandable: total > 0,
                expanded: open && total > 0,
                changed: changed.contains(""),
                more: None,
            });
            if open {
                for k in keys {
                    let Some(v) = b.replay.get(b.position, &Pointer::root().child(&k)) else {
                        continue;
                    };
                    b.node(&format!("/{}", escape(&k)), k.to_string(), 1, &v);
                }
                if total > limit {
                    b.more("", 1, total - limit);
                    // The streams the current event changed stay in view however far
                    // down the key order they are.
                    let mut extra: Vec<&String> = changed
                        .iter()
                        .filter(|p| p.len() > 1 && p[1..].find('/').is_none())
                        .filter(|p| !b.rows.iter().any(|r| &r.pointer == *p))
                        .collect();
                    extra.sort();
                    for p in extra {
                        let Ok(ptr) = Pointer::parse(p) else { continue };
                        let Some(v) = b.replay.get(b.position, &ptr) else {
                            continue;
                        };
                        let key = ptr.tokens().first().cloned().unwrap_or_default();
                        b.node(p, key, 1, &v);
                    }
                }
            }
        }
        None => {
            let state = replay.state_at(position);
            b.node("", "(root)".into(), 0, &state);
        }
    }
    b.rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use rewind_core::{open, LoadOptions};

    fn sample() -> Replay {
        let log = br#"{"type":"Placed","stream":"order-1","data":{"status":"placed","lines":{"a":{"qty":1}}}}
{"type":"Paid","stream":"order-1","data":{"status":"paid"}}
{"type":"Registered","stream":"customer-1","data":{"name":"Ada"}}"#;
        open(&log[..], &LoadOptions::default()).expect("loads")
    }

    #[test]
    fn only_expanded_nodes_have_children_rows() {
        let r = sample();
        let expanded: HashSet<String> = ["".to_string(), "/order-1".to_string()].into();
        let rows = tree_rows(&r, 2, &expanded, &HashSet::new(), &Shown::new());
        let pointers: Vec<&str> = rows.iter().map(|r| r.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "",
                "/customer-1",
                "/order-1",
                "/order-1/lines",
                "/order-1/status"
            ]
        );
        assert_eq!(rows[0].summary, "{2 keys}");
        assert_eq!(rows[3].summary, "{1 key}");
        assert_eq!(rows[4].summary, "\"paid\"");
    }

    #[test]
    fn root_keys_follow_removals_and_the_initial_state() {
        let log = br#"{"payload": "[{\"type\":\"set\",\"a\":1,\"b\":2},{\"type\":\"drop\",\"a\":null}]", "preloadedState": "{\"z\":0}"}"#;
        let r = open(&log[..], &LoadOptions::default()).expect("loads");
        let expanded: HashSet<String> = [String::new()].into();
        let keys = |p: isize| -> Vec<String> {
            tree_rows(&r, p, &expanded, &HashSet::new(), &Shown::new())
                .iter()
                .skip(1)
                .map(|row| row.key.clone())
                .collect()
        };
        assert_eq!(keys(-1), ["z"]);
        assert_eq!(keys(0), ["a", "b", "z"]);
        assert_eq!(keys(1), ["b", "z"]);
    }

    #[test]
    fn changed_nodes_include_ancestors() {
        let r = sample();
        let changed = changed_nodes(&r.event_diff(1));
        assert!(changed.contains("/order-1/status"));
        assert!(changed.contains("/order-1"));
        assert!(changed.contains(""));
        assert!(!changed.contains("/order-1/lines"));
        let expanded: HashSet<String> = ["".to_string(), "/order-1".to_string()].into();
        let rows = tree_rows(&r, 1, &expanded, &changed, &Shown::new());
        let status = rows
            .iter()
            .find(|r| r.pointer == "/order-1/status")
            .expect("status row");
        assert!(status.changed);
    }

    #[test]
    fn snapshot_and_column_timelines_give_the_same_rows() {
        let log = br#"{"type":"Placed","stream":"order-1","data":{"status":"placed","lines":{"a":{"qty":1}}}}
{"type":"Registered","stream":"customer-1","data":{"name":"Ada"}}"#;
        let a = open(&log[..], &LoadOptions::default()).expect("loads");
        let b = open(
            &log[..],
            &LoadOptions {
                timeline: rewind_core::TimelineKind::Snapshots,
                ..LoadOptions::default()
            },
        )
        .expect("loads");
        let expanded: HashSet<String> = [
            "".to_string(),
            "/order-1".to_string(),
            "/order-1/lines".to_string(),
        ]
        .into();
        for p in -1..2 {
            assert_eq!(
                tree_rows(&a, p, &expanded, &HashSet::new(), &Shown::new()),
                tree_rows(&b, p, &expanded, &HashSet::new(), &Shown::new())
            );
        }
    }
}

//! What-if in the session: the view's edits applied to the log (folded again only where
//! they reach), what the page is told of them, the comparison with the original at a
//! position, and the texts of the Edit event dialog and of the exports.

use rewind_core::whatif::{first_difference, patch_at, Edit};
use rewind_core::Value;

use super::{change_row, Session};
use crate::edits::{EditList, EditsInfo, MARKS_SHOWN};
use crate::messages::{Comparison, CHANGES_SHOWN};

impl Session {
    /// Applies `list` when it differs from the edits applied (or `again`, when what a
    /// skip-caused edit follows changed): the log is edited and folded again, and the page
    /// is told on the next frame. Edits that cannot be applied leave the log as loaded, and
    /// the page is told why.
    pub(super) fn set_edits(&mut self, list: &EditList, again: bool) {
        if &self.edits.list == list && !again {
            return;
        }
        self.edits = EditsInfo {
            list: list.clone(),
            ..EditsInfo::default()
        };
        self.edits_sent = false;
        // What was sent of the log as it was shown no longer holds.
        self.rows = None;
        self.density_sent = None;
        self.history_sent = None;
        self.edited = None;
        if list.is_empty() {
            return;
        }
        let edits = match list.to_edits() {
            Ok(e) => e,
            Err((at, problem)) => {
                self.edits.problem = Some(format!("Event {}: {problem}", at as usize + 1));
                return;
            }
        };
        let flows = match edits.0.iter().any(|e| matches!(e, Edit::SkipCaused { .. })) {
            true => self.flows.index(&self.replay.log, &self.flow_keys),
            false => None,
        };
        let caused = |p: usize| flows.map_or_else(Vec::new, |f| f.caused_transitively(p));
        match self.replay.with_edits(&edits, &caused) {
            Ok(edited) => {
                let positions = edited
                    .log
                    .overlay()
                    .map(|o| o.positions())
                    .unwrap_or_default();
                self.edits.changed = positions.len();
                self.edits.marks = positions
                    .iter()
                    .take(MARKS_SHOWN)
                    .map(|&p| p as u32)
                    .collect();
                self.edits.first_difference = first_difference(&self.replay, &edited);
                self.edited = Some(edited);
            }
            Err(e) => self.edits.problem = Some(e.to_string()),
        }
    }

    /// What the edits changed in the state at `position` (nothing without edits).
    pub(super) fn comparison(&self, position: isize) -> Comparison {
        let Some(edited) = &self.edited else {
            return Comparison::default();
        };
        let changes = patch_at(&self.replay, edited, position);
        Comparison {
            total: changes.len(),
            changes: changes.iter().take(CHANGES_SHOWN).map(change_row).collect(),
        }
    }

    /// The event at `position` as the Edit event dialog shows it: its type and data, as
    /// edited when it was.
    pub(super) fn edit_text(&self, position: isize) -> Option<String> {
        let p = usize::try_from(position).ok()?;
        let e = self.current().log.event(p)?;
        // The type first, as a person reads an event.
        let kind = Value::String(e.kind.as_str().into()).to_compact_string();
        let data = e.data.to_pretty_string().replace('\n', "\n  ");
        Some(format!("{{\n  \"type\": {kind},\n  \"data\": {data}\n}}"))
    }

    /// The edits file of the edits applied (an empty array without edits).
    pub(super) fn edits_file(&self) -> String {
        self.edits
            .list
            .to_edits()
            .map(|e| e.to_json())
            .unwrap_or_else(|_| "[]".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edits::EditEntry;
    use crate::messages::{Reply, Request, View};
    use rewind_core::{open, LoadOptions};

    const LOG: &str = r#"{"type":"OrderPlaced","stream":"order-1","data":{"status":"placed","total":10}}
{"type":"OrderPaid","stream":"order-1","data":{"status":"paid"}}
{"type":"OrderPlaced","stream":"order-2","data":{"status":"placed","total":5}}
{"type":"OrderShipped","stream":"order-1","data":{"status":"shipped"}}"#;

    fn session() -> Session {
        Session::new(open(LOG.as_bytes(), &LoadOptions::default()).expect("loads"))
    }

    fn view(position: isize, edits: EditList, compare: bool) -> View {
        View {
            position,
            expanded: vec![String::new(), "/order-1".into()],
            list_len: 10,
            edits,
            compare_original: compare,
            ..View::default()
        }
    }

    fn text(reply: Reply) -> String {
        match reply {
            Reply::Text(Some(t)) => t,
            other => panic!("expected text, got {other:?}"),
        }
    }

    #[test]
    fn a_skip_shows_the_state_without_the_event_and_compares_with_the_original() {
        let mut s = session();
        let mut edits = EditList::default();
        edits.toggle_skip(1);
        let frame = s.frame(&view(1, edits.clone(), true));
        let info = frame.edits.expect("told of the edits");
        assert_eq!((info.changed, info.marks.clone()), (1, vec![1]));
        assert_eq!(info.first_difference, Some(1));
        assert_eq!(info.problem, None);
        let event = frame.event.expect("event");
        assert!(event.skipped_by_edit && !event.replaced);
        assert!(frame.changes.is_empty(), "a skipped event changes nothing");
        let status = frame
            .tree
            .iter()
            .find(|r| r.pointer == "/order-1/status")
            .expect("status row");
        assert_eq!(status.summary, "\"placed\"");
        let whatif = frame.whatif.expect("compared");
        assert_eq!(whatif.total, 1);
        assert_eq!(whatif.changes[0].path, "/order-1/status");
        assert_eq!(whatif.changes[0].old.as_deref(), Some("\"paid\""));
        assert_eq!(whatif.changes[0].new.as_deref(), Some("\"placed\""));
        // The next frame with the same edits does not repeat them.
        assert_eq!(s.frame(&view(2, edits, false)).edits, None);
        // No edits: the log as loaded again.
        let frame = s.frame(&view(1, EditList::default(), false));
        assert_eq!(frame.edits.map(|i| i.changed), Some(0));
        assert_eq!(frame.changes.len(), 1);
    }

    #[test]
    fn an_edit_dialog_text_replaces_the_event_and_exports_follow() {
        let mut s = session();
        let shown = text(s.handle(Request::EditText(3)));
        assert!(
            shown.starts_with("{\n  \"type\": \"OrderShipped\",\n  \"data\": {"),
            "{shown}"
        );
        let replacement = "{\"type\": \"OrderLost\", \"data\": {\"status\": \"lost\"}}";
        assert_eq!(
            s.handle(Request::CheckReplace {
                at: 3,
                text: replacement.into()
            }),
            Reply::Checked(None)
        );
        let Reply::Checked(Some(problem)) = s.handle(Request::CheckReplace {
            at: 3,
            text: "{\n\"type\": }".into(),
        }) else {
            panic!("bad JSON is a problem");
        };
        assert_eq!(problem.line, Some(2));
        let edits = EditList(vec![
            EditEntry::Replace(3, replacement.into()),
            EditEntry::Skip(2),
        ]);
        let frame = s.frame(&view(3, edits, false));
        assert_eq!(frame.event_type.as_deref(), Some("OrderLost"));
        assert!(frame.event.expect("event").replaced);
        assert!(text(s.handle(Request::EditText(3))).contains("OrderLost"));
        let exported = text(s.handle(Request::ExportEdited));
        assert_eq!(exported.lines().count(), 3, "the skipped event is left out");
        assert!(exported.lines().last().expect("line").contains("OrderLost"));
        let file = text(s.handle(Request::ExportEdits));
        let parsed = rewind_core::whatif::Edits::parse(&file).expect("the edits file reads back");
        assert_eq!(parsed.0.len(), 2);
    }

    #[test]
    fn edits_that_cannot_apply_say_why_and_show_the_log_as_loaded() {
        let mut s = session();
        let edits = EditList(vec![EditEntry::Replace(1, "{\"stream\": \"x\"}".into())]);
        let frame = s.frame(&view(1, edits, false));
        let problem = frame.edits.and_then(|i| i.problem).expect("a problem");
        assert!(problem.starts_with("Event 2: "), "{problem}");
        assert_eq!(frame.changes.len(), 1, "the log as loaded");
    }
}

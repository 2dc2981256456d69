//! The timeline of an edited log (§8), folded again only where the edits can reach: in
//! the column timeline only the streams of the edited events; with snapshots, from the
//! snapshot before the earliest edit; in a read model, from the earliest edit.

use super::{ColumnTimeline, Inner, SnapshotBuilder, Timeline};
use crate::log::{Log, Mode, NO_STREAM};
use crate::value::{Str, Value};

impl Timeline {
    /// The timeline of `edited`, the log this timeline folds with edits applied (see
    /// [`Log::with_edits`]). Without edits it is this timeline.
    pub fn refold_edited(&self, edited: &Log) -> Timeline {
        let Some(overlay) = edited.overlay() else {
            return self.clone();
        };
        let positions = overlay.positions();
        let Some(&from) = positions.first() else {
            return self.clone();
        };
        match &self.0 {
            Inner::Columns(c) => {
                let streams: Option<Vec<(usize, Str)>> = positions
                    .iter()
                    .map(|&p| Some((p, Str::from(edited.stream_name(p)?))))
                    .collect();
                let refolded = streams.and_then(|s| c.with_keys_refolded(&s));
                match refolded {
                    Some(t) => Timeline(Inner::Columns(Box::new(t))),
                    // An edited event without a stream names its keys in its data, which the
                    // edit may have changed: index the edited log anew.
                    None => fold_anew(edited, c.checkpoint_interval(), super::DEFAULT_INTERVAL),
                }
            }
            Inner::Snapshots(s) => {
                Timeline(Inner::Snapshots(s.refold_from(edited.mode, edited, from)))
            }
            Inner::Model(m) => {
                let mut m = m.as_ref().clone();
                m.refold_edited(edited, &positions);
                Timeline::from(m)
            }
        }
    }
}

/// The merge fold of `log` from its first event: columns that fold each key on first read
/// (only events without a stream are read now), or snapshots every `interval` events when
/// an event replaces the whole state.
fn fold_anew(log: &Log, checkpoint: usize, interval: usize) -> Timeline {
    if let Ok(mut c) = ColumnTimeline::new(&log.initial_state, checkpoint, true) {
        let columnar = (0..log.len()).all(|p| {
            let stream = log.events.stream(p).unwrap_or(NO_STREAM);
            match log.streams.get(stream as usize) {
                Some(name) if stream != NO_STREAM => {
                    c.touch((stream, name));
                    true
                }
                _ => {
                    let input = log.fold_input(p).unwrap_or(Value::Null);
                    c.push(None, &input).is_ok()
                }
            }
        });
        if columnar {
            return Timeline(Inner::Columns(Box::new(c.finish(log.events.streams()))));
        }
    }
    let mut s = SnapshotBuilder::new(Mode::Merge, log.initial_state.clone(), interval);
    for p in 0..log.len() {
        let input = log.fold_input(p).unwrap_or(Value::Null);
        s.push(log.stream_name(p), &input);
    }
    Timeline(Inner::Snapshots(s.finish()))
}

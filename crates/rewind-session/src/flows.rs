//! Causes, effects and flows as the page shows them (SPEC §9): the Event region's
//! **Caused by**, **Caused** and **Flow**, the flow's causation tree, and the index they
//! come from, built on first use: a quick look at a few events first, so that a log that
//! names no correlation or causation never pays for the index.

use rewind_core::flow::TreeRow;
use rewind_core::{FlowIndex, FlowKeys, Log};
use serde::{Deserialize, Serialize};

/// Effects listed in the Event region; the rest are counted.
pub const CAUSED_SHOWN: usize = 50;
/// Rows of a flow's tree sent at most.
pub const TREE_SHOWN: usize = 1000;
/// Events looked at (from each end and spread between) before indexing a whole log.
const PROBE: usize = 2000;

/// Another event, as a link to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowLink {
    /// Its position.
    pub position: u32,
    /// `PaymentRequested · payment-1`: its type and stream.
    pub label: String,
}

/// The current event's place in its flow.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowView {
    /// The flow it belongs to.
    pub correlation: Option<String>,
    /// The id of the event that caused it, as written.
    pub causation: Option<String>,
    /// The event that caused it, when it is in the log.
    pub caused_by: Option<FlowLink>,
    /// Its causation names an event the log does not have.
    pub cause_missing: bool,
    /// Following its causes comes back to it or to an event already met.
    pub cycle: bool,
    /// The first [`CAUSED_SHOWN`] events it caused.
    pub caused: Vec<FlowLink>,
    /// How many events it caused.
    pub caused_total: usize,
    /// How many events it caused, and they caused, and so on.
    pub caused_transitively: usize,
    /// How many events share its correlation (itself included).
    pub flow_count: usize,
}

/// One row of a flow's causation tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowTreeRow {
    /// The event.
    pub link: FlowLink,
    /// Causes above it in the tree (roots are 0).
    pub depth: usize,
    /// This row comes back round a causation cycle and is not followed.
    pub cycle: bool,
}

/// The flow index of a log, built on first use with the keys asked for.
#[derive(Default)]
pub struct Flows {
    /// The keys the index was built (or found unneeded) with, and the index: `None` when
    /// the log names no correlation or causation.
    built: Option<(FlowKeys, Option<FlowIndex>)>,
}

impl Flows {
    /// The index of `log` with `keys`, built now if it was not yet (or with other keys);
    /// `None` when no event looked at names a correlation or causation.
    pub fn index(&mut self, log: &Log, keys: &FlowKeys) -> Option<&FlowIndex> {
        if self.built.as_ref().map(|(k, _)| k) != Some(keys) {
            let n = log.len();
            let step = (n / PROBE).max(1);
            let probe = (0..n.min(PROBE))
                .chain(n.saturating_sub(PROBE)..n)
                .chain((0..n).step_by(step));
            let index = FlowIndex::any_named(log, keys, probe)
                .then(|| FlowIndex::build(log, keys))
                .filter(FlowIndex::has_any);
            self.built = Some((keys.clone(), index));
        }
        self.built.as_ref().and_then(|(_, i)| i.as_ref())
    }

    /// Whether the index for `keys` was built (or found unneeded) already.
    pub fn decided(&self, keys: &FlowKeys) -> bool {
        self.built.as_ref().is_some_and(|(k, _)| k == keys)
    }

    /// The index, if it was built already.
    pub fn built(&self) -> Option<&FlowIndex> {
        self.built.as_ref().and_then(|(_, i)| i.as_ref())
    }
}

/// The link to the event at `p`: its type and stream.
pub fn link(log: &Log, p: usize) -> FlowLink {
    let label = match log.stream_name(p) {
        Some(s) => format!("{} · {s}", log.type_name(p)),
        None => log.type_name(p).to_string(),
    };
    FlowLink {
        position: p as u32,
        label,
    }
}

/// The event at `p` in its flow; `None` when it has neither correlation nor causation and
/// caused nothing.
pub fn flow_view(index: &FlowIndex, log: &Log, p: usize) -> Option<FlowView> {
    let correlation = index.correlation(p).map(str::to_string);
    let causation = index.causation(log, p);
    let causes = index.causes(p);
    if correlation.is_none() && causation.is_none() && causes.is_empty() {
        return None;
    }
    Some(FlowView {
        flow_count: index.flow(p).len(),
        correlation,
        causation,
        caused_by: index.caused_by(p).map(|q| link(log, q)),
        cause_missing: index.cause_missing(p),
        cycle: index.cycle(p),
        caused: causes
            .iter()
            .take(CAUSED_SHOWN)
            .map(|&q| link(log, q as usize))
            .collect(),
        caused_total: causes.len(),
        caused_transitively: index.caused_transitively(p).len(),
    })
}

/// The causation tree of the flow of the event at `p`, as the page lists it.
pub fn tree(index: &FlowIndex, log: &Log, p: usize) -> Vec<FlowTreeRow> {
    index
        .tree(p, TREE_SHOWN)
        .into_iter()
        .map(
            |TreeRow {
                 position,
                 depth,
                 cycle,
             }| FlowTreeRow {
                link: link(log, position),
                depth,
                cycle,
            },
        )
        .collect()
}

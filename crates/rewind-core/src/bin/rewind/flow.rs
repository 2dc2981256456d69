//! `rewind flow`: an event's cause, the events it caused and the events of its flow (SPEC
//! §9), and the `--correlation-key` / `--causation-key` flags that choose where they are
//! read from.

use std::io::Write;

use clap::Args;
use rewind_core::{open, FlowIndex, FlowKeys, LoadOptions};

/// Where events name their correlation and causation, when not by the conventions.
#[derive(Args, Clone, Debug, Default)]
pub(crate) struct FlowArgs {
    /// Key of the correlation, the flow an event belongs to (instead of $correlationId,
    /// correlation_id, NServiceBus.ConversationId, traceparent, ...); a dotted path reaches
    /// into objects.
    #[arg(long)]
    pub(crate) correlation_key: Option<String>,
    /// Key of the causation, the id of the event that caused it (instead of $causationId,
    /// causation_id, NServiceBus.RelatedTo, ...).
    #[arg(long)]
    pub(crate) causation_key: Option<String>,
}

impl FlowArgs {
    /// The keys these flags choose (`None`: the conventions).
    pub(crate) fn keys(&self) -> FlowKeys {
        FlowKeys {
            correlation: self.correlation_key.clone(),
            causation: self.causation_key.clone(),
        }
    }

    /// [`keys`](Self::keys), refusing an empty key (which names no member anyone writes).
    pub(crate) fn checked_keys(&self) -> Result<FlowKeys, String> {
        for (flag, key) in [
            ("--correlation-key", &self.correlation_key),
            ("--causation-key", &self.causation_key),
        ] {
            if key.as_deref().is_some_and(|k| k.trim().is_empty()) {
                return Err(format!("{flag} needs a key name, such as conversationId"));
            }
        }
        Ok(self.keys())
    }
}

/// `rewind flow`: prints the flow report of the event at `at` as one JSON object. When no
/// event of the log has a correlation or causation, says on standard error what was looked
/// for.
pub(crate) fn print(
    out: &mut impl Write,
    log_args: &crate::LogArgs,
    at: isize,
    args: &FlowArgs,
) -> Result<(), String> {
    let keys = args.checked_keys()?;
    // Only the events are needed, not their states: the merge fold is left for later.
    let options = LoadOptions {
        lazy: true,
        ..log_args.options()?
    };
    let replay = open(log_args.read()?, &options).map_err(|e| format!("{}: {e}", log_args.log))?;
    let log = &replay.log;
    if log.is_empty() {
        return Err("the log has no event".into());
    }
    let last = log.len() - 1;
    let p = usize::try_from(at)
        .ok()
        .filter(|&p| p <= last)
        .ok_or_else(|| format!("position {at} is outside the log: use 0 to {last}"))?;
    let index = FlowIndex::build(log, &keys);
    if !index.has_any() {
        let metadata = log.keys().metadata.join(", ");
        eprintln!(
            "rewind: no event has a correlation or causation: looked for {} (in {metadata} and at the top level); --correlation-key and --causation-key choose other keys",
            keys.describe()
        );
    }
    crate::print_json(out, &index.report(log, p), false)
}

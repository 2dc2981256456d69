//! How many workers a log is loaded by: a preview for a log larger than its start, a
//! helper for a large log on a machine with processors to spare; and which logs are loaded
//! index-only. (No log is refused for its size: the worker says when one's index does not
//! fit.)

use crate::protocol::{IN_MEMORY_MAX_BYTES, PREVIEW_BYTES};

/// Logs from this size on are indexed by two workers, each taking about half the file (the
/// loading one and a helper, see [`HEAD_SHARE`]), on machines with [`SPLIT_MIN_CORES`].
/// Below it a load takes about a second anyway.
const SPLIT_MIN_BYTES: f64 = 48e6;

/// Processors a machine needs for a log to be split between two workers: the page's thread,
/// the browser's own and both workers each need one. On two processors, measured on a
/// million events, the split loaded no faster than one worker (2.7 s against 3.0 s,
/// medians of eight alternating runs), and the page, sharing them with both, drew its
/// frames half as fast meanwhile and showed the first state 100 ms later.
const SPLIT_MIN_CORES: f64 = 4.0;

/// Share of a split log's bytes whose lines the loading worker indexes; the helper takes
/// the rest. A little under half, because the loading worker also copies the helper's
/// part of the file and then appends the helper's index: measured on a million events,
/// at one half the helper's index was ready 150-400 ms before the loading worker.
const HEAD_SHARE: f64 = 0.48;

/// Whether a log of `size` bytes is loaded index-only (see [`IN_MEMORY_MAX_BYTES`]), or
/// `forced` (the page's address asks for it: `?index-only`).
pub fn index_only(size: f64, forced: bool) -> bool {
    forced || size > IN_MEMORY_MAX_BYTES
}

/// True when a file's name says it is gzip-compressed.
pub fn is_gzip_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".gz")
}

/// Whether a log of `size` bytes is split between two workers on a machine with `cores`
/// logical processors.
pub fn split(size: f64, cores: f64) -> bool {
    size >= SPLIT_MIN_BYTES && cores >= SPLIT_MIN_CORES
}

/// The workers a log is loaded by, besides the loading one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    /// A preview worker loads the log's start, to show while the rest loads.
    pub preview: bool,
    /// A helper indexes the lines after this byte for the loading worker.
    pub tail_from: Option<u64>,
    /// The log is loaded index-only (see [`index_only`]).
    pub index_only: bool,
}

/// The plan for a log of `size` bytes named `name` on a machine with `cores` processors,
/// index-only when `index_only`. The helper reads the file's bytes as they are, with the
/// fields detected: not for a compressed log, nor one whose fields the person chose
/// (`fields_chosen`), nor one loaded index-only (whose index is built in one piece).
pub fn plan(size: f64, name: &str, fields_chosen: bool, cores: f64, index_only: bool) -> Plan {
    let shareable = !fields_chosen && !is_gzip_name(name) && !index_only;
    Plan {
        preview: size > PREVIEW_BYTES as f64,
        tail_from: (shareable && split(size, cores)).then(|| (size * HEAD_SHARE).floor() as u64),
        index_only,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_large_logs_on_machines_with_processors_to_spare_are_split() {
        assert!(split(237e6, 8.0));
        assert!(split(SPLIT_MIN_BYTES, SPLIT_MIN_CORES));
        assert!(!split(237e6, 2.0), "two processors: one worker");
        assert!(
            !split(SPLIT_MIN_BYTES - 1.0, 16.0),
            "a small log: one worker"
        );
    }

    #[test]
    fn a_large_log_gets_a_preview_and_a_helper_unless_compressed_or_fields_chosen() {
        let big = plan(100e6, "big.ndjson", false, 8.0, false);
        assert!(big.preview);
        assert_eq!(big.tail_from, Some(48_000_000));
        assert_eq!(
            plan(100e6, "big.ndjson.gz", false, 8.0, false).tail_from,
            None
        );
        assert_eq!(plan(100e6, "big.ndjson", true, 8.0, false).tail_from, None);
        let small = plan(1e6, "small.ndjson", false, 8.0, false);
        assert_eq!((small.preview, small.tail_from), (false, None));
    }

    #[test]
    fn a_log_past_a_gigabyte_is_loaded_index_only_in_one_worker_and_a_preview() {
        assert!(!index_only(237e6, false));
        assert!(index_only(237e6, true), "asked for");
        assert!(index_only(IN_MEMORY_MAX_BYTES + 1.0, false));
        let huge = plan(4e9, "huge.ndjson", false, 8.0, index_only(4e9, false));
        assert_eq!(
            (huge.preview, huge.tail_from, huge.index_only),
            (true, None, true)
        );
    }
}

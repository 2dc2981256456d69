//! How many workers a log is loaded by: a preview for a log larger than its start, a
//! helper for a large log on a machine with processors to spare; and which logs are too
//! large for a tab.

use crate::protocol::{MAX_FILE_BYTES, PREVIEW_BYTES};

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

/// Why a file of `size` bytes is not opened, if it is too large for a tab.
pub fn too_large(size: f64, name: &str) -> Option<String> {
    (size > MAX_FILE_BYTES).then(|| {
        format!(
            "Could not open {name}: it is {} MB, and this page holds logs up to {} MB \
             (folding needs about twice the file in memory, and a browser tab has 4 GB). \
             The rewind command-line tool reads logs of any size.",
            (size / 1e6) as u64,
            (MAX_FILE_BYTES / 1e6) as u64
        )
    })
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
}

/// The plan for a log of `size` bytes named `name` on a machine with `cores` processors.
/// The helper reads the file's bytes as they are, with the fields detected: not for a
/// compressed log, nor one whose fields the person chose (`fields_chosen`).
pub fn plan(size: f64, name: &str, fields_chosen: bool, cores: f64) -> Plan {
    let shareable = !fields_chosen && !is_gzip_name(name);
    Plan {
        preview: size > PREVIEW_BYTES as f64,
        tail_from: (shareable && split(size, cores)).then(|| (size * HEAD_SHARE).floor() as u64),
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
        let big = plan(100e6, "big.ndjson", false, 8.0);
        assert!(big.preview);
        assert_eq!(big.tail_from, Some(48_000_000));
        assert_eq!(plan(100e6, "big.ndjson.gz", false, 8.0).tail_from, None);
        assert_eq!(plan(100e6, "big.ndjson", true, 8.0).tail_from, None);
        let small = plan(1e6, "small.ndjson", false, 8.0);
        assert_eq!((small.preview, small.tail_from), (false, None));
    }

    #[test]
    fn a_log_too_large_for_a_tab_is_refused_in_words_and_a_large_one_is_not() {
        assert_eq!(too_large(237e6, "big.ndjson"), None);
        assert_eq!(too_large(MAX_FILE_BYTES, "edge.ndjson"), None);
        let message = too_large(2.1e9, "huge.ndjson").expect("refused");
        assert!(
            message.starts_with("Could not open huge.ndjson: it is 2100 MB"),
            "{message}"
        );
        assert!(message.contains("command-line tool"), "{message}");
    }
}

//! Fuzzes loading: any bytes give a log or a clear error, never a panic, a hang or a
//! stack overflow; a loaded log answers state, diff and history queries at every position,
//! its states are the reference fold of its events and its diffs apply as patches.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rewind_core::{LoadOptions, Pointer};

fuzz_target!(|data: &[u8]| {
    let Some(replay) = rewind_core_fuzz::load_and_check(data, &LoadOptions::default()) else {
        return;
    };
    let last = replay.len() as isize - 1;
    for p in [-1, 0, last / 2, last] {
        let state = replay.state_at(p);
        let _ = state.to_compact_string();
    }
    for p in 0..replay.len().min(16) {
        let _ = replay.event_diff(p);
    }
    let _ = replay.diff_between(-1, last);
    if let Some(stream) = replay.log.streams.first() {
        let _ = replay.history(&Pointer::root().child(stream));
    }
    let _ = replay.stats();
    let _ = replay.log.event(0);
});

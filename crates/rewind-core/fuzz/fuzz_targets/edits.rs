//! Fuzzes what-if edits: the input is an edits file, applied to a small fixed log in
//! each fold (merge with streams, merge without, patch). Any text is read as edits or
//! refused in words; edits that apply give, at every position, states that
//! `patch_at` turns the original into, and a first difference that is the first
//! position whose states differ. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rewind_core::patch::apply_patch;
use rewind_core::whatif::{first_difference, patch_at, Edits};
use rewind_core::{json_patch, open, LoadOptions, Mode};

const LOGS: [(&str, Option<Mode>); 3] = [
    (
        "{\"type\":\"A\",\"stream\":\"s1\",\"data\":{\"n\":1}}\n{\"type\":\"B\",\"stream\":\"s2\",\"data\":{\"n\":2}}\n{\"type\":\"A\",\"stream\":\"s1\",\"data\":null}\n{\"type\":\"C\",\"stream\":\"s1\",\"data\":{\"m\":[1,2]}}",
        None,
    ),
    (
        "{\"type\":\"A\",\"data\":{\"x\":1}}\n{\"type\":\"B\",\"data\":{\"y\":2,\"x\":null}}\n{\"type\":\"A\",\"data\":{\"x\":3}}",
        None,
    ),
    (
        "{\"type\":\"A\",\"data\":[{\"op\":\"add\",\"path\":\"/a\",\"value\":[]}]}\n{\"type\":\"B\",\"data\":[{\"op\":\"add\",\"path\":\"/a/-\",\"value\":1}]}\n{\"type\":\"C\",\"data\":[{\"op\":\"remove\",\"path\":\"/a/0\"}]}",
        Some(Mode::Patch),
    ),
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(edits) = Edits::parse(&text) else {
        return;
    };
    for (log, mode) in LOGS {
        let options = LoadOptions {
            mode,
            ..LoadOptions::default()
        };
        let original = open(log.as_bytes(), &options).expect("the fixed log loads");
        let Ok(edited) = original.with_edits(&edits, &|p| vec![p + 1]) else {
            continue;
        };
        let mut first = None;
        for q in -1..original.len() as isize {
            let (a, b) = (original.state_at(q), edited.state_at(q));
            if first.is_none() && a != b {
                first = Some(q as usize);
            }
            let mut patched = a.clone();
            apply_patch(&mut patched, &json_patch(&patch_at(&original, &edited, q)))
                .expect("the what-if patch applies");
            assert_eq!(patched, b, "patch at {q}");
        }
        assert_eq!(first_difference(&original, &edited), first);
        let _ = edited.edited_ndjson();
    }
});

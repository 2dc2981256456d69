//! The roles of the workers, driven as the page's side of them drives them: loads
//! started, workers' messages heard, Cancel pressed.

use super::*;

/// A summary of a log named `name` with `events` events (`partial`: its start).
fn summary(name: &str, events: usize, partial: bool) -> Rc<Summary> {
    Rc::new(Summary {
        name: name.into(),
        events,
        partial,
        ..Summary::default()
    })
}

fn load(loading: WorkerId) -> Load {
    Load {
        loading,
        preview: None,
        helper: None,
    }
}

fn failed(message: Option<&str>, after: After) -> Effect {
    Effect::Tell(Note::Failed {
        message: message.map(String::from),
        after,
    })
}

/// Roles with log `a.ndjson` open, served by worker 1.
fn serving_a() -> (Roles, Rc<Summary>) {
    let mut roles = Roles::default();
    let a = summary("a.ndjson", 10, false);
    let _ = roles.start(load(1));
    let _ = roles.heard(1, Heard::Loaded(a.clone()));
    (roles, a)
}

#[test]
fn the_first_load_serves_once_its_log_is_open() {
    let mut roles = Roles::default();
    assert_eq!(roles.start(load(1)), [Effect::KeepSpares]);
    assert!(roles.loading());
    assert_eq!(roles.serving(), None);
    let a = summary("a.ndjson", 10, false);
    assert_eq!(
        roles.heard(1, Heard::Loaded(a.clone())),
        [
            Effect::ServingChanged,
            Effect::KeepSparesSoon,
            Effect::Tell(Note::Loaded(a))
        ]
    );
    assert_eq!(roles.serving(), Some(1));
    assert!(!roles.loading());
}

#[test]
fn a_load_replaces_the_previous_log_once_it_is_open() {
    let (mut roles, _) = serving_a();
    assert_eq!(roles.start(load(2)), [Effect::KeepSpares]);
    assert_eq!(roles.serving(), Some(1), "the open log serves meanwhile");
    let b = summary("b.ndjson", 5, false);
    let effects = roles.heard(2, Heard::Loaded(b.clone()));
    assert_eq!(
        effects,
        [
            Effect::Terminate(1),
            Effect::ServingChanged,
            Effect::KeepSparesSoon,
            Effect::Tell(Note::Loaded(b))
        ]
    );
    assert_eq!(roles.serving(), Some(2));
}

#[test]
fn the_preview_serves_its_frames_before_the_full_load_replaces_it() {
    let (mut roles, _) = serving_a();
    let _ = roles.start(Load {
        preview: Some(3),
        ..load(2)
    });
    let start = summary("b.ndjson", 17_000, true);
    assert_eq!(
        roles.heard(3, Heard::Loaded(start.clone())),
        [Effect::ServingChanged, Effect::Tell(Note::Loaded(start))]
    );
    assert_eq!(roles.serving(), Some(3), "the start answers requests");
    let whole = summary("b.ndjson", 500_000, false);
    let effects = roles.heard(2, Heard::Loaded(whole.clone()));
    assert_eq!(
        effects,
        [
            Effect::Terminate(1),
            Effect::Terminate(3),
            Effect::ServingChanged,
            Effect::KeepSparesSoon,
            Effect::Tell(Note::Loaded(whole))
        ],
        "the log kept for Cancel and the preview are done"
    );
    assert_eq!(roles.serving(), Some(2));
}

#[test]
fn cancel_brings_back_the_log_the_preview_replaced() {
    let (mut roles, a) = serving_a();
    let _ = roles.start(Load {
        preview: Some(3),
        ..load(2)
    });
    let _ = roles.heard(3, Heard::Loaded(summary("b.ndjson", 17_000, true)));
    assert_eq!(
        roles.cancel(),
        [
            Effect::Terminate(2),
            Effect::Terminate(3),
            Effect::ServingChanged,
            failed(None, After::Restored(a)),
            Effect::KeepSpares
        ]
    );
    assert_eq!(roles.serving(), Some(1));
    assert!(!roles.loading());
    // The cancelled workers are gone: what they still say is ignored.
    assert_eq!(
        roles.heard(2, Heard::Loaded(summary("b.ndjson", 9, false))),
        []
    );
    assert_eq!(roles.serving(), Some(1));
}

#[test]
fn cancel_before_the_preview_is_shown_keeps_the_log_on_screen() {
    let (mut roles, _) = serving_a();
    let _ = roles.start(Load {
        preview: Some(3),
        ..load(2)
    });
    assert_eq!(
        roles.cancel(),
        [
            Effect::Terminate(2),
            Effect::Terminate(3),
            failed(None, After::Kept),
            Effect::KeepSpares
        ]
    );
    assert_eq!(roles.serving(), Some(1));
}

#[test]
fn cancel_of_a_first_load_leaves_no_log() {
    let mut roles = Roles::default();
    let _ = roles.start(load(1));
    assert_eq!(
        roles.cancel(),
        [
            Effect::Terminate(1),
            failed(None, After::Gone),
            Effect::KeepSpares
        ]
    );
    assert_eq!(roles.serving(), None);
}

#[test]
fn a_new_load_while_a_start_is_shown_brings_back_the_log_before_first() {
    let (mut roles, a) = serving_a();
    let _ = roles.start(Load {
        preview: Some(3),
        ..load(2)
    });
    let _ = roles.heard(3, Heard::Loaded(summary("b.ndjson", 17_000, true)));
    assert_eq!(
        roles.start(load(4)),
        [
            Effect::Terminate(2),
            Effect::Terminate(3),
            Effect::ServingChanged,
            failed(None, After::Restored(a)),
            Effect::KeepSpares
        ]
    );
    assert_eq!(roles.serving(), Some(1));
    assert!(roles.loading());
}

#[test]
fn a_failed_load_keeps_the_log_on_screen() {
    let (mut roles, _) = serving_a();
    let _ = roles.start(load(2));
    assert_eq!(
        roles.heard(2, Heard::Failed("Could not open b.ndjson: no".into())),
        [
            Effect::Terminate(2),
            failed(Some("Could not open b.ndjson: no"), After::Kept),
            Effect::KeepSpares
        ]
    );
    assert_eq!(roles.serving(), Some(1));
}

#[test]
fn a_failed_load_whose_start_was_shown_restores_the_log_before() {
    let (mut roles, a) = serving_a();
    let _ = roles.start(Load {
        preview: Some(3),
        ..load(2)
    });
    let _ = roles.heard(3, Heard::Loaded(summary("b.ndjson", 17_000, true)));
    let effects = roles.heard(2, Heard::Failed("out of memory".into()));
    assert_eq!(
        effects,
        [
            Effect::Terminate(2),
            Effect::Terminate(3),
            Effect::ServingChanged,
            failed(Some("out of memory"), After::Restored(a)),
            Effect::KeepSpares
        ]
    );
    assert_eq!(roles.serving(), Some(1));
}

#[test]
fn a_failed_first_load_leaves_no_log() {
    let mut roles = Roles::default();
    let _ = roles.start(load(1));
    assert_eq!(
        roles.heard(1, Heard::Failed("not an event log".into())),
        [
            Effect::Terminate(1),
            failed(Some("not an event log"), After::Gone),
            Effect::KeepSpares
        ]
    );
}

#[test]
fn the_serving_worker_stopping_leaves_no_log() {
    let (mut roles, _) = serving_a();
    assert_eq!(
        roles.heard(1, Heard::Failed("stopped".into())),
        [
            Effect::Terminate(1),
            Effect::ServingChanged,
            failed(Some("stopped"), After::Gone),
            Effect::KeepSpares
        ]
    );
    assert_eq!(roles.serving(), None);
}

#[test]
fn the_preview_stopping_while_it_serves_brings_back_the_log_before() {
    let (mut roles, a) = serving_a();
    let _ = roles.start(Load {
        preview: Some(3),
        ..load(2)
    });
    let _ = roles.heard(3, Heard::Loaded(summary("b.ndjson", 17_000, true)));
    assert_eq!(
        roles.heard(3, Heard::Failed("stopped".into())),
        [
            Effect::Terminate(2),
            Effect::Terminate(3),
            Effect::ServingChanged,
            failed(Some("stopped"), After::Restored(a)),
            Effect::KeepSpares
        ]
    );
    assert_eq!(roles.serving(), Some(1));
}

#[test]
fn no_preview_or_a_failed_preview_only_ends_the_preview() {
    for heard in [Heard::NoPreview, Heard::Failed("stopped".into())] {
        let (mut roles, _) = serving_a();
        let _ = roles.start(Load {
            preview: Some(3),
            ..load(2)
        });
        assert_eq!(roles.heard(3, heard), [Effect::Terminate(3)]);
        assert_eq!(roles.serving(), Some(1));
        assert!(roles.loading(), "the whole log still loads");
    }
}

#[test]
fn the_helpers_tail_index_goes_to_the_loading_worker() {
    let mut roles = Roles::default();
    let _ = roles.start(Load {
        helper: Some(Helper {
            id: 4,
            tail_from: 480,
        }),
        ..load(2)
    });
    assert_eq!(
        roles.heard(4, Heard::TailIndex),
        [Effect::Terminate(4), Effect::PassTail(2)]
    );
    assert_eq!(roles.heard(4, Heard::TailIndex), [], "once");
}

#[test]
fn a_helpers_failure_falls_back_to_the_loading_worker_reading_the_tail() {
    let mut roles = Roles::default();
    let _ = roles.start(Load {
        helper: Some(Helper {
            id: 4,
            tail_from: 480,
        }),
        ..load(2)
    });
    assert_eq!(
        roles.heard(4, Heard::Failed("out of memory".into())),
        [Effect::Terminate(4), Effect::NoTail(2)]
    );
    assert!(roles.loading(), "the load goes on");
    let whole = summary("big.ndjson", 1000, false);
    assert!(roles
        .heard(2, Heard::Loaded(whole.clone()))
        .contains(&Effect::Tell(Note::Loaded(whole))));
}

#[test]
fn a_shared_load_reports_both_workers_progress_as_one() {
    let mut roles = Roles::default();
    let _ = roles.start(Load {
        helper: Some(Helper {
            id: 4,
            tail_from: 480,
        }),
        ..load(2)
    });
    let streaming = |bytes_read, file_bytes, events_read| Progress::Streaming {
        bytes_read,
        file_bytes,
        events_read,
    };
    assert_eq!(
        roles.heard(4, Heard::Progress(streaming(100, 520, 10))),
        [],
        "nothing to say before the loading worker's first step"
    );
    assert_eq!(
        roles.heard(2, Heard::Progress(streaming(300, 1000, 30))),
        [Effect::Tell(Note::Progress(streaming(400, 1000, 40)))]
    );
    // The loading worker also copies the helper's share: only its own part counts.
    assert_eq!(
        roles.heard(2, Heard::Progress(streaming(900, 1000, 50))),
        [Effect::Tell(Note::Progress(streaming(580, 1000, 60)))]
    );
}

#[test]
fn a_load_alone_reports_its_own_progress() {
    let mut roles = Roles::default();
    let _ = roles.start(load(1));
    let reading = Progress::Reading {
        bytes_read: 5,
        file_bytes: 10,
    };
    assert_eq!(
        roles.heard(1, Heard::Progress(reading)),
        [Effect::Tell(Note::Progress(reading))]
    );
    assert_eq!(roles.heard(7, Heard::Progress(reading)), [], "no role");
}

//! The reducer, driven by the actions the page and its workers send, natively.

use super::*;

fn summary(name: &str, events: usize, partial: bool) -> Rc<Summary> {
    Rc::new(Summary {
        name: name.into(),
        events,
        partial,
        ..Summary::default()
    })
}

/// `state` after each of `actions`.
fn after(state: Rc<AppState>, actions: impl IntoIterator<Item = Action>) -> Rc<AppState> {
    actions.into_iter().fold(state, AppState::reduce)
}

fn loading(name: &str) -> Action {
    Action::Loading {
        name: name.into(),
        again: false,
    }
}

fn go_to(position: isize) -> Action {
    Action::Time(TimeCommand::SetPosition(position))
}

fn position(state: &AppState) -> Option<isize> {
    state.time.map(|t| t.position())
}

/// The page with `a.ndjson` (10 events) open at its event 6.
fn a_open() -> Rc<AppState> {
    after(
        Rc::default(),
        [
            loading("a.ndjson"),
            Action::Loaded(summary("a.ndjson", 10, false)),
            go_to(5),
        ],
    )
}

#[test]
fn ancestors_of_a_pointer_include_the_root() {
    assert_eq!(
        ancestors("/order-17/lines/SKU-1"),
        ["", "/order-17", "/order-17/lines"]
    );
    assert_eq!(ancestors("/a"), [""]);
}

#[test]
fn a_log_opens_at_its_first_event_with_the_root_expanded() {
    let state = after(
        Rc::default(),
        [
            loading("a.ndjson"),
            Action::Loaded(summary("a.ndjson", 10, false)),
        ],
    );
    assert_eq!(position(&state), Some(0));
    assert!(state.loading.is_none());
    assert!(state.expanded.contains(""));
}

#[test]
fn progress_is_kept_while_loading() {
    let progress = Progress::Streaming {
        bytes_read: 10,
        file_bytes: 100,
        events_read: 3,
    };
    let state = after(
        Rc::default(),
        [loading("big.ndjson"), Action::Progress(progress)],
    );
    assert_eq!(
        state.loading.as_ref().and_then(|l| l.progress),
        Some(progress)
    );
}

#[test]
fn the_whole_log_after_its_start_keeps_the_place() {
    let state = after(
        a_open(),
        [
            loading("big.ndjson"),
            Action::Loaded(summary("big.ndjson", 17_000, true)),
        ],
    );
    assert_eq!(position(&state), Some(0), "another log starts afresh");
    assert!(state.loading.is_some(), "the rest still loads");
    let state = after(
        state,
        [
            go_to(12_000),
            Action::Loaded(summary("big.ndjson", 500_000, false)),
        ],
    );
    assert_eq!(position(&state), Some(12_000));
    assert_eq!(state.time.map(|t| t.len()), Some(500_000));
    assert!(state.loading.is_none());
}

#[test]
fn the_same_log_read_again_with_other_fields_keeps_the_place_and_drops_the_filter() {
    let state = after(
        a_open(),
        [
            Action::EditFilter(Rc::new(|f: &mut EventFilter| f.text = "paid".into())),
            Action::Compare(Some(2)),
            Action::Loading {
                name: "a.ndjson".into(),
                again: true,
            },
            Action::Loaded(summary("a.ndjson", 10, false)),
        ],
    );
    assert_eq!(position(&state), Some(5));
    assert_eq!(state.filter, EventFilter::default());
    assert_eq!(state.compare_from, None);
}

#[test]
fn a_failed_load_keeps_the_log_on_screen_and_says_why() {
    let state = after(
        a_open(),
        [
            loading("notes.txt"),
            Action::Failed {
                message: Some("Could not open notes.txt".into()),
                after: After::Kept,
            },
        ],
    );
    assert_eq!(state.error.as_deref(), Some("Could not open notes.txt"));
    assert!(state.loading.is_none());
    assert_eq!(
        state.log.as_ref().map(|l| l.name.as_str()),
        Some("a.ndjson")
    );
    assert_eq!(position(&state), Some(5));
}

#[test]
fn a_cancelled_load_whose_start_was_shown_restores_the_log_before() {
    let a = summary("a.ndjson", 10, false);
    let state = after(
        a_open(),
        [
            loading("big.ndjson"),
            Action::Loaded(summary("big.ndjson", 17_000, true)),
            Action::Failed {
                message: None,
                after: After::Restored(a.clone()),
            },
        ],
    );
    assert_eq!(state.error, None, "cancelling is not an error");
    assert!(state.loading.is_none());
    assert_eq!(state.log, Some(a));
    assert_eq!(position(&state), Some(0));
}

#[test]
fn a_failure_leaving_no_log_shows_the_welcome_again() {
    let state = after(
        a_open(),
        [
            Action::Frame(Rc::new(Frame::default())),
            Action::Failed {
                message: Some("the worker stopped".into()),
                after: After::Gone,
            },
        ],
    );
    assert!(state.log.is_none());
    assert!(state.time.is_none());
    assert!(state.frame.is_none());
    assert_eq!(state.error.as_deref(), Some("the worker stopped"));
    assert_eq!(state.view(), None, "nothing to ask the worker for");
}

#[test]
fn playing_to_the_end_stops_and_playing_again_starts_over() {
    let state = after(
        Rc::default(),
        [
            loading("a.ndjson"),
            Action::Loaded(summary("a.ndjson", 3, false)),
            Action::TogglePlay,
            Action::Tick,
            Action::Tick,
        ],
    );
    assert_eq!(position(&state), Some(2));
    assert!(state.playing, "the last event is shown, still playing");
    let state = after(state, [Action::Tick]);
    assert!(!state.playing, "stopped at the end");
    assert_eq!(position(&state), Some(2));
    let state = after(state, [Action::TogglePlay]);
    assert!(state.playing);
    assert_eq!(position(&state), Some(-1), "from the beginning");
}

#[test]
fn a_tick_when_not_playing_changes_nothing() {
    let state = a_open();
    let next = AppState::reduce(state.clone(), Action::Tick);
    assert!(Rc::ptr_eq(&state, &next));
}

#[test]
fn a_url_fragment_waits_for_the_log_and_applies_when_it_opens() {
    let fragment = Fragment::parse("#e=5&p=/order-17/total");
    let state = after(
        Rc::default(),
        [Action::Fragment(fragment.clone()), loading("big.ndjson")],
    );
    assert_eq!(state.pending, Some(fragment.clone()));
    let state = after(state, [Action::Loaded(summary("big.ndjson", 17_000, true))]);
    assert_eq!(position(&state), Some(4));
    assert_eq!(state.selected.as_deref(), Some("/order-17/total"));
    assert!(state.expanded.contains("/order-17"));
    assert!(state.pending.is_some(), "kept for the whole log");
    let state = after(
        state,
        [Action::Loaded(summary("big.ndjson", 500_000, false))],
    );
    assert_eq!(position(&state), Some(4));
    assert_eq!(state.pending, None);
}

#[test]
fn the_view_asked_for_follows_the_position_and_the_rows_in_view() {
    let state = after(
        a_open(),
        [Action::ListWindow {
            first: 3,
            count: 20,
        }],
    );
    let view = state.view().expect("a log is open");
    assert_eq!(view.position, 5);
    assert_eq!((view.list_start, view.list_len), (3, 20));
    let same = AppState::reduce(
        state.clone(),
        Action::ListWindow {
            first: 3,
            count: 20,
        },
    );
    assert!(Rc::ptr_eq(&state, &same), "the same rows change nothing");
}

fn models(action: ModelAction) -> Action {
    Action::Models(action)
}

fn problem(line: usize) -> rewind_session::ModelProblem {
    rewind_session::ModelProblem {
        line: Some(line),
        column: Some(3),
        message: "unexpected end".into(),
    }
}

/// `a.ndjson` open with the editor open and a model applied from it.
fn one_model_applying() -> Rc<AppState> {
    after(
        a_open(),
        [
            models(ModelAction::OpenEditor {
                source: String::new(),
                replacing: None,
            }),
            models(ModelAction::Apply("{\"name\": \"m\"}".into())),
        ],
    )
}

#[test]
fn a_model_applied_closes_the_editor_and_is_asked_for_at_the_position() {
    let state = one_model_applying();
    let wanted = state.models.wanted();
    assert_eq!(wanted.len(), 1);
    let id = wanted[0].0;
    assert_eq!(
        state.models.editor.as_ref().and_then(|e| e.pending),
        Some(id)
    );
    let state = after(
        state,
        [models(ModelAction::Applied {
            id,
            name: "m".into(),
        })],
    );
    assert!(state.models.editor.is_none());
    assert_eq!(state.models.list[0].name(), "m");
    let view = state.models_view().expect("a view");
    assert_eq!(view.position, 5);
    assert_eq!(view.models[0].id, id);
    assert_eq!(view.models[0].expanded, [String::new()]);
    assert_eq!(state.models.sources(), ["{\"name\": \"m\"}"]);
}

#[test]
fn a_model_that_cannot_be_used_stays_in_the_editor_with_its_problem() {
    let state = one_model_applying();
    let id = state.models.wanted()[0].0;
    let state = after(
        state,
        [models(ModelAction::Invalid {
            id,
            problem: problem(4),
        })],
    );
    let editor = state.models.editor.as_ref().expect("still open");
    assert_eq!(editor.problem, Some(problem(4)));
    assert_eq!(editor.pending, None);
    assert!(state.models.list.is_empty());
    assert!(state.models_view().is_none());
    // Cancel closes it.
    let state = after(state, [models(ModelAction::CloseEditor)]);
    assert!(state.models.editor.is_none());
}

#[test]
fn a_stopped_model_says_why_and_is_no_longer_folded() {
    let state = one_model_applying();
    let id = state.models.wanted()[0].0;
    let state = after(
        state,
        [
            models(ModelAction::Applied {
                id,
                name: "slow".into(),
            }),
            models(ModelAction::Stopped { id, near: Some(41) }),
        ],
    );
    match &state.models.list[0].status {
        ModelStatus::Stopped(message) => assert_eq!(
            message,
            "Stopped: a handler of slow ran longer than 5 s near event 42; the page is fine — fix the handler and apply again."
        ),
        other => panic!("not stopped: {other:?}"),
    }
    assert!(state.models.wanted().is_empty());
    let state = after(state, [models(ModelAction::Remove(id))]);
    assert!(state.models.list.is_empty());
}

#[test]
fn panels_keep_history_and_failures_until_new_ones_come() {
    use rewind_session::{History, ModelPanel, ModelsFrame};
    let state = one_model_applying();
    let id = state.models.wanted()[0].0;
    let panel = |history: Option<History>, failures: Option<Vec<u32>>| ModelPanel {
        id,
        name: "m".into(),
        folded: 4,
        total: 10,
        position: 3,
        history,
        failures,
        ..ModelPanel::default()
    };
    let history = History {
        pointer: "/a".into(),
        total: 0,
        rows: Vec::new(),
    };
    let state = after(
        state,
        [
            models(ModelAction::Select(id, "/a".into())),
            models(ModelAction::Frame(Rc::new(ModelsFrame {
                position: 5,
                models: vec![panel(Some(history.clone()), Some(vec![0, 2]))],
            }))),
            models(ModelAction::Frame(Rc::new(ModelsFrame {
                position: 6,
                models: vec![panel(None, None)],
            }))),
        ],
    );
    let m = &state.models.list[0];
    assert_eq!(m.history.as_deref(), Some(&history));
    assert_eq!(*m.failures, [0, 2]);
    assert_eq!(m.progress.map(|p| (p.folded, p.total)), Some((4, 10)));
    assert_eq!(m.selected.as_deref(), Some("/a"));
    // Another log: the panels go, the model is read again.
    let state = after(
        state,
        [
            loading("b.ndjson"),
            Action::Loaded(summary("b.ndjson", 3, false)),
        ],
    );
    assert!(state.models.list[0].panel.is_none());
    assert_eq!(state.models.wanted().len(), 1);
}

#[test]
fn models_are_restored_from_a_link_and_revealed_fields_expand() {
    let fragment = Fragment::parse(&format!(
        "#e=2&m={}",
        crate::url::encode_models(&["{\"name\":\"x\"}".into(), "{\"name\":\"y\"}".into()])
    ));
    let state = after(Rc::default(), [Action::Fragment(fragment)]);
    assert_eq!(state.models.sources().len(), 2);
    let id = state.models.list[1].id;
    let state = after(
        state,
        [models(ModelAction::Reveal(id, "/count/placed".into()))],
    );
    let m = &state.models.list[1];
    assert!(m.expanded.contains("/count"));
    assert_eq!(m.selected.as_deref(), Some("/count/placed"));
    // The same models again change nothing.
    let same = state.models.sources();
    let again = after(state.clone(), [models(ModelAction::Restore(same))]);
    assert!(Rc::ptr_eq(&again, &state));
}

#[test]
fn a_file_that_cannot_be_read_again_is_said_once_and_stays_dismissed() {
    let frame = |why: Option<&str>| {
        Action::Frame(Rc::new(Frame {
            file_error: why.map(Into::into),
            ..Frame::default()
        }))
    };
    let s = after(a_open(), [frame(None)]);
    assert_eq!(s.error, None);
    let s = after(s, [frame(Some("gone"))]);
    assert_eq!(s.error.as_deref(), Some("gone"));
    let s = after(s, [Action::Dismiss, frame(Some("gone"))]);
    assert_eq!(s.error, None, "dismissed, it stays so");
    // A log opened again is watched afresh.
    let s = after(
        s,
        [
            loading("a.ndjson"),
            Action::Loaded(summary("a.ndjson", 10, false)),
            frame(Some("gone")),
        ],
    );
    assert_eq!(s.error.as_deref(), Some("gone"));
}

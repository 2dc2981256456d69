//! The reading of one event's id, correlation and causation, through a parsed body and
//! through a skim of its text (which must agree), and the conventions' spellings.

use super::keys::{convention, trace_id, Convention, Found, Rules};
use super::skim::skim;
use super::FlowKeys;
use crate::fields::FieldKeys;
use crate::value::Value;

/// What `text` says of itself, read both ways; they must agree.
fn read(text: &str, keys: &FlowKeys) -> (Option<String>, Option<String>, Option<String>) {
    let rules = Rules::new(&FieldKeys::default(), keys);
    let own = |f: Found<'_>| {
        (
            f.id.map(|t| t.into_owned()),
            f.correlation.map(|t| t.into_owned()),
            f.causation.map(|t| t.into_owned()),
        )
    };
    let parsed = crate::value::parse(text.as_bytes()).expect("test event parses");
    let Value::Object(obj) = parsed else {
        panic!("test event is an object")
    };
    let whole = own(rules.read(&obj));
    if let Some(kept) = skim(text.as_bytes(), &rules) {
        assert_eq!(
            own(rules.read(&kept)),
            whole,
            "skim and parse differ on {text}"
        );
    }
    whole
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn every_spelling_of_the_conventions_normalises_to_one_name() {
    for k in [
        "$correlationId",
        "correlation_id",
        "CorrelationId",
        "correlation-id",
        "correlationid",
        "CORRELATION.ID",
    ] {
        assert_eq!(convention(k), Some(Convention::Correlation(0)), "{k}");
    }
    for k in ["$causationId", "causation_id", "CausationId", "causationid"] {
        assert_eq!(convention(k), Some(Convention::Causation(0)), "{k}");
    }
    assert_eq!(
        convention("NServiceBus.ConversationId"),
        Some(Convention::Correlation(1))
    );
    assert_eq!(
        convention("NServiceBus.RelatedTo"),
        Some(Convention::Causation(1))
    );
    assert_eq!(convention("traceparent"), Some(Convention::Traceparent));
    for k in [
        "correlation",
        "id",
        "causation",
        "a-very-long-key-that-is-not-a-convention-at-all",
    ] {
        assert_eq!(convention(k), None, "{k}");
    }
}

#[test]
fn a_traceparent_gives_its_trace_id_only_when_well_formed() {
    let t = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01";
    assert_eq!(
        trace_id(t).as_deref(),
        Some("4bf92f3577b34da6a3ce929d0e0e4736")
    );
    for bad in [
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "not a traceparent",
    ] {
        assert_eq!(trace_id(bad), None, "{bad}");
    }
    assert!(trace_id("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra").is_some());
}

#[test]
fn metadata_comes_before_the_top_level_and_earlier_conventions_before_later() {
    let keys = FlowKeys::default();
    let e = r#"{"id":"e1","correlationId":"top","metadata":{"$correlationId":"meta","NServiceBus.RelatedTo":"r","$causationId":"c"}}"#;
    assert_eq!(read(e, &keys), (some("e1"), some("meta"), some("c")));
    let e = r#"{"eventId":7,"correlation_id":"top","meta":{"$correlationId":""}}"#;
    assert_eq!(read(e, &keys), (some("7"), some("top"), None));
    let e = r#"{"id":"x","headers":{"NServiceBus.ConversationId":"conv","NServiceBus.RelatedTo":"m-1"}}"#;
    assert_eq!(read(e, &keys), (some("x"), some("conv"), some("m-1")));
}

#[test]
fn traceparent_counts_only_without_a_correlation_key() {
    let keys = FlowKeys::default();
    let tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let e = format!(r#"{{"id":"a","traceparent":"{tp}"}}"#);
    assert_eq!(read(&e, &keys).1, some("4bf92f3577b34da6a3ce929d0e0e4736"));
    let e = format!(r#"{{"id":"a","traceparent":"{tp}","correlationid":"c"}}"#);
    assert_eq!(read(&e, &keys).1, some("c"));
}

#[test]
fn overrides_replace_the_conventions_and_may_be_dotted_paths() {
    let keys = FlowKeys {
        correlation: some("conversation"),
        causation: some("context.Reply.To"),
    };
    let e = r#"{"id":"a","correlationId":"ignored","Conversation":"conv-1","metadata":{"context":{"reply":{"to":"b"}}}}"#;
    assert_eq!(read(e, &keys), (some("a"), some("conv-1"), some("b")));
    let e = r#"{"id":"a","context.reply.to":"c","meta":{"conversation":"m"}}"#;
    assert_eq!(read(e, &keys), (some("a"), some("m"), some("c")));
}

/// Numbers read as the log reads an event's id ([`crate::Event::id`]): integers of any
/// size keep every digit, a decimal an `f64` holds is printed as one.
#[test]
fn numbers_keep_their_text_and_repeated_keys_their_last_value() {
    let keys = FlowKeys::default();
    let e = r#"{"id":12345678901234567890123,"metadata":{"$causationId":1.50,"$correlationId":"x","$correlationId":"y"}}"#;
    assert_eq!(
        read(e, &keys),
        (some("12345678901234567890123"), some("y"), some("1.5"))
    );
    let e = r#"{"id":-3,"metadata":{"$causationId":true,"$correlationId":{"not":"text"}}}"#;
    assert_eq!(read(e, &keys), (some("-3"), None, None));
}

#[test]
fn flow_keys_describe_what_is_looked_for() {
    let d = FlowKeys::default().describe();
    assert!(
        d.contains("$correlationId")
            && d.contains("NServiceBus.RelatedTo")
            && d.contains("traceparent"),
        "{d}"
    );
    let d = FlowKeys {
        correlation: some("conv"),
        causation: None,
    }
    .describe();
    assert!(d.starts_with("conv for the correlation"), "{d}");
}

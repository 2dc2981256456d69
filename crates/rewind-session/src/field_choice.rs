//! What a person needs to choose by hand which keys of a log's events hold the type,
//! stream, time and data: the keys the events have (top-level keys, and one level down as
//! dotted paths such as `detail.orderId`), the key each field is read from now, and the
//! key automatic detection would pick. Gathered from a sample spread over the log.

use serde::{Deserialize, Serialize};

use rewind_core::fields::{first, FieldKeys, FieldOverrides};
use rewind_core::log::{Format, Log};
use rewind_core::Value;

/// Events read to gather the keys, spread over the whole log.
pub const SAMPLE_EVENTS: usize = 200;
/// Keys offered at most (a log of very varied events still gives a list one can read).
pub const MAX_KEYS: usize = 300;
/// Keys listed at most under one top-level key.
const MAX_INNER_KEYS: usize = 40;

/// One key per field a person can choose; `None` is "none" (or, as a choice, "automatic").
/// A key may be a dotted path reaching one level down (`repo.name`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldNames {
    /// Key of the event type.
    pub kind: Option<String>,
    /// Key of the stream.
    pub stream: Option<String>,
    /// Key of the time.
    pub time: Option<String>,
    /// Key of the data (the payload folded into state).
    pub data: Option<String>,
}

impl FieldNames {
    /// True when no field is named (every field detected automatically).
    pub fn is_empty(&self) -> bool {
        self == &FieldNames::default()
    }

    /// These names as overrides of field detection (blank names are not overrides).
    pub fn overrides(&self) -> FieldOverrides {
        fn named(k: &Option<String>) -> Option<String> {
            k.as_deref()
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(String::from)
        }
        FieldOverrides {
            kind: named(&self.kind),
            stream: named(&self.stream),
            time: named(&self.time),
            data: named(&self.data),
        }
    }
}

/// What the page offers when the person chooses the fields of a loaded log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChoices {
    /// Keys present in the sampled events: the top-level keys in alphabetical order, each
    /// followed by its dotted inner keys.
    pub keys: Vec<String>,
    /// The key each field is read from now, in most of the sampled events that have one.
    pub in_use: FieldNames,
    /// The key automatic detection picks for each field (what "automatic" means).
    pub detected: FieldNames,
    /// The keys the log was loaded with instead of detection, as the person chose them
    /// (set by whoever loaded the log: the core does not know what was a choice); empty
    /// when every field is detected.
    pub chosen: FieldNames,
    /// Why the fields cannot be chosen for this log, when they cannot: a Redux DevTools
    /// export names its actions' fields itself.
    pub fixed: Option<String>,
}

impl FieldChoices {
    /// True when the events have neither a type nor data under the keys tried: the log is
    /// read as untyped events that change nothing, and the person should choose its fields.
    pub fn needs_choice(&self) -> bool {
        !self.keys.is_empty() && self.in_use.kind.is_none() && self.in_use.data.is_none()
    }
}

/// Up to `n` positions spread evenly over `0..len`, the first and last included.
pub fn sample_positions(len: usize, n: usize) -> Vec<usize> {
    if len <= n {
        return (0..len).collect();
    }
    let n = n.max(2);
    let mut out: Vec<usize> = (0..n).map(|i| i * (len - 1) / (n - 1)).collect();
    out.dedup();
    out
}

/// The keys of the objects among `events`: every top-level key and, where its value is an
/// object, its keys as `outer.inner`; top-level keys in alphabetical order, each followed
/// by its inner keys (at most [`MAX_KEYS`] in all, the first seen kept).
pub fn keys_present<'a>(events: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    // Top-level keys in order, each with its inner keys in order.
    let mut tops: Vec<(String, Vec<String>)> = Vec::new();
    let mut count = 0;
    for event in events {
        let Some(obj) = event.as_object() else {
            continue;
        };
        for (k, v) in obj.iter() {
            let k: &str = k;
            let i = match tops.iter().position(|(t, _)| t == k) {
                Some(i) => i,
                None if count < MAX_KEYS => {
                    tops.push((k.to_string(), Vec::new()));
                    count += 1;
                    tops.len() - 1
                }
                None => continue,
            };
            if let Some(inner) = v.as_object() {
                for (ik, _) in inner.iter() {
                    let ik: &str = ik;
                    let list = &mut tops[i].1;
                    if count < MAX_KEYS
                        && list.len() < MAX_INNER_KEYS
                        && !list.iter().any(|x| x == ik)
                    {
                        list.push(ik.to_string());
                        count += 1;
                    }
                }
            }
        }
    }
    tops.sort_by(|a, b| a.0.cmp(&b.0));
    tops.into_iter()
        .flat_map(|(k, inner)| {
            let dotted: Vec<String> = inner.iter().map(|i| format!("{k}.{i}")).collect();
            std::iter::once(k).chain(dotted)
        })
        .collect()
}

/// For each field, the key of `keys` it is read from in most of `events` (`None` when no
/// event has any); ties go to the key seen first.
pub fn keys_used(events: &[&Value], keys: &FieldKeys) -> FieldNames {
    let most = |candidates: &[String]| -> Option<String> {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for obj in events.iter().filter_map(|e| e.as_object()) {
            if let Some((k, _)) = first(obj, candidates) {
                match counts.iter_mut().find(|(c, _)| *c == k) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((k, 1)),
                }
            }
        }
        let best = counts.iter().map(|&(_, n)| n).max()?;
        counts
            .into_iter()
            .find(|&(_, n)| n == best)
            .map(|(k, _)| k.to_string())
    };
    FieldNames {
        kind: most(&keys.kind),
        stream: most(&keys.stream),
        time: most(&keys.time),
        data: most(&keys.data),
    }
}

/// The keys of `log`'s events, the key each field is read from, and the key detection
/// would pick (the keys of the producer recognised, if any), from [`SAMPLE_EVENTS`] events
/// spread over the log.
pub fn choices(log: &Log) -> FieldChoices {
    let bodies: Vec<Value> = sample_positions(log.len(), SAMPLE_EVENTS)
        .into_iter()
        .filter_map(|p| log.body(p))
        .collect();
    let sample: Vec<&Value> = bodies.iter().collect();
    let fixed = matches!(log.format, Format::ReduxActions | Format::ReduxLifted).then(|| {
        "A Redux DevTools export names its fields itself: each action's type, and the rest as its data".to_string()
    });
    FieldChoices {
        fixed,
        keys: keys_present(sample.iter().copied()),
        in_use: keys_used(&sample, log.keys()),
        detected: keys_used(
            &sample,
            &log.producer.map_or_else(FieldKeys::default, |p| p.keys()),
        ),
        chosen: FieldNames::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rewind_core::fields::FieldOverrides;
    use rewind_core::{open, LoadOptions};
    use serde_json::json;

    const ODD: &str = concat!(
        r#"{"kind_of_thing":"Opened","entity":"x-1","at":"2016-05-04T10:00:00Z","body2":{"n":1,"who":{"id":7}}}"#,
        "\n",
        r#"{"kind_of_thing":"Closed","entity":"x-2","at":"2016-05-04T10:01:00Z","body2":{"n":2,"extra":true}}"#,
        "\n",
    );

    #[test]
    fn a_redux_export_says_why_its_fields_are_not_chosen_and_other_logs_do_not() {
        let redux = r#"{"payload": "[{\"type\":\"ADD\",\"n\":1}]"}"#;
        let replay = open(redux.as_bytes(), &LoadOptions::default()).expect("loads");
        assert!(choices(&replay.log)
            .fixed
            .is_some_and(|why| why.contains("Redux")));
        let replay = open(ODD.as_bytes(), &LoadOptions::default()).expect("loads");
        assert_eq!(choices(&replay.log).fixed, None);
    }

    #[test]
    fn keys_are_listed_top_level_then_one_level_down() {
        let replay = open(ODD.as_bytes(), &LoadOptions::default()).expect("loads");
        let c = choices(&replay.log);
        assert_eq!(
            c.keys,
            [
                "at",
                "body2",
                "body2.n",
                "body2.who",
                "body2.extra",
                "entity",
                "kind_of_thing",
            ]
        );
        // `kind`-like names are not among the keys detection tries: nothing is found.
        assert_eq!(c.detected, FieldNames::default());
        assert_eq!(c.in_use, c.detected);
        assert!(c.needs_choice());
    }

    #[test]
    fn the_keys_in_use_follow_the_overrides() {
        let names = FieldNames {
            kind: Some("kind_of_thing".into()),
            stream: Some("entity".into()),
            time: Some(" ".into()),
            data: Some("body2".into()),
        };
        assert_eq!(
            names.overrides(),
            FieldOverrides {
                kind: Some("kind_of_thing".into()),
                stream: Some("entity".into()),
                time: None,
                data: Some("body2".into()),
            }
        );
        let options = LoadOptions {
            fields: names.overrides(),
            ..LoadOptions::default()
        };
        let replay = open(ODD.as_bytes(), &options).expect("loads");
        let c = choices(&replay.log);
        assert_eq!(c.in_use.kind.as_deref(), Some("kind_of_thing"));
        assert_eq!(c.in_use.stream.as_deref(), Some("entity"));
        assert_eq!(c.in_use.data.as_deref(), Some("body2"));
        assert_eq!(c.in_use.time, None);
        assert_eq!(c.detected, FieldNames::default());
        assert!(!c.needs_choice());
        assert_eq!(
            replay.state_at(1).to_json(),
            json!({"x-1": {"n": 1, "who": {"id": 7}}, "x-2": {"n": 2, "extra": true}})
        );
    }

    #[test]
    fn the_key_most_events_use_is_the_one_in_use() {
        let text = [
            r#"{"eventType":"A","name":"n","stream":"s","data":{}}"#,
            r#"{"name":"B","aggregateId":"s","data":{}}"#,
            r#"{"name":"C","aggregateId":"t","payload":{}}"#,
        ]
        .join("\n");
        let replay = open(text.as_bytes(), &LoadOptions::default()).expect("loads");
        let c = choices(&replay.log);
        assert_eq!(c.in_use.kind.as_deref(), Some("name"));
        assert_eq!(c.in_use.stream.as_deref(), Some("aggregateId"));
        assert_eq!(c.in_use.data.as_deref(), Some("data"));
        assert_eq!(c.in_use.time, None);
    }

    #[test]
    fn samples_spread_over_the_log() {
        assert_eq!(sample_positions(3, 10), [0, 1, 2]);
        let s = sample_positions(1000, 5);
        assert_eq!(s, [0, 249, 499, 749, 999]);
        assert!(sample_positions(0, 5).is_empty());
        let s = sample_positions(7, 2);
        assert_eq!(s, [0, 6]);
    }

    #[test]
    fn the_key_list_is_bounded() {
        let events: Vec<Value> = (0..50)
            .map(|i| {
                let inner: serde_json::Map<String, serde_json::Value> =
                    (0..100).map(|j| (format!("k{j}"), json!(j))).collect();
                Value::from(json!({ format!("top{i}"): inner }))
            })
            .collect();
        let keys = keys_present(&events);
        assert_eq!(keys.len(), MAX_KEYS);
        assert_eq!(keys[0], "top0");
        assert_eq!(keys[1], "top0.k0");
        assert_eq!(
            keys.iter().filter(|k| k.starts_with("top0.")).count(),
            MAX_INNER_KEYS
        );
    }
}

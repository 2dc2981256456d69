//! Filtering the event list: by type, stream, text or regular expression, with negation.

use std::collections::HashSet;

use rewind_core::log::NO_STREAM;
use rewind_core::Replay;

/// What to keep of the event list. Every condition given must hold; `negate` keeps the
/// events the text or pattern does *not* match.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EventFilter {
    /// Text to look for in the event's JSON (case-insensitive), or a regular expression.
    pub text: String,
    /// Treat `text` as a regular expression.
    pub regex: bool,
    /// Keep the events that do not match `text`.
    pub negate: bool,
    /// Keep only these event types (by name); empty keeps all.
    pub types: HashSet<String>,
    /// Keep only this stream.
    pub stream: Option<String>,
    /// Keep only the flow of the event at this position (**Show flow**): the events that
    /// share its correlation, or, without one, its causes and effects.
    pub flow: Option<u32>,
}

impl EventFilter {
    /// True when the filter keeps every event.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
            && self.types.is_empty()
            && self.stream.is_none()
            && self.flow.is_none()
    }
}

/// The positions of the flow of the event at `p`, ascending: the events sharing its
/// correlation, or, when it has none, the events of its causation tree.
pub fn flow_positions(flows: &rewind_core::FlowIndex, p: usize) -> Vec<u32> {
    let shared = flows.flow(p);
    if !shared.is_empty() {
        return shared.to_vec();
    }
    let mut tree: Vec<u32> = flows
        .tree(p, usize::MAX)
        .iter()
        .map(|r| r.position as u32)
        .collect();
    tree.push(p as u32);
    tree.sort_unstable();
    tree.dedup();
    tree
}

enum Matcher {
    All,
    Text(String),
    Regex(regex_lite::Regex),
}

impl Matcher {
    fn matches(&self, haystack: &str) -> bool {
        match self {
            Matcher::All => true,
            Matcher::Text(needle) => haystack.to_lowercase().contains(needle.as_str()),
            Matcher::Regex(re) => re.is_match(haystack),
        }
    }
}

/// Positions of the events `filter` keeps, ascending (a flow is read from `flows`; without
/// an index it keeps only the event itself). An invalid regular expression is an error in
/// words.
pub fn matching(
    replay: &Replay,
    filter: &EventFilter,
    flows: Option<&rewind_core::FlowIndex>,
) -> Result<Vec<u32>, String> {
    let log = &replay.log;
    let in_flow: Option<HashSet<u32>> = filter.flow.map(|p| match flows {
        Some(f) => flow_positions(f, p as usize).into_iter().collect(),
        None => [p].into(),
    });
    let matcher = if filter.text.is_empty() {
        Matcher::All
    } else if filter.regex {
        Matcher::Regex(
            regex_lite::Regex::new(&filter.text)
                .map_err(|e| format!("invalid regular expression: {e}"))?,
        )
    } else {
        Matcher::Text(filter.text.to_lowercase())
    };
    let type_ids: HashSet<u32> = log
        .types
        .iter()
        .enumerate()
        .filter(|(_, t)| filter.types.contains(t.as_ref()))
        .map(|(i, _)| i as u32)
        .collect();
    let stream_id = match &filter.stream {
        Some(s) => match log.streams.iter().position(|x| x.as_ref() == s.as_str()) {
            Some(i) => Some(i as u32),
            None => return Ok(Vec::new()),
        },
        None => None,
    };
    let mut out = Vec::new();
    for (p, meta) in log.events.iter().enumerate() {
        if in_flow.as_ref().is_some_and(|f| !f.contains(&(p as u32))) {
            continue;
        }
        if !filter.types.is_empty() && !type_ids.contains(&meta.kind) {
            continue;
        }
        if let Some(s) = stream_id {
            if meta.stream != s || meta.stream == NO_STREAM {
                continue;
            }
        }
        if !matches!(matcher, Matcher::All) {
            let hit = match log.raw_text(p) {
                Some(text) => matcher.matches(&text),
                None => log
                    .body(p)
                    .is_some_and(|b| matcher.matches(&b.to_compact_string())),
            };
            if hit == filter.negate {
                continue;
            }
        }
        out.push(p as u32);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rewind_core::{open, LoadOptions};

    fn sample() -> Replay {
        let log = br#"{"type":"Placed","stream":"order-1","data":{"status":"placed"}}
{"type":"Paid","stream":"order-1","data":{"status":"paid","card":"VISA"}}
{"type":"Placed","stream":"order-2","data":{"status":"placed"}}"#;
        open(&log[..], &LoadOptions::default()).expect("loads")
    }

    #[test]
    fn filters_by_type_stream_text_regex_and_negation() {
        let r = sample();
        let f = |filter: EventFilter| matching(&r, &filter, None).expect("valid filter");
        assert_eq!(f(EventFilter::default()), [0, 1, 2]);
        assert_eq!(
            f(EventFilter {
                types: ["Placed".to_string()].into(),
                ..Default::default()
            }),
            [0, 2]
        );
        assert_eq!(
            f(EventFilter {
                stream: Some("order-1".into()),
                ..Default::default()
            }),
            [0, 1]
        );
        assert_eq!(
            f(EventFilter {
                text: "visa".into(),
                ..Default::default()
            }),
            [1]
        );
        assert_eq!(
            f(EventFilter {
                text: "visa".into(),
                negate: true,
                ..Default::default()
            }),
            [0, 2]
        );
        assert_eq!(
            f(EventFilter {
                text: r#"order-\d"#.into(),
                regex: true,
                ..Default::default()
            }),
            [0, 1, 2]
        );
        assert_eq!(
            f(EventFilter {
                text: "order-2$".into(),
                regex: true,
                ..Default::default()
            }),
            Vec::<u32>::new()
        );
    }

    #[test]
    fn an_invalid_regex_is_an_error_in_words() {
        let r = sample();
        let e = matching(
            &r,
            &EventFilter {
                text: "(".into(),
                regex: true,
                ..Default::default()
            },
            None,
        )
        .expect_err("invalid");
        assert!(e.starts_with("invalid regular expression"));
    }
}

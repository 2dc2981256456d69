//! The editor's templates: the common shapes of a read model, written as readable jq the
//! person then edits, with the log's own type names and data keys where they fit.

use crate::messages::Summary;

/// Types listed in a template's `when` key at most; with more, the handler takes `$any`.
const TYPES_LISTED: usize = 8;

/// A common shape of read model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    /// How many streams are in each status now ("orders by status", SPEC §7's example).
    StreamsByStatus,
    /// Count events by a data field (`status`).
    CountBy,
    /// Sum a data field (`total`) by stream.
    SumBy,
    /// The latest event of each stream.
    LatestPerStream,
    /// The current status of each stream.
    StatusPerStream,
}

impl Template {
    /// Every template, in the order offered.
    pub const ALL: [Template; 5] = [
        Template::StreamsByStatus,
        Template::CountBy,
        Template::SumBy,
        Template::LatestPerStream,
        Template::StatusPerStream,
    ];

    /// Its name in the Template list.
    pub fn label(self) -> &'static str {
        match self {
            Template::StreamsByStatus => "Streams by their current status",
            Template::CountBy => "Count by a field",
            Template::SumBy => "Sum a field by a key",
            Template::LatestPerStream => "Latest event per stream",
            Template::StatusPerStream => "Current status per stream",
        }
    }

    /// The model's file for the log `summary` describes.
    pub fn source(self, summary: &Summary) -> String {
        let keys = data_keys(summary);
        let pick = |preferred: &[&str], fallback: &str| {
            preferred
                .iter()
                .find(|k| keys.iter().any(|d| d == *k))
                .map(|k| k.to_string())
                .unwrap_or_else(|| fallback.to_string())
        };
        let types = types_key(&summary.types);
        match self {
            Template::StreamsByStatus => {
                let field = pick(&["status", "state"], "status");
                file(
                    &format!("streams-by-{field}"),
                    &format!("{{\"{field}\": {{}}, \"count\": {{}}}}"),
                    None,
                    &types,
                    &format!(
                        "$e.data.{field} as $new | if $new == null then . else .{field}[$e.stream] as $old | .{field}[$e.stream] = $new | if $old then .count[$old] -= 1 else . end | .count[$new] += 1 end"
                    ),
                )
            }
            Template::CountBy => {
                let field = pick(&["status", "state", "kind", "category"], "status");
                file(
                    &format!("count-by-{field}"),
                    "{}",
                    None,
                    &types,
                    &format!(
                        "if $e.data.{field} != null then .[$e.data.{field} | tostring] += 1 else . end"
                    ),
                )
            }
            Template::SumBy => {
                let field = pick(&["total", "amount", "price", "value", "quantity"], "total");
                file(
                    &format!("{field}-by-stream"),
                    "{}",
                    None,
                    &types,
                    &format!(".[$e.stream] += ($e.data.{field} // 0)"),
                )
            }
            Template::LatestPerStream => file(
                "latest-per-stream",
                "null",
                Some("stream"),
                "$any",
                "{type: $e.type, at: $e.time, data: $e.data}",
            ),
            Template::StatusPerStream => {
                let field = pick(&["status", "state"], "status");
                file(
                    &format!("{field}-per-stream"),
                    "{}",
                    Some("stream"),
                    "$any",
                    &format!(".{field} = ($e.data.{field} // .{field})"),
                )
            }
        }
    }
}

/// The keys inside the events' data (`status` for `data.status`), as the Fields dialog
/// found them.
fn data_keys(summary: &Summary) -> Vec<String> {
    let data = summary.fields.in_use.data.as_deref().unwrap_or("data");
    let prefix = format!("{data}.");
    summary
        .fields
        .keys
        .iter()
        .filter_map(|k| k.strip_prefix(&prefix))
        .map(str::to_string)
        .collect()
}

/// A `when` key naming the log's types (so the person sees which to keep), or `$any`
/// when there are none or too many to read.
fn types_key(types: &[String]) -> String {
    let named: Vec<&str> = types
        .iter()
        .map(String::as_str)
        .filter(|t| !t.is_empty() && !t.contains(','))
        .collect();
    if named.is_empty() || named.len() > TYPES_LISTED {
        "$any".to_string()
    } else {
        named.join(",")
    }
}

/// `text` as a JSON string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A model's file, laid out one member per line.
fn file(name: &str, init: &str, partition: Option<&str>, key: &str, handler: &str) -> String {
    let partition = partition
        .map(|p| format!("  \"partition\": {},\n", quoted(p)))
        .unwrap_or_default();
    format!(
        "{{\n  \"name\": {},\n  \"init\": {init},\n{partition}  \"when\": {{\n    {}: {}\n  }}\n}}\n",
        quoted(name),
        quoted(key),
        quoted(handler)
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rewind_core::model::{ModelTimeline, ReadModel};
    use rewind_core::{open, LoadOptions, States};

    use super::*;
    use crate::FieldChoices;

    fn shop() -> Summary {
        Summary {
            types: vec!["OrderPlaced".into(), "OrderPaid".into()],
            fields: FieldChoices {
                keys: vec!["data".into(), "data.status".into(), "data.amount".into()],
                ..FieldChoices::default()
            },
            ..Summary::default()
        }
    }

    #[test]
    fn templates_are_json_with_the_logs_types_and_keys() {
        for t in Template::ALL {
            let text = t.source(&shop());
            let file: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            assert!(file["when"].is_object(), "{text}");
        }
        let count = Template::CountBy.source(&shop());
        assert!(count.contains("\"OrderPlaced,OrderPaid\": "), "{count}");
        assert!(count.contains("$e.data.status"), "{count}");
        let sum = Template::SumBy.source(&shop());
        assert!(sum.contains("($e.data.amount // 0)"), "{sum}");
        let latest = Template::LatestPerStream.source(&shop());
        assert!(latest.contains("\"partition\": \"stream\""), "{latest}");
        assert!(latest.contains("\"$any\": \"{type: $e.type, at: $e.time, data: $e.data}\""));
        let status = Template::StatusPerStream.source(&Summary::default());
        assert!(
            status.contains(".status = ($e.data.status // .status)"),
            "{status}"
        );
    }

    #[test]
    fn many_types_are_left_to_any() {
        let types: Vec<String> = (0..20).map(|i| format!("T{i}")).collect();
        assert_eq!(types_key(&types), "$any");
        assert_eq!(types_key(&[]), "$any");
        assert_eq!(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }

    use crate::Session;

    const SHOP: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../rewind-core/tests/fixtures/models/shop.ndjson"
    );

    #[test]
    fn every_template_compiles_for_a_real_log_and_counts_streams_by_status() {
        let replay = open(
            std::fs::read(SHOP).expect("fixture"),
            &LoadOptions::default(),
        )
        .expect("loads");
        let summary = Session::new(replay.clone()).summary("shop.ndjson", false);
        for t in Template::ALL {
            let source = t.source(&summary);
            let model = ReadModel::parse(&source)
                .unwrap_or_else(|e| panic!("{}: {e}\n{source}", t.label()));
            let folded = ModelTimeline::fold_log(Arc::new(model), &replay.log);
            assert!(folded.failed_positions().is_empty(), "{}", t.label());
        }
        let source = Template::StreamsByStatus.source(&summary);
        let model = Arc::new(ReadModel::parse(&source).expect("compiles"));
        let folded = ModelTimeline::fold_log(model, &replay.log);
        assert_eq!(
            folded.state_at(&replay.log, 9).to_json(),
            serde_json::json!({
                "status": {"order-1": "shipped", "order-2": "paid", "order-3": "cancelled"},
                "count": {"cancelled": 1, "paid": 1, "placed": 0, "shipped": 1}
            })
        );
    }
}

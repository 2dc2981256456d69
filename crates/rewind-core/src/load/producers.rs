//! Logs written by well-known producers, recognised by the shape of their events, and the
//! fields a person of that ecosystem expects from them.
//!
//! Producers whose keys are among the defaults need no entry here: EventStoreDB / Kurrent
//! exports (`eventType`, `eventStreamId`, `data`, `metadata`), Marten `mt_events` rows
//! (`type`, `stream_id`, `timestamp`, `data`, `headers`) and message-db `messages` rows
//! (`type`, `stream_name`, `time`, `data`, `metadata`).

use serde::Serialize;

use crate::fields::{self, FieldKeys};
use crate::value::{Object, Value};

/// A producer whose events need other keys than the defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Producer {
    /// AWS EventBridge: `detail-type`, `source`, `detail`, `time`.
    EventBridge,
    /// The records of an AWS Lambda event (`{"Records": [...]}`): SQS, SNS, Kinesis, S3 and
    /// DynamoDB Streams, told apart by which of their keys are present.
    AwsRecords,
    /// GH Archive: `type`, `actor`, `repo`, `created_at`, `payload`; the stream is the
    /// repository, so that unrelated repositories never merge.
    GhArchive,
    /// A Kafka dump by `kcat -J`: `topic`, `partition`, `offset`, `key`, `payload`, `ts`.
    Kafka,
}

/// Events looked at to recognise a producer.
pub(crate) const SAMPLE: usize = 16;

impl Producer {
    /// The name shown in `stats` and on the page.
    pub fn name(self) -> &'static str {
        match self {
            Producer::EventBridge => "aws-eventbridge",
            Producer::AwsRecords => "aws-records",
            Producer::GhArchive => "gh-archive",
            Producer::Kafka => "kafka",
        }
    }

    /// The producer that wrote most of `sample`, if any is recognised.
    pub(crate) fn detect<'a>(sample: impl IntoIterator<Item = &'a Object>) -> Option<Producer> {
        let mut votes = [0usize; 4];
        let mut seen = 0;
        for o in sample.into_iter().take(SAMPLE) {
            seen += 1;
            if let Some(p) = Self::of_event(o) {
                votes[p as usize] += 1;
            }
        }
        let all = [
            Producer::EventBridge,
            Producer::AwsRecords,
            Producer::GhArchive,
            Producer::Kafka,
        ];
        let (best, count) = all
            .into_iter()
            .map(|p| (p, votes[p as usize]))
            .max_by_key(|&(_, n)| n)?;
        (count > 0 && count * 2 >= seen).then_some(best)
    }

    /// The producer one event looks written by.
    fn of_event(o: &Object) -> Option<Producer> {
        let has = |k: &str| fields::member(o, k).is_some();
        if has("detail-type") && has("detail") {
            return Some(Producer::EventBridge);
        }
        let aws_source = fields::member(o, "eventSource")
            .and_then(Value::as_str)
            .is_some_and(|s| s.starts_with("aws:"));
        if aws_source {
            return Some(Producer::AwsRecords);
        }
        let repo_named = fields::lookup(o, "repo.name").is_some();
        if has("type") && has("actor") && repo_named && has("payload") {
            return Some(Producer::GhArchive);
        }
        if has("topic") && has("partition") && has("offset") && has("payload") {
            return Some(Producer::Kafka);
        }
        None
    }

    /// The keys of this producer's fields.
    pub fn keys(self) -> FieldKeys {
        let list = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        let defaults = FieldKeys::default();
        match self {
            Producer::EventBridge => FieldKeys {
                kind: list(&["detail-type"]),
                stream: list(&["source"]),
                time: list(&["time"]),
                data: list(&["detail"]),
                ..defaults
            },
            Producer::AwsRecords => FieldKeys {
                kind: list(&["eventName", "eventSource"]),
                stream: list(&["s3.bucket.name", "Sns.TopicArn", "eventSourceARN"]),
                time: list(&[
                    "eventTime",
                    "Sns.Timestamp",
                    "attributes.SentTimestamp",
                    "kinesis.approximateArrivalTimestamp",
                    "dynamodb.ApproximateCreationDateTime",
                ]),
                data: list(&[
                    "body",
                    "Sns.Message",
                    "kinesis.data",
                    "dynamodb.NewImage",
                    "s3.object",
                ]),
                id: list(&[
                    "messageId",
                    "Sns.MessageId",
                    "eventID",
                    "kinesis.sequenceNumber",
                ]),
                text_payloads: true,
                ..defaults
            },
            Producer::GhArchive => FieldKeys {
                stream: list(&["repo.name"]),
                time: list(&["created_at"]),
                data: list(&["payload"]),
                ..defaults
            },
            Producer::Kafka => FieldKeys {
                kind: list(&["payload.type", "payload.eventType", "topic"]),
                stream: list(&["key"]),
                time: list(&["ts"]),
                data: list(&["payload"]),
                id: list(&["offset"]),
                text_payloads: true,
                ..defaults
            },
        }
    }
}

/// The producer of the events whose JSON texts are `texts` (lines that do not parse are
/// passed over).
pub(crate) fn detect_in_texts<'a>(texts: impl IntoIterator<Item = &'a [u8]>) -> Option<Producer> {
    let parsed: Vec<Value> = texts
        .into_iter()
        .take(SAMPLE)
        .filter_map(|t| serde_json::from_slice::<Value>(t).ok())
        .collect();
    Producer::detect(parsed.iter().filter_map(Value::as_object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn objects(values: &[serde_json::Value]) -> Vec<Value> {
        values.iter().map(Value::from).collect()
    }

    #[test]
    fn each_producer_is_told_by_its_keys() {
        let cases = [
            (
                json!({"detail-type": "OrderPlaced", "source": "shop", "detail": {}}),
                Some(Producer::EventBridge),
            ),
            (
                json!({"EventSource": "aws:sns", "Sns": {"Message": "{}"}}),
                Some(Producer::AwsRecords),
            ),
            (
                json!({"type": "PushEvent", "actor": {}, "repo": {"name": "a/b"}, "payload": {}}),
                Some(Producer::GhArchive),
            ),
            (
                json!({"topic": "orders", "partition": 0, "offset": 4, "payload": "{}"}),
                Some(Producer::Kafka),
            ),
            (
                json!({"type": "OrderPlaced", "stream": "order-1", "data": {}}),
                None,
            ),
        ];
        for (event, want) in cases {
            let v = Value::from(&event);
            let got = Producer::detect(v.as_object());
            assert_eq!(got, want, "{event}");
        }
    }

    #[test]
    fn a_producer_needs_half_of_the_sample() {
        let mixed = objects(&[
            json!({"type": "A", "data": {}}),
            json!({"type": "B", "data": {}}),
            json!({"type": "C", "data": {}}),
            json!({"detail-type": "D", "detail": {}}),
        ]);
        assert_eq!(
            Producer::detect(mixed.iter().filter_map(Value::as_object)),
            None
        );
    }
}

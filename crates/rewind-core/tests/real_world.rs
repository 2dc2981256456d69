//! Logs in the shapes real systems write (`tests/fixtures/real-world/`: AWS, GH Archive,
//! Kafka, event stores) and the damage real files carry: each opens with the fields a
//! person of that ecosystem expects, and nothing loads as something it is not.

use std::path::PathBuf;

use rewind_core::fields::FieldOverrides;
use rewind_core::{open, LoadError, LoadOptions, NdjsonStream, Producer, Replay};
use serde_json::json;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real-world")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load(bytes: &[u8]) -> Replay {
    open(bytes, &LoadOptions::default()).unwrap_or_else(|e| panic!("loads: {e}"))
}

fn last_state(replay: &Replay) -> serde_json::Value {
    replay.state_at(replay.len() as isize - 1).to_json()
}

fn types(replay: &Replay) -> Vec<&str> {
    (0..replay.len()).map(|p| replay.log.type_name(p)).collect()
}

/// The same bytes loaded as the browser loads them (as they arrive, in two parts: all
/// but the last line, then the rest) give the same events, bad lines and states as a
/// whole-file load.
fn assert_streams_alike(bytes: &[u8]) {
    let whole = load(bytes);
    let options = LoadOptions::default();
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let cut = body.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let mut stream = NdjsonStream::start(&bytes[..cut], bytes.len(), &options)
        .expect("the start is judged NDJSON");
    stream.push(bytes.len() - cut, |buf| buf.copy_from_slice(&bytes[cut..]));
    let streamed = stream.finish().expect("streamed load");
    assert_eq!(streamed.len(), whole.len());
    assert_eq!(streamed.log.bad_lines, whole.log.bad_lines);
    assert_eq!(types(&streamed), types(&whole));
    for p in -1..whole.len() as isize {
        assert_eq!(streamed.state_at(p), whole.state_at(p), "state at {p}");
    }
}

// --- Values that are not objects never borrow another event's identity ---

#[test]
fn ndjson_lines_that_are_not_objects_are_bad_lines_and_change_nothing() {
    let log = b"{\"type\":\"Placed\",\"stream\":\"o-1\",\"data\":{\"total\":10}}\n\
[1,2]\n42\ntrue\nnull\n\"text\"\n\
{\"type\":\"Paid\",\"stream\":\"o-1\",\"data\":{\"paid\":true}}\n";
    let replay = load(log);
    assert_eq!(types(&replay), ["Placed", "Paid"]);
    let bad: Vec<(usize, usize)> = replay
        .log
        .bad_lines
        .iter()
        .map(|b| (b.line, b.before_position))
        .collect();
    assert_eq!(bad, [(2, 1), (3, 1), (4, 1), (5, 1), (6, 1)]);
    let reasons: Vec<&str> = replay
        .log
        .bad_lines
        .iter()
        .map(|b| b.reason.as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "an array, not an event object",
            "a number, not an event object",
            "a boolean, not an event object",
            "null, not an event object",
            "a string, not an event object"
        ]
    );
    assert_eq!(
        last_state(&replay),
        json!({"o-1": {"total": 10, "paid": true}})
    );
    let stats = replay.stats();
    assert_eq!(stats.types.iter().map(|t| t.count).sum::<usize>(), 2);
}

#[test]
fn a_scalar_first_line_files_nothing_under_an_empty_stream() {
    let log = b"7\n{\"type\":\"A\",\"stream\":\"s\",\"data\":{\"x\":1}}\n{\"type\":\"B\",\"stream\":\"s\",\"data\":{\"x\":2}}\n";
    let replay = load(log);
    assert_eq!(replay.len(), 2);
    assert_eq!(replay.log.streams.len(), 1);
    assert_eq!(last_state(&replay), json!({"s": {"x": 2}}));
    assert_eq!(replay.log.bad_lines[0].line, 1);
    assert_streams_alike(log);
}

#[test]
fn array_and_wrapped_elements_that_are_not_objects_are_reported() {
    let array = br#"[{"type":"A","stream":"s","data":{"x":1}}, [9], null, {"type":"B","stream":"s","data":{"y":2}}]"#;
    let wrapped = br#"{"events": [{"type":"A","stream":"s","data":{"x":1}}, 3, {"type":"B","stream":"s","data":{"y":2}}]}"#;
    for (bytes, bad) in [(&array[..], 2), (&wrapped[..], 1)] {
        let replay = load(bytes);
        assert_eq!(types(&replay), ["A", "B"]);
        assert_eq!(replay.log.bad_lines.len(), bad);
        assert!(replay.log.bad_lines.iter().all(|b| b.before_position == 1));
        assert_eq!(last_state(&replay), json!({"s": {"x": 1, "y": 2}}));
    }
}

#[test]
fn a_log_of_values_that_are_not_objects_is_not_an_event_log() {
    for bytes in [
        &b"[1, 2, 3]"[..],
        b"1\n2\n3\n",
        b"{\"events\": [true, false]}",
    ] {
        match open(bytes, &LoadOptions::default()) {
            Err(LoadError::NotAnEventLog(why)) => {
                assert!(why.contains("not an event object"), "{why}")
            }
            Err(LoadError::Json { .. }) if bytes.starts_with(b"1\n") => {}
            other => panic!("{:?}", other.map(|r| r.len())),
        }
    }
}

// --- The format is decided by most of the file ---

fn orders(lines: usize) -> String {
    (0..lines)
        .map(|i| {
            format!(
                "{{\"type\":\"Step\",\"stream\":\"s-{}\",\"data\":{{\"n\":{i}}}}}\n",
                i % 3
            )
        })
        .collect()
}

#[test]
fn a_log_whose_first_line_was_cut_loads_all_the_other_lines() {
    let full = orders(200);
    // `tail -c`: the file starts in the middle of a line.
    let cut = &full.as_bytes()[17..];
    let replay = load(cut);
    assert_eq!(replay.len(), 199);
    assert_eq!(replay.log.bad_lines.len(), 1);
    assert_eq!(replay.log.bad_lines[0].line, 1);
    assert!(
        replay.log.bad_lines[0].reason.contains("cut short"),
        "{}",
        replay.log.bad_lines[0].reason
    );
    assert_eq!(
        last_state(&replay),
        json!({"s-0": {"n": 198}, "s-1": {"n": 199}, "s-2": {"n": 197}})
    );
    assert_streams_alike(cut);
}

#[test]
fn nul_padding_at_the_start_is_one_bad_line_as_it_is_later() {
    let good = orders(20);
    let padding = vec![0u8; 4096];
    let mut early = Vec::new();
    early.extend_from_slice(good.lines().next().unwrap_or_default().as_bytes());
    early.push(b'\n');
    early.extend_from_slice(&padding);
    early.push(b'\n');
    for line in good.lines().skip(1) {
        early.extend_from_slice(line.as_bytes());
        early.push(b'\n');
    }
    let mut late = good.clone().into_bytes();
    late.extend_from_slice(&padding);
    late.push(b'\n');
    late.extend_from_slice(orders(1).as_bytes());
    for bytes in [early, late] {
        let replay = load(&bytes);
        assert_eq!(replay.log.bad_lines.len(), 1, "{:?}", replay.log.bad_lines);
        assert!(replay.log.bad_lines[0].reason.contains("4096 NUL bytes"));
        assert!(replay.len() >= 20);
    }
}

#[test]
fn a_file_of_nul_bytes_or_compressed_bytes_is_binary() {
    let zeros = vec![0u8; 10_000];
    let e = open(&zeros[..], &LoadOptions::default()).expect_err("refused");
    assert!(matches!(e, LoadError::Binary { .. }), "{e}");
    // Bytes that look random, as compressed data does.
    let noise: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let e = open(&noise[..], &LoadOptions::default()).expect_err("refused");
    assert!(matches!(e, LoadError::Binary { .. }), "{e}");
}

#[test]
fn utf16_without_a_byte_order_mark_is_named() {
    let text = "{\"type\":\"A\"}\n{\"type\":\"B\"}\n";
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let e = open(&utf16[..], &LoadOptions::default()).expect_err("refused");
    assert!(e.to_string().contains("UTF-16"), "{e}");
}

#[test]
fn a_log_of_one_event_is_that_event_whatever_its_payload() {
    let one_line = br#"{"type":"ItemsAdded","stream":"cart-1","data":[{"sku":"A"},{"sku":"B"}]}"#;
    let replay = load(one_line);
    assert_eq!(types(&replay), ["ItemsAdded"]);
    assert_eq!(replay.log.stream_name(0), Some("cart-1"));
    let payload_text = br#"{"type":"Note","stream":"n-1","payload":"just text"}"#;
    let replay = load(payload_text);
    assert_eq!(types(&replay), ["Note"]);
    assert_eq!(last_state(&replay), json!({"n-1": "just text"}));
    // A wrapper with a type of its own is still a wrapper when its list holds objects.
    let typed_wrapper =
        br#"{"type":"export","events":[{"type":"A","data":{"x":1}},{"type":"B","data":{"y":2}}]}"#;
    let replay = load(typed_wrapper);
    assert_eq!(types(&replay), ["A", "B"]);
}

#[test]
fn an_unknown_shape_names_the_keys_it_found() {
    let e = open(
        &br#"{"what": 1, "when": "2024-01-01", "who": {"id": 3}}"#[..],
        &LoadOptions::default(),
    )
    .expect_err("refused");
    let text = e.to_string();
    for key in ["\"what\"", "\"when\"", "\"who\"", "--type-key", "Fields"] {
        assert!(text.contains(key), "{text}");
    }
}

// --- Producers ---

#[test]
fn aws_sqs_records_read_the_queue_the_body_and_the_sent_time() {
    let replay = load(&fixture("aws-sqs.json"));
    assert_eq!(replay.log.producer, Some(Producer::AwsRecords));
    assert_eq!(types(&replay), ["aws:sqs", "aws:sqs"]);
    assert_eq!(
        last_state(&replay),
        json!({"arn:aws:sqs:us-east-2:123456789012:orders": {"orderId": "o-1", "status": "paid", "total": 12}})
    );
    assert_eq!(
        replay.stats().time_range,
        Some([
            "2018-12-17T21:37:29.183Z".to_string(),
            "2018-12-17T21:37:30.636Z".to_string()
        ])
    );
}

#[test]
fn aws_sns_kinesis_s3_and_dynamodb_records_each_get_their_fields() {
    let sns = load(&fixture("aws-sns.json"));
    assert_eq!(types(&sns), ["aws:sns"]);
    assert_eq!(
        last_state(&sns),
        json!({"arn:aws:sns:us-east-1:123456789012:stock": {"sku": "SKU-1", "stock": 4}})
    );
    let kinesis = load(&fixture("aws-kinesis.json"));
    assert_eq!(types(&kinesis), ["aws:kinesis:record"]);
    assert_eq!(
        last_state(&kinesis),
        json!({"arn:aws:kinesis:us-east-2:123456789012:stream/clicks": {"count": 3}})
    );
    let s3 = load(&fixture("aws-s3.json"));
    assert_eq!(types(&s3), ["ObjectCreated:Put"]);
    assert_eq!(
        last_state(&s3)["photos"]["size"],
        json!(1305107),
        "{}",
        last_state(&s3)
    );
    let dynamo = load(&fixture("aws-dynamodb.json"));
    assert_eq!(types(&dynamo), ["INSERT", "MODIFY"]);
    let table = "arn:aws:dynamodb:us-west-2:123456789012:table/ExampleTableWithStream/stream/2015-06-27T00:48:05.899";
    assert_eq!(
        last_state(&dynamo)[table]["Message"],
        json!({"S": "This item has changed"})
    );
    assert_eq!(
        dynamo.stats().time_range,
        Some([
            "2015-04-09T00:00:00.000Z".to_string(),
            "2015-04-09T00:01:00.000Z".to_string()
        ])
    );
}

#[test]
fn eventbridge_events_alone_or_in_a_list_read_detail_type_source_and_detail() {
    let one = load(&fixture("eventbridge.json"));
    assert_eq!(one.log.producer, Some(Producer::EventBridge));
    assert_eq!(types(&one), ["OrderPlaced"]);
    assert_eq!(one.log.stream_name(0), Some("com.example.shop"));
    assert_eq!(last_state(&one)["com.example.shop"]["total"], json!(42));
    let list = load(&fixture("eventbridge-list.json"));
    assert_eq!(
        types(&list),
        ["OrderPlaced", "Scheduled Event", "OrderPaid"]
    );
    assert_eq!(
        last_state(&list)["com.example.shop"],
        json!({"orderId": "o-9", "status": "paid"})
    );
}

#[test]
fn gh_archive_keeps_each_repository_apart() {
    let bytes = fixture("gharchive.ndjson");
    let replay = load(&bytes);
    assert_eq!(replay.log.producer, Some(Producer::GhArchive));
    assert_eq!(types(&replay), ["PushEvent", "WatchEvent", "PushEvent"]);
    let state = last_state(&replay);
    assert_eq!(state["ada/engine"]["head"], json!("bbb"));
    assert_eq!(state["bob/notes"], json!({"action": "started"}));
    assert_streams_alike(&bytes);
}

#[test]
fn kafka_dumps_take_the_type_inside_the_payload_else_the_topic() {
    let bytes = fixture("kcat.ndjson");
    let replay = load(&bytes);
    assert_eq!(replay.log.producer, Some(Producer::Kafka));
    assert_eq!(
        types(&replay),
        ["OrderPlaced", "OrderPlaced", "OrderPaid", "orders"]
    );
    let state = last_state(&replay);
    assert_eq!(
        state["order-1"],
        json!({"type": "OrderPaid", "total": 10, "paid": true})
    );
    assert_eq!(state["order-3"], json!({"total": 5}));
    assert_streams_alike(&bytes);
}

#[test]
fn event_store_exports_read_as_named() {
    let esdb = load(&fixture("eventstoredb.ndjson"));
    assert_eq!(types(&esdb), ["OrderPlaced", "OrderPaid"]);
    assert_eq!(
        last_state(&esdb),
        json!({"order-17": {"total": 10, "paid": true}})
    );
    let marten = load(&fixture("marten.json"));
    assert_eq!(last_state(&marten), json!({"cart-1": {"items": 2}}));
    let message_db = load(&fixture("message-db.ndjson"));
    assert_eq!(
        last_state(&message_db),
        json!({"account-123": {"amount": 3}, "account-456": {"amount": 7}})
    );
}

#[test]
fn keys_match_whatever_their_case_and_overrides_take_dotted_paths() {
    let log = b"{\"Type\":\"A\",\"StreamId\":\"s\",\"Data\":{\"x\":1}}\n{\"TYPE\":\"B\",\"STREAMID\":\"s\",\"DATA\":{\"y\":2}}\n";
    let replay = load(log);
    assert_eq!(types(&replay), ["A", "B"]);
    assert_eq!(last_state(&replay), json!({"s": {"x": 1, "y": 2}}));

    let nested = b"{\"meta\":{\"kind\":{\"name\":\"A\"}},\"where\":{\"id\":\"w-1\"},\"body\":{\"x\":1}}\n{\"meta\":{\"kind\":{\"name\":\"B\"}},\"where\":{\"id\":\"w-2\"},\"body\":{\"x\":2}}\n";
    let options = LoadOptions {
        fields: FieldOverrides {
            kind: Some("meta.kind.name".into()),
            stream: Some("Where.Id".into()),
            ..FieldOverrides::default()
        },
        ..LoadOptions::default()
    };
    let replay = open(&nested[..], &options).expect("loads");
    assert_eq!(types(&replay), ["A", "B"]);
    assert_eq!(
        last_state(&replay),
        json!({"w-1": {"x": 1}, "w-2": {"x": 2}})
    );
}

#[test]
fn eventbridge_fields_given_by_hand_work_too() {
    let options = LoadOptions {
        fields: FieldOverrides {
            kind: Some("detail-type".into()),
            data: Some("detail".into()),
            stream: Some("detail.orderId".into()),
            ..FieldOverrides::default()
        },
        ..LoadOptions::default()
    };
    let replay = open(fixture("eventbridge-list.json"), &options).expect("loads");
    assert_eq!(
        types(&replay),
        ["OrderPlaced", "Scheduled Event", "OrderPaid"]
    );
    assert_eq!(replay.log.stream_name(0), Some("o-9"));
}

// --- A forced format that does not fit says what the file looks like ---

#[test]
fn a_forced_format_that_does_not_fit_names_the_format_the_file_looks_like() {
    let array = b"[\n  {\"type\": \"A\"},\n  {\"type\": \"B\"}\n]\n";
    let forced = |format| LoadOptions {
        format: Some(format),
        ..LoadOptions::default()
    };
    for format in [rewind_core::Format::Wrapped, rewind_core::Format::Ndjson] {
        let e = open(&array[..], &forced(format)).expect_err("refused");
        assert!(e.to_string().contains("looks like json-array"), "{e}");
    }
    let one_line = open(
        &br#"{"type": "A", "data": {"x": 1}}"#[..],
        &forced(rewind_core::Format::Ndjson),
    )
    .expect("one line of NDJSON loads");
    assert_eq!(one_line.len(), 1);
    let wrapped = br#"{"events": [{"type": "A"}]}"#;
    let e = open(&wrapped[..], &forced(rewind_core::Format::ReduxActions)).expect_err("refused");
    assert!(e.to_string().contains("looks like wrapped"), "{e}");
}

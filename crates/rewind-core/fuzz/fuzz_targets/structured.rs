//! Fuzzes with well-formed event logs built from the fuzzer's bytes: events with or
//! without type, stream, time and data (objects to merge, JSON Patches, states), written
//! as NDJSON, a JSON array, a wrapped object or CloudEvents, loaded with any fold mode,
//! snapshot and checkpoint interval. Every event loads (none is lost or reported bad),
//! and the state at every position is the reference fold of the events.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use rewind_core::{Format, LoadOptions, Mode, TimelineKind};
use serde_json::{json, Map, Value as Json};

const KEYS: [&str; 6] = ["a", "b", "status", "qty", "lines", "x~1/y"];
const TYPES: [&str; 4] = ["OrderPlaced", "OrderPaid", "ItemAdded", "(untyped)"];
const STREAMS: [&str; 4] = ["order-1", "order-2", "a/b", "~0"];

/// A JSON value at most `depth` levels deep, with keys the events share.
fn value(u: &mut Unstructured, depth: u32) -> Result<Json> {
    let pick = if depth == 0 {
        u.int_in_range(0..=4)?
    } else {
        u.int_in_range(0..=6)?
    };
    Ok(match pick {
        0 => Json::Null,
        1 => Json::Bool(u.arbitrary()?),
        2 => json!(u.int_in_range(-3i64..=3)?),
        3 => json!(u.arbitrary::<f64>()?)
            .as_f64()
            .map_or(Json::Null, |f| json!(f)),
        4 => Json::String(u.choose(&KEYS)?.to_string()),
        5 => Json::Array(
            (0..u.int_in_range(0..=3)?)
                .map(|_| value(u, depth - 1))
                .collect::<Result<_>>()?,
        ),
        _ => object(u, depth - 1)?,
    })
}

fn object(u: &mut Unstructured, depth: u32) -> Result<Json> {
    let mut o = Map::new();
    for _ in 0..u.int_in_range(0..=3)? {
        o.insert(u.choose(&KEYS)?.to_string(), value(u, depth)?);
    }
    Ok(Json::Object(o))
}

/// A JSON Patch of a few operations on paths made of the shared keys.
fn patch(u: &mut Unstructured) -> Result<Json> {
    let mut ops = Vec::new();
    for _ in 0..u.int_in_range(0..=3)? {
        let path: String = (0..u.int_in_range(0..=2)?)
            .map(|_| {
                Ok(format!(
                    "/{}",
                    u.choose(&KEYS)?.replace('~', "~0").replace('/', "~1")
                ))
            })
            .collect::<Result<_>>()?;
        let op = *u.choose(&["add", "remove", "replace", "test", "move", "copy"])?;
        let mut o = json!({"op": op, "path": path});
        if matches!(op, "add" | "replace" | "test") {
            o["value"] = value(u, 2)?;
        }
        if matches!(op, "move" | "copy") {
            o["from"] = json!(format!("/{}", u.choose(&KEYS)?));
        }
        ops.push(o);
    }
    Ok(Json::Array(ops))
}

fn event(u: &mut Unstructured, cloud: bool, i: usize) -> Result<Json> {
    let mut e = Map::new();
    if cloud {
        e.insert("specversion".into(), json!("1.0"));
        e.insert("id".into(), json!(i.to_string()));
        e.insert("source".into(), json!("/fuzz"));
    }
    if u.arbitrary()? {
        e.insert("type".into(), json!(u.choose(&TYPES)?));
    }
    if u.arbitrary()? {
        let key = if cloud { "subject" } else { "stream" };
        e.insert(key.into(), json!(u.choose(&STREAMS)?));
    }
    if u.arbitrary()? {
        let seconds = u.int_in_range(0..=2_000_000_000u32)?;
        e.insert("time".into(), json!(seconds));
    }
    match u.int_in_range(0..=4)? {
        0 => {}
        1 => {
            e.insert("patch".into(), patch(u)?);
        }
        2 => {
            e.insert("state".into(), object(u, 2)?);
        }
        _ => {
            e.insert("data".into(), object(u, 3)?);
        }
    }
    Ok(Json::Object(e))
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(format) = u
        .choose(&[
            Format::Ndjson,
            Format::JsonArray,
            Format::Wrapped,
            Format::CloudEvents,
        ])
        .copied()
    else {
        return;
    };
    let cloud = format == Format::CloudEvents;
    let Ok(mode) = u
        .choose(&[
            None,
            Some(Mode::Merge),
            Some(Mode::Patch),
            Some(Mode::Recorded),
        ])
        .copied()
    else {
        return;
    };
    let (Ok(interval), Ok(checkpoint), Ok(snapshots), Ok(lazy)) = (
        u.int_in_range(1..=8usize),
        u.int_in_range(1..=8usize),
        u.arbitrary::<bool>(),
        u.arbitrary::<bool>(),
    ) else {
        return;
    };
    let mut events = Vec::new();
    while let Ok(true) = u.arbitrary::<bool>() {
        match event(&mut u, cloud, events.len()) {
            Ok(e) => events.push(e),
            Err(_) => break,
        }
    }
    if events.is_empty() {
        return;
    }
    let n = events.len();
    let bytes = match format {
        Format::Ndjson => events.iter().map(|e| format!("{e}\n")).collect::<String>(),
        Format::Wrapped => json!({ "events": events }).to_string(),
        _ => Json::Array(events).to_string(),
    };
    let options = LoadOptions {
        format: Some(format),
        mode,
        snapshot_interval: Some(interval),
        checkpoint_interval: Some(checkpoint),
        timeline: if snapshots {
            TimelineKind::Snapshots
        } else {
            TimelineKind::Auto
        },
        lazy,
        ..LoadOptions::default()
    };
    let replay = rewind_core_fuzz::load_and_check(bytes.as_bytes(), &options)
        .unwrap_or_else(|| panic!("a well-formed log loads: {bytes}"));
    assert_eq!(replay.len(), n, "every event loads");
    assert!(replay.log.bad_lines.is_empty(), "no event is a bad line");
});

//! Structural sharing: a program's update copies only the path to the change.

use super::{json, Program};
use crate::value::{Str, Value};

/// `{"status": {"k0": "s0", ... }}` with `n` members (string values, so each has its own
/// allocation to compare).
fn state(n: usize) -> Value {
    let members = (0..n).map(|i| {
        let v = Value::String(Str::from(format!("status-{i}")));
        (Str::from(format!("k{i}")), v)
    });
    let status = Value::Object(members.collect());
    Value::Object([(Str::from("status"), status)].into_iter().collect())
}

fn status(v: &Value) -> &crate::value::Object {
    v.as_object()
        .and_then(|o| o.get("status"))
        .and_then(Value::as_object)
        .expect("a status object")
}

#[test]
fn an_update_of_a_large_object_shares_every_untouched_member() {
    let input = state(10_000);
    let before = input.clone();
    let p = Program::compile(r#".status["k"] = 1 | .status["k5"] = "paid""#).expect("compiles");
    let out = p
        .run(input.clone(), &Value::Null)
        .output
        .expect("runs")
        .expect("an output");
    let (old, new) = (status(&input), status(&out));
    assert_eq!(new.len(), 10_001);
    assert_eq!(new.get("k"), Some(&json("1")));
    assert_eq!(new.get("k5"), Some(&json(r#""paid""#)));
    let mut shared = 0;
    for (k, v) in old.iter() {
        if &**k == "k5" {
            continue;
        }
        let now = new.get(k).expect("kept");
        assert!(now.ptr_eq(v), "{k} was copied");
        shared += 1;
    }
    assert_eq!(shared, 9_999);
    // The input is a snapshot: unchanged.
    assert_eq!(input, before);
    assert_eq!(status(&input).get("k5"), Some(&json(r#""status-5""#)));
}

#[test]
fn a_program_that_changes_nothing_returns_the_input_itself() {
    let input = state(1_000);
    let p = Program::compile(r#"if $e == null then . else .x = 1 end | .status["k1"] |= ."#)
        .expect("compiles");
    let out = p.run(input.clone(), &Value::Null).output;
    let out = out.expect("runs").expect("an output");
    assert_eq!(out, input);
    assert!(status(&out)
        .get("k2")
        .expect("kept")
        .ptr_eq(status(&input).get("k2").expect("there")));
}

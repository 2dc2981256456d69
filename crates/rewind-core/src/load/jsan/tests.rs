use super::*;
use serde_json::json;

fn doc(text: &str) -> Value {
    serde_json::from_str(text).expect("test document is JSON")
}

/// Nodes of `v` as written (shared subtrees counted every time).
fn tree_nodes(v: &Value) -> usize {
    survey(v).0
}

#[test]
fn references_and_dates_are_decoded() {
    let doc = Value::from(json!({
        "user": {"name": "ada"},
        "copy": {"$jsan": "$.user"},
        "first": {"$jsan": "$.list[0]"},
        "list": ["x"],
        "at": {"$jsan": "d0"},
        "gone": {"$jsan": "u"},
        "pattern": {"$jsan": "rgi,a+b"},
        "imm": {"data": {"k": 1}, "__serializedType__": "ImmutableMap"}
    }));
    let out = decode(&doc).to_json();
    assert_eq!(out["copy"], json!({"name": "ada"}));
    assert_eq!(out["first"], json!("x"));
    assert_eq!(out["at"], json!("1970-01-01T00:00:00.000Z"));
    assert_eq!(out["gone"], json!("(undefined)"));
    assert_eq!(out["pattern"], json!("(regexp /a+b/gi)"));
    assert_eq!(out["imm"], json!({"k": 1}));
}

#[test]
fn a_document_without_jsan_is_returned_as_it_is() {
    let d = doc(r#"{"a":[1,{"b":"c"}]}"#);
    let (out, work) = decode_counted(&d);
    assert!(out.ptr_eq(&d));
    assert_eq!(work, 0);
}

#[test]
fn every_reference_to_a_node_shares_one_decoded_value() {
    let d = doc(r#"{"a":{"x":[1,{"$jsan":"u"}]},"b":[{"$jsan":"$.a"},{"$jsan":"$.a"}]}"#);
    let out = decode(&d);
    let b = out.as_object().and_then(|o| o.get("b")).expect("b");
    let Value::Array(b) = b else {
        panic!("b is an array")
    };
    assert_eq!(b[0].to_json(), json!({"x": [1, "(undefined)"]}));
    assert!(b[0].ptr_eq(&b[1]), "both references share one value");
    let a = out.as_object().and_then(|o| o.get("a")).expect("a");
    assert!(a.ptr_eq(&b[0]), "and share it with the node they refer to");
}

/// Ten bytes of text per level, and each level refers twice to the one before: expanding
/// every reference afresh would take 2^levels steps.
fn doubling(levels: usize) -> String {
    let mut text = String::from(r#"{"l0":{"x":1}"#);
    for k in 1..=levels {
        let prev = k - 1;
        text.push_str(&format!(
            r#","l{k}":[{{"$jsan":"$.l{prev}"}},{{"$jsan":"$.l{prev}"}}]"#
        ));
    }
    text.push('}');
    text
}

#[test]
fn references_that_double_at_each_level_are_decoded_in_linear_work() {
    let text = doubling(64);
    let d = doc(&text);
    let (out, work) = decode_counted(&d);
    assert!(
        work <= 2 * tree_nodes(&d) + text.len(),
        "{work} steps for {} nodes",
        tree_nodes(&d)
    );
    assert!(distinct_nodes(&out) <= tree_nodes(&d));
    let o = out.as_object().expect("object");
    assert_eq!(
        o.get("l2").map(Value::to_json),
        Some(json!([[{"x": 1}, {"x": 1}], [{"x": 1}, {"x": 1}]]))
    );
}

#[test]
fn a_value_that_repeats_its_shared_parts_too_often_is_bounded() {
    let d = doc(&doubling(64));
    let out = decode(&d);
    let mut limit = RepeatLimit::for_document(&d);
    let bounded = limit.apply(&out);
    let budget = MIN_REPEATS.max(REPEATS_PER_NODE * tree_nodes(&d) as u64);
    let shown = tree_nodes(&bounded) as u64;
    // Beyond the budget: each distinct part opened once, and a marker or scalar per member.
    assert!(
        shown <= budget + 2 * tree_nodes(&d) as u64,
        "{shown} values"
    );
    assert!(bounded.to_string().contains("(repeated value: "));
    // Every level is still there; those met first (in key order) whole.
    let o = bounded.as_object().expect("object");
    assert_eq!(o.len(), 65);
    assert_eq!(
        o.get("l1").map(Value::to_json),
        Some(json!([{"x": 1}, {"x": 1}]))
    );
    // A value within the budget is the same value.
    let small = doc(&doubling(4));
    assert!(RepeatLimit::for_document(&small)
        .apply(&small)
        .ptr_eq(&small));
}

#[test]
fn two_references_to_an_ancestor_are_circular_markers() {
    // About 100 bytes: unrolling each cycle 32 times over took minutes and gigabytes.
    let text = r#"{"s":{"a":[{"$jsan":"$.s"},{"$jsan":"$.s"}],"b":[{"$jsan":"$.s.a"},{"$jsan":"$.s.a"}]}}"#;
    let d = doc(text);
    let (out, work) = decode_counted(&d);
    assert!(work <= 2 * tree_nodes(&d) + text.len(), "{work} steps");
    let m = "(circular reference to $.s)";
    assert_eq!(
        out.to_json(),
        json!({"s": {"a": [m, m], "b": [[m, m], [m, m]]}})
    );
}

#[test]
fn a_reference_to_itself_or_the_root_is_circular() {
    let out = decode(&doc(r#"{"a":{"$jsan":"$.a"},"b":{"c":{"$jsan":"$"}}}"#)).to_json();
    assert_eq!(out["a"], json!("(circular reference to $.a)"));
    assert_eq!(out["b"]["c"], json!("(circular reference to $)"));
}

#[test]
fn a_cycle_through_two_references_is_shown_once_not_unrolled() {
    let out = decode(&doc(
        r#"{"a":{"next":{"$jsan":"$.b"}},"b":{"next":{"$jsan":"$.a"}}}"#,
    ))
    .to_json();
    assert_eq!(
        out["a"]["next"]["next"],
        json!("(circular reference to $.a)")
    );
}

#[test]
fn references_to_references_are_followed() {
    let out = decode(&doc(
        r#"{"a":{"x":1},"b":{"$jsan":"$.a"},"c":{"$jsan":"$.b"},"d":{"$jsan":"$.c.x"}}"#,
    ))
    .to_json();
    assert_eq!(out["c"], json!({"x": 1}));
    assert_eq!(out["d"], json!(1));
}

#[test]
fn paths_index_arrays_and_quote_odd_keys() {
    let out = decode(&doc(
        r#"{"list":["x",{"name":"y"}],"odd key":1,"q\"]":2,"m":{"a.b":3},
            "r":[{"$jsan":"$.list[0]"},{"$jsan":"$.list[1].name"},{"$jsan":"$[\"odd key\"]"},
                 {"$jsan":"$[\"q\\\"]\"]"},{"$jsan":"$.m[\"a.b\"]"}]}"#,
    ))
    .to_json();
    assert_eq!(out["r"], json!(["x", "y", 1, 2, 3]));
}

#[test]
fn references_that_lead_nowhere_say_so() {
    let out = decode(&doc(
        r#"{"list":[1],"n":2,"r":[{"$jsan":"$.nope"},{"$jsan":"$.list[9]"},{"$jsan":"$.n.deeper"},{"$jsan":"$[\"open"},{"$jsan":"$x"}]}"#,
    ))
    .to_json();
    assert_eq!(
        out["r"],
        json!([
            "(unresolved reference to $.nope)",
            "(unresolved reference to $.list[9])",
            "(unresolved reference to $.n.deeper)",
            "(unresolved reference to $[\"open)",
            "(unresolved reference to $x)"
        ])
    );
}

#[test]
fn a_path_that_runs_through_its_own_reference_is_unresolved() {
    let out = decode(&doc(r#"{"a":{"$jsan":"$.a.x"}}"#)).to_json();
    assert_eq!(out["a"], json!("(unresolved reference to $.a.x)"));
}

#[test]
fn a_member_named_jsan_is_unwrapped() {
    let out = decode(&doc(r#"{"o":{"$jsan":[{"$jsan":"u"}],"k":1}}"#)).to_json();
    assert_eq!(out["o"], json!({"$jsan": "(undefined)", "k": 1}));
}

#[test]
fn long_reference_chains_stop_at_the_height_bound() {
    // Each level wraps the one before in an array, through a reference.
    let mut text = String::from(r#"{"l0":1"#);
    for k in 1..=5000 {
        text.push_str(&format!(r#","l{k}":[{{"$jsan":"$.l{}"}}]"#, k - 1));
    }
    text.push('}');
    let d = doc(&text);
    let (out, work) = decode_counted(&d);
    assert!(work <= 2 * tree_nodes(&d) + text.len(), "{work} steps");
    let height = |v: &Value| {
        let mut h = 0;
        let mut cur = v.clone();
        while let Value::Array(a) = cur {
            h += 1;
            cur = a[0].clone();
        }
        (h, cur)
    };
    let o = out.as_object().expect("object");
    let (h, bottom) = height(o.get("l5000").expect("l5000"));
    assert!(h < MAX_HEIGHT as usize, "{h} levels");
    assert!(
        bottom
            .as_str()
            .is_some_and(|s| s.starts_with("(nested too deeply")),
        "{bottom}"
    );
    let (h, bottom) = height(o.get("l3").expect("l3"));
    assert_eq!((h, bottom.to_json()), (3, json!(1)));
}

#[test]
fn a_node_inside_a_cycle_decodes_the_same_whichever_reference_reaches_it_first() {
    // Keys are sorted: "selected" is decoded before "tree", which holds the cycle.
    let out = decode(&doc(r#"{"selected":{"$jsan":"$.tree.children[0]"},
            "tree":{"name":"root","children":[{"name":"leaf","parent":{"$jsan":"$.tree"}}]}}"#));
    let leaf = json!({"name": "leaf", "parent": "(circular reference to $.tree)"});
    assert_eq!(out.to_json()["tree"]["children"][0], leaf);
    assert_eq!(out.to_json()["selected"], leaf);
}

#[test]
fn a_cycle_entered_from_outside_is_cut_at_a_reference() {
    let out = decode(&doc(
        r#"{"a":{"$jsan":"$.p.c"},"p":{"c":{"go":{"$jsan":"$.q"}}},"q":{"back":{"$jsan":"$.p"}}}"#,
    ))
    .to_json();
    let text = out.to_string();
    assert!(text.contains("(circular reference"), "{text}");
}

#[test]
fn nested_wrappers_referenced_many_times_are_unwrapped_once() {
    let mut wrapped = String::from("7");
    for _ in 0..100 {
        wrapped = format!(r#"{{"data":{wrapped},"__serializedType__":"ImmutableMap"}}"#);
    }
    let refs = vec![r#"{"$jsan":"$.w"}"#; 500].join(",");
    let text = format!(r#"{{"w":{wrapped},"r":[{refs}]}}"#);
    let d = doc(&text);
    let (out, work) = decode_counted(&d);
    assert!(work <= 2 * tree_nodes(&d) + text.len(), "{work} steps");
    assert_eq!(out.to_json()["r"][499], json!(7));
}

/// A path that runs through a reference to itself, or through two references to each
/// other, leads nowhere (found by fuzzing: following such a chain never ended).
#[test]
fn a_path_through_references_that_lead_back_to_themselves_is_unresolved() {
    let d = doc(r#"{"self": {"$jsan": "$.self"},
            "a": {"$jsan": "$.b"}, "b": {"$jsan": "$.a"},
            "x": {"$jsan": "$.self.inner"}, "y": {"$jsan": "$.a.inner"}}"#);
    let (out, work) = decode_counted(&d);
    let out = out.to_json();
    assert_eq!(out["x"], json!("(unresolved reference to $.self.inner)"));
    assert_eq!(out["y"], json!("(unresolved reference to $.a.inner)"));
    assert!(work < 10 * MAX_HEIGHT as usize, "{work} steps");
}

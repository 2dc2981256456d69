//! Differential tests: programs whose meaning jq, jaq's own JSON values and the core's
//! values agree on give the same outputs (compared as values, so key order and `3` against
//! `3.0` do not matter) or both fail.

use jaq_core::data::JustLut;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::native::{bome, Fun};
use jaq_core::{Compiler, Ctx, Error, Vars};
use jaq_json::Val;

use super::{json, run};
use crate::value::Value;

type Reference = JustLut<Val>;

/// Runs `code` with jaq's own values: the first output as JSON text, or `Err` on error.
fn reference(code: &str, input: &str, event: &str) -> Result<Option<String>, String> {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs: Vec<Fun<Reference>> = jaq_core::funs()
        .chain(jaq_std::base_funs())
        .chain(jaq_json::funs())
        .collect();
    let have: Vec<(&str, usize)> = funs.iter().map(|(n, a, _)| (*n, a.len())).collect();
    let others = [
        ("ilogb", 0),
        ("scalbln", 2),
        ("remainder", 2),
        ("nextafter", 2),
        ("unescape_html", 0),
        ("decode_uri", 0),
    ];
    let others = others.map(|(n, a)| (n, jaq_core::native::v(a)));
    let ours = super::super::funs::all().map(|(n, a, _)| (n, a));
    // Stand-ins for the natives jaq-json's set lacks without jaq-std's optional features
    // (so that jaq-std's definitions compile); the corpus never calls them.
    let stubs = ours
        .chain(others)
        .filter(|(n, a)| !have.contains(&(*n, a.len())))
        .map(|(n, a)| {
            jaq_core::native::run::<Reference>((n, a, |_| {
                bome(Err(Error::str("not in the reference")))
            }))
        });
    let funs = funs.into_iter().chain(stubs);
    let arena = Arena::default();
    let modules = Loader::new(defs)
        .load(&arena, File { code, path: () })
        .map_err(|_| "load".to_string())?;
    let filter = Compiler::default()
        .with_funs(funs)
        .with_global_vars(["$e"])
        .compile(modules)
        .map_err(|e| format!("compile: {:?}", e.first().map(|(_, es)| es)))?;
    let val = |t: &str| jaq_json::read::parse_single(t.as_bytes()).expect("reference JSON");
    let ctx = Ctx::<Reference>::new(&filter.lut, Vars::new([val(event)]));
    let first = filter.id.run((ctx, val(input))).next();
    match first.map(jaq_core::unwrap_valr) {
        None => Ok(None),
        Some(Ok(v)) => Ok(Some(v.to_string())),
        Some(Err(e)) => Err(e.to_string()),
    }
}

/// Programs and inputs where jq's meaning is jaq's too.
const CORPUS: &[(&str, &str, &str)] = &[
    (".", r#"{"a":[1,2.5,"x",null,true]}"#, "null"),
    (".a.b", r#"{"a":{"b":3}}"#, "null"),
    ("[.[] | . * 2]", "[1,2,3]", "null"),
    ("[.[] | . + 1]", "[1,-2,3.5]", "null"),
    ("map(. / 2)", "[4,3,1]", "null"),
    ("map(. % 3)", "[4,3,-7]", "null"),
    ("[.[] - 1]", "[10, 0.5]", "null"),
    ("add", "[1,2,3]", "null"),
    ("add", r#"["a","b"]"#, "null"),
    ("add", "[[1],[2]]", "null"),
    ("add", r#"[{"a":1},{"b":2},{"a":3}]"#, "null"),
    (r#". * {"a":{"c":2}}"#, r#"{"a":{"b":1}}"#, "null"),
    (". - [2]", "[1,2,3,2]", "null"),
    ("sort", r#"[3,"a",null,[1],{"a":1},true,false,1.5]"#, "null"),
    ("sort_by(.n)", r#"[{"n":2},{"n":1}]"#, "null"),
    ("group_by(. % 2)", "[1,2,3,4]", "null"),
    ("unique", "[3,1,3]", "null"),
    ("unique_by(length)", r#"["a","bb","c"]"#, "null"),
    ("min_by(.n), max_by(.n)", r#"[{"n":2},{"n":1}]"#, "null"),
    ("keys", r#"{"b":1,"a":2}"#, "null"),
    // Key order differs (the core's objects are sorted), so entries are sorted first.
    ("to_entries | sort_by(.key)", r#"{"b":1,"a":2}"#, "null"),
    ("with_entries(.value += 1)", r#"{"b":1,"a":2}"#, "null"),
    ("length", r#""héllo""#, "null"),
    ("[.[] | length]", r#"[[1],{"a":1},null,-3]"#, "null"),
    (r#"has("a")"#, r#"{"a":1}"#, "null"),
    (r#"contains(["b"])"#, r#"["abc"]"#, "null"),
    ("tojson", r#"[1,"a",{"b":null}]"#, "null"),
    ("tostring", "[1]", "null"),
    ("[paths]", r#"{"a":[1,{"b":2}]}"#, "null"),
    (r#"getpath(["a",1,"b"])"#, r#"{"a":[1,{"b":2}]}"#, "null"),
    (r#"setpath(["a",1,"b"]; 5)"#, r#"{"a":[1,{"b":2}]}"#, "null"),
    ("del(.a)", r#"{"a":1,"b":2}"#, "null"),
    (".a |= . + 1", r#"{"a":1}"#, "null"),
    (".[1:] |= map(. * 10)", "[1,2,3]", "null"),
    (".[1:3]", "[0,1,2,3]", "null"),
    (".[-2:]", r#""hello""#, "null"),
    ("[range(0; 10; 3)]", "null", "null"),
    ("[limit(2; .[])]", "[5,6,7]", "null"),
    ("first(.[]), last(.[])", "[5,6,7]", "null"),
    ("reduce .[] as $x (0; . + $x)", "[1,2,3]", "null"),
    ("[foreach .[] as $x (0; . + $x)]", "[1,2,3]", "null"),
    ("[.[] | select(. > 1)]", "[1,2,3]", "null"),
    ("$e.data.n + .", "1", r#"{"data":{"n":41}}"#),
    (r#".[$e.k] = $e.v"#, r#"{"a":1}"#, r#"{"k":"b","v":[2]}"#),
    ("[.[] | floor]", "[1.5,-1.5,2]", "null"),
    ("ascii_downcase", r#""AbC""#, "null"),
    (r#"ltrimstr("a")"#, r#""abc""#, "null"),
    (r#"startswith("ab")"#, r#""abc""#, "null"),
    (r#"split(",")"#, r#""a,b,,c""#, "null"),
    (r#"join("-")"#, r#"["a","b"]"#, "null"),
    ("flatten", "[1,[2,[3]]]", "null"),
    ("[.[] | type]", r#"[null,true,1,"a",[],{}]"#, "null"),
    ("to_entries | from_entries", r#"{"a":1,"b":[2]}"#, "null"),
    ("[recurse] | length", r#"{"a":[1,{"b":2}]}"#, "null"),
    ("any, all", "[true,false]", "null"),
    ("implode", "[104,105]", "null"),
    (".a + 1", r#"{"a":"x"}"#, "null"),
    (".a.b", r#"{"a":5}"#, "null"),
    ("error(\"x\")", "null", "null"),
    ("1 / 2", "null", "null"),
    ("try error(\"x\") catch .", "null", "null"),
    (r#"if . then "t" else "f" end"#, "false", "null"),
    (r#""\(.a) and \(.b)""#, r#"{"a":1,"b":"x"}"#, "null"),
    ("[.[] as [$a, $b] | {a: $a, b: $b}]", "[[1,2]]", "null"),
    ("def f(x): x * 2; f(.)", "21", "null"),
    ("indices(1)", "[0,1,1]", "null"),
];

#[test]
fn programs_agree_with_jaqs_own_json_values() {
    let mut failures = Vec::new();
    for (code, input, event) in CORPUS {
        let ours = run(code, input, event).output;
        let theirs = reference(code, input, event);
        let agree = match (&ours, &theirs) {
            (Ok(None), Ok(None)) | (Err(_), Err(_)) => true,
            (Ok(Some(a)), Ok(Some(b))) => *a == json(b),
            _ => false,
        };
        if !agree {
            let ours = ours.map(|o| o.map(|v| v.to_compact_string()));
            failures.push(format!(
                "{code} on {input}: ours {ours:?}, jaq's {theirs:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_reference_is_able_to_disagree() {
    // The one place the core's values mean jq and jaq's do not: updating inside null.
    assert!(reference(".a.b = 1", "null", "null").is_err());
    let ours = run(".a.b = 1", "null", "null").output;
    assert_eq!(ours, Ok(Some(json(r#"{"a":{"b":1}}"#))));
    assert_ne!(ours, Ok(Some(Value::Null)));
}

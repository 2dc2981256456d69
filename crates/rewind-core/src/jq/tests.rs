//! Tests of jq programs over the core's value: a table of programs with their input, event
//! and expected output or error, then what a table cannot say (compile errors, messages,
//! sharing, a read model over several events).

use super::*;

mod differential;
mod sharing;

/// What a case expects.
enum Want {
    /// This first output, as JSON text (compared as printed, so `3` is not `3.0`).
    Out(&'static str),
    /// No output.
    Nothing,
    /// A run error containing this text.
    Fails(&'static str),
}
use Want::{Fails, Nothing, Out};

/// Parses JSON test text.
pub(super) fn json(text: &str) -> Value {
    crate::value::parse(text.as_bytes()).expect("test JSON parses")
}

/// Runs `code` on `input` with `$e` = `event`.
pub(super) fn run(code: &str, input: &str, event: &str) -> Run {
    let p = Program::compile(code).unwrap_or_else(|e| panic!("{code}: {e}"));
    p.run(json(input), &json(event))
}

/// The table: program, input, event, expectation.
const CASES: &[(&str, &str, &str, Want)] = &[
    // Identity, `$e`, fields.
    (".", r#"{"b":1,"a":2}"#, "null", Out(r#"{"a":2,"b":1}"#)),
    (
        "$e.data.status",
        "null",
        r#"{"data":{"status":"paid"}}"#,
        Out(r#""paid""#),
    ),
    (".a.b", r#"{"a":{"b":[1]}}"#, "null", Out("[1]")),
    (".a", "null", "null", Out("null")),
    (".[0]", "null", "null", Out("null")),
    (r#".["a"]"#, r#"{"a":1}"#, "null", Out("1")),
    (".[1]", "[1,2,3]", "null", Out("2")),
    (".[-1]", "[1,2,3]", "null", Out("3")),
    (".[7]", "[1,2,3]", "null", Out("null")),
    (".[1.7]", "[1,2,3]", "null", Out("2")),
    (".a", "1", "null", Fails(r#"cannot index number with "a""#)),
    (
        ".[0]",
        "{}",
        "null",
        Fails("cannot index object with number"),
    ),
    (
        r#".["a"]"#,
        "[1]",
        "null",
        Fails(r#"cannot index array with "a""#),
    ),
    (".a?", "1", "null", Nothing),
    ("[.[]]", r#"{"b":1,"a":2}"#, "null", Out("[2,1]")),
    ("[.[]?]", "3", "null", Out("[]")),
    (
        ".[]",
        "true",
        "null",
        Fails("cannot iterate over boolean (true)"),
    ),
    // Slices.
    (".[1:3]", "[0,1,2,3,4]", "null", Out("[1,2]")),
    (".[-2:]", "[0,1,2,3,4]", "null", Out("[3,4]")),
    (".[:1]", "[0,1,2,3,4]", "null", Out("[0]")),
    (".[2:1]", "[0,1,2,3,4]", "null", Out("[]")),
    (".[1:3]", r#""héllo""#, "null", Out(r#""él""#)),
    (".[1:]", "null", "null", Out("null")),
    (".[1:3] = [9]", "[0,1,2,3]", "null", Out("[0,9,3]")),
    // `+`.
    ("1 + 2", "null", "null", Out("3")),
    ("null + 2", "null", "null", Out("2")),
    (". + null", "{\"a\":1}", "null", Out("{\"a\":1}")),
    (r#""ab" + "cd""#, "null", "null", Out(r#""abcd""#)),
    ("[1] + [2,3]", "null", "null", Out("[1,2,3]")),
    (
        r#"{"a":1,"b":{"c":1}} + {"b":{"d":2}}"#,
        "null",
        "null",
        Out(r#"{"a":1,"b":{"d":2}}"#),
    ),
    (
        "1 + \"a\"",
        "null",
        "null",
        Fails(r#"number (1) and string ("a") cannot be added"#),
    ),
    ("{} + []", "null", "null", Fails("cannot be added")),
    ("1.5 + 1.5", "null", "null", Out("3")),
    ("0.1 + 0.2", "null", "null", Out("0.30000000000000004")),
    // `-`.
    ("5 - 7", "null", "null", Out("-2")),
    ("[1,2,3,2] - [2]", "null", "null", Out("[1,3]")),
    (
        "\"a\" - \"a\"",
        "null",
        "null",
        Fails("cannot be subtracted"),
    ),
    // `*`.
    ("4294967296 * 3", "null", "null", Out("12884901888")),
    ("2.5 * 2", "null", "null", Out("5")),
    (
        r#"{"a":{"b":1,"c":2}} * {"a":{"b":3}}"#,
        "null",
        "null",
        Out(r#"{"a":{"b":3,"c":2}}"#),
    ),
    (r#""ab" * 3"#, "null", "null", Out(r#""ababab""#)),
    (r#""ab" * 0"#, "null", "null", Out("null")),
    ("[] * 2", "null", "null", Fails("cannot be multiplied")),
    // `/`.
    ("6 / 2", "null", "null", Out("3")),
    ("7 / 2", "null", "null", Out("3.5")),
    ("1 / 3", "null", "null", Out("0.3333333333333333")),
    (
        "1 / 0",
        "null",
        "null",
        Fails("cannot be divided because the divisor is zero"),
    ),
    ("1 / 0.0", "null", "null", Fails("divisor is zero")),
    (r#""a,b,c" / ",""#, "null", "null", Out(r#"["a","b","c"]"#)),
    (r#""" / ",""#, "null", "null", Out("[]")),
    ("[] / 1", "null", "null", Fails("cannot be divided")),
    // `%`.
    ("7 % 3", "null", "null", Out("1")),
    ("-7 % 3", "null", "null", Out("-1")),
    ("7.9 % 3", "null", "null", Out("1")),
    ("7 % 0", "null", "null", Fails("divisor is zero")),
    // Negation.
    ("-(.)", "5", "null", Out("-5")),
    ("-(.)", "\"a\"", "null", Fails("cannot be negated")),
    // Big integers: exact natively and in wasm32.
    (
        "add",
        "[1700000000000, 1700000000001]",
        "null",
        Out("3400000000001"),
    ),
    (".", "9007199254740993", "null", Out("9007199254740993")),
    (
        ".a",
        r#"{"a":9007199254740993}"#,
        "null",
        Out("9007199254740993"),
    ),
    (". + 1", "9007199254740993", "null", Out("9007199254740994")),
    (
        ". - 1",
        "-9223372036854775808",
        "null",
        Out("-9.223372036854776e18"),
    ),
    (
        ". * 2",
        "9223372036854775807",
        "null",
        Out("1.8446744073709552e19"),
    ),
    (
        ". + 1",
        "12345678901234567890123",
        "null",
        Out("1.2345678901234568e22"),
    ),
    (
        ".",
        "12345678901234567890123",
        "null",
        Out("12345678901234567890123"),
    ),
    (
        "$e.ts - .",
        "1700000000000",
        r#"{"ts":1700000086400}"#,
        Out("86400"),
    ),
    ("3000000000 / 1000", "null", "null", Out("3000000")),
    (
        "[range(2147483647; 2147483650)]",
        "null",
        "null",
        Out("[2147483647,2147483648,2147483649]"),
    ),
    ("1e300 * 10", "null", "null", Out("1e301")),
    ("1e308 * 10", "null", "null", Out("1.7976931348623157e308")),
    ("1.0", "null", "null", Out("1.0")),
    // Comparison and order across kinds.
    (
        "sort",
        r#"[{"a":1}, [2], "b", 3, true, false, null, "a", [1], {"a":0}, 1.5]"#,
        "null",
        Out(r#"[null,false,true,1.5,3,"a","b",[1],[2],{"a":0},{"a":1}]"#),
    ),
    ("1 == 1.0", "null", "null", Out("true")),
    ("[1,2] < [1,2,0]", "null", "null", Out("true")),
    (r#"{"a":2} < {"b":1}"#, "null", "null", Out("true")),
    (
        "9007199254740993 > 9007199254740992",
        "null",
        "null",
        Out("true"),
    ),
    (r#""abc" < "abd""#, "null", "null", Out("true")),
    ("null < false", "null", "null", Out("true")),
    // Updates, also inside null (which creates the container, as jq does).
    (".a.b = 1", "null", "null", Out(r#"{"a":{"b":1}}"#)),
    (
        r#".count["paid"] += 1"#,
        "{}",
        "null",
        Out(r#"{"count":{"paid":1}}"#),
    ),
    (".[2] = 1", "null", "null", Out("[null,null,1]")),
    (".[3] = 1", "[0]", "null", Out("[0,null,null,1]")),
    (".[-1] = 9", "[0,1]", "null", Out("[0,9]")),
    (
        ".[-3] = 9",
        "[0,1]",
        "null",
        Fails("out of bounds negative array index"),
    ),
    (".a |= . + 1", r#"{"a":1}"#, "null", Out(r#"{"a":2}"#)),
    (".a //= 5", "{}", "null", Out(r#"{"a":5}"#)),
    (".[] += 1", "[1,2]", "null", Out("[2,3]")),
    (".[] |= empty", r#"{"a":1,"b":2}"#, "null", Out("{}")),
    (
        ".status[$e.stream] = $e.data.status",
        "{}",
        r#"{"stream":"o-1","data":{"status":"paid"}}"#,
        Out(r#"{"status":{"o-1":"paid"}}"#),
    ),
    (
        ".a.b = 1",
        r#"{"a":1}"#,
        "null",
        Fails(r#"cannot index number with "b""#),
    ),
    (
        "map_values(. * 2)",
        r#"{"a":1,"b":2}"#,
        "null",
        Out(r#"{"a":2,"b":4}"#),
    ),
    // Key order: objects print with sorted keys, whatever the program built.
    (
        r#"{"z":1,"a":2,"m":{"y":1,"b":2}}"#,
        "null",
        "null",
        Out(r#"{"a":2,"m":{"b":2,"y":1},"z":1}"#),
    ),
    (
        "keys",
        r#"{"b":1,"a":2,"A":3}"#,
        "null",
        Out(r#"["A","a","b"]"#),
    ),
    (
        "keys_unsorted",
        r#"{"b":1,"a":2}"#,
        "null",
        Out(r#"["a","b"]"#),
    ),
    ("keys", "[5,6]", "null", Out("[0,1]")),
    (
        "{(.k): 1}",
        r#"{"k":1}"#,
        "null",
        Fails("object keys must be strings"),
    ),
    // Built-in functions.
    ("length", r#""héllo""#, "null", Out("5")),
    ("length", "[1,2]", "null", Out("2")),
    ("length", r#"{"a":1}"#, "null", Out("1")),
    ("length", "-5", "null", Out("5")),
    ("length", "null", "null", Out("0")),
    (
        "length",
        "true",
        "null",
        Fails("boolean (true) has no length"),
    ),
    ("utf8bytelength", r#""é""#, "null", Out("2")),
    (r#"has("a")"#, r#"{"a":null}"#, "null", Out("true")),
    ("has(2)", "[1,2]", "null", Out("false")),
    (
        "has(0)",
        "{}",
        "null",
        Fails("cannot check whether object has a number key"),
    ),
    (r#"contains("bar")"#, r#""foobar""#, "null", Out("true")),
    (
        r#"contains(["baz", "bar"])"#,
        r#"["foobar", "foobaz", "blarp"]"#,
        "null",
        Out("true"),
    ),
    (
        r#"contains({foo: 12, bar: [{barp: 12}]})"#,
        r#"{"foo": 12, "bar":[1,2,{"barp":12, "blip":13}]}"#,
        "null",
        Out("true"),
    ),
    (
        r#"contains("a")"#,
        "{}",
        "null",
        Fails("cannot have their containment checked"),
    ),
    (r#"inside("foobar")"#, r#""bar""#, "null", Out("true")),
    ("tostring", "[1,\"a\"]", "null", Out(r#""[1,\"a\"]""#)),
    ("tostring", r#""a""#, "null", Out(r#""a""#)),
    (
        "tojson",
        r#"{"b":[1,2.5],"a":"x"}"#,
        "null",
        Out(r#""{\"a\":\"x\",\"b\":[1,2.5]}""#),
    ),
    (
        "fromjson",
        r#""{\"a\":[1,9007199254740993]}""#,
        "null",
        Out(r#"{"a":[1,9007199254740993]}"#),
    ),
    ("fromjson", r#""{""#, "null", Fails("while parsing")),
    ("tonumber", r#""42""#, "null", Out("42")),
    ("tonumber", r#""1.5""#, "null", Out("1.5")),
    (
        "tonumber",
        r#""1700000000001""#,
        "null",
        Out("1700000000001"),
    ),
    (
        "tonumber",
        r#""abc""#,
        "null",
        Fails("cannot parse 'abc' as a number"),
    ),
    (
        "tonumber",
        "[]",
        "null",
        Fails("cannot be parsed as a number"),
    ),
    (
        "to_entries",
        r#"{"b":1,"a":2}"#,
        "null",
        Out(r#"[{"key":"a","value":2},{"key":"b","value":1}]"#),
    ),
    (
        "from_entries",
        r#"[{"key":"a","value":1},{"k":"b","v":2},{"name":"c","value":3},{"key":1,"value":4},{"key":false,"value":5}]"#,
        "null",
        Out(r#"{"1":4,"a":1,"b":2,"c":3,"false":5}"#),
    ),
    (
        "with_entries(.value += 1)",
        r#"{"a":1,"b":2}"#,
        "null",
        Out(r#"{"a":2,"b":3}"#),
    ),
    ("add", "[1,2,3]", "null", Out("6")),
    ("add", r#"["a","b"]"#, "null", Out(r#""ab""#)),
    ("add", "[]", "null", Out("null")),
    (
        "add",
        r#"[{"a":1},{"b":2}]"#,
        "null",
        Out(r#"{"a":1,"b":2}"#),
    ),
    ("map(. * 10)", "[1,2]", "null", Out("[10,20]")),
    ("map(select(. > 1))", "[1,2,3]", "null", Out("[2,3]")),
    ("select(.a)", r#"{"a":false}"#, "null", Nothing),
    (
        "group_by(.k)",
        r#"[{"k":2,"v":1},{"k":1,"v":2},{"k":2,"v":3}]"#,
        "null",
        Out(r#"[[{"k":1,"v":2}],[{"k":2,"v":1},{"k":2,"v":3}]]"#),
    ),
    (
        "sort_by(.n)",
        r#"[{"n":3},{"n":1},{"n":2}]"#,
        "null",
        Out(r#"[{"n":1},{"n":2},{"n":3}]"#),
    ),
    (
        "sort_by(.a, .b)",
        r#"[{"a":1,"b":2},{"a":1,"b":1},{"a":0,"b":9}]"#,
        "null",
        Out(r#"[{"a":0,"b":9},{"a":1,"b":1},{"a":1,"b":2}]"#),
    ),
    (
        "unique_by(length)",
        r#"["a","bb","c"]"#,
        "null",
        Out(r#"["a","bb"]"#),
    ),
    ("unique", "[3,1,3,2]", "null", Out("[1,2,3]")),
    (
        "min_by(.n)",
        r#"[{"n":3},{"n":1}]"#,
        "null",
        Out(r#"{"n":1}"#),
    ),
    (
        "max_by(.n)",
        r#"[{"n":3},{"n":1}]"#,
        "null",
        Out(r#"{"n":3}"#),
    ),
    ("min", "[]", "null", Out("null")),
    ("max", "[2,9,1]", "null", Out("9")),
    ("del(.a)", r#"{"a":1,"b":2}"#, "null", Out(r#"{"b":2}"#)),
    ("del(.[1,2])", "[0,1,2,3]", "null", Out("[0,3]")),
    (
        "del(.a, .b)",
        r#"{"a":1,"b":2,"c":3}"#,
        "null",
        Out(r#"{"c":3}"#),
    ),
    ("del(.x)", "null", "null", Out("null")),
    (
        "[paths]",
        r#"{"a":[1],"b":2}"#,
        "null",
        Out(r#"[["a"],["a",0],["b"]]"#),
    ),
    (
        "[leaf_paths]",
        r#"{"a":[1],"b":2}"#,
        "null",
        Out(r#"[["a",0],["b"]]"#),
    ),
    (
        r#"getpath(["a","b"])"#,
        r#"{"a":{"b":5}}"#,
        "null",
        Out("5"),
    ),
    (r#"getpath(["x","y"])"#, "{}", "null", Out("null")),
    (
        r#"setpath(["a","b"]; 1)"#,
        "null",
        "null",
        Out(r#"{"a":{"b":1}}"#),
    ),
    (
        r#"delpaths([["a"],["b",0]])"#,
        r#"{"a":1,"b":[1,2]}"#,
        "null",
        Out(r#"{"b":[2]}"#),
    ),
    (
        r#"[splits(", *")]"#,
        r#""a, b,c""#,
        "null",
        Out(r#"["a","b","c"]"#),
    ),
    (r#"split(",")"#, r#""a,b""#, "null", Out(r#"["a","b"]"#)),
    (
        r#"split(", *"; null)"#,
        r#""a, b,c""#,
        "null",
        Out(r#"["a","b","c"]"#),
    ),
    ("ascii_downcase", r#""AbC""#, "null", Out(r#""abc""#)),
    ("ascii_upcase", r#""AbC""#, "null", Out(r#""ABC""#)),
    (r#"ltrimstr("ord-")"#, r#""ord-42""#, "null", Out(r#""42""#)),
    (r#"rtrimstr("-x")"#, r#""a-x""#, "null", Out(r#""a""#)),
    (r#"startswith("ord")"#, r#""ord-42""#, "null", Out("true")),
    (r#"endswith("42")"#, r#""ord-42""#, "null", Out("true")),
    (r#"test("^ord-\\d+$")"#, r#""ord-42""#, "null", Out("true")),
    (r#"test("ORD"; "i")"#, r#""ord-42""#, "null", Out("true")),
    (r#"test("x")"#, r#""ord""#, "null", Out("false")),
    (
        r#"match("(?<n>\\d+)")"#,
        r#""ab12""#,
        "null",
        Out(
            r#"{"captures":[{"length":2,"name":"n","offset":2,"string":"12"}],"length":2,"offset":2,"string":"12"}"#,
        ),
    ),
    (
        r#"capture("(?<a>\\w)-(?<b>\\w)")"#,
        r#""x-y""#,
        "null",
        Out(r#"{"a":"x","b":"y"}"#),
    ),
    (
        r#"[match("a"; "g").offset]"#,
        r#""aXa""#,
        "null",
        Out("[0,2]"),
    ),
    (r#"sub("a"; "b")"#, r#""aaa""#, "null", Out(r#""baa""#)),
    (r#"gsub("a"; "b")"#, r#""aaa""#, "null", Out(r#""bbb""#)),
    (
        r#"gsub("(?<d>\\d)"; "<\(.d)>")"#,
        r#""a1b2""#,
        "null",
        Out(r#""a<1>b<2>""#),
    ),
    (
        r#"test("(")"#,
        r#""a""#,
        "null",
        Fails("is not a valid regex"),
    ),
    (
        r#"join(", ")"#,
        r#"["a",1,null,true]"#,
        "null",
        Out(r#""a, 1, , true""#),
    ),
    (r#"indices(", ")"#, r#""a, b, c""#, "null", Out("[1,4]")),
    ("indices(1)", "[0,1,2,1]", "null", Out("[1,3]")),
    ("index(\"b\")", r#""abcb""#, "null", Out("1")),
    ("rindex(\"b\")", r#""abcb""#, "null", Out("3")),
    ("[limit(3; range(10))]", "null", "null", Out("[0,1,2]")),
    ("[limit(0; 1, 2)]", "null", "null", Out("[]")),
    ("first(range(5; 10))", "null", "null", Out("5")),
    ("last(range(5; 10))", "null", "null", Out("9")),
    ("first", "[7,8]", "null", Out("7")),
    ("last", "[7,8]", "null", Out("8")),
    ("[range(3)]", "null", "null", Out("[0,1,2]")),
    ("[range(0; 10; 3)]", "null", "null", Out("[0,3,6,9]")),
    ("[range(1; 0; -0.5)]", "null", "null", Out("[1,0.5]")),
    ("floor", "2.7", "null", Out("2")),
    ("floor", "-2.5", "null", Out("-3")),
    ("floor", "1700000000000.5", "null", Out("1700000000000")),
    ("ceil", "2.1", "null", Out("3")),
    ("round", "2.5", "null", Out("3")),
    ("sqrt", "16", "null", Out("4")),
    ("sqrt", "2", "null", Out("1.4142135623730951")),
    ("pow(2; 10)", "null", "null", Out("1024")),
    ("log10", "1000", "null", Out("3")),
    ("fabs", "-2.5", "null", Out("2.5")),
    ("abs", "-3", "null", Out("3")),
    (
        "sqrt",
        "\"a\"",
        "null",
        Fails("string (\"a\") is not a number"),
    ),
    ("type", "[]", "null", Out(r#""array""#)),
    ("[.[] | numbers]", r#"[1,"a",null,2]"#, "null", Out("[1,2]")),
    ("infinite", "null", "null", Out("1.7976931348623157e308")),
    (
        "[.[] | tostring]",
        r#"[1,"1",[1]]"#,
        "null",
        Out(r#"["1","1","[1]"]"#),
    ),
    ("flatten", "[1,[2,[3]]]", "null", Out("[1,2,3]")),
    ("reverse", "[1,2,3]", "null", Out("[3,2,1]")),
    ("any", "[false,true]", "null", Out("true")),
    ("all", "[false,true]", "null", Out("false")),
    (
        "[.[] | in({\"a\":1})]",
        r#"["a","b"]"#,
        "null",
        Out("[true,false]"),
    ),
    ("transpose", "[[1,2],[3]]", "null", Out("[[1,3],[2,null]]")),
    (
        "to_entries | map(.key)",
        "{\"b\":1,\"a\":2}",
        "null",
        Out(r#"["a","b"]"#),
    ),
    ("explode | implode", r#""hé""#, "null", Out(r#""hé""#)),
    ("@base64", r#""hello!?""#, "null", Out(r#""aGVsbG8hPw==""#)),
    ("@base64d", r#""aGVsbG8hPw==""#, "null", Out(r#""hello!?""#)),
    (
        "@html",
        r#""<a href='x'>&</a>""#,
        "null",
        Out(r#""&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;""#),
    ),
    ("@uri", r#""a b/é""#, "null", Out(r#""a%20b%2F%C3%A9""#)),
    (
        "@csv",
        r#"[1,"a\"b",null,true]"#,
        "null",
        Out(r#""1,\"a\"\"b\",,true""#),
    ),
    ("@tsv", r#"[1,"a\tb"]"#, "null", Out(r#""1\ta\\tb""#)),
    ("@json", "[1]", "null", Out(r#""[1]""#)),
    (r#"@text "v: \(.)""#, "[1]", "null", Out(r#""v: [1]""#)),
    (
        "\"n=\\(.a)\"",
        r#"{"a":{"b":1}}"#,
        "null",
        Out(r#""n={\"b\":1}""#),
    ),
    // Time, in UTC and without the clock.
    (
        "fromdateiso8601",
        r#""2015-03-05T23:51:47Z""#,
        "null",
        Out("1425599507"),
    ),
    (
        "fromdate",
        r#""2023-11-14T22:13:20Z""#,
        "null",
        Out("1700000000"),
    ),
    (
        "fromdateiso8601",
        r#""2015-03-05T23:51:47.5Z""#,
        "null",
        Out("1425599507.5"),
    ),
    (
        "fromdateiso8601",
        r#""yesterday""#,
        "null",
        Fails("does not match format"),
    ),
    (
        "todate",
        "1425599507",
        "null",
        Out(r#""2015-03-05T23:51:47Z""#),
    ),
    (
        "todateiso8601",
        "1700000000.9",
        "null",
        Out(r#""2023-11-14T22:13:20Z""#),
    ),
    (
        "gmtime",
        "1425599507",
        "null",
        Out("[2015,2,5,23,51,47,4,63]"),
    ),
    ("gmtime | mktime", "1425599507", "null", Out("1425599507")),
    ("gmtime", "-1", "null", Out("[1969,11,31,23,59,59,3,364]")),
    (
        r#"strftime("%Y-%m-%dT%H:%M:%SZ %a %b %j %e %A %B")"#,
        "1425599507",
        "null",
        Out(r#""2015-03-05T23:51:47Z Thu Mar 064  5 Thursday March""#),
    ),
    (
        r#"strftime("%q")"#,
        "0",
        "null",
        Fails("strftime does not support %q"),
    ),
    (
        "$e.time | fromdate | . + 86400 | todate",
        "null",
        r#"{"time":"2024-02-28T12:00:00Z"}"#,
        Out(r#""2024-02-29T12:00:00Z""#),
    ),
    // Errors.
    (r#"error("custom")"#, "null", "null", Fails("custom")),
    (
        r#"error({"code":1})"#,
        "null",
        "null",
        Fails(r#"{"code":1}"#),
    ),
    (r#"try error("x") catch ."#, "null", "null", Out(r#""x""#)),
    (
        r#"try (1/0) catch ."#,
        "null",
        "null",
        Out(r#""number (1) and number (0) cannot be divided because the divisor is zero""#),
    ),
    (r#".a[]? // "none""#, r#"{"a":1}"#, "null", Out(r#""none""#)),
    // Only the first output counts, and later ones are not evaluated.
    (r#"., error("x")"#, "7", "null", Out("7")),
    ("empty", "7", "null", Nothing),
    ("1, 2", "null", "null", Out("1")),
    (r#"error("x"), 1"#, "null", "null", Fails("x")),
    // Control flow.
    ("reduce .[] as $x (0; . + $x)", "[1,2,3]", "null", Out("6")),
    (
        "[foreach .[] as $x (0; . + $x)]",
        "[1,2,3]",
        "null",
        Out("[1,3,6]"),
    ),
    (
        "if . then 1 elif . == null then 2 else 3 end",
        "null",
        "null",
        Out("2"),
    ),
    (
        "[.[] as [$a, $b] | $a + $b]",
        "[[1,2],[3,4]]",
        "null",
        Out("[3,7]"),
    ),
    (". as {a: $x} | $x", r#"{"a":5}"#, "null", Out("5")),
    ("def inc(f): f + 1; inc(.)", "1", "null", Out("2")),
    (
        "[label $out | .[] | if . > 1 then ., break $out else . end]",
        "[1,2,3]",
        "null",
        Out("[1,2]"),
    ),
    (
        "[recurse(if . < 3 then . + 1 else empty end)]",
        "0",
        "null",
        Out("[0,1,2,3]"),
    ),
    ("until(. > 100; . * 2)", "1", "null", Out("128")),
    ("isempty(empty)", "null", "null", Out("true")),
];

#[test]
fn the_table_of_programs_gives_jq_answers() {
    let mut failures = Vec::new();
    for (code, input, event, want) in CASES {
        let got = run(code, input, event).output;
        let ok = match (want, &got) {
            (Out(text), Ok(Some(v))) => v.to_compact_string() == json(text).to_compact_string(),
            (Nothing, Ok(None)) => true,
            (Fails(part), Err(e)) => e.contains(part),
            _ => false,
        };
        if !ok {
            let want = match want {
                Out(t) => format!("output {t}"),
                Nothing => "no output".into(),
                Fails(p) => format!("an error with {p:?}"),
            };
            let got = match got {
                Ok(Some(v)) => format!("output {}", v.to_compact_string()),
                Ok(None) => "no output".into(),
                Err(e) => format!("error {e:?}"),
            };
            failures.push(format!("{code}  on {input}: wanted {want}, got {got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The compile error of `code`.
fn compile_error(code: &str) -> CompileError {
    match Program::compile(code) {
        Ok(_) => panic!("{code} compiled"),
        Err(e) => e,
    }
}

#[test]
fn compile_errors_say_where_and_what() {
    let e = compile_error("(.a");
    assert_eq!((e.line, e.column), (1, 1), "{e}");
    assert!(e.message.contains("unclosed `(`"), "{e}");

    let e = compile_error(".a |\n  map(.b;");
    assert_eq!((e.line, e.column), (2, 6), "{e}");
    assert!(e.message.contains("unclosed `(`"), "{e}");

    let e = compile_error(".a |\n  if . then 1");
    assert_eq!(e.line, 2, "{e}");
    assert!(e.message.contains("expected else or end"), "{e}");

    let e = compile_error("map(.b;)");
    assert!(e.message.contains("expected term, found `)`"), "{e}");
    assert_eq!(e.column, 8, "{e}");

    let e = compile_error(".a | foo");
    assert_eq!((e.line, e.column), (1, 6), "{e}");
    assert_eq!(e.message, "undefined filter `foo/0`");
    assert_eq!(e.to_string(), "line 1, column 6: undefined filter `foo/0`");

    let e = compile_error("# state\n.count += $x");
    assert_eq!((e.line, e.column), (2, 11), "{e}");
    assert_eq!(e.message, "undefined variable `$x`");

    let e = compile_error("map(.é) | é");
    assert!(e.column >= 1, "{e}");

    let e = compile_error("1 +");
    assert!(e.message.contains("found the end of the program"), "{e}");

    let e = compile_error("\"abc");
    assert!(e.message.contains("unclosed"), "{e}");
}

#[test]
fn filters_that_read_the_outside_world_are_refused_by_name() {
    let cases = [
        ("now", "reads the clock"),
        (". + now", "reads the clock"),
        ("localtime", "local time zone"),
        ("strflocaltime(\"%H\")", "local time zone"),
        ("env.HOME", "reads the environment"),
        ("$ENV.HOME", "reads the environment"),
        ("input", "reads other inputs"),
        ("[inputs]", "reads other inputs"),
        ("input_filename", "name of the input file"),
        ("input_line_number", "position in the input file"),
        ("halt", "stops the process"),
        ("halt_error", "stops the process"),
        ("halt_error(1)", "stops the process"),
        ("$__prog_args", "command line"),
        ("get_search_list", "module search path"),
        ("include \"lib\"; .", "`include` and `import` read files"),
        (
            "import \"lib\" as lib; .",
            "`include` and `import` read files",
        ),
        (
            "import \"data\" as $d; .",
            "`include` and `import` read files",
        ),
    ];
    for (code, why) in cases {
        let e = compile_error(code);
        assert!(e.message.contains(why), "{code}: {e}");
        if !code.starts_with("in") {
            assert!(e.message.contains("same state every time"), "{code}: {e}");
        }
    }
    let e = compile_error(".a | now");
    assert_eq!(e.column, 6, "{e}");
    assert!(
        e.message
            .starts_with("`now` reads the clock; a read model must give the same state"),
        "{e}"
    );
    // A program's own definition of such a name is its own business.
    let out = run("def now: 42; now", "null", "null").output;
    assert_eq!(out, Ok(Some(json("42"))));
    // Names jq has and read models do not say so.
    assert!(compile_error("strptime(\"%Y\")")
        .message
        .contains("fromdateiso8601"));
}

#[test]
fn debug_and_stderr_are_captured_per_run_not_printed() {
    let p = Program::compile(r#"debug | debug("at \(.a)") | .a += 1 | stderr"#).expect("compiles");
    let r = p.run(json(r#"{"a":1}"#), &Value::Null);
    assert_eq!(r.output, Ok(Some(json(r#"{"a":2}"#))));
    assert_eq!(r.messages, [r#"{"a":1}"#, r#""at 1""#, r#"{"a":2}"#]);
    // The next run starts with no messages.
    let r = p.run(json(r#"{"a":5}"#), &Value::Null);
    assert_eq!(r.messages.len(), 3);
    assert_eq!(r.messages[0], r#"{"a":5}"#);
    // Messages before an error are kept.
    let r = run(r#"debug | error("no")"#, "[1]", "null");
    assert_eq!(r.output, Err("no".into()));
    assert_eq!(r.messages, ["[1]"]);
}

#[test]
fn the_spec_orders_by_status_read_model_counts_each_order_once() {
    let code = ".status[$e.stream] as $old | .status[$e.stream] = $e.data.status \
                | if $old then .count[$old] -= 1 else . end | .count[$e.data.status] += 1";
    let p = Program::compile(code).expect("compiles");
    let events = [
        r#"{"stream":"o-1","data":{"status":"placed"}}"#,
        r#"{"stream":"o-2","data":{"status":"placed"}}"#,
        r#"{"stream":"o-1","data":{"status":"paid"}}"#,
        r#"{"stream":"o-3","data":{"status":"placed"}}"#,
        r#"{"stream":"o-1","data":{"status":"shipped"}}"#,
        r#"{"stream":"o-2","data":{"status":"paid"}}"#,
    ];
    let mut state = json(r#"{"status":{},"count":{}}"#);
    let mut states = vec![state.clone()];
    for e in events {
        let r = p.run(state, &json(e));
        assert!(r.messages.is_empty());
        state = r.output.expect("runs").expect("has an output");
        states.push(state.clone());
    }
    assert_eq!(
        state.to_compact_string(),
        r#"{"count":{"paid":1,"placed":1,"shipped":1},"status":{"o-1":"shipped","o-2":"paid","o-3":"placed"}}"#
    );
    // Earlier states are untouched snapshots.
    assert_eq!(
        states[3].to_compact_string(),
        r#"{"count":{"paid":1,"placed":1},"status":{"o-1":"paid","o-2":"placed"}}"#
    );
}

#[test]
fn programs_are_shared_between_threads_and_clones() {
    let p = Program::compile(".n += $e").expect("compiles");
    let q = p.clone();
    let handle = std::thread::spawn(move || q.run(json(r#"{"n":1}"#), &json("2")).output);
    let out = handle.join().expect("the thread ran");
    assert_eq!(out, Ok(Some(json(r#"{"n":3}"#))));
    assert_eq!(format!("{p:?}"), "Program");
}

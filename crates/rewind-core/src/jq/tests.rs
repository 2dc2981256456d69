//! Tests of jq programs over the core's value: a table of programs with their input, event
//! and expected output or error, then what a table cannot say (compile errors, messages,
//! sharing, a read model over several events).

use super::*;

mod differential;
mod sharing;
mod table;

/// Parses JSON test text.
pub(super) fn json(text: &str) -> Value {
    crate::value::parse(text.as_bytes()).expect("test JSON parses")
}

/// Runs `code` on `input` with `$e` = `event`.
pub(super) fn run(code: &str, input: &str, event: &str) -> Run {
    let p = Program::compile(code).unwrap_or_else(|e| panic!("{code}: {e}"));
    p.run(json(input), &json(event))
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

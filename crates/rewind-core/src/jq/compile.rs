//! Compiling a read-model program: jaq's parser and compiler with the standard library
//! minus everything that reads the outside world, `$e` as the one global variable, and
//! errors placed at their line and column in the program's text.

use jaq_core::compile::Undefined;
use jaq_core::load::{self, lex, parse, Arena, File, Loader};

use super::data::Filter;
use super::CompileError;

/// Names that read the outside world, and why a read model cannot use them.
const REFUSED: &[(&str, &str)] = &[
    ("now", "reads the clock"),
    ("localtime", "reads the local time zone"),
    ("strflocaltime", "reads the local time zone"),
    ("env", "reads the environment"),
    ("$ENV", "reads the environment"),
    ("input", "reads other inputs"),
    ("inputs", "reads other inputs"),
    ("input_filename", "reads the name of the input file"),
    ("input_line_number", "reads the position in the input file"),
    ("$__prog_args", "reads the command line"),
    ("halt", "stops the process"),
    ("halt_error", "stops the process"),
    ("get_search_list", "reads the module search path"),
    ("get_prog_origin", "reads where the program is stored"),
    ("get_jq_origin", "reads where jq is installed"),
    ("modulemeta", "reads module files"),
];

/// Why every refusal holds.
const DETERMINISM: &str = "a read model must give the same state every time it is folded";

/// Names jq has that read models do not offer, with what to use instead.
const MISSING: &[(&str, &str)] = &[
    ("strptime", "use `fromdateiso8601` to read ISO 8601 times"),
    ("tostream", "streaming is not available in read models"),
    ("fromstream", "streaming is not available in read models"),
    (
        "truncate_stream",
        "streaming is not available in read models",
    ),
];

/// jaq-std definitions left out: those that stop the process, and those that need
/// natives read models do not have (replaced where it matters by `early.jq`/`late.jq`).
const DROPPED_STD: &[&str] = &[
    "halt",
    "halt_error",
    "nan",
    "infinite",
    "logb",
    "significand",
    "drem",
    "nexttoward",
    "@htmld",
    "@urid",
];

/// Parses one of this module's definition files.
fn own_defs(text: &'static str) -> Vec<parse::Def<&'static str>> {
    load::parse(text, |p| p.defs()).expect("the jq definitions of src/jq parse")
}

/// The prelude: jaq's definitions with read models' replacements, in dependency order.
fn prelude() -> impl Iterator<Item = parse::Def<&'static str>> {
    let core = jaq_core::defs();
    let std = jaq_std::defs().filter(|d| !DROPPED_STD.contains(&d.name));
    core.chain(own_defs(include_str!("early.jq")))
        .chain(std)
        .chain(own_defs(include_str!("late.jq")))
}

/// A compile error at `at` (a slice of `code`, or anything else for the start).
fn error_at(code: &str, at: &str, message: String) -> CompileError {
    let (base, start) = (code.as_ptr() as usize, at.as_ptr() as usize);
    let inside = start >= base && start + at.len() <= base + code.len();
    let offset = if inside { start - base } else { 0 };
    // An error outside the program's text is one of the prelude (a bug of this module).
    let message = if inside || at.is_empty() {
        message
    } else {
        format!("in the jq prelude at `{at}`: {message}")
    };
    let before = &code[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    CompileError {
        line,
        column,
        message,
    }
}

/// The message of a lexer error.
fn lex_message(expect: &lex::Expect<&str>) -> String {
    match expect {
        lex::Expect::Delim(open) => format!("unclosed `{open}`"),
        lex::Expect::Digit => "expected a digit".into(),
        lex::Expect::Ident => "expected an identifier".into(),
        lex::Expect::Escape => "invalid string escape".into(),
        lex::Expect::Unicode => "expected 4 hexadecimal digits of a code point".into(),
        _ => "unexpected character".into(),
    }
}

/// The message of a parser error.
fn parse_message(expect: &parse::Expect<&str>, found: &str) -> String {
    let expected = match expect {
        parse::Expect::Just(s) => format!("`{s}`"),
        other => other.as_str().to_string(),
    };
    if found.is_empty() {
        format!("expected {expected}, found the end of the program")
    } else {
        format!("expected {expected}, found `{found}`")
    }
}

/// The message of a name the compiler does not know, refusals first.
fn undefined_message(name: &str, undefined: &Undefined) -> String {
    if let Some((_, why)) = REFUSED.iter().find(|(n, _)| *n == name) {
        return format!("`{name}` {why}; {DETERMINISM}");
    }
    if let Some((_, instead)) = MISSING.iter().find(|(n, _)| *n == name) {
        return format!("`{name}` is not available: {instead}");
    }
    match undefined {
        Undefined::Filter(arity) => format!("undefined filter `{name}/{arity}`"),
        Undefined::Var => format!("undefined variable `{name}`"),
        Undefined::Label => format!("undefined label `{name}`"),
        Undefined::Mod => format!("undefined module `{name}`"),
        other => format!("undefined {} `{name}`", other.as_str()),
    }
}

/// The message of `include` and `import`.
fn import_message() -> String {
    format!("`include` and `import` read files; {DETERMINISM} from its own text")
}

/// The first error of loading (lexing, parsing, modules).
fn load_error(code: &str, errs: load::Errors<&str, ()>) -> CompileError {
    for (_file, e) in errs {
        let first = match e {
            load::Error::Lex(es) => es.first().map(|(expect, at)| {
                let at = match expect {
                    lex::Expect::Delim(open) => open,
                    _ => at,
                };
                error_at(code, at, lex_message(expect))
            }),
            load::Error::Parse(es) => es
                .first()
                .map(|(expect, found)| error_at(code, found, parse_message(expect, found))),
            load::Error::Io(es) => es
                .first()
                .map(|(path, _)| error_at(code, path, import_message())),
        };
        if let Some(e) = first {
            return e;
        }
    }
    error_at(code, "", "the program could not be read".into())
}

/// Compiles `code` with `$e` defined.
pub(crate) fn compile(code: &str) -> Result<Filter, CompileError> {
    let arena = Arena::default();
    let loader = Loader::new(prelude());
    let modules = loader
        .load(&arena, File { code, path: () })
        .map_err(|errs| load_error(code, errs))?;
    // Data imports (`import "x" as $x;`) read files too.
    let mut data_import: Option<&str> = None;
    let imported = load::import(&modules, |import| {
        data_import.get_or_insert(*import.path);
        Err(import_message())
    });
    if imported.is_err() {
        return Err(error_at(code, data_import.unwrap_or(""), import_message()));
    }
    let compiler = jaq_core::Compiler::default()
        .with_funs(super::funs::all())
        .with_global_vars(["$e"]);
    compiler.compile(modules).map_err(|errs| {
        let all = errs.into_iter().flat_map(|(_file, es)| es);
        let mut all: Vec<_> = all.collect();
        // A refused name is the most useful thing to say.
        let refused = |name: &&str| REFUSED.iter().any(|(n, _)| n == name);
        all.sort_by_key(|(name, _)| !refused(name));
        match all.first() {
            Some((name, undefined)) => error_at(code, name, undefined_message(name, undefined)),
            None => error_at(code, "", "the program could not be compiled".into()),
        }
    })
}

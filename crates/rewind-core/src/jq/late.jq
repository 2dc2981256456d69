# Definitions that complete jaq's standard library for the core's values (what jaq-json
# defines for its own), and jq's meaning where jaq's differs.

def transpose: [range([.[] | length] | max) as $i | [.[][$i]]];
def in(xs): . as $x | xs | has($x);
def inside(xs): . as $x | xs | contains($x);
def index($i): indices($i) | .[0];
def rindex($i): indices($i) | .[-1:][0];
def toarray: if type == "array" then . else [.] end;
def leaf_paths: paths(scalars);
def @json: tojson;
def date: todate;
def dateadd(u; n): . + n;
def datesub(u; n): . - n;

# Deleting several paths deletes from the last, so earlier deletions do not shift later
# array indices (as jq does).
def delpaths($ps): reduce ($ps | sort | reverse[]) as $p (.; getpath($p) |= empty);
def del(f): delpaths([path(f)]);

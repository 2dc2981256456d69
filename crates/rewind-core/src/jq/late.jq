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

# jq's join: null joins as "", numbers and booleans as their JSON text.
def join($x): reduce .[] as $i (null;
  (if . == null then "" else . + $x end) +
  ($i | if . == null then "" elif type == "string" then . else tojson end)) // "";

# jq's from_entries: keys under key, k, name, Name, K or Key; non-string keys as JSON.
def from_entries: reduce .[] as $x ({};
  . + { ($x | if .key == null then .k // .name // .Name // .K // .Key else .key end
            | if type == "string" then . else tojson end):
        ($x | if has("value") then .value elif has("v") then .v else .Value end) });
def with_entries(f): to_entries | map(f) | from_entries;
def date: todate;
def dateadd(u; n): . + n;
def datesub(u; n): . - n;

# Deleting several paths deletes from the last, so earlier deletions do not shift later
# array indices (as jq does).
def delpaths($ps): reduce ($ps | sort | reverse[]) as $p (.; getpath($p) |= empty);
def del(f): delpaths([path(f)]);

# Definitions that jaq's own core definitions are replaced by, so that jaq-std's
# definitions that follow use them. Only jaq-core's definitions and natives are in scope.

# JSON has no NaN and no infinities: jq writes them as null and the largest number.
def nan: null;
def infinite: 1.7976931348623157e308;

# jq's join: null joins as "", numbers and booleans as their JSON text.
def join($x): reduce .[] as $i (null;
  (if . == null then "" else . + $x end) +
  ($i | if . == null then "" elif . >= "" and . < [] then . else tojson end)) // "";

# jq's from_entries: keys under key, k, name, Name, K or Key; non-string keys as JSON.
def from_entries: reduce .[] as $x ({};
  . + { ($x | if .key == null then .k // .name // .Name // .K // .Key else .key end
            | if . >= "" and . < [] then . else tojson end):
        ($x | if has("value") then .value elif has("v") then .v else .Value end) });
def with_entries(f): to_entries | map(f) | from_entries;

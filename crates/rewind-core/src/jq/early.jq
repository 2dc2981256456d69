# Definitions that jaq-std's definitions (which follow) use, replacing jaq-std's own.
# Only jaq-core's definitions and the natives are in scope here (not even `null`).

# JSON has no NaN and no infinities: jq writes them as null and the largest number.
def nan: [][0];
def infinite: 1.7976931348623157e308;

//! Tests of jq programs over the core value.

//! Sharing tests.

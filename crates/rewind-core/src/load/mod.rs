//! Loading a log: from its bytes to a [`Log`](crate::Log) and its
//! [`Timeline`](crate::Timeline).
//!
//! * [`formats`] and [`producers`] recognise the file's layout and the producer whose shape
//!   its events have; [`gzip`] and [`jsan`] undo what wraps them;
//! * [`scan`] reads the type, stream, time and payload of each event in one pass;
//! * [`arriving`] loads NDJSON while its bytes arrive, and [`tail`] lets a helper index the
//!   second half of the file meanwhile.

pub mod arriving;
pub(crate) mod cloud_events;
pub(crate) mod formats;
pub mod gzip;
pub mod jsan;
pub mod producers;
pub(crate) mod scan;
pub mod tail;

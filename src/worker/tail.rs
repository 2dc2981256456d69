//! The tail of a large log, shared between two workers: the helper indexes the lines
//! after a byte and posts the index; the page passes it on to the loading worker, whose
//! load waits for it once it has indexed the lines before.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use rewind_core::{TailIndex, TailIndexer};
use web_sys::{Blob, DedicatedWorkerGlobalScope};

use super::read::read_parts;
use super::{post, post_progress};
use crate::protocol::{EncodedTail, FromWorker, Progress};

/// The helper's index if it came before the load asked for it, and the load waiting for
/// it if it asked first.
#[derive(Default)]
struct Meeting {
    index: Option<EncodedTail>,
    waiting: Option<Waker>,
}

thread_local! {
    static MEETING: RefCell<Meeting> = RefCell::default();
}

/// A new load: an index left from an earlier one is not for it.
pub fn forget() {
    MEETING.with(|m| *m.borrow_mut() = Meeting::default());
}

/// The helper's index came (passed on by the page): handed to the load waiting for it, or
/// kept until it asks.
pub fn arrived(index: EncodedTail) {
    MEETING.with(|m| {
        let mut m = m.borrow_mut();
        m.index = Some(index);
        if let Some(waker) = m.waiting.take() {
            waker.wake();
        }
    });
}

/// Waits for [`arrived`].
struct Arrival;

impl Future for Arrival {
    type Output = EncodedTail;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<EncodedTail> {
        MEETING.with(|m| {
            let mut m = m.borrow_mut();
            match m.index.take() {
                Some(index) => Poll::Ready(index),
                None => {
                    m.waiting = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
    }
}

/// The helper's index of the tail (`None` if it found none, or failed).
pub async fn next() -> Option<TailIndex> {
    Arrival.await.decode()
}

/// Indexes the lines of the log after byte `from` for the worker loading it, and posts the
/// index (or none, when the lines are not NDJSON or cannot be read).
pub async fn index_tail(scope: &DedicatedWorkerGlobalScope, blob: &Blob, from: usize) {
    let size = blob.size() as usize;
    let mut indexer = TailIndexer::new(from, size);
    let read = read_parts(blob, indexer.read_from() as u64, |part| {
        let going = indexer.push(part.length() as usize, |dst| part.copy_to(dst));
        if going {
            post_progress(
                scope,
                Progress::Streaming {
                    bytes_read: indexer.bytes(),
                    file_bytes: size.saturating_sub(from) as u64,
                    events_read: indexer.events() as u64,
                },
            );
        }
        going
    })
    .await;
    let index = read.ok().and_then(|()| indexer.finish());
    post(
        scope,
        FromWorker::TailIndex(EncodedTail::encode(index.as_ref())),
    );
}

//! Criterion benches of the replay core's hot paths, on a generated e-commerce log of
//! 100,000 events (about 23 MB):
//!
//! - `load/open_eager`: what the CLI does (`open`: read, fold every stream, checkpoints);
//! - `load/stream_lazy`: what the browser's loading worker does for a whole log (an
//!   [`NdjsonStream`] fed 16 MB parts, lazy fold: streams are folded on first read);
//! - `load/stream_lazy_halves`: the two-worker load, one after the other here: the head
//!   by the loading stream, the tail by a [`TailIndexer`], its index appended;
//! - `read/stream_state`: 1,000 random seeks after a load, each reading the state of the
//!   event's stream at that point (what the page asks for as the slider moves).
//!
//! Run with `cargo bench -p rewind-core --bench load` (BENCHMARKS.md has figures).
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rewind_core::{generate, open, LoadOptions, NdjsonStream, Pointer, TailIndexer};

const EVENTS: usize = 100_000;
const PART: usize = 16 << 20;

fn log_text() -> Vec<u8> {
    let mut text = String::new();
    generate::ecommerce_ndjson(EVENTS, 42, &mut text);
    text.into_bytes()
}

fn lazy() -> LoadOptions {
    LoadOptions {
        lazy: true,
        ..LoadOptions::default()
    }
}

/// Feeds `bytes[from..]` to `push` in parts of at most [`PART`] bytes.
fn feed(bytes: &[u8], from: usize, mut push: impl FnMut(&[u8]) -> bool) {
    for part in bytes[from..].chunks(PART) {
        if !push(part) {
            break;
        }
    }
}

fn stream_lazy(bytes: &[u8], tail_from: Option<usize>) -> NdjsonStream {
    let head = &bytes[..bytes.len().min(PART)];
    let options = lazy();
    let mut stream = NdjsonStream::start_leaving_tail(head, bytes.len(), &options, tail_from)
        .expect("the generated log is NDJSON");
    feed(bytes, head.len(), |part| {
        stream.push(part.len(), |dst| dst.copy_from_slice(part));
        true
    });
    stream
}

fn load(c: &mut Criterion) {
    let bytes = log_text();
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.sample_size(10);
    group.bench_function("open_eager", |b| {
        b.iter(|| open(&bytes[..], &LoadOptions::default()).expect("loads"))
    });
    group.bench_function("stream_lazy", |b| {
        b.iter(|| stream_lazy(&bytes, None).finish().expect("loads"))
    });
    let half = bytes.len() / 2;
    group.bench_function("stream_lazy_halves", |b| {
        b.iter(|| {
            let stream = stream_lazy(&bytes, Some(half));
            let mut helper = TailIndexer::new(half, bytes.len());
            feed(&bytes, helper.read_from(), |part| {
                helper.push(part.len(), |dst| dst.copy_from_slice(part))
            });
            let (replay, taken) = stream.finish_with_tail(helper.finish()).expect("loads");
            assert!(taken, "the helper's index fits");
            replay
        })
    });
    group.finish();
}

fn read(c: &mut Criterion) {
    let bytes = log_text();
    let replay = stream_lazy(&bytes, None).finish().expect("loads");
    let positions: Vec<usize> = (0..1000).map(|i| (i * 7919) % replay.len()).collect();
    let mut group = c.benchmark_group("read");
    group.throughput(Throughput::Elements(positions.len() as u64));
    group.bench_function("stream_state", |b| {
        b.iter(|| {
            for &p in &positions {
                let pointer = replay
                    .log
                    .stream_name(p)
                    .map_or_else(Pointer::root, |s| Pointer::root().child(s));
                std::hint::black_box(replay.get(p as isize, &pointer));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, load, read);
criterion_main!(benches);

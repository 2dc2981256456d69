//! The density strip above the timeline: the log cut into slices, each with its dominant
//! event type and whether it holds a failed event, a filter hit or unreadable lines.

use serde::{Deserialize, Serialize};

use rewind_core::Replay;

/// One slice of the density strip above the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// First position in the slice.
    pub start: usize,
    /// Number of events in it.
    pub count: usize,
    /// The most frequent event type in it (index into the log's types).
    pub kind: u32,
    /// Some event in it failed to apply.
    pub failed: bool,
    /// Some event in it matches the event-list filter.
    pub hit: bool,
    /// Lines that could not be read lie among its events (or after the last event, for
    /// the last slice): the gaps in the log.
    pub gap: bool,
}

/// Splits the log into at most `buckets` slices for the density strip, each with its
/// dominant type, whether an event failed, whether one is among `hits` (ascending), and
/// whether lines that could not be read lie among its events.
pub fn density(replay: &Replay, buckets: usize, hits: &[u32]) -> Vec<Bucket> {
    let n = replay.len();
    let buckets = buckets.clamp(1, n.max(1));
    let failures = replay.failed_positions();
    let mut counts = vec![0usize; replay.log.types.len()];
    let mut out = Vec::with_capacity(buckets);
    for b in 0..buckets {
        let start = b * n / buckets;
        let end = (b + 1) * n / buckets;
        if end <= start {
            continue;
        }
        counts.iter_mut().for_each(|c| *c = 0);
        for e in replay.log.events.iter_from(start).take(end - start) {
            if let Some(c) = counts.get_mut(e.kind as usize) {
                *c += 1;
            }
        }
        let kind = counts
            .iter()
            .enumerate()
            .max_by_key(|&(i, &c)| (c, std::cmp::Reverse(i)))
            .map_or(0, |(i, _)| i as u32);
        let in_range = |list: &[usize]| {
            let i = list.partition_point(|&p| p < start);
            list.get(i).is_some_and(|&p| p < end)
        };
        let hit = {
            let i = hits.partition_point(|&p| (p as usize) < start);
            hits.get(i).is_some_and(|&p| (p as usize) < end)
        };
        // A bad line before event `p` lies in the slice of `p`; after the last event, in
        // the last slice.
        let gap = {
            let bad = &replay.log.bad_lines;
            let i = bad.partition_point(|b| b.before_position < start);
            bad.get(i)
                .is_some_and(|b| b.before_position < end || end == n)
        };
        out.push(Bucket {
            start,
            count: end - start,
            kind,
            failed: in_range(&failures),
            hit,
            gap,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rewind_core::{open, LoadOptions};

    #[test]
    fn buckets_cover_every_event_once_and_mark_hits() {
        let mut text = String::new();
        rewind_core::generate::ecommerce_ndjson(1000, 3, &mut text);
        let r = open(text.as_bytes(), &LoadOptions::default()).expect("loads");
        let b = density(&r, 64, &[500]);
        assert_eq!(b.iter().map(|b| b.count).sum::<usize>(), 1000);
        assert_eq!(b.iter().filter(|b| b.hit).count(), 1);
        let hit = b.iter().find(|b| b.hit).expect("hit bucket");
        assert!(hit.start <= 500 && 500 < hit.start + hit.count);
    }

    #[test]
    fn the_slices_with_unreadable_lines_among_their_events_mark_a_gap() {
        // Ten events; lines that cannot be read before the fourth event and after the last.
        let mut text = String::new();
        for i in 0..10 {
            if i == 3 {
                text.push_str("[\"not an event\"]\n");
            }
            text.push_str(&format!("{{\"type\":\"T\",\"data\":{{\"n\":{i}}}}}\n"));
        }
        text.push_str("{broken\n");
        let r = open(text.as_bytes(), &LoadOptions::default()).expect("loads");
        let buckets = density(&r, 5, &[]);
        let gaps: Vec<usize> = buckets.iter().filter(|b| b.gap).map(|b| b.start).collect();
        // Slices of two events: 0-1, 2-3, 4-5, 6-7, 8-9.
        assert_eq!(gaps, [2, 8]);
    }
}

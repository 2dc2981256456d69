//! A deterministic generator of e-commerce event logs, for benchmarks and tests.
//!
//! Customers and orders are streams. Orders go through `OrderPlaced`, `ItemAdded`,
//! sometimes `ItemRemoved`, `OrderPaid` and `OrderShipped` or `OrderCancelled`; customers
//! register and sometimes move. About 3.3 events per stream and 230 bytes per event, so a
//! million events is about 230 MB of NDJSON in about 300,000 streams. The same seed gives
//! the same bytes on every platform.
//!
//! [`ecommerce_flows_ndjson`] writes the same shop with flows across streams (SPEC §9):
//! each order's events share a correlation, and each names the event that caused it in
//! `metadata.$correlationId` / `$causationId`, as EventStoreDB writes them. An order's
//! `OrderPlaced` causes its items and a `PaymentRequested` in stream `payment-…`, which
//! causes `OrderPaid`, which causes `ShipmentScheduled` in `shipment-…`, which causes
//! `OrderShipped`.

/// SplitMix64: small, fast, and the same everywhere (also picks the benchmark's positions).
pub struct Rng(pub u64);

impl Rng {
    /// The next pseudo-random number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

struct Order {
    id: u64,
    skus: Vec<u32>,
    /// 0 open, 1 paid; with flows also 2 payment requested, 3 shipment scheduled.
    stage: u8,
    /// With flows: the order's correlation, and the events its next ones are caused by.
    flow: Flow,
}

/// An order's flow (empty without flows).
#[derive(Default)]
struct Flow {
    correlation: String,
    /// The event number of its `OrderPlaced`.
    placed: usize,
    /// The event number of its latest payment or shipping step.
    last: usize,
    carrier: usize,
}

/// An event's correlation and the event number of its cause (with flows).
type Link = (String, Option<usize>);

/// What the next event is: type, stream, data and, with flows, its link.
type Next = (&'static str, String, String, Option<Link>);

const FIRST_NAMES: [&str; 8] = [
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken",
];
const CITIES: [&str; 6] = ["Lisbon", "Oslo", "Lyon", "Tartu", "Porto", "Ghent"];
const CARRIERS: [&str; 3] = ["DHL", "UPS", "PostNL"];

/// Writes `events` NDJSON lines for `seed` into `out`, one event per line.
pub fn ecommerce_ndjson(events: usize, seed: u64, out: &mut impl std::fmt::Write) {
    write_shop(events, seed, false, out);
}

/// [`ecommerce_ndjson`] with flows across streams: each event's metadata holds its
/// `$correlationId` and, unless it starts a flow, the `$causationId` of the event that
/// caused it (see the module documentation).
pub fn ecommerce_flows_ndjson(events: usize, seed: u64, out: &mut impl std::fmt::Write) {
    write_shop(events, seed, true, out);
}

/// A UUID-shaped correlation, from the generator.
fn uuid(rng: &mut Rng) -> String {
    let (a, b) = (rng.next_u64(), rng.next_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFF,
        b >> 52,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// Writes the log into `out` as it is made; stops at the first error `out` gives.
fn write_shop(events: usize, seed: u64, flows: bool, out: &mut impl std::fmt::Write) {
    let mut rng = Rng(seed);
    let mut customers = 0u64;
    let mut orders = 0u64;
    let mut active: Vec<Order> = Vec::new();
    let mut clock_ms: u64 = 1_772_366_400_000; // 2026-03-01T12:00:00Z
    for n in 0..events {
        clock_ms += 50 + rng.below(400);
        let time = crate::fields::format_rfc3339(clock_ms as f64);
        let correlation = rng.next_u64() & 0xFFFF_FFFF;
        let (kind, stream, data, link) = if customers == 0 || (rng.chance(6) && active.len() > 8) {
            customers += 1;
            let name = FIRST_NAMES[rng.below(8) as usize];
            (
                "CustomerRegistered",
                format!("customer-{customers:06}"),
                format!(
                    r#"{{"name":"{name} {customers}","email":"{}{customers}@example.com","tier":"{}","city":"{}"}}"#,
                    name.to_ascii_lowercase(),
                    ["bronze", "silver", "gold"][rng.below(3) as usize],
                    CITIES[rng.below(6) as usize]
                ),
                None,
            )
        } else if rng.chance(2) {
            let c = 1 + rng.below(customers);
            (
                "CustomerMoved",
                format!("customer-{c:06}"),
                format!(
                    r#"{{"city":"{}","movedAt":"{time}"}}"#,
                    CITIES[rng.below(6) as usize]
                ),
                None,
            )
        } else if active.len() < 40 || rng.chance(25) {
            orders += 1;
            let customer = 1 + rng.below(customers);
            let flow = match flows {
                true => Flow {
                    correlation: uuid(&mut rng),
                    placed: n,
                    last: n,
                    carrier: 0,
                },
                false => Flow::default(),
            };
            let link = flows.then(|| (flow.correlation.clone(), None));
            active.push(Order {
                id: orders,
                skus: Vec::new(),
                stage: 0,
                flow,
            });
            (
                "OrderPlaced",
                format!("order-{orders:07}"),
                format!(
                    r#"{{"customer":"customer-{customer:06}","status":"placed","currency":"EUR","lines":{{}},"total":0}}"#
                ),
                link,
            )
        } else {
            order_event(&mut rng, &mut active, &time, n, flows)
        };
        let user = 1 + rng.below(50);
        let written = match (flows, link) {
            (false, _) => writeln!(
                out,
                r#"{{"id":"evt-{n:08}","type":"{kind}","stream":"{stream}","time":"{time}","data":{data},"metadata":{{"correlationId":"c-{correlation:08x}","userId":"u-{user}"}}}}"#,
            ),
            (true, link) => {
                let (flow, cause) = link.unwrap_or_else(|| (format!("c-{correlation:08x}"), None));
                let caused = match cause {
                    Some(c) => format!(r#","$causationId":"evt-{c:08}""#),
                    None => String::new(),
                };
                writeln!(
                    out,
                    r#"{{"id":"evt-{n:08}","type":"{kind}","stream":"{stream}","time":"{time}","data":{data},"metadata":{{"$correlationId":"{flow}"{caused},"userId":"u-{user}"}}}}"#,
                )
            }
        };
        if written.is_err() {
            return;
        }
    }
}

/// The next event of one of the `active` orders, picked at random: an item added or
/// removed, or the order cancelled, paid or shipped (the last two end it). With `flows`,
/// payment and shipping take two steps each, the first in a stream of their own, and the
/// event `n` is linked to its order's flow.
fn order_event(rng: &mut Rng, active: &mut Vec<Order>, time: &str, n: usize, flows: bool) -> Next {
    let i = rng.below(active.len() as u64) as usize;
    let o = &mut active[i];
    let stream = format!("order-{:07}", o.id);
    // With flows, an event caused by the order's latest step, or by its `OrderPlaced`.
    let step = |o: &mut Order| {
        let cause = o.flow.last;
        o.flow.last = n;
        flows.then(|| (o.flow.correlation.clone(), Some(cause)))
    };
    let placed = |o: &Order| flows.then(|| (o.flow.correlation.clone(), Some(o.flow.placed)));
    if flows && o.stage == 2 {
        o.stage = 1;
        let link = step(o);
        return (
            "OrderPaid",
            stream,
            format!(r#"{{"status":"paid","paidAt":"{time}","method":"card"}}"#),
            link,
        );
    }
    if flows && o.stage == 3 {
        let mut o = active.swap_remove(i);
        let link = step(&mut o);
        let carrier = CARRIERS[o.flow.carrier];
        return (
            "OrderShipped",
            stream,
            format!(
                r#"{{"status":"shipped","carrier":"{carrier}","tracking":"{carrier}{:010}"}}"#,
                rng.next_u64() % 10_000_000_000
            ),
            link,
        );
    }
    let roll = rng.below(100);
    if o.stage == 0 && (o.skus.is_empty() || roll < 55) && o.skus.len() < 6 {
        let sku = 1 + rng.below(500) as u32;
        o.skus.push(sku);
        let qty = 1 + rng.below(4);
        let price = 199 + rng.below(9800);
        (
            "ItemAdded",
            stream,
            format!(
                r#"{{"lines":{{"SKU-{sku:04}":{{"qty":{qty},"unitPrice":{price}}}}},"total":{}}}"#,
                qty * price + rng.below(1000)
            ),
            placed(o),
        )
    } else if o.stage == 0 && roll < 62 && o.skus.len() > 1 {
        let sku = o.skus.remove(0);
        (
            "ItemRemoved",
            stream,
            format!(r#"{{"lines":{{"SKU-{sku:04}":null}}}}"#),
            placed(o),
        )
    } else if o.stage == 0 && roll < 67 {
        let o = active.swap_remove(i);
        (
            "OrderCancelled",
            format!("order-{:07}", o.id),
            r#"{"status":"cancelled","reason":"customer request"}"#.to_string(),
            placed(&o),
        )
    } else if o.stage == 0 && flows {
        o.stage = 2;
        o.flow.last = o.flow.placed;
        let link = step(o);
        (
            "PaymentRequested",
            format!("payment-{:07}", o.id),
            format!(
                r#"{{"order":"order-{:07}","amount":{},"currency":"EUR","method":"card"}}"#,
                o.id,
                199 + rng.below(40_000)
            ),
            link,
        )
    } else if o.stage == 0 {
        o.stage = 1;
        (
            "OrderPaid",
            stream,
            format!(r#"{{"status":"paid","paidAt":"{time}","method":"card"}}"#),
            None,
        )
    } else if flows {
        o.stage = 3;
        o.flow.carrier = rng.below(3) as usize;
        let link = step(o);
        (
            "ShipmentScheduled",
            format!("shipment-{:07}", o.id),
            format!(
                r#"{{"order":"order-{:07}","carrier":"{}"}}"#,
                o.id, CARRIERS[o.flow.carrier]
            ),
            link,
        )
    } else {
        let o = active.swap_remove(i);
        let carrier = CARRIERS[rng.below(3) as usize];
        (
            "OrderShipped",
            format!("order-{:07}", o.id),
            format!(
                r#"{{"status":"shipped","carrier":"{carrier}","tracking":"{carrier}{:010}"}}"#,
                rng.next_u64() % 10_000_000_000
            ),
            None,
        )
    }
}

#[cfg(test)]
mod tests {
    /// FNV-1a, to pin the generated bytes.
    fn fnv(text: &str) -> u64 {
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// FNV-1a of the first 3000 events of seed 7, as written before flows existed.
    const PINNED: u64 = 0x333f_2fe9_33be_a8e6;

    /// Every benchmark depends on the default log: it stays byte for byte what it was
    /// before flows were added (`--flows` is opt-in).
    #[test]
    fn the_default_log_is_unchanged() {
        let mut text = String::new();
        super::ecommerce_ndjson(3000, 7, &mut text);
        assert_eq!(fnv(&text), PINNED);
    }

    #[test]
    fn flows_link_every_event_after_the_first_of_its_order() {
        let mut text = String::new();
        super::ecommerce_flows_ndjson(2000, 7, &mut text);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2000);
        for line in &lines {
            let e: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            let m = &e["metadata"];
            assert!(m["$correlationId"].is_string(), "{line}");
            let roots = ["OrderPlaced", "CustomerRegistered", "CustomerMoved"];
            let root = roots.contains(&e["type"].as_str().unwrap_or_default());
            assert_eq!(m.get("$causationId").is_none(), root, "{line}");
            if let Some(cause) = m["$causationId"].as_str() {
                let earlier = lines.iter().take_while(|l| *l != line);
                assert!(earlier
                    .clone()
                    .any(|l| l.contains(&format!(r#""id":"{cause}""#))));
            }
        }
    }

    #[test]
    fn same_seed_same_log_and_every_line_is_json() {
        let (mut a, mut b) = (String::new(), String::new());
        super::ecommerce_ndjson(2000, 7, &mut a);
        super::ecommerce_ndjson(2000, 7, &mut b);
        assert_eq!(a, b);
        assert_eq!(a.lines().count(), 2000);
        for line in a.lines() {
            serde_json::from_str::<serde_json::Value>(line).expect("every generated line is JSON");
        }
    }
}

//! A deterministic generator of e-commerce event logs, for benchmarks and tests.
//!
//! Customers and orders are streams. Orders go through `OrderPlaced`, `ItemAdded`,
//! sometimes `ItemRemoved`, `OrderPaid` and `OrderShipped` or `OrderCancelled`; customers
//! register and sometimes move. About 3.3 events per stream and 230 bytes per event, so a
//! million events is about 230 MB of NDJSON in about 300,000 streams. The same seed gives
//! the same bytes on every platform.

use std::fmt::Write as _;

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
    stage: u8,
}

const FIRST_NAMES: [&str; 8] = [
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken",
];
const CITIES: [&str; 6] = ["Lisbon", "Oslo", "Lyon", "Tartu", "Porto", "Ghent"];
const CARRIERS: [&str; 3] = ["DHL", "UPS", "PostNL"];

/// Writes `events` NDJSON lines for `seed` into `out`, one event per line.
pub fn ecommerce_ndjson(events: usize, seed: u64, out: &mut String) {
    let mut rng = Rng(seed);
    let mut customers = 0u64;
    let mut orders = 0u64;
    let mut active: Vec<Order> = Vec::new();
    let mut clock_ms: u64 = 1_772_366_400_000; // 2026-03-01T12:00:00Z
    for n in 0..events {
        clock_ms += 50 + rng.below(400);
        let time = crate::fields::format_rfc3339(clock_ms as f64);
        let correlation = rng.next_u64() & 0xFFFF_FFFF;
        let (kind, stream, data) = if customers == 0 || (rng.chance(6) && active.len() > 8) {
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
            )
        } else if active.len() < 40 || rng.chance(25) {
            orders += 1;
            let customer = 1 + rng.below(customers);
            active.push(Order {
                id: orders,
                skus: Vec::new(),
                stage: 0,
            });
            (
                "OrderPlaced",
                format!("order-{orders:07}"),
                format!(
                    r#"{{"customer":"customer-{customer:06}","status":"placed","currency":"EUR","lines":{{}},"total":0}}"#
                ),
            )
        } else {
            order_event(&mut rng, &mut active, &time)
        };
        let _ = writeln!(
            out,
            r#"{{"id":"evt-{n:08}","type":"{kind}","stream":"{stream}","time":"{time}","data":{data},"metadata":{{"correlationId":"c-{correlation:08x}","userId":"u-{}"}}}}"#,
            1 + rng.below(50)
        );
    }
}

/// The next event of one of the `active` orders, picked at random: an item added or
/// removed, or the order cancelled, paid or shipped (the last two end it).
fn order_event(
    rng: &mut Rng,
    active: &mut Vec<Order>,
    time: &str,
) -> (&'static str, String, String) {
    let i = rng.below(active.len() as u64) as usize;
    let o = &mut active[i];
    let stream = format!("order-{:07}", o.id);
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
        )
    } else if o.stage == 0 && roll < 62 && o.skus.len() > 1 {
        let sku = o.skus.remove(0);
        (
            "ItemRemoved",
            stream,
            format!(r#"{{"lines":{{"SKU-{sku:04}":null}}}}"#),
        )
    } else if o.stage == 0 && roll < 67 {
        let o = active.swap_remove(i);
        (
            "OrderCancelled",
            format!("order-{:07}", o.id),
            r#"{"status":"cancelled","reason":"customer request"}"#.to_string(),
        )
    } else if o.stage == 0 {
        o.stage = 1;
        (
            "OrderPaid",
            stream,
            format!(r#"{{"status":"paid","paidAt":"{time}","method":"card"}}"#),
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
        )
    }
}

#[cfg(test)]
mod tests {
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

//! The progress bar of a log loading: what is being done (reading the file, folding the
//! events), how far it is, and a button to cancel.

use yew::prelude::*;

use crate::protocol::Progress;
use crate::state::Loading;

/// Props of [`ProgressBar`].
#[derive(Properties, PartialEq)]
pub struct ProgressBarProps {
    /// The load.
    pub loading: Loading,
    /// Events of the log's start already shown, while the rest loads.
    #[prop_or_default]
    pub shown: Option<usize>,
    /// Stops loading.
    pub oncancel: Callback<()>,
}

/// `n` with thousands separated by commas.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The bar, its words and the Cancel button.
#[function_component(ProgressBar)]
pub fn progress_bar(props: &ProgressBarProps) -> Html {
    let name = &props.loading.name;
    let mb = |b: u64| grouped((b + 500_000) / 1_000_000);
    let share = |done: u64, total: u64| done as f64 / total.max(1) as f64;
    let (what, value) = match props.loading.progress {
        // Reading is the first fifth of the work, folding the rest.
        Some(Progress::Reading {
            bytes_read,
            file_bytes,
        }) => (
            format!(
                "Reading {name}: {} of {} MB",
                mb(bytes_read),
                mb(file_bytes)
            ),
            0.2 * share(bytes_read, file_bytes),
        ),
        Some(Progress::Folding {
            events_folded,
            events,
        }) => (
            format!(
                "Folding {name}: {} of {} events",
                grouped(events_folded),
                grouped(events)
            ),
            0.2 + 0.8 * share(events_folded, events),
        ),
        Some(Progress::Streaming {
            bytes_read,
            file_bytes,
            events_read,
        }) => (
            format!(
                "Loading {name}: {} of {} MB, {} events read",
                mb(bytes_read),
                mb(file_bytes),
                grouped(events_read)
            ),
            share(bytes_read, file_bytes),
        ),
        None => (format!("Opening {name}…"), 0.0),
    };
    let percent = (value * 100.0).round() as u32;
    // In thousandths, written by hand: formatting an `f64` would add 8 KiB to the page.
    let permille = (value.clamp(0.0, 1.0) * 1000.0).round() as u32;
    let oncancel = props.oncancel.reform(|_: MouseEvent| ());
    html! {
        <div class="progress" role="status">
            <div class="progress-words">
                <span>{ what.clone() }</span>
                if let Some(n) = props.shown {
                    <span class="muted">{ format!(" · the first {} are on screen", grouped(n as u64)) }</span>
                }
            </div>
            <div class="progress-track" role="progressbar" aria-label="Loading" aria-valuemin="0" aria-valuemax="100"
                aria-valuenow={percent.to_string()} aria-valuetext={what}>
                <div class="progress-fill" style={format!("transform: scaleX({}.{:03})", permille / 1000, permille % 1000)}></div>
            </div>
            <button type="button" class="button small" onclick={oncancel}>{ "Cancel" }</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}

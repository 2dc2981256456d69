//! Where the rows of a virtualised list go: which rows to draw for a scroll position, and
//! the scroll position that shows a row. A list taller than browsers allow maps its
//! scroll range onto the rows proportionally.

/// Height of one row in CSS pixels (the stylesheet uses the same).
pub const ROW_PX: f64 = 24.0;
/// Tallest scroll area used; longer lists map the scroll position proportionally, since
/// browsers cap element heights (Firefox near 17.9 million pixels).
pub const MAX_SCROLL_PX: f64 = 4_000_000.0;
/// Rows rendered beyond those in view.
const OVERSCAN: usize = 6;

/// The height of the scrolled area of a list of `count` rows.
pub fn scroll_height(count: usize) -> f64 {
    (count as f64 * ROW_PX).min(MAX_SCROLL_PX)
}

/// The largest scroll position of a list of `count` rows in a viewport `view_px` tall.
pub fn max_scroll(count: usize, view_px: f64) -> f64 {
    (scroll_height(count) - view_px).max(0.0)
}

/// True when a list of `count` rows is taller than [`MAX_SCROLL_PX`]: its scroll range
/// then maps onto the rows proportionally.
fn capped(count: usize) -> bool {
    count as f64 * ROW_PX > MAX_SCROLL_PX
}

/// Rows a capped list's scroll range covers, to a fraction of a row: at the end of the
/// range, this many rows are above the viewport. [`window`] and [`scroll_for`] both map
/// through it, so that one undoes the other.
fn scrolled_rows(count: usize, view_px: f64) -> f64 {
    (count as f64 - view_px / ROW_PX).max(0.0)
}

/// Which rows to draw for a scroll position: the first index, the end, and where the first
/// row goes (its top, in the scrolled area's pixels).
pub fn window(count: usize, scroll_top: f64, view_px: f64) -> (usize, usize, f64) {
    let visible = (view_px / ROW_PX).ceil() as usize + 1;
    if !capped(count) {
        let first = ((scroll_top / ROW_PX).floor() as usize).min(count);
        (
            first,
            (first + visible + OVERSCAN).min(count),
            first as f64 * ROW_PX,
        )
    } else {
        // The scroll range maps onto the rows proportionally, to a fraction of a row: at
        // its end, the last row ends at the viewport's bottom.
        let fraction = (scroll_top / max_scroll(count, view_px).max(1.0)).clamp(0.0, 1.0);
        let exact = scrolled_rows(count, view_px) * fraction;
        let first = (exact.floor() as usize).min(count);
        (
            first,
            (first + visible + OVERSCAN).min(count),
            scroll_top - (exact - first as f64) * ROW_PX,
        )
    }
}

/// The scroll position that shows row `index` at the top, or as near as the list scrolls
/// (the last rows cannot be at the top).
pub fn scroll_for(count: usize, index: usize, view_px: f64) -> f64 {
    let max = max_scroll(count, view_px);
    let top = if capped(count) {
        index as f64 / scrolled_rows(count, view_px).max(1.0) * max
    } else {
        index as f64 * ROW_PX
    };
    top.clamp(0.0, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_list_scrolls_row_by_row() {
        let (first, last, top) = window(100, 240.0, 480.0);
        assert_eq!(first, 10);
        assert!(last > first + 20 && last <= 100);
        assert_eq!(top, 240.0);
        assert_eq!(scroll_for(100, 10, 480.0), 240.0);
    }

    /// Rows `index` down to the viewport's bottom are drawn, and the window's rows land
    /// in view (no gap at the top) when the list is scrolled for `index`.
    fn assert_shows(count: usize, index: usize, view: f64) {
        let top = scroll_for(count, index, view);
        assert!(top <= max_scroll(count, view), "{top} scrolls past the end");
        let (first, last, first_top) = window(count, top, view);
        assert!(
            first <= index && index < last,
            "row {index} not in {first}..{last}"
        );
        assert!(
            first_top <= top + 0.5,
            "a gap above the first row: {first_top} > {top}"
        );
        let row_top = first_top + (index - first) as f64 * ROW_PX;
        assert!(
            row_top + ROW_PX <= top + view + 0.5,
            "row {index} below the viewport"
        );
        let bottom = first_top + (last - first) as f64 * ROW_PX;
        assert!(
            bottom >= top + view - 0.5,
            "rows end above the viewport's bottom"
        );
    }

    #[test]
    fn the_last_rows_show_in_short_and_capped_lists() {
        for count in [100, 1_000_000] {
            for index in [0, 1, count / 2, count - 20, count - 2, count - 1] {
                assert_shows(count, index, 390.0);
                assert_shows(count, index, 480.0);
            }
        }
    }

    #[test]
    fn a_million_rows_fit_in_a_capped_scroll_area_and_reach_the_end() {
        let n = 1_000_000;
        assert!(n as f64 * ROW_PX > MAX_SCROLL_PX);
        let (first, last, _) = window(n, MAX_SCROLL_PX - 480.0, 480.0);
        assert_eq!(last, n);
        assert!(first > n - 40);
        let (first, _, _) = window(n, scroll_for(n, 500_000, 480.0), 480.0);
        assert!((first as i64 - 500_000).abs() <= 1, "{first}");
    }
}

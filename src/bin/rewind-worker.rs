//! The page's worker (a module of its own, so that the page's module carries no loading
//! or folding code and this one no UI): it holds the log and answers the page.

use wasm_bindgen::JsCast;

fn main() {
    rewind_web::worker::run(js_sys::global().unchecked_into());
}

//! Starts Rewind. The same module runs twice: as the page (the Yew app) and as the
//! page's worker (which holds the log); the global scope says which.

use wasm_bindgen::JsCast;

fn main() {
    match js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() {
        Ok(scope) => rewind_web::worker::run(scope),
        Err(_) => {
            yew::Renderer::<rewind_web::app::App>::new().render();
        }
    }
}

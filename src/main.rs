//! Mounts the Rewind app on the page; everything else lives in the library. The log is
//! loaded and kept by workers running `src/bin/rewind-worker.rs`.

fn main() {
    yew::Renderer::<rewind_web::app::App>::new().render();
}

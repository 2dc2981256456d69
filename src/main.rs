//! Mounts the Rewind app on the page; everything else lives in the library.

fn main() {
    yew::Renderer::<rewind_web::app::App>::new().render();
}

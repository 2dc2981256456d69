//! Saving text as a file the person downloads: a Blob and an object URL, so nothing goes
//! over the network.

use wasm_bindgen::JsCast;

/// Offers `text` for download as `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not make the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "no object URL".to_string())?;
    let document = gloo::utils::document();
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no anchor".to_string())?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Give the browser time to start the download before the URL is released.
    gloo::timers::callback::Timeout::new(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// A file offered for download, whose text the worker writes.
#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    /// Asks the worker for the file's text.
    pub request: rewind_session::Request,
    /// The file's name.
    pub file_name: String,
    /// Its media type.
    pub mime: &'static str,
}

/// Asks the worker for an [`Export`]'s text, then offers it for download; what goes wrong
/// is said in an alert. The callback is the same for the page's lifetime.
#[yew::hook]
pub fn use_export(
    backend: &crate::backend::Backend,
    dispatch: &yew::Callback<crate::state::Action>,
) -> yew::Callback<Export> {
    use rewind_session::Reply;
    let (backend, dispatch) = (backend.clone(), dispatch.clone());
    let callback = yew::use_memo((), move |_| {
        yew::Callback::from(move |export: Export| {
            let dispatch = dispatch.clone();
            let report = move |r: Result<(), String>| {
                if let Err(e) = r {
                    dispatch.emit(crate::state::Action::Failed {
                        message: Some(format!("Could not export: {e}")),
                        after: crate::protocol::After::Kept,
                    });
                }
            };
            let Export {
                request,
                file_name,
                mime,
            } = export;
            backend.ask(request, move |reply| match reply {
                Reply::Text(Some(text)) => report(download(&file_name, mime, &text)),
                Reply::Error(e) => report(Err(e)),
                _ => report(Err("nothing to export".into())),
            });
        })
    });
    (*callback).clone()
}

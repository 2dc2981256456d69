//! Browser unit tests (wasm-bindgen-test in headless Chromium): components rendered into a
//! real DOM and read back as a person would see them.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use rewind_session::{FieldChoices, FieldNames};
use rewind_web::components::alert::{Alert, AlertProps, Tone};
use rewind_web::components::fields_dialog::{FieldsDialog, FieldsDialogProps};
use rewind_web::components::json_text::{JsonText, JsonTextProps};
use rewind_web::components::settled::{Settled, SettledProps};
use rewind_web::components::timeline::{Timeline, TimelineProps};
use rewind_web::time_control::TimeControl;
use wasm_bindgen_test::*;
use yew::{html, AttrValue, Callback};

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::Element {
    let document = gloo::utils::document();
    let div = document.create_element("div").expect("create div");
    gloo::utils::body().append_child(&div).expect("append div");
    div
}

async fn rendered() {
    yew::platform::time::sleep(Duration::from_millis(10)).await;
}

#[wasm_bindgen_test]
async fn timeline_reads_event_p_of_n_and_labels_its_slider() {
    let root = container();
    let props = yew::props!(TimelineProps {
        time: TimeControl::opened(14),
        event_type: Some(AttrValue::from("OrderPlaced")),
        oncommand: Callback::noop(),
    });
    yew::Renderer::<Timeline>::with_root_and_props(root.clone(), props).render();
    rendered().await;
    let output = root
        .query_selector("output")
        .expect("query")
        .expect("output element");
    assert_eq!(output.text_content().as_deref(), Some("Event 1 of 14"));
    let slider = root
        .query_selector("input[type=range]")
        .expect("query")
        .expect("slider");
    assert_eq!(
        slider.get_attribute("aria-label").as_deref(),
        Some("Timeline")
    );
    assert_eq!(slider.get_attribute("max").as_deref(), Some("14"));
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("OrderPlaced"));
}

#[wasm_bindgen_test]
async fn alert_has_role_alert_and_its_button_dismisses() {
    let root = container();
    let dismissed = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = dismissed.clone();
    let props = AlertProps {
        message: AttrValue::from("Could not open x.txt: not an event log"),
        tone: Tone::Error,
        ondismiss: Callback::from(move |_| flag.set(true)),
    };
    yew::Renderer::<Alert>::with_root_and_props(root.clone(), props).render();
    rendered().await;
    let alert = root
        .query_selector("[role=alert]")
        .expect("query")
        .expect("alert element");
    assert!(alert
        .text_content()
        .unwrap_or_default()
        .contains("not an event log"));
    let button: web_sys::HtmlElement = root
        .query_selector("button")
        .expect("query")
        .expect("dismiss button")
        .dyn_into_html();
    button.click();
    assert!(dismissed.get());
}

#[wasm_bindgen_test]
async fn json_text_shows_markup_in_payloads_as_text() {
    let root = container();
    let props = JsonTextProps {
        json: AttrValue::from(r#"{"x": "<b>bold</b>"}"#),
    };
    yew::Renderer::<JsonText>::with_root_and_props(root.clone(), props).render();
    rendered().await;
    assert!(
        root.query_selector("b").expect("query").is_none(),
        "payload must not become markup"
    );
    let pre = root.query_selector("pre").expect("query").expect("pre");
    assert_eq!(
        pre.text_content().as_deref(),
        Some(r#"{"x": "<b>bold</b>"}"#)
    );
}

#[wasm_bindgen_test]
async fn settled_draws_at_once_or_once_the_position_rests() {
    let root = container();
    let props = |lagging: bool, rest_key: i64, text: &str| SettledProps {
        lagging,
        rest_key,
        children: html! { <p>{ text.to_string() }</p> },
    };
    let shown = || root.text_content().unwrap_or_default();
    let mut app =
        yew::Renderer::<Settled>::with_root_and_props(root.clone(), props(true, 1, "a")).render();
    rendered().await;
    assert_eq!(shown(), "a");
    // While lagging, a new position shows only once it has rested...
    app.update(props(true, 2, "b"));
    rendered().await;
    assert_eq!(shown(), "a", "position 2 has not rested yet");
    // ...however often the page draws again meanwhile with the same position...
    for text in ["c", "c1", "c2", "c3", "c4"] {
        app.update(props(true, 3, text));
        yew::platform::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(shown(), "c4", "position 3 rested");
    // ...and other changes at the same position show at once.
    app.update(props(true, 3, "c5"));
    rendered().await;
    assert_eq!(shown(), "c5");
    // Not lagging: at once.
    app.update(props(false, 4, "d"));
    rendered().await;
    assert_eq!(shown(), "d");
}

#[wasm_bindgen_test]
async fn the_fields_dialog_offers_the_keys_found_and_applies_the_ones_chosen() {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::JsCast;

    let root = container();
    let applied: Rc<RefCell<Vec<FieldNames>>> = Rc::default();
    let props = FieldsDialogProps {
        choices: FieldChoices {
            keys: vec![
                "body2".into(),
                "body2.n".into(),
                "entity".into(),
                "kind".into(),
            ],
            in_use: FieldNames {
                kind: Some("kind".into()),
                ..FieldNames::default()
            },
            detected: FieldNames {
                kind: Some("kind".into()),
                ..FieldNames::default()
            },
            chosen: FieldNames::default(),
            fixed: None,
        },
        onapply: {
            let applied = applied.clone();
            Callback::from(move |f| applied.borrow_mut().push(f))
        },
        flow_keys: Default::default(),
        onflowkeys: Callback::noop(),
    };
    yew::Renderer::<FieldsDialog>::with_root_and_props(root.clone(), props).render();
    rendered().await;
    let query = |css: &str| root.query_selector(css).expect("query");
    let dialog = query("dialog")
        .expect("a dialog")
        .unchecked_into::<web_sys::HtmlDialogElement>();
    assert!(!dialog.open());
    let button = query("button").expect("the Fields button").dyn_into_html();
    assert_eq!(button.text_content().as_deref(), Some("Fields"));
    button.click();
    rendered().await;
    assert!(dialog.open());
    // Each field is a labelled choice: automatic (saying what detection picked), every
    // key found, or a typed path; it says which key is in use.
    let select = |id: &str| {
        query(&format!("#field-{id}"))
            .expect("select")
            .unchecked_into::<web_sys::HtmlSelectElement>()
    };
    for (id, label) in [
        ("type", "Type"),
        ("stream", "Stream"),
        ("time", "Time"),
        ("data", "Data"),
    ] {
        let label_el = query(&format!("label[for=field-{id}]")).expect("a label");
        assert_eq!(label_el.text_content().as_deref(), Some(label));
        let options: Vec<String> = (0..select(id).length())
            .filter_map(|i| select(id).item(i))
            .filter_map(|o| o.text_content())
            .collect();
        assert_eq!(options[1..5], ["body2", "body2.n", "entity", "kind"]);
        assert_eq!(
            options.last().map(String::as_str),
            Some("Other: type a path…")
        );
    }
    assert_eq!(
        select("type")
            .item(0)
            .and_then(|o| o.text_content())
            .as_deref(),
        Some("Automatic (kind)")
    );
    assert_eq!(
        select("stream")
            .item(0)
            .and_then(|o| o.text_content())
            .as_deref(),
        Some("Automatic (none found)")
    );
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("Now read from “kind”"), "{text}");

    let choose = |id: &str, value: &str| {
        let s = select(id);
        s.set_value(value);
        s.dispatch_event(&web_sys::Event::new("change").expect("event"))
            .expect("dispatch");
    };
    choose("stream", "entity");
    rendered().await;
    choose("data", "\u{1}other");
    rendered().await;
    let path = query("#field-data-path")
        .expect("a text box for the path")
        .unchecked_into::<web_sys::HtmlInputElement>();
    assert_eq!(
        path.get_attribute("aria-label").as_deref(),
        Some("Data key path")
    );
    path.set_value(" body2.n ");
    path.dispatch_event(&web_sys::InputEvent::new("input").expect("event"))
        .expect("dispatch");
    rendered().await;
    query("button[type=submit]")
        .expect("Apply")
        .dyn_into_html()
        .click();
    rendered().await;
    assert!(!dialog.open());
    assert_eq!(
        *applied.borrow(),
        [FieldNames {
            stream: Some("entity".into()),
            data: Some("body2.n".into()),
            ..FieldNames::default()
        }]
    );
    // Cancel changes nothing.
    button.click();
    rendered().await;
    choose("type", "entity");
    query("dialog .dialog-buttons button[type=button]")
        .expect("Cancel")
        .dyn_into_html()
        .click();
    rendered().await;
    assert!(!dialog.open());
    assert_eq!(applied.borrow().len(), 1);
}

trait IntoHtml {
    fn dyn_into_html(self) -> web_sys::HtmlElement;
}

impl IntoHtml for web_sys::Element {
    fn dyn_into_html(self) -> web_sys::HtmlElement {
        use wasm_bindgen::JsCast;
        self.unchecked_into()
    }
}

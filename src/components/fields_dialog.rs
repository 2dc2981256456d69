//! The **Fields** button and its dialog: which keys of the log's events hold the type,
//! stream, time and data. Each is chosen among the keys the events have (as the core
//! gathered them), left automatic, or typed as a dotted path; the dialog shows which key
//! each field is read from now. Applying a change asks for the log to be read again.

use rewind_session::{FieldChoices, FieldNames};
use web_sys::{HtmlDialogElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The select's value for "type a path".
const OTHER: &str = "\u{1}other";

/// Props of [`FieldsDialog`].
#[derive(Properties, PartialEq)]
pub struct FieldsDialogProps {
    /// The keys found in the log, those in use, those detected and those chosen.
    pub choices: FieldChoices,
    /// Hears the keys chosen, when they differ from those the log was read with.
    pub onapply: Callback<FieldNames>,
    /// Where events name their correlation and causation (`None`: the conventions).
    #[prop_or_default]
    pub flow_keys: rewind_core::FlowKeys,
    /// Takes other keys of correlation and causation (no need to read the log again).
    #[prop_or_default]
    pub onflowkeys: Callback<rewind_core::FlowKeys>,
}

/// One field of the dialog.
struct Field {
    /// `type`, `stream`…: in element ids.
    id: &'static str,
    label: &'static str,
    /// What the field is, for the line under it.
    what: &'static str,
    /// Where the log is when no key is found.
    without: &'static str,
}

const FIELDS: [Field; 4] = [
    Field {
        id: "type",
        label: "Type",
        what: "the event's name",
        without: "events show as (untyped)",
    },
    Field {
        id: "stream",
        label: "Stream",
        what: "the entity it belongs to",
        without: "events change the whole state",
    },
    Field {
        id: "time",
        label: "Time",
        what: "when it happened",
        without: "events have no time",
    },
    Field {
        id: "data",
        label: "Data",
        what: "what is folded into state",
        without: "events change nothing",
    },
];

fn slots(names: &FieldNames) -> [Option<String>; 4] {
    [
        names.kind.clone(),
        names.stream.clone(),
        names.time.clone(),
        names.data.clone(),
    ]
}

fn names(slots: &[Option<String>; 4]) -> FieldNames {
    let [kind, stream, time, data] = slots.clone();
    trimmed(FieldNames {
        kind,
        stream,
        time,
        data,
    })
}

/// `names` as applied: keys without surrounding spaces, a blank one automatic.
fn trimmed(names: FieldNames) -> FieldNames {
    let t = |k: Option<String>| {
        k.map(|k| k.trim().to_string())
            .filter(|k: &String| !k.is_empty())
    };
    FieldNames {
        kind: t(names.kind),
        stream: t(names.stream),
        time: t(names.time),
        data: t(names.data),
    }
}

/// A draft of the four choices: the key (or path) of each, and whether it is typed.
#[derive(Clone, PartialEq, Default)]
struct Draft {
    keys: [Option<String>; 4],
    typed: [bool; 4],
}

impl Draft {
    /// The draft showing `chosen`: a key not among those found is a typed path.
    fn of(choices: &FieldChoices) -> Self {
        let keys = slots(&choices.chosen);
        let typed = keys
            .clone()
            .map(|k| k.is_some_and(|k| !choices.keys.contains(&k)));
        Draft { keys, typed }
    }
}

/// What a field is read from now: the key in use, and the key detection picks.
struct Now<'a> {
    in_use: Option<&'a str>,
    detected: Option<&'a str>,
}

/// The row of field `i` of the dialog: a select among the `keys` found (or automatic, or
/// a typed path), the path box when typing, and a line saying what the field is read
/// from now.
fn field_row(
    i: usize,
    field: &Field,
    draft: &UseStateHandle<Draft>,
    keys: &[String],
    now: Now,
) -> Html {
    let select_id = format!("field-{}", field.id);
    let path_id = format!("field-{}-path", field.id);
    let note_id = format!("field-{}-note", field.id);
    let key = draft.keys[i].clone();
    let typed = draft.typed[i];
    let onselect = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            let mut next = (*draft).clone();
            next.typed[i] = value == OTHER;
            next.keys[i] = match value.as_str() {
                "" => None,
                OTHER => next.keys[i].clone(),
                _ => Some(value),
            };
            draft.set(next);
        })
    };
    let onpath = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = (*draft).clone();
            next.keys[i] = Some(input.value());
            draft.set(next);
        })
    };
    let automatic = match now.detected {
        Some(k) => format!("Automatic ({k})"),
        None => "Automatic (none found)".to_string(),
    };
    let selected_key = if typed { None } else { key.clone() };
    let note = match (now.in_use, &key) {
        (Some(k), _) => format!("Now read from “{k}”: {}.", field.what),
        (None, Some(k)) if !k.trim().is_empty() => {
            format!(
                "“{}” is in none of the events looked at: {}.",
                k.trim(),
                field.without
            )
        }
        (None, _) => format!("No key found: {}.", field.without),
    };
    html! {
        <div class="field-row">
            <label for={select_id.clone()}>{ field.label }</label>
            <div class="field-choice">
                <select id={select_id} onchange={onselect} aria-describedby={note_id.clone()}>
                    <option value="" selected={key.is_none() && !typed}>{ automatic }</option>
                    { for keys.iter().map(|k| html! {
                        <option value={k.clone()} selected={selected_key.as_ref() == Some(k)}>{ k.clone() }</option>
                    }) }
                    <option value={OTHER} selected={typed}>{ "Other: type a path…" }</option>
                </select>
                if typed {
                    <input id={path_id} type="text" class="field-path" value={key.clone().unwrap_or_default()}
                        oninput={onpath} placeholder="a key, or a dotted path: detail.orderId"
                        aria-label={format!("{} key path", field.label)} />
                }
                <p id={note_id} class="muted field-note">{ note }</p>
            </div>
        </div>
    }
}

/// "Fields" and the dialog it opens.
#[function_component(FieldsDialog)]
pub fn fields_dialog(props: &FieldsDialogProps) -> Html {
    let dialog = use_node_ref();
    let draft = use_state(Draft::default);
    // Counts openings: the form is drawn afresh each time, showing the choices as they are.
    let opened = use_state(|| 0u32);
    let choices = &props.choices;

    let onopen = {
        let dialog = dialog.clone();
        let draft = draft.clone();
        let opened = opened.clone();
        let choices = choices.clone();
        Callback::from(move |_: MouseEvent| {
            draft.set(Draft::of(&choices));
            opened.set(*opened + 1);
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                let _ = d.show_modal();
            }
        })
    };
    let close = {
        let dialog = dialog.clone();
        move || {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                d.close();
            }
        }
    };
    let oncancel = {
        let close = close.clone();
        Callback::from(move |_: MouseEvent| close())
    };
    let correlation = use_node_ref();
    let causation = use_node_ref();
    let onsubmit = {
        let draft = draft.clone();
        let chosen = choices.chosen.clone();
        let onapply = props.onapply.clone();
        let (correlation, causation) = (correlation.clone(), causation.clone());
        let (flow_keys, onflowkeys) = (props.flow_keys.clone(), props.onflowkeys.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            close();
            let key = |r: &NodeRef| {
                r.cast::<web_sys::HtmlInputElement>()
                    .map(|i| i.value().trim().to_string())
                    .filter(|v| !v.is_empty())
            };
            let keys = rewind_core::FlowKeys {
                correlation: key(&correlation),
                causation: key(&causation),
            };
            if keys != flow_keys {
                onflowkeys.emit(keys);
            }
            let picked = names(&draft.keys);
            if picked != trimmed(chosen.clone()) {
                onapply.emit(picked);
            }
        })
    };

    let in_use = slots(&choices.in_use);
    let detected = slots(&choices.detected);
    let rows = FIELDS.iter().enumerate().map(|(i, field)| {
        let now = Now {
            in_use: in_use[i].as_deref(),
            detected: detected[i].as_deref(),
        };
        field_row(i, field, &draft, &choices.keys, now)
    });

    html! {
        <>
            <button type="button" class="button small" onclick={onopen} aria-haspopup="dialog">{ "Fields" }</button>
            <dialog ref={dialog} class="fields-dialog" aria-labelledby="fields-title">
                <form key={*opened} {onsubmit}>
                    <h2 id="fields-title">{ "Fields" }</h2>
                    <p class="muted">{ "Which key of each event holds its type, stream, time and data. “Automatic” takes the first of the usual names; a dotted path reaches one level down." }</p>
                    { for rows }
                    <h3>{ "Flows" }</h3>
                    <p class="muted">{ "Which key names the flow an event belongs to (its correlation) and the id of the event that caused it (its causation), in the event's metadata or at its top level. Empty takes the usual names: $correlationId, correlation_id, CorrelationId, NServiceBus.ConversationId, traceparent… and $causationId, causation_id, CausationId, NServiceBus.RelatedTo…" }</p>
                    <div class="field-row">
                        <label for="flow-correlation">{ "Correlation key" }</label>
                        <input id="flow-correlation" type="text" ref={correlation} placeholder="Automatic"
                            value={props.flow_keys.correlation.clone().unwrap_or_default()} />
                    </div>
                    <div class="field-row">
                        <label for="flow-causation">{ "Causation key" }</label>
                        <input id="flow-causation" type="text" ref={causation} placeholder="Automatic"
                            value={props.flow_keys.causation.clone().unwrap_or_default()} />
                    </div>
                    <div class="dialog-buttons">
                        <button type="button" class="button" onclick={oncancel}>{ "Cancel" }</button>
                        <button type="submit" class="button primary">{ "Apply" }</button>
                    </div>
                </form>
            </dialog>
        </>
    }
}

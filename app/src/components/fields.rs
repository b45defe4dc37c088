//! Form fields: a visible label, the input, and the API's problems about it right below, tied
//! to the input for screen readers.

use super::errors::problems_for;
use domain::Error;
use leptos::prelude::*;

const INPUT: &str = "rounded-lg border border-slate-300 px-3 py-3 text-base aria-[invalid=true]:border-red-600";

/// The problems under a field, and whether there are any.
fn field_problems(error: Signal<Option<Error>>, name: &'static str) -> (Signal<Vec<String>>, Signal<bool>) {
    let problems = Signal::derive(move || error.get().map(|e| problems_for(&e, name)).unwrap_or_default());
    (problems, Signal::derive(move || !problems.get().is_empty()))
}

#[component]
fn Problems(id: String, problems: Signal<Vec<String>>) -> impl IntoView {
    view! {
        <span id=id class="text-sm font-normal text-red-800">
            {move || problems.get().into_iter().map(|p| view! { <span class="block">{p}</span> }).collect_view()}
        </span>
    }
}

/// A labelled input: one line, or several with `multiline`.
#[component]
pub fn Field(
    label: String,
    name: &'static str,
    /// The error of the form's last submission, if any.
    #[prop(into)]
    error: Signal<Option<Error>>,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] pattern: Option<&'static str>,
    #[prop(optional)] value: Option<String>,
    #[prop(optional)] required: bool,
    /// Names the field's problems, when two forms of a page have a field of the same name.
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    let (problems, invalid) = field_problems(error, name);
    let described = format!("{}-problems", id.unwrap_or(name));
    let common = view! {
        <{..}
            name=name
            id=id
            required=required
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=described.clone()
            class=INPUT
        />
    };
    let control = if multiline {
        // A textarea's value is its text, not an attribute.
        view! { <textarea {..common} rows="3">{value}</textarea> }.into_any()
    } else {
        view! {
            <input {..common} type=kind.unwrap_or("text") autocomplete=autocomplete inputmode=inputmode pattern=pattern value=value />
        }
        .into_any()
    };
    view! {
        <label class="grid content-start gap-1 text-sm font-medium">
            {label}
            {control}
            <Problems id=described problems />
        </label>
    }
}

/// A labelled choice of one of `options` (value, words), with "Any" (the empty value) first.
#[component]
pub fn Choice(
    label: &'static str,
    name: &'static str,
    options: Vec<(String, String)>,
    /// The value chosen now; `None` or empty: "Any".
    #[prop(optional)]
    selected: Option<String>,
    #[prop(into)] error: Signal<Option<Error>>,
) -> impl IntoView {
    let (problems, invalid) = field_problems(error, name);
    let described = format!("{name}-problems");
    let chosen = selected.unwrap_or_default();
    view! {
        <label class="grid content-start gap-1 text-sm font-medium">
            {label}
            <select name=name id=name aria-invalid=move || invalid.get().to_string() aria-describedby=described.clone() class=INPUT>
                <option value="" selected=chosen.is_empty()>"Any"</option>
                {options.into_iter().map(|(value, words)| {
                    let on = value == chosen;
                    view! { <option value=value selected=on>{words}</option> }
                }).collect_view()}
            </select>
            <Problems id=described problems />
        </label>
    }
}

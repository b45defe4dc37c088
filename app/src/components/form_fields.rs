//! Fields drawn from a form's description ([`domain::tasks::form`]): each with a visible label,
//! its hint, and the API's problems about its key right below it. Inputs are named
//! `form[<key>]`, so a server function taking `form: FormValues` gets them all.

use super::errors::problems_for;
use domain::Error;
use domain::tasks::form::{FormField, FormValues, Input, option_text, row_count};
use leptos::prelude::*;

const INPUT: &str = "rounded-lg border border-slate-300 px-3 py-3 text-base aria-[invalid=true]:border-red-600";

/// The form's fields, in one column on a phone and two on a wide screen (text boxes and groups
/// take the whole row).
#[component]
pub fn FormFields(
    fields: Vec<FormField>,
    values: FormValues,
    #[prop(into)] error: Signal<Option<Error>>,
) -> impl IntoView {
    let values = StoredValue::new(values);
    view! {
        <div class="grid gap-4 md:grid-cols-2">
            {fields.into_iter().map(|f| {
                let key = f.key.clone();
                field_view(f, key, values, error, false)
            }).collect_view()}
        </div>
    }
}

/// Every key a list of fields posts problems under, for the notice that shows the rest.
pub fn field_keys(fields: &[FormField]) -> Vec<String> {
    fields.iter().map(|f| f.key.clone()).collect()
}

fn dom_id(key: &str) -> String {
    format!("f-{}", key.replace('/', "-"))
}

fn name_of(key: &str) -> String {
    format!("form[{key}]")
}

fn problems_view(id: String, key: String, error: Signal<Option<Error>>) -> impl IntoView {
    shown_problems(id, key, error, false)
}

/// A group's or a list's own problems: those about one of its fields show beside that field.
fn own_problems(id: String, key: String, error: Signal<Option<Error>>) -> impl IntoView {
    shown_problems(id, key, error, true)
}

fn shown_problems(id: String, key: String, error: Signal<Option<Error>>, own: bool) -> impl IntoView {
    let inner = format!("/{key}/");
    view! {
        <span id=id class="text-sm font-normal text-red-800">
            {move || error.get().map(|e| problems_for(&e, &key)).unwrap_or_default().into_iter()
                .filter(|p| !(own && p.starts_with(&inner)))
                .map(|p| view! { <span class="block">{p}</span> }).collect_view()}
        </span>
    }
}

/// One field at `key` (a row's field: the row's key and its own). `in_row`: the row may be
/// left empty, so nothing in it is required of the browser.
fn field_view(
    f: FormField,
    key: String,
    values: StoredValue<FormValues>,
    error: Signal<Option<Error>>,
    in_row: bool,
) -> AnyView {
    let id = dom_id(&key);
    let value = values.with_value(|v| v.get(&key).cloned().unwrap_or_default());
    let problems_id = format!("{id}-problems");
    let help_id = format!("{id}-help");
    let described = format!("{help_id} {problems_id}");
    let key_for_invalid = key.clone();
    let invalid = move || error.get().is_some_and(|e| !problems_for(&e, &key_for_invalid).is_empty()).to_string();
    let required = f.required && !in_row;
    let help = f
        .help
        .clone()
        .map(|h| view! { <span id=help_id.clone() class="text-xs font-normal text-slate-500">{h}</span> });
    let label = f.label.clone();
    let wide = "md:col-span-2";
    match f.input {
        Input::Hidden => view! { <input type="hidden" name=name_of(&key) value=value /> }.into_any(),
        Input::Text { max_length, multiline, url } => {
            let control = if multiline {
                view! { <textarea id=id name=name_of(&key) rows="4" maxlength=max_length required=required aria-invalid=invalid aria-describedby=described class=INPUT>{value}</textarea> }.into_any()
            } else {
                let kind = if url { "url" } else { "text" };
                view! { <input id=id type=kind name=name_of(&key) value=value maxlength=max_length required=required aria-invalid=invalid aria-describedby=described class=INPUT /> }.into_any()
            };
            view! {
                <label class=format!("grid content-start gap-1 text-sm font-medium {}", if multiline { wide } else { "" })>
                    {label} {help} {control} {problems_view(problems_id, key, error)}
                </label>
            }.into_any()
        }
        Input::Lines { .. } => view! {
            <label class=format!("grid content-start gap-1 text-sm font-medium {wide}")>
                {label} {help}
                <textarea id=id name=name_of(&key) rows="3" aria-invalid=invalid aria-describedby=described class=INPUT>{value}</textarea>
                {problems_view(problems_id, key, error)}
            </label>
        }.into_any(),
        Input::Number { min, max, integer } => view! {
            <label class="grid content-start gap-1 text-sm font-medium">
                {label} {help}
                <input id=id type="number" name=name_of(&key) value=value min=min max=max step=if integer { "1" } else { "any" }
                    inputmode=if integer { "numeric" } else { "decimal" } required=required aria-invalid=invalid aria-describedby=described class=INPUT />
                {problems_view(problems_id, key, error)}
            </label>
        }.into_any(),
        Input::DateTime => view! {
            <label class="grid content-start gap-1 text-sm font-medium">
                {label} {help}
                <input id=id type="datetime-local" name=name_of(&key) value=value required=required aria-invalid=invalid aria-describedby=described class=INPUT />
                {problems_view(problems_id, key, error)}
            </label>
        }.into_any(),
        Input::Choice { options } => {
            let none = (!f.required || in_row || value.is_empty()).then(|| view! { <option value="">"—"</option> });
            view! {
                <label class="grid content-start gap-1 text-sm font-medium">
                    {label} {help}
                    <select id=id name=name_of(&key) required=required aria-invalid=invalid aria-describedby=described class=INPUT>
                        {none}
                        {options.iter().map(|o| {
                            let text = option_text(o);
                            let on = text == value;
                            view! { <option value=text.clone() selected=on>{text.replace('_', " ")}</option> }
                        }).collect_view()}
                    </select>
                    {problems_view(problems_id, key, error)}
                </label>
            }.into_any()
        }
        Input::Check => view! {
            <div class="grid content-start gap-1 text-sm">
                <label class="flex items-center gap-2 font-medium">
                    <input id=id type="checkbox" name=name_of(&key) value="true" checked=value == "true" aria-invalid=invalid aria-describedby=described class="size-5" />
                    {label}
                </label>
                {help} {problems_view(problems_id, key, error)}
            </div>
        }.into_any(),
        Input::Choices { options } => view! {
            <fieldset id=id aria-describedby=described class=format!("grid gap-2 text-sm {wide}")>
                <legend class="font-medium">{label}</legend>
                {help}
                <div class="flex flex-wrap gap-x-5 gap-y-2">
                    {options.iter().enumerate().map(|(i, o)| {
                        let item = format!("{key}/{i}");
                        let on = values.with_value(|v| v.contains_key(&item));
                        let text = option_text(o);
                        view! {
                            <label class="flex items-center gap-2">
                                <input type="checkbox" name=name_of(&item) value=text.clone() checked=on class="size-5" />
                                <span>{text.replace('_', " ")}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
                {problems_view(problems_id, key, error)}
            </fieldset>
        }.into_any(),
        Input::Group { fields } => view! {
            <fieldset id=id aria-describedby=described class=format!("grid gap-3 rounded-lg border border-slate-200 p-3 text-sm {wide}")>
                <legend class="px-1 font-medium">{label}</legend>
                {help}
                <div class="grid gap-3 sm:grid-cols-2">
                    {fields.into_iter().map(|sub| { let k = sub.key.clone(); field_view(sub, k, values, error, in_row) }).collect_view()}
                </div>
                {own_problems(problems_id, key, error)}
            </fieldset>
        }.into_any(),
        Input::Rows { fields } => {
            let rows = values.with_value(|v| row_count(v, &key));
            view! {
                <fieldset id=id aria-describedby=described class=format!("grid gap-3 text-sm {wide}")>
                    <legend class="font-medium">{label}</legend>
                    {help}
                    {(0..rows).map(|i| {
                        let row_key = format!("{key}/{i}");
                        view! {
                            <fieldset class="grid gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-3" data-row=i>
                                <legend class="px-1 text-xs text-slate-500">{format!("Row {}", i + 1)}</legend>
                                {fields.iter().cloned().map(|sub| {
                                    let k = format!("{row_key}/{}", sub.key);
                                    field_view(sub, k, values, error, true)
                                }).collect_view()}
                            </fieldset>
                        }
                    }).collect_view()}
                    {own_problems(problems_id, key, error)}
                </fieldset>
            }.into_any()
        }
    }
}

//! Buttons that say what they do, and what they are doing while the server works.

use leptos::prelude::*;

/// A form's submit button: disabled, with `busy` as its label, while the submission is under
/// way (only with the wasm; without it the browser shows its own progress).
#[component]
pub fn SubmitButton(
    label: &'static str,
    #[prop(optional)] busy: Option<&'static str>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <button
            id=id
            type="submit"
            class="rounded-lg bg-indigo-600 px-5 py-3 font-semibold text-white hover:bg-indigo-500 disabled:opacity-50"
            disabled=move || pending.get()
        >
            {move || if pending.get() { busy.unwrap_or(label) } else { label }}
        </button>
    }
}

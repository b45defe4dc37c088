//! Amounts as people read them: whole dollars at the API's boundary, cents in the books.

use leptos::prelude::*;

/// Whole dollars with their currency: `$275 CAD`.
#[component]
pub fn Dollars(amount: i64, #[prop(into)] currency: String) -> impl IntoView {
    view! { <span class="tabular-nums">{domain::money::format_dollars(amount, &currency)}</span> }
}

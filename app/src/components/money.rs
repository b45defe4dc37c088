//! Amounts as people read them: whole dollars at the API's boundary, cents in the books.

use leptos::prelude::*;

/// Whole dollars with their currency: `$275 CAD`, never broken across lines.
#[component]
pub fn Dollars(amount: i64, #[prop(into)] currency: String) -> impl IntoView {
    view! { <span class="whitespace-nowrap tabular-nums">{domain::money::format_dollars(amount, &currency)}</span> }
}

/// An exact amount in cents with its currency: `$233.75 CAD`, never broken across lines.
#[component]
pub fn Amount(cents: i64, #[prop(into)] currency: String) -> impl IntoView {
    let written = domain::money::format(domain::money::Cents(cents.abs()), &currency);
    let sign = if cents < 0 { "−" } else { "" };
    view! { <span class="whitespace-nowrap tabular-nums">{format!("{sign}${written}")}</span> }
}

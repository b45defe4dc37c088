use crate::mail::{Rendered, render};
use crate::money::format_dollars;
use crate::quotes::Quote;

/// To the principal: a talent quoted on their task.
pub fn quote_received(task_title: &str, quote: &Quote) -> Rendered {
    render(
        &format!("New quote: {} — ${}", quote.talent_name, quote.amount),
        "A talent quoted on your task.",
        &[
            ("Task", task_title.to_owned()),
            ("Task ID", quote.task_id.clone()),
            ("Quote ID", quote.id.clone()),
            ("Talent", quote.talent_name.clone()),
            ("Amount", format_dollars(quote.amount, &quote.currency)),
            ("Message", quote.message.clone()),
            ("Expires", super::when(quote.expires_at)),
        ],
        None,
    )
}

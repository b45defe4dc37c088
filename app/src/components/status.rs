//! Statuses as people read them: a badge with the status's name, coloured by how far along it is.

use domain::status::TaskStatus;
use leptos::prelude::*;

/// `open for quotes`, from `open_for_quotes`.
pub fn words(status: &str) -> String {
    status.replace('_', " ")
}

fn tone(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Draft => "bg-slate-100 text-slate-700",
        TaskStatus::OpenForQuotes | TaskStatus::Quoted => "bg-sky-100 text-sky-900",
        TaskStatus::Booked | TaskStatus::InProgress => "bg-indigo-100 text-indigo-900",
        TaskStatus::Delivered => "bg-amber-100 text-amber-900",
        TaskStatus::Accepted => "bg-emerald-100 text-emerald-900",
        TaskStatus::Disputed => "bg-red-100 text-red-900",
        TaskStatus::Cancelled => "bg-slate-200 text-slate-700",
    }
}

/// A task's status as a badge.
#[component]
pub fn TaskStatusBadge(status: TaskStatus) -> impl IntoView {
    view! {
        <span class=format!("inline-block whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-semibold {}", tone(status))>
            {words(status.as_str())}
        </span>
    }
}

//! A wide table on any screen: in a region that scrolls sideways on a narrow one, which a
//! keyboard can focus to scroll, with the column headings in one row.

use leptos::prelude::*;

/// A column heading: its words, whether its cells are amounts (aligned right), and whether it
/// is named for screen readers only (a column of buttons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub words: &'static str,
    pub amount: bool,
    pub hidden: bool,
}

pub const fn col(words: &'static str) -> Column {
    Column { words, amount: false, hidden: false }
}

pub const fn amount(words: &'static str) -> Column {
    Column { words, amount: true, hidden: false }
}

pub const fn unseen(words: &'static str) -> Column {
    Column { words, amount: false, hidden: true }
}

#[component]
pub fn ScrollTable(
    /// The table's id.
    id: &'static str,
    /// The id of the heading that names the region; else `label` names it.
    #[prop(optional)]
    labelled_by: Option<&'static str>,
    #[prop(optional)] label: Option<&'static str>,
    /// The least width before it scrolls, as a Tailwind class (`min-w-[48rem]`).
    min_width: &'static str,
    columns: Vec<Column>,
    /// The body (and any footer) of the table.
    children: Children,
) -> impl IntoView {
    view! {
        <div role="region" aria-labelledby=labelled_by aria-label=label tabindex="0" class="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table id=id class=format!("w-full {min_width} text-left text-sm")>
                <thead class="border-b border-slate-200 bg-slate-50 text-slate-600">
                    <tr>
                        {columns.into_iter().map(|c| {
                            let class = if c.amount { "px-4 py-2 text-right font-medium" } else { "px-4 py-2 font-medium" };
                            if c.hidden {
                                view! { <th scope="col" class=class><span class="sr-only">{c.words}</span></th> }.into_any()
                            } else {
                                view! { <th scope="col" class=class>{c.words}</th> }.into_any()
                            }
                        }).collect_view()}
                    </tr>
                </thead>
                {children()}
            </table>
        </div>
    }
}

use crate::events::WorkOrderChangesRequested;
use crate::mail::{Rendered, render};

/// To the talent: the principal asked for changes.
pub fn changes_requested(requested: &WorkOrderChangesRequested) -> Rendered {
    render(
        "✏️ Changes requested",
        "The client asked for changes. Upload the corrected files and register them again.",
        &[
            ("Work order ID", requested.work_order_id.clone()),
            ("Reason", requested.reason.clone()),
            ("Checks", requested.checks.join(", ")),
        ],
        None,
    )
}

use crate::events::DeliverableRegistered;
use crate::mail::{Rendered, render};

/// To the principal: the talent delivered; QA runs next.
pub fn deliverables_ready(task_title: &str, talent_name: &str, registered: &DeliverableRegistered) -> Rendered {
    render(
        &format!("📦 Deliverables ready: {task_title}"),
        "The talent delivered. Run QA, then accept the work or request changes.",
        &[
            ("Task", task_title.to_owned()),
            ("Task ID", registered.task_id.clone()),
            ("Work order ID", registered.work_order_id.clone()),
            ("Talent", talent_name.to_owned()),
            ("Files", registered.deliverable_ids.len().to_string()),
            ("Delivery", registered.delivery_set.to_string()),
        ],
        None,
    )
}

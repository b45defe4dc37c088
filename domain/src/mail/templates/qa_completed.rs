use crate::events::QaCompleted;
use crate::mail::{Rendered, render};
use crate::qa::QaStatus;

/// To the principal: the QA report of a delivery is ready.
pub fn qa_completed(task_title: &str, qa: &QaCompleted) -> Rendered {
    let passed = qa.status == QaStatus::Passed;
    render(
        &if passed { format!("✅ QA passed: {task_title}") } else { format!("⚠️ QA failed: {task_title}") },
        if passed {
            "Every acceptance test passed. Accept the work to pay the talent."
        } else {
            "Some acceptance tests failed. Request changes, or accept with an override."
        },
        &[
            ("Task", task_title.to_owned()),
            ("Work order ID", qa.work_order_id.clone()),
            ("Result", if passed { "passed".into() } else { "failed".into() }),
            ("Checks", qa.check_count.to_string()),
            ("Failed checks", if qa.failed_checks.is_empty() { "none".into() } else { qa.failed_checks.join(", ") }),
        ],
        None,
    )
}

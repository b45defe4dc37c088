//! The dashboard's new task: a template's form, and the task it makes, as `POST /v1/tasks`.

use domain::Error;
use domain::dashboard::NewTaskPage;
use domain::tasks::Task;
use domain::tasks::form::FormValues;
use leptos::prelude::*;

/// The templates, and the form of the one picked.
#[server(endpoint = "dashboard/tasks/new")]
pub async fn get_new_task_page(template: Option<String>) -> Result<NewTaskPage, Error> {
    super::owner("create a task").await?;
    domain::dashboard::new_task_page(template.as_deref())
}

/// Creates the task the form describes (a draft or published, as its `status` button says).
/// Without the wasm, the browser goes on to the new task's page; a refused form comes back as
/// it was typed.
#[server(endpoint = "dashboard/tasks/create")]
pub async fn create_dashboard_task(form: FormValues) -> Result<Task, Error> {
    let services = crate::api::services()?;
    let caller = super::owner("create a task").await?;
    match domain::tasks::create_from_form(&services, &caller, &form).await {
        Ok(task) => {
            if crate::api::flash::posted_without_wasm().await {
                leptos_axum::redirect(&format!("/dashboard/tasks/{}", task.id));
            }
            Ok(task)
        }
        Err(e) => {
            crate::api::flash::keep_refused::<CreateDashboardTask>(&form).await?;
            Err(e)
        }
    }
}

/// Publishes a draft, as `POST /v1/tasks/:id/publish`.
#[server(endpoint = "dashboard/tasks/publish")]
pub async fn publish_dashboard_task(task_id: String) -> Result<Task, Error> {
    let services = crate::api::services()?;
    domain::tasks::publish(&services, &super::owner("publish a task").await?, &task_id).await
}

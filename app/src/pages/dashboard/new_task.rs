//! `/dashboard/tasks/new`: a task from one of the templates, through a form drawn from the
//! template's rules and its JSON Schema. It is saved as a draft or published, as `POST
//! /v1/tasks`; a refusal comes back with the API's problems beside their fields and everything
//! as it was typed.

use super::DashboardNav;
use crate::api::dashboard::new_task::{CreateDashboardTask, get_new_task_page};
use crate::api::flash::use_refused;
use crate::components::errors::ErrorNotice;
use crate::components::form_fields::{FormFields, field_keys};
use domain::dashboard::TemplateChoice;
use domain::tasks::form::{FormValues, STATUS_KEY, TaskForm};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NewTaskPage() -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(move || query.read().get("template"), get_new_task_page);
    let create = ServerAction::<CreateDashboardTask>::new();
    // Made here, once: the view below is built again as the data arrives.
    let typed = use_refused::<CreateDashboardTask, FormValues>();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <Title text="New task" />
        <DashboardNav current="new" />
        <h1 class="mt-4 text-2xl font-bold">"New task"</h1>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || page.get().zip(typed.get()).map(|(r, sent)| match r {
                Err(e) => view! { <ErrorNotice id="new-task-error" error=e /> }.into_any(),
                Ok(p) => match p.form {
                    None => view! { <Templates templates=p.templates /> }.into_any(),
                    Some((form, start)) => {
                        let values = sent.ok().flatten().filter(|v| v.get("task_type") == start.get("task_type")).unwrap_or(start);
                        let name = p.templates.iter().find(|t| t.task_type == form.task_type).map(|t| t.name.clone()).unwrap_or_default();
                        view! { <NewTaskForm form values name action=create error /> }.into_any()
                    }
                },
            })}
        </Suspense>
    }
}

#[component]
fn Templates(templates: Vec<TemplateChoice>) -> impl IntoView {
    view! {
        <p class="mt-2 max-w-2xl text-slate-600">"Pick the kind of job. Each template sets what talent deliver and what QA checks; the form asks for the rest."</p>
        <ul id="templates" class="mt-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
            {templates.into_iter().map(|t| view! {
                <li class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                    <a href=format!("/dashboard/tasks/new?template={}", t.task_type.as_str()) class="font-semibold text-indigo-700 underline">{t.name}</a>
                    <p class="mt-1 text-sm text-slate-600">{t.description}</p>
                    <p class="mt-2 text-xs text-slate-500">
                        <span class="font-mono">{t.task_type.as_str()}</span> {format!(" · budget from {} (whole dollars)", t.min_budget)}
                    </p>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn NewTaskForm(
    form: TaskForm,
    values: FormValues,
    name: String,
    action: ServerAction<CreateDashboardTask>,
    error: Signal<Option<domain::Error>>,
) -> impl IntoView {
    let keys: Vec<String> = form.sections.iter().flat_map(|s| field_keys(&s.fields)).collect();
    view! {
        <p class="mt-2 text-slate-600">
            {name} " · " <span class="font-mono text-sm">{form.task_type.as_str()}</span> " · "
            <a href="/dashboard/tasks/new" class="text-indigo-700 underline">"Another template"</a>
        </p>
        {move || error.get().map(|e| view! { <ErrorNotice id="create-task-error" error=e fields=keys.clone() /> })}
        <ActionForm action attr:id="new-task-form" attr:class="mt-6 grid max-w-4xl gap-6">
            {form.sections.into_iter().map(|s| view! {
                <fieldset class="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                    <legend class="px-1 text-lg font-semibold">{s.heading}</legend>
                    <FormFields fields=s.fields values=values.clone() error />
                </fieldset>
            }).collect_view()}
            <div class="flex flex-wrap gap-3">
                // First, so that Enter in a field saves a draft rather than publishing.
                <button id="save-draft" type="submit" name=format!("form[{}]", STATUS_KEY) value="draft" class="rounded-lg border border-slate-300 bg-white px-5 py-3 font-semibold">"Save as a draft"</button>
                <button id="publish-task" type="submit" name=format!("form[{}]", STATUS_KEY) value="open_for_quotes" class="rounded-lg bg-indigo-600 px-5 py-3 font-semibold text-white hover:bg-indigo-500">"Publish for quotes"</button>
            </div>
        </ActionForm>
    }
}

//! The API's errors on a page: its message, and each problem it lists (`details.errors`, each
//! `"/pointer: what is wrong"`) next to the field it names.

use domain::Error;
use leptos::prelude::*;

/// Every problem an error lists, as the API words it.
pub fn problems(error: &Error) -> Vec<String> {
    error
        .details
        .as_ref()
        .and_then(|d| d["errors"].as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| e.as_str().map(str::to_owned))
        .collect()
}

/// Whether a problem (`"/email: …"`, `"/amount/0: …"`) is about the field `name` (a pointer
/// without its leading slash). A missing property is reported at its parent
/// (`"/task_spec: \"angles\" is a required property"`): it is about the property's field.
fn is_about(problem: &str, name: &str) -> bool {
    let Some(rest) = problem.strip_prefix('/') else { return false };
    if rest.strip_prefix(name).is_some_and(|rest| rest.starts_with(':') || rest.starts_with('/')) {
        return true;
    }
    let (parent, child) = name.rsplit_once('/').unwrap_or(("", name));
    let missing = format!("\"{child}\" is a required property");
    rest.strip_prefix(parent).and_then(|r| r.strip_prefix(": ")).is_some_and(|r| r == missing)
}

/// The problems about the field `name`.
pub fn problems_for(error: &Error, name: &str) -> Vec<String> {
    problems(error).into_iter().filter(|p| is_about(p, name)).collect()
}

/// The names of a form's fields that show their own problems.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldNames(pub Vec<String>);

impl From<&[&str]> for FieldNames {
    fn from(names: &[&str]) -> Self {
        FieldNames(names.iter().map(|n| (*n).to_owned()).collect())
    }
}

impl<const N: usize> From<&[&str; N]> for FieldNames {
    fn from(names: &[&str; N]) -> Self {
        FieldNames::from(&names[..])
    }
}

impl From<Vec<String>> for FieldNames {
    fn from(names: Vec<String>) -> Self {
        FieldNames(names)
    }
}

/// A form's error: the API's message, and the problems that no field of the form (`fields`)
/// shows next to itself.
#[component]
pub fn ErrorNotice(
    /// The element's id, for tests and links.
    id: &'static str,
    error: Error,
    #[prop(optional, into)] fields: FieldNames,
) -> impl IntoView {
    let rest: Vec<String> = problems(&error).into_iter().filter(|p| !fields.0.iter().any(|f| is_about(p, f))).collect();
    view! {
        <section id=id role="alert" class="mt-6 max-w-md rounded-xl border border-red-300 bg-red-50 p-4 text-red-900">
            <p class="font-semibold">{error.message.clone()}</p>
            {(!rest.is_empty()).then(|| view! {
                <ul class="mt-2 list-disc pl-5 text-sm">
                    {rest.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_belongs_to_the_field_its_pointer_names() {
        let error = Error::validation(
            "Sign-up validation failed",
            vec!["/email: not an address".into(), "/emails: other".into(), "/name/0: short".into(), "body".into()],
        );
        assert_eq!(problems_for(&error, "email"), ["/email: not an address"]);
        assert_eq!(problems_for(&error, "name"), ["/name/0: short"]);
        assert_eq!(problems(&error).len(), 4);
    }

    #[test]
    fn a_missing_property_belongs_to_its_field() {
        let error = Error::validation(
            "Task validation failed",
            vec![
                r#"/task_spec: "angles" is a required property"#.into(),
                r#"/: "title" is a required property"#.into(),
            ],
        );
        assert_eq!(problems_for(&error, "task_spec/angles").len(), 1);
        assert!(problems_for(&error, "task_spec/background").is_empty());
        assert_eq!(problems_for(&error, "title").len(), 1);
    }
}

//! A new task as a form: the fields a template calls for (its rules for the fixed parts, its
//! JSON Schema for `task_spec`), and the `POST /v1/tasks` body a posted form stands for. Each
//! field's key is the API's JSON pointer to its value without the leading slash
//! (`task_spec/product_count`), so the API's problems, which name the same pointers, land on
//! the field they are about. Nothing is validated here: the body goes to the same validation as
//! an agent's, and a value that does not parse is passed on as typed for the API to refuse.

use crate::money::Currency;
use crate::templates::{LocationMode, Template};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// What a form holds: each field's key and its text as typed (a checkbox: present or not).
pub type FormValues = BTreeMap<String, String>;

/// How many rows a list of records (a retail checklist, the deliverables) offers beyond the
/// ones filled in: a page without the wasm cannot add rows, and an empty row is left out.
pub const SPARE_ROWS: usize = 2;

/// The form of one template, in sections.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaskForm {
    pub task_type: crate::templates::TaskType,
    pub sections: Vec<FormSection>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FormSection {
    pub heading: String,
    pub fields: Vec<FormField>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FormField {
    /// The pointer to the value without its leading slash; within [`Input::Rows`], relative to
    /// its row.
    pub key: String,
    pub label: String,
    /// The schema's description and bounds, in words.
    pub help: Option<String>,
    pub required: bool,
    pub input: Input,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum Input {
    /// One line, or a text box when `multiline`; `url` asks the browser for an address.
    Text {
        max_length: Option<u64>,
        multiline: bool,
        url: bool,
    },
    /// A list of strings, one per line.
    Lines {
        max_items: Option<u64>,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
        integer: bool,
    },
    /// A start time, entered in UTC.
    DateTime,
    /// One of the options (a JSON string or number each).
    Choice {
        options: Vec<Value>,
    },
    /// Yes, or left out.
    Check,
    /// Any of the options; each is posted under `key/<its index>`.
    Choices {
        options: Vec<Value>,
    },
    /// An object's fields, each with its full key.
    Group {
        fields: Vec<FormField>,
    },
    /// A list of objects: row `i`'s field `f` is posted under `key/i/f`.
    Rows {
        fields: Vec<FormField>,
    },
    /// A value the form posts unseen.
    Hidden,
}

/// How an option reads in the form and is posted: a string as it is, a number in digits.
pub fn option_text(option: &Value) -> String {
    option.as_str().map_or_else(|| option.to_string(), str::to_owned)
}

/// `product_count` → "Product count".
fn words(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn bounds(min: Option<f64>, max: Option<f64>) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) => Some(format!("{a} to {b}")),
        (Some(a), None) => Some(format!("at least {a}")),
        (None, Some(b)) => Some(format!("at most {b}")),
        (None, None) => None,
    }
}

fn joined(parts: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().flatten().filter(|p| !p.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The fields a JSON Schema object's properties call for, keyed under `prefix`.
pub fn schema_fields(schema: &Value, prefix: &str) -> Vec<FormField> {
    let required: Vec<&str> =
        schema["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let Some(properties) = schema["properties"].as_object() else { return Vec::new() };
    // Required fields first, in the schema's order of them; the rest by name.
    let mut names: Vec<&String> = properties.keys().collect();
    names.sort_by_key(|n| required.iter().position(|r| r == n).unwrap_or(usize::MAX));
    names
        .into_iter()
        .map(|name| (name, &properties[name]))
        .map(|(name, property)| {
            let key = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
            schema_field(key, name, property, required.contains(&name.as_str()))
        })
        .collect()
}

fn schema_field(key: String, name: &str, p: &Value, required: bool) -> FormField {
    let number = |v: &Value| v.as_f64();
    let description = p["description"].as_str().map(str::to_owned);
    let (input, limits) = match (p["type"].as_str(), p.get("enum")) {
        (_, Some(options)) => (Input::Choice { options: options.as_array().cloned().unwrap_or_default() }, None),
        (Some("integer" | "number"), _) => {
            let (min, max) = (number(&p["minimum"]), number(&p["maximum"]));
            (Input::Number { min, max, integer: p["type"] == "integer" }, bounds(min, max))
        }
        (Some("boolean"), _) => (Input::Check, None),
        (Some("object"), _) => (Input::Group { fields: schema_fields(p, &key) }, None),
        (Some("array"), _) => {
            let items = &p["items"];
            let count = bounds(number(&p["minItems"]), number(&p["maxItems"])).map(|b| format!("{b} items"));
            if let Some(options) = items.get("enum").and_then(Value::as_array) {
                (Input::Choices { options: options.clone() }, count)
            } else if items["type"] == "object" {
                (Input::Rows { fields: schema_fields(items, "") }, count)
            } else {
                let pattern = items["pattern"].as_str().map(|p| format!("each matching {p}"));
                (
                    Input::Lines { max_items: p["maxItems"].as_u64() },
                    joined([Some("one per line".into()), count, pattern]),
                )
            }
        }
        _ => {
            let max_length = p["maxLength"].as_u64();
            let url = p["format"] == "uri";
            let pattern = p["pattern"].as_str().map(|p| format!("matching {p}"));
            let length = max_length.map(|m| format!("up to {m} characters"));
            (
                Input::Text { max_length, multiline: !url && max_length.is_some_and(|m| m > 500), url },
                joined([length, pattern]),
            )
        }
    };
    FormField { key, label: words(name), help: joined([description, limits]), required, input }
}

fn field(key: &str, label: &str, help: Option<String>, required: bool, input: Input) -> FormField {
    FormField { key: key.into(), label: label.into(), help, required, input }
}

/// The whole form for `template`.
pub fn task_form(template: &Template) -> TaskForm {
    let rules = &template.rules;
    let strings = |items: &[&str]| items.iter().map(|s| json!(s)).collect::<Vec<_>>();
    let modes: Vec<&str> = rules.location_modes.iter().map(|m| m.as_str()).collect();
    let mode = if modes.len() > 1 {
        field("location/mode", "Where the work happens", None, true, Input::Choice { options: strings(&modes) })
    } else {
        field("location/mode", "Where the work happens", None, true, Input::Hidden)
    };
    let gps = rules.requires_coordinates;
    let coordinate = |key: &str, label: &str, limit: f64| {
        let help = gps.then(|| "Check-ins are verified by GPS against this point".to_owned());
        field(key, label, help, gps, Input::Number { min: Some(-limit), max: Some(limit), integer: false })
    };
    let kinds: Vec<&str> = rules.deliverable_kinds.iter().map(|k| k.as_str()).collect();
    let formats: Vec<&str> = rules.deliverable_kinds.iter().flat_map(|k| k.formats().iter().copied()).collect();
    let deliverable = vec![
        field("kind", "Kind", None, true, Input::Choice { options: strings(&kinds) }),
        field("count", "How many", None, true, Input::Number { min: Some(1.0), max: Some(1000.0), integer: true }),
        field("format", "Format", None, false, Input::Choice { options: strings(&formats) }),
    ];
    let currencies: Vec<&str> = Currency::ALL.iter().map(|c| c.as_str()).collect();
    let sections = vec![
        FormSection {
            heading: "The job".into(),
            fields: vec![
                field("task_type", "Template", None, true, Input::Hidden),
                field(
                    "title",
                    "Title",
                    Some("3 to 200 characters".into()),
                    true,
                    Input::Text { max_length: Some(200), multiline: false, url: false },
                ),
                field(
                    "description",
                    "Description",
                    Some("What the talent should know, up to 5000 characters".into()),
                    false,
                    Input::Text { max_length: Some(5000), multiline: true, url: false },
                ),
            ],
        },
        FormSection {
            heading: "Where".into(),
            fields: vec![
                mode,
                field(
                    "location/address",
                    "Address",
                    Some("Needed for on-site work".into()),
                    modes == ["onsite"],
                    Input::Text { max_length: Some(500), multiline: false, url: false },
                ),
                coordinate("location/lat", "Latitude", 90.0),
                coordinate("location/lng", "Longitude", 180.0),
                field(
                    "location/radius_m",
                    "Check-in radius (metres)",
                    Some(format!("{} unless you set it · 10 to 50000", template.default_checkin_radius_m)),
                    false,
                    Input::Number { min: Some(10.0), max: Some(50_000.0), integer: true },
                ),
            ],
        },
        FormSection {
            heading: "When".into(),
            fields: vec![
                field(
                    "schedule/start_at",
                    "Starts (UTC)",
                    Some(format!(
                        "At least {} minutes from now, within {} days",
                        rules.min_lead_time_minutes, rules.max_days_ahead
                    )),
                    true,
                    Input::DateTime,
                ),
                field(
                    "schedule/duration_hours",
                    "Hours on site",
                    bounds(Some(rules.min_duration_hours), Some(rules.max_duration_hours)),
                    true,
                    Input::Number {
                        min: Some(rules.min_duration_hours),
                        max: Some(rules.max_duration_hours),
                        integer: false,
                    },
                ),
            ],
        },
        FormSection {
            heading: "Budget".into(),
            fields: vec![
                field(
                    "budget/max_total",
                    "Most you will pay (whole dollars)",
                    Some(format!("At least {}", rules.min_budget)),
                    true,
                    Input::Number {
                        min: Some(rules.min_budget as f64),
                        max: Some(rules.max_budget as f64),
                        integer: true,
                    },
                ),
                field("budget/currency", "Currency", None, true, Input::Choice { options: strings(&currencies) }),
                field(
                    "budget/pricing_model",
                    "Pricing",
                    None,
                    false,
                    Input::Choice { options: strings(&["fixed", "hourly"]) },
                ),
            ],
        },
        FormSection {
            heading: "Deliverables".into(),
            fields: vec![field(
                "deliverables",
                "Files to deliver",
                Some("A row left empty is left out".into()),
                false,
                Input::Rows { fields: deliverable },
            )],
        },
        FormSection { heading: "The brief".into(), fields: schema_fields(&template.spec_schema, "task_spec") },
    ];
    TaskForm { task_type: template.task_type, sections }
}

/// What a fresh form for `template` starts with: its example brief, its default deliverables,
/// and the least it allows.
pub fn starting_values(template: &Template) -> FormValues {
    let rules = &template.rules;
    let mut values = FormValues::new();
    values.insert("task_type".into(), template.task_type.as_str().into());
    let mode = rules.location_modes.first().copied().unwrap_or(LocationMode::Onsite);
    values.insert("location/mode".into(), mode.as_str().into());
    values.insert("schedule/duration_hours".into(), rules.min_duration_hours.to_string());
    values.insert("budget/max_total".into(), rules.min_budget.to_string());
    values.insert("budget/currency".into(), Currency::Usd.as_str().into());
    values.insert("budget/pricing_model".into(), "fixed".into());
    for (i, d) in template.default_deliverables.iter().enumerate() {
        values.insert(format!("deliverables/{i}/kind"), d.kind.as_str().into());
        values.insert(format!("deliverables/{i}/count"), d.count.to_string());
        values.insert(format!("deliverables/{i}/format"), d.format.clone());
    }
    let form = task_form(template);
    let spec = form.sections.iter().flat_map(|s| &s.fields).filter(|f| f.key.starts_with("task_spec/"));
    for f in spec {
        let name = f.key.trim_start_matches("task_spec/");
        flatten(f, &template.example_task_spec[name], &f.key, &mut values);
    }
    values
}

/// Writes `value` into `values` as the field would post it.
fn flatten(f: &FormField, value: &Value, key: &str, values: &mut FormValues) {
    if value.is_null() {
        return;
    }
    match &f.input {
        Input::Check => {
            if value == &Value::Bool(true) {
                values.insert(key.into(), "true".into());
            }
        }
        Input::Lines { .. } => {
            let lines: Vec<String> = value.as_array().into_iter().flatten().map(option_text).collect();
            values.insert(key.into(), lines.join("\n"));
        }
        Input::Choices { options } => {
            for (i, o) in options.iter().enumerate() {
                if value.as_array().is_some_and(|a| a.contains(o)) {
                    values.insert(format!("{key}/{i}"), option_text(o));
                }
            }
        }
        Input::Group { fields } => {
            for sub in fields {
                let name = sub.key.rsplit('/').next().unwrap_or_default();
                flatten(sub, &value[name], &sub.key, values);
            }
        }
        Input::Rows { fields } => {
            for (i, row) in value.as_array().into_iter().flatten().enumerate() {
                for sub in fields {
                    flatten(sub, &row[&sub.key], &format!("{key}/{i}/{}", sub.key), values);
                }
            }
        }
        _ => {
            values.insert(key.into(), option_text(value));
        }
    }
}

/// The most rows a list field takes (the templates' longest list, a checklist, allows 100): a
/// posted row number past it is not a row the page offered, and must not make the server walk
/// or draw that many.
pub const MAX_ROWS: usize = 100;

/// How many rows a list field shows: the highest row filled in, then [`SPARE_ROWS`] empty ones.
pub fn row_count(values: &FormValues, key: &str) -> usize {
    let prefix = format!("{key}/");
    let filled = values
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .filter_map(|(k, _)| k.strip_prefix(&prefix)?.split('/').next()?.parse::<usize>().ok())
        .filter(|i| *i < MAX_ROWS)
        .max()
        .map_or(0, |i| i + 1);
    filled + SPARE_ROWS
}

/// The key of the form's submit buttons: `draft` or `open_for_quotes`, as the one pressed says.
pub const STATUS_KEY: &str = "status";

/// The `POST /v1/tasks` body that a posted form stands for: empty fields are left out, numbers
/// and choices take their JSON types where the text reads as one, and anything else goes on as
/// typed for the API to refuse with its own message.
pub fn request_body(form: &TaskForm, values: &FormValues) -> Value {
    let mut body = Value::Object(Map::new());
    if let Some(status) = text(values, STATUS_KEY) {
        put(&mut body, STATUS_KEY, Value::String(status));
    }
    for f in form.sections.iter().flat_map(|s| &s.fields) {
        if let Some(v) = value_of(f, &f.key, values) {
            put(&mut body, &f.key, v);
        }
    }
    body
}

/// Sets `value` at the pointer `key` (without its leading slash), making objects on the way.
fn put(target: &mut Value, key: &str, value: Value) {
    let mut at = target;
    let mut parts = key.split('/').peekable();
    while let Some(part) = parts.next() {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let Value::Object(map) = at else { return };
        if parts.peek().is_none() {
            map.insert(part.to_owned(), value);
            return;
        }
        at = map.entry(part.to_owned()).or_insert_with(|| Value::Object(Map::new()));
    }
}

fn text(values: &FormValues, key: &str) -> Option<String> {
    values.get(key).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn value_of(f: &FormField, key: &str, values: &FormValues) -> Option<Value> {
    match &f.input {
        Input::Text { .. } | Input::Hidden => text(values, key).map(Value::String),
        Input::Lines { .. } => {
            let lines: Vec<Value> = values
                .get(key)?
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::String(l.to_owned()))
                .collect();
            (!lines.is_empty()).then_some(Value::Array(lines))
        }
        Input::Number { integer, .. } => {
            let typed = text(values, key)?;
            let parsed = if *integer { typed.parse::<i64>().ok().map(Value::from) } else { None };
            parsed
                .or_else(|| typed.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number))
                .or(Some(Value::String(typed)))
        }
        Input::DateTime => {
            let typed = text(values, key)?;
            // A browser's `datetime-local` has no offset: the form says the time is UTC.
            let stamp = match typed.len() {
                16 => format!("{typed}:00Z"),
                19 => format!("{typed}Z"),
                _ => typed,
            };
            Some(Value::String(stamp))
        }
        Input::Choice { options } => {
            let typed = text(values, key)?;
            Some(options.iter().find(|o| option_text(o) == typed).cloned().unwrap_or(Value::String(typed)))
        }
        Input::Check => text(values, key).map(|v| Value::Bool(v != "false")),
        Input::Choices { options } => {
            let chosen: Vec<Value> = options
                .iter()
                .enumerate()
                .filter(|(i, _)| text(values, &format!("{key}/{i}")).is_some())
                .map(|(_, o)| o.clone())
                .collect();
            (!chosen.is_empty()).then_some(Value::Array(chosen))
        }
        Input::Group { fields } => {
            let mut object = Map::new();
            for sub in fields {
                if let Some(v) = value_of(sub, &sub.key, values) {
                    object.insert(sub.key.rsplit('/').next().unwrap_or_default().to_owned(), v);
                }
            }
            (!object.is_empty()).then_some(Value::Object(object))
        }
        Input::Rows { fields } => {
            let rows: Vec<Value> = (0..row_count(values, key))
                .filter_map(|i| {
                    let mut object = Map::new();
                    for sub in fields {
                        if let Some(v) = value_of(sub, &format!("{key}/{i}/{}", sub.key), values) {
                            object.insert(sub.key.clone(), v);
                        }
                    }
                    (!object.is_empty()).then_some(Value::Object(object))
                })
                .collect();
            (!rows.is_empty()).then_some(Value::Array(rows))
        }
    }
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;
    use crate::templates::{TaskType, get};

    fn later() -> String {
        (crate::time::now() + chrono::Duration::days(3)).format("%Y-%m-%dT%H:%M").to_string()
    }

    /// Every template's form, filled with only what it starts with plus a title, an address,
    /// coordinates and a start, is a task the API accepts: the form and the schema agree.
    #[test]
    fn every_templates_starting_form_makes_a_valid_task() {
        for template in crate::templates::all() {
            let form = task_form(template);
            let mut values = starting_values(template);
            values.insert("title".into(), "Spring shoot".into());
            values.insert("location/address".into(), "12 Hess St N, Hamilton ON".into());
            values.insert("location/lat".into(), "43.2557".into());
            values.insert("location/lng".into(), "-79.8711".into());
            values.insert("schedule/start_at".into(), later());
            let body = request_body(&form, &values);
            if let Err(e) = super::super::validate(&body, crate::time::now()) {
                panic!("{}: {:?}\n{body:#}", template.task_type, e.details);
            }
        }
    }

    #[test]
    fn typed_text_becomes_the_apis_types_and_bad_text_reaches_the_api_as_typed() {
        let template = get(TaskType::ProductPhotoEcomm);
        let form = task_form(template);
        let mut values = starting_values(template);
        values.insert("task_spec/product_count".into(), "12".into());
        values.insert("task_spec/retouching".into(), "true".into());
        values.insert("budget/max_total".into(), "250.5".into());
        values.insert("location/radius_m".into(), "wide".into());
        values.insert("description".into(), "   ".into());
        values.insert("deliverables/1/count".into(), "".into());
        let body = request_body(&form, &values);
        assert_eq!(body["task_spec"]["product_count"], json!(12));
        assert_eq!(body["task_spec"]["retouching"], json!(true));
        assert_eq!(body["task_spec"]["angles"], template.example_task_spec["angles"]);
        assert_eq!(body["budget"]["max_total"], json!(250.5));
        assert_eq!(body["location"]["radius_m"], json!("wide"));
        assert!(body.get("description").is_none(), "{body}");
        assert_eq!(body["deliverables"], json!([{"kind": "photo", "count": 30, "format": "jpeg"}]));

        values.insert("schedule/start_at".into(), later());
        values.insert("title".into(), "Shoot".into());
        values.insert("location/address".into(), "12 Hess St N".into());
        let problems = super::super::validate(&request_body(&form, &values), crate::time::now()).unwrap_err().details;
        let problems = problems.unwrap()["errors"].to_string();
        assert!(problems.contains("/budget/max_total"), "{problems}");
        assert!(problems.contains("/location/radius_m"), "{problems}");
    }

    #[test]
    fn lists_of_records_and_nested_objects_post_as_json_lists_and_objects() {
        let template = get(TaskType::RetailAuditPhotoCheck);
        let form = task_form(template);
        let mut values = FormValues::new();
        values.insert("task_spec/checklist/0/item".into(), "Endcap facing".into());
        values.insert("task_spec/checklist/0/photo_required".into(), "true".into());
        values.insert("task_spec/checklist/1/item".into(), "".into());
        values.insert("task_spec/checklist/2/item".into(), "Price tags".into());
        let body = request_body(&form, &values);
        assert_eq!(
            body["task_spec"]["checklist"],
            json!([{"item": "Endcap facing", "photo_required": true}, {"item": "Price tags"}])
        );
        assert_eq!(row_count(&values, "task_spec/checklist"), 3 + SPARE_ROWS);

        let template = get(TaskType::UgcVerticalBatch);
        let mut values = FormValues::new();
        values.insert("task_spec/clip_length_seconds/min".into(), "15".into());
        values.insert("task_spec/hooks".into(), "First hook\n\n  Second hook  \n".into());
        let body = request_body(&task_form(template), &values);
        assert_eq!(body["task_spec"]["clip_length_seconds"], json!({"min": 15}));
        assert_eq!(body["task_spec"]["hooks"], json!(["First hook", "Second hook"]));
    }

    #[test]
    fn a_row_number_the_page_never_offered_does_not_make_rows() {
        let template = get(TaskType::RetailAuditPhotoCheck);
        let mut values = FormValues::new();
        values.insert("task_spec/checklist/0/item".into(), "Endcap".into());
        values.insert("task_spec/checklist/999999999/item".into(), "Far away".into());
        assert_eq!(row_count(&values, "task_spec/checklist"), 1 + SPARE_ROWS);
        let body = request_body(&task_form(template), &values);
        assert_eq!(body["task_spec"]["checklist"], json!([{"item": "Endcap"}]));
    }

    #[test]
    fn numeric_choices_post_as_numbers() {
        let template = get(TaskType::PodcastOnSiteCapture);
        let mut values = FormValues::new();
        values.insert("task_spec/sample_rate_hz".into(), "48000".into());
        let body = request_body(&task_form(template), &values);
        assert_eq!(body["task_spec"]["sample_rate_hz"], json!(48000));
    }
}

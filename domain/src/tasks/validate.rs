//! Validating a task payload against the request schema, its template's `spec_schema` and its
//! template's rules — all at once, so the caller sees every problem in one answer.

use super::{CreateTaskRequest, Location};
use crate::Error;
use crate::money::{Cents, MAX_DOLLARS, dollars_from_json};
use crate::status::TaskStatus;
use crate::templates::{self, DeliverableKind, DeliverableSpec, LocationMode, TaskType, Template};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::LazyLock;

/// A task that passed validation, in internal units.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTask {
    pub task_type: TaskType,
    pub title: String,
    pub description: Option<String>,
    pub status: TaskStatus,
    pub location: Location,
    pub start_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub currency: String,
    pub pricing_model: String,
    pub budget: Cents,
    pub deliverables: Vec<DeliverableSpec>,
    pub task_spec: Value,
}

/// The JSON Schema (2020-12) of a `POST /v1/tasks` body: `CreateTaskRequest` as the OpenAPI
/// document has it (generated from the type), with the schemas it refers to. The server
/// validates with the document's own schema, so the two cannot drift.
pub fn request_schema() -> Result<Value, serde_json::Error> {
    use utoipa::{PartialSchema, ToSchema};
    let mut parts = Vec::new();
    <CreateTaskRequest as ToSchema>::schemas(&mut parts);
    parts.push((CreateTaskRequest::name().into_owned(), CreateTaskRequest::schema()));
    let mut schemas = serde_json::Map::new();
    for (name, schema) in parts {
        schemas.insert(name, serde_json::to_value(schema)?);
    }
    Ok(json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{}", CreateTaskRequest::name()),
        "components": { "schemas": schemas },
    }))
}

fn compile(schema: &Value) -> Option<jsonschema::Validator> {
    match jsonschema::draft202012::options().should_validate_formats(true).build(schema) {
        Ok(v) => Some(v),
        Err(e) => {
            tracing::error!("a built-in JSON Schema does not compile: {e}");
            None
        }
    }
}

static REQUEST_VALIDATOR: LazyLock<Option<jsonschema::Validator>> = LazyLock::new(|| match request_schema() {
    Ok(schema) => compile(&schema),
    Err(e) => {
        tracing::error!("the task request schema does not serialise: {e}");
        None
    }
});
static SPEC_VALIDATORS: LazyLock<HashMap<TaskType, Option<jsonschema::Validator>>> =
    LazyLock::new(|| templates::all().iter().map(|t| (t.task_type, compile(&t.spec_schema))).collect());

fn schema_errors(validator: Option<&jsonschema::Validator>, instance: &Value, prefix: &str, out: &mut Vec<String>) {
    let Some(validator) = validator else {
        out.push(format!("{prefix}/: the server could not load this schema"));
        return;
    };
    for error in validator.iter_errors(instance) {
        let path = error.instance_path().to_string();
        let path = if path.is_empty() && prefix.is_empty() { "/".to_owned() } else { format!("{prefix}{path}") };
        out.push(format!("{path}: {error}"));
    }
}

/// Validates a `POST /v1/tasks` body. On failure, `details.errors` lists every problem with
/// its JSON path.
pub fn validate(body: &Value, now: DateTime<Utc>) -> Result<ValidTask, Error> {
    let fail = |errors: Vec<String>| Error::validation("Task validation failed", errors);
    if !body.is_object() {
        return Err(fail(vec!["/: expected a JSON object".into()]));
    }
    let mut errors = Vec::new();
    schema_errors(REQUEST_VALIDATOR.as_ref(), body, "", &mut errors);
    let task_type = body.get("task_type").and_then(Value::as_str).and_then(TaskType::parse);
    let template = task_type.map(templates::get);
    if let (Some(t), Some(spec)) = (task_type, body.get("task_spec").filter(|s| s.is_object())) {
        schema_errors(SPEC_VALIDATORS.get(&t).and_then(Option::as_ref), spec, "/task_spec", &mut errors);
    }
    if let Some(template) = template {
        check_rules(template, body, now, &mut errors);
    }
    if !errors.is_empty() {
        return Err(fail(errors));
    }
    let request: CreateTaskRequest = serde_json::from_value(body.clone()).map_err(|e| fail(vec![format!("/: {e}")]))?;
    let template = templates::get(request.task_type);
    let start_at = DateTime::parse_from_rfc3339(&request.schedule.start_at)
        .map_err(|e| fail(vec![format!("/schedule/start_at: {e}")]))?
        .with_timezone(&Utc);
    let budget = request.budget.max_total.cents();
    let deliverables = match request.deliverables {
        Some(list) => list
            .into_iter()
            .map(|d| DeliverableSpec {
                kind: d.kind,
                count: d.count,
                format: d.format.unwrap_or_else(|| d.kind.formats()[0].to_owned()),
            })
            .collect(),
        None => template.default_deliverables.clone(),
    };
    Ok(ValidTask {
        task_type: request.task_type,
        title: crate::text::tidy(&request.title),
        description: request.description.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty()),
        status: request.status.map_or(TaskStatus::OpenForQuotes, TaskStatus::from),
        location: Location {
            mode: request.location.mode,
            address: request.location.address.map(|a| a.trim().to_owned()),
            lat: request.location.lat,
            lng: request.location.lng,
            radius_m: request.location.radius_m.unwrap_or(template.default_checkin_radius_m),
        },
        start_at,
        duration_minutes: (request.schedule.duration_hours * 60.0).round() as i32,
        currency: request.budget.currency.as_str().to_owned(),
        pricing_model: request.budget.pricing_model.map_or("fixed", |m| m.as_str()).to_owned(),
        budget,
        deliverables,
        task_spec: request.task_spec,
    })
}

/// The template's rules, checked on whatever parts of the body are well-formed.
fn check_rules(template: &Template, body: &Value, now: DateTime<Utc>, errors: &mut Vec<String>) {
    let name = template.task_type.as_str();
    let rules = &template.rules;

    if let Some(title) = body.get("title").and_then(Value::as_str)
        && title.chars().filter(|c| !crate::text::is_blank_char(*c)).count() < 3
    {
        errors.push("/title: must have at least 3 characters besides spaces".into());
    }

    let location = body.get("location");
    let mode = location.and_then(|l| l.get("mode")).and_then(Value::as_str).and_then(LocationMode::parse);
    if let Some(mode) = mode {
        if !rules.location_modes.contains(&mode) {
            let allowed: Vec<&str> = rules.location_modes.iter().map(|m| m.as_str()).collect();
            errors.push(format!("/location/mode: {name} allows {}, not {}", allowed.join(" or "), mode.as_str()));
        }
        let address = location.and_then(|l| l.get("address")).and_then(Value::as_str).map(str::trim);
        if mode == LocationMode::Onsite && address.is_none_or(str::is_empty) {
            errors.push("/location/address: required when location.mode is onsite".into());
        }
    }
    let lat = location.and_then(|l| l.get("lat")).filter(|v| !v.is_null());
    let lng = location.and_then(|l| l.get("lng")).filter(|v| !v.is_null());
    match (lat, lng) {
        (None, None) if rules.requires_coordinates && location.is_some() => {
            errors.push(format!("/location/lat: required by {name}, which verifies check-ins by GPS"));
            errors.push(format!("/location/lng: required by {name}, which verifies check-ins by GPS"));
        }
        (Some(_), None) => errors.push("/location/lng: required when lat is given".into()),
        (None, Some(_)) => errors.push("/location/lat: required when lng is given".into()),
        _ => {}
    }

    let schedule = body.get("schedule");
    if let Some(text) = schedule.and_then(|s| s.get("start_at")).and_then(Value::as_str)
        && let Ok(start) = DateTime::parse_from_rfc3339(text)
    {
        let start = start.with_timezone(&Utc);
        let earliest = now + Duration::minutes(rules.min_lead_time_minutes);
        if start < earliest {
            errors.push(format!(
                "/schedule/start_at: must be at least {} minutes in the future (earliest {})",
                rules.min_lead_time_minutes,
                earliest.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ));
        } else if start > now + Duration::days(rules.max_days_ahead) {
            errors.push(format!("/schedule/start_at: must be within {} days", rules.max_days_ahead));
        }
    }
    if let Some(hours) = schedule.and_then(|s| s.get("duration_hours")).and_then(Value::as_f64)
        && hours > 0.0
        && !(rules.min_duration_hours..=rules.max_duration_hours).contains(&hours)
    {
        errors.push(format!(
            "/schedule/duration_hours: {name} takes between {} and {} hours, not {hours}",
            rules.min_duration_hours, rules.max_duration_hours
        ));
    }

    if let Some(max_total) = body.get("budget").and_then(|b| b.get("max_total")) {
        match dollars_from_json(max_total) {
            Ok(dollars) if (1..=MAX_DOLLARS).contains(&dollars) => {
                if dollars < rules.min_budget {
                    errors.push(format!("/budget/max_total: {name} needs at least {} dollars", rules.min_budget));
                } else if dollars > rules.max_budget {
                    errors.push(format!("/budget/max_total: {name} allows at most {} dollars", rules.max_budget));
                }
            }
            Ok(_) => {} // out of range: the schema already said so
            Err(e) if max_total.is_number() => errors.push(format!("/budget/max_total: {e}")),
            Err(_) => {}
        }
    }

    if let Some(list) = body.get("deliverables").and_then(Value::as_array) {
        for (i, d) in list.iter().enumerate() {
            let kind = d.get("kind").and_then(|k| serde_json::from_value::<DeliverableKind>(k.clone()).ok());
            let Some(kind) = kind else { continue };
            if !rules.deliverable_kinds.contains(&kind) {
                errors.push(format!("/deliverables/{i}/kind: {name} does not take {} deliverables", kind.as_str()));
            }
            if let Some(format) = d.get("format").and_then(Value::as_str)
                && !kind.formats().contains(&format)
            {
                errors.push(format!(
                    "/deliverables/{i}/format: {} is not a {} format ({})",
                    format,
                    kind.as_str(),
                    kind.formats().join(", ")
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-04-01T12:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn seed_example() -> Value {
        json!({
            "task_type": "PRODUCT_PHOTO_ECOMM",
            "title": "DEKE Spring SKU shoot — 10 products",
            "location": { "mode": "onsite", "address": "12 Hess St N, Hamilton ON" },
            "schedule": { "start_at": "2026-04-25T16:00:00Z", "duration_hours": 3 },
            "budget": { "currency": "CAD", "pricing_model": "fixed", "max_total": 300 },
            "deliverables": [{ "kind": "photo", "count": 30, "format": "jpeg" }],
            "task_spec": { "product_count": 10, "background": "white", "angles": ["front", "back", "detail"] }
        })
    }

    fn errors_of(body: &Value) -> Vec<String> {
        let err = validate(body, now()).unwrap_err();
        err.details.unwrap()["errors"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_owned()).collect()
    }

    #[test]
    fn the_seed_example_is_valid() {
        let task = validate(&seed_example(), now()).unwrap();
        assert_eq!(task.budget, Cents(30_000));
        assert_eq!(task.duration_minutes, 180);
        assert_eq!(task.status, TaskStatus::OpenForQuotes);
        assert_eq!(task.location.radius_m, 150);
    }

    #[test]
    fn every_problem_is_listed_with_its_path() {
        let mut body = seed_example();
        body["title"] = json!(12);
        body["schedule"]["start_at"] = json!("2020-01-01T00:00:00Z");
        body["budget"]["max_total"] = json!(20);
        body["task_spec"]["product_count"] = json!("ten");
        body["task_spec"]["extra"] = json!(true);
        body["surprise"] = json!(1);
        let errors = errors_of(&body);
        for path in
            ["/title:", "/schedule/start_at:", "/budget/max_total:", "/task_spec/product_count:", "/task_spec:", "/:"]
        {
            assert!(errors.iter().any(|e| e.starts_with(path)), "{path} missing in {errors:?}");
        }
    }

    #[test]
    fn money_must_be_whole_dollars() {
        let mut body = seed_example();
        body["budget"]["max_total"] = json!(300.0);
        assert_eq!(validate(&body, now()).unwrap().budget, Cents(30_000));
        body["budget"]["max_total"] = json!(300.5);
        assert!(errors_of(&body).iter().any(|e| e.starts_with("/budget/max_total")));
        body["budget"]["max_total"] = json!(-5);
        assert!(errors_of(&body).iter().any(|e| e.starts_with("/budget/max_total")));
        body["budget"]["max_total"] = json!(1e12);
        assert!(errors_of(&body).iter().any(|e| e.starts_with("/budget/max_total")));
    }

    #[test]
    fn onsite_needs_an_address_and_geo_templates_need_coordinates() {
        let mut body = seed_example();
        body["location"] = json!({"mode": "onsite"});
        assert!(errors_of(&body).iter().any(|e| e.starts_with("/location/address")));

        body = seed_example();
        body["task_type"] = json!("OOH_ASSET_VERIFICATION");
        body["budget"]["max_total"] = json!(50);
        body["schedule"]["duration_hours"] = json!(1);
        body["deliverables"] = json!([{"kind": "photo", "count": 3}]);
        body["task_spec"] = json!({"asset_id": "A1", "asset_type": "billboard", "campaign_name": "Spring"});
        let errors = errors_of(&body);
        assert!(errors.iter().any(|e| e.starts_with("/location/lat")), "{errors:?}");
        body["location"]["lat"] = json!(43.25);
        body["location"]["lng"] = json!(-79.87);
        let task = validate(&body, now()).unwrap();
        assert_eq!(task.location.radius_m, 300);
    }

    #[test]
    fn each_templates_example_spec_passes_its_schema() {
        for t in templates::all() {
            let mut errors = Vec::new();
            schema_errors(
                SPEC_VALIDATORS.get(&t.task_type).and_then(Option::as_ref),
                &t.example_task_spec,
                "/task_spec",
                &mut errors,
            );
            assert!(errors.is_empty(), "{}: {errors:?}", t.task_type);
        }
    }

    #[test]
    fn unknown_task_types_and_non_objects_are_refused() {
        let mut body = seed_example();
        body["task_type"] = json!("DOG_WALKING");
        assert!(errors_of(&body).iter().any(|e| e.starts_with("/task_type")));
        assert_eq!(errors_of(&json!([1, 2])), vec!["/: expected a JSON object".to_owned()]);
    }
}

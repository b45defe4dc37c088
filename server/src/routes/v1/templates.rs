//! `/v1/templates`: the task templates, public (discovery).

use crate::{error::ApiResult, extract::ApiPath};
use axum::Json;
use domain::error::ErrorEnvelope;
use domain::templates::{Template, TemplateList};

/// All task templates with their spec schemas, rules and acceptance tests.
#[utoipa::path(
    get, path = "/templates", tag = "Discovery",
    responses((status = 200, body = TemplateList), (status = 429, description = "Too many requests from this address", body = ErrorEnvelope))
)]
pub async fn list() -> Json<TemplateList> {
    Json(domain::templates::list())
}

/// One template.
#[utoipa::path(
    get, path = "/templates/{task_type}", tag = "Discovery",
    params(("task_type" = String, Path, description = "For example PRODUCT_PHOTO_ECOMM")),
    responses(
        (status = 200, body = Template),
        (status = 404, description = "No such task type", body = ErrorEnvelope),
        (status = 429, description = "Too many requests from this address", body = ErrorEnvelope),
    )
)]
pub async fn get(ApiPath(task_type): ApiPath<String>) -> ApiResult<Json<Template>> {
    Ok(Json(domain::templates::find(&task_type)?))
}

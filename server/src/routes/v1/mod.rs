//! `/v1`: the agents' JSON API. Every route is registered through utoipa-axum, so the
//! OpenAPI document is generated from the same list the router serves.

pub mod api_keys;
pub mod audit;
pub mod billing;
pub mod bookings;
pub mod developer;
pub mod disputes;
pub mod events;
pub mod files;
pub mod quotes;
pub mod stripe;
pub mod talent;
pub mod tasks;
pub mod templates;
pub mod test_helpers;
pub mod uploads;
pub mod webhooks;
pub mod work_orders;

use crate::{auth, csrf, error::ApiError, idempotency, rate_limit, state::AppState};
use axum::{
    http::{Method, Uri},
    middleware::from_fn_with_state,
};
use domain::{Error, ErrorCode};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let public = OpenApiRouter::new()
        .routes(routes!(developer::signup))
        .routes(routes!(templates::list))
        .routes(routes!(templates::get))
        .routes(routes!(billing::setup_form))
        .routes(routes!(stripe::fees))
        .routes(routes!(files::put_content))
        .routes(routes!(files::download))
        .routes(routes!(uploads::options))
        .route_layer(from_fn_with_state(state.clone(), rate_limit::general));

    // The writes that move money (or set up how it moves), under the money limit too.
    let money = OpenApiRouter::new()
        .routes(routes!(quotes::accept))
        .routes(routes!(bookings::create))
        .routes(routes!(bookings::cancel))
        .routes(routes!(billing::setup))
        .routes(routes!(billing::put_spend_cap))
        .routes(routes!(work_orders::accept))
        .routes(routes!(disputes::resolve))
        .route_layer(from_fn_with_state(state.clone(), rate_limit::money));

    let private = OpenApiRouter::new()
        .routes(routes!(api_keys::list, api_keys::create))
        .routes(routes!(api_keys::revoke))
        .routes(routes!(tasks::list, tasks::create))
        .routes(routes!(tasks::get))
        .routes(routes!(tasks::publish))
        .routes(routes!(audit::list))
        .routes(routes!(tasks::quote_requests::create))
        .routes(routes!(tasks::quotes::list))
        .routes(routes!(bookings::get))
        .routes(routes!(bookings::checkin))
        .routes(routes!(talent::search))
        .routes(routes!(talent::get))
        .routes(routes!(talent::quote))
        .routes(routes!(talent::decline))
        .routes(routes!(test_helpers::talent))
        .routes(routes!(test_helpers::attach_card))
        .routes(routes!(billing::status))
        .routes(routes!(billing::get_spend_cap))
        .routes(routes!(files::presign))
        .routes(routes!(files::get))
        .routes(routes!(files::thumbnail))
        .routes(routes!(uploads::create))
        .routes(routes!(uploads::head, uploads::patch, uploads::terminate))
        .routes(routes!(work_orders::get))
        .routes(routes!(work_orders::list_deliverables, work_orders::register_deliverables))
        .routes(routes!(work_orders::qa))
        .routes(routes!(work_orders::request_changes))
        .routes(routes!(work_orders::open_dispute))
        .routes(routes!(events::list))
        .routes(routes!(webhooks::create, webhooks::list))
        .routes(routes!(webhooks::delete))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::retry))
        .routes(routes!(webhooks::rotate_secret))
        .merge(money)
        // Outermost last: authenticate, then count, then dedupe.
        .route_layer(from_fn_with_state(state.clone(), idempotency::guard))
        .route_layer(from_fn_with_state(state.clone(), rate_limit::general))
        .route_layer(from_fn_with_state(state.clone(), auth::authenticate))
        .route_layer(from_fn_with_state(state.clone(), csrf::same_origin));

    public.merge(private)
}

pub async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError(Error::new(ErrorCode::NotFound, format!("No such endpoint: {method} {}", uri.path())))
}

pub async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError(Error::new(ErrorCode::MethodNotAllowed, format!("{method} is not allowed on {}", uri.path())))
}

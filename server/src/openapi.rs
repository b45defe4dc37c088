//! The OpenAPI 3.1 document's frame; the paths come from the `/v1` routes themselves.

use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "HumanDispatch API",
        description = "Hire local humans for on-site work. Money is in whole dollars at the boundary. Every error is `{\"error\": {http_status, code, message, details?, request_id}}`. POSTs accept an `Idempotency-Key` header (replayed for 24 h). Rate limits: 60 requests/min per key, 10/min on money endpoints; see the `RateLimit` and `RateLimit-Policy` headers.",
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "Developer", description = "Accounts and sign-up"),
        (name = "API keys", description = "More keys, listing, revoking"),
        (name = "Discovery", description = "Task templates"),
        (name = "Tasks", description = "Creating and reading tasks"),
        (name = "Audit", description = "The principal's audit log"),
        (name = "Quotes", description = "Inviting talent, quotes, accepting one"),
        (name = "Bookings", description = "Escrow, check-in, cancellation"),
        (name = "Talent", description = "Profiles, search, and quoting as talent"),
        (name = "Billing", description = "Cards on file and the monthly spend cap"),
        (name = "Sandbox", description = "Helpers for sandbox accounts"),
        (name = "Files", description = "Presigned uploads, resumable uploads (tus 1.0), signed downloads"),
        (name = "Work orders", description = "Deliverables, QA, changes, acceptance with payout, disputes"),
        (name = "Events", description = "Polling the event stream"),
        (name = "Webhooks", description = "Signed event deliveries with retries"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("hd_test_… / hd_live_…")
                    .description(Some("An API key from POST /v1/developer/signup or POST /v1/api_keys"))
                    .build(),
            ),
        );
    }
}

/// Gives every operation an id unique in the document (`post_tasks_quote_requests`), derived
/// from its method and path: handlers in different modules share names (`create`, `get`).
pub fn unique_operation_ids(doc: &mut utoipa::openapi::OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let words: Vec<String> = path
            .trim_start_matches("/v1")
            .split('/')
            .filter(|s| !s.is_empty() && !s.starts_with('{'))
            .map(str::to_owned)
            .collect();
        let by_id = path.ends_with('}');
        for (method, op) in [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
            ("head", &mut item.head),
            ("options", &mut item.options),
        ] {
            if let Some(op) = op {
                let suffix = if by_id && method != "post" { "_by_id" } else { "" };
                op.operation_id = Some(format!("{method}_{}{suffix}", words.join("_")));
            }
        }
    }
}

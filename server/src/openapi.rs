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

/// The error responses every operation can give, documented once as shared responses and
/// referenced from each operation that lacks its own entry: 400 for any parameter or body that
/// does not parse, 401 where a key is needed, 413 and 415 where a body is read, 429, 500 and
/// 503 everywhere. And one schema for the `Idempotency-Key` header, as the server checks it.
pub fn shared_contract(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        ContentBuilder, Ref, RefOr, ResponseBuilder,
        schema::{ObjectBuilder, Type},
    };
    const SHARED: [(&str, &str, &str); 7] = [
        ("400", "BadRequest", "A parameter, header or body that does not parse (SCHEMA_VALIDATION_FAILED)"),
        ("401", "Unauthorized", "A missing, unknown or revoked key, or one of the wrong kind (AUTH_SCOPE_DENIED)"),
        ("413", "PayloadTooLarge", "The body is larger than the server takes (PAYLOAD_TOO_LARGE)"),
        ("415", "UnsupportedMediaType", "A body that is not JSON (UNSUPPORTED_MEDIA_TYPE)"),
        ("429", "RateLimited", "Over a rate limit; see Retry-After and RateLimit (RATE_LIMITED)"),
        ("500", "Internal", "A failure on our side; quote the request_id (INTERNAL)"),
        ("503", "Unavailable", "The database or the payment gateway did not answer; retry (SERVICE_UNAVAILABLE)"),
    ];
    let components = doc.components.get_or_insert_with(Default::default);
    for (_, name, description) in SHARED {
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorEnvelope"))).build();
        let response = ResponseBuilder::new().description(description).content("application/json", content).build();
        components.responses.insert(name.to_owned(), RefOr::T(response));
    }
    let idempotency_key = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(255))
        .pattern(Some("^[!-~]+$"))
        .build();
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
            &mut item.head,
            &mut item.options,
        ]
        .into_iter()
        .flatten()
        {
            for param in op.parameters.iter_mut().flatten() {
                if let RefOr::T(p) = param
                    && p.name.eq_ignore_ascii_case("Idempotency-Key")
                {
                    p.schema = Some(RefOr::T(idempotency_key.clone().into()));
                    p.description = Some(
                        "1–255 printable ASCII characters without spaces; the same key and body within 24 h \
                         replay the first answer"
                            .into(),
                    );
                }
            }
            let (secured, body) = (op.security.is_some(), op.request_body.is_some());
            for (status, name, _) in SHARED {
                let applies = match status {
                    "401" => secured,
                    "413" | "415" => body,
                    _ => true,
                };
                if applies {
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
                }
            }
        }
    }
}

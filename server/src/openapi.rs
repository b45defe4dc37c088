//! The OpenAPI 3.1 document's frame; the paths come from the `/v1` routes themselves.

use domain::events::{self, EventType};
use utoipa::{
    Modify, OpenApi, ToSchema,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "HumanDispatch API",
        description = "Hire local humans for on-site work. Money is in whole dollars at the boundary. Every error is `{\"error\": {http_status, code, message, details?, request_id}}`. POSTs accept an `Idempotency-Key` header (replayed for 24 h). Rate limits: 60 requests/min per key, 10/min on money endpoints; see the `RateLimit` and `RateLimit-Policy` headers.",
    ),
    modifiers(&BearerAuth),
    components(schemas(
        events::TaskCreated, events::TaskPolicyBlocked, events::QuoteRequested, events::QuoteReceived,
        events::BookingConfirmed, events::BookingCheckinRecorded, events::DeliverableRegistered, events::QaCompleted,
        events::WorkOrderChangesRequested, events::WorkOrderAccepted, events::PayoutInitiated, events::DisputeOpened,
    )),
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
/// 503 everywhere. And one schema for each header the server checks the same way everywhere:
/// `Idempotency-Key`, and tus' `Tus-Resumable` (with its 412) and `Upload-Length`.
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
    let tus_version =
        ObjectBuilder::new().schema_type(Type::String).enum_values(Some([domain::files::tus::VERSION])).build();
    let upload_length = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).build();
    for item in doc.paths.paths.values_mut() {
        for op in item_operations(item) {
            let mut tus = false;
            for param in op.parameters.iter_mut().flatten() {
                let RefOr::T(p) = param else { continue };
                if p.name.eq_ignore_ascii_case("Idempotency-Key") {
                    p.schema = Some(RefOr::T(idempotency_key.clone().into()));
                    p.description = Some(
                        "1–255 printable ASCII characters without spaces; the same key and body within 24 h \
                         replay the first answer"
                            .into(),
                    );
                } else if p.name.eq_ignore_ascii_case("Tus-Resumable") {
                    p.schema = Some(RefOr::T(tus_version.clone().into()));
                    tus = true;
                } else if p.name.eq_ignore_ascii_case("Upload-Length") {
                    p.schema = Some(RefOr::T(upload_length.clone().into()));
                }
            }
            if tus {
                let response = ResponseBuilder::new()
                    .description("A Tus-Resumable other than the version this server speaks (PRECONDITION_FAILED)")
                    .content(
                        "application/json",
                        ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorEnvelope"))).build(),
                    )
                    .build();
                op.responses.responses.entry("412".to_owned()).or_insert(RefOr::T(response));
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
            // OpenAPI requires a description on every response (generated clients refuse a
            // document without): the shared one for its status, else the status' own name.
            for (status, response) in op.responses.responses.iter_mut() {
                let RefOr::T(response) = response else { continue };
                if response.description.is_empty() {
                    let shared = SHARED.iter().find(|(s, _, _)| s == status).map(|(_, _, d)| (*d).to_owned());
                    let reason = status
                        .parse::<u16>()
                        .ok()
                        .and_then(|code| http::StatusCode::from_u16(code).ok())
                        .and_then(|code| code.canonical_reason())
                        .map(str::to_owned);
                    response.description = shared.or(reason).unwrap_or_else(|| status.clone());
                }
            }
        }
    }
}

/// The payload schema of each event type, by name in `components.schemas`.
fn payload_schema(event: EventType) -> std::borrow::Cow<'static, str> {
    match event {
        EventType::TaskCreated => events::TaskCreated::name(),
        EventType::TaskPolicyBlocked => events::TaskPolicyBlocked::name(),
        EventType::QuoteRequested => events::QuoteRequested::name(),
        EventType::QuoteReceived => events::QuoteReceived::name(),
        EventType::QuoteDeclined => domain::quotes::DeclinedInvitation::name(),
        EventType::BookingConfirmed => events::BookingConfirmed::name(),
        EventType::BookingCheckinRecorded => events::BookingCheckinRecorded::name(),
        EventType::DeliverableRegistered => events::DeliverableRegistered::name(),
        EventType::QaCompleted => events::QaCompleted::name(),
        EventType::WorkOrderChangesRequested => events::WorkOrderChangesRequested::name(),
        EventType::WorkOrderAccepted => events::WorkOrderAccepted::name(),
        EventType::PayoutInitiated => events::PayoutInitiated::name(),
        EventType::DisputeOpened => events::DisputeOpened::name(),
    }
}

/// OpenAPI 3.1 `webhooks`: one entry per event type, the POST a subscribed endpoint receives
/// (the same object `GET /v1/events` lists), signed as the Webhooks tag describes.
pub fn webhooks(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        ContentBuilder, HttpMethod, PathItem, PathsBuilder, Ref, ResponseBuilder, ResponsesBuilder,
        path::OperationBuilder,
        request_body::RequestBodyBuilder,
        schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type},
    };
    let mut paths = PathsBuilder::new();
    for event in EventType::ALL {
        let envelope = ObjectBuilder::new()
            .property(
                "id",
                ObjectBuilder::new().schema_type(Type::String).description(Some("Unique per event; dedupe on it")),
            )
            .required("id")
            .property("type", ObjectBuilder::new().schema_type(Type::String).enum_values(Some([event.as_str()])))
            .required("type")
            .property(
                "created_at",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
            )
            .required("created_at")
            .property("data", Ref::from_schema_name(payload_schema(event)))
            .required("data");
        let body = RequestBodyBuilder::new()
            .required(Some(utoipa::openapi::Required::True))
            .content("application/json", ContentBuilder::new().schema(Some(envelope)).build())
            .build();
        let operation = OperationBuilder::new()
            .operation_id(Some(format!("webhook_{}", event.as_str().replace('.', "_"))))
            .summary(Some(format!("{} (sent to your endpoint)", event.as_str())))
            .description(Some(
                "Signed with `X-HumanDispatch-Signature` (HMAC-SHA256 of `{timestamp}.{body}`) and the Standard \
                 Webhooks headers. Answer 2xx within 15 s; anything else is retried with backoff.",
            ))
            .tag("Webhooks")
            .request_body(Some(body))
            .responses(ResponsesBuilder::new().response("200", ResponseBuilder::new().description("Received")).build())
            .build();
        paths = paths.path(event.as_str(), PathItem::new(HttpMethod::Post, operation));
    }
    doc.webhooks = Some(paths.build());
}

/// OpenAPI links: from a response that creates something to the operations that take its id,
/// so a client (or a fuzzer) can follow one call with the next: `(operation, status, link name,
/// target operation, target parameter, where the value is in the response)`.
pub const LINKS: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("post_tasks", "201", "GetTask", "get_tasks_by_id", "task_id", "$response.body#/id"),
    ("post_tasks", "201", "ListQuotes", "get_tasks_quotes", "task_id", "$response.body#/id"),
    ("post_tasks", "201", "RequestQuotes", "post_tasks_quote_requests", "task_id", "$response.body#/id"),
    ("post_test_helpers_talent", "201", "GetTalent", "get_talent_by_id", "talent_id", "$response.body#/talent/id"),
    ("post_test_helpers_talent", "201", "Quote", "post_talent_quote", "talent_id", "$response.body#/talent/id"),
    ("post_talent_quote", "201", "AcceptQuote", "post_quotes_accept", "quote_id", "$response.body#/id"),
    ("post_talent_quote", "201", "GetTask", "get_tasks_by_id", "task_id", "$response.body#/task_id"),
    ("post_bookings", "201", "GetBooking", "get_bookings_by_id", "booking_id", "$response.body#/id"),
    ("post_bookings", "201", "CheckIn", "post_bookings_checkin", "booking_id", "$response.body#/id"),
    ("post_bookings", "201", "Cancel", "post_bookings_cancel", "booking_id", "$response.body#/id"),
    ("post_bookings", "201", "GetWorkOrder", "get_work_orders_by_id", "work_order_id", "$response.body#/work_order_id"),
    ("post_bookings", "200", "GetBooking", "get_bookings_by_id", "booking_id", "$response.body#/id"),
    (
        "get_bookings_by_id",
        "200",
        "GetWorkOrder",
        "get_work_orders_by_id",
        "work_order_id",
        "$response.body#/work_order_id",
    ),
    (
        "get_work_orders_by_id",
        "200",
        "ListDeliverables",
        "get_work_orders_deliverables",
        "work_order_id",
        "$response.body#/id",
    ),
    ("get_work_orders_by_id", "200", "GetQa", "get_work_orders_qa", "work_order_id", "$response.body#/id"),
    ("post_work_orders_disputes", "201", "Resolve", "post_disputes_resolve", "dispute_id", "$response.body#/id"),
    ("post_files_presign", "201", "GetFile", "get_files_by_id", "file_id", "$response.body#/file_id"),
    ("post_api_keys", "201", "Revoke", "delete_api_keys_by_id", "key_id", "$response.body#/id"),
    ("post_webhooks", "201", "ListDeliveries", "get_webhooks_deliveries", "webhook_id", "$response.body#/id"),
    ("post_webhooks", "201", "Delete", "delete_webhooks_by_id", "webhook_id", "$response.body#/id"),
];

/// Adds [`LINKS`] to the document. A link naming an operation, status or parameter the document
/// does not have is a mistake in the table, and the document test finds it.
pub fn links(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{RefOr, link::LinkBuilder};
    for item in doc.paths.paths.values_mut() {
        for op in item_operations(item) {
            let Some(id) = op.operation_id.clone() else { continue };
            for (_, status, name, target, parameter, value) in LINKS.iter().filter(|l| l.0 == id) {
                if let Some(RefOr::T(response)) = op.responses.responses.get_mut(*status) {
                    let link = LinkBuilder::new().operation_id(*target).parameter(*parameter, *value).build();
                    response.links.insert((*name).to_owned(), RefOr::T(link));
                }
            }
        }
    }
}

fn item_operations(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.options.as_mut(),
        item.head.as_mut(),
        item.patch.as_mut(),
        item.trace.as_mut(),
    ]
    .into_iter()
    .flatten()
}

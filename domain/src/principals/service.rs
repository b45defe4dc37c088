use super::{Mode, SignupRequest, SignupResponse, validate_signup};
use crate::caller::Caller;
use crate::entities::{api_keys, principals};
use crate::rate_limit::{self, Policy};
use crate::{Error, ErrorCode, Services, audit, ids, secrets};
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait};
use serde_json::json;

/// Creates a principal with its first API key. Limited per client address
/// (`signups_per_hour`); live accounts only when a real payment gateway is configured.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn signup(
    svc: &Services,
    request: SignupRequest,
    client_addr: &str,
    request_id: Option<String>,
) -> Result<SignupResponse, Error> {
    validate_signup(&request).map_err(|errors| Error::validation("Sign-up validation failed", errors))?;
    let policy = Policy { name: "signup", quota: svc.config.signups_per_hour, window_secs: 3600 };
    let message = format!("Too many sign-ups from this address: {} per hour", policy.quota);
    rate_limit::enforce(&svc.db, &format!("ip:{client_addr}:signup"), &policy, &message).await?;
    let mode = request.mode.unwrap_or(Mode::Sandbox);
    if mode == Mode::Live && !svc.config.live_payments {
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            "Live mode needs a real payment gateway, and this server runs the sandbox gateway only",
        )
        .with_details(json!({ "requested_mode": "live", "available_modes": ["sandbox"] })));
    }
    let name = crate::text::tidy(&request.name);
    let now = crate::time::now();
    let principal_id = ids::new_id("prn");
    let key_id = ids::new_id("key");
    let api_key = secrets::new_token(mode.key_prefix());
    let caller = Caller::principal(principal_id.clone(), Some(key_id.clone()), mode).with_request_id(request_id);

    let txn = svc.db.begin().await?;
    principals::Entity::insert(principals::ActiveModel {
        id: Set(principal_id.clone()),
        name: Set(name.clone()),
        email: Set(request.email.clone()),
        mode: Set(mode.as_str().to_owned()),
        created_at: Set(now),
        session_generation: Set(0),
    })
    .exec_without_returning(&txn)
    .await?;
    api_keys::Entity::insert(api_keys::ActiveModel {
        id: Set(key_id.clone()),
        principal_id: Set(principal_id.clone()),
        name: Set(Some("default".to_owned())),
        prefix: Set(secrets::display_prefix(&api_key)),
        key_hash: Set(secrets::hash_token(&api_key)),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    audit::record(
        &txn,
        &caller,
        &principal_id,
        "principal.created",
        "principal",
        &principal_id,
        json!({ "name": name, "email": request.email, "mode": mode }),
    )
    .await?;
    audit::record(&txn, &caller, &principal_id, "api_key.created", "api_key", &key_id, json!({ "name": "default" }))
        .await?;
    txn.commit().await?;

    Ok(SignupResponse { principal_id, mode, api_key })
}

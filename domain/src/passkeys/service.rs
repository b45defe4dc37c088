use super::{MAX_PER_OWNER, NAME_MAX_CHARS, SavedPasskey};
use crate::caller::{Actor, Caller};
use crate::entities::{passkeys, principals, talent};
use crate::{Error, ErrorCode, Services, audit, ids};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url,
    Uuid, Webauthn, WebauthnBuilder,
};

/// Who a passkey signs in: a talent (the portal) or a principal (the dashboard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Talent(String),
    Principal(String),
}

impl Owner {
    fn of(caller: &Caller) -> Result<Owner, Error> {
        match &caller.actor {
            Actor::Talent { talent_id } => Ok(Owner::Talent(talent_id.clone())),
            // Only the account's owner in a session keeps passkeys, never an agent's key.
            Actor::Principal { principal_id, api_key_id: None } => Ok(Owner::Principal(principal_id.clone())),
            _ => Err(Error::auth("Passkeys belong to a person signed in in a browser, not to an API key")),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Owner::Talent(_) => "talent",
            Owner::Principal(_) => "principal",
        }
    }

    fn id(&self) -> &str {
        match self {
            Owner::Talent(id) | Owner::Principal(id) => id,
        }
    }
}

/// The first half of a ceremony: `options` go to the browser's `navigator.credentials`, `state`
/// stays on the server (in the session) until the browser answers.
#[derive(Debug)]
pub struct Ceremony {
    pub options: serde_json::Value,
    pub state: String,
}

/// The relying party is the site at the public URL. Browsers take only a domain name as a
/// relying party (`localhost` included), never an IP address.
fn relying_party(svc: &Services) -> Result<Webauthn, Error> {
    let unavailable = |why: String| {
        Error::new(ErrorCode::PreconditionFailed, format!("Passkeys are not available on this server: {why}"))
    };
    let origin = Url::parse(&svc.config.public_url)
        .map_err(|e| unavailable(format!("its public URL {:?} does not parse ({e})", svc.config.public_url)))?;
    let host = match origin.host() {
        Some(url::Host::Domain(name)) => name.to_owned(),
        _ => {
            return Err(unavailable(format!(
                "its public URL {} is not a domain name (set HD_PUBLIC_URL, such as http://localhost:3000)",
                svc.config.public_url
            )));
        }
    };
    WebauthnBuilder::new(&host, &origin)
        .and_then(|b| b.rp_name("HumanDispatch").build())
        .map_err(|e| unavailable(format!("{e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(Error::internal)
}

fn saved(m: passkeys::Model) -> SavedPasskey {
    SavedPasskey { id: m.id, name: m.name, created_at: m.created_at, last_used_at: m.last_used_at }
}

fn of_owner(owner: &Owner) -> sea_orm::Select<passkeys::Entity> {
    passkeys::Entity::find()
        .filter(passkeys::Column::OwnerKind.eq(owner.kind()))
        .filter(passkeys::Column::OwnerId.eq(owner.id()))
}

/// How the owner's authenticator names the account (`name`, then what is shown), and the
/// principal whose audit log records the change (a live talent's belong to none).
async fn account(db: &impl ConnectionTrait, owner: &Owner) -> Result<(String, String, Option<String>), Error> {
    match owner {
        Owner::Talent(id) => {
            let t = talent::Entity::find_by_id(id.clone()).one(db).await?.ok_or_else(|| Error::not_found("Talent"))?;
            let shown = if t.mode == "sandbox" { format!("{} (sandbox)", t.name) } else { t.name.clone() };
            Ok((t.email, shown, t.owner_principal_id))
        }
        Owner::Principal(id) => {
            let p = principals::Entity::find_by_id(id.clone())
                .one(db)
                .await?
                .ok_or_else(|| Error::not_found("Principal"))?;
            Ok((p.email, p.name, Some(p.id)))
        }
    }
}

/// Starts registering a passkey, to be called `name`, for the signed-in caller. The
/// authenticator is asked to keep the credential (a discoverable one), so that signing in later
/// needs no address. The name is checked first: a bad one is refused before the device asks for
/// a fingerprint.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn start_registration(svc: &Services, caller: &Caller, name: &str) -> Result<Ceremony, Error> {
    let owner = Owner::of(caller)?;
    let name = passkey_name(name)?;
    let webauthn = relying_party(svc)?;
    let existing = of_owner(&owner).all(&svc.db).await?;
    if existing.len() >= MAX_PER_OWNER {
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            format!("You have {MAX_PER_OWNER} passkeys, the most one account keeps: remove one to add another"),
        ));
    }
    let (user_name, shown, _) = account(&svc.db, &owner).await?;
    let handle = match existing.first() {
        Some(p) => Uuid::parse_str(&p.user_handle).map_err(Error::internal)?,
        None => Uuid::new_v4(),
    };
    let mut excluded = Vec::with_capacity(existing.len());
    for p in &existing {
        excluded.push(serde_json::from_str::<Passkey>(&p.passkey).map_err(Error::internal)?.cred_id().clone());
    }
    let (options, state) = webauthn
        .start_passkey_registration(handle, &user_name, &shown, Some(excluded))
        .map_err(|e| Error::internal(format!("starting a passkey registration: {e}")))?;
    let mut options = serde_json::to_value(&options).map_err(Error::internal)?;
    // webauthn-rs leaves the choice to the authenticator; a credential that is not kept on the
    // device could not sign in without an address. (Registration does not check this flag.)
    options["publicKey"]["authenticatorSelection"]["residentKey"] = json!("required");
    options["publicKey"]["authenticatorSelection"]["requireResidentKey"] = json!(true);
    let state = json!({ "owner": owner.id(), "handle": handle.to_string(), "name": name, "registration": state });
    Ok(Ceremony { options, state: to_json(&state)? })
}

/// A passkey's name as typed: trimmed, not empty, at most [`NAME_MAX_CHARS`].
fn passkey_name(name: &str) -> Result<String, Error> {
    let name = name.trim();
    let problem = if name.is_empty() {
        Some("/name: give the passkey a name, such as the device it is on".to_owned())
    } else if name.chars().count() > NAME_MAX_CHARS {
        Some(format!("/name: at most {NAME_MAX_CHARS} characters"))
    } else {
        None
    };
    match problem {
        Some(p) => Err(Error::validation("Invalid passkey", vec![p])),
        None => Ok(name.to_owned()),
    }
}

/// Finishes a registration begun by [`start_registration`] with the browser's answer
/// (`credential`, the JSON of the new `PublicKeyCredential`).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn finish_registration(
    svc: &Services,
    caller: &Caller,
    state: Option<&str>,
    credential: &str,
) -> Result<SavedPasskey, Error> {
    let owner = Owner::of(caller)?;
    let expired =
        || Error::validation("No passkey registration is under way", vec!["start again: press Add a passkey".into()]);
    let state: serde_json::Value = serde_json::from_str(state.ok_or_else(expired)?).map_err(Error::internal)?;
    if state["owner"].as_str() != Some(owner.id()) {
        return Err(expired());
    }
    let handle = state["handle"].as_str().ok_or_else(|| Error::internal("registration state without a handle"))?;
    let name = state["name"].as_str().ok_or_else(|| Error::internal("registration state without a name"))?.to_owned();
    let registration: PasskeyRegistration =
        serde_json::from_value(state["registration"].clone()).map_err(Error::internal)?;
    let response: RegisterPublicKeyCredential = serde_json::from_str(credential).map_err(|e| {
        Error::validation("Invalid passkey", vec![format!("/credential: not a WebAuthn credential ({e})")])
    })?;
    let passkey = relying_party(svc)?
        .finish_passkey_registration(&response, &registration)
        .map_err(|e| Error::validation("The passkey could not be verified", vec![format!("/credential: {e}")]))?;

    let now = crate::time::now();
    let row = passkeys::Model {
        id: ids::new_id("pk"),
        owner_kind: owner.kind().to_owned(),
        owner_id: owner.id().to_owned(),
        user_handle: handle.to_owned(),
        credential_id: URL_SAFE_NO_PAD.encode(passkey.cred_id()),
        name,
        passkey: to_json(&passkey)?,
        created_at: now,
        last_used_at: None,
    };
    let txn = svc.db.begin().await?;
    let (_, _, audited) = account(&txn, &owner).await?;
    let taken =
        passkeys::Entity::find().filter(passkeys::Column::CredentialId.eq(&row.credential_id)).count(&txn).await?;
    if taken > 0 {
        return Err(Error::validation(
            "This passkey is already registered",
            vec!["/credential: this authenticator's passkey is already in use here".into()],
        ));
    }
    passkeys::Entity::insert(passkeys::ActiveModel::from(row.clone())).exec_without_returning(&txn).await?;
    if let Some(principal) = audited {
        audit::record(&txn, caller, &principal, "passkey.registered", "passkey", &row.id, json!({ "name": row.name }))
            .await?;
    }
    txn.commit().await?;
    Ok(saved(row))
}

/// The caller's passkeys, oldest first.
pub async fn list(svc: &Services, caller: &Caller) -> Result<Vec<SavedPasskey>, Error> {
    let owner = Owner::of(caller)?;
    let rows = of_owner(&owner).order_by_asc(passkeys::Column::CreatedAt).all(&svc.db).await?;
    Ok(rows.into_iter().map(saved).collect())
}

/// Removes one of the caller's passkeys: it no longer signs anyone in. Someone else's is not
/// found.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn remove(svc: &Services, caller: &Caller, passkey_id: &str) -> Result<SavedPasskey, Error> {
    let owner = Owner::of(caller)?;
    let txn = svc.db.begin().await?;
    let row = of_owner(&owner)
        .filter(passkeys::Column::Id.eq(passkey_id))
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("Passkey"))?;
    passkeys::Entity::delete_by_id(row.id.clone()).exec(&txn).await?;
    let (_, _, audited) = account(&txn, &owner).await?;
    if let Some(principal) = audited {
        audit::record(&txn, caller, &principal, "passkey.removed", "passkey", &row.id, json!({ "name": row.name }))
            .await?;
    }
    txn.commit().await?;
    Ok(saved(row))
}

/// Starts a sign-in with any passkey this site's browser holds: no address is asked for.
pub fn start_sign_in(svc: &Services) -> Result<Ceremony, Error> {
    let (options, state) = relying_party(svc)?
        .start_discoverable_authentication()
        .map_err(|e| Error::internal(format!("starting a passkey sign-in: {e}")))?;
    Ok(Ceremony {
        // `mediation` asks for the browser's autofill UI; the sign-in button wants its dialog.
        options: json!({ "publicKey": options.public_key }),
        state: to_json(&state)?,
    })
}

/// Finishes a sign-in begun by [`start_sign_in`]: whose passkey answered, verified. The
/// passkey's counter and backup state are kept up to date and its last use recorded.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn finish_sign_in(svc: &Services, state: Option<&str>, credential: &str) -> Result<Owner, Error> {
    let refused = |why: &str| Error::auth(format!("Passkey sign-in refused: {why}"));
    let state: DiscoverableAuthentication =
        serde_json::from_str(state.ok_or_else(|| refused("no sign-in is under way; press the button again"))?)
            .map_err(Error::internal)?;
    let response: PublicKeyCredential = serde_json::from_str(credential).map_err(|e| {
        Error::validation("Invalid passkey sign-in", vec![format!("/credential: not a WebAuthn assertion ({e})")])
    })?;
    let webauthn = relying_party(svc)?;
    let (handle, credential_id) = webauthn
        .identify_discoverable_authentication(&response)
        .map_err(|_| refused("the passkey did not say whose it is"))?;
    let row = passkeys::Entity::find()
        .filter(passkeys::Column::CredentialId.eq(URL_SAFE_NO_PAD.encode(credential_id)))
        .one(&svc.db)
        .await?
        .filter(|row| row.user_handle == handle.to_string())
        .ok_or_else(|| refused("this passkey is not registered here (it may have been removed)"))?;
    let mut passkey: Passkey = serde_json::from_str(&row.passkey).map_err(Error::internal)?;
    let result = webauthn
        .finish_discoverable_authentication_v2(&response, state, &passkey)
        .map_err(|e| refused(&format!("{e}")))?;
    let mut update = passkeys::ActiveModel {
        id: Set(row.id.clone()),
        last_used_at: Set(Some(crate::time::now())),
        ..Default::default()
    };
    if passkey.update_credential(&result) == Some(true) {
        update.passkey = Set(to_json(&passkey)?);
    }
    passkeys::Entity::update(update).exec(&svc.db).await?;
    match row.owner_kind.as_str() {
        "talent" => Ok(Owner::Talent(row.owner_id)),
        "principal" => Ok(Owner::Principal(row.owner_id)),
        other => Err(Error::internal(format!("passkey {} has an owner of kind {other:?}", row.id))),
    }
}

#[cfg(test)]
mod tests {
    use super::passkey_name;

    #[test]
    fn a_passkey_needs_a_short_name() {
        assert_eq!(passkey_name("  Pixel 8 ").unwrap(), "Pixel 8");
        assert!(passkey_name("   ").is_err());
        assert!(passkey_name(&"x".repeat(61)).is_err());
        assert!(passkey_name(&"é".repeat(60)).is_ok(), "counted in characters, not bytes");
    }
}

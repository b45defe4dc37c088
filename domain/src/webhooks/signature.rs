//! Signing a delivery two ways: HumanDispatch's own header, and the Standard Webhooks headers
//! so off-the-shelf verifiers work.
//!
//! - `X-HumanDispatch-Signature: v1=<hex HMAC-SHA256(key, "{timestamp}.{body}")>`,
//!   `X-HumanDispatch-Timestamp: <unix seconds>`, `X-HumanDispatch-Event-Id: <evt_…>`;
//! - `webhook-id: <evt_…>`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256(key,
//!   "{id}.{timestamp}.{body}")>`.
//!
//! The key is the secret's bytes after `whsec_` base64-decoded (Standard Webhooks' form), or the
//! secret's UTF-8 bytes for any other secret.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub fn key(secret: &str) -> Vec<u8> {
    secret
        .strip_prefix("whsec_")
        .and_then(|b64| STANDARD.decode(b64).ok())
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| secret.as_bytes().to_vec())
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC takes keys of any length; this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return Vec::new(),
    };
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// The value of `X-HumanDispatch-Signature`.
pub fn humandispatch(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("v1={}", hex::encode(hmac(&key(secret), &[timestamp.to_string().as_bytes(), b".", body])))
}

/// The value of `webhook-signature`.
pub fn standard(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let mac = hmac(&key(secret), &[id.as_bytes(), b".", timestamp.to_string().as_bytes(), b".", body]);
    format!("v1,{}", STANDARD.encode(mac))
}

/// A new secret in Standard Webhooks' form.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    format!("whsec_{}", STANDARD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_signatures() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        assert_eq!(key(secret), STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap());
        assert_eq!(key("wh_plain_secret"), b"wh_plain_secret".to_vec());
        // The Standard Webhooks specification's example.
        let sig = standard(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, br#"{"test": 2432232314}"#);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        let ours = humandispatch(secret, 1614265330, b"{}");
        assert!(ours.starts_with("v1=") && ours.len() == 3 + 64);
        assert!(new_secret().starts_with("whsec_"));
    }
}

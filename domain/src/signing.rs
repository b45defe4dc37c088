//! Signed URLs: a purpose, an id and an expiry, signed with the installation's secret. Anyone
//! holding the URL may use it until it expires; changing any part of it breaks the signature.

use crate::{Error, ErrorCode};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

#[derive(Clone)]
pub struct UrlSigner {
    key: std::sync::Arc<[u8]>,
}

impl std::fmt::Debug for UrlSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UrlSigner(..)")
    }
}

impl UrlSigner {
    pub fn new(secret: &[u8]) -> Self {
        UrlSigner { key: secret.into() }
    }

    fn mac(&self, purpose: &str, id: &str, expires: i64) -> Result<Vec<u8>, Error> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).map_err(Error::internal)?;
        mac.update(format!("url\0{purpose}\0{id}\0{expires}").as_bytes());
        Ok(mac.finalize().into_bytes().to_vec())
    }

    /// `?expires=…&signature=…` for `purpose` on `id`.
    pub fn query(&self, purpose: &str, id: &str, expires: DateTime<Utc>) -> Result<String, Error> {
        let ts = expires.timestamp();
        Ok(format!("expires={ts}&signature={}", hex::encode(self.mac(purpose, id, ts)?)))
    }

    /// Checks a signed URL's query: 403 `POLICY_BLOCKED` when expired or tampered with.
    pub fn verify(
        &self,
        purpose: &str,
        id: &str,
        expires: Option<i64>,
        signature: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let refused = |why: &str| {
            Error::new(ErrorCode::PolicyBlocked, format!("This link is not valid: {why}"))
                .with_details(serde_json::json!({ "current_status": why }))
        };
        let (Some(expires), Some(signature)) = (expires, signature) else {
            return Err(refused("unsigned"));
        };
        let given = hex::decode(signature).map_err(|_| refused("tampered"))?;
        let expected = self.mac(purpose, id, expires)?;
        if !bool::from(given.as_slice().ct_eq(expected.as_slice())) {
            return Err(refused("tampered"));
        }
        if expires <= now.timestamp() {
            return Err(refused("expired"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn signed_queries_verify_until_they_expire_and_not_once_changed() {
        let signer = UrlSigner::new(b"secret");
        let now = Utc::now();
        let q = signer.query("download", "file_1", now + Duration::minutes(15)).unwrap();
        let (e, s) = q.split_once('&').unwrap();
        let expires: i64 = e.trim_start_matches("expires=").parse().unwrap();
        let sig = s.trim_start_matches("signature=");
        assert!(signer.verify("download", "file_1", Some(expires), Some(sig), now).is_ok());
        assert!(signer.verify("download", "file_2", Some(expires), Some(sig), now).is_err());
        assert!(signer.verify("upload", "file_1", Some(expires), Some(sig), now).is_err());
        assert!(signer.verify("download", "file_1", Some(expires + 60), Some(sig), now).is_err());
        assert!(signer.verify("download", "file_1", Some(expires), Some(sig), now + Duration::minutes(16)).is_err());
        assert!(signer.verify("download", "file_1", None, None, now).is_err());
        assert!(UrlSigner::new(b"other").verify("download", "file_1", Some(expires), Some(sig), now).is_err());
    }
}

//! Bearer tokens and hashes: random keys shown once, stored only as SHA-256, compared in
//! constant time.

use rand::{Rng, distr::Alphanumeric};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A fresh token: `prefix` followed by 32 random base62 characters (~190 bits).
pub fn new_token(prefix: &str) -> String {
    let random: String = rand::rng().sample_iter(&Alphanumeric).take(32).map(char::from).collect();
    format!("{prefix}{random}")
}

/// What is stored in place of a token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether `token` hashes to `stored`, without timing that depends on where they differ.
pub fn token_matches(token: &str, stored: &str) -> bool {
    hash_token(token).as_bytes().ct_eq(stored.as_bytes()).into()
}

/// The start of a token, shown in lists so an owner can tell keys apart.
pub fn display_prefix(token: &str) -> String {
    let visible: String = token.chars().take(12).collect();
    format!("{visible}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_verified_by_hash() {
        let a = new_token("hd_test_");
        let b = new_token("hd_test_");
        assert_ne!(a, b);
        assert!(a.starts_with("hd_test_") && a.len() == 8 + 32);
        let stored = hash_token(&a);
        assert!(token_matches(&a, &stored));
        assert!(!token_matches(&b, &stored));
        assert!(!stored.contains(&a[8..]));
        assert_eq!(display_prefix(&a), format!("{}…", &a[..12]));
    }
}

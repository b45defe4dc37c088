//! Cursor pagination. A cursor is opaque to clients: the last id of a page, signed with the
//! installation's secret and bound to the list and the principal it came from, so a cursor
//! that was altered or taken from another list is refused with a clear 400.

use serde::{Deserialize, Serialize};

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 100;

/// One page of a list, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub data: Vec<T>,
    pub has_more: bool,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// `?limit=&cursor=` as a list endpoint receives them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct PageQuery {
    /// 1–100, default 20.
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 100))]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[cfg(feature = "server")]
pub use codec::*;

#[cfg(feature = "server")]
mod codec {
    use super::*;
    use crate::Error;
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    use hmac::{Hmac, Mac};
    use sha2::Sha256;

    /// A position in a list: return rows strictly older than `after_id`.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Cursor {
        pub after_id: String,
    }

    #[derive(Debug, Clone, PartialEq)]
    pub struct PageRequest {
        pub limit: u64,
        pub cursor: Option<Cursor>,
        scope: String,
    }

    /// Signs and checks cursors with the installation's secret.
    #[derive(Clone)]
    pub struct CursorCodec {
        key: std::sync::Arc<[u8]>,
    }

    impl std::fmt::Debug for CursorCodec {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("CursorCodec(..)")
        }
    }

    impl CursorCodec {
        pub fn new(secret: &[u8]) -> Self {
            CursorCodec { key: secret.into() }
        }

        fn mac(&self, scope: &str, id: &str) -> Result<Vec<u8>, Error> {
            let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).map_err(Error::internal)?;
            mac.update(scope.as_bytes());
            mac.update(b"\0");
            mac.update(id.as_bytes());
            Ok(mac.finalize().into_bytes()[..16].to_vec())
        }

        /// Reads `limit` and `cursor` from a query. `scope` names the list and its owner
        /// (`tasks:prn_…`), so a cursor only works where it was issued.
        pub fn request(&self, scope: String, limit: Option<i64>, cursor: Option<&str>) -> Result<PageRequest, Error> {
            let limit = match limit {
                None => DEFAULT_LIMIT,
                Some(n) if (1..=MAX_LIMIT as i64).contains(&n) => n as u64,
                Some(n) => {
                    return Err(Error::validation(
                        "Invalid pagination",
                        vec![format!("/limit: {n} is not between 1 and {MAX_LIMIT}")],
                    ));
                }
            };
            let cursor = match cursor.filter(|c| !c.is_empty()) {
                None => None,
                Some(text) => Some(self.decode(&scope, text)?),
            };
            Ok(PageRequest { limit, cursor, scope })
        }

        fn decode(&self, scope: &str, text: &str) -> Result<Cursor, Error> {
            let invalid = || {
                Error::validation(
                    "Invalid pagination cursor",
                    vec!["/cursor: not a cursor this list issued (altered, truncated, or from another list)".into()],
                )
            };
            let (id_part, mac_part) = text.split_once('.').ok_or_else(invalid)?;
            let id = URL_SAFE_NO_PAD.decode(id_part).map_err(|_| invalid())?;
            let id = String::from_utf8(id).map_err(|_| invalid())?;
            let mac = URL_SAFE_NO_PAD.decode(mac_part).map_err(|_| invalid())?;
            let expected = self.mac(scope, &id)?;
            if !bool::from(subtle::ConstantTimeEq::ct_eq(mac.as_slice(), expected.as_slice())) {
                return Err(invalid());
            }
            Ok(Cursor { after_id: id })
        }

        pub fn encode(&self, scope: &str, last_id: &str) -> Result<String, Error> {
            Ok(format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(last_id.as_bytes()),
                URL_SAFE_NO_PAD.encode(self.mac(scope, last_id)?)
            ))
        }

        /// Builds a page from up to `limit + 1` rows fetched newest first.
        pub fn page<R, T>(
            &self,
            request: &PageRequest,
            mut rows: Vec<R>,
            id_of: impl Fn(&R) -> String,
            map: impl FnMut(R) -> T,
        ) -> Result<Page<T>, Error> {
            let has_more = rows.len() as u64 > request.limit;
            rows.truncate(request.limit as usize);
            let next_cursor = match (has_more, rows.last()) {
                (true, Some(last)) => Some(self.encode(&request.scope, &id_of(last))?),
                _ => None,
            };
            Ok(Page { data: rows.into_iter().map(map).collect(), has_more, next_cursor })
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn cursors_round_trip_and_refuse_tampering() {
            let codec = CursorCodec::new(b"secret");
            let c = codec.encode("tasks:prn_a", "task_0001").unwrap();
            let req = codec.request("tasks:prn_a".into(), Some(10), Some(&c)).unwrap();
            assert_eq!(req.cursor, Some(Cursor { after_id: "task_0001".into() }));

            let other_id = format!("{}.{}", URL_SAFE_NO_PAD.encode("task_0002"), c.split_once('.').unwrap().1);
            for bad in [other_id.as_str(), "garbage", "a.b", &c[..c.len() - 2]] {
                let err = codec.request("tasks:prn_a".into(), None, Some(bad)).unwrap_err();
                assert_eq!(err.code, crate::ErrorCode::SchemaValidationFailed, "{bad}");
            }
            // Another principal's (or list's) cursor is refused too.
            assert!(codec.request("tasks:prn_b".into(), None, Some(&c)).is_err());
            assert!(CursorCodec::new(b"other").request("tasks:prn_a".into(), None, Some(&c)).is_err());
        }

        #[test]
        fn limits_are_bounded() {
            let codec = CursorCodec::new(b"k");
            assert_eq!(codec.request("s".into(), None, None).unwrap().limit, DEFAULT_LIMIT);
            assert_eq!(codec.request("s".into(), Some(100), None).unwrap().limit, 100);
            assert!(codec.request("s".into(), Some(0), None).is_err());
            assert!(codec.request("s".into(), Some(101), None).is_err());
        }
    }
}

//! Whole numbers as JSON Schema counts them: `5` and `5.0` are the same integer, so a field the
//! document types as `integer` takes both (serde alone refuses `5.0` for a `u32`). Anything with
//! a fraction, negative or out of range is refused, naming why.

use serde::{Deserialize, Deserializer, de::Error};

fn whole<T: TryFrom<u64>, E: Error>(n: serde_json::Number) -> Result<T, E> {
    let value = match (n.as_u64(), n.as_f64()) {
        (Some(u), _) => u,
        (None, Some(f)) if f.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(&f) => f as u64,
        (None, Some(f)) if f < 0.0 => return Err(E::custom(format!("{n} is negative"))),
        _ => return Err(E::custom(format!("{n} is not a whole number"))),
    };
    T::try_from(value).map_err(|_| E::custom(format!("{n} is out of range")))
}

/// `#[serde(deserialize_with = "crate::whole::number")]`
pub fn number<'de, D: Deserializer<'de>, T: TryFrom<u64>>(d: D) -> Result<T, D::Error> {
    whole(serde_json::Number::deserialize(d)?)
}

/// `#[serde(default, deserialize_with = "crate::whole::optional")]`
pub fn optional<'de, D: Deserializer<'de>, T: TryFrom<u64>>(d: D) -> Result<Option<T>, D::Error> {
    Option::<serde_json::Number>::deserialize(d)?.map(whole).transpose()
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Counts {
        #[serde(deserialize_with = "super::number")]
        count: u32,
        #[serde(default, deserialize_with = "super::optional")]
        limit: Option<u32>,
    }

    fn read(text: &str) -> Result<Counts, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn whole_floats_are_integers_and_everything_else_is_refused() {
        assert_eq!(read(r#"{"count": 5.0, "limit": 20}"#), Ok(Counts { count: 5, limit: Some(20) }));
        assert_eq!(read(r#"{"count": 5}"#), Ok(Counts { count: 5, limit: None }));
        assert_eq!(read(r#"{"count": 5, "limit": null}"#), Ok(Counts { count: 5, limit: None }));
        assert!(read(r#"{"count": 5.5}"#).unwrap_err().contains("not a whole number"));
        assert!(read(r#"{"count": -1}"#).unwrap_err().contains("negative"));
        assert!(read(r#"{"count": 4294967296}"#).unwrap_err().contains("out of range"));
        assert!(read(r#"{"count": "5"}"#).is_err());
    }
}

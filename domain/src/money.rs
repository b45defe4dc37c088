//! Money: integer cents inside, whole dollars at the `/v1` boundary (the seed's rule). The only
//! conversions between the two live here.

use serde::{Deserialize, Serialize};

/// An amount in cents of some currency. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Cents(pub i64);

/// The largest amount the API accepts anywhere, in whole dollars: far above any real job,
/// far below where cents could overflow.
pub const MAX_DOLLARS: i64 = 1_000_000;

impl Cents {
    pub const ZERO: Cents = Cents(0);

    /// Whole dollars from the API into cents. Negative amounts and amounts above
    /// [`MAX_DOLLARS`] are refused.
    pub fn from_dollars(dollars: i64) -> Result<Cents, MoneyError> {
        if dollars < 0 {
            return Err(MoneyError::Negative);
        }
        if dollars > MAX_DOLLARS {
            return Err(MoneyError::TooLarge);
        }
        Ok(Cents(dollars * 100))
    }

    /// Cents to whole dollars for the API. Amounts the API shows are whole dollars by
    /// construction (budgets, quotes); a split that produced odd cents is shown rounded down
    /// and carries its exact cents alongside.
    pub fn whole_dollars(self) -> i64 {
        self.0.div_euclid(100)
    }

    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }

    pub fn checked_sub(self, other: Cents) -> Option<Cents> {
        self.0.checked_sub(other.0).map(Cents)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("must not be negative")]
    Negative,
    #[error("must be at most {MAX_DOLLARS} dollars")]
    TooLarge,
    #[error("must be a whole number of dollars")]
    NotWhole,
}

/// Reads a whole-dollar amount from JSON. `300` and `300.0` are the same number (JSON Schema
/// counts both as integers), so both are accepted; `300.5` is refused.
pub fn dollars_from_json(value: &serde_json::Value) -> Result<i64, MoneyError> {
    if let Some(i) = value.as_i64() {
        return Ok(i);
    }
    match value.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() <= (MAX_DOLLARS as f64) * 10.0 => Ok(f as i64),
        Some(f) if f.fract() == 0.0 => Err(if f < 0.0 { MoneyError::Negative } else { MoneyError::TooLarge }),
        _ => Err(MoneyError::NotWhole),
    }
}

/// ISO 4217 currencies HumanDispatch settles in.
pub const CURRENCIES: [&str; 5] = ["USD", "CAD", "EUR", "GBP", "AUD"];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dollars_become_cents_and_back() {
        assert_eq!(Cents::from_dollars(300), Ok(Cents(30_000)));
        assert_eq!(Cents(30_000).whole_dollars(), 300);
        assert_eq!(Cents(8_415).whole_dollars(), 84);
    }

    #[test]
    fn negative_and_absurd_amounts_are_refused() {
        assert_eq!(Cents::from_dollars(-1), Err(MoneyError::Negative));
        assert_eq!(Cents::from_dollars(MAX_DOLLARS + 1), Err(MoneyError::TooLarge));
        assert_eq!(Cents::from_dollars(MAX_DOLLARS), Ok(Cents(MAX_DOLLARS * 100)));
    }

    #[test]
    fn integral_floats_are_whole_dollars() {
        assert_eq!(dollars_from_json(&json!(300)), Ok(300));
        assert_eq!(dollars_from_json(&json!(300.0)), Ok(300));
        assert_eq!(dollars_from_json(&json!(300.5)), Err(MoneyError::NotWhole));
        assert_eq!(dollars_from_json(&json!("300")), Err(MoneyError::NotWhole));
        assert_eq!(dollars_from_json(&json!(1e300)), Err(MoneyError::TooLarge));
    }
}

//! Money: integer cents inside, whole dollars at the `/v1` boundary (the seed's rule). The only
//! conversions between the two live here: [`Dollars`] is what the API takes, [`Cents`] what
//! the services compute with (checked arithmetic), [`format`] how people read it.

use serde::{Deserialize, Deserializer, Serialize};

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

    /// `pct` percent, rounded down to the cent.
    pub fn percent(self, pct: u32) -> Option<Cents> {
        self.0.checked_mul(i64::from(pct)).map(|v| Cents(v.div_euclid(100)))
    }

    pub fn negated(self) -> Cents {
        Cents(-self.0)
    }
}

/// A whole-dollar amount as the API shows it, written for people: `$300 CAD`.
pub fn format_dollars(dollars: i64, currency: &str) -> String {
    format!("${dollars} {currency}")
}

/// An exact amount written for people: `62.50 CAD`.
pub fn format(amount: Cents, currency: &str) -> String {
    let sign = if amount.0 < 0 { "-" } else { "" };
    let abs = amount.0.unsigned_abs();
    format!("{sign}{}.{:02} {currency}", abs / 100, abs % 100)
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

/// A whole-dollar amount as the API takes it: a JSON number without a fraction (`300`, or
/// `300.0`, which JSON Schema counts as the same integer), from 0 to [`MAX_DOLLARS`]. Anything
/// else fails to parse, naming why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", schema(minimum = 0, maximum = 1_000_000))]
#[serde(transparent)]
pub struct Dollars(i64);

impl Dollars {
    pub fn from_json(value: &serde_json::Value) -> Result<Dollars, MoneyError> {
        let dollars = dollars_from_json(value)?;
        Cents::from_dollars(dollars).map(|_| Dollars(dollars))
    }

    /// A form field's text: `300` (surrounding spaces ignored).
    pub fn parse(text: &str) -> Result<Dollars, MoneyError> {
        let value: serde_json::Value = serde_json::from_str(text.trim()).map_err(|_| MoneyError::NotWhole)?;
        Dollars::from_json(&value)
    }

    pub fn get(self) -> i64 {
        self.0
    }

    pub fn cents(self) -> Cents {
        Cents(self.0 * 100)
    }
}

impl<'de> Deserialize<'de> for Dollars {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Dollars, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        Dollars::from_json(&value).map_err(serde::de::Error::custom)
    }
}

/// ISO 4217 currencies HumanDispatch settles in.
pub const CURRENCIES: [&str; 5] = ["USD", "CAD", "EUR", "GBP", "AUD"];

/// One of [`CURRENCIES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Usd,
    Cad,
    Eur,
    Gbp,
    Aud,
}

impl Currency {
    pub const ALL: [Currency; 5] = [Currency::Usd, Currency::Cad, Currency::Eur, Currency::Gbp, Currency::Aud];

    pub const fn as_str(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Cad => "CAD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
            Currency::Aud => "AUD",
        }
    }

    pub fn parse(code: &str) -> Option<Currency> {
        Currency::ALL.into_iter().find(|c| c.as_str() == code)
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    fn the_api_takes_whole_dollars_and_nothing_else() {
        for (body, want) in [
            ("300", Ok(300)),
            ("300.0", Ok(300)),
            ("0", Ok(0)),
            ("1000000", Ok(MAX_DOLLARS)),
            ("300.5", Err(MoneyError::NotWhole)),
            ("-1", Err(MoneyError::Negative)),
            ("1000001", Err(MoneyError::TooLarge)),
            ("\"300\"", Err(MoneyError::NotWhole)),
            ("1e300", Err(MoneyError::TooLarge)),
        ] {
            let parsed: Result<Dollars, _> = serde_json::from_str(body);
            assert_eq!(parsed.map(Dollars::get).map_err(|e| e.to_string()), want.map_err(|e| e.to_string()), "{body}");
        }
        assert_eq!(Dollars::parse(" 250 ").map(Dollars::cents), Ok(Cents(25_000)));
        assert_eq!(Dollars::parse("two hundred"), Err(MoneyError::NotWhole));
    }

    #[test]
    fn amounts_read_as_people_write_them() {
        assert_eq!(format(Cents(6_250), "CAD"), "62.50 CAD");
        assert_eq!(format_dollars(300, "CAD"), "$300 CAD");
        assert_eq!(format(Cents(5), "USD"), "0.05 USD");
        assert_eq!(format(Cents(-1_999), "EUR"), "-19.99 EUR");
        assert_eq!(Cents(9_999).percent(15), Some(Cents(1_499)));
        assert_eq!(Cents(i64::MAX).percent(15), None, "overflow is refused, not wrapped");
        assert_eq!(Currency::parse("CAD"), Some(Currency::Cad));
        assert_eq!(serde_json::to_value(Currency::Gbp).unwrap(), serde_json::json!("GBP"));
        assert!(Currency::ALL.iter().all(|c| CURRENCIES.contains(&c.as_str())));
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

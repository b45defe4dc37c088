//! QA's checks in plain words, the same for the talent who reshoots and the owner who decides.

use domain::qa::QaCheck;

/// A check's wanted or found value, as people read it.
pub fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "nothing".to_owned(),
        other => other.to_string(),
    }
}

/// What a check found wrong: its own reason, or what it wanted and what it found.
pub fn found(check: &QaCheck) -> String {
    check.reason.clone().unwrap_or_else(|| format!("wanted {}, found {}", shown(&check.expected), shown(&check.actual)))
}

/// One check in a sentence: what it tests (`about`, the template's description), on which file,
/// and for a failure what was found.
pub fn check_words(check: &QaCheck, about: &str, file: Option<&str>) -> String {
    match (check.passed, file) {
        (true, Some(f)) => format!("Passed: {about} ({f})"),
        (true, None) => format!("Passed: {about}"),
        (false, Some(f)) => format!("Failed: {about}: {}. Reshoot {f} and upload it again.", found(check)),
        (false, None) => format!("Failed: {about}: {}.", found(check)),
    }
}

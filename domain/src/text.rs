//! Free text fields as the OpenAPI document describes them: `minLength: 1`, a `maxLength`, and
//! the pattern [`NOT_BLANK`] (something besides white space). The server's check is the
//! document's, so a client that validates against the schema and the server agree on every
//! string.

/// The pattern every free text field carries in the document: a character that is not ASCII
/// white space. Spelled out rather than `\S`, which regex engines read differently (Unicode or
/// ASCII).
pub const NOT_BLANK: &str = r"[^\t\n\u000b\f\r ]";

/// White space as [`NOT_BLANK`] counts it.
pub fn is_blank_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Whether `text` is nothing but white space.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(is_blank_char)
}

/// Whether `text` is 1 to `max` characters (code points, as `maxLength` counts them) and not
/// blank.
pub fn fits(text: &str, max: usize) -> bool {
    !is_blank(text) && text.chars().count() <= max
}

/// `text` without the white space around it, as it is stored.
pub fn tidy(text: &str) -> String {
    text.trim_matches(is_blank_char).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_length_are_counted_as_the_schema_counts_them() {
        assert!(fits("ok", 2));
        assert!(!fits("", 5));
        assert!(!fits(" \t\r\n\u{b}\u{c}", 6));
        assert!(fits(" x ", 3), "surrounding spaces count towards the length");
        assert!(!fits(" x ", 2));
        assert!(fits("ééé", 3), "code points, not bytes");
        assert_eq!(tidy("  a b \n"), "a b");
    }

    /// Every free text field of the document carries this pattern.
    #[cfg(feature = "server")]
    #[test]
    fn free_text_fields_carry_the_pattern() {
        use utoipa::PartialSchema;
        let fields = [
            (serde_json::to_value(crate::principals::SignupRequest::schema()).unwrap(), "name"),
            (serde_json::to_value(crate::quotes::SubmitQuoteRequest::schema()).unwrap(), "message"),
            (serde_json::to_value(crate::work_orders::OpenDispute::schema()).unwrap(), "reason"),
            (serde_json::to_value(crate::work_orders::RequestChanges::schema()).unwrap(), "reason"),
        ];
        for (schema, field) in fields {
            assert_eq!(schema["properties"][field]["pattern"], NOT_BLANK, "{field}: {schema}");
        }
    }

    /// The document's rule for a free text field, read by a JSON Schema validator, and the
    /// server's agree.
    #[cfg(feature = "server")]
    #[test]
    fn the_documented_pattern_is_the_servers_rule() {
        let schema = serde_json::json!({"type": "string", "minLength": 1, "maxLength": 3, "pattern": NOT_BLANK});
        let validator = jsonschema::draft202012::new(&schema).unwrap();
        for text in ["", " ", "\t\n", "\u{b}", "\u{a0}", "\u{2003}", "a", " a ", "abcd", " \u{feff}", "ab\u{1f}"] {
            let value = serde_json::json!(text);
            assert_eq!(validator.is_valid(&value), fits(text, 3), "{text:?}");
        }
    }
}

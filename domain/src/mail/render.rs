//! Every email has the same shape, for people and for agents parsing it: a subject line that
//! says what happened, a sentence, a detail table (`<table id="hd-details">`, one `<th>`/`<td>`
//! pair per row; the plain-text part has the same rows as `Label: value`), and at most one link.

/// A rendered message.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// One line of the plain-text part: a line break (or any other control or separator that a
/// reader could take for one) inside a value is written `\n`, `\r`, `\u{…}`, and a
/// backslash `\\`, so that a value can never start a `Label: value` row of its own.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push(' '),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

pub fn render(subject: &str, intro: &str, rows: &[(&str, String)], action: Option<(&str, &str)>) -> Rendered {
    let mut html = String::new();
    html.push_str("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>");
    html.push_str(&escape(subject));
    html.push_str("</title></head><body style=\"font-family:system-ui,sans-serif;color:#0f172a\">");
    html.push_str(&format!("<p>{}</p>", escape(intro)));
    html.push_str("<table id=\"hd-details\" style=\"border-collapse:collapse\">");
    for (label, value) in rows {
        html.push_str(&format!(
            "<tr><th style=\"text-align:left;padding:4px 12px 4px 0\">{}</th><td style=\"padding:4px 0\">{}</td></tr>",
            escape(label),
            escape(value)
        ));
    }
    html.push_str("</table>");
    let mut text = format!("{}\n\n", one_line(intro));
    for (label, value) in rows {
        text.push_str(&format!("{}: {}\n", one_line(label), one_line(value)));
    }
    if let Some((label, url)) = action {
        html.push_str(&format!(
            "<p><a id=\"hd-action\" href=\"{}\" style=\"display:inline-block;padding:10px 16px;background:#4f46e5;color:#fff;border-radius:8px;text-decoration:none\">{}</a></p>",
            escape(url),
            escape(label)
        ));
        text.push_str(&format!("\n{}: {}\n", one_line(label), one_line(url)));
    }
    html.push_str("<p style=\"color:#64748b;font-size:12px\">HumanDispatch</p></body></html>");
    // A subject is one header line: anything that could break it becomes a space.
    let subject: String = subject.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    Rendered { subject, html, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_both_parts_carry_the_rows() {
        let r = render("New quote", "Hi <there>", &[("Task", "A & B".into())], Some(("Open", "http://x/?a=1&b=2")));
        assert!(r.html.contains("<th style=\"text-align:left;padding:4px 12px 4px 0\">Task</th>"));
        assert!(r.html.contains("A &amp; B"));
        assert!(r.html.contains("Hi &lt;there&gt;"));
        assert!(r.html.contains("href=\"http://x/?a=1&amp;b=2\""));
        assert!(r.text.contains("Task: A & B\n"));
        assert!(r.text.contains("Open: http://x/?a=1&b=2"));
    }

    #[test]
    fn a_line_break_in_a_value_cannot_forge_a_row() {
        let message = "Happy to help\r\nAmount: $1 CAD\nQuote ID: quo_fake\u{2028}Talent: x \\ y";
        let r = render(
            "New quote: A\r\nBcc: x@example.com",
            "Intro\nAmount: 0",
            &[("Message", message.to_owned()), ("Amount", "$250 CAD".into())],
            None,
        );
        let rows: Vec<&str> = r.text.lines().filter(|l| l.contains(": ")).collect();
        assert_eq!(
            rows,
            [
                "Intro\\nAmount: 0",
                "Message: Happy to help\\r\\nAmount: $1 CAD\\nQuote ID: quo_fake\\u{2028}Talent: x \\\\ y",
                "Amount: $250 CAD",
            ]
        );
        assert_eq!(r.subject, "New quote: A  Bcc: x@example.com");
        assert!(r.html.contains("Happy to help\r\nAmount: $1 CAD"), "the HTML keeps the text, escaped as HTML");
    }
}

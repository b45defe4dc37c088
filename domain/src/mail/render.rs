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
    let mut text = format!("{intro}\n\n");
    for (label, value) in rows {
        text.push_str(&format!("{label}: {value}\n"));
    }
    if let Some((label, url)) = action {
        html.push_str(&format!(
            "<p><a id=\"hd-action\" href=\"{}\" style=\"display:inline-block;padding:10px 16px;background:#4f46e5;color:#fff;border-radius:8px;text-decoration:none\">{}</a></p>",
            escape(url),
            escape(label)
        ));
        text.push_str(&format!("\n{label}: {url}\n"));
    }
    html.push_str("<p style=\"color:#64748b;font-size:12px\">HumanDispatch</p></body></html>");
    Rendered { subject: subject.to_owned(), html, text }
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
}

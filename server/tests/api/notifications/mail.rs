//! Email over a real SMTP conversation: structured messages whose detail tables parse, sent
//! from the outbox and retried when the server refuses.

use crate::helpers::{Mail, spawn_app_with};
use crate::marketplace::scene;
use crate::receivers::SmtpServer;

/// The HTML detail table's rows, read back the way an agent would.
fn table_rows(html: &str) -> Vec<(String, String)> {
    let table = html.split("<table id=\"hd-details\"").nth(1).and_then(|t| t.split("</table>").next()).unwrap_or("");
    table
        .split("<tr>")
        .skip(1)
        .filter_map(|row| {
            let cell = |tag: &str| -> Option<String> {
                let start = row.find(&format!("<{tag}"))?;
                let open_end = row[start..].find('>')? + start + 1;
                let close = row[open_end..].find(&format!("</{tag}>"))? + open_end;
                Some(
                    row[open_end..close]
                        .replace("&amp;", "&")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&#39;", "'"),
                )
            };
            Some((cell("th")?, cell("td")?))
        })
        .collect()
}

#[tokio::test]
async fn customer_emails_arrive_over_smtp_with_parseable_detail_tables() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(&[("SMTP_URL", &smtp.url), ("HD_MAIL_FROM", "HumanDispatch <no-reply@hd.test>")]).await;
    let s = scene(&app, Some("ok")).await;
    s.booking(&app, 275).await;

    let sent = app.drain_mail().await;
    let delivered = smtp.delivered();
    assert_eq!(delivered.len(), sent);
    let mails: Vec<Mail> = delivered.iter().map(|d| Mail::parse(&d.data)).collect();
    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    for expected in
        ["New quote: Ana Photo — $275", "🔒 Booking confirmed", "📸 You're invited to quote: Spring SKU shoot"]
    {
        assert!(subjects.contains(&expected), "{expected} in {subjects:?}");
    }
    assert!(delivered.iter().all(|d| d.from.contains("no-reply@hd.test")));
    let invitation = delivered.iter().zip(&mails).find(|(_, m)| m.subject.contains("invited")).unwrap().0;
    // A sandbox talent's mail goes to the principal who made the profile.
    assert_eq!(invitation.to, vec!["scene-agent@agents.example.com".to_owned()]);

    let quote_mail = mails.iter().find(|m| m.subject.starts_with("New quote")).unwrap();
    let rows = table_rows(&quote_mail.html);
    let row = |label: &str| rows.iter().find(|(l, _)| l == label).map(|(_, v)| v.clone());
    assert_eq!(row("Task ID").as_deref(), Some(s.task_id.as_str()));
    assert_eq!(row("Amount").as_deref(), Some("$275 CAD"));
    assert!(row("Quote ID").unwrap().starts_with("quo_"));
    assert_eq!(quote_mail.detail("Amount").as_deref(), Some("$275 CAD"), "the plain-text part carries the same rows");
    let booked = mails.iter().find(|m| m.subject == "🔒 Booking confirmed").unwrap();
    assert_eq!(
        table_rows(&booked.html).iter().find(|(l, _)| l == "Amount held in escrow").map(|(_, v)| v.as_str()),
        Some("$275 CAD")
    );
}

#[tokio::test]
async fn a_refusing_smtp_server_gets_the_message_again_later() {
    let smtp = SmtpServer::start().await;
    smtp.refuse_next(1);
    let app = spawn_app_with(&[("SMTP_URL", &smtp.url)]).await;
    let s = scene(&app, Some("ok")).await;
    s.invite(&app).await;

    assert_eq!(app.drain_mail().await, 1, "one attempt, refused");
    assert!(smtp.delivered().is_empty());
    let attempts = app.scalar("SELECT CAST(attempts AS BIGINT) FROM email_outbox", vec![]).await;
    assert_eq!(attempts, 1);
    // Nothing more is due until the backoff passes.
    assert_eq!(app.drain_mail().await, 0);
    sea_orm::ConnectionTrait::execute_unprepared(
        &app.db,
        "UPDATE jobs SET run_at = created_at WHERE queue = 'mail' AND status = 'pending'",
    )
    .await
    .unwrap();
    assert_eq!(app.drain_mail().await, 1);
    let delivered = smtp.delivered();
    assert_eq!(delivered.len(), 1);
    assert!(Mail::parse(&delivered[0].data).subject.contains("invited to quote"));
}

/// Notifications are queued by the worker from committed events, not inside the request: an
/// invitation and a quote leave the outbox empty until the events are sequenced, and however
/// often the stream is read (the worker, `GET /v1/events`), each event's emails are queued once.
#[tokio::test]
async fn notifications_are_queued_once_from_committed_events() {
    let app = crate::helpers::spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    let outbox = || app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM email_outbox", vec![]);
    s.invite(&app).await;
    assert_eq!(outbox().await, 0, "the invitation is not queued by the request");
    assert_eq!(s.quote(&app, 250).await.status(), 201);
    assert_eq!(outbox().await, 0, "nor the quote's notice");

    app.get_as(&s.key, "/v1/events").await;
    assert_eq!(outbox().await, 2, "reading the stream sequenced it: the invitation and the quote");
    app.drain_mail().await;
    app.get_as(&s.key, "/v1/events").await;
    app.drain_mail().await;
    let subjects: Vec<String> = app.mails().into_iter().map(|m| m.subject).collect();
    assert_eq!(subjects.iter().filter(|s| s.starts_with("New quote")).count(), 1, "{subjects:?}");
    assert_eq!(subjects.iter().filter(|s| s.starts_with("📸 You're invited")).count(), 1, "{subjects:?}");
}

/// A talent's message with a line break cannot forge the rows an agent parses.
#[tokio::test]
async fn a_line_break_in_a_quote_message_cannot_forge_a_row() {
    let app = crate::helpers::spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    s.invite(&app).await;
    let r = app
        .post_as(
            &s.talent_token,
            &format!("/v1/talent/{}/quote", s.talent_id),
            &serde_json::json!({"task_id": s.task_id, "amount": 250, "message": "Sure\r\nAmount: $1 CAD\nQuote ID: quo_fake"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    app.drain_mail().await;
    let mail = app.mails().into_iter().find(|m| m.subject.starts_with("New quote")).expect("the quote's notice");
    assert_eq!(mail.detail("Amount").as_deref(), Some("$250 CAD"));
    assert!(mail.detail("Quote ID").unwrap().starts_with("quo_") && mail.detail("Quote ID").unwrap() != "quo_fake");
    let rows = table_rows(&mail.html);
    assert_eq!(rows.iter().filter(|(l, _)| l == "Amount").count(), 1);
    assert_eq!(
        rows.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(),
        mail.text.lines().filter_map(|l| l.split_once(": ").map(|(k, _)| k)).collect::<Vec<_>>(),
        "the plain-text part has the HTML table's rows, in order"
    );
}

//! Real peers for the tests: an HTTP receiver for webhooks and an SMTP server for mail.

use axum::{
    Router, body::Bytes, extract::State, http::HeaderMap, http::StatusCode, response::IntoResponse, routing::post,
};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// A scripted answer: status and extra headers.
type Answer = (u16, Vec<(&'static str, String)>);

#[derive(Clone, Default)]
struct Inbox {
    received: Arc<Mutex<Vec<Received>>>,
    /// Scripted answers, first come first served; 200 when none is left.
    script: Arc<Mutex<VecDeque<Answer>>>,
    /// How long each answer takes, after the request has been recorded.
    slowness: Arc<Mutex<std::time::Duration>>,
}

/// A webhook receiver on a free loopback port.
pub struct Receiver {
    pub url: String,
    inbox: Inbox,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let inbox = Inbox::default();
        let app = Router::new().route("/hook", post(receive)).with_state(inbox.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, inbox }
    }

    /// The next answers, in order (status and extra headers).
    pub fn answer(&self, status: u16, headers: Vec<(&'static str, String)>) {
        self.inbox.script.lock().unwrap().push_back((status, headers));
    }

    /// Answers every request only after `delay` (a slow endpoint).
    pub fn take(&self, delay: std::time::Duration) {
        *self.inbox.slowness.lock().unwrap() = delay;
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.received.lock().unwrap().clone()
    }
}

async fn receive(State(inbox): State<Inbox>, headers: HeaderMap, body: Bytes) -> impl IntoResponse {
    inbox.received.lock().unwrap().push(Received { headers, body });
    let delay = *inbox.slowness.lock().unwrap();
    tokio::time::sleep(delay).await;
    let (status, extra) = inbox.script.lock().unwrap().pop_front().unwrap_or((200, vec![]));
    let mut response = (StatusCode::from_u16(status).unwrap(), "ok").into_response();
    for (k, v) in extra {
        response.headers_mut().insert(k, v.parse().unwrap());
    }
    response
}

/// A message an SMTP client handed over.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

/// An SMTP server speaking enough of RFC 5321 for a client: EHLO/HELO, MAIL, RCPT, DATA, RSET,
/// NOOP, QUIT. It can be told to refuse the next messages with a temporary failure.
pub struct SmtpServer {
    pub url: String,
    delivered: Arc<Mutex<Vec<Delivered>>>,
    refuse: Arc<Mutex<usize>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", listener.local_addr().unwrap());
        let delivered = Arc::new(Mutex::new(Vec::new()));
        let refuse = Arc::new(Mutex::new(0));
        let (d, r) = (delivered.clone(), refuse.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(session(socket, d.clone(), r.clone()));
            }
        });
        SmtpServer { url, delivered, refuse }
    }

    /// Answers `451` to the next `n` messages' DATA.
    pub fn refuse_next(&self, n: usize) {
        *self.refuse.lock().unwrap() = n;
    }

    pub fn delivered(&self) -> Vec<Delivered> {
        self.delivered.lock().unwrap().clone()
    }
}

async fn session(socket: tokio::net::TcpStream, delivered: Arc<Mutex<Vec<Delivered>>>, refuse: Arc<Mutex<usize>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    let _ = write.write_all(b"220 test.local ESMTP ready\r\n").await;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-test.local\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") {
            b"250 test.local\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = command[10..].trim().to_owned();
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(command[8..].trim().trim_matches(['<', '>']).to_owned());
            b"250 OK\r\n"
        } else if upper == "DATA" {
            let _ = write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await;
            let mut data = Vec::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                let content = line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line);
                data.extend_from_slice(content.as_bytes());
            }
            let refused = {
                let mut left = refuse.lock().unwrap();
                if *left > 0 {
                    *left -= 1;
                    true
                } else {
                    false
                }
            };
            if refused {
                b"451 4.3.0 Try again later\r\n"
            } else {
                delivered.lock().unwrap().push(Delivered { from: from.clone(), to: to.clone(), data });
                b"250 OK: queued\r\n"
            }
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 Bye\r\n").await;
            return;
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 OK\r\n"
        } else {
            b"502 Command not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

//! `spawn_app()`: the harness every integration test uses.

use reqwest::{Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::Value;
use server::{config::Config, startup::Application};
use std::collections::HashMap;
use tokio::sync::oneshot;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub backend: &'static str,
    pub database_url: String,
    pub workers: server::workers::Workers,
    pub data_path: std::path::PathBuf,
    _data_dir: tempfile::TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    pg_cleanup: Option<PgCleanup>,
}

struct PgCleanup {
    admin_url: String,
    database: String,
}

/// Starts the real application on a free port and a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// As [`spawn_app`], with extra environment for the configuration.
pub async fn spawn_app_with(env: &[(&str, &str)]) -> TestApp {
    spawn(env, None).await
}

/// A second server process on `other`'s database, as a replica behind a load balancer.
pub async fn spawn_replica(other: &TestApp, env: &[(&str, &str)]) -> TestApp {
    spawn(env, Some(other.database_url.clone())).await
}

async fn spawn(env: &[(&str, &str)], shared_database: Option<String>) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        server::telemetry::init(server::config::LogFormat::Text);
    }
    let data_dir = tempfile::tempdir().expect("temp dir");
    let backend_of = |url: &str| if url.starts_with("postgres") { "postgres" } else { "sqlite" };
    let (database_url, pg_cleanup, backend) = match (shared_database, std::env::var("TEST_DATABASE_URL")) {
        (Some(url), _) => {
            let backend = backend_of(&url);
            (url, None, backend)
        }
        (None, Ok(admin_url)) if !admin_url.is_empty() => {
            let database = format!("hd_test_{}", uuid_simple());
            let admin = Database::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
            admin
                .execute(Statement::from_string(
                    admin.get_database_backend(),
                    format!("CREATE DATABASE \"{database}\""),
                ))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let url = replace_database(&admin_url, &database);
            (url, Some(PgCleanup { admin_url, database }), "postgres")
        }
        _ => (format!("sqlite://{}/test.db", data_dir.path().display()), None, "sqlite"),
    };
    let shared_url = database_url.clone();

    let mut vars: HashMap<String, String> = HashMap::from([
        ("LEPTOS_SITE_ADDR".into(), "127.0.0.1:0".into()),
        // Tests drain the queues themselves, deterministically.
        ("HD_WORKERS".into(), "off".into()),
        ("DATABASE_URL".into(), database_url),
        ("HD_DATA_DIR".into(), data_dir.path().display().to_string()),
        ("LEPTOS_SITE_ROOT".into(), data_dir.path().join("site").display().to_string()),
    ]);
    for (k, v) in env {
        vars.insert((*k).into(), (*v).into());
    }
    let config = Config::from_lookup(|k| vars.get(k).cloned()).expect("test configuration");
    let app = Application::build(config).await.expect("build application");
    let address = format!("http://{}", app.local_addr().expect("bound address"));
    let db = app.state().services.db.clone();
    let workers = app.state().workers.clone();
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        rx.await.ok();
    }));

    TestApp {
        address,
        client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        db,
        backend,
        database_url: shared_url,
        workers,
        data_path: data_dir.path().to_path_buf(),
        _data_dir: data_dir,
        shutdown: Some(tx),
        pg_cleanup,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client.post(self.url(path)).json(body).send().await.expect("request")
    }

    pub async fn get_as(&self, key: &str, path: &str) -> Response {
        self.client.get(self.url(path)).bearer_auth(key).send().await.expect("request")
    }

    pub async fn post_as(&self, key: &str, path: &str, body: &Value) -> Response {
        self.client.post(self.url(path)).bearer_auth(key).json(body).send().await.expect("request")
    }

    pub async fn delete_as(&self, key: &str, path: &str) -> Response {
        self.client.delete(self.url(path)).bearer_auth(key).send().await.expect("request")
    }

    /// Sends every queued email (to `.eml` files under the data directory); returns how many.
    /// Runs the due jobs first: some of them (sign-in links) are what queues mail.
    pub async fn drain_mail(&self) -> usize {
        self.workers.drain_jobs().await.expect("drain jobs");
        self.workers.drain_mail().await.expect("drain mail")
    }

    /// The `.eml` files written so far, parsed.
    pub fn mails(&self) -> Vec<Mail> {
        let dir = self.data_path.join("mail");
        let mut mails: Vec<Mail> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                    .filter_map(|e| std::fs::read(e.path()).ok())
                    .map(|raw| Mail::parse(&raw))
                    .collect()
            })
            .unwrap_or_default();
        mails.sort_by(|a, b| a.subject.cmp(&b.subject));
        mails
    }

    /// Runs a SQL query returning one i64 (`?` placeholders, rewritten for PostgreSQL).
    pub async fn scalar(&self, sql: &str, values: Vec<sea_orm::Value>) -> i64 {
        let backend = self.db.get_database_backend();
        let statement = Statement::from_sql_and_values(backend, self.placeholders(sql), values);
        let row = self.db.query_one(statement).await.unwrap().unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    /// For every booking: the ledger's accounts hold what they must
    /// ([`TestApp::assert_money_invariants`]) and agree with the sandbox gateway's own books
    /// ([`TestApp::assert_gateway_agrees`]).
    pub async fn assert_money_books_agree(&self) {
        let bookings = self.rows("SELECT id FROM bookings", vec![]).await;
        for row in bookings {
            let id: String = row.try_get("", "id").unwrap();
            self.assert_money_invariants(&id).await;
            self.assert_gateway_agrees(&id).await;
        }
    }

    /// Runs the background work a server would run on its own: QA, mail, webhooks.
    pub async fn drain_work(&self) {
        while self.workers.run_one_qa().await.expect("QA") {}
        self.drain_mail().await;
        self.workers.drain_webhooks().await.expect("webhooks");
    }

    /// Every row of a query (`?` placeholders, rewritten for PostgreSQL).
    pub async fn rows(&self, sql: &str, values: Vec<sea_orm::Value>) -> Vec<sea_orm::QueryResult> {
        let backend = self.db.get_database_backend();
        self.db.query_all(Statement::from_sql_and_values(backend, self.placeholders(sql), values)).await.unwrap()
    }

    /// Runs a statement (`?` placeholders, rewritten for PostgreSQL).
    pub async fn execute(&self, sql: &str, values: Vec<sea_orm::Value>) {
        let backend = self.db.get_database_backend();
        self.db.execute(Statement::from_sql_and_values(backend, self.placeholders(sql), values)).await.unwrap();
    }

    fn placeholders(&self, sql: &str) -> String {
        if self.backend != "postgres" {
            return sql.to_owned();
        }
        let mut n = 0;
        sql.chars()
            .map(|c| {
                if c == '?' {
                    n += 1;
                    format!("${n}")
                } else {
                    c.to_string()
                }
            })
            .collect()
    }

    /// What the money of one booking must look like after any scenario, read from the ledger's
    /// accounts:
    /// - its escrow holds the booked amount while the booking is active, nothing otherwise;
    /// - the escrow was emptied at most once;
    /// - no escrow, talent or fee account was ever negative, after any transaction.
    pub async fn assert_money_invariants(&self, booking_id: &str) {
        let booking =
            &self.rows("SELECT status, amount_cents FROM bookings WHERE id = ?", vec![booking_id.into()]).await[0];
        let status: String = booking.try_get("", "status").unwrap();
        let amount: i64 = booking.try_get("", "amount_cents").unwrap();
        let entries = self
            .rows(
                "SELECT transaction_id, account, amount_cents, kind FROM ledger_entries WHERE booking_id = ? \
                 ORDER BY id",
                vec![booking_id.into()],
            )
            .await;
        let escrow = format!("escrow:{booking_id}");
        let mut balances: HashMap<String, i64> = HashMap::new();
        // (transaction id, its entries as (account, cents, kind)), in the order they were written.
        type Entry = (String, i64, String);
        let mut transactions: Vec<(String, Vec<Entry>)> = Vec::new();
        for e in &entries {
            let txn: String = e.try_get("", "transaction_id").unwrap();
            let entry = (
                e.try_get("", "account").unwrap(),
                e.try_get("", "amount_cents").unwrap(),
                e.try_get("", "kind").unwrap(),
            );
            match transactions.last_mut() {
                Some((id, list)) if *id == txn => list.push(entry),
                _ => transactions.push((txn, vec![entry])),
            }
        }
        let mut escrow_emptied = 0;
        for (txn, list) in &transactions {
            for (account, cents, _) in list {
                *balances.entry(account.clone()).or_default() += cents;
            }
            if list.iter().any(|(account, cents, _)| *account == escrow && *cents < 0) {
                escrow_emptied += 1;
            }
            for (account, balance) in &balances {
                let guarded =
                    account.starts_with("escrow:") || account.starts_with("talent:") || account == "platform:fees";
                assert!(
                    !guarded || *balance >= 0,
                    "booking {booking_id}: {account} is {balance} after transaction {txn}: {transactions:?}"
                );
            }
        }
        let held = balances.get(&escrow).copied().unwrap_or(0);
        match status.as_str() {
            "confirmed" | "in_progress" => assert_eq!(held, amount, "booking {booking_id} ({status}) escrow"),
            _ => assert_eq!(held, 0, "booking {booking_id} ({status}) escrow"),
        }
        assert!(escrow_emptied <= 1, "booking {booking_id}: escrow emptied {escrow_emptied} times: {transactions:?}");
    }

    /// What the sandbox gateway's own books say about one booking's money (its holds and
    /// transfers are found through the journal's idempotency keys).
    pub async fn sandbox_state(&self, booking_id: &str) -> SandboxState {
        let of = |table: &str, operation: &str| {
            format!(
                "FROM {table} WHERE idempotency_key IN (SELECT idempotency_key FROM gateway_operations \
                 WHERE booking_id = ? AND operation = '{operation}')"
            )
        };
        let (holds, transfers) = (of("sandbox_holds", "hold"), of("sandbox_transfers", "transfer"));
        let mut figures = Vec::new();
        for select in [
            format!("SELECT CAST(COUNT(*) AS BIGINT) {holds}"),
            format!("SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) {holds} AND status = 'authorized'"),
            format!("SELECT CAST(COALESCE(SUM(captured_cents), 0) AS BIGINT) {holds}"),
            format!("SELECT CAST(COALESCE(SUM(refunded_cents), 0) AS BIGINT) {holds}"),
            format!("SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) {transfers}"),
            format!("SELECT CAST(COUNT(*) AS BIGINT) {transfers}"),
        ] {
            figures.push(self.scalar(&select, vec![booking_id.into()]).await);
        }
        SandboxState {
            holds: figures[0],
            held: figures[1],
            captured: figures[2],
            refunded: figures[3],
            transferred: figures[4],
            transfers: figures[5],
        }
    }

    /// The sandbox gateway's books and the ledger tell the same story about one booking: what
    /// is held is in escrow, what was captured went to the talent and the platform, what was
    /// transferred is in transit, and the principal paid exactly what the card was charged.
    pub async fn assert_gateway_agrees(&self, booking_id: &str) {
        let gateway = self.sandbox_state(booking_id).await;
        let balance = |account: String| {
            let id = booking_id.to_owned();
            async move {
                self.scalar(
                    "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM ledger_entries WHERE booking_id = ? \
                     AND account = ?",
                    vec![id.into(), account.into()],
                )
                .await
            }
        };
        let earned = self
            .scalar(
                "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM ledger_entries WHERE booking_id = ? \
                 AND amount_cents > 0 AND (account LIKE 'talent:%' OR account = 'platform:fees')",
                vec![booking_id.into()],
            )
            .await;
        let principal: String =
            self.rows("SELECT principal_id FROM bookings WHERE id = ?", vec![booking_id.into()]).await[0]
                .try_get("", "principal_id")
                .unwrap();
        let ledger = (
            balance(format!("escrow:{booking_id}")).await,
            earned,
            balance("gateway:payouts_in_transit".into()).await,
            balance(format!("principal:{principal}:funding")).await,
        );
        let expected = (
            gateway.held,
            gateway.captured - gateway.refunded,
            gateway.transferred,
            -(gateway.held + gateway.captured - gateway.refunded),
        );
        assert_eq!(
            ledger, expected,
            "booking {booking_id}: ledger (escrow, earned, in transit, funding) vs the gateway {gateway:?}"
        );
    }

    /// The event types recorded, oldest first.
    pub async fn event_types(&self) -> Vec<String> {
        let backend = self.db.get_database_backend();
        self.db
            .query_all(Statement::from_string(backend, "SELECT event_type FROM events ORDER BY seq"))
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.try_get_by_index::<String>(0).unwrap())
            .collect()
    }

    /// Signs up a sandbox principal; returns its id and API key.
    pub async fn signup(&self, name: &str) -> (String, String) {
        let email = format!("{}@agents.example.com", name.to_lowercase().replace(' ', "-"));
        let response = self.post_json("/v1/developer/signup", &serde_json::json!({"name": name, "email": email})).await;
        assert_eq!(response.status(), 201, "signup");
        let body = json(response).await;
        (body["principal_id"].as_str().unwrap().to_owned(), body["api_key"].as_str().unwrap().to_owned())
    }

    /// Creates a task from `body`, asserting 201; returns the task.
    pub async fn create_task(&self, key: &str, body: &Value) -> Value {
        let response = self.post_as(key, "/v1/tasks", body).await;
        let status = response.status();
        let body = json(response).await;
        assert_eq!(status, 201, "create task: {body}");
        body
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(PgCleanup { admin_url, database }) = self.pg_cleanup.take() {
            // Drop needs a runtime of its own: the test's runtime is shutting down around us.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        let _ = admin
                            .execute(Statement::from_string(
                                admin.get_database_backend(),
                                format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"),
                            ))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// The sandbox gateway's own record of one booking's money, in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxState {
    /// Authorisations made.
    pub holds: i64,
    /// Still authorised and not captured.
    pub held: i64,
    pub captured: i64,
    pub refunded: i64,
    pub transferred: i64,
    pub transfers: i64,
}

/// An email as a recipient (or an agent parsing it) sees it.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    pub fn parse(raw: &[u8]) -> Mail {
        let message = mail_parser::MessageParser::default().parse(raw).expect("a parseable email");
        Mail {
            to: message.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap_or_default().to_owned(),
            subject: message.subject().unwrap_or_default().to_owned(),
            text: message.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
            html: message.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
        }
    }

    /// The detail table's rows (`Label: value` lines of the plain-text part).
    pub fn detail(&self, label: &str) -> Option<String> {
        self.text.lines().find_map(|l| l.strip_prefix(&format!("{label}: ")).map(str::to_owned))
    }
}

/// The server binary running as its own OS process, on `database_url`.
pub struct ServerProcess {
    pub address: String,
    child: std::process::Child,
    _data_dir: tempfile::TempDir,
}

impl ServerProcess {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The most memory the process has had resident so far (VmHWM), KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// What the process has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self._data_dir.path().join("server.log")).unwrap_or_default()
    }

    /// Sends SIGTERM, as a deploy or an orchestrator stopping the process does.
    pub fn terminate(&self) {
        let sent = std::process::Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM the server process");
    }

    /// Waits for the process to end on its own (a fault point kills it).
    pub async fn wait_exit(&mut self, limit: std::time::Duration) -> std::process::ExitStatus {
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait for the server process") {
                return status;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the server process did not exit");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the real server binary on `app`'s database (PostgreSQL: several processes share it).
pub async fn spawn_process(app: &TestApp, env: &[(&str, &str)]) -> ServerProcess {
    let data_dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("DATABASE_URL", &app.database_url)
        .env("HD_DATA_DIR", data_dir.path())
        .env("LEPTOS_SITE_ROOT", data_dir.path().join("site"))
        .env("HD_WORKERS", "off")
        .env("RUST_LOG", "warn")
        .stdout(std::fs::File::create(data_dir.path().join("server.log")).unwrap());
    for (k, v) in env {
        command.env(k, v);
    }
    let child = command.spawn().expect("start the server binary");
    let process = ServerProcess { address: format!("http://127.0.0.1:{port}"), child, _data_dir: data_dir };
    for _ in 0..200 {
        if reqwest::get(process.url("/healthz")).await.is_ok_and(|r| r.status() == 200) {
            return process;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server process did not come up");
}

/// Reads a JSON body, failing the test with the raw text when it is not JSON.
pub async fn json(response: Response) -> Value {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts the seed's error envelope: status, code, and a request id equal to the header's.
pub async fn assert_error(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), StatusCode::from_u16(status).unwrap(), "status");
    let header_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .expect("X-Request-Id header");
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .starts_with("application/json"),
        "content type"
    );
    let body = json(response).await;
    let error = &body["error"];
    assert_eq!(error["http_status"], status, "{body}");
    assert_eq!(error["code"], code, "{body}");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    assert_eq!(error["request_id"], header_id.as_str(), "{body}");
    body
}

/// The seed's example task, scheduled `days` ahead so that it stays valid.
pub fn seed_task(days: i64) -> Value {
    let start = (chrono::Utc::now() + chrono::Duration::days(days)).format("%Y-%m-%dT16:00:00Z").to_string();
    serde_json::json!({
        "task_type": "PRODUCT_PHOTO_ECOMM",
        "title": "DEKE Spring SKU shoot — 10 products",
        "location": { "mode": "onsite", "address": "12 Hess St N, Hamilton ON" },
        "schedule": { "start_at": start, "duration_hours": 3 },
        "budget": { "currency": "CAD", "pricing_model": "fixed", "max_total": 300 },
        "deliverables": [{ "kind": "photo", "count": 30, "format": "jpeg" }],
        "task_spec": { "product_count": 10, "background": "white", "angles": ["front", "back", "detail"] }
    })
}

/// The `details.errors` of an envelope, as strings.
pub fn error_list(body: &Value) -> Vec<String> {
    body["error"]["details"]["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

fn uuid_simple() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

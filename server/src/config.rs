//! Configuration, read once from the environment at start. Every variable has a documented
//! default (README "Configuration"); a value that does not parse stops the start with a message
//! naming the variable, rather than falling back silently.

use secrecy::{ExposeSecret, SecretString};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// `LEPTOS_SITE_ADDR`: where the server listens.
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the directory cargo-leptos built the site into (wasm, js, css, assets).
    pub site_root: String,
    /// `DATABASE_URL`: `sqlite://…` or `postgres://…`. Secret because it may hold a password.
    pub database_url: SecretString,
    /// `HD_DB_MAX_CONNECTIONS`: pool size for PostgreSQL (SQLite always uses one connection).
    pub db_max_connections: u32,
    /// `HD_DATA_DIR`: files, mail and the default SQLite database live here.
    pub data_dir: PathBuf,
    /// `HD_MAX_BODY_BYTES`: the largest JSON body accepted.
    pub max_body_bytes: usize,
    /// `HD_LOG_FORMAT`: `text` or `json`.
    pub log_format: LogFormat,
    /// `HD_PUBLIC_URL`: the base URL clients use (discovery documents, links in emails).
    /// Defaults to `http://` and the address the server listens on.
    pub public_url: String,
    /// `HD_STORAGE_URL`: where files live (`s3://bucket/prefix` with the `AWS_*` variables,
    /// `file:///path`); without it, `HD_DATA_DIR/files`.
    pub storage_url: Option<String>,
    /// `SMTP_URL`: send mail over SMTP (`smtp://user:pass@host:port`, `smtps://…`); without it,
    /// mail is written as `.eml` files under `HD_DATA_DIR/mail`.
    pub smtp_url: Option<SecretString>,
    /// `HD_MAIL_FROM`: the sender of every email.
    pub mail_from: String,
    /// `HD_WORKERS`: `on` runs the background workers (mail, sweeps) in this process; `off`
    /// leaves them to another process (tests drain them by hand).
    pub workers: bool,
    /// `HD_SHUTDOWN_GRACE_SECS`: on SIGTERM, how long the workers may take to finish what they
    /// hold (a webhook in flight, an email, a QA run) before they are stopped (default 20).
    pub shutdown_grace: std::time::Duration,
    /// `HD_TRUST_FORWARDED_FOR`: how many proxies in front of the server append to
    /// `X-Forwarded-For` (0: none, the peer is the client; `true` means 1, `false` 0).
    pub trusted_proxies: usize,
    /// `HD_RATE_LIMIT_STORE`: where the per-minute counters live — `memory` (GCRA in this
    /// process; for one process owning its database, the default on SQLite), `database`
    /// (shared by every process on the database, the default on PostgreSQL) or `redis` (shared
    /// through `HD_REDIS_URL`, the default when that is set).
    pub rate_limit_store: RateLimitStore,
    /// Business settings: rate limits (`HD_RATE_LIMIT_PER_MINUTE`, `HD_MONEY_RATE_LIMIT_PER_MINUTE`,
    /// `HD_SIGNUPS_PER_HOUR`) and the signing secret (`HD_SECRET_KEY`).
    pub domain: domain::DomainConfig,
}

#[derive(Debug, Clone)]
pub enum RateLimitStore {
    Memory,
    Database,
    /// `HD_REDIS_URL`, e.g. `redis://127.0.0.1:6379` (secret: it may hold a password), and
    /// `HD_REDIS_PREFIX` (default `hd`), which keeps installations sharing one Redis apart.
    Redis {
        url: SecretString,
        prefix: String,
    },
}

impl PartialEq for RateLimitStore {
    fn eq(&self, other: &RateLimitStore) -> bool {
        match (self, other) {
            (RateLimitStore::Redis { url: a, prefix: p }, RateLimitStore::Redis { url: b, prefix: q }) => {
                a.expose_secret() == b.expose_secret() && p == q
            }
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {var}={value:?} is not valid: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub value: String,
    pub reason: String,
}

pub const DEFAULT_SITE_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATA_DIR: &str = "./data";

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads the configuration through `lookup`, so tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |var: &'static str| lookup(var).filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(get("HD_DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.into()));
        let database_url =
            get("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{}/humandispatch.db", data_dir.display()));
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError {
                var: "DATABASE_URL",
                value: redact_url(&database_url),
                reason: "expected sqlite://PATH or postgres://USER@HOST/DB".into(),
            });
        }
        let redis_url = get("HD_REDIS_URL");
        let rate_limit_store = match (get("HD_RATE_LIMIT_STORE").as_deref(), redis_url) {
            (None | Some("redis"), Some(url)) => {
                if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
                    return Err(ConfigError {
                        var: "HD_REDIS_URL",
                        value: redact_url(&url),
                        reason: "expected redis://HOST:PORT or rediss://…".into(),
                    });
                }
                RateLimitStore::Redis {
                    url: SecretString::from(url),
                    prefix: get("HD_REDIS_PREFIX").unwrap_or_else(|| "hd".into()),
                }
            }
            (Some("redis"), None) => {
                return Err(ConfigError {
                    var: "HD_RATE_LIMIT_STORE",
                    value: "redis".into(),
                    reason: "the redis store needs HD_REDIS_URL".into(),
                });
            }
            (None, None) if database_url.starts_with("sqlite:") => RateLimitStore::Memory,
            (None, None) => RateLimitStore::Database,
            (Some("memory"), _) => RateLimitStore::Memory,
            (Some("database"), _) => RateLimitStore::Database,
            (Some(other), _) => {
                return Err(ConfigError {
                    var: "HD_RATE_LIMIT_STORE",
                    value: other.into(),
                    reason: "expected memory, database or redis".into(),
                });
            }
        };
        Ok(Config {
            rate_limit_store,
            site_addr: parse(&get, "LEPTOS_SITE_ADDR", DEFAULT_SITE_ADDR)?,
            site_root: get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            database_url: SecretString::from(database_url),
            db_max_connections: parse(&get, "HD_DB_MAX_CONNECTIONS", "10")?,
            data_dir,
            max_body_bytes: parse(&get, "HD_MAX_BODY_BYTES", "1048576")?,
            storage_url: get("HD_STORAGE_URL"),
            smtp_url: get("SMTP_URL").map(SecretString::from),
            mail_from: get("HD_MAIL_FROM").unwrap_or_else(|| "HumanDispatch <no-reply@humandispatch.local>".into()),
            workers: match get("HD_WORKERS").as_deref() {
                None | Some("on") => true,
                Some("off") => false,
                Some(other) => {
                    return Err(ConfigError {
                        var: "HD_WORKERS",
                        value: other.into(),
                        reason: "expected on or off".into(),
                    });
                }
            },
            shutdown_grace: std::time::Duration::from_secs(parse(&get, "HD_SHUTDOWN_GRACE_SECS", "20")?),
            public_url: get("HD_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned()).unwrap_or_default(),
            trusted_proxies: match get("HD_TRUST_FORWARDED_FOR").as_deref().map(str::trim) {
                None | Some("false") => 0,
                Some("true") => 1,
                Some(other) => other.parse().map_err(|e: std::num::ParseIntError| ConfigError {
                    var: "HD_TRUST_FORWARDED_FOR",
                    value: other.into(),
                    reason: format!("expected a number of proxies, true or false: {e}"),
                })?,
            },
            domain: domain::DomainConfig {
                live_payments: false,
                rate_limit_per_minute: parse(&get, "HD_RATE_LIMIT_PER_MINUTE", "60")?,
                money_rate_limit_per_minute: parse(&get, "HD_MONEY_RATE_LIMIT_PER_MINUTE", "10")?,
                signups_per_hour: parse(&get, "HD_SIGNUPS_PER_HOUR", "20")?,
                sign_ins_per_hour: parse(&get, "HD_SIGN_INS_PER_HOUR", "10")?,
                signing_secret: get("HD_SECRET_KEY"),
                public_url: String::new(),
                webhooks_allow_private: parse(&get, "HD_WEBHOOKS_ALLOW_PRIVATE", "false")?,
                sandbox_latency: std::time::Duration::from_millis(parse(&get, "HD_SANDBOX_LATENCY_MS", "0")?),
                reconcile_after: chrono::Duration::seconds(parse(&get, "HD_RECONCILE_AFTER_SECS", "120")?),
            },
            log_format: match get("HD_LOG_FORMAT").as_deref() {
                None | Some("text") => LogFormat::Text,
                Some("json") => LogFormat::Json,
                Some(other) => {
                    return Err(ConfigError {
                        var: "HD_LOG_FORMAT",
                        value: other.into(),
                        reason: "expected text or json".into(),
                    });
                }
            },
        })
    }

    /// The database URL with any password replaced, fit for logs.
    pub fn database_url_redacted(&self) -> String {
        redact_url(self.database_url.expose_secret())
    }
}

fn parse<T: std::str::FromStr>(
    get: &impl Fn(&'static str) -> Option<String>,
    var: &'static str,
    default: &str,
) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    let value = get(var).unwrap_or_else(|| default.to_owned());
    value.trim().parse().map_err(|e: T::Err| ConfigError { var, value, reason: e.to_string() })
}

fn redact_url(url: &str) -> String {
    // scheme://user:password@host → scheme://user:***@host
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme_end + 3], &userinfo[..colon], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let c = config(&[]).unwrap();
        assert_eq!(c.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url.expose_secret(), "sqlite://./data/humandispatch.db");
        assert_eq!(c.data_dir, PathBuf::from("./data"));
        assert_eq!(c.max_body_bytes, 1024 * 1024);
        assert_eq!(c.domain.rate_limit_per_minute, 60);
        assert_eq!(c.domain.money_rate_limit_per_minute, 10);
        assert_eq!(c.trusted_proxies, 0);
        assert_eq!(c.rate_limit_store, RateLimitStore::Memory, "SQLite: one process owns the database");
        let pg = config(&[("DATABASE_URL", "postgres://postgres@127.0.0.1/hd")]).unwrap();
        assert_eq!(pg.rate_limit_store, RateLimitStore::Database, "PostgreSQL: replicas share the counters");
        let shared = config(&[("HD_RATE_LIMIT_STORE", "database")]).unwrap();
        assert_eq!(shared.rate_limit_store, RateLimitStore::Database);
        assert_eq!(config(&[("HD_RATE_LIMIT_STORE", "redis")]).unwrap_err().var, "HD_RATE_LIMIT_STORE");
        assert_eq!(config(&[("HD_RATE_LIMIT_STORE", "disk")]).unwrap_err().var, "HD_RATE_LIMIT_STORE");
        let redis = config(&[("HD_REDIS_URL", "redis://127.0.0.1:6379")]).unwrap();
        assert_eq!(
            redis.rate_limit_store,
            RateLimitStore::Redis { url: "redis://127.0.0.1:6379".into(), prefix: "hd".into() }
        );
        assert_eq!(config(&[("HD_REDIS_URL", "127.0.0.1:6379")]).unwrap_err().var, "HD_REDIS_URL");
    }

    #[test]
    fn the_data_dir_moves_the_default_database() {
        let c = config(&[("HD_DATA_DIR", "/var/lib/hd")]).unwrap();
        assert_eq!(c.database_url.expose_secret(), "sqlite:///var/lib/hd/humandispatch.db");
    }

    #[test]
    fn bad_values_name_their_variable() {
        let err = config(&[("LEPTOS_SITE_ADDR", "localhost")]).unwrap_err();
        assert_eq!(err.var, "LEPTOS_SITE_ADDR");
        let err = config(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
        assert_eq!(err.var, "DATABASE_URL");
        let err = config(&[("HD_LOG_FORMAT", "xml")]).unwrap_err();
        assert_eq!(err.var, "HD_LOG_FORMAT");
    }

    #[test]
    fn passwords_never_reach_the_logs() {
        let c =
            config(&[("DATABASE_URL", "postgres://hd:s3cret@db:5432/hd"), ("HD_SECRET_KEY", "k3y-s3cret")]).unwrap();
        assert_eq!(c.database_url_redacted(), "postgres://hd:***@db:5432/hd");
        assert!(!format!("{c:?}").contains("s3cret"));
        assert_eq!(c.domain.signing_secret.as_deref(), Some("k3y-s3cret"));
    }
}

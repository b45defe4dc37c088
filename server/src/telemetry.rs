//! Logging: `RUST_LOG` filters (default `info`), `HD_LOG_FORMAT=json` for machine-read logs.

use crate::config::LogFormat;
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn,tower_http=info";

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let registry = tracing_subscriber::registry().with(filter);
    // A second init (tests build several apps in one process) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => {
            registry.with(fmt::layer().with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))).try_init()
        }
        LogFormat::Json => registry.with(fmt::layer().json().flatten_event(true)).try_init(),
    };
}

/// The URL paths whose last segment is a capability (whoever holds the link may use it): the
/// sandbox card page's setup token and the invitation links mailed to talent.
const CAPABILITY_PATHS: [&str; 2] = ["/billing/sandbox/", "/portal/invitations/"];

/// A request path as the logs may show it: capabilities replaced by `…`.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in CAPABILITY_PATHS {
        if let Some(rest) = path.strip_prefix(prefix)
            && !rest.is_empty()
        {
            return format!("{prefix}…").into();
        }
    }
    path.into()
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn capabilities_in_paths_are_not_logged() {
        assert_eq!(loggable_path("/billing/sandbox/bss_secret"), "/billing/sandbox/…");
        assert_eq!(loggable_path("/portal/invitations/qrq_secret"), "/portal/invitations/…");
        assert_eq!(loggable_path("/v1/tasks/task_1"), "/v1/tasks/task_1");
        assert_eq!(loggable_path("/billing/sandbox/"), "/billing/sandbox/");
    }
}

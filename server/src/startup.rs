//! Building the application: database, state, router, listener; and running it until told
//! to stop.

use crate::openapi::ApiDoc;
use crate::routes::discovery::{self, ApiDocument};
use crate::{config::Config, error, request_id, routes, state::AppState, workers::Workers};
use axum::{Extension, Router, extract::DefaultBodyLimit, middleware, routing::get};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list_with_exclusions};
use secrecy::ExposeSecret;
use std::{future::Future, net::SocketAddr, sync::Arc};
use tokio::net::TcpListener;
use tower_http::{catch_panic::CatchPanicLayer, compression::CompressionLayer, trace::TraceLayer};
use utoipa::OpenApi;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Domain(#[from] domain::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("leptos configuration: {0}")]
    Leptos(String),
    #[error("configuration: {0}")]
    Config(String),
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Connects to and migrates the database, then binds the listener (port 0 picks a free one).
    pub async fn build(config: Config) -> Result<Application, StartupError> {
        let db = domain::db::connect(config.database_url.expose_secret(), config.db_max_connections).await?;
        domain::db::migrate(&db).await?;
        tracing::info!(database = %config.database_url_redacted(), "database ready");
        Application::build_with_db(config, db).await
    }

    /// As [`Application::build`], on a database the caller opened and migrated.
    pub async fn build_with_db(mut config: Config, db: domain::db::Db) -> Result<Application, StartupError> {
        let listener = TcpListener::bind(config.site_addr)
            .await
            .map_err(|source| StartupError::Bind { addr: config.site_addr, source })?;
        let local_addr = listener.local_addr().unwrap_or(config.site_addr);
        if config.public_url.is_empty() {
            config.public_url = format!("http://{local_addr}");
        }
        config.domain.public_url = config.public_url.clone();
        let storage = match &config.storage_url {
            Some(url) => domain::storage::Storage::from_url(url)?,
            None => domain::storage::Storage::local(&config.data_dir.join("files"))?,
        };
        let mailer = domain::mail::Mailer::new(
            config.smtp_url.as_ref().map(|u| u.expose_secret()),
            &config.data_dir.join("mail"),
        )?;
        let from = config
            .mail_from
            .parse()
            .map_err(|e| StartupError::Config(format!("HD_MAIL_FROM={:?}: {e}", config.mail_from)))?;
        let outbound = domain::mail::Outbound { mailer, from };
        let services = domain::Services::new(db, config.domain.clone(), storage, outbound).await?;
        let sessions = crate::sessions::Store::open(&services.db).await?;
        let workers = Workers::new(services.clone(), sessions.clone());
        let state = AppState::new(crate::state::Shared {
            services,
            workers,
            sessions,
            leptos_options: leptos_options(&config, local_addr)?,
            rate_limits: crate::rate_limit::Counters::new(&config.rate_limit_store).await?,
            config: Arc::new(config),
        });
        let router = router(state.clone());
        Ok(Application { listener, router, state })
    }

    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.listener.local_addr().ok()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish while the workers
    /// finish what they hold (up to `HD_SHUTDOWN_GRACE_SECS`; what is cut off then is retried by
    /// the next process, as after a crash).
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let workers = self.state.workers.clone();
        let running = self.state.config.workers.then(|| tokio::spawn(workers.clone().run()));
        let stopping = workers.clone();
        let signalled = async move {
            shutdown.await;
            stopping.stop();
        };
        let served = axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(signalled)
            .await;
        workers.stop();
        if let Some(mut running) = running {
            let grace = self.state.config.shutdown_grace;
            if tokio::time::timeout(grace, &mut running).await.is_err() {
                tracing::warn!("the workers did not finish within {grace:?}; stopping them");
                running.abort();
            }
        }
        served
    }
}

fn leptos_options(config: &Config, local_addr: SocketAddr) -> Result<LeptosOptions, StartupError> {
    let mut options =
        leptos::config::get_configuration(None).map_err(|e| StartupError::Leptos(e.to_string()))?.leptos_options;
    if options.output_name.is_empty() {
        options.output_name = app::OUTPUT_NAME.into();
    }
    options.site_root = config.site_root.clone().into();
    // cargo-leptos writes the bundles' content hashes beside the server binary when it gives
    // them hashed names (`hash-files` in Cargo.toml); pages then name the hashed files.
    let hashes = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)));
    options.hash_files = hashes.is_some_and(|path| path.exists());
    options.site_addr = local_addr;
    Ok(options)
}

/// The `/v1` router and the OpenAPI document generated from it.
pub fn api(state: &AppState) -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (v1, v1_doc) = routes::v1::router(state).split_for_parts();
    let v1 = v1
        .fallback(routes::v1::not_found)
        .method_not_allowed_fallback(routes::v1::method_not_allowed)
        .layer(middleware::from_fn(routes::v1::uploads::tus_headers));
    let mut doc = ApiDoc::openapi().nest("/v1", v1_doc);
    crate::openapi::unique_operation_ids(&mut doc);
    crate::openapi::shared_contract(&mut doc);
    crate::openapi::webhooks(&mut doc);
    crate::openapi::links(&mut doc);
    (Router::new().nest("/v1", v1), doc)
}

/// The whole application: `/v1`, discovery, `/healthz`, pages, server functions, static files.
pub fn router(state: AppState) -> Router {
    let (v1, openapi) = api(&state);
    let document = ApiDocument(Arc::new(openapi));
    // Server functions are routed by `routes::api`, with the layers `/v1` has.
    let routes = generate_route_list_with_exclusions(app::App, Some(routes::api::paths()));
    let services = state.services.clone();
    let options = &state.leptos_options;
    let assets = app::assets::Assets::find(
        &std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir),
        &format!("/{}", options.site_pkg_dir),
    );
    let provide_services = move || {
        leptos::prelude::provide_context(services.clone());
        leptos::prelude::provide_context(assets.clone());
    };
    let server_fn_context = {
        let (state, provide_services) = (state.clone(), provide_services.clone());
        move || {
            leptos::prelude::provide_context(state.clone());
            provide_services();
        }
    };

    // Pages know who is signed in the same way server functions do (their rendering calls them).
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, provide_services.clone(), {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        })
        .route_layer(middleware::from_fn_with_state(state.clone(), crate::auth::identify));

    Router::new()
        .merge(v1)
        .merge(routes::api::router(&state, server_fn_context))
        .route("/healthz", get(routes::healthz::get))
        .route(
            "/dashboard/stream",
            get(routes::dashboard::stream::get)
                .route_layer(middleware::from_fn_with_state(state.clone(), crate::rate_limit::general))
                .route_layer(middleware::from_fn_with_state(state.clone(), crate::auth::authenticate)),
        )
        .route(
            "/dashboard/audit.csv",
            get(routes::dashboard::audit::csv)
                .route_layer(middleware::from_fn_with_state(state.clone(), crate::rate_limit::general))
                .route_layer(middleware::from_fn_with_state(state.clone(), crate::auth::authenticate)),
        )
        .route("/openapi.json", get(discovery::openapi))
        .route("/llms.txt", get(discovery::llms_txt))
        .route("/.well-known/ai-plugin.json", get(discovery::ai_plugin))
        .merge(pages)
        .nest_service("/pkg", routes::pkg::router(&state.leptos_options))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(provide_services, app::shell))
        .layer(middleware::from_fn_with_state(state.clone(), Workers::nudge_after_writes))
        .layer(middleware::from_fn_with_state(state.clone(), discovery::root_json))
        .layer(middleware::from_fn_with_state(state.clone(), crate::client_addr::attach))
        // Inside the session layer: it saves a session only for a response that is not a 5xx,
        // and a server function's refusal is one until its status is set here (a passkey
        // ceremony's spent state must stay spent when the answer is refused).
        .layer(middleware::from_fn(error::server_fn_status))
        .layer(crate::sessions::layer(state.sessions.clone(), &state.config.public_url))
        .layer(Extension(document))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(middleware::from_fn(error::envelope))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::extract::Request| {
            let request_id =
                request.headers().get(&request_id::X_REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
            let path = crate::telemetry::loggable_path(request.uri().path());
            tracing::info_span!("request", method = %request.method(), %path, request_id)
        }))
        .layer(middleware::from_fn(request_id::assign))
        .with_state(state)
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

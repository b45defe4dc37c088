//! The pages of HumanDispatch and the server functions behind them. Compiled twice: with `ssr`
//! into the server (rendering, server functions calling `domain`), with `hydrate` into the
//! browser's wasm (where `domain` contributes only wire types).

pub mod api;
pub mod assets;
pub mod components;
pub mod geolocation;
pub mod hydration;
pub mod layout;
pub mod live;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The name cargo-leptos gives the wasm, js and css bundles (`[[workspace.metadata.leptos]] name`).
pub const OUTPUT_NAME: &str = "humandispatch";

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#0f172a" />
                <meta name="description" content="HumanDispatch: AI agents hire local people for on-site work. Talent quote, check in and upload from their phones." />
                <link rel="icon" href="/favicon.ico" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <hydration::IdleHydration options />
                <MetaTags />
            </head>
            <body class="min-h-dvh bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "HumanDispatch".to_owned() } else { format!("{page} · HumanDispatch") }
        } />
        <Router>
            <layout::Layout>
                <Routes fallback=pages::not_found::NotFound>
                    // Async: a page is sent once its data is read, as complete HTML. Streamed
                    // out of order, a Suspense would be filled in by a script, and without the
                    // wasm (blocked, slow) the page would read "Loading…" for good.
                    <Route path=path!("/") view=pages::landing::Landing ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view=pages::dashboard::Dashboard ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/money") view=pages::dashboard::money::MoneyPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/keys") view=pages::dashboard::keys::KeysPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/audit") view=pages::dashboard::audit::AuditLogPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/webhooks") view=pages::dashboard::webhooks::WebhookEndpointsPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/tasks/new") view=pages::dashboard::new_task::NewTaskPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/tasks/:id") view=pages::dashboard::task::TaskDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard/sign_in/complete") view=pages::dashboard::sign_in::CompleteSignInPage ssr=SsrMode::Async />
                    <Route path=path!("/portal") view=pages::portal::Portal ssr=SsrMode::Async />
                    <Route path=path!("/portal/bookings/:id") view=pages::portal::booking::BookingPage ssr=SsrMode::Async />
                    <Route path=path!("/portal/payouts") view=pages::portal::payouts::PayoutsPage ssr=SsrMode::Async />
                    <Route path=path!("/portal/profile") view=pages::portal::profile::ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/portal/invitations/:id") view=pages::portal::invitation::InvitationPage ssr=SsrMode::Async />
                    <Route path=path!("/portal/sign_in/complete") view=pages::portal::sign_in::CompleteSignInPage ssr=SsrMode::Async />
                    <Route path=path!("/billing/setup") view=pages::billing::setup::BillingSetupPage ssr=SsrMode::Async />
                    <Route path=path!("/billing/sandbox/:token") view=pages::billing::sandbox::SandboxCardPage ssr=SsrMode::Async />
                    <Route path=path!("/developer/signup") view=pages::developer::signup::SignupPage ssr=SsrMode::Async />
                </Routes>
            </layout::Layout>
        </Router>
    }
}

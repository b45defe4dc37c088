//! Black-box tests of the real router over real HTTP, on a fresh database per test: a temp
//! SQLite file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod api_keys;
mod audit;
mod auth;
mod dashboard;
mod delivery;
mod developer;
mod discovery;
mod errors;
mod fixtures;
mod hardening;
mod health;
mod idempotency;
mod jobs;
mod marketplace;
mod money;
mod notifications;
mod pages;
mod portal;
mod rate_limits;
mod receivers;
mod schema;
mod tasks;
mod templates;

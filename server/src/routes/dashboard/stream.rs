//! `GET /dashboard/stream`: the signed-in account's events as server-sent events, as they are
//! sequenced, for the dashboard's live pages. Each message is one event as `GET /v1/events`
//! lists it, with the event's id as the message id, so a browser that reconnects (EventSource
//! does by itself) sends `Last-Event-ID` and gets what it missed, in order. A first connection
//! starts after `?after=<event id>` (the last event the page was rendered with) or, without it,
//! after the newest event.

use crate::{auth::Principal, error::ApiError, state::AppState};
use axum::{
    extract::{Query, State},
    http::HeaderMap,
    response::sse::{Event as Message, KeepAlive, Sse},
};
use domain::{Services, caller::Caller, events::Event};
use futures::Stream;
use serde::Deserialize;
use std::{collections::VecDeque, convert::Infallible, time::Duration};

/// How often a stream looks for events another server process sequenced (this process's own
/// wake it at once).
const POLL: Duration = Duration::from_secs(1);
/// Events read per query while catching up.
const BATCH: u64 = 100;

#[derive(Debug, Deserialize)]
pub struct StreamQuery {
    after: Option<String>,
}

pub async fn get(
    State(state): State<AppState>,
    Principal(caller): Principal,
    Query(query): Query<StreamQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Message, Infallible>>>, ApiError> {
    let services = state.services.clone();
    let resume = headers.get("last-event-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let principal_id = caller.principal_id().map_err(ApiError)?.to_owned();
    let start = match resume.or(query.after).filter(|a| !a.is_empty()) {
        Some(id) => domain::events::position_of(&services, &principal_id, &id).await,
        None => domain::events::last_position(&services, &principal_id).await,
    }
    .map_err(ApiError)?;
    let tail = Tail {
        placed: services.placed.subscribe(),
        services,
        caller,
        position: start,
        pending: VecDeque::new(),
        stop: state.workers.stopping(),
    };
    Ok(Sse::new(futures::stream::unfold(tail, next)).keep_alive(KeepAlive::default()))
}

/// Where one stream stands.
struct Tail {
    services: Services,
    caller: Caller,
    /// The position of the last event sent.
    position: i64,
    pending: VecDeque<(i64, Event)>,
    placed: tokio::sync::watch::Receiver<i64>,
    /// Cancelled on shutdown: the stream ends, so the server can (the browser reconnects to
    /// another process and resumes).
    stop: tokio_util::sync::CancellationToken,
}

async fn next(mut tail: Tail) -> Option<(Result<Message, Infallible>, Tail)> {
    loop {
        if let Some((position, event)) = tail.pending.pop_front() {
            tail.position = position;
            let message = match serde_json::to_string(&event) {
                Ok(data) => Message::default().id(event.id).data(data),
                Err(e) => {
                    tracing::error!("an event does not serialise: {e}");
                    return None;
                }
            };
            return Some((Ok(message), tail));
        }
        // Marked seen before reading, so an event placed during the read wakes the next wait.
        tail.placed.borrow_and_update();
        match domain::events::after_position(&tail.services, &tail.caller, tail.position, BATCH).await {
            Ok((batch, _)) if !batch.is_empty() => {
                tail.pending.extend(batch);
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                // The browser reconnects with the last id it got and resumes from there.
                tracing::warn!("reading events for a live stream: {e}");
                return None;
            }
        }
        tokio::select! {
            () = tail.stop.cancelled() => return None,
            changed = tail.placed.changed() => {
                if changed.is_err() {
                    tokio::time::sleep(POLL).await;
                }
            }
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

//! The reconciler: after a crash (or a gateway that did not answer), the journal has rows left
//! `pending`. Each is sent again with its own idempotency key, so the gateway answers what it
//! did the first time without moving money twice, and the outcome is recorded as the request
//! would have: a settlement's capture, release and transfers are finished; a hold that no
//! booking was confirmed with is released. Gateway and ledger end in agreement.

use super::{carry_out, hold};
use crate::ErrorCode;
use crate::entities::gateway_operations;
use crate::payments::{Operation, journal};
use crate::status::GatewayOpStatus;
use crate::{Error, Services};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashSet;

/// Operations looked at per run.
const BATCH: u64 = 100;

/// Finishes or compensates every operation pending for longer than `stale_after` (younger ones
/// may still be in flight in a request). Returns how many it handled.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn reconcile(svc: &Services, stale_after: chrono::Duration) -> Result<usize, Error> {
    let cutoff = crate::time::now() - stale_after;
    let stale = gateway_operations::Entity::find()
        .filter(gateway_operations::Column::Status.eq(GatewayOpStatus::Pending))
        .filter(gateway_operations::Column::UpdatedAt.lte(cutoff))
        .order_by_asc(gateway_operations::Column::CreatedAt)
        .limit(BATCH)
        .all(&svc.db)
        .await?;
    let mut settled = HashSet::new();
    for op in &stale {
        tracing::info!(operation = %op.id, kind = op.operation.as_str(), booking = %op.booking_id, "reconciling");
        match (op.operation, &op.settlement_id) {
            (_, Some(settlement)) => {
                if settled.insert(settlement.clone()) {
                    carry_out(svc, settlement).await?;
                }
            }
            (Operation::Hold, None) => {
                let outcome = journal::execute(svc, op).await?;
                // Without a principal to confirm for, a hold that was made is released; the
                // refusal that reports it is what a request would have answered.
                match hold::finish(svc, None, op, &outcome).await {
                    Err(e) if e.code == ErrorCode::Internal => return Err(e),
                    _ => {}
                }
            }
            (Operation::Release, None) => hold::release_unused(svc, op).await?,
            (other, None) => {
                tracing::error!(operation = %op.id, "a pending {} belongs to no settlement", other.as_str());
            }
        }
    }
    Ok(stale.len())
}

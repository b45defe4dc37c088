//! The one place a status is written. A transition is checked against its machine
//! ([`Machine::next`]), then saved with an update filtered on the status it was checked
//! from: exactly one row must change, or someone else moved it first and the caller gets
//! 403 `POLICY_BLOCKED` with the status the row really has now. That filter is what makes
//! "only the first caller succeeds" hold on SQLite and PostgreSQL alike; on PostgreSQL the
//! update also holds the row until the transaction ends, which is how the booking row guards
//! everything done to its money.

use crate::Error;
use crate::entities::{
    bookings, disputes, email_outbox, files, gateway_operations, jobs, payouts, quotes, sandbox_holds, settlements,
    tasks, webhook_deliveries, webhook_endpoints, work_orders,
};
use crate::status::{Blocked, Machine};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, TryGetable, UpdateMany,
    sea_query::Expr,
};

/// A table whose rows carry a status of machine `Status`.
pub trait Stateful: EntityTrait {
    type Status: Machine + ActiveEnum + TryGetable + Into<sea_orm::Value> + Send + Sync;
    fn id_column() -> Self::Column;
    fn status_column() -> Self::Column;
    /// Set to now by every transition, for tables that have one.
    fn updated_column() -> Option<Self::Column>;
}

type ActionOf<E> = <<E as Stateful>::Status as Machine>::Action;

macro_rules! stateful {
    ($module:ident, $status:ty, $updated:expr) => {
        stateful!($module, $status, $updated, Id);
    };
    ($module:ident, $status:ty, $updated:expr, $id:ident) => {
        impl Stateful for $module::Entity {
            type Status = $status;
            fn id_column() -> $module::Column {
                $module::Column::$id
            }
            fn status_column() -> $module::Column {
                $module::Column::Status
            }
            fn updated_column() -> Option<$module::Column> {
                $updated
            }
        }
    };
}

stateful!(tasks, crate::status::TaskStatus, Some(tasks::Column::UpdatedAt));
stateful!(quotes, crate::status::QuoteStatus, Some(quotes::Column::UpdatedAt));
stateful!(bookings, crate::status::BookingStatus, Some(bookings::Column::UpdatedAt));
stateful!(work_orders, crate::status::WorkOrderStatus, Some(work_orders::Column::UpdatedAt));
stateful!(disputes, crate::status::DisputeStatus, None);
stateful!(files, crate::status::FileStatus, None);
stateful!(email_outbox, crate::status::MailStatus, None);
stateful!(jobs, crate::status::JobStatus, None);
stateful!(webhook_deliveries, crate::status::DeliveryStatus, None);
stateful!(webhook_endpoints, crate::status::EndpointStatus, None);
stateful!(payouts, crate::status::PayoutStatus, None);
stateful!(gateway_operations, crate::status::GatewayOpStatus, Some(gateway_operations::Column::UpdatedAt));
stateful!(settlements, crate::status::SettlementStatus, None);
stateful!(sandbox_holds, crate::status::HoldStatus, Some(sandbox_holds::Column::UpdatedAt), Reference);

/// Moves row `id` from `from` by `action`, setting whatever else `changes` adds to the update.
/// Returns the new status; 403 with the row's real status when the machine refuses or the row
/// was no longer `from`.
pub async fn transition<E: Stateful>(
    conn: &impl ConnectionTrait,
    id: &str,
    from: E::Status,
    action: ActionOf<E>,
    changes: impl FnOnce(UpdateMany<E>) -> UpdateMany<E>,
) -> Result<E::Status, Error> {
    let to = from.next(action)?;
    let update = changes(start::<E>(to)).filter(E::id_column().eq(id)).filter(E::status_column().eq(from));
    if update.exec(conn).await?.rows_affected == 1 {
        return Ok(to);
    }
    Err(Blocked { current: current::<E>(conn, id).await?, action }.into())
}

/// As [`transition`], reading the row's status first: for callers that hold no earlier read.
pub async fn advance<E: Stateful>(
    conn: &impl ConnectionTrait,
    id: &str,
    action: ActionOf<E>,
    changes: impl FnOnce(UpdateMany<E>) -> UpdateMany<E>,
) -> Result<E::Status, Error> {
    let from = current::<E>(conn, id).await?;
    transition::<E>(conn, id, from, action, changes).await
}

/// Moves every row that is `from` and matches `filter` by `action`; returns how many moved.
pub async fn transition_all<E: Stateful>(
    conn: &impl ConnectionTrait,
    from: E::Status,
    action: ActionOf<E>,
    filter: impl FnOnce(UpdateMany<E>) -> UpdateMany<E>,
) -> Result<u64, Error> {
    let to = from.next(action)?;
    Ok(filter(start::<E>(to)).filter(E::status_column().eq(from)).exec(conn).await?.rows_affected)
}

/// The status row `id` has now.
pub async fn current<E: Stateful>(conn: &impl ConnectionTrait, id: &str) -> Result<E::Status, Error> {
    E::find()
        .select_only()
        .column(E::status_column())
        .filter(E::id_column().eq(id))
        .into_tuple::<E::Status>()
        .one(conn)
        .await?
        .ok_or_else(|| Error::not_found(&capitalised(<E::Status as Machine>::NOUN)))
}

fn start<E: Stateful>(to: E::Status) -> UpdateMany<E> {
    let update = E::update_many().col_expr(E::status_column(), Expr::value(to));
    match E::updated_column() {
        Some(column) => update.col_expr(column, Expr::value(crate::time::now())),
        None => update,
    }
}

fn capitalised(noun: &str) -> String {
    let mut chars = noun.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

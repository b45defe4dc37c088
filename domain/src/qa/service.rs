use super::checks::{Item, evaluate};
use super::facts::{self, Facts};
use super::{QaCheck, QaReport, QaStatus};
use crate::caller::Caller;
use crate::entities::{deliverables, files, qa_results, tasks, work_orders};
use crate::events::{self, DomainEvent};
use crate::principals::Mode;
use crate::status::{WorkOrderAction, WorkOrderStatus};
use crate::templates::{self, DeliverableKind};
use crate::transition::transition;
use crate::{Error, ErrorCode, Services, content_types, ids};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait, sea_query::OnConflict};
use serde_json::json;
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// Decoding is CPU work: at most one file per core at a time, on blocking threads, so that
/// requests keep being served while QA runs.
static DECODERS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

fn report(row: &qa_results::Model) -> Result<QaReport, Error> {
    Ok(QaReport {
        work_order_id: row.work_order_id.clone(),
        delivery_set: u32::try_from(row.delivery_set).unwrap_or(0),
        status: row.status,
        checks: serde_json::from_value::<Vec<QaCheck>>(row.checks.clone()).map_err(Error::internal)?,
        created_at: row.created_at,
    })
}

/// QA's stored report on one delivery of a work order, if it has run.
pub async fn stored(
    conn: &impl sea_orm::ConnectionTrait,
    work_order_id: &str,
    delivery_set: i32,
) -> Result<Option<QaReport>, Error> {
    qa_results::Entity::find()
        .filter(qa_results::Column::WorkOrderId.eq(work_order_id))
        .filter(qa_results::Column::DeliverySet.eq(delivery_set))
        .one(conn)
        .await?
        .as_ref()
        .map(report)
        .transpose()
}

async fn read_facts(svc: &Services, kind: DeliverableKind, file: &files::Model) -> Facts {
    let Ok(_permit) = DECODERS.acquire().await else { return Facts::Unreadable("QA is shutting down".into()) };
    let format = content_types::format_of(&file.declared_type).unwrap_or_default().to_owned();
    let result = match kind {
        DeliverableKind::Photo => match svc.storage.read_all(&file.storage_key).await {
            Ok(bytes) => tokio::task::spawn_blocking(move || facts::image(&bytes)).await,
            Err(e) => Ok(Facts::Unreadable(e.message)),
        },
        DeliverableKind::Video => match svc.storage.to_temp_file(&file.storage_key).await {
            Ok(temp) => {
                tokio::task::spawn_blocking(move || {
                    let size = std::fs::metadata(temp.path()).map(|m| m.len()).unwrap_or(0);
                    match std::fs::File::open(temp.path()) {
                        Ok(f) => facts::video(std::io::BufReader::new(f), size),
                        Err(e) => Facts::Unreadable(e.to_string()),
                    }
                })
                .await
            }
            Err(e) => Ok(Facts::Unreadable(e.message)),
        },
        DeliverableKind::Audio => match svc.storage.to_temp_file(&file.storage_key).await {
            Ok(temp) => {
                tokio::task::spawn_blocking(move || match std::fs::File::open(temp.path()) {
                    Ok(f) => facts::audio(Box::new(f), &format),
                    Err(e) => Facts::Unreadable(e.to_string()),
                })
                .await
            }
            Err(e) => Ok(Facts::Unreadable(e.message)),
        },
        DeliverableKind::Document => Ok(Facts::Document),
    };
    // A decoder that panicked on a hostile file fails that file's checks, not the server.
    result.unwrap_or_else(|e| Facts::Unreadable(format!("the file could not be analysed: {e}")))
}

/// `GET /v1/work_orders/:id/qa`: the template's acceptance tests on the current delivery,
/// computed once per delivery and cached. The worker usually has the result ready (see
/// the `EvaluateDelivery` job); otherwise this computes it.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn run(svc: &Services, caller: &Caller, work_order_id: &str) -> Result<QaReport, Error> {
    caller.principal_id()?;
    let wo = crate::work_orders::find(&svc.db, caller, work_order_id).await?;
    if wo.delivery_set == 0 {
        return Err(Error::new(ErrorCode::PolicyBlocked, "Nothing has been delivered yet")
            .with_details(json!({ "current_status": wo.status })));
    }
    evaluate_delivery(svc, &wo, caller).await
}

/// The job queued with a delivery (`jobs::Job::EvaluateDelivery`): runs QA off the request
/// path, so that the result is ready when the principal asks. A delivery that was replaced or
/// already evaluated (the principal asked first) needs nothing. Should a principal's request
/// evaluate it at the same moment, the first result stored wins and the other is dropped.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn evaluate_queued(svc: &Services, work_order_id: &str, delivery_set: i32) -> Result<(), Error> {
    let Some(wo) = work_orders::Entity::find_by_id(work_order_id.to_owned()).one(&svc.db).await? else {
        return Ok(());
    };
    // `delivered` is exactly "the current delivery has no QA result": storing one moves it on.
    if wo.status != WorkOrderStatus::Delivered || wo.delivery_set != delivery_set {
        return Ok(());
    }
    // The mode only picks a gateway, which QA never calls.
    evaluate_delivery(svc, &wo, &Caller::system("qa", Mode::Sandbox)).await.map(drop)
}

/// The current delivery's report: cached, or computed and stored (moving the work order to
/// `qa_passed` or `qa_failed`, recording `qa.completed` and mailing the principal).
async fn evaluate_delivery(svc: &Services, wo: &work_orders::Model, caller: &Caller) -> Result<QaReport, Error> {
    let cached = || {
        qa_results::Entity::find()
            .filter(qa_results::Column::WorkOrderId.eq(&wo.id))
            .filter(qa_results::Column::DeliverySet.eq(wo.delivery_set))
            .one(&svc.db)
    };
    if let Some(row) = cached().await? {
        return report(&row);
    }

    let task =
        tasks::Entity::find_by_id(wo.task_id.clone()).one(&svc.db).await?.ok_or_else(|| Error::not_found("Task"))?;
    let template = templates::of_task(&task)?;
    let rows = deliverables::Entity::find()
        .filter(deliverables::Column::WorkOrderId.eq(&wo.id))
        .filter(deliverables::Column::DeliverySet.eq(wo.delivery_set))
        .all(&svc.db)
        .await?;
    let file_rows = files::Entity::find()
        .filter(files::Column::Id.is_in(rows.iter().map(|d| d.file_id.clone())))
        .all(&svc.db)
        .await?;
    let reads = rows.iter().map(|d| {
        let file = file_rows.iter().find(|f| f.id == d.file_id);
        let kind: Option<DeliverableKind> = serde_json::from_value(json!(d.kind)).ok();
        async move {
            match (file, kind) {
                (Some(f), Some(k)) => Item {
                    deliverable_id: d.id.clone(),
                    kind: k,
                    format: content_types::format_of(&f.declared_type).unwrap_or_default().to_owned(),
                    facts: read_facts(svc, k, f).await,
                },
                _ => Item {
                    deliverable_id: d.id.clone(),
                    kind: kind.unwrap_or(DeliverableKind::Document),
                    format: String::new(),
                    facts: Facts::Unreadable("the file is missing".into()),
                },
            }
        }
    });
    let items = futures::future::join_all(reads).await;
    let checks = evaluate(template, &task, &items);
    let passed = checks.iter().all(|c| c.passed);
    let now = crate::time::now();

    let txn = svc.db.begin().await?;
    let inserted = qa_results::Entity::insert(qa_results::ActiveModel {
        id: Set(ids::new_id("qa")),
        work_order_id: Set(wo.id.clone()),
        delivery_set: Set(wo.delivery_set),
        status: Set(if passed { QaStatus::Passed } else { QaStatus::Failed }),
        checks: Set(serde_json::to_value(&checks).map_err(Error::internal)?),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([qa_results::Column::WorkOrderId, qa_results::Column::DeliverySet]).do_nothing().to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted == 1 {
        let action = if passed { WorkOrderAction::PassQa } else { WorkOrderAction::FailQa };
        // The report stands whatever became of the work order meanwhile (a dispute, say); it
        // moves only while this delivery is the one waiting for QA.
        let moved = transition::<work_orders::Entity>(&txn, &wo.id, WorkOrderStatus::Delivered, action, |u| {
            u.filter(work_orders::Column::DeliverySet.eq(wo.delivery_set))
        })
        .await;
        if let Err(e) = moved
            && e.code != ErrorCode::PolicyBlocked
        {
            return Err(e);
        }
        let failed: Vec<&str> = checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
        let completed = events::QaCompleted {
            work_order_id: wo.id.clone(),
            delivery_set: wo.delivery_set,
            status: if passed { QaStatus::Passed } else { QaStatus::Failed },
            check_count: u32::try_from(checks.len()).unwrap_or(u32::MAX),
            failed_checks: failed.iter().map(|c| (*c).to_owned()).collect(),
        };
        events::emit_audited(
            &txn,
            caller,
            &wo.principal_id,
            DomainEvent::QaCompleted(completed),
            "qa.completed",
            json!({ "status": if passed { "passed" } else { "failed" }, "checks": checks.len() }),
        )
        .await?;
    }
    txn.commit().await?;
    let row = cached().await?.ok_or_else(|| Error::internal("QA result vanished"))?;
    report(&row)
}

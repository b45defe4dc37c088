//! Installation-wide settings stored in the database, shared by every replica.

use crate::entities::settings;
use crate::{Error, secrets};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, sea_query::OnConflict};

const SIGNING_SECRET: &str = "signing_secret";

/// The secret that signs cursors and URLs: `configured` when the operator set one, otherwise
/// the one this installation generated on first start (first writer wins, every replica
/// reads the same).
pub async fn signing_secret(db: &DatabaseConnection, configured: Option<&str>) -> Result<Vec<u8>, Error> {
    if let Some(secret) = configured {
        return Ok(secret.as_bytes().to_vec());
    }
    settings::Entity::insert(settings::ActiveModel {
        key: Set(SIGNING_SECRET.to_owned()),
        value: Set(secrets::new_token("")),
    })
    .on_conflict(OnConflict::column(settings::Column::Key).do_nothing().to_owned())
    .do_nothing()
    .exec(db)
    .await?;
    let row = settings::Entity::find_by_id(SIGNING_SECRET.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| Error::internal("signing secret missing after insert"))?;
    Ok(row.value.into_bytes())
}

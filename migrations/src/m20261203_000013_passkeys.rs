//! Passkeys (WebAuthn credentials) of talent, and of principals when the dashboard signs in
//! with them: several per owner, each named by its owner. `passkey` is webauthn-rs's own
//! record of the credential (public key, counter, backup state) as JSON; `credential_id` is
//! looked up when a browser signs in without saying who it is (a discoverable credential).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Passkeys::Table)
                .if_not_exists()
                .col(string(Passkeys::Id).primary_key())
                .col(string(Passkeys::OwnerKind))
                .col(string(Passkeys::OwnerId))
                .col(string(Passkeys::UserHandle))
                .col(string(Passkeys::CredentialId).unique_key())
                .col(string(Passkeys::Name))
                .col(text(Passkeys::Passkey))
                .col(timestamp_with_time_zone(Passkeys::CreatedAt))
                .col(timestamp_with_time_zone_null(Passkeys::LastUsedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_passkeys_owner")
                .table(Passkeys::Table)
                .col(Passkeys::OwnerKind)
                .col(Passkeys::OwnerId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Passkeys::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Passkeys {
    Table,
    Id,
    OwnerKind,
    OwnerId,
    UserHandle,
    CredentialId,
    Name,
    Passkey,
    CreatedAt,
    LastUsedAt,
}

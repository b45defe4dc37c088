//! The middle of the lifecycle: talent, billing, invitations, quotes, bookings, work orders,
//! the ledger, and the mail outbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Talent::Table)
                .if_not_exists()
                .col(string(Talent::Id).primary_key())
                .col(string(Talent::Name))
                .col(string(Talent::Email))
                .col(string_null(Talent::Phone))
                .col(json_binary(Talent::Skills))
                .col(json_binary(Talent::TaskTypes))
                .col(double(Talent::HomeLat))
                .col(double(Talent::HomeLng))
                .col(integer(Talent::TravelRadiusKm))
                .col(json_binary(Talent::PortfolioLinks))
                .col(string(Talent::Mode))
                .col(string_null(Talent::OwnerPrincipalId))
                .col(string_null(Talent::TokenHash).unique_key())
                .col(string_null(Talent::PayoutAccountRef))
                .col(timestamp_with_time_zone(Talent::CreatedAt))
                .to_owned(),
        )
        .await?;
        index(m, "idx_talent_mode_owner", Talent::Table, &[Talent::Mode, Talent::OwnerPrincipalId]).await?;
        index(m, "idx_talent_lat_lng", Talent::Table, &[Talent::HomeLat, Talent::HomeLng]).await?;

        m.create_table(
            Table::create()
                .table(PaymentMethods::Table)
                .if_not_exists()
                .col(string(PaymentMethods::Id).primary_key())
                .col(string(PaymentMethods::PrincipalId))
                .col(string(PaymentMethods::Gateway))
                .col(string(PaymentMethods::GatewayRef))
                .col(string(PaymentMethods::Brand))
                .col(string(PaymentMethods::Last4))
                .col(boolean(PaymentMethods::IsDefault))
                .col(timestamp_with_time_zone(PaymentMethods::CreatedAt))
                .col(timestamp_with_time_zone_null(PaymentMethods::DetachedAt))
                .foreign_key(&mut fk(PaymentMethods::Table, PaymentMethods::PrincipalId))
                .to_owned(),
        )
        .await?;
        index(m, "idx_payment_methods_principal", PaymentMethods::Table, &[PaymentMethods::PrincipalId]).await?;

        m.create_table(
            Table::create()
                .table(SpendCaps::Table)
                .if_not_exists()
                .col(string(SpendCaps::PrincipalId).primary_key())
                .col(big_integer(SpendCaps::MonthlyCapCents))
                .col(string(SpendCaps::Currency))
                .col(timestamp_with_time_zone(SpendCaps::UpdatedAt))
                .foreign_key(&mut fk(SpendCaps::Table, SpendCaps::PrincipalId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(BillingSetupSessions::Table)
                .if_not_exists()
                .col(string(BillingSetupSessions::Id).primary_key())
                .col(string(BillingSetupSessions::PrincipalId))
                .col(string_uniq(BillingSetupSessions::TokenHash))
                .col(timestamp_with_time_zone(BillingSetupSessions::ExpiresAt))
                .col(timestamp_with_time_zone_null(BillingSetupSessions::CompletedAt))
                .col(timestamp_with_time_zone(BillingSetupSessions::CreatedAt))
                .foreign_key(&mut fk(BillingSetupSessions::Table, BillingSetupSessions::PrincipalId))
                .to_owned(),
        )
        .await?;

        m.alter_table(Table::alter().table(Tasks::Table).add_column(string_null(Tasks::AcceptedQuoteId)).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table(QuoteRequests::Table)
                .if_not_exists()
                .col(string(QuoteRequests::Id).primary_key())
                .col(string(QuoteRequests::PrincipalId))
                .col(string(QuoteRequests::TaskId))
                .col(string(QuoteRequests::TalentId))
                .col(timestamp_with_time_zone(QuoteRequests::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_quote_requests_task_talent")
                .table(QuoteRequests::Table)
                .col(QuoteRequests::TaskId)
                .col(QuoteRequests::TalentId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Quotes::Table)
                .if_not_exists()
                .col(string(Quotes::Id).primary_key())
                .col(string(Quotes::PrincipalId))
                .col(string(Quotes::TaskId))
                .col(string(Quotes::TalentId))
                .col(big_integer(Quotes::AmountCents))
                .col(string(Quotes::Currency))
                .col(text(Quotes::Message))
                .col(timestamp_with_time_zone_null(Quotes::ProposedStart))
                .col(string(Quotes::Status))
                .col(timestamp_with_time_zone(Quotes::ExpiresAt))
                .col(timestamp_with_time_zone(Quotes::CreatedAt))
                .col(timestamp_with_time_zone(Quotes::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_quotes_task_talent")
                .table(Quotes::Table)
                .col(Quotes::TaskId)
                .col(Quotes::TalentId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Bookings::Table)
                .if_not_exists()
                .col(string(Bookings::Id).primary_key())
                .col(string(Bookings::PrincipalId))
                .col(string(Bookings::TaskId))
                .col(string_uniq(Bookings::QuoteId))
                .col(string(Bookings::TalentId))
                .col(big_integer(Bookings::AmountCents))
                .col(string(Bookings::Currency))
                .col(string(Bookings::Status))
                .col(string_null(Bookings::PaymentMethodId))
                .col(string_null(Bookings::EscrowRef))
                .col(string_null(Bookings::LastPaymentError))
                .col(timestamp_with_time_zone_null(Bookings::CheckedInAt))
                .col(double_null(Bookings::CheckinLat))
                .col(double_null(Bookings::CheckinLng))
                .col(double_null(Bookings::CheckinAccuracyM))
                .col(double_null(Bookings::CheckinDistanceM))
                .col(boolean_null(Bookings::CheckinVerified))
                .col(string_null(Bookings::CheckinNote))
                .col(timestamp_with_time_zone_null(Bookings::CancelledAt))
                .col(timestamp_with_time_zone(Bookings::CreatedAt))
                .col(timestamp_with_time_zone(Bookings::UpdatedAt))
                .to_owned(),
        )
        .await?;
        index(m, "idx_bookings_principal_created", Bookings::Table, &[Bookings::PrincipalId, Bookings::CreatedAt])
            .await?;
        index(m, "idx_bookings_talent", Bookings::Table, &[Bookings::TalentId]).await?;

        m.create_table(
            Table::create()
                .table(WorkOrders::Table)
                .if_not_exists()
                .col(string(WorkOrders::Id).primary_key())
                .col(string(WorkOrders::PrincipalId))
                .col(string(WorkOrders::TaskId))
                .col(string_uniq(WorkOrders::BookingId))
                .col(string(WorkOrders::TalentId))
                .col(string(WorkOrders::Status))
                .col(timestamp_with_time_zone(WorkOrders::CreatedAt))
                .col(timestamp_with_time_zone(WorkOrders::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LedgerEntries::Table)
                .if_not_exists()
                .col(string(LedgerEntries::Id).primary_key())
                .col(string(LedgerEntries::TransactionId))
                .col(string(LedgerEntries::PrincipalId))
                .col(string_null(LedgerEntries::BookingId))
                .col(string(LedgerEntries::Account))
                .col(big_integer(LedgerEntries::AmountCents))
                .col(string(LedgerEntries::Currency))
                .col(string(LedgerEntries::Kind))
                .col(timestamp_with_time_zone(LedgerEntries::CreatedAt))
                .to_owned(),
        )
        .await?;
        index(m, "idx_ledger_booking", LedgerEntries::Table, &[LedgerEntries::BookingId]).await?;
        index(m, "idx_ledger_transaction", LedgerEntries::Table, &[LedgerEntries::TransactionId]).await?;

        m.create_table(
            Table::create()
                .table(EmailOutbox::Table)
                .if_not_exists()
                .col(string(EmailOutbox::Id).primary_key())
                .col(string_null(EmailOutbox::PrincipalId))
                .col(string_null(EmailOutbox::TalentId))
                .col(string(EmailOutbox::ToAddress))
                .col(string(EmailOutbox::Subject))
                .col(text(EmailOutbox::Html))
                .col(text(EmailOutbox::Text))
                .col(string(EmailOutbox::Status))
                .col(integer(EmailOutbox::Attempts))
                .col(timestamp_with_time_zone(EmailOutbox::NextAttemptAt))
                .col(text_null(EmailOutbox::LastError))
                .col(timestamp_with_time_zone(EmailOutbox::CreatedAt))
                .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
                .to_owned(),
        )
        .await?;
        index(m, "idx_email_outbox_due", EmailOutbox::Table, &[EmailOutbox::Status, EmailOutbox::NextAttemptAt]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EmailOutbox::Table.into_iden(),
            LedgerEntries::Table.into_iden(),
            WorkOrders::Table.into_iden(),
            Bookings::Table.into_iden(),
            Quotes::Table.into_iden(),
            QuoteRequests::Table.into_iden(),
            BillingSetupSessions::Table.into_iden(),
            SpendCaps::Table.into_iden(),
            PaymentMethods::Table.into_iden(),
            Talent::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Tasks::Table).drop_column(Tasks::AcceptedQuoteId).to_owned()).await
    }
}

async fn index<T: IntoIden + Copy + 'static, C: IntoIden + Copy + 'static>(
    m: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: &[C],
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(*col);
    }
    m.create_index(index.to_owned()).await
}

fn fk<T: IntoIden + Copy + 'static, C: IntoIden + Copy + 'static>(table: T, col: C) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Principals::Table, Principals::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[derive(DeriveIden, Clone, Copy)]
enum Principals {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tasks {
    Table,
    AcceptedQuoteId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Talent {
    Table,
    Id,
    Name,
    Email,
    Phone,
    Skills,
    TaskTypes,
    HomeLat,
    HomeLng,
    TravelRadiusKm,
    PortfolioLinks,
    Mode,
    OwnerPrincipalId,
    TokenHash,
    PayoutAccountRef,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PaymentMethods {
    Table,
    Id,
    PrincipalId,
    Gateway,
    GatewayRef,
    Brand,
    Last4,
    IsDefault,
    CreatedAt,
    DetachedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SpendCaps {
    Table,
    PrincipalId,
    MonthlyCapCents,
    Currency,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum BillingSetupSessions {
    Table,
    Id,
    PrincipalId,
    TokenHash,
    ExpiresAt,
    CompletedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum QuoteRequests {
    Table,
    Id,
    PrincipalId,
    TaskId,
    TalentId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Quotes {
    Table,
    Id,
    PrincipalId,
    TaskId,
    TalentId,
    AmountCents,
    Currency,
    Message,
    ProposedStart,
    Status,
    ExpiresAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Bookings {
    Table,
    Id,
    PrincipalId,
    TaskId,
    QuoteId,
    TalentId,
    AmountCents,
    Currency,
    Status,
    PaymentMethodId,
    EscrowRef,
    LastPaymentError,
    CheckedInAt,
    CheckinLat,
    CheckinLng,
    CheckinAccuracyM,
    CheckinDistanceM,
    CheckinVerified,
    CheckinNote,
    CancelledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WorkOrders {
    Table,
    Id,
    PrincipalId,
    TaskId,
    BookingId,
    TalentId,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LedgerEntries {
    Table,
    Id,
    TransactionId,
    PrincipalId,
    BookingId,
    Account,
    AmountCents,
    Currency,
    Kind,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum EmailOutbox {
    Table,
    Id,
    PrincipalId,
    TalentId,
    ToAddress,
    Subject,
    Html,
    Text,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
    SentAt,
}

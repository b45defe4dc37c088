//! The principal's dashboard: sign-in by one-time email link (then a passkey), and what the
//! account's owner sees of their agents' work. The owner acts through the same services as an
//! agent with a key; the audit log names them `principal` instead of the key.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod audit;
#[cfg(feature = "server")]
mod money;
#[cfg(feature = "server")]
mod sign_in;
#[cfg(feature = "server")]
mod tasks;
#[cfg(feature = "server")]
mod webhooks;
#[cfg(feature = "server")]
pub use audit::*;
#[cfg(feature = "server")]
pub use money::*;
#[cfg(feature = "server")]
pub use sign_in::*;
#[cfg(feature = "server")]
pub use tasks::*;
#[cfg(feature = "server")]
pub use webhooks::*;

/// The key under which a dashboard session holds its principal's id.
pub const SESSION_PRINCIPAL_KEY: &str = "principal_id";

/// The key under which a dashboard session holds the session generation it was signed in at.
pub const SESSION_GENERATION_KEY: &str = "principal_generation";

/// How long a dashboard sign-in link works, once.
pub const SIGN_IN_LINK_MINUTES: i64 = 15;

/// How many rows a page of the dashboard's audit log shows.
pub const AUDIT_PER_PAGE: i64 = 50;

/// How many tasks a page of the dashboard's list shows.
pub const TASKS_PER_PAGE: i64 = 50;

/// The account a dashboard session belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DashboardPrincipal {
    pub principal_id: String,
    pub name: String,
    pub email: String,
    pub mode: crate::principals::Mode,
}

/// How many of the account's tasks are in one status.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StatusCount {
    pub status: crate::status::TaskStatus,
    pub count: u64,
}

/// The dashboard's start page: the account, its tasks by status, and a page of them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Overview {
    pub principal: DashboardPrincipal,
    /// Every status, in the lifecycle's order, with how many tasks are in it (zero included).
    pub counts: Vec<StatusCount>,
    pub total: u64,
    /// The status the list is filtered by, if any.
    pub status: Option<crate::status::TaskStatus>,
    /// Newest first.
    pub tasks: Vec<crate::tasks::Task>,
    /// Where the next page starts, when there is one.
    pub next_cursor: Option<String>,
    /// Whether the owner has a passkey; without one the page offers to add one.
    pub has_passkey: bool,
    /// The account's newest event when this was read: a live page follows the stream from it.
    pub last_event_id: Option<String>,
}

/// One task as its owner steers it: the task, its quotes side by side, its booking, and what
/// happened to it, in order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaskPage {
    pub task: crate::tasks::Task,
    /// Newest first.
    pub quotes: Vec<QuoteRow>,
    /// The task's booking (the latest, when one was cancelled and another made).
    pub booking: Option<crate::bookings::Booking>,
    /// Whether a card is on file to hold the escrow with.
    pub card_on_file: bool,
    /// Whether cancelling the booking now can succeed: it is live, nothing was delivered and
    /// no dispute is open.
    pub can_cancel: bool,
    /// The booking's work order, once there is a booking.
    pub work: Option<WorkPanel>,
    /// The events about the task, its quotes, bookings, work orders, payouts and disputes,
    /// oldest first.
    pub timeline: Vec<crate::events::Event>,
    /// The audit rows about the same records (who did what, by key, session, talent or the
    /// system), oldest first.
    pub audit: Vec<crate::audit::AuditEntry>,
    /// The account's newest event when this was read: a live page follows the stream from it.
    pub last_event_id: Option<String>,
}

/// A quote as the owner compares it with the others.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuoteRow {
    pub quote: crate::quotes::Quote,
    /// How far the talent's home base is from the task's site, when both are known.
    pub distance_km: Option<f64>,
    /// Whether accepting it now can succeed: it is pending and the task has no accepted quote.
    pub can_accept: bool,
    /// Whether booking it now can succeed (given a card): it is accepted and no live booking
    /// holds it (none, a cancelled one, or one whose hold failed and may be retried).
    pub can_book: bool,
}

/// A booking's work as its owner reviews it: the delivery, QA's verdict, any dispute, and
/// which of the owner's decisions the rules allow now.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WorkPanel {
    /// With the current delivery's files, their download links valid 15 minutes.
    pub work_order: crate::work_orders::WorkOrder,
    /// QA's report on the current delivery, once it has run (the worker runs it on delivery).
    pub qa: Option<crate::qa::QaReport>,
    /// What QA checks: the template's acceptance tests, with what each means.
    pub checks: Vec<crate::templates::AcceptanceTest>,
    /// The open dispute, else the latest resolved one.
    pub dispute: Option<crate::work_orders::Dispute>,
    /// Whether accepting (and paying for) the delivery now can succeed.
    pub can_accept: bool,
    /// QA failed the current delivery: accepting needs the owner's override.
    pub needs_override: bool,
    pub can_request_changes: bool,
    pub can_open_dispute: bool,
    pub can_resolve_dispute: bool,
}

/// The audit log as the dashboard shows it: a page of rows for the filters, newest first, and
/// what the filters can pick from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AuditPage {
    pub search: crate::audit::AuditSearch,
    pub entries: Vec<crate::audit::AuditEntry>,
    /// Where the next (older) page starts, when there is one.
    pub next_cursor: Option<String>,
    /// The actions and entity types in the account's log.
    pub actions: Vec<String>,
    pub entity_types: Vec<String>,
}

/// The account's webhook endpoints, each with its latest deliveries and every attempt.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WebhooksPage {
    pub endpoints: Vec<EndpointPanel>,
    /// The event types an endpoint can subscribe to (besides `*`, all of them).
    pub event_types: Vec<String>,
    /// How many endpoints the account may have.
    pub max_endpoints: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EndpointPanel {
    pub endpoint: crate::webhooks::WebhookEndpoint,
    /// Newest first.
    pub deliveries: Vec<crate::webhooks::Delivery>,
}

/// `/dashboard/tasks/new`: the templates to start from and, once one is picked, its form.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NewTaskPage {
    pub templates: Vec<TemplateChoice>,
    /// The picked template's form and the values it starts with.
    pub form: Option<(crate::tasks::form::TaskForm, crate::tasks::form::FormValues)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TemplateChoice {
    pub task_type: crate::templates::TaskType,
    pub name: String,
    pub description: String,
    /// The least budget the template allows, in whole dollars.
    pub min_budget: i64,
}

/// The new-task page for `template` (none: the choice of templates); an unknown template is
/// the API's 404 with the ones there are.
pub fn new_task_page(template: Option<&str>) -> Result<NewTaskPage, crate::Error> {
    let templates = crate::templates::all()
        .iter()
        .map(|t| TemplateChoice {
            task_type: t.task_type,
            name: t.name.clone(),
            description: t.description.clone(),
            min_budget: t.rules.min_budget,
        })
        .collect();
    let form = match template.filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => {
            let template = crate::templates::find(t)?;
            Some((crate::tasks::form::task_form(&template), crate::tasks::form::starting_values(&template)))
        }
    };
    Ok(NewTaskPage { templates, form })
}

/// `/dashboard/money`: the card, the spend cap, and one month of the ledger.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MoneyPage {
    pub billing: crate::billing::BillingStatus,
    /// The month shown, `YYYY-MM` (UTC).
    pub month: String,
    pub previous_month: String,
    /// None while the month shown is the current one.
    pub next_month: Option<String>,
    /// Each movement of money in the month, oldest first.
    pub movements: Vec<Movement>,
    /// The month's sums, one per currency.
    pub totals: Vec<MonthTotals>,
    /// What the card was charged net (held less refunded) on each day that had a movement.
    pub spend: Vec<SpendDay>,
}

/// One ledger transaction, sorted into what it did with the owner's money.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Movement {
    pub transaction_id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub booking_id: Option<String>,
    pub task_title: Option<String>,
    pub currency: String,
    /// `escrow_hold`, `settlement` or `payout`.
    pub kind: String,
    #[serde(flatten)]
    pub sums: Sums,
}

/// Where money went, in cents: a movement's, or a month's in one currency.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
pub struct Sums {
    /// Taken from the card into a booking's escrow.
    pub held_cents: i64,
    /// Given up by the escrow, to the talent, the platform and back to the card.
    pub released_cents: i64,
    pub to_talent_cents: i64,
    pub fees_cents: i64,
    /// Back to the card.
    pub refunded_cents: i64,
    /// The talent's share sent on to their bank.
    pub paid_out_cents: i64,
}

impl Sums {
    /// The columns in the ledger's order.
    pub fn columns(&self) -> [i64; 6] {
        [
            self.held_cents,
            self.released_cents,
            self.to_talent_cents,
            self.fees_cents,
            self.refunded_cents,
            self.paid_out_cents,
        ]
    }

    pub fn add(&mut self, other: &Sums) {
        self.held_cents += other.held_cents;
        self.released_cents += other.released_cents;
        self.to_talent_cents += other.to_talent_cents;
        self.fees_cents += other.fees_cents;
        self.refunded_cents += other.refunded_cents;
        self.paid_out_cents += other.paid_out_cents;
    }

    /// What the card was charged, less what came back to it.
    pub fn net_charged_cents(&self) -> i64 {
        self.held_cents - self.refunded_cents
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct MonthTotals {
    pub currency: String,
    #[serde(flatten)]
    pub sums: Sums,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SpendDay {
    pub currency: String,
    pub day: chrono::NaiveDate,
    pub net_cents: i64,
}

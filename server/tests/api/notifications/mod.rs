//! Events and notifications: polling, signed webhooks with retries, and email over SMTP.

mod events;
mod mail;
mod webhooks;

pub mod sandbox;
pub mod setup;

pub mod billing;
pub mod dashboard;
pub mod developer;
pub mod landing;
pub mod not_found;
pub mod portal;

//! The sandbox's helpers exist only for sandbox principals; for live ones they are as absent as
//! any unknown route.

use crate::caller::Caller;
use crate::principals::Mode;
use crate::{Error, ErrorCode};

pub fn require_sandbox(caller: &Caller) -> Result<(), Error> {
    match caller.mode {
        Mode::Sandbox => Ok(()),
        Mode::Live => Err(Error::new(ErrorCode::NotFound, "Test helpers exist only for sandbox accounts")),
    }
}

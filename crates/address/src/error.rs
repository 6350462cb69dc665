//! The crate's error type.

use crate::import::ImportErrors;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum AddressError {
    /// A row of the area table is unusable (bad code, unknown parent, duplicate).
    #[error("area {code}: {reason}")]
    Area {
        /// The code as given.
        code: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An address import failed; every error found is listed.
    #[error(transparent)]
    Import(#[from] ImportErrors),
}

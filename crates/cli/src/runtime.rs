//! The async runtime of one client command: a single thread is plenty for a handful of calls.

use std::future::Future;

use crate::failure::CliError;

/// Runs `fut` to completion on a fresh current-thread runtime.
pub fn block_on<T>(fut: impl Future<Output = Result<T, CliError>>) -> Result<T, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?
        .block_on(fut)
}

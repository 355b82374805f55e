//! Reading what a client still sends after its upload was refused.
//!
//! The refusal of an upload (the chain, a missing folder, a name taken) is decided before the
//! body is read. Answering and closing at once makes many clients fail while still sending,
//! with a broken pipe instead of the answer. Like nginx's `lingering_close`, the server first
//! reads and discards the rest of the body, within bounds: at most [`DRAIN_BYTES`] and
//! [`DRAIN_TIME`]; past either, it answers and closes anyway.

use std::time::Duration;

use axum::body::Body;
use http_body_util::BodyExt;

/// The most bytes read and thrown away after a refusal.
pub const DRAIN_BYTES: u64 = 64 * 1024 * 1024;

/// The longest time spent reading them.
pub const DRAIN_TIME: Duration = Duration::from_secs(5);

/// Reads and discards `body` up to the bounds.
pub async fn discard(mut body: Body) {
    let read = async {
        let mut seen: u64 = 0;
        while let Some(Ok(frame)) = body.frame().await {
            if let Some(data) = frame.data_ref() {
                seen = seen.saturating_add(data.len() as u64);
                if seen > DRAIN_BYTES {
                    break;
                }
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, read).await;
}

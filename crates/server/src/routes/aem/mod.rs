//! The Assets and Folders APIs (SPEC §3, reference/adobe-protocol.md §6), behind the AEM
//! authorization chain.
//!
//! | route | handler |
//! |---|---|
//! | `GET /adobe/folders?path=` | [`folders::list`] |
//! | `POST /adobe/folders` | [`folders::create`] |
//! | `DELETE /adobe/folders?path=` | [`folders::delete`] |
//! | `POST /adobe/assets?folder=&name=` | [`assets::upload`] |
//! | `DELETE /adobe/assets/{assetId}` | [`assets::delete`] |
//! | `GET`, `PATCH /adobe/assets/{assetId}/metadata` | [`assets::get_metadata`], [`assets::patch_metadata`] |
//! | `GET /adobe/assets/{assetId}/original` | [`assets::download`] |
//! | `GET /adobe/latchkey/authorize?privilege=&path=` | [`authorize::authorize`]: the chain as a dry run |
//!
//! The same routes are also served without the `/adobe` prefix: Adobe's own tutorial
//! (seeds/001) builds `https://{bucket}/adobe/../assets/{id}/metadata`, which every HTTP
//! client normalizes to `/assets/{id}/metadata`.

pub mod assets;
pub mod authorize;
pub mod conditional;
pub mod folders;

use axum::Router;
use axum::routing::{delete, get, post};

use crate::state::AppState;

fn api() -> Router<AppState> {
    Router::new()
        .route(
            "/folders",
            get(folders::list)
                .post(folders::create)
                .delete(folders::delete),
        )
        .route("/assets", post(assets::upload))
        .route("/assets/{assetId}", delete(assets::delete))
        .route(
            "/assets/{assetId}/metadata",
            get(assets::get_metadata).patch(assets::patch_metadata),
        )
        .route("/assets/{assetId}/original", get(assets::download))
        .route("/latchkey/authorize", get(authorize::authorize))
}

/// The API side's routes, under `/adobe` and at the root.
pub fn routes() -> Router<AppState> {
    Router::new().nest("/adobe", api()).merge(api())
}

/// Removes the binaries of deleted assets; a failure leaves an unreferenced blob (logged),
/// never a broken asset.
async fn remove_blobs(state: &AppState, keys: Vec<String>) {
    for key in keys {
        if let Err(e) = state.blobs.delete(&key).await {
            tracing::warn!(error = %e, "could not remove the binary of a deleted asset");
        }
    }
}

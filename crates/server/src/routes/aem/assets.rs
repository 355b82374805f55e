//! The Assets API (reference/adobe-protocol.md §6.2): metadata read and JSON Patch update with
//! ETags, binary upload into a folder and download (both streamed), delete.
//!
//! Every handler takes a [`Caller`] (the chain's stages 1–3 passed) and checks the permission
//! stage on the node's path: read for GETs, create on the folder for uploads, modify for
//! metadata changes, delete for deletes.

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use latchkey_core::aem::acl::Privilege;
use latchkey_core::aem::dam::{DamNode, NodeKind, apply_metadata_patch, parse_aaid};
use latchkey_core::aem::dam_path::DamPath;
use latchkey_core::aem::store::Repo;
use latchkey_core::store::StoreError;
use latchkey_core::time::rfc3339;
use latchkey_proto::aem::{AssetMetadata, UploadedAsset};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::conditional::{if_match_fails, if_none_match_hits, with_etag};
use crate::aem::chain::Caller;
use crate::aem::problem::Problem;
use crate::headers::media_type;
use crate::state::AppState;

/// Largest JSON Patch body, in bytes.
const MAX_PATCH_BYTES: usize = 256 * 1024;

/// The asset `asset_id` of the caller's repository, or 404.
pub async fn load_asset(state: &AppState, repo: Repo, asset_id: &str) -> Result<DamNode, Problem> {
    let not_found = || {
        Problem::NotFound(format!(
            "no asset {asset_id} in this environment: asset ids look like urn:aaid:aem:<uuid> (see GET /adobe/folders?path=...)"
        ))
    };
    let uuid = parse_aaid(asset_id).ok_or_else(not_found)?;
    match state.store.get_dam_node(repo, uuid).await? {
        Some(n) if n.kind == NodeKind::Asset => Ok(n),
        _ => Err(not_found()),
    }
}

/// The asset `asset_id`, once the caller may read it; `Err(304 answer)` when `If-None-Match`
/// names its current ETag.
async fn readable_asset(
    state: &AppState,
    caller: &Caller,
    asset_id: &str,
    headers: &HeaderMap,
) -> Result<Result<DamNode, Response>, Problem> {
    let node = load_asset(state, caller.repo, asset_id).await?;
    caller.require(&node.path, Privilege::Read)?;
    let etag = node.etag();
    if if_none_match_hits(headers, &etag) {
        return Ok(Err(with_etag(
            StatusCode::NOT_MODIFIED.into_response(),
            &etag,
        )));
    }
    Ok(Ok(node))
}

/// The metadata document of an asset.
pub fn metadata_doc(node: &DamNode) -> AssetMetadata {
    let mut repo = Map::new();
    repo.insert("repo:assetId".into(), json!(node.aaid()));
    repo.insert("repo:name".into(), json!(node.path.name()));
    repo.insert("repo:path".into(), json!(node.path.as_str()));
    repo.insert("repo:state".into(), json!("ACTIVE"));
    if let Some(b) = &node.binary {
        repo.insert("repo:size".into(), json!(b.size));
        repo.insert("dc:format".into(), json!(b.mime_type));
    }
    repo.insert("repo:createDate".into(), json!(rfc3339(node.created_at)));
    repo.insert("repo:modifyDate".into(), json!(rfc3339(node.modified_at)));
    repo.insert("repo:createdBy".into(), json!(node.created_by));
    repo.insert("repo:modifiedBy".into(), json!(node.modified_by));
    repo.insert("repo:version".into(), json!(node.version.to_string()));
    AssetMetadata {
        asset_id: node.aaid(),
        asset_metadata: node.metadata.clone(),
        repository_metadata: repo,
    }
}

/// `GET /adobe/assets/{assetId}/metadata`.
#[utoipa::path(
    get,
    path = "/adobe/assets/{assetId}/metadata",
    tag = "assets",
    operation_id = "get_asset_metadata",
    summary = "Get an asset's metadata",
    description = "Needs read permission on the asset. Answers 304 when `If-None-Match` names the current ETag.",
    params(("assetId" = String, Path, description = "`urn:aaid:aem:<uuid>`")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The metadata; `ETag` header", body = AssetMetadata),
        (status = 304, description = "Not modified"),
        crate::routes::apidoc::AemErrors,
    )
)]
pub async fn get_metadata(
    caller: Caller,
    State(state): State<AppState>,
    Path(asset_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let node = match readable_asset(&state, &caller, &asset_id, &headers).await? {
        Ok(node) => node,
        Err(not_modified) => return Ok(not_modified),
    };
    Ok(with_etag(
        Json(metadata_doc(&node)).into_response(),
        &node.etag(),
    ))
}

/// `PATCH /adobe/assets/{assetId}/metadata`.
#[utoipa::path(
    patch,
    path = "/adobe/assets/{assetId}/metadata",
    tag = "assets",
    operation_id = "patch_asset_metadata",
    summary = "Change an asset's metadata (JSON Patch)",
    description = "Body: an RFC 6902 JSON Patch (`application/json-patch+json`) applied to `assetMetadata`; paths may omit the leading `/` as in Adobe's samples. Needs modify permission. `If-Match` (`*` or the ETag) makes the change conditional (412 when it moved on).",
    params(("assetId" = String, Path, description = "`urn:aaid:aem:<uuid>`")),
    request_body(content = Object, content_type = "application/json-patch+json", description = "e.g. `[{\"op\":\"add\",\"path\":\"wknd-sku\",\"value\":\"X\"}]`"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The metadata after the change; new `ETag`", body = AssetMetadata),
        (status = 412, description = "`If-Match` names an older ETag"),
        crate::routes::apidoc::AemErrors,
    )
)]
pub async fn patch_metadata(
    caller: Caller,
    State(state): State<AppState>,
    Path(asset_id): Path<String>,
    req: Request,
) -> Result<Response, Problem> {
    let headers = req.headers().clone();
    let media = media_type(&headers);
    if media != "application/json-patch+json" && media != "application/json" {
        return Err(Problem::UnsupportedMediaType("application/json-patch+json"));
    }
    let bytes = axum::body::to_bytes(req.into_body(), MAX_PATCH_BYTES)
        .await
        .map_err(|_| {
            Problem::BadRequest(format!(
                "the patch body could not be read or is larger than {MAX_PATCH_BYTES} bytes"
            ))
        })?;
    let patch: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Problem::BadRequest(format!("the body is not JSON: {e}")))?;
    let node = load_asset(&state, caller.repo, &asset_id).await?;
    caller.require(&node.path, Privilege::Modify)?;
    if if_match_fails(&headers, &node.etag()) {
        return Err(Problem::PreconditionFailed(format!(
            "If-Match does not name the current ETag {}: read the asset again and retry",
            node.etag()
        )));
    }
    let metadata = apply_metadata_patch(&node.metadata, &patch)
        .map_err(|e| Problem::BadRequest(e.to_string()))?;
    let updated = state
        .store
        .update_dam_metadata(
            caller.repo,
            &node.uuid,
            node.version,
            &metadata,
            caller.now,
            &caller.user,
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => Problem::PreconditionFailed(
                "the asset changed while this patch was applied: read it again and retry".into(),
            ),
            other => other.into(),
        })?;
    let etag = updated.etag();
    Ok(with_etag(
        Json(metadata_doc(&updated)).into_response(),
        &etag,
    ))
}

/// Query of an upload.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The folder, e.g. `/content/dam/wknd`.
    pub folder: String,
    /// The file name.
    pub name: String,
}

/// `POST /adobe/assets?folder=...&name=...`.
#[utoipa::path(
    post,
    path = "/adobe/assets",
    tag = "assets",
    operation_id = "upload_asset",
    summary = "Upload a binary as a new asset",
    description = "The body is the file itself (streamed; any size up to `aem.max_upload_bytes`), its media type in `Content-Type`. Needs create permission on the folder. 409 when the name is taken.",
    params(
        ("folder" = String, Query, description = "Existing folder, e.g. `/content/dam/wknd`"),
        ("name" = String, Query, description = "File name, e.g. `photo.jpg`"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 201, description = "Created; `Location` is its metadata", body = UploadedAsset),
        (status = 409, description = "An asset or folder with that name exists"),
        (status = 413, description = "Larger than `aem.max_upload_bytes`"),
        crate::routes::apidoc::AemErrors,
    )
)]
pub async fn upload(State(state): State<AppState>, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    match admit_upload(&state, &mut parts).await {
        Ok(admitted) => store_upload(&state, admitted, body)
            .await
            .unwrap_or_else(IntoResponse::into_response),
        Err(refusal) => {
            crate::aem::drain::discard(body).await;
            refusal.into_response()
        }
    }
}

/// An upload the chain and the folder let in, before its body is read.
struct Admitted {
    caller: Caller,
    path: DamPath,
    name: String,
    mime_type: String,
}

/// Everything an upload is checked for before its body is read: the chain, the query, create
/// permission on the folder, the folder itself, and a free name.
async fn admit_upload(state: &AppState, parts: &mut Parts) -> Result<Admitted, Problem> {
    let caller = Caller::from_request_parts(parts, state).await?;
    let Query(q) = Query::<UploadQuery>::try_from_uri(&parts.uri).map_err(|e| {
        Problem::BadRequest(format!(
            "{}: pass ?folder=<DAM folder>&name=<file name>",
            e.body_text()
        ))
    })?;
    let folder = DamPath::parse(&q.folder).map_err(|e| Problem::BadRequest(e.to_string()))?;
    let path = folder
        .child(&q.name)
        .map_err(|e| Problem::BadRequest(format!("name: {e}")))?;
    caller.require(&folder, Privilege::Create)?;
    super::folders::load_folder(state, caller.repo, &folder).await?;
    if state
        .store
        .get_dam_node_by_path(caller.repo, &path)
        .await?
        .is_some()
    {
        return Err(Problem::Conflict(format!(
            "{path} already exists: delete it first or choose another name"
        )));
    }
    let mime_type = Some(media_type(&parts.headers))
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "application/octet-stream".into());
    Ok(Admitted {
        caller,
        path,
        name: q.name,
        mime_type,
    })
}

/// Streams the body of an admitted upload into a new asset.
async fn store_upload(state: &AppState, a: Admitted, body: Body) -> Result<Response, Problem> {
    let max = state.config.aem.max_upload_bytes;
    let node = crate::aem::dam_ops::put_asset(
        state,
        a.caller.repo,
        a.path.clone(),
        a.mime_type.clone(),
        body.into_data_stream(),
        max,
        &a.caller.user,
        a.caller.now,
    )
    .await?;
    let size = node.binary.as_ref().map_or(0, |b| b.size);
    let body = UploadedAsset {
        asset_id: node.aaid(),
        path: a.path.to_string(),
        name: a.name,
        mime_type: a.mime_type,
        size,
    };
    let mut resp = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/adobe/assets/{}/metadata", node.aaid())) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(with_etag(resp, &node.etag()))
}

/// `GET /adobe/assets/{assetId}/original`.
#[utoipa::path(
    get,
    path = "/adobe/assets/{assetId}/original",
    tag = "assets",
    operation_id = "download_asset",
    summary = "Download an asset's binary",
    description = "Streams the original binary. Needs read permission.",
    params(("assetId" = String, Path, description = "`urn:aaid:aem:<uuid>`")),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The binary, with its media type and length", body = Vec<u8>, content_type = "application/octet-stream"),
        (status = 304, description = "Not modified"),
        crate::routes::apidoc::AemErrors,
    )
)]
pub async fn download(
    caller: Caller,
    State(state): State<AppState>,
    Path(asset_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let node = match readable_asset(&state, &caller, &asset_id, &headers).await? {
        Ok(node) => node,
        Err(not_modified) => return Ok(not_modified),
    };
    let etag = node.etag();
    let binary = node.binary.as_ref().ok_or(Problem::Internal)?;
    let stream = state
        .blobs
        .get_stream(&binary.blob_key)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, asset = %node.path, "binary unavailable");
            Problem::Unavailable
        })?;
    let mut resp = Body::from_stream(stream).into_response();
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&binary.mime_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(binary.size));
    Ok(with_etag(resp, &etag))
}

/// `DELETE /adobe/assets/{assetId}`.
#[utoipa::path(
    delete,
    path = "/adobe/assets/{assetId}",
    tag = "assets",
    operation_id = "delete_asset",
    summary = "Delete an asset",
    description = "Removes the asset and its binary. Needs delete permission. `force` is accepted for compatibility.",
    params(
        ("assetId" = String, Path, description = "`urn:aaid:aem:<uuid>`"),
        ("force" = Option<bool>, Query, description = "Accepted and ignored (there are no references to break)"),
    ),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        crate::routes::apidoc::AemErrors,
    )
)]
pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Path(asset_id): Path<String>,
) -> Result<Response, Problem> {
    let node = load_asset(&state, caller.repo, &asset_id).await?;
    caller.require(&node.path, Privilege::Delete)?;
    let keys = state
        .store
        .delete_dam_subtree(caller.repo, &node.path)
        .await?;
    super::remove_blobs(&state, keys).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

//! The Folders API (reference/adobe-protocol.md §6.2): list a folder's children with
//! `limit`/`cursor`, create folders from `[{path, title}]`, delete a folder (with its content
//! when `recursive=true`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_core::aem::acl::Privilege;
use latchkey_core::aem::dam::{AAID_PREFIX, DamNode, NodeKind};
use latchkey_core::aem::dam_path::DamPath;
use latchkey_core::aem::store::Repo;
use latchkey_core::store::StoreError;
use latchkey_proto::aem::{FolderChild, FolderListing, FolderRef, NewFolder};
use serde::Deserialize;

use crate::aem::chain::Caller;
use crate::aem::problem::Problem;
use crate::state::AppState;

/// Default and largest page sizes (Adobe documents 1..50).
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 50;
/// Most folders one create call takes.
const MAX_CREATE: usize = 100;

/// Query of a listing.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// The folder; default `/content/dam`.
    #[serde(default)]
    pub path: Option<String>,
    /// Page size, 1..50.
    #[serde(default)]
    pub limit: Option<u32>,
    /// From a previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Query of a delete.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteQuery {
    /// The folder.
    pub path: String,
    /// Also delete its content.
    #[serde(default)]
    pub recursive: bool,
}

/// The stable id of a repository's root folder (it has no row).
fn root_id(repo: Repo) -> String {
    let tier = repo.tier as u64;
    format!(
        "{AAID_PREFIX}00000000-0000-4000-8000-{:012x}",
        (u64::try_from(repo.product_id).unwrap_or(0) << 2) | tier
    )
}

fn folder_ref(node: &DamNode) -> FolderRef {
    FolderRef {
        folder_id: node.aaid(),
        name: node.path.name().to_owned(),
        title: node
            .title
            .clone()
            .unwrap_or_else(|| node.path.name().to_owned()),
        path: node.path.to_string(),
    }
}

fn child(node: &DamNode) -> FolderChild {
    let asset = node.kind == NodeKind::Asset;
    FolderChild {
        kind: node.kind.as_str().to_owned(),
        folder_id: (!asset).then(|| node.aaid()),
        asset_id: asset.then(|| node.aaid()),
        name: node.path.name().to_owned(),
        title: node
            .title
            .clone()
            .unwrap_or_else(|| node.path.name().to_owned()),
        path: node.path.to_string(),
        mime_type: node.binary.as_ref().map(|b| b.mime_type.clone()),
        size: node.binary.as_ref().map(|b| b.size),
    }
}

/// The folder at `path`: `None` for the DAM root (it has no row), or 404 when there is no
/// folder there.
pub async fn load_folder(
    state: &AppState,
    repo: Repo,
    path: &DamPath,
) -> Result<Option<DamNode>, Problem> {
    if path.is_root() {
        return Ok(None);
    }
    match state.store.get_dam_node_by_path(repo, path).await? {
        Some(n) if n.kind == NodeKind::Folder => Ok(Some(n)),
        _ => Err(Problem::NotFound(format!(
            "no folder {path}: list /content/dam to see what exists, or create it (POST /adobe/folders)"
        ))),
    }
}

fn bad(e: impl std::fmt::Display) -> Problem {
    Problem::BadRequest(e.to_string())
}

/// `GET /adobe/folders?path=...&limit=...&cursor=...`.
#[utoipa::path(
    get,
    path = "/adobe/folders",
    tag = "folders",
    operation_id = "list_folders",
    summary = "List a folder's children",
    description = "Folders and assets directly below `path`, ordered by path, `limit` at a time; pass the returned `cursor` for the next page. Needs read permission on the folder.",
    params(
        ("path" = Option<String>, Query, description = "Folder path; default `/content/dam`"),
        ("limit" = Option<u32>, Query, description = "1..50, default 20"),
        ("cursor" = Option<String>, Query, description = "From the previous page"),
    ),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 200, description = "The folder and a page of its children", body = FolderListing),
        crate::routes::apidoc::AemErrors,
    )
)]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, Problem> {
    let path = match &q.path {
        None => DamPath::root(),
        Some(p) => DamPath::parse(p).map_err(bad)?,
    };
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad(format!("limit must be between 1 and {MAX_LIMIT}")));
    }
    let after = match &q.cursor {
        None => None,
        Some(c) => Some(
            URL_SAFE_NO_PAD
                .decode(c)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .filter(|p| DamPath::parse(p).is_ok_and(|p| p.parent().as_ref() == Some(&path)))
                .ok_or_else(|| {
                    bad("cursor is not one this listing returned: start again without it")
                })?,
        ),
    };
    caller.require(&path, Privilege::Read)?;
    let this = match load_folder(&state, caller.repo, &path).await? {
        Some(n) => folder_ref(&n),
        None => FolderRef {
            folder_id: root_id(caller.repo),
            name: "dam".into(),
            title: "Assets".into(),
            path: path.to_string(),
        },
    };
    let mut nodes = state
        .store
        .list_dam_children(caller.repo, &path, after.as_deref(), limit + 1)
        .await?;
    let more = nodes.len() > limit as usize;
    nodes.truncate(limit as usize);
    let cursor = more
        .then(|| {
            nodes
                .last()
                .map(|n| URL_SAFE_NO_PAD.encode(n.path.as_str()))
        })
        .flatten();
    Ok(Json(FolderListing {
        this,
        children: nodes.iter().map(child).collect(),
        cursor,
    })
    .into_response())
}

/// `POST /adobe/folders` with `[{"path": ..., "title": ...}]`.
#[utoipa::path(
    post,
    path = "/adobe/folders",
    tag = "folders",
    operation_id = "create_folders",
    summary = "Create folders",
    description = "Creates each folder in order (parents first when they are in the same call). Needs create permission on each parent. 409 when a path exists; folders created before the failing one stay.",
    request_body(content = Vec<NewFolder>, content_type = "application/json"),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 201, description = "The created folders", body = Vec<FolderRef>),
        (status = 409, description = "A path exists"),
        crate::routes::apidoc::AemErrors,
    )
)]
pub async fn create(
    caller: Caller,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, Problem> {
    let wanted: Vec<NewFolder> = serde_json::from_slice(&body).map_err(|e| {
        bad(format!(
            "the body must be a JSON array like [{{\"path\":\"/content/dam/x\",\"title\":\"X\"}}]: {e}"
        ))
    })?;
    if wanted.is_empty() || wanted.len() > MAX_CREATE {
        return Err(bad(format!("send 1 to {MAX_CREATE} folders")));
    }
    let mut plan = Vec::with_capacity(wanted.len());
    for w in wanted {
        let path = DamPath::parse(&w.path).map_err(bad)?;
        let parent = path
            .parent()
            .ok_or_else(|| bad("/content/dam exists already and cannot be created"))?;
        caller.require(&parent, Privilege::Create)?;
        plan.push((path, w.title));
    }
    plan.sort_by(|a, b| a.0.cmp(&b.0));
    let mut created = Vec::with_capacity(plan.len());
    for (path, title) in plan {
        let node = DamNode::new_folder(caller.repo, path.clone(), title, &caller.user, caller.now);
        state.store.create_dam_node(&node).await.map_err(|e| match e {
            StoreError::NotFound => Problem::NotFound(format!(
                "the parent folder of {path} does not exist: create it first (in the same call is fine)"
            )),
            StoreError::Conflict(_) => Problem::Conflict(format!("{path} already exists")),
            other => other.into(),
        })?;
        created.push(folder_ref(&node));
    }
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// `DELETE /adobe/folders?path=...&recursive=true`.
#[utoipa::path(
    delete,
    path = "/adobe/folders",
    tag = "folders",
    operation_id = "delete_folder",
    summary = "Delete a folder",
    description = "Needs delete permission on the folder. A folder with content is deleted only with `recursive=true` (409 otherwise).",
    params(
        ("path" = String, Query, description = "Folder path"),
        ("recursive" = Option<bool>, Query, description = "Also delete everything below"),
    ),
    security(("bearer" = [], "api_key" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Not empty and not recursive"),
        crate::routes::apidoc::AemErrors,
    )
)]
pub async fn delete(
    caller: Caller,
    State(state): State<AppState>,
    Query(q): Query<DeleteQuery>,
) -> Result<Response, Problem> {
    let path = DamPath::parse(&q.path).map_err(bad)?;
    if path.is_root() {
        return Err(bad("/content/dam cannot be deleted"));
    }
    load_folder(&state, caller.repo, &path).await?;
    caller.require(&path, Privilege::Delete)?;
    if !q.recursive
        && !state
            .store
            .list_dam_children(caller.repo, &path, None, 1)
            .await?
            .is_empty()
    {
        return Err(Problem::Conflict(format!(
            "{path} is not empty: delete its content first or pass recursive=true"
        )));
    }
    let keys = state.store.delete_dam_subtree(caller.repo, &path).await?;
    super::remove_blobs(&state, keys).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

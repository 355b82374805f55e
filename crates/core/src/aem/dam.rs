//! Folders and assets of an environment's DAM: the records, their ids and ETags, and metadata
//! changes by JSON Patch (RFC 6902) as the Assets API takes them.

use serde_json::{Map, Value};

use crate::aem::dam_path::DamPath;
use crate::aem::store::Repo;
use crate::products::Tier;
use crate::time::UnixMillis;

/// The prefix of asset and folder ids.
pub const AAID_PREFIX: &str = "urn:aaid:aem:";

/// A folder or an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A folder.
    Folder,
    /// An asset (a binary with metadata).
    Asset,
}

impl NodeKind {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Folder => "folder",
            NodeKind::Asset => "asset",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "folder" => Some(NodeKind::Folder),
            "asset" => Some(NodeKind::Asset),
            _ => None,
        }
    }
}

/// The binary of an asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary {
    /// Where the blob store keeps it.
    pub blob_key: String,
    /// Media type.
    pub mime_type: String,
    /// Size in bytes.
    pub size: i64,
}

/// A node of the DAM.
#[derive(Debug, Clone, PartialEq)]
pub struct DamNode {
    /// The UUID (the id is `urn:aaid:aem:<uuid>`).
    pub uuid: String,
    /// The environment.
    pub product_id: i64,
    /// The tier.
    pub tier: Tier,
    /// Its path.
    pub path: DamPath,
    /// Folder or asset.
    pub kind: NodeKind,
    /// Title (`jcr:title` of folders, `dc:title` default of assets).
    pub title: Option<String>,
    /// The binary, for assets.
    pub binary: Option<Binary>,
    /// `assetMetadata`: a JSON object.
    pub metadata: Map<String, Value>,
    /// Grows by one on every change.
    pub version: i64,
    /// Creation time.
    pub created_at: UnixMillis,
    /// Last change.
    pub modified_at: UnixMillis,
    /// Who created it (technical account email).
    pub created_by: String,
    /// Who changed it last.
    pub modified_by: String,
}

impl DamNode {
    /// A new folder (version 1) with a fresh UUID.
    pub fn new_folder(
        repo: Repo,
        path: DamPath,
        title: Option<String>,
        by: &str,
        now: UnixMillis,
    ) -> Self {
        let title = title.unwrap_or_else(|| path.name().to_owned());
        Self::new(
            repo,
            path,
            NodeKind::Folder,
            Some(title),
            None,
            Map::new(),
            by,
            now,
        )
    }

    /// A new asset (version 1) with a fresh UUID, its binary already stored under
    /// `binary.blob_key`; `dc:title` defaults to the file name.
    pub fn new_asset(
        repo: Repo,
        uuid: String,
        path: DamPath,
        binary: Binary,
        by: &str,
        now: UnixMillis,
    ) -> Self {
        let mut metadata = Map::new();
        metadata.insert("dc:title".into(), Value::String(path.name().to_owned()));
        let mut node = Self::new(
            repo,
            path,
            NodeKind::Asset,
            None,
            Some(binary),
            metadata,
            by,
            now,
        );
        node.uuid = uuid;
        node
    }

    #[allow(clippy::too_many_arguments)]
    fn new(
        repo: Repo,
        path: DamPath,
        kind: NodeKind,
        title: Option<String>,
        binary: Option<Binary>,
        metadata: Map<String, Value>,
        by: &str,
        now: UnixMillis,
    ) -> Self {
        Self {
            uuid: uuid::Uuid::new_v4().to_string(),
            product_id: repo.product_id,
            tier: repo.tier,
            title: title.or_else(|| Some(path.name().to_owned())),
            path,
            kind,
            binary,
            metadata,
            version: 1,
            created_at: now,
            modified_at: now,
            created_by: by.to_owned(),
            modified_by: by.to_owned(),
        }
    }

    /// `urn:aaid:aem:<uuid>`.
    pub fn aaid(&self) -> String {
        format!("{AAID_PREFIX}{}", self.uuid)
    }

    /// The strong ETag of the node's current state.
    pub fn etag(&self) -> String {
        format!(
            "\"{}-{}\"",
            &self.uuid[..8.min(self.uuid.len())],
            self.version
        )
    }
}

/// The UUID inside an `urn:aaid:aem:<uuid>` id, if it is one (lower-case, hyphenated).
pub fn parse_aaid(id: &str) -> Option<&str> {
    let uuid = id.strip_prefix(AAID_PREFIX)?;
    let ok = uuid.len() == 36
        && uuid.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        });
    ok.then_some(uuid)
}

/// Why a metadata patch was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    /// The body is not a JSON Patch array of operations.
    #[error("the body is not a JSON Patch document: {0}")]
    Malformed(String),
    /// An operation failed (missing path for remove/replace, failed test, ...).
    #[error("the patch cannot be applied: {0}")]
    Failed(String),
    /// The result is not an object.
    #[error("assetMetadata must stay a JSON object")]
    NotAnObject,
}

/// Applies a JSON Patch to `metadata`. Paths are accepted with or without the leading `/`
/// (Adobe's samples write `"path": "dc:title"`).
pub fn apply_metadata_patch(
    metadata: &Map<String, Value>,
    patch: &Value,
) -> Result<Map<String, Value>, PatchError> {
    let Value::Array(ops) = patch else {
        return Err(PatchError::Malformed(
            "expected an array of operations such as [{\"op\":\"add\",\"path\":\"dc:title\",\"value\":\"x\"}]".into(),
        ));
    };
    let mut ops = ops.clone();
    for op in &mut ops {
        for key in ["path", "from"] {
            if let Some(Value::String(p)) = op.get_mut(key)
                && !p.is_empty()
                && !p.starts_with('/')
            {
                p.insert(0, '/');
            }
        }
    }
    let patch: json_patch::Patch = serde_json::from_value(Value::Array(ops))
        .map_err(|e| PatchError::Malformed(e.to_string()))?;
    let mut doc = Value::Object(metadata.clone());
    json_patch::patch(&mut doc, &patch).map_err(|e| PatchError::Failed(e.to_string()))?;
    match doc {
        Value::Object(map) => Ok(map),
        _ => Err(PatchError::NotAnObject),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patches_take_paths_with_and_without_slash() {
        let mut start = Map::new();
        start.insert("dc:title".into(), json!("Old"));
        let out = apply_metadata_patch(
            &start,
            &json!([
                {"op": "replace", "path": "dc:title", "value": "New"},
                {"op": "add", "path": "/wknd-sku", "value": "X-1"},
                {"op": "add", "path": "tags", "value": ["a"]},
                {"op": "add", "path": "tags/-", "value": "b"}
            ]),
        )
        .unwrap();
        assert_eq!(out["dc:title"], "New");
        assert_eq!(out["wknd-sku"], "X-1");
        assert_eq!(out["tags"], json!(["a", "b"]));
    }

    #[test]
    fn bad_patches_are_refused_and_leave_nothing_half_done() {
        let start = Map::new();
        assert!(matches!(
            apply_metadata_patch(&start, &json!({"op": "add"})),
            Err(PatchError::Malformed(_))
        ));
        assert!(matches!(
            apply_metadata_patch(&start, &json!([{"op": "explode", "path": "a"}])),
            Err(PatchError::Malformed(_))
        ));
        assert!(matches!(
            apply_metadata_patch(&start, &json!([{"op": "remove", "path": "missing"}])),
            Err(PatchError::Failed(_))
        ));
        assert_eq!(
            apply_metadata_patch(&start, &json!([{"op": "replace", "path": "", "value": 1}])),
            Err(PatchError::NotAnObject)
        );
    }

    #[test]
    fn aaids_parse_strictly() {
        let id = "urn:aaid:aem:9c09ff70-9ee8-4b14-a5fa-ec37baa0d1b3";
        assert_eq!(parse_aaid(id), Some("9c09ff70-9ee8-4b14-a5fa-ec37baa0d1b3"));
        assert_eq!(parse_aaid("urn:aaid:aem:../../etc"), None);
        assert_eq!(parse_aaid("9c09ff70-9ee8-4b14-a5fa-ec37baa0d1b3"), None);
        assert_eq!(
            parse_aaid("urn:aaid:aem:9C09FF70-9EE8-4B14-A5FA-EC37BAA0D1B3"),
            None
        );
    }
}

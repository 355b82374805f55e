//! The API side's wire types: the Assets and Folders APIs under `/adobe`
//! (reference/adobe-protocol.md §6) and the console's AEM administration (allowlists,
//! technical-account users, groups, ACLs).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `GET /adobe/assets/{assetId}/metadata`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AssetMetadata {
    /// `urn:aaid:aem:<uuid>`.
    pub asset_id: String,
    /// Editable metadata (`dc:title`, custom properties, ...).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub asset_metadata: Map<String, Value>,
    /// Read-only repository facts: `repo:name`, `repo:path`, `repo:state`, `repo:size`,
    /// `repo:createDate`, `repo:modifyDate`, `dc:format`, `repo:version`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub repository_metadata: Map<String, Value>,
}

/// A folder in listings and creation results.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FolderRef {
    /// `urn:aaid:aem:<uuid>`.
    pub folder_id: String,
    /// Last path segment.
    pub name: String,
    /// Title.
    pub title: String,
    /// Full path.
    pub path: String,
}

/// A child of a folder: a folder or an asset.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FolderChild {
    /// `folder` or `asset`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The folder's id (folders only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// The asset's id (assets only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<String>,
    /// Last path segment.
    pub name: String,
    /// Title.
    pub title: String,
    /// Full path.
    pub path: String,
    /// Media type (assets only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Size in bytes (assets only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
}

/// `GET /adobe/folders?path=...`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FolderListing {
    /// The listed folder.
    #[serde(rename = "self")]
    pub this: FolderRef,
    /// Children, ordered by path.
    pub children: Vec<FolderChild>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// One element of the `POST /adobe/folders` body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewFolder {
    /// Full path, e.g. `/content/dam/wknd/en`.
    pub path: String,
    /// Title; defaults to the last path segment.
    #[serde(default)]
    pub title: Option<String>,
}

/// `POST /adobe/assets?folder=...&name=...` (201).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UploadedAsset {
    /// `urn:aaid:aem:<uuid>`.
    pub asset_id: String,
    /// Full path.
    pub path: String,
    /// File name.
    pub name: String,
    /// Media type.
    pub mime_type: String,
    /// Size in bytes.
    pub size: i64,
}

/// `PUT .../api-config` body (JSON) and answer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiConfigBody {
    /// The environment (product id).
    pub product_id: i64,
    /// The `api.yaml` text as deployed.
    pub source: String,
    /// Deployment time, ms as a string.
    pub deployed_at: String,
    /// Who deployed it.
    pub deployed_by: String,
    /// Parsed: environment types it applies to (empty = all).
    pub env_types: Vec<String>,
    /// Parsed: clients allowed on author.
    pub author: Vec<String>,
    /// Parsed: clients allowed on publish.
    pub publish: Vec<String>,
    /// Parsed: clients allowed on preview.
    pub preview: Vec<String>,
}

/// A technical-account user (Tools › Security › Users).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AemUserBody {
    /// Numeric id.
    pub id: i64,
    /// The environment.
    pub product_id: i64,
    /// Tier.
    pub tier: String,
    /// Technical account id.
    pub technical_account_id: String,
    /// Technical account email.
    pub email: String,
    /// The credential whose first call created it (absent once deleted).
    pub credential_id: Option<i64>,
    /// The groups it belongs to now (derived from the credential's profiles).
    pub groups: Vec<String>,
    /// Creation (first call), ms as a string.
    pub created_at: String,
}

/// A group (Tools › Security › Groups).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupBody {
    /// Name.
    pub name: String,
    /// `profile`, `service`, `contributor` or `custom`.
    pub kind: String,
    /// Tier.
    pub tier: String,
    /// Built-in privileges on /content/dam (service groups).
    pub builtin_privileges: Vec<String>,
    /// Emails of the technical-account users in it.
    pub members: Vec<String>,
}

/// A grant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AclBody {
    /// Numeric id.
    pub id: i64,
    /// The environment.
    pub product_id: i64,
    /// Tier.
    pub tier: String,
    /// Group.
    pub group: String,
    /// DAM path (covers everything below).
    pub path: String,
    /// `read`, `create`, `modify`, `delete`.
    pub privileges: Vec<String>,
    /// Creation, ms as a string.
    pub created_at: String,
}

/// `POST .../acls`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateAcl {
    /// Tier (default `author`).
    #[serde(default)]
    pub tier: Option<String>,
    /// Group name.
    pub group: String,
    /// DAM path.
    pub path: String,
    /// Privileges: `read`, `create`, `modify`, `delete`.
    pub privileges: Vec<String>,
}

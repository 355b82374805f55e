//! The audit log: who changed what, when, from where (SPEC §2).
//!
//! Every mutating storage call takes an [`AuditEntry`] and writes it in the same transaction as
//! the change, so a change and its record exist together or not at all. Entries name ids only:
//! never a secret, a hash, a token or a key.

use crate::ids::OrgId;
use crate::time::UnixMillis;

/// What was done. The names are stable: they are the `action` filter of the audit API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// An organization was created.
    OrganizationCreated,
    /// A project was created.
    ProjectCreated,
    /// A credential was created (with its first secret).
    CredentialCreated,
    /// A credential was renamed.
    CredentialRenamed,
    /// A credential was enabled.
    CredentialEnabled,
    /// A credential was disabled.
    CredentialDisabled,
    /// A credential was deleted.
    CredentialDeleted,
    /// Every token of a credential issued before now was revoked.
    CredentialTokensRevoked,
    /// A client secret was added.
    SecretAdded,
    /// A client secret was deleted.
    SecretDeleted,
    /// A product was created.
    ProductCreated,
    /// A product was deleted.
    ProductDeleted,
    /// A product profile was created.
    ProfileCreated,
    /// A product profile's services changed.
    ProfileServicesChanged,
    /// A product profile was deleted.
    ProfileDeleted,
    /// A credential was assigned to a profile.
    ProfileAssigned,
    /// A credential was removed from a profile.
    ProfileUnassigned,
    /// An `api.yaml` was deployed to an environment.
    ApiConfigDeployed,
    /// An environment's `api.yaml` was removed.
    ApiConfigDeleted,
    /// A technical-account user was created by its first call.
    AemUserCreated,
    /// A group was granted privileges on a DAM path.
    AclAdded,
    /// A grant was removed.
    AclDeleted,
    /// A certificate was added to a service account (JWT) credential.
    CertificateAdded,
    /// A certificate of a service account was revoked.
    CertificateRevoked,
    /// A (revoked) certificate of a service account was deleted.
    CertificateDeleted,
    /// A new token-signing key was published, ahead of its use.
    SigningKeyPublished,
    /// A published signing key started signing; the one it replaced retired.
    SigningKeyActivated,
}

impl AuditAction {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::OrganizationCreated => "organization.created",
            AuditAction::ProjectCreated => "project.created",
            AuditAction::CredentialCreated => "credential.created",
            AuditAction::CredentialRenamed => "credential.renamed",
            AuditAction::CredentialEnabled => "credential.enabled",
            AuditAction::CredentialDisabled => "credential.disabled",
            AuditAction::CredentialDeleted => "credential.deleted",
            AuditAction::CredentialTokensRevoked => "credential.tokens_revoked",
            AuditAction::SecretAdded => "secret.added",
            AuditAction::SecretDeleted => "secret.deleted",
            AuditAction::ProductCreated => "product.created",
            AuditAction::ProductDeleted => "product.deleted",
            AuditAction::ProfileCreated => "profile.created",
            AuditAction::ProfileServicesChanged => "profile.services_changed",
            AuditAction::ProfileDeleted => "profile.deleted",
            AuditAction::ProfileAssigned => "profile.assigned",
            AuditAction::ProfileUnassigned => "profile.unassigned",
            AuditAction::ApiConfigDeployed => "api_config.deployed",
            AuditAction::ApiConfigDeleted => "api_config.deleted",
            AuditAction::AemUserCreated => "aem_user.created",
            AuditAction::AclAdded => "acl.added",
            AuditAction::AclDeleted => "acl.deleted",
            AuditAction::CertificateAdded => "certificate.added",
            AuditAction::CertificateRevoked => "certificate.revoked",
            AuditAction::CertificateDeleted => "certificate.deleted",
            AuditAction::SigningKeyPublished => "signing_key.published",
            AuditAction::SigningKeyActivated => "signing_key.activated",
        }
    }

    /// Every action, for documentation and filter validation.
    pub const ALL: [AuditAction; 27] = [
        AuditAction::OrganizationCreated,
        AuditAction::ProjectCreated,
        AuditAction::CredentialCreated,
        AuditAction::CredentialRenamed,
        AuditAction::CredentialEnabled,
        AuditAction::CredentialDisabled,
        AuditAction::CredentialDeleted,
        AuditAction::CredentialTokensRevoked,
        AuditAction::SecretAdded,
        AuditAction::SecretDeleted,
        AuditAction::ProductCreated,
        AuditAction::ProductDeleted,
        AuditAction::ProfileCreated,
        AuditAction::ProfileServicesChanged,
        AuditAction::ProfileDeleted,
        AuditAction::ProfileAssigned,
        AuditAction::ProfileUnassigned,
        AuditAction::ApiConfigDeployed,
        AuditAction::ApiConfigDeleted,
        AuditAction::AemUserCreated,
        AuditAction::AclAdded,
        AuditAction::AclDeleted,
        AuditAction::CertificateAdded,
        AuditAction::CertificateRevoked,
        AuditAction::CertificateDeleted,
        AuditAction::SigningKeyPublished,
        AuditAction::SigningKeyActivated,
    ];

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One change, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: UnixMillis,
    /// The organization the change belongs to, if any.
    pub org_id: Option<OrgId>,
    /// Who: the client id of the acting credential, or `system` for start-up seeding.
    pub actor: String,
    /// What.
    pub action: AuditAction,
    /// On what: a stable reference: `client:<client id>` for credentials, `secret:<uuid>`,
    /// `organization:<id>`, `project`.
    pub target: String,
    /// From where: the peer address, when the change came over HTTP.
    pub peer: Option<String>,
    /// Extra facts (ids, names); never secrets.
    pub detail: serde_json::Value,
}

/// The actor name of changes made by the server itself.
pub const SYSTEM_ACTOR: &str = "system";

/// Who is making a change, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Client id of the acting credential, or [`SYSTEM_ACTOR`].
    pub name: String,
    /// Peer address of the request, if any.
    pub peer: Option<String>,
}

impl Actor {
    /// The server itself.
    pub fn system() -> Self {
        Self {
            name: SYSTEM_ACTOR.to_owned(),
            peer: None,
        }
    }

    /// The entry recording `action` on `target` by this actor.
    pub fn entry(
        &self,
        at: UnixMillis,
        org_id: Option<&OrgId>,
        action: AuditAction,
        target: String,
        detail: serde_json::Value,
    ) -> AuditEntry {
        AuditEntry {
            at,
            org_id: org_id.cloned(),
            actor: self.name.clone(),
            action,
            target,
            peer: self.peer.clone(),
            detail,
        }
    }
}

/// A stored entry with its sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// Increasing id (pagination cursor).
    pub id: i64,
    /// The entry.
    pub entry: AuditEntry,
}

/// Which entries to list; every field narrows the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this organization (`None`: all; only for server-level callers).
    pub org_id: Option<OrgId>,
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Only this actor.
    pub actor: Option<String>,
    /// Only this target.
    pub target: Option<String>,
    /// At or after.
    pub since: Option<UnixMillis>,
    /// Before.
    pub until: Option<UnixMillis>,
    /// Only ids smaller than this (next page of a newest-first listing).
    pub before_id: Option<i64>,
    /// At most this many (newest first); 0 means 100, and stores cap it at 1000.
    pub limit: u32,
}

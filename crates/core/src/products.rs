//! Products and product profiles (SPEC §2, reference/adobe-protocol.md §7.3).
//!
//! A product is an AEM environment (program id, environment id, the tiers it has). A product
//! profile belongs to one product and one tier and enables services (`AEM Assets API Users`,
//! `AEM Administrators`, ...). Credentials are assigned to profiles; the API side later turns
//! profiles and services into AEM groups and permissions.

use crate::ids::OrgId;
use crate::time::UnixMillis;

/// An AEM tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    /// Author.
    Author,
    /// Publish.
    Publish,
    /// Preview.
    Preview,
}

impl Tier {
    /// Every tier, in order.
    pub const ALL: [Tier; 3] = [Tier::Author, Tier::Publish, Tier::Preview];

    /// Stable name (`author`, `publish`, `preview`), as in `api.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Author => "author",
            Tier::Publish => "publish",
            Tier::Preview => "preview",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "author" => Some(Tier::Author),
            "publish" => Some(Tier::Publish),
            "preview" => Some(Tier::Preview),
            _ => None,
        }
    }
}

/// The type of an AEM environment, as `api.yaml`'s `metadata.envTypes` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EnvType {
    /// Development.
    #[default]
    Dev,
    /// Stage.
    Stage,
    /// Production.
    Prod,
    /// Rapid development environment.
    Rde,
}

impl EnvType {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            EnvType::Dev => "dev",
            EnvType::Stage => "stage",
            EnvType::Prod => "prod",
            EnvType::Rde => "rde",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "dev" => Some(EnvType::Dev),
            "stage" => Some(EnvType::Stage),
            "prod" => Some(EnvType::Prod),
            "rde" => Some(EnvType::Rde),
            _ => None,
        }
    }
}

/// The services a profile can enable, as Adobe names them. Each becomes an AEM group of the
/// same name; all grant read only, except `AEM Administrators`.
pub const SERVICES: [&str; 6] = [
    "AEM Assets API Users",
    "AEM Assets Collaborator Users",
    "AEM Assets Power Users",
    "AEM Sites Content Managers",
    "AEM Users",
    "AEM Administrators",
];

/// Whether `name` is a known service.
pub fn is_service(name: &str) -> bool {
    SERVICES.contains(&name)
}

/// A product: one AEM environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Numeric id, assigned by the store.
    pub id: i64,
    /// Owning organization.
    pub org_id: OrgId,
    /// Display name.
    pub name: String,
    /// Cloud Manager program id.
    pub program_id: i64,
    /// Environment id.
    pub environment_id: i64,
    /// Tiers the environment has.
    pub tiers: Vec<Tier>,
    /// The environment's type (`dev` by default).
    pub env_type: EnvType,
    /// Creation time.
    pub created_at: UnixMillis,
}

impl Product {
    /// The environment label used in messages: `p{program}-e{environment}`.
    pub fn label(&self) -> String {
        format!("p{}-e{}", self.program_id, self.environment_id)
    }

    /// The bucket host prefix of a tier: `author-p{program}-e{environment}`.
    pub fn bucket(&self, tier: Tier) -> String {
        format!(
            "{}-p{}-e{}",
            tier.as_str(),
            self.program_id,
            self.environment_id
        )
    }
}

/// What a new product is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProduct {
    /// Owning organization.
    pub org_id: OrgId,
    /// Display name.
    pub name: String,
    /// Program id.
    pub program_id: i64,
    /// Environment id.
    pub environment_id: i64,
    /// Tiers.
    pub tiers: Vec<Tier>,
    /// The environment's type.
    pub env_type: EnvType,
}

/// A product profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductProfile {
    /// Numeric id, assigned by the store.
    pub id: i64,
    /// The product.
    pub product_id: i64,
    /// Owning organization (denormalized).
    pub org_id: OrgId,
    /// Display name, e.g. `AEM Assets Collaborator Users - author - Program 1 - Environment 2`.
    pub name: String,
    /// The tier it applies to.
    pub tier: Tier,
    /// Enabled services, sorted.
    pub services: Vec<String>,
    /// Creation time.
    pub created_at: UnixMillis,
}

/// What a new profile is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProfile {
    /// The product.
    pub product_id: i64,
    /// Display name.
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Services.
    pub services: Vec<String>,
}

/// Adobe's naming of a profile: `<first service> - <tier> - Program <p> - Environment <e>`.
pub fn default_profile_name(service: &str, tier: Tier, product: &Product) -> String {
    format!(
        "{service} - {} - Program {} - Environment {}",
        tier.as_str(),
        product.program_id,
        product.environment_id
    )
}

//! Technical-account users: the AEM user that stands for a credential's technical account in
//! one environment and tier, created on its first call that passes the gateway and the
//! allowlist (reference/adobe-protocol.md §7.2 step 3), exactly once.

use crate::ids::TechnicalAccountId;
use crate::products::Tier;
use crate::time::UnixMillis;

/// A technical-account user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AemUser {
    /// Numeric id, assigned by the store.
    pub id: i64,
    /// The environment.
    pub product_id: i64,
    /// The tier.
    pub tier: Tier,
    /// The technical account (`…@techacct.adobe.com` is its email).
    pub technical_account_id: TechnicalAccountId,
    /// The technical account email, by which AEM's user console finds it.
    pub email: String,
    /// The credential that first called, while it exists.
    pub credential_id: Option<i64>,
    /// Creation time (the first call).
    pub created_at: UnixMillis,
}

/// What a user is created from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAemUser {
    /// The environment.
    pub product_id: i64,
    /// The tier.
    pub tier: Tier,
    /// The technical account.
    pub technical_account_id: TechnicalAccountId,
    /// Its email.
    pub email: String,
    /// The calling credential.
    pub credential_id: i64,
}

//! The AEM groups a technical-account user belongs to (reference/adobe-protocol.md §7.3).
//!
//! Membership is derived, never stored: at each request the user's groups are the groups of the
//! product profiles its credential is assigned to (for the environment and tier addressed), the
//! group of each service those profiles enable (`<service> - Service`), and `contributor`, which
//! AEM gives every IMS-authenticated principal. A profile change therefore applies at once, to
//! tokens already issued.

use serde::Serialize;

use crate::products::{ProductProfile, Tier};

/// The group every IMS principal joins.
pub const CONTRIBUTOR: &str = "contributor";

/// Where a group comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// A product profile's group, named like the profile.
    Profile,
    /// A service's group, `<service> - Service`.
    Service,
    /// `contributor`.
    Contributor,
    /// A group created by an administrator (it appears only in ACLs).
    Custom,
}

/// An AEM group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Group {
    /// The group's name, as AEM shows it.
    pub name: String,
    /// Its origin.
    pub kind: GroupKind,
}

/// The group name of a service.
pub fn service_group(service: &str) -> String {
    format!("{service} - Service")
}

/// The service a service group stands for, if `group` is one.
pub fn service_of_group(group: &str) -> Option<&str> {
    group.strip_suffix(" - Service")
}

/// The groups of a user whose credential is on `profiles`, for `product_id` and `tier`
/// (profiles of other environments or tiers are ignored). Sorted by name, each once, with
/// `contributor` always present.
pub fn membership(profiles: &[ProductProfile], product_id: i64, tier: Tier) -> Vec<Group> {
    let mut groups = vec![Group {
        name: CONTRIBUTOR.to_owned(),
        kind: GroupKind::Contributor,
    }];
    for p in profiles
        .iter()
        .filter(|p| p.product_id == product_id && p.tier == tier)
    {
        groups.push(Group {
            name: p.name.clone(),
            kind: GroupKind::Profile,
        });
        groups.extend(p.services.iter().map(|s| Group {
            name: service_group(s),
            kind: GroupKind::Service,
        }));
    }
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    groups.dedup_by(|a, b| a.name == b.name);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrgId;
    use crate::time::UnixMillis;

    fn profile(id: i64, product_id: i64, tier: Tier, services: &[&str]) -> ProductProfile {
        ProductProfile {
            id,
            product_id,
            org_id: OrgId::from_trusted("0123456789ABCDEF01234567@AdobeOrg".into()),
            name: format!("P{id}"),
            tier,
            services: services.iter().map(|s| (*s).to_owned()).collect(),
            created_at: UnixMillis(0),
        }
    }

    #[test]
    fn membership_joins_profile_service_and_contributor_groups_of_the_addressed_environment() {
        let profiles = [
            profile(1, 7, Tier::Author, &["AEM Assets Collaborator Users"]),
            profile(2, 7, Tier::Publish, &["AEM Administrators"]),
            profile(3, 8, Tier::Author, &["AEM Administrators"]),
            profile(
                4,
                7,
                Tier::Author,
                &["AEM Assets Collaborator Users", "AEM Users"],
            ),
        ];
        let names: Vec<_> = membership(&profiles, 7, Tier::Author)
            .into_iter()
            .map(|g| g.name)
            .collect();
        assert_eq!(
            names,
            [
                "AEM Assets Collaborator Users - Service",
                "AEM Users - Service",
                "P1",
                "P4",
                "contributor"
            ]
        );
        assert_eq!(membership(&[], 7, Tier::Author).len(), 1);
        assert_eq!(
            service_of_group("AEM Administrators - Service"),
            Some("AEM Administrators")
        );
    }
}

//! Repository permissions: privileges, ACL entries on DAM paths, and the decision.
//!
//! An [`AclEntry`] grants a group privileges on a path and everything below it. Besides the
//! entries an administrator adds, the service groups carry built-in grants on `/content/dam`
//! (reference/adobe-protocol.md §7.2 step 4): every service grants read only, except
//! `AEM Administrators`, which grants everything. Grants only add; there is no deny.

use serde::Serialize;

use crate::aem::dam_path::{DAM_ROOT, DamPath};
use crate::aem::groups::{Group, service_of_group};
use crate::products::{Tier, is_service};
use crate::time::UnixMillis;

/// One privilege.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Privilege {
    /// Read nodes and binaries (`jcr:read`).
    Read,
    /// Create child nodes (`jcr:addChildNodes`).
    Create,
    /// Change properties (`jcr:modifyProperties`).
    Modify,
    /// Remove nodes (`jcr:removeNode`).
    Delete,
}

impl Privilege {
    /// All privileges, in order.
    pub const ALL: [Privilege; 4] = [
        Privilege::Read,
        Privilege::Create,
        Privilege::Modify,
        Privilege::Delete,
    ];

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Privilege::Read => "read",
            Privilege::Create => "create",
            Privilege::Modify => "modify",
            Privilege::Delete => "delete",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of privileges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Privileges(u8);

impl Privileges {
    /// Every privilege.
    pub const ALL: Privileges = Privileges(0b1111);
    /// Read only.
    pub const READ: Privileges = Privileges(0b0001);

    /// The set of `list`.
    pub fn of(list: &[Privilege]) -> Self {
        Self(list.iter().fold(0, |acc, p| acc | p.bit()))
    }

    /// Parses names; `Err` names the first unknown one.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut set = 0;
        for name in names {
            set |= Privilege::parse(name).ok_or_else(|| name.to_owned())?.bit();
        }
        Ok(Self(set))
    }

    /// Whether `p` is in the set.
    pub fn contains(self, p: Privilege) -> bool {
        self.0 & p.bit() != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The privileges, in order.
    pub fn to_vec(self) -> Vec<Privilege> {
        Privilege::ALL
            .into_iter()
            .filter(|p| self.contains(*p))
            .collect()
    }

    /// Comma-joined names (the storage form).
    pub fn to_names(self) -> String {
        self.to_vec()
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A grant stored by an administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclEntry {
    /// Numeric id, assigned by the store.
    pub id: i64,
    /// The environment.
    pub product_id: i64,
    /// The tier.
    pub tier: Tier,
    /// The group granted.
    pub group: String,
    /// The path (the grant covers it and everything below).
    pub path: DamPath,
    /// What is granted.
    pub privileges: Privileges,
    /// Creation time.
    pub created_at: UnixMillis,
}

/// What a new grant is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAcl {
    /// The environment.
    pub product_id: i64,
    /// The tier.
    pub tier: Tier,
    /// The group.
    pub group: String,
    /// The path.
    pub path: DamPath,
    /// What is granted (not empty).
    pub privileges: Privileges,
}

/// The built-in grant of a group on `/content/dam`, if it has one.
pub fn builtin_grant(group: &str) -> Option<Privileges> {
    let service = service_of_group(group).filter(|s| is_service(s))?;
    Some(if service == "AEM Administrators" {
        Privileges::ALL
    } else {
        Privileges::READ
    })
}

/// Where a granted privilege came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The group holding it.
    pub group: String,
    /// The path of the grant.
    pub path: String,
    /// The stored entry, or `None` for a built-in grant.
    pub acl_id: Option<i64>,
}

/// Whether `groups` hold `need` on `path` of `tier` (entries of other tiers are ignored): the
/// first grant found, or `None`.
pub fn find_grant(
    groups: &[Group],
    acls: &[AclEntry],
    tier: Tier,
    path: &DamPath,
    need: Privilege,
) -> Option<Grant> {
    for g in groups {
        if builtin_grant(&g.name).is_some_and(|p| p.contains(need)) {
            return Some(Grant {
                group: g.name.clone(),
                path: DAM_ROOT.to_owned(),
                acl_id: None,
            });
        }
    }
    acls.iter()
        .find(|a| {
            a.tier == tier
                && a.privileges.contains(need)
                && path.is_within(a.path.as_str())
                && groups.iter().any(|g| g.name == a.group)
        })
        .map(|a| Grant {
            group: a.group.clone(),
            path: a.path.to_string(),
            acl_id: Some(a.id),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aem::groups::GroupKind;

    fn group(name: &str) -> Group {
        Group {
            name: name.into(),
            kind: GroupKind::Service,
        }
    }

    fn acl(group: &str, path: &str, privileges: Privileges) -> AclEntry {
        AclEntry {
            id: 9,
            product_id: 1,
            tier: Tier::Author,
            group: group.into(),
            path: DamPath::parse(path).unwrap(),
            privileges,
            created_at: UnixMillis(0),
        }
    }

    #[test]
    fn service_groups_read_and_administrators_write() {
        let asset = DamPath::parse("/content/dam/a/b.jpg").unwrap();
        let collab = [group("AEM Assets Collaborator Users - Service")];
        assert!(find_grant(&collab, &[], Tier::Author, &asset, Privilege::Read).is_some());
        assert!(find_grant(&collab, &[], Tier::Author, &asset, Privilege::Modify).is_none());
        let admins = [group("AEM Administrators - Service")];
        assert!(find_grant(&admins, &[], Tier::Author, &asset, Privilege::Delete).is_some());
        assert!(
            find_grant(
                &[group("contributor")],
                &[],
                Tier::Author,
                &asset,
                Privilege::Read
            )
            .is_none()
        );
        assert!(
            find_grant(
                &[group("Made Up - Service")],
                &[],
                Tier::Author,
                &asset,
                Privilege::Read
            )
            .is_none()
        );
    }

    #[test]
    fn explicit_grants_cover_their_subtree_only() {
        let grants = [acl(
            "contributor",
            "/content/dam/a",
            Privileges::of(&[Privilege::Modify]),
        )];
        let groups = [group("contributor")];
        let inside = DamPath::parse("/content/dam/a/b.jpg").unwrap();
        let beside = DamPath::parse("/content/dam/ab/c.jpg").unwrap();
        let grant = find_grant(&groups, &grants, Tier::Author, &inside, Privilege::Modify).unwrap();
        assert_eq!(grant.acl_id, Some(9));
        assert!(find_grant(&groups, &grants, Tier::Author, &beside, Privilege::Modify).is_none());
        assert!(find_grant(&groups, &grants, Tier::Author, &inside, Privilege::Delete).is_none());
        assert!(
            find_grant(
                &[group("other")],
                &grants,
                Tier::Author,
                &inside,
                Privilege::Modify
            )
            .is_none()
        );
    }

    #[test]
    fn privilege_sets_round_trip_and_name_unknowns() {
        let set = Privileges::parse(["read", "delete"]).unwrap();
        assert_eq!(set.to_names(), "read,delete");
        assert_eq!(Privileges::parse(["read", "write"]), Err("write".into()));
        assert!(Privileges::default().is_empty());
    }
}

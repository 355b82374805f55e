//! Client authentication against stored secret hashes.
//!
//! Every presented secret is checked against every stored hash of the credential (up to the
//! configured maximum, 2 by default): any may authenticate, as during a rotation (SPEC §2).
//! Unknown clients still pay one HMAC so that "unknown id" and "wrong secret" take the same time
//! (security T-60). A disabled credential is only reported to a caller who proved the secret.

use crate::credentials::{Credential, CredentialKind, StoredSecret};
use crate::secret::{ClientSecret, MAX_SECRET_LEN, SecretHash, SecretHasher};
use crate::token::error::ClientAuthFailure;

/// A client that proved its secret: the credential and which secret matched.
#[derive(Debug, Clone)]
pub struct AuthenticatedClient {
    /// The credential.
    pub credential: Credential,
    /// The uuid of the secret that matched.
    pub secret_uuid: String,
}

/// Authenticates `presented` against `found` (the credential looked up by client id, with its
/// secrets) for a grant that needs a credential of kind `kind`.
pub fn authenticate(
    hasher: &SecretHasher,
    found: Option<&(Credential, Vec<StoredSecret>)>,
    presented: &ClientSecret,
    kind: CredentialKind,
) -> Result<AuthenticatedClient, ClientAuthFailure> {
    let Some((credential, secrets)) = found else {
        // Same cost as a real check.
        let _ = hasher.verify(presented, &SecretHash(vec![0u8; 32]));
        return Err(ClientAuthFailure::UnknownClient);
    };
    if presented.expose().len() > MAX_SECRET_LEN {
        return Err(ClientAuthFailure::WrongSecret);
    }
    let mut matched = None;
    for s in secrets {
        // No early exit: the time does not depend on which secret matched.
        if hasher.verify(presented, &s.hash) && matched.is_none() {
            matched = Some(s.uuid.clone());
        }
    }
    let Some(secret_uuid) = matched else {
        return Err(ClientAuthFailure::WrongSecret);
    };
    if !credential.enabled {
        return Err(ClientAuthFailure::Disabled);
    }
    if credential.kind != kind {
        return Err(ClientAuthFailure::WrongKind);
    }
    Ok(AuthenticatedClient {
        credential: credential.clone(),
        secret_uuid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ClientId, OrgId, TechnicalAccountId};
    use crate::scope::ScopeList;
    use crate::time::UnixMillis;

    fn credential(enabled: bool) -> Credential {
        Credential {
            id: 1,
            project_id: 1,
            org_id: OrgId::generate().unwrap(),
            kind: CredentialKind::OAuthServerToServer,
            name: "c".into(),
            client_id: ClientId::generate().unwrap(),
            technical_account_id: TechnicalAccountId::generate().unwrap(),
            technical_account_email: "x@techacct.adobe.com".into(),
            scopes: ScopeList::default(),
            admin: false,
            enabled,
            tokens_revoked_before: UnixMillis(0),
            created_at: UnixMillis(0),
        }
    }

    fn stored(hasher: &SecretHasher, uuid: &str, s: &ClientSecret) -> StoredSecret {
        StoredSecret {
            uuid: uuid.into(),
            credential_id: 1,
            hash: hasher.hash(s),
            created_at: UnixMillis(0),
            last_used_at: None,
            last_grant_type: None,
        }
    }

    #[test]
    fn any_of_two_secrets_authenticates() {
        let h = SecretHasher::new(b"p");
        let (a, b) = (
            ClientSecret::generate().unwrap(),
            ClientSecret::generate().unwrap(),
        );
        let record = (
            credential(true),
            vec![stored(&h, "a", &a), stored(&h, "b", &b)],
        );
        let found = || Some(&record);
        let kind = CredentialKind::OAuthServerToServer;
        assert_eq!(
            authenticate(&h, found(), &a, kind).unwrap().secret_uuid,
            "a"
        );
        assert_eq!(
            authenticate(&h, found(), &b, kind).unwrap().secret_uuid,
            "b"
        );
        let wrong = ClientSecret::generate().unwrap();
        assert_eq!(
            authenticate(&h, found(), &wrong, kind).unwrap_err(),
            ClientAuthFailure::WrongSecret
        );
        assert_eq!(
            authenticate(&h, None, &a, kind).unwrap_err(),
            ClientAuthFailure::UnknownClient
        );
    }

    #[test]
    fn disabled_and_wrong_kind_are_reported_only_after_the_secret_matched() {
        let h = SecretHasher::new(b"p");
        let a = ClientSecret::generate().unwrap();
        let kind = CredentialKind::OAuthServerToServer;
        let disabled = (credential(false), vec![stored(&h, "a", &a)]);
        let found = Some(&disabled);
        assert_eq!(
            authenticate(&h, found, &a, kind).unwrap_err(),
            ClientAuthFailure::Disabled
        );
        let wrong = ClientSecret::generate().unwrap();
        assert_eq!(
            authenticate(&h, found, &wrong, kind).unwrap_err(),
            ClientAuthFailure::WrongSecret
        );
        let enabled = (credential(true), vec![stored(&h, "a", &a)]);
        let found = Some(&enabled);
        assert_eq!(
            authenticate(&h, found, &a, CredentialKind::ServiceAccountJwt).unwrap_err(),
            ClientAuthFailure::WrongKind
        );
    }
}

//! Conformance suite for the storage ports: every case in [`cases`] runs against SQLite (a temp
//! file) always, and against PostgreSQL (a fresh database per case) when `TEST_POSTGRES_URL`
//! is set, e.g. `TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres`. Without it the
//! PostgreSQL cases pass without doing anything.
//!
//! [`sqlite_only`] holds what only SQLite has: the file on disk, reopening it, pragmas.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;

use latchkey_store::SqlStore;
use latchkey_store::testing::{TempPostgres, postgres_url_from_env};

/// Runs `body` against a fresh SQLite file. The body runs in its own task so that a failing
/// assertion still lets the harness clean up before the panic is passed on.
async fn on_sqlite<F, Fut>(body: F)
where
    F: FnOnce(SqlStore) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = tempfile::tempdir().unwrap();
    let url = latchkey_store::sqlite_url_for(&dir.path().join("latchkey.db"));
    let store = SqlStore::connect(&url).await.unwrap();
    assert_eq!(store.backend(), latchkey_store::Backend::Sqlite);
    let outcome = tokio::spawn(body(store.clone())).await;
    store.close().await;
    finish(outcome);
}

/// Runs `body` against a fresh PostgreSQL database, or does nothing without
/// `TEST_POSTGRES_URL`.
async fn on_postgres<F, Fut>(body: F)
where
    F: FnOnce(SqlStore) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(base) = postgres_url_from_env() else {
        return;
    };
    let db = TempPostgres::create(&base).await.unwrap();
    let store = SqlStore::connect(&db.url).await.unwrap();
    assert_eq!(store.backend(), latchkey_store::Backend::Postgres);
    let outcome = tokio::spawn(body(store.clone())).await;
    store.close().await;
    db.drop_database().await.unwrap();
    finish(outcome);
}

fn finish(outcome: Result<(), tokio::task::JoinError>) {
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("test task failed: {e}");
    }
}

/// One test per backend for each named case in [`cases`].
macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    super::on_sqlite(super::cases::$case).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    super::on_postgres(super::cases::$case).await;
                }
            )*
        }
    };
}

conformance!(
    org_project_credential_round_trip,
    duplicate_organization_is_a_conflict,
    missing_parents_are_not_found,
    duplicate_client_id_or_technical_account_is_a_conflict,
    find_credential_for_auth_returns_its_secrets,
    enable_disable_and_revoke_tokens,
    add_secret_up_to_the_limit,
    delete_secret_keeps_at_least_one,
    concurrent_adds_never_exceed_the_limit,
    concurrent_deletes_never_remove_the_last_secret,
    secret_usage_never_moves_backwards,
    signing_keys_one_active_per_algorithm,
    promoting_a_signing_key_is_a_compare_and_set,
    revocations,
    meta_put_if_absent_keeps_the_first_value,
    ping_and_backend_name,
    every_change_writes_exactly_one_audit_entry,
    failed_changes_write_no_audit_entry,
    list_audit_filters_newest_first,
    list_audit_limits_and_corrupt_rows,
    rename_and_delete_credentials,
    list_projects_oldest_first,
    admin_flag_round_trips,
    products_round_trip,
    duplicate_product_environment_is_a_conflict,
    profiles_round_trip,
    assignments_are_idempotent_and_ordered,
    concurrent_assigns_insert_and_record_once,
    deleting_a_product_removes_its_profiles_and_assignments,
    deleting_a_credential_removes_its_assignments,
    every_product_change_writes_exactly_one_audit_entry,
    failed_product_changes_write_no_audit_entry,
    corrupt_product_rows_are_reported,
    aem_api_configs_replace_and_delete,
    aem_user_is_created_exactly_once_under_concurrency,
    aem_acls_round_trip,
    dam_nodes_tree_paging_versions_and_subtree_delete,
    service_account_with_certificate_round_trip,
    certificates_up_to_the_limit_and_unique,
    technical_account_limit_counts_deleted_accounts,
    concurrent_creations_never_exceed_the_technical_account_limit,
    one_credential_per_kind_and_technical_account,
    assertion_ids_are_single_use_even_concurrently,
);

/// The contract cases, each against a fresh, empty store.
mod cases {
    // Legacy service accounts, in `cases/service_accounts.rs`.
    mod service_accounts;
    pub use service_accounts::*;

    use std::collections::BTreeSet;

    mod aem;
    pub use aem::*;

    use latchkey_core::audit::{Actor, AuditAction, AuditEntry, AuditFilter, AuditRecord};
    use latchkey_core::credentials::{
        Credential, CredentialKind, NewCredential, Organization, Project, SecretUsage,
    };
    use latchkey_core::ids::{ClientId, OrgId, TechnicalAccountId};
    use latchkey_core::keys::{KeyState, SigningAlg, StoredKey};
    use latchkey_core::products::{EnvType, NewProduct, NewProfile, Product, ProductProfile, Tier};
    use latchkey_core::scope::ScopeList;
    use latchkey_core::secret::SecretHash;
    use latchkey_core::store::{
        AuditStore, CredentialStore, KeyStore, MetaStore, OrgStore, ProductStore, RevocationStore,
        RevokedToken, SecretStore, Store, StoreError,
    };
    use latchkey_core::time::UnixMillis;
    use latchkey_store::SqlStore;
    use serde_json::json;
    use sqlx::Row;

    const T0: UnixMillis = UnixMillis(1_700_000_000_000);

    fn org_id(n: u32) -> OrgId {
        OrgId::parse(&format!("{n:024X}@AdobeOrg")).unwrap()
    }

    /// An audit entry by the server itself, for calls whose audit record is not under test.
    fn note(action: AuditAction) -> AuditEntry {
        Actor::system().entry(T0, None, action, "test".into(), serde_json::Value::Null)
    }

    /// Every audit record, newest first.
    async fn all_audit(store: &SqlStore) -> Vec<AuditRecord> {
        store
            .list_audit(&AuditFilter {
                limit: 1000,
                ..AuditFilter::default()
            })
            .await
            .unwrap()
    }

    /// Rows in the audit table, counted directly.
    async fn audit_rows(store: &SqlStore) -> i64 {
        sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
            .fetch_one(store.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap()
    }

    fn hash(n: u8) -> SecretHash {
        SecretHash(vec![n; 32])
    }

    fn new_credential(project: &Project, n: u32) -> NewCredential {
        NewCredential {
            project_id: project.id,
            org_id: project.org_id.clone(),
            kind: CredentialKind::OAuthServerToServer,
            name: format!("Credential {n}"),
            client_id: ClientId::from_trusted(format!("{n:032x}")),
            technical_account_id: TechnicalAccountId::from_trusted(format!(
                "{n:024X}@techacct.adobe.com"
            )),
            technical_account_email: format!("{n:08x}-aaaa@techacct.adobe.com"),
            scopes: ScopeList::parse(
                "openid,AdobeID,read_organizations,additional_info.projectedProductContext",
            )
            .unwrap(),
            admin: false,
        }
    }

    /// An organization, a project and a credential with one secret (`first-secret`).
    async fn fixture(store: &SqlStore) -> (Project, Credential) {
        let org = Organization {
            id: org_id(1),
            name: "Acme".into(),
            created_at: T0,
        };
        store
            .create_organization(&org, &note(AuditAction::OrganizationCreated))
            .await
            .unwrap();
        let project = store
            .create_project(
                &org.id,
                "Project",
                T0.plus_millis(1),
                &note(AuditAction::ProjectCreated),
            )
            .await
            .unwrap();
        let credential = store
            .create_credential(
                &new_credential(&project, 1),
                "first-secret",
                &hash(1),
                T0.plus_millis(2),
                &note(AuditAction::CredentialCreated),
            )
            .await
            .unwrap();
        (project, credential)
    }

    fn key(kid: &str, alg: SigningAlg, state: KeyState) -> StoredKey {
        StoredKey {
            kid: kid.into(),
            alg,
            state,
            sealed_private_key: vec![0, 1, 2, 255, kid.len() as u8],
            public_jwk: format!(r#"{{"kid":"{kid}","kty":"RSA"}}"#),
            created_at: T0,
            publish_until: None,
        }
    }

    pub async fn org_project_credential_round_trip(store: SqlStore) {
        let a = Organization {
            id: org_id(0xA),
            name: "Org A".into(),
            created_at: T0,
        };
        let b = Organization {
            id: org_id(0xB),
            name: "Org B — ünïcode".into(),
            created_at: T0.plus_millis(10),
        };
        // Created out of order: listing is oldest first.
        store
            .create_organization(&b, &note(AuditAction::OrganizationCreated))
            .await
            .unwrap();
        store
            .create_organization(&a, &note(AuditAction::OrganizationCreated))
            .await
            .unwrap();
        assert_eq!(
            store.get_organization(&a.id).await.unwrap(),
            Some(a.clone())
        );
        assert_eq!(store.get_organization(&org_id(0xC)).await.unwrap(), None);
        assert_eq!(
            store.list_organizations().await.unwrap(),
            vec![a.clone(), b.clone()]
        );

        let p1 = store
            .create_project(
                &a.id,
                "First",
                T0.plus_millis(1),
                &note(AuditAction::ProjectCreated),
            )
            .await
            .unwrap();
        let p2 = store
            .create_project(
                &a.id,
                "Second",
                T0.plus_millis(2),
                &note(AuditAction::ProjectCreated),
            )
            .await
            .unwrap();
        assert_ne!(p1.id, p2.id);
        assert_eq!(p1.org_id, a.id);
        assert_eq!(p1.name, "First");
        assert_eq!(p1.created_at, T0.plus_millis(1));
        assert_eq!(store.get_project(p1.id).await.unwrap(), Some(p1.clone()));
        assert_eq!(store.get_project(p2.id + 1000).await.unwrap(), None);

        let mut new = new_credential(&p1, 7);
        new.kind = CredentialKind::ServiceAccountJwt;
        // Not alphabetical: the stored order must be kept.
        new.scopes = ScopeList::parse("zeta,openid,AdobeID,alpha").unwrap();
        let created = store
            .create_credential(
                &new,
                "s1",
                &hash(9),
                T0.plus_millis(5),
                &note(AuditAction::CredentialCreated),
            )
            .await
            .unwrap();
        assert_eq!(created.project_id, p1.id);
        assert_eq!(created.org_id, a.id);
        assert_eq!(created.kind, CredentialKind::ServiceAccountJwt);
        assert_eq!(created.name, new.name);
        assert_eq!(created.client_id, new.client_id);
        assert_eq!(created.technical_account_id, new.technical_account_id);
        assert_eq!(created.technical_account_email, new.technical_account_email);
        assert_eq!(
            created.scopes.items(),
            ["zeta", "openid", "AdobeID", "alpha"]
        );
        assert!(created.enabled);
        assert_eq!(created.tokens_revoked_before, UnixMillis(0));
        assert_eq!(created.created_at, T0.plus_millis(5));
        assert_eq!(
            store.get_credential(created.id).await.unwrap(),
            Some(created.clone())
        );
        assert_eq!(store.get_credential(created.id + 1000).await.unwrap(), None);

        // A credential with no scopes survives as an empty list.
        let mut bare = new_credential(&p2, 8);
        bare.scopes = ScopeList::default();
        let bare = store
            .create_credential(
                &bare,
                "s2",
                &hash(8),
                T0.plus_millis(6),
                &note(AuditAction::CredentialCreated),
            )
            .await
            .unwrap();
        assert!(
            store
                .get_credential(bare.id)
                .await
                .unwrap()
                .unwrap()
                .scopes
                .is_empty()
        );

        assert_eq!(
            store.list_credentials(&a.id).await.unwrap(),
            vec![created.clone(), bare.clone()]
        );
        assert!(store.list_credentials(&b.id).await.unwrap().is_empty());

        let secrets = store.list_secrets(created.id).await.unwrap();
        assert_eq!(secrets.len(), 1);
        assert_eq!(secrets[0].uuid, "s1");
        assert_eq!(secrets[0].credential_id, created.id);
        assert_eq!(secrets[0].hash, hash(9));
        assert_eq!(secrets[0].created_at, T0.plus_millis(5));
        assert_eq!(secrets[0].last_used_at, None);
        assert_eq!(secrets[0].last_grant_type, None);
    }

    pub async fn duplicate_organization_is_a_conflict(store: SqlStore) {
        let org = Organization {
            id: org_id(1),
            name: "Acme".into(),
            created_at: T0,
        };
        store
            .create_organization(&org, &note(AuditAction::OrganizationCreated))
            .await
            .unwrap();
        let again = Organization {
            name: "Other name".into(),
            ..org.clone()
        };
        match store
            .create_organization(&again, &note(AuditAction::OrganizationCreated))
            .await
        {
            Err(StoreError::Conflict(what)) => assert_eq!(what, "organization id"),
            other => panic!("expected Conflict, got {other:?}"),
        }
        assert_eq!(store.list_organizations().await.unwrap(), vec![org]);
    }

    pub async fn missing_parents_are_not_found(store: SqlStore) {
        assert!(matches!(
            store
                .create_project(&org_id(99), "P", T0, &note(AuditAction::ProjectCreated))
                .await,
            Err(StoreError::NotFound)
        ));
        let (project, _) = fixture(&store).await;
        // A project that does not exist, or exists in another organization.
        let mut orphan = new_credential(&project, 2);
        orphan.project_id = project.id + 1000;
        assert!(matches!(
            store
                .create_credential(
                    &orphan,
                    "x",
                    &hash(2),
                    T0,
                    &note(AuditAction::CredentialCreated)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        let mut wrong_org = new_credential(&project, 3);
        wrong_org.org_id = org_id(99);
        assert!(matches!(
            store
                .create_credential(
                    &wrong_org,
                    "y",
                    &hash(3),
                    T0,
                    &note(AuditAction::CredentialCreated)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(
            store
                .list_secrets(project.id + 1000)
                .await
                .unwrap()
                .is_empty()
        );
    }

    pub async fn duplicate_client_id_or_technical_account_is_a_conflict(store: SqlStore) {
        let (project, first) = fixture(&store).await;

        let mut same_client = new_credential(&project, 2);
        same_client.client_id = first.client_id.clone();
        match store
            .create_credential(
                &same_client,
                "other-secret",
                &hash(2),
                T0,
                &note(AuditAction::CredentialCreated),
            )
            .await
        {
            Err(StoreError::Conflict(what)) => assert_eq!(what, "client id"),
            other => panic!("expected Conflict, got {other:?}"),
        }

        let mut same_account = new_credential(&project, 3);
        same_account.technical_account_id = first.technical_account_id.clone();
        match store
            .create_credential(
                &same_account,
                "third-secret",
                &hash(3),
                T0,
                &note(AuditAction::CredentialCreated),
            )
            .await
        {
            Err(StoreError::Conflict(what)) => assert_eq!(what, "technical account id"),
            other => panic!("expected Conflict, got {other:?}"),
        }

        // A taken secret uuid rolls back the credential too: all or nothing.
        let fresh = new_credential(&project, 4);
        match store
            .create_credential(
                &fresh,
                "first-secret",
                &hash(4),
                T0,
                &note(AuditAction::CredentialCreated),
            )
            .await
        {
            Err(StoreError::Conflict(what)) => assert_eq!(what, "client secret uuid"),
            other => panic!("expected Conflict, got {other:?}"),
        }
        assert_eq!(
            store.list_credentials(&project.org_id).await.unwrap(),
            vec![first.clone()]
        );
        assert!(
            store
                .find_credential_for_auth(&fresh.client_id)
                .await
                .unwrap()
                .is_none()
        );
        // The same values still work once unique.
        store
            .create_credential(
                &fresh,
                "fourth-secret",
                &hash(4),
                T0,
                &note(AuditAction::CredentialCreated),
            )
            .await
            .unwrap();
    }

    pub async fn find_credential_for_auth_returns_its_secrets(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        let other = store
            .create_credential(
                &new_credential(&project, 2),
                "other",
                &hash(7),
                T0,
                &note(AuditAction::CredentialCreated),
            )
            .await
            .unwrap();
        store
            .add_secret(
                credential.id,
                "second-secret",
                &hash(2),
                2,
                T0.plus_millis(50),
                &note(AuditAction::SecretAdded),
            )
            .await
            .unwrap();

        let (found, secrets) = store
            .find_credential_for_auth(&credential.client_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found, credential);
        let uuids: Vec<&str> = secrets.iter().map(|s| s.uuid.as_str()).collect();
        assert_eq!(uuids, ["first-secret", "second-secret"]);
        assert_eq!(secrets[0].hash, hash(1));
        assert_eq!(secrets[1].hash, hash(2));
        assert!(secrets.iter().all(|s| s.credential_id == credential.id));

        let (found, secrets) = store
            .find_credential_for_auth(&other.client_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found, other);
        assert_eq!(secrets.len(), 1);

        assert!(
            store
                .find_credential_for_auth(&ClientId::from_trusted("unknown".into()))
                .await
                .unwrap()
                .is_none()
        );
    }

    pub async fn enable_disable_and_revoke_tokens(store: SqlStore) {
        let (_, credential) = fixture(&store).await;
        store
            .set_credential_enabled(
                credential.id,
                false,
                T0.plus_millis(10),
                &note(AuditAction::CredentialEnabled),
            )
            .await
            .unwrap();
        assert!(
            !store
                .get_credential(credential.id)
                .await
                .unwrap()
                .unwrap()
                .enabled
        );
        store
            .set_credential_enabled(
                credential.id,
                true,
                T0.plus_millis(11),
                &note(AuditAction::CredentialEnabled),
            )
            .await
            .unwrap();
        assert!(
            store
                .get_credential(credential.id)
                .await
                .unwrap()
                .unwrap()
                .enabled
        );

        store
            .revoke_credential_tokens(
                credential.id,
                T0.plus_millis(100),
                &note(AuditAction::CredentialTokensRevoked),
            )
            .await
            .unwrap();
        let read = store.get_credential(credential.id).await.unwrap().unwrap();
        assert_eq!(read.tokens_revoked_before, T0.plus_millis(100));
        // An older cut-off never re-validates tokens.
        store
            .revoke_credential_tokens(
                credential.id,
                T0.plus_millis(50),
                &note(AuditAction::CredentialTokensRevoked),
            )
            .await
            .unwrap();
        let read = store.get_credential(credential.id).await.unwrap().unwrap();
        assert_eq!(read.tokens_revoked_before, T0.plus_millis(100));
        let (auth, _) = store
            .find_credential_for_auth(&credential.client_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(auth.tokens_revoked_before, T0.plus_millis(100));

        assert!(matches!(
            store
                .set_credential_enabled(
                    credential.id + 1000,
                    false,
                    T0,
                    &note(AuditAction::CredentialEnabled)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .revoke_credential_tokens(
                    credential.id + 1000,
                    T0,
                    &note(AuditAction::CredentialTokensRevoked)
                )
                .await,
            Err(StoreError::NotFound)
        ));
    }

    pub async fn add_secret_up_to_the_limit(store: SqlStore) {
        let (_, credential) = fixture(&store).await;
        let added = store
            .add_secret(
                credential.id,
                "second",
                &hash(2),
                3,
                T0.plus_millis(10),
                &note(AuditAction::SecretAdded),
            )
            .await
            .unwrap();
        assert_eq!(added.uuid, "second");
        assert_eq!(added.credential_id, credential.id);
        assert_eq!(added.hash, hash(2));
        assert_eq!(added.created_at, T0.plus_millis(10));
        assert_eq!(added.last_used_at, None);
        store
            .add_secret(
                credential.id,
                "third",
                &hash(3),
                3,
                T0.plus_millis(20),
                &note(AuditAction::SecretAdded),
            )
            .await
            .unwrap();
        assert!(matches!(
            store
                .add_secret(
                    credential.id,
                    "fourth",
                    &hash(4),
                    3,
                    T0.plus_millis(30),
                    &note(AuditAction::SecretAdded)
                )
                .await,
            Err(StoreError::SecretLimitReached)
        ));
        // A lower limit than what is held refuses as well.
        assert!(matches!(
            store
                .add_secret(
                    credential.id,
                    "fifth",
                    &hash(5),
                    2,
                    T0,
                    &note(AuditAction::SecretAdded)
                )
                .await,
            Err(StoreError::SecretLimitReached)
        ));
        let secrets = store.list_secrets(credential.id).await.unwrap();
        let uuids: Vec<&str> = secrets.iter().map(|s| s.uuid.as_str()).collect();
        assert_eq!(uuids, ["first-secret", "second", "third"]);
        assert_eq!(secrets[1], added);

        assert!(matches!(
            store
                .add_secret(
                    credential.id + 1000,
                    "x",
                    &hash(6),
                    3,
                    T0,
                    &note(AuditAction::SecretAdded)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        store
            .delete_secret(credential.id, "third", &note(AuditAction::SecretDeleted))
            .await
            .unwrap();
        assert!(matches!(
            store
                .add_secret(
                    credential.id,
                    "second",
                    &hash(7),
                    3,
                    T0,
                    &note(AuditAction::SecretAdded)
                )
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.list_secrets(credential.id).await.unwrap().len(), 2);
    }

    pub async fn delete_secret_keeps_at_least_one(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        assert!(matches!(
            store
                .delete_secret(
                    credential.id,
                    "first-secret",
                    &note(AuditAction::SecretDeleted)
                )
                .await,
            Err(StoreError::LastSecret)
        ));
        assert_eq!(store.list_secrets(credential.id).await.unwrap().len(), 1);

        assert!(matches!(
            store
                .delete_secret(
                    credential.id,
                    "no-such-secret",
                    &note(AuditAction::SecretDeleted)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .delete_secret(
                    credential.id + 1000,
                    "first-secret",
                    &note(AuditAction::SecretDeleted)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        // A secret of another credential is not found through this one.
        let other = store
            .create_credential(
                &new_credential(&project, 2),
                "other-1",
                &hash(5),
                T0,
                &note(AuditAction::CredentialCreated),
            )
            .await
            .unwrap();
        store
            .add_secret(
                other.id,
                "other-2",
                &hash(6),
                2,
                T0,
                &note(AuditAction::SecretAdded),
            )
            .await
            .unwrap();
        assert!(matches!(
            store
                .delete_secret(credential.id, "other-2", &note(AuditAction::SecretDeleted))
                .await,
            Err(StoreError::NotFound)
        ));

        store
            .add_secret(
                credential.id,
                "second",
                &hash(2),
                2,
                T0.plus_millis(1),
                &note(AuditAction::SecretAdded),
            )
            .await
            .unwrap();
        store
            .delete_secret(
                credential.id,
                "first-secret",
                &note(AuditAction::SecretDeleted),
            )
            .await
            .unwrap();
        let left = store.list_secrets(credential.id).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].uuid, "second");
        assert!(matches!(
            store
                .delete_secret(
                    credential.id,
                    "first-secret",
                    &note(AuditAction::SecretDeleted)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .delete_secret(credential.id, "second", &note(AuditAction::SecretDeleted))
                .await,
            Err(StoreError::LastSecret)
        ));
        assert_eq!(store.list_secrets(other.id).await.unwrap().len(), 2);
    }

    pub async fn concurrent_adds_never_exceed_the_limit(store: SqlStore) {
        let (project, first) = fixture(&store).await;
        let mut credentials = vec![first];
        for n in 2..=3 {
            credentials.push(
                store
                    .create_credential(
                        &new_credential(&project, n),
                        &format!("first-{n}"),
                        &hash(1),
                        T0,
                        &note(AuditAction::CredentialCreated),
                    )
                    .await
                    .unwrap(),
            );
        }
        for credential in credentials {
            let mut tasks = Vec::new();
            for i in 0..20u8 {
                let store = store.clone();
                let id = credential.id;
                tasks.push(tokio::spawn(async move {
                    store
                        .add_secret(
                            id,
                            &format!("c{id}-s{i}"),
                            &hash(i),
                            2,
                            T0.plus_millis(i.into()),
                            &note(AuditAction::SecretAdded),
                        )
                        .await
                }));
            }
            let mut added = 0;
            for task in tasks {
                match task.await.unwrap() {
                    Ok(_) => added += 1,
                    Err(StoreError::SecretLimitReached) => {}
                    Err(other) => panic!("unexpected error: {other:?}"),
                }
            }
            assert_eq!(added, 1, "exactly one concurrent add may succeed");
            assert_eq!(store.list_secrets(credential.id).await.unwrap().len(), 2);
        }
    }

    pub async fn concurrent_deletes_never_remove_the_last_secret(store: SqlStore) {
        let (project, first) = fixture(&store).await;
        let mut credentials = vec![(first.id, "first-secret".to_owned())];
        for n in 2..=5 {
            let c = store
                .create_credential(
                    &new_credential(&project, n),
                    &format!("first-{n}"),
                    &hash(1),
                    T0,
                    &note(AuditAction::CredentialCreated),
                )
                .await
                .unwrap();
            credentials.push((c.id, format!("first-{n}")));
        }
        for (id, first_uuid) in credentials {
            let second_uuid = format!("second-{id}");
            store
                .add_secret(
                    id,
                    &second_uuid,
                    &hash(2),
                    2,
                    T0.plus_millis(1),
                    &note(AuditAction::SecretAdded),
                )
                .await
                .unwrap();
            let a = {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .delete_secret(id, &first_uuid, &note(AuditAction::SecretDeleted))
                        .await
                })
            };
            let b = {
                let store = store.clone();
                tokio::spawn(async move {
                    store
                        .delete_secret(id, &second_uuid, &note(AuditAction::SecretDeleted))
                        .await
                })
            };
            let outcomes = [a.await.unwrap(), b.await.unwrap()];
            let deleted = outcomes.iter().filter(|o| o.is_ok()).count();
            assert_eq!(deleted, 1, "exactly one delete may succeed: {outcomes:?}");
            assert!(
                outcomes
                    .iter()
                    .all(|o| o.is_ok() || matches!(o, Err(StoreError::LastSecret))),
                "{outcomes:?}"
            );
            assert_eq!(store.list_secrets(id).await.unwrap().len(), 1);
        }
    }

    pub async fn secret_usage_never_moves_backwards(store: SqlStore) {
        let (_, credential) = fixture(&store).await;
        store
            .add_secret(
                credential.id,
                "second",
                &hash(2),
                2,
                T0.plus_millis(10),
                &note(AuditAction::SecretAdded),
            )
            .await
            .unwrap();
        let used = |uuid: &str, at: i64, grant: &str| SecretUsage {
            secret_uuid: uuid.into(),
            used_at: T0.plus_millis(at),
            grant_type: grant.into(),
        };
        store.record_secret_usage(&[]).await.unwrap();
        store
            .record_secret_usage(&[
                used("first-secret", 100, "client_credentials"),
                used("deleted-or-unknown", 500, "client_credentials"),
                used("second", 50, "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ])
            .await
            .unwrap();
        // Older uses (and an equal one) do not overwrite; a newer one does.
        store
            .record_secret_usage(&[
                used("first-secret", 90, "older"),
                used("first-secret", 100, "same-instant"),
                used("second", 60, "client_credentials"),
            ])
            .await
            .unwrap();
        let secrets = store.list_secrets(credential.id).await.unwrap();
        assert_eq!(secrets[0].uuid, "first-secret");
        assert_eq!(secrets[0].last_used_at, Some(T0.plus_millis(100)));
        assert_eq!(
            secrets[0].last_grant_type.as_deref(),
            Some("client_credentials")
        );
        assert_eq!(secrets[1].uuid, "second");
        assert_eq!(secrets[1].last_used_at, Some(T0.plus_millis(60)));
        assert_eq!(
            secrets[1].last_grant_type.as_deref(),
            Some("client_credentials")
        );

        // Batches from several nodes at once, in opposite orders.
        let mut tasks = Vec::new();
        for node in 0..8i64 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let mut batch = vec![
                    used("first-secret", 1000 + node, "client_credentials"),
                    used("second", 1000 - node, "client_credentials"),
                ];
                if node % 2 == 1 {
                    batch.reverse();
                }
                store.record_secret_usage(&batch).await
            }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let secrets = store.list_secrets(credential.id).await.unwrap();
        assert_eq!(secrets[0].last_used_at, Some(T0.plus_millis(1007)));
        assert_eq!(secrets[1].last_used_at, Some(T0.plus_millis(1000)));
    }

    pub async fn signing_keys_one_active_per_algorithm(store: SqlStore) {
        assert!(store.list_signing_keys().await.unwrap().is_empty());
        // Several nodes start at once and each tries to install its own active RS256 key.
        let mut tasks = Vec::new();
        for i in 0..8 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .insert_signing_key(
                        &key(&format!("rs-{i}"), SigningAlg::Rs256, KeyState::Active),
                        None,
                    )
                    .await
            }));
        }
        let mut won = 0;
        for task in tasks {
            if task.await.unwrap().unwrap() {
                won += 1;
            }
        }
        assert_eq!(won, 1, "exactly one active RS256 key may be inserted");

        assert!(
            !store
                .insert_signing_key(&key("rs-late", SigningAlg::Rs256, KeyState::Active), None)
                .await
                .unwrap()
        );
        assert!(
            store
                .insert_signing_key(&key("rs-next", SigningAlg::Rs256, KeyState::Next), None)
                .await
                .unwrap()
        );
        assert!(
            store
                .insert_signing_key(&key("es-active", SigningAlg::Es256, KeyState::Active), None)
                .await
                .unwrap()
        );
        let mut retired = key("ed-retired", SigningAlg::EdDsa, KeyState::Retired);
        retired.publish_until = Some(T0.plus_millis(86_400_000));
        retired.created_at = T0.plus_millis(-5);
        assert!(store.insert_signing_key(&retired, None).await.unwrap());
        let mut retired2 = key("rs-retired", SigningAlg::Rs256, KeyState::Retired);
        retired2.created_at = T0.plus_millis(-1);
        assert!(store.insert_signing_key(&retired2, None).await.unwrap());

        // A second next key for the algorithm is skipped like a second active one.
        assert!(
            !store
                .insert_signing_key(&key("rs-next-2", SigningAlg::Rs256, KeyState::Next), None)
                .await
                .unwrap()
        );
        // A duplicate kid is a conflict, not a silent skip.
        assert!(matches!(
            store.insert_signing_key(&retired2, None).await,
            Err(StoreError::Conflict(_))
        ));

        let keys = store.list_signing_keys().await.unwrap();
        assert_eq!(keys.len(), 5);
        assert_eq!(keys[0], retired, "oldest first, all fields kept");
        assert_eq!(keys[1], retired2);
        let active: Vec<&StoredKey> = keys
            .iter()
            .filter(|k| k.state == KeyState::Active && k.alg == SigningAlg::Rs256)
            .collect();
        assert_eq!(active.len(), 1);
        assert_eq!(
            *active[0],
            key(&active[0].kid, SigningAlg::Rs256, KeyState::Active)
        );
        assert!(keys.contains(&key("rs-next", SigningAlg::Rs256, KeyState::Next)));
        assert!(keys.contains(&key("es-active", SigningAlg::Es256, KeyState::Active)));
    }

    pub async fn promoting_a_signing_key_is_a_compare_and_set(store: SqlStore) {
        let old = key("rs-old", SigningAlg::Rs256, KeyState::Active);
        let next = key("rs-new", SigningAlg::Rs256, KeyState::Next);
        let other = key("es-next", SigningAlg::Es256, KeyState::Next);
        let published = note(AuditAction::SigningKeyPublished);
        assert!(store.insert_signing_key(&old, None).await.unwrap());
        assert!(
            store
                .insert_signing_key(&next, Some(&published))
                .await
                .unwrap()
        );
        assert!(store.insert_signing_key(&other, None).await.unwrap());
        assert_eq!(
            all_audit(&store).await.len(),
            1,
            "the publication is recorded"
        );
        let until = T0.plus_millis(86_400_000);

        // A next key of another algorithm cannot replace this one.
        let activated = note(AuditAction::SigningKeyActivated);
        assert!(
            !store
                .promote_signing_key("es-next", "rs-old", until, &activated)
                .await
                .unwrap()
        );
        assert_eq!(store.list_signing_keys().await.unwrap().len(), 3);

        // Several nodes promote at once: exactly one succeeds and records it.
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let store = store.clone();
            let activated = activated.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .promote_signing_key("rs-new", "rs-old", until, &activated)
                    .await
            }));
        }
        let mut won = 0;
        for task in tasks {
            if task.await.unwrap().unwrap() {
                won += 1;
            }
        }
        assert_eq!(won, 1, "exactly one promotion may succeed");
        assert_eq!(all_audit(&store).await.len(), 2);
        let keys = store.list_signing_keys().await.unwrap();
        let state = |kid: &str| keys.iter().find(|k| k.kid == kid).unwrap().clone();
        assert_eq!(state("rs-old").state, KeyState::Retired);
        assert_eq!(state("rs-old").publish_until, Some(until));
        assert_eq!(state("rs-new").state, KeyState::Active);
        assert_eq!(state("rs-new").publish_until, None);
        assert_eq!(state("es-next").state, KeyState::Next);

        // Retired keys leave once their publication ends, and only then.
        assert_eq!(store.delete_unpublished_keys(until).await.unwrap(), 0);
        assert_eq!(
            store
                .delete_unpublished_keys(until.plus_millis(1))
                .await
                .unwrap(),
            1
        );
        let kids: Vec<String> = store
            .list_signing_keys()
            .await
            .unwrap()
            .into_iter()
            .map(|k| k.kid)
            .collect();
        assert_eq!(kids, ["es-next", "rs-new"]);
    }

    pub async fn revocations(store: SqlStore) {
        let token = |jti: &str, expires: i64, revoked: i64| RevokedToken {
            jti: jti.into(),
            expires_at: T0.plus_millis(expires),
            revoked_at: T0.plus_millis(revoked),
        };
        store.revoke_token(&token("a", 1000, 10)).await.unwrap();
        // Twice is fine, and keeps the first record.
        store.revoke_token(&token("a", 9999, 99)).await.unwrap();
        store.revoke_token(&token("b", 2000, 20)).await.unwrap();
        store.revoke_token(&token("c", 3000, 30)).await.unwrap();

        assert!(store.is_token_revoked("a").await.unwrap());
        assert!(store.is_token_revoked("c").await.unwrap());
        assert!(!store.is_token_revoked("z").await.unwrap());

        assert_eq!(
            store.revocations_since(T0.plus_millis(20)).await.unwrap(),
            vec![token("b", 2000, 20), token("c", 3000, 30)]
        );
        assert_eq!(store.revocations_since(T0).await.unwrap().len(), 3);
        assert_eq!(
            store.revocations_since(T0.plus_millis(31)).await.unwrap(),
            vec![]
        );

        // Expired strictly before `now` goes; `b` expires exactly at `now` and stays.
        assert_eq!(
            store
                .purge_expired_revocations(T0.plus_millis(2000))
                .await
                .unwrap(),
            1
        );
        assert!(!store.is_token_revoked("a").await.unwrap());
        assert!(store.is_token_revoked("b").await.unwrap());
        assert_eq!(
            store
                .purge_expired_revocations(T0.plus_millis(2000))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            store
                .purge_expired_revocations(T0.plus_millis(10_000))
                .await
                .unwrap(),
            2
        );
        assert!(store.revocations_since(T0).await.unwrap().is_empty());
    }

    pub async fn meta_put_if_absent_keeps_the_first_value(store: SqlStore) {
        assert_eq!(store.get_meta("pepper_check").await.unwrap(), None);
        assert_eq!(
            store
                .put_meta_if_absent("pepper_check", "first")
                .await
                .unwrap(),
            "first"
        );
        assert_eq!(
            store
                .put_meta_if_absent("pepper_check", "second")
                .await
                .unwrap(),
            "first"
        );
        assert_eq!(
            store.get_meta("pepper_check").await.unwrap().as_deref(),
            Some("first")
        );

        // Several nodes at once: all agree on one value.
        let mut tasks = Vec::new();
        for i in 0..8 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store.put_meta_if_absent("race", &format!("node-{i}")).await
            }));
        }
        let mut values = BTreeSet::new();
        for task in tasks {
            values.insert(task.await.unwrap().unwrap());
        }
        assert_eq!(values.len(), 1, "{values:?}");
        assert_eq!(
            store.get_meta("race").await.unwrap(),
            values.into_iter().next()
        );
    }

    pub async fn ping_and_backend_name(store: SqlStore) {
        store.ping().await.unwrap();
        assert_eq!(store.backend_name(), store.backend().as_str());
        assert!(["sqlite", "postgres"].contains(&store.backend_name()));
        store.close().await;
        assert!(matches!(
            store.ping().await,
            Err(StoreError::Unavailable(_))
        ));
    }

    pub async fn every_change_writes_exactly_one_audit_entry(store: SqlStore) {
        let admin = Actor {
            name: "0123456789abcdef0123456789abcdef".into(),
            peer: Some("192.0.2.7:51234".into()),
        };
        let org = Organization {
            id: org_id(1),
            name: "Acme".into(),
            created_at: T0,
        };
        let mut expected: Vec<AuditEntry> = Vec::new();

        // Checks that the last call added exactly `entry`, as the newest record.
        async fn check(store: &SqlStore, expected: &mut Vec<AuditEntry>, entry: AuditEntry) {
            expected.push(entry);
            let all = all_audit(store).await;
            assert_eq!(all.len(), expected.len());
            assert_eq!(
                audit_rows(store).await,
                i64::try_from(expected.len()).unwrap()
            );
            assert_eq!(&all[0].entry, expected.last().unwrap());
        }

        let e = admin.entry(
            T0,
            Some(&org.id),
            AuditAction::OrganizationCreated,
            format!("organization:{}", org.id),
            json!({ "name": "Acme" }),
        );
        store.create_organization(&org, &e).await.unwrap();
        check(&store, &mut expected, e).await;

        // The server itself, no peer, no detail.
        let e = Actor::system().entry(
            T0.plus_millis(1),
            Some(&org.id),
            AuditAction::ProjectCreated,
            "project".into(),
            serde_json::Value::Null,
        );
        let project = store
            .create_project(&org.id, "Project", T0.plus_millis(1), &e)
            .await
            .unwrap();
        check(&store, &mut expected, e).await;

        let new = new_credential(&project, 1);
        let e = admin.entry(
            T0.plus_millis(2),
            Some(&org.id),
            AuditAction::CredentialCreated,
            format!("client:{}", new.client_id),
            json!({ "project_id": project.id, "name": new.name, "admin": false,
                    "nested": { "list": [1, 2.5, "three", null, true] } }),
        );
        let credential = store
            .create_credential(&new, "first-secret", &hash(1), T0.plus_millis(2), &e)
            .await
            .unwrap();
        check(&store, &mut expected, e).await;
        let target = format!("credential:{}", credential.id);

        for (i, enabled) in [false, true].into_iter().enumerate() {
            let action = if enabled {
                AuditAction::CredentialEnabled
            } else {
                AuditAction::CredentialDisabled
            };
            let at = T0.plus_millis(10 + i64::try_from(i).unwrap());
            let e = admin.entry(at, Some(&org.id), action, target.clone(), json!({}));
            store
                .set_credential_enabled(credential.id, enabled, at, &e)
                .await
                .unwrap();
            check(&store, &mut expected, e).await;
        }

        let e = admin.entry(
            T0.plus_millis(20),
            Some(&org.id),
            AuditAction::CredentialRenamed,
            target.clone(),
            json!({ "from": "Credential 1", "to": "Renamed ✓" }),
        );
        store
            .rename_credential(credential.id, "Renamed ✓", T0.plus_millis(20), &e)
            .await
            .unwrap();
        check(&store, &mut expected, e).await;

        let e = admin.entry(
            T0.plus_millis(30),
            Some(&org.id),
            AuditAction::CredentialTokensRevoked,
            target.clone(),
            json!({ "before": T0.plus_millis(30).0 }),
        );
        store
            .revoke_credential_tokens(credential.id, T0.plus_millis(30), &e)
            .await
            .unwrap();
        check(&store, &mut expected, e).await;

        let e = admin.entry(
            T0.plus_millis(40),
            Some(&org.id),
            AuditAction::SecretAdded,
            "secret:second".into(),
            json!({ "credential_id": credential.id }),
        );
        store
            .add_secret(credential.id, "second", &hash(2), 2, T0.plus_millis(40), &e)
            .await
            .unwrap();
        check(&store, &mut expected, e).await;

        let e = admin.entry(
            T0.plus_millis(50),
            Some(&org.id),
            AuditAction::SecretDeleted,
            "secret:first-secret".into(),
            json!({ "credential_id": credential.id }),
        );
        store
            .delete_secret(credential.id, "first-secret", &e)
            .await
            .unwrap();
        check(&store, &mut expected, e).await;

        let e = admin.entry(
            T0.plus_millis(60),
            Some(&org.id),
            AuditAction::CredentialDeleted,
            target.clone(),
            json!({ "client_id": credential.client_id.as_str() }),
        );
        store.delete_credential(credential.id, &e).await.unwrap();
        check(&store, &mut expected, e).await;

        // Newest first, with strictly decreasing ids, and every field kept.
        let all = all_audit(&store).await;
        let entries: Vec<AuditEntry> = all.iter().rev().map(|r| r.entry.clone()).collect();
        assert_eq!(entries, expected);
        assert!(all.windows(2).all(|w| w[0].id > w[1].id), "{all:?}");

        // `Value::Null` is stored as the JSON text `null`.
        let detail: String =
            sqlx::query("SELECT detail FROM audit_log WHERE action = 'project.created'")
                .fetch_one(store.pool())
                .await
                .unwrap()
                .try_get("detail")
                .unwrap();
        assert_eq!(detail, "null");
    }

    pub async fn failed_changes_write_no_audit_entry(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        let org = project.org_id.clone();
        let written = audit_rows(&store).await;
        assert_eq!(written, 3, "the fixture's three changes");
        let missing = credential.id + 1000;
        let failing = || {
            Actor {
                name: "should-not-appear".into(),
                peer: Some("198.51.100.1:1".into()),
            }
            .entry(
                T0,
                Some(&org),
                AuditAction::SecretAdded,
                "failed".into(),
                json!({ "failed": true }),
            )
        };

        let duplicate_org = Organization {
            id: org.clone(),
            name: "Again".into(),
            created_at: T0,
        };
        assert!(matches!(
            store.create_organization(&duplicate_org, &failing()).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store.create_project(&org_id(99), "P", T0, &failing()).await,
            Err(StoreError::NotFound)
        ));
        let mut same_client = new_credential(&project, 2);
        same_client.client_id = credential.client_id.clone();
        assert!(matches!(
            store
                .create_credential(&same_client, "s2", &hash(2), T0, &failing())
                .await,
            Err(StoreError::Conflict(_))
        ));
        // The credential insert succeeds, the secret insert fails: all rolled back.
        assert!(matches!(
            store
                .create_credential(
                    &new_credential(&project, 3),
                    "first-secret",
                    &hash(3),
                    T0,
                    &failing()
                )
                .await,
            Err(StoreError::Conflict(_))
        ));
        let mut orphan = new_credential(&project, 4);
        orphan.project_id += 1000;
        assert!(matches!(
            store
                .create_credential(&orphan, "s4", &hash(4), T0, &failing())
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .set_credential_enabled(missing, false, T0, &failing())
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.rename_credential(missing, "x", T0, &failing()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.delete_credential(missing, &failing()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .revoke_credential_tokens(missing, T0, &failing())
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .add_secret(credential.id, "over", &hash(5), 1, T0, &failing())
                .await,
            Err(StoreError::SecretLimitReached)
        ));
        assert!(matches!(
            store
                .add_secret(missing, "nobody", &hash(5), 3, T0, &failing())
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .add_secret(credential.id, "first-secret", &hash(5), 3, T0, &failing())
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store
                .delete_secret(credential.id, "first-secret", &failing())
                .await,
            Err(StoreError::LastSecret)
        ));
        assert!(matches!(
            store
                .delete_secret(credential.id, "no-such-secret", &failing())
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .delete_secret(missing, "first-secret", &failing())
                .await,
            Err(StoreError::NotFound)
        ));

        assert_eq!(audit_rows(&store).await, written);
        assert!(
            all_audit(&store)
                .await
                .iter()
                .all(|r| r.entry.actor != "should-not-appear")
        );
        // And the failed changes left nothing else behind either.
        assert_eq!(
            store.list_credentials(&org).await.unwrap(),
            vec![credential.clone()]
        );
        assert_eq!(store.list_secrets(credential.id).await.unwrap().len(), 1);
        assert_eq!(store.list_projects(&org).await.unwrap(), vec![project]);
    }

    pub async fn list_audit_filters_newest_first(store: SqlStore) {
        let (_, credential) = fixture(&store).await;
        let orgs = [Some(org_id(1)), Some(org_id(2)), None];
        let actors = ["alice", "bob"];
        // Audit entries are written verbatim, so one cheap change can carry any entry.
        for i in 0..40i64 {
            let n = usize::try_from(i).unwrap();
            let entry = AuditEntry {
                at: T0.plus_millis(1000 + i * 10),
                org_id: orgs[n % 3].clone(),
                actor: actors[n % 2].into(),
                // The first ten actions only, so the counts below stay put as actions are added.
                action: AuditAction::ALL[n % 10],
                target: format!("credential:{}", n % 5),
                peer: (n % 4 == 0).then(|| format!("203.0.113.{n}:443")),
                detail: json!({ "i": i }),
            };
            store
                .revoke_credential_tokens(credential.id, T0, &entry)
                .await
                .unwrap();
        }
        let all = all_audit(&store).await;
        assert_eq!(all.len(), 43);
        assert!(all.windows(2).all(|w| w[0].id > w[1].id));
        assert_eq!(all[0].entry.detail, json!({ "i": 39 }));
        assert_eq!(all[39].entry.detail, json!({ "i": 0 }));
        assert_eq!(all[42].entry.action, AuditAction::OrganizationCreated);

        // Every listing must equal the model: filter the full list, keep the first `limit`.
        let check = |filter: AuditFilter| {
            let store = store.clone();
            let all = all.clone();
            async move {
                let limit = usize::try_from(filter.limit).unwrap();
                let want: Vec<AuditRecord> = all
                    .iter()
                    .filter(|r| {
                        let e = &r.entry;
                        filter
                            .org_id
                            .as_ref()
                            .is_none_or(|o| e.org_id.as_ref() == Some(o))
                            && filter.action.is_none_or(|a| e.action == a)
                            && filter.actor.as_ref().is_none_or(|a| &e.actor == a)
                            && filter.target.as_ref().is_none_or(|t| &e.target == t)
                            && filter.since.is_none_or(|t| e.at >= t)
                            && filter.until.is_none_or(|t| e.at < t)
                            && filter.before_id.is_none_or(|id| r.id < id)
                    })
                    .take(if limit == 0 { 100 } else { limit })
                    .cloned()
                    .collect();
                let got = store.list_audit(&filter).await.unwrap();
                assert_eq!(got, want, "{filter:?}");
                got
            }
        };
        let base = AuditFilter {
            limit: 1000,
            ..AuditFilter::default()
        };

        let got = check(AuditFilter {
            org_id: Some(org_id(2)),
            ..base.clone()
        })
        .await;
        assert_eq!(got.len(), 13);
        assert!(
            check(AuditFilter {
                org_id: Some(org_id(77)),
                ..base.clone()
            })
            .await
            .is_empty()
        );
        let got = check(AuditFilter {
            action: Some(AuditAction::SecretAdded),
            ..base.clone()
        })
        .await;
        assert_eq!(got.len(), 4);
        let got = check(AuditFilter {
            action: Some(AuditAction::OrganizationCreated),
            ..base.clone()
        })
        .await;
        assert_eq!(got.len(), 5, "four from the loop, one from the fixture");
        let got = check(AuditFilter {
            actor: Some("bob".into()),
            ..base.clone()
        })
        .await;
        assert_eq!(got.len(), 20);
        let got = check(AuditFilter {
            target: Some("credential:3".into()),
            ..base.clone()
        })
        .await;
        assert_eq!(got.len(), 8);
        // `since` is inclusive, `until` exclusive.
        let got = check(AuditFilter {
            since: Some(T0.plus_millis(1100)),
            until: Some(T0.plus_millis(1200)),
            ..base.clone()
        })
        .await;
        assert_eq!(got.len(), 10);
        assert_eq!(got[0].entry.at, T0.plus_millis(1190));
        assert_eq!(got[9].entry.at, T0.plus_millis(1100));
        let got = check(AuditFilter {
            until: Some(T0.plus_millis(1000)),
            ..base.clone()
        })
        .await;
        assert_eq!(got.len(), 3, "only the fixture's entries");
        // Everything at once.
        let got = check(AuditFilter {
            org_id: Some(org_id(1)),
            action: Some(AuditAction::ALL[6]),
            actor: Some("alice".into()),
            target: Some("credential:1".into()),
            since: Some(T0.plus_millis(1100)),
            until: Some(T0.plus_millis(2000)),
            before_id: Some(all[0].id + 1),
            limit: 10,
        })
        .await;
        assert_eq!(got.len(), 1, "only i = 36");
        assert_eq!(got[0].entry.detail, json!({ "i": 36 }));
        assert_eq!(got[0].entry.peer.as_deref(), Some("203.0.113.36:443"));

        // Paging: each page starts below the last id of the previous one.
        for filter in [
            AuditFilter::default(),
            AuditFilter {
                actor: Some("alice".into()),
                ..AuditFilter::default()
            },
        ] {
            let mut pages = Vec::new();
            let mut before_id = None;
            loop {
                let page = check(AuditFilter {
                    before_id,
                    limit: 7,
                    ..filter.clone()
                })
                .await;
                if page.is_empty() {
                    break;
                }
                assert!(page.len() <= 7);
                before_id = Some(page.last().unwrap().id);
                pages.extend(page);
            }
            assert_eq!(
                pages,
                check(AuditFilter {
                    limit: 1000,
                    ..filter
                })
                .await
            );
        }

        // Limits: 0 means the default; the first entries are the newest.
        assert_eq!(check(AuditFilter::default()).await.len(), 43);
        let got = check(AuditFilter {
            limit: 2,
            ..AuditFilter::default()
        })
        .await;
        assert_eq!(got, all[..2].to_vec());
    }

    pub async fn list_audit_limits_and_corrupt_rows(store: SqlStore) {
        // Many rows at once, straight into the table.
        let mut tx = store.pool().begin().await.unwrap();
        for i in 0..1005i64 {
            sqlx::query(
                "INSERT INTO audit_log (at, org_id, actor, action, target, peer, detail) \
                 VALUES ($1, NULL, 'system', 'project.created', 'project', NULL, 'null')",
            )
            .bind(i)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let list = |limit: u32| {
            let store = store.clone();
            async move {
                store
                    .list_audit(&AuditFilter {
                        limit,
                        ..AuditFilter::default()
                    })
                    .await
                    .unwrap()
            }
        };
        assert_eq!(list(0).await.len(), 100);
        assert_eq!(list(1).await.len(), 1);
        assert_eq!(list(999).await.len(), 999);
        assert_eq!(list(1000).await.len(), 1000);
        assert_eq!(list(1001).await.len(), 1000);
        assert_eq!(list(u32::MAX).await.len(), 1000);
        let newest = list(1).await;
        assert_eq!(newest[0].entry.at, UnixMillis(1004));
        assert_eq!(newest[0].entry.detail, serde_json::Value::Null);
        assert_eq!(newest[0].entry.org_id, None);

        // An unknown action, or a detail that is not JSON, is corruption.
        for (action, detail) in [("credential.exploded", "{}"), ("project.created", "{oops")] {
            sqlx::query(
                "INSERT INTO audit_log (at, org_id, actor, action, target, peer, detail) \
                 VALUES (2000, NULL, 'system', $1, 'x', NULL, $2)",
            )
            .bind(action)
            .bind(detail)
            .execute(store.pool())
            .await
            .unwrap();
            assert!(matches!(
                store.list_audit(&AuditFilter::default()).await,
                Err(StoreError::Corrupt(_))
            ));
            sqlx::query("DELETE FROM audit_log WHERE at = 2000")
                .execute(store.pool())
                .await
                .unwrap();
        }
        assert_eq!(list(1).await, newest);
    }

    pub async fn rename_and_delete_credentials(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        let other = store
            .create_credential(
                &new_credential(&project, 2),
                "other-1",
                &hash(5),
                T0.plus_millis(3),
                &note(AuditAction::CredentialCreated),
            )
            .await
            .unwrap();

        store
            .rename_credential(
                credential.id,
                "New name — ünïcode",
                T0.plus_millis(10),
                &note(AuditAction::CredentialRenamed),
            )
            .await
            .unwrap();
        let renamed = store.get_credential(credential.id).await.unwrap().unwrap();
        assert_eq!(
            renamed,
            Credential {
                name: "New name — ünïcode".into(),
                ..credential.clone()
            }
        );
        assert_eq!(
            store.get_credential(other.id).await.unwrap(),
            Some(other.clone())
        );
        assert!(matches!(
            store
                .rename_credential(
                    credential.id + 1000,
                    "x",
                    T0,
                    &note(AuditAction::CredentialRenamed)
                )
                .await,
            Err(StoreError::NotFound)
        ));

        store
            .add_secret(
                credential.id,
                "second",
                &hash(2),
                3,
                T0.plus_millis(20),
                &note(AuditAction::SecretAdded),
            )
            .await
            .unwrap();
        store
            .delete_credential(credential.id, &note(AuditAction::CredentialDeleted))
            .await
            .unwrap();
        assert_eq!(store.get_credential(credential.id).await.unwrap(), None);
        assert!(
            store
                .find_credential_for_auth(&credential.client_id)
                .await
                .unwrap()
                .is_none()
        );
        assert!(store.list_secrets(credential.id).await.unwrap().is_empty());
        let left: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM client_secrets WHERE uuid IN ('first-secret', 'second')",
        )
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
        assert_eq!(left, 0, "the secrets are gone, not just hidden");
        assert_eq!(
            store.list_credentials(&project.org_id).await.unwrap(),
            vec![other.clone()]
        );
        // The other credential and its secret are untouched.
        let (found, secrets) = store
            .find_credential_for_auth(&other.client_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found, other);
        assert_eq!(secrets.len(), 1);

        // Gone means gone for every call.
        assert!(matches!(
            store
                .delete_credential(credential.id, &note(AuditAction::CredentialDeleted))
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .rename_credential(
                    credential.id,
                    "x",
                    T0,
                    &note(AuditAction::CredentialRenamed)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .add_secret(
                    credential.id,
                    "third",
                    &hash(3),
                    3,
                    T0,
                    &note(AuditAction::SecretAdded)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        // Its secret uuids are free again.
        store
            .add_secret(
                other.id,
                "second",
                &hash(2),
                3,
                T0.plus_millis(30),
                &note(AuditAction::SecretAdded),
            )
            .await
            .unwrap();
    }

    pub async fn list_projects_oldest_first(store: SqlStore) {
        let a = Organization {
            id: org_id(0xA),
            name: "A".into(),
            created_at: T0,
        };
        let b = Organization {
            id: org_id(0xB),
            name: "B".into(),
            created_at: T0,
        };
        for org in [&a, &b] {
            store
                .create_organization(org, &note(AuditAction::OrganizationCreated))
                .await
                .unwrap();
        }
        assert!(store.list_projects(&a.id).await.unwrap().is_empty());
        // Created out of order: listing is by creation time.
        let mut made = Vec::new();
        for (name, at) in [("late", 30), ("early", 10), ("middle", 20)] {
            made.push(
                store
                    .create_project(
                        &a.id,
                        name,
                        T0.plus_millis(at),
                        &note(AuditAction::ProjectCreated),
                    )
                    .await
                    .unwrap(),
            );
        }
        let in_b = store
            .create_project(&b.id, "b", T0, &note(AuditAction::ProjectCreated))
            .await
            .unwrap();
        assert_eq!(
            store.list_projects(&a.id).await.unwrap(),
            vec![made[1].clone(), made[2].clone(), made[0].clone()]
        );
        assert_eq!(store.list_projects(&b.id).await.unwrap(), vec![in_b]);
        assert!(store.list_projects(&org_id(0xC)).await.unwrap().is_empty());
    }

    pub async fn admin_flag_round_trips(store: SqlStore) {
        let (project, plain) = fixture(&store).await;
        assert!(!plain.admin);
        let mut new = new_credential(&project, 2);
        new.admin = true;
        let admin = store
            .create_credential(
                &new,
                "admin-secret",
                &hash(2),
                T0.plus_millis(5),
                &note(AuditAction::CredentialCreated),
            )
            .await
            .unwrap();
        assert!(admin.admin);
        assert_eq!(
            store.get_credential(admin.id).await.unwrap(),
            Some(admin.clone())
        );
        assert_eq!(
            store.get_credential(plain.id).await.unwrap(),
            Some(plain.clone())
        );
        assert_eq!(
            store.list_credentials(&project.org_id).await.unwrap(),
            vec![plain.clone(), admin.clone()]
        );
        let (found, _) = store
            .find_credential_for_auth(&admin.client_id)
            .await
            .unwrap()
            .unwrap();
        assert!(found.admin);
        let (found, _) = store
            .find_credential_for_auth(&plain.client_id)
            .await
            .unwrap()
            .unwrap();
        assert!(!found.admin);
        // Other changes keep the flag.
        store
            .set_credential_enabled(
                admin.id,
                false,
                T0.plus_millis(6),
                &note(AuditAction::CredentialDisabled),
            )
            .await
            .unwrap();
        store
            .rename_credential(
                admin.id,
                "Still admin",
                T0.plus_millis(7),
                &note(AuditAction::CredentialRenamed),
            )
            .await
            .unwrap();
        let read = store.get_credential(admin.id).await.unwrap().unwrap();
        assert!(read.admin);
        assert!(!read.enabled);
    }

    // ----- Products, profiles and assignments ([`ProductStore`]) -----

    /// The services, in an order that is not sorted.
    const ASSETS_USERS: &str = "AEM Assets API Users";
    const ADMINISTRATORS: &str = "AEM Administrators";
    const USERS: &str = "AEM Users";

    fn new_product(org: &OrgId, program_id: i64, environment_id: i64) -> NewProduct {
        NewProduct {
            org_id: org.clone(),
            name: format!("Program {program_id} / Environment {environment_id}"),
            program_id,
            environment_id,
            tiers: vec![Tier::Author, Tier::Publish],
            env_type: EnvType::Stage,
        }
    }

    fn new_profile(product_id: i64, name: &str, tier: Tier, services: &[&str]) -> NewProfile {
        NewProfile {
            product_id,
            name: name.into(),
            tier,
            services: services.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    async fn add_product(store: &SqlStore, new: &NewProduct, at: UnixMillis) -> Product {
        store
            .create_product(new, at, &note(AuditAction::ProductCreated))
            .await
            .unwrap()
    }

    async fn add_profile(store: &SqlStore, new: &NewProfile, at: UnixMillis) -> ProductProfile {
        store
            .create_profile(new, at, &note(AuditAction::ProfileCreated))
            .await
            .unwrap()
    }

    async fn assign(store: &SqlStore, credential_id: i64, profile_id: i64) {
        store
            .assign_profile(
                credential_id,
                profile_id,
                &note(AuditAction::ProfileAssigned),
            )
            .await
            .unwrap();
    }

    /// Rows of `profile_assignments`, counted directly.
    async fn assignment_rows(store: &SqlStore) -> i64 {
        sqlx::query("SELECT COUNT(*) AS n FROM profile_assignments")
            .fetch_one(store.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap()
    }

    /// Rows of `product_profiles`, counted directly.
    async fn profile_rows(store: &SqlStore) -> i64 {
        sqlx::query("SELECT COUNT(*) AS n FROM product_profiles")
            .fetch_one(store.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap()
    }

    pub async fn products_round_trip(store: SqlStore) {
        let (project, _) = fixture(&store).await;
        let org = project.org_id.clone();
        let other_org = Organization {
            id: org_id(2),
            name: "Other".into(),
            created_at: T0,
        };
        store
            .create_organization(&other_org, &note(AuditAction::OrganizationCreated))
            .await
            .unwrap();

        // Tiers out of order and repeated come back in canonical order, once each; ids beyond
        // 32 bits survive.
        let mut all_tiers = new_product(&org, 9_000_000_000, 9_000_000_001);
        all_tiers.name = "Prod — ünïcode".into();
        all_tiers.tiers = vec![Tier::Preview, Tier::Author, Tier::Publish, Tier::Author];
        let later = add_product(&store, &all_tiers, T0.plus_millis(20)).await;
        assert_eq!(later.org_id, org);
        assert_eq!(later.name, "Prod — ünïcode");
        assert_eq!(later.program_id, 9_000_000_000);
        assert_eq!(later.environment_id, 9_000_000_001);
        assert_eq!(later.tiers, [Tier::Author, Tier::Publish, Tier::Preview]);
        assert_eq!(later.created_at, T0.plus_millis(20));
        assert_eq!(
            store.get_product(later.id).await.unwrap(),
            Some(later.clone())
        );

        // Created later but with an earlier time: listing is oldest first.
        let mut publish_only = new_product(&org, 1, 2);
        publish_only.tiers = vec![Tier::Publish];
        let earlier = add_product(&store, &publish_only, T0.plus_millis(10)).await;
        assert_ne!(earlier.id, later.id);
        assert_eq!(earlier.tiers, [Tier::Publish]);
        let mut no_tiers = new_product(&org, 1, 3);
        no_tiers.tiers = Vec::new();
        let bare = add_product(&store, &no_tiers, T0.plus_millis(30)).await;
        assert!(bare.tiers.is_empty());
        assert_eq!(
            store.get_product(bare.id).await.unwrap(),
            Some(bare.clone())
        );

        assert_eq!(
            store.list_products(&org).await.unwrap(),
            vec![earlier.clone(), later.clone(), bare.clone()]
        );
        assert!(store.list_products(&other_org.id).await.unwrap().is_empty());
        assert!(store.list_products(&org_id(99)).await.unwrap().is_empty());
        assert_eq!(store.get_product(bare.id + 1000).await.unwrap(), None);

        // The stored form: comma-joined names in canonical order.
        let tiers: String = sqlx::query("SELECT tiers FROM products WHERE id = $1")
            .bind(later.id)
            .fetch_one(store.pool())
            .await
            .unwrap()
            .try_get("tiers")
            .unwrap();
        assert_eq!(tiers, "author,publish,preview");

        assert!(matches!(
            store
                .create_product(
                    &new_product(&org_id(99), 5, 6),
                    T0,
                    &note(AuditAction::ProductCreated)
                )
                .await,
            Err(StoreError::NotFound)
        ));
    }

    pub async fn duplicate_product_environment_is_a_conflict(store: SqlStore) {
        let (project, _) = fixture(&store).await;
        let org = project.org_id.clone();
        let other_org = Organization {
            id: org_id(2),
            name: "Other".into(),
            created_at: T0,
        };
        store
            .create_organization(&other_org, &note(AuditAction::OrganizationCreated))
            .await
            .unwrap();
        let first = add_product(&store, &new_product(&org, 1, 2), T0).await;

        let mut again = new_product(&org, 1, 2);
        again.name = "Another name".into();
        again.tiers = vec![Tier::Preview];
        match store
            .create_product(&again, T0, &note(AuditAction::ProductCreated))
            .await
        {
            Err(StoreError::Conflict(what)) => {
                assert_eq!(what, "product for this program and environment");
            }
            other => panic!("expected Conflict, got {other:?}"),
        }
        // Another environment of the program, or the same one in another organization, is fine.
        let other_env = add_product(&store, &new_product(&org, 1, 3), T0).await;
        let other_program = add_product(&store, &new_product(&org, 2, 2), T0).await;
        let elsewhere = add_product(&store, &new_product(&other_org.id, 1, 2), T0).await;
        assert_eq!(
            store.list_products(&org).await.unwrap(),
            vec![first, other_env, other_program]
        );
        assert_eq!(
            store.list_products(&other_org.id).await.unwrap(),
            vec![elsewhere]
        );
    }

    pub async fn profiles_round_trip(store: SqlStore) {
        let (project, _) = fixture(&store).await;
        let org = project.org_id.clone();
        let product = add_product(&store, &new_product(&org, 1, 2), T0).await;
        let other = add_product(&store, &new_product(&org, 1, 3), T0).await;

        // Services unsorted and repeated come back sorted, once each.
        let created = add_profile(
            &store,
            &new_profile(
                product.id,
                "AEM Users - author - Program 1 - Environment 2",
                Tier::Author,
                &[USERS, ASSETS_USERS, ADMINISTRATORS, USERS],
            ),
            T0.plus_millis(20),
        )
        .await;
        assert_eq!(created.product_id, product.id);
        assert_eq!(created.org_id, org, "the product's organization");
        assert_eq!(
            created.name,
            "AEM Users - author - Program 1 - Environment 2"
        );
        assert_eq!(created.tier, Tier::Author);
        assert_eq!(created.services, [ADMINISTRATORS, ASSETS_USERS, USERS]);
        assert_eq!(created.created_at, T0.plus_millis(20));
        assert_eq!(
            store.get_profile(created.id).await.unwrap(),
            Some(created.clone())
        );

        // Earlier time: listed first. No services is a valid (empty) list.
        let empty = add_profile(
            &store,
            &new_profile(product.id, "Empty — ünïcode", Tier::Preview, &[]),
            T0.plus_millis(10),
        )
        .await;
        assert!(empty.services.is_empty());
        assert_eq!(
            store.get_profile(empty.id).await.unwrap(),
            Some(empty.clone())
        );
        let publish = add_profile(
            &store,
            &new_profile(product.id, "Publish", Tier::Publish, &[USERS]),
            T0.plus_millis(30),
        )
        .await;
        assert_eq!(publish.tier, Tier::Publish);
        assert_eq!(
            store.list_profiles(product.id).await.unwrap(),
            vec![empty.clone(), created.clone(), publish.clone()]
        );
        assert!(store.list_profiles(other.id).await.unwrap().is_empty());
        assert!(
            store
                .list_profiles(product.id + 1000)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.get_profile(publish.id + 1000).await.unwrap(), None);

        // A name is unique per product only.
        match store
            .create_profile(
                &new_profile(product.id, "Publish", Tier::Author, &[ASSETS_USERS]),
                T0,
                &note(AuditAction::ProfileCreated),
            )
            .await
        {
            Err(StoreError::Conflict(what)) => assert_eq!(what, "profile name"),
            other => panic!("expected Conflict, got {other:?}"),
        }
        let same_name = add_profile(
            &store,
            &new_profile(other.id, "Publish", Tier::Publish, &[USERS]),
            T0,
        )
        .await;
        assert_eq!(
            store.list_profiles(other.id).await.unwrap(),
            vec![same_name]
        );
        assert!(matches!(
            store
                .create_profile(
                    &new_profile(other.id + 1000, "Orphan", Tier::Author, &[USERS]),
                    T0,
                    &note(AuditAction::ProfileCreated)
                )
                .await,
            Err(StoreError::NotFound)
        ));

        // Replacing the services: sorted, once each, nothing else changes.
        store
            .set_profile_services(
                created.id,
                &[USERS.to_owned(), ASSETS_USERS.to_owned(), USERS.to_owned()],
                &note(AuditAction::ProfileServicesChanged),
            )
            .await
            .unwrap();
        assert_eq!(
            store.get_profile(created.id).await.unwrap(),
            Some(ProductProfile {
                services: vec![ASSETS_USERS.to_owned(), USERS.to_owned()],
                ..created.clone()
            })
        );
        store
            .set_profile_services(created.id, &[], &note(AuditAction::ProfileServicesChanged))
            .await
            .unwrap();
        assert!(
            store
                .get_profile(created.id)
                .await
                .unwrap()
                .unwrap()
                .services
                .is_empty()
        );
        assert!(matches!(
            store
                .set_profile_services(
                    publish.id + 1000,
                    &[USERS.to_owned()],
                    &note(AuditAction::ProfileServicesChanged)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            store.get_profile(publish.id).await.unwrap(),
            Some(publish.clone()),
            "other profiles untouched"
        );

        // Deleting.
        store
            .delete_profile(empty.id, &note(AuditAction::ProfileDeleted))
            .await
            .unwrap();
        assert_eq!(store.get_profile(empty.id).await.unwrap(), None);
        assert!(matches!(
            store
                .delete_profile(empty.id, &note(AuditAction::ProfileDeleted))
                .await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(store.list_profiles(product.id).await.unwrap().len(), 2);
    }

    pub async fn assignments_are_idempotent_and_ordered(store: SqlStore) {
        let (project, first) = fixture(&store).await;
        let org = project.org_id.clone();
        let second = store
            .create_credential(
                &new_credential(&project, 2),
                "second-secret",
                &hash(2),
                T0.plus_millis(3),
                &note(AuditAction::CredentialCreated),
            )
            .await
            .unwrap();
        let product = add_product(&store, &new_product(&org, 1, 2), T0).await;
        let newer = add_profile(
            &store,
            &new_profile(product.id, "Newer", Tier::Author, &[USERS]),
            T0.plus_millis(20),
        )
        .await;
        let older = add_profile(
            &store,
            &new_profile(product.id, "Older", Tier::Publish, &[ASSETS_USERS]),
            T0.plus_millis(10),
        )
        .await;
        let unused = add_profile(
            &store,
            &new_profile(product.id, "Unused", Tier::Preview, &[]),
            T0.plus_millis(30),
        )
        .await;

        // Assigned newest profile first and the later credential first: listings still order
        // profiles oldest first and credentials by ascending id.
        assign(&store, second.id, newer.id).await;
        assign(&store, first.id, newer.id).await;
        assign(&store, first.id, older.id).await;
        assert_eq!(
            store.credential_profiles(first.id).await.unwrap(),
            vec![older.clone(), newer.clone()]
        );
        assert_eq!(
            store.credential_profiles(second.id).await.unwrap(),
            vec![newer.clone()]
        );
        assert_eq!(
            store.profile_credentials(newer.id).await.unwrap(),
            vec![first.id, second.id]
        );
        assert_eq!(
            store.profile_credentials(older.id).await.unwrap(),
            vec![first.id]
        );
        assert!(
            store
                .profile_credentials(unused.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .profile_credentials(unused.id + 1000)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .credential_profiles(second.id + 1000)
                .await
                .unwrap()
                .is_empty()
        );

        // Assigning again changes nothing and records nothing.
        let written = audit_rows(&store).await;
        assign(&store, first.id, newer.id).await;
        assert_eq!(audit_rows(&store).await, written);
        assert_eq!(assignment_rows(&store).await, 3);
        assert_eq!(
            store.profile_credentials(newer.id).await.unwrap(),
            vec![first.id, second.id]
        );

        // Missing credential or profile.
        for (credential_id, profile_id) in [
            (second.id + 1000, newer.id),
            (first.id, unused.id + 1000),
            (second.id + 1000, unused.id + 1000),
        ] {
            assert!(matches!(
                store
                    .assign_profile(
                        credential_id,
                        profile_id,
                        &note(AuditAction::ProfileAssigned)
                    )
                    .await,
                Err(StoreError::NotFound)
            ));
        }

        // Unassigning: once, then NotFound; unrelated pairs are NotFound too.
        store
            .unassign_profile(first.id, newer.id, &note(AuditAction::ProfileUnassigned))
            .await
            .unwrap();
        assert_eq!(
            store.profile_credentials(newer.id).await.unwrap(),
            vec![second.id]
        );
        assert_eq!(
            store.credential_profiles(first.id).await.unwrap(),
            vec![older.clone()]
        );
        for (credential_id, profile_id) in [
            (first.id, newer.id),
            (first.id, unused.id),
            (second.id + 1000, newer.id),
            (first.id, unused.id + 1000),
        ] {
            assert!(matches!(
                store
                    .unassign_profile(
                        credential_id,
                        profile_id,
                        &note(AuditAction::ProfileUnassigned)
                    )
                    .await,
                Err(StoreError::NotFound)
            ));
        }
        assert_eq!(assignment_rows(&store).await, 2);

        // Deleting a profile removes its assignments, not the credentials.
        store
            .delete_profile(newer.id, &note(AuditAction::ProfileDeleted))
            .await
            .unwrap();
        assert!(
            store
                .profile_credentials(newer.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .credential_profiles(second.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(assignment_rows(&store).await, 1);
        assert_eq!(store.get_credential(second.id).await.unwrap(), Some(second));
    }

    pub async fn concurrent_assigns_insert_and_record_once(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        let product = add_product(&store, &new_product(&project.org_id, 1, 2), T0).await;
        let profile = add_profile(
            &store,
            &new_profile(product.id, "Users", Tier::Author, &[USERS]),
            T0,
        )
        .await;
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let store = store.clone();
            let (credential_id, profile_id) = (credential.id, profile.id);
            tasks.push(tokio::spawn(async move {
                store
                    .assign_profile(
                        credential_id,
                        profile_id,
                        &note(AuditAction::ProfileAssigned),
                    )
                    .await
            }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(assignment_rows(&store).await, 1);
        let recorded = store
            .list_audit(&AuditFilter {
                action: Some(AuditAction::ProfileAssigned),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(recorded.len(), 1, "only the call that inserted records");
    }

    pub async fn deleting_a_product_removes_its_profiles_and_assignments(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        let org = project.org_id.clone();
        let doomed = add_product(&store, &new_product(&org, 1, 2), T0).await;
        let kept = add_product(&store, &new_product(&org, 1, 3), T0).await;
        let a = add_profile(
            &store,
            &new_profile(doomed.id, "A", Tier::Author, &[USERS]),
            T0,
        )
        .await;
        let b = add_profile(
            &store,
            &new_profile(doomed.id, "B", Tier::Publish, &[USERS]),
            T0,
        )
        .await;
        let c = add_profile(
            &store,
            &new_profile(kept.id, "C", Tier::Author, &[USERS]),
            T0,
        )
        .await;
        for profile in [&a, &b, &c] {
            assign(&store, credential.id, profile.id).await;
        }

        store
            .delete_product(doomed.id, &note(AuditAction::ProductDeleted))
            .await
            .unwrap();
        assert_eq!(store.get_product(doomed.id).await.unwrap(), None);
        assert_eq!(store.list_products(&org).await.unwrap(), vec![kept.clone()]);
        assert!(store.list_profiles(doomed.id).await.unwrap().is_empty());
        assert_eq!(store.get_profile(a.id).await.unwrap(), None);
        assert_eq!(store.get_profile(b.id).await.unwrap(), None);
        assert!(store.profile_credentials(a.id).await.unwrap().is_empty());
        assert_eq!(profile_rows(&store).await, 1);
        assert_eq!(assignment_rows(&store).await, 1);
        // The other product, its profile and assignment, and the credential are intact.
        assert_eq!(store.list_profiles(kept.id).await.unwrap(), vec![c.clone()]);
        assert_eq!(
            store.credential_profiles(credential.id).await.unwrap(),
            vec![c.clone()]
        );
        assert_eq!(
            store.get_credential(credential.id).await.unwrap(),
            Some(credential.clone())
        );
        assert_eq!(store.list_secrets(credential.id).await.unwrap().len(), 1);

        assert!(matches!(
            store
                .delete_product(doomed.id, &note(AuditAction::ProductDeleted))
                .await,
            Err(StoreError::NotFound)
        ));
        // The (org, program, environment) is free again.
        add_product(&store, &new_product(&org, 1, 2), T0).await;
    }

    pub async fn deleting_a_credential_removes_its_assignments(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        let org = project.org_id.clone();
        let other = store
            .create_credential(
                &new_credential(&project, 2),
                "other-secret",
                &hash(2),
                T0,
                &note(AuditAction::CredentialCreated),
            )
            .await
            .unwrap();
        let product = add_product(&store, &new_product(&org, 1, 2), T0).await;
        let a = add_profile(
            &store,
            &new_profile(product.id, "A", Tier::Author, &[USERS]),
            T0,
        )
        .await;
        let b = add_profile(
            &store,
            &new_profile(product.id, "B", Tier::Author, &[USERS]),
            T0,
        )
        .await;
        assign(&store, credential.id, a.id).await;
        assign(&store, credential.id, b.id).await;
        assign(&store, other.id, a.id).await;

        store
            .delete_credential(credential.id, &note(AuditAction::CredentialDeleted))
            .await
            .unwrap();
        assert_eq!(assignment_rows(&store).await, 1);
        assert!(
            store
                .credential_profiles(credential.id)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.profile_credentials(a.id).await.unwrap(),
            vec![other.id]
        );
        assert!(store.profile_credentials(b.id).await.unwrap().is_empty());
        // The profiles stay.
        assert_eq!(
            store.list_profiles(product.id).await.unwrap(),
            vec![a.clone(), b.clone()]
        );
        assert!(matches!(
            store
                .assign_profile(credential.id, a.id, &note(AuditAction::ProfileAssigned))
                .await,
            Err(StoreError::NotFound)
        ));
    }

    pub async fn every_product_change_writes_exactly_one_audit_entry(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        let org = project.org_id.clone();
        let admin = Actor {
            name: "0123456789abcdef0123456789abcdef".into(),
            peer: Some("192.0.2.7:51234".into()),
        };
        let mut expected: Vec<AuditEntry> = all_audit(&store)
            .await
            .into_iter()
            .rev()
            .map(|r| r.entry)
            .collect();
        assert_eq!(expected.len(), 3, "the fixture's three changes");

        // Checks that the last call added exactly `entry`, as the newest record.
        async fn check(store: &SqlStore, expected: &mut Vec<AuditEntry>, entry: AuditEntry) {
            expected.push(entry);
            let all = all_audit(store).await;
            assert_eq!(
                audit_rows(store).await,
                i64::try_from(expected.len()).unwrap()
            );
            assert_eq!(&all[0].entry, expected.last().unwrap());
        }

        let e = admin.entry(
            T0.plus_millis(10),
            Some(&org),
            AuditAction::ProductCreated,
            "product:1-2".into(),
            json!({ "program_id": 1, "environment_id": 2 }),
        );
        let product = store
            .create_product(&new_product(&org, 1, 2), T0.plus_millis(10), &e)
            .await
            .unwrap();
        check(&store, &mut expected, e).await;

        let e = admin.entry(
            T0.plus_millis(11),
            Some(&org),
            AuditAction::ProfileCreated,
            "profile:Users".into(),
            json!({ "product_id": product.id, "services": [USERS] }),
        );
        let profile = store
            .create_profile(
                &new_profile(product.id, "Users", Tier::Author, &[USERS]),
                T0.plus_millis(11),
                &e,
            )
            .await
            .unwrap();
        check(&store, &mut expected, e).await;
        let target = format!("profile:{}", profile.id);

        let e = admin.entry(
            T0.plus_millis(12),
            Some(&org),
            AuditAction::ProfileServicesChanged,
            target.clone(),
            json!({ "services": [ASSETS_USERS, USERS] }),
        );
        store
            .set_profile_services(profile.id, &[ASSETS_USERS.to_owned(), USERS.to_owned()], &e)
            .await
            .unwrap();
        check(&store, &mut expected, e).await;

        let e = admin.entry(
            T0.plus_millis(13),
            Some(&org),
            AuditAction::ProfileAssigned,
            target.clone(),
            json!({ "credential_id": credential.id }),
        );
        store
            .assign_profile(credential.id, profile.id, &e)
            .await
            .unwrap();
        check(&store, &mut expected, e).await;
        // Again: already assigned, so nothing changes and nothing is recorded.
        let repeat = admin.entry(
            T0.plus_millis(14),
            Some(&org),
            AuditAction::ProfileAssigned,
            "repeat".into(),
            json!({}),
        );
        store
            .assign_profile(credential.id, profile.id, &repeat)
            .await
            .unwrap();
        assert_eq!(
            audit_rows(&store).await,
            i64::try_from(expected.len()).unwrap()
        );

        let e = admin.entry(
            T0.plus_millis(15),
            Some(&org),
            AuditAction::ProfileUnassigned,
            target.clone(),
            json!({ "credential_id": credential.id }),
        );
        store
            .unassign_profile(credential.id, profile.id, &e)
            .await
            .unwrap();
        check(&store, &mut expected, e).await;

        let e = admin.entry(
            T0.plus_millis(16),
            Some(&org),
            AuditAction::ProfileDeleted,
            target.clone(),
            json!({ "name": "Users" }),
        );
        store.delete_profile(profile.id, &e).await.unwrap();
        check(&store, &mut expected, e).await;

        let e = admin.entry(
            T0.plus_millis(17),
            Some(&org),
            AuditAction::ProductDeleted,
            format!("product:{}", product.id),
            serde_json::Value::Null,
        );
        store.delete_product(product.id, &e).await.unwrap();
        check(&store, &mut expected, e).await;

        let all = all_audit(&store).await;
        let entries: Vec<AuditEntry> = all.iter().rev().map(|r| r.entry.clone()).collect();
        assert_eq!(entries, expected);
        assert!(all.iter().all(|r| r.entry.target != "repeat"));
        for action in [
            AuditAction::ProductCreated,
            AuditAction::ProductDeleted,
            AuditAction::ProfileCreated,
            AuditAction::ProfileServicesChanged,
            AuditAction::ProfileDeleted,
            AuditAction::ProfileAssigned,
            AuditAction::ProfileUnassigned,
        ] {
            let found = store
                .list_audit(&AuditFilter {
                    action: Some(action),
                    ..AuditFilter::default()
                })
                .await
                .unwrap();
            assert_eq!(found.len(), 1, "{action:?}");
        }
    }

    pub async fn failed_product_changes_write_no_audit_entry(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        let org = project.org_id.clone();
        let product = add_product(&store, &new_product(&org, 1, 2), T0).await;
        let profile = add_profile(
            &store,
            &new_profile(product.id, "Users", Tier::Author, &[USERS]),
            T0,
        )
        .await;
        let written = audit_rows(&store).await;
        assert_eq!(written, 5);
        let failing = |action| {
            Actor {
                name: "should-not-appear".into(),
                peer: Some("198.51.100.1:1".into()),
            }
            .entry(
                T0,
                Some(&org),
                action,
                "failed".into(),
                json!({ "failed": true }),
            )
        };
        let missing_product = product.id + 1000;
        let missing_profile = profile.id + 1000;
        let missing_credential = credential.id + 1000;

        assert!(matches!(
            store
                .create_product(
                    &new_product(&org, 1, 2),
                    T0,
                    &failing(AuditAction::ProductCreated)
                )
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store
                .create_product(
                    &new_product(&org_id(99), 1, 2),
                    T0,
                    &failing(AuditAction::ProductCreated)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .delete_product(missing_product, &failing(AuditAction::ProductDeleted))
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .create_profile(
                    &new_profile(product.id, "Users", Tier::Publish, &[]),
                    T0,
                    &failing(AuditAction::ProfileCreated)
                )
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store
                .create_profile(
                    &new_profile(missing_product, "Users", Tier::Publish, &[]),
                    T0,
                    &failing(AuditAction::ProfileCreated)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .set_profile_services(
                    missing_profile,
                    &[USERS.to_owned()],
                    &failing(AuditAction::ProfileServicesChanged)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .delete_profile(missing_profile, &failing(AuditAction::ProfileDeleted))
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .assign_profile(
                    missing_credential,
                    profile.id,
                    &failing(AuditAction::ProfileAssigned)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .assign_profile(
                    credential.id,
                    missing_profile,
                    &failing(AuditAction::ProfileAssigned)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .unassign_profile(
                    credential.id,
                    profile.id,
                    &failing(AuditAction::ProfileUnassigned)
                )
                .await,
            Err(StoreError::NotFound)
        ));

        assert_eq!(audit_rows(&store).await, written);
        assert!(
            all_audit(&store)
                .await
                .iter()
                .all(|r| r.entry.actor != "should-not-appear")
        );
        // And the failed changes left nothing else behind either.
        assert_eq!(
            store.list_products(&org).await.unwrap(),
            vec![product.clone()]
        );
        assert_eq!(
            store.list_profiles(product.id).await.unwrap(),
            vec![profile.clone()]
        );
        assert_eq!(assignment_rows(&store).await, 0);
    }

    pub async fn corrupt_product_rows_are_reported(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        let org = project.org_id.clone();
        let product = add_product(&store, &new_product(&org, 1, 2), T0).await;
        let profile = add_profile(
            &store,
            &new_profile(product.id, "Users", Tier::Author, &[USERS]),
            T0,
        )
        .await;
        assign(&store, credential.id, profile.id).await;

        let set = |statement: &'static str| {
            let pool = store.pool().clone();
            async move {
                sqlx::query(statement).execute(&pool).await.unwrap();
            }
        };

        set("UPDATE products SET tiers = 'author,backstage'").await;
        assert!(matches!(
            store.get_product(product.id).await,
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            store.list_products(&org).await,
            Err(StoreError::Corrupt(_))
        ));
        // Stored out of order: read back in canonical order.
        set("UPDATE products SET tiers = 'preview,author'").await;
        assert_eq!(
            store.get_product(product.id).await.unwrap().unwrap().tiers,
            [Tier::Author, Tier::Preview]
        );

        set("UPDATE product_profiles SET tier = 'Author'").await;
        assert!(matches!(
            store.get_profile(profile.id).await,
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            store.list_profiles(product.id).await,
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            store.credential_profiles(credential.id).await,
            Err(StoreError::Corrupt(_))
        ));
        set("UPDATE product_profiles SET tier = 'publish', services = 'AEM Users'").await;
        assert!(matches!(
            store.get_profile(profile.id).await,
            Err(StoreError::Corrupt(_))
        ));
        set("UPDATE product_profiles SET services = '[\"b\", 1]'").await;
        assert!(matches!(
            store.get_profile(profile.id).await,
            Err(StoreError::Corrupt(_))
        ));
        // Stored unsorted: read back sorted.
        set("UPDATE product_profiles SET services = '[\"b\", \"a\"]'").await;
        let read = store.get_profile(profile.id).await.unwrap().unwrap();
        assert_eq!(read.tier, Tier::Publish);
        assert_eq!(read.services, ["a", "b"]);
    }
}

/// What only SQLite has: a file that must survive restarts, and per-connection pragmas.
mod sqlite_only {
    use latchkey_core::audit::{Actor, AuditAction, AuditFilter};
    use latchkey_core::credentials::Organization;
    use latchkey_core::ids::OrgId;
    use latchkey_core::keys::{KeyState, SigningAlg, StoredKey};
    use latchkey_core::store::{AuditStore, KeyStore, MetaStore, OrgStore, StoreError};
    use latchkey_core::time::UnixMillis;
    use latchkey_store::{SqlStore, StoreOptions, sqlite_url_for};
    use sqlx::Row;

    #[tokio::test]
    async fn reopening_the_file_keeps_the_data_and_migrations_are_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        // Characters a URL would otherwise misread.
        let path = dir.path().join("my data #1?.db");
        let url = sqlite_url_for(&path);
        let org = Organization {
            id: OrgId::parse("ABCDEF0123456789ABCDEF01@AdobeOrg").unwrap(),
            name: "Acme".into(),
            created_at: UnixMillis(1),
        };
        let key = StoredKey {
            kid: "k1".into(),
            alg: SigningAlg::Es256,
            state: KeyState::Active,
            sealed_private_key: vec![9; 64],
            public_jwk: "{}".into(),
            created_at: UnixMillis(2),
            publish_until: None,
        };
        let audit = Actor::system().entry(
            UnixMillis(1),
            Some(&org.id),
            AuditAction::OrganizationCreated,
            format!("organization:{}", org.id),
            serde_json::json!({ "name": "Acme" }),
        );
        {
            let store = SqlStore::connect(&url).await.unwrap();
            store.create_organization(&org, &audit).await.unwrap();
            assert!(store.insert_signing_key(&key, None).await.unwrap());
            store.put_meta_if_absent("k", "v").await.unwrap();
            store.close().await;
        }
        assert!(path.exists(), "the file was created at the given path");
        for _ in 0..2 {
            let store = SqlStore::connect(&url).await.unwrap();
            assert_eq!(store.list_organizations().await.unwrap(), vec![org.clone()]);
            assert_eq!(store.list_signing_keys().await.unwrap(), vec![key.clone()]);
            assert_eq!(store.get_meta("k").await.unwrap().as_deref(), Some("v"));
            let log = store.list_audit(&AuditFilter::default()).await.unwrap();
            assert_eq!(log.len(), 1);
            assert_eq!(log[0].entry, audit);
            let applied: i64 = sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations")
                .fetch_one(store.pool())
                .await
                .unwrap()
                .try_get("n")
                .unwrap();
            let files =
                std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))
                    .unwrap()
                    .count();
            assert_eq!(applied, i64::try_from(files).unwrap());
            store.close().await;
        }
    }

    #[tokio::test]
    async fn every_pooled_connection_is_durable_wal_with_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqlStore::connect(&sqlite_url_for(&dir.path().join("p.db")))
            .await
            .unwrap();
        // Hold several connections at once so that the pool has to open new ones.
        let mut held = Vec::new();
        for _ in 0..3 {
            held.push(store.pool().acquire().await.unwrap());
        }
        for conn in &mut held {
            let mode: String = sqlx::query("PRAGMA journal_mode")
                .fetch_one(&mut **conn)
                .await
                .unwrap()
                .try_get(0)
                .unwrap();
            assert_eq!(mode.to_ascii_lowercase(), "wal");
            let synchronous: i64 = sqlx::query("PRAGMA synchronous")
                .fetch_one(&mut **conn)
                .await
                .unwrap()
                .try_get(0)
                .unwrap();
            assert_eq!(synchronous, 2, "synchronous=FULL");
            let foreign_keys: i64 = sqlx::query("PRAGMA foreign_keys")
                .fetch_one(&mut **conn)
                .await
                .unwrap()
                .try_get(0)
                .unwrap();
            assert_eq!(foreign_keys, 1);
            let busy: i64 = sqlx::query("PRAGMA busy_timeout")
                .fetch_one(&mut **conn)
                .await
                .unwrap()
                .try_get(0)
                .unwrap();
            assert_eq!(busy, 5000);
        }
        drop(held);
        store.close().await;
    }

    #[tokio::test]
    async fn in_memory_databases_work() {
        let store = SqlStore::connect("sqlite::memory:").await.unwrap();
        assert!(store.list_organizations().await.unwrap().is_empty());
        assert_eq!(store.put_meta_if_absent("a", "b").await.unwrap(), "b");
    }

    #[tokio::test]
    async fn connection_errors_say_what_to_do_and_hide_the_password() {
        match SqlStore::connect("mysql://root:hunter2-secret@localhost/db").await {
            Err(StoreError::Unavailable(msg)) => {
                assert!(msg.contains("sqlite://"), "{msg}");
                assert!(!msg.contains("hunter2-secret"), "{msg}");
            }
            other => panic!("expected Unavailable, got {other:?}"),
        }
        // Nothing listens on port 1.
        let quick = StoreOptions {
            acquire_timeout: std::time::Duration::from_secs(1),
            ..StoreOptions::default()
        };
        match SqlStore::connect_with(
            "postgres://latchkey:hunter2-secret@127.0.0.1:1/latchkey",
            &quick,
        )
        .await
        {
            Err(StoreError::Unavailable(msg)) => {
                assert!(msg.contains("check that the server is running"), "{msg}");
                assert!(msg.contains("latchkey:***@127.0.0.1:1"), "{msg}");
                eprintln!("{msg}");
                assert!(!msg.contains("hunter2-secret"), "{msg}");
            }
            other => panic!("expected Unavailable, got {other:?}"),
        }
        let dir = tempfile::tempdir().unwrap();
        let missing_dir = dir.path().join("no/such/dir/x.db");
        match SqlStore::connect(&sqlite_url_for(&missing_dir)).await {
            Err(StoreError::Unavailable(msg)) => {
                assert!(msg.contains("directory exists"), "{msg}");
                eprintln!("{msg}");
            }
            other => panic!("expected Unavailable, got {other:?}"),
        }
    }
}

/// Databases created by version 1 (only `0001_init.sql` applied) upgrade in place on open.
mod upgrade {
    use std::path::Path;

    use latchkey_core::audit::{Actor, AuditAction, AuditFilter};
    use latchkey_core::ids::{ClientId, OrgId};
    use latchkey_core::products::{EnvType, NewProduct, NewProfile, Tier};
    use latchkey_core::store::{AuditStore, CredentialStore, OrgStore, ProductStore, SecretStore};
    use latchkey_core::time::UnixMillis;
    use latchkey_store::SqlStore;
    use latchkey_store::testing::{TempPostgres, postgres_url_from_env};
    use sqlx::migrate::Migrator;
    use sqlx::{AnyPool, Row};

    /// Applies only the first migration of `dialect` to `url` and stores version-1 data the
    /// way version 1 did; then opens the store and checks that everything survived and the
    /// new schema works.
    async fn upgrade_from_version_1(url: &str, dialect: &str) {
        sqlx::any::install_default_drivers();
        let only_first = tempfile::tempdir().unwrap();
        let migrations = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(dialect);
        std::fs::copy(
            migrations.join("0001_init.sql"),
            only_first.path().join("0001_init.sql"),
        )
        .unwrap();
        let migrator = Migrator::new(only_first.path()).await.unwrap();
        let pool = AnyPool::connect(url).await.unwrap();
        migrator.run(&pool).await.unwrap();
        for statement in [
            "INSERT INTO organizations (id, name, created_at) \
             VALUES ('ABCDEF0123456789ABCDEF01@AdobeOrg', 'Old org', 1)",
            "INSERT INTO projects (org_id, name, created_at) \
             VALUES ('ABCDEF0123456789ABCDEF01@AdobeOrg', 'Old project', 2)",
            "INSERT INTO credentials (project_id, org_id, kind, name, client_id, \
             technical_account_id, technical_account_email, scopes, enabled, \
             tokens_revoked_before, created_at, updated_at) \
             SELECT id, org_id, 'oauth_server_to_server', 'Old credential', 'old-client', \
             'OLD@techacct.adobe.com', 'old@techacct.adobe.com', 'openid,AdobeID', 1, 0, 3, 3 \
             FROM projects",
        ] {
            sqlx::query(statement).execute(&pool).await.unwrap();
        }
        sqlx::query(
            "INSERT INTO client_secrets (uuid, credential_id, hash, created_at) \
             SELECT 'old-secret', id, $1, 4 FROM credentials",
        )
        .bind(vec![7u8; 32])
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;

        let store = SqlStore::connect(url).await.unwrap();
        let org = OrgId::from_trusted("ABCDEF0123456789ABCDEF01@AdobeOrg".into());
        assert_eq!(store.list_organizations().await.unwrap().len(), 1);
        let projects = store.list_projects(&org).await.unwrap();
        assert_eq!(projects.len(), 1);
        assert_eq!(projects[0].name, "Old project");
        let (credential, secrets) = store
            .find_credential_for_auth(&ClientId::from_trusted("old-client".into()))
            .await
            .unwrap()
            .expect("the version-1 credential survives");
        assert_eq!(credential.name, "Old credential");
        assert!(!credential.admin, "existing credentials are not admins");
        assert!(credential.enabled);
        assert_eq!(secrets.len(), 1);
        assert_eq!(secrets[0].uuid, "old-secret");
        assert_eq!(secrets[0].hash.0, vec![7u8; 32]);
        assert!(
            store
                .list_audit(&AuditFilter::default())
                .await
                .unwrap()
                .is_empty()
        );

        // The new schema works on the upgraded database.
        let audit = Actor::system().entry(
            UnixMillis(10),
            Some(&org),
            AuditAction::CredentialRenamed,
            format!("credential:{}", credential.id),
            serde_json::json!({ "name": "Renamed" }),
        );
        store
            .rename_credential(credential.id, "Renamed", UnixMillis(10), &audit)
            .await
            .unwrap();
        let log = store.list_audit(&AuditFilter::default()).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].entry, audit);
        assert_eq!(store.list_secrets(credential.id).await.unwrap().len(), 1);
        // Products (version 3) work with the version-1 credential.
        let product = store
            .create_product(
                &NewProduct {
                    org_id: org.clone(),
                    name: "Env".into(),
                    program_id: 1,
                    environment_id: 2,
                    tiers: vec![Tier::Author],
                    env_type: EnvType::Dev,
                },
                UnixMillis(11),
                &audit,
            )
            .await
            .unwrap();
        let profile = store
            .create_profile(
                &NewProfile {
                    product_id: product.id,
                    name: "Users".into(),
                    tier: Tier::Author,
                    services: vec!["AEM Users".into()],
                },
                UnixMillis(12),
                &audit,
            )
            .await
            .unwrap();
        store
            .assign_profile(credential.id, profile.id, &audit)
            .await
            .unwrap();
        assert_eq!(
            store.credential_profiles(credential.id).await.unwrap(),
            vec![profile]
        );
        let applied: i64 = sqlx::query("SELECT COUNT(*) AS n FROM _sqlx_migrations")
            .fetch_one(store.pool())
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
        let files = std::fs::read_dir(&migrations).unwrap().count();
        assert_eq!(applied, i64::try_from(files).unwrap());
        store.close().await;
    }

    #[tokio::test]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = latchkey_store::sqlite_url_for(&dir.path().join("v1.db"));
        upgrade_from_version_1(&url, "sqlite").await;
    }

    #[tokio::test]
    async fn postgres() {
        let Some(base) = postgres_url_from_env() else {
            return;
        };
        let db = TempPostgres::create(&base).await.unwrap();
        upgrade_from_version_1(&db.url, "postgres").await;
        db.drop_database().await.unwrap();
    }
}

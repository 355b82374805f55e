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
    revocations,
    meta_put_if_absent_keeps_the_first_value,
    ping_and_backend_name,
);

/// The contract cases, each against a fresh, empty store.
mod cases {
    use std::collections::BTreeSet;

    use latchkey_core::credentials::{
        Credential, CredentialKind, NewCredential, Organization, Project, SecretUsage,
    };
    use latchkey_core::ids::{ClientId, OrgId, TechnicalAccountId};
    use latchkey_core::keys::{KeyState, SigningAlg, StoredKey};
    use latchkey_core::scope::ScopeList;
    use latchkey_core::secret::SecretHash;
    use latchkey_core::store::{
        CredentialStore, KeyStore, MetaStore, OrgStore, RevocationStore, RevokedToken, SecretStore,
        Store, StoreError,
    };
    use latchkey_core::time::UnixMillis;
    use latchkey_store::SqlStore;

    const T0: UnixMillis = UnixMillis(1_700_000_000_000);

    fn org_id(n: u32) -> OrgId {
        OrgId::parse(&format!("{n:024X}@AdobeOrg")).unwrap()
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
        }
    }

    /// An organization, a project and a credential with one secret (`first-secret`).
    async fn fixture(store: &SqlStore) -> (Project, Credential) {
        let org = Organization {
            id: org_id(1),
            name: "Acme".into(),
            created_at: T0,
        };
        store.create_organization(&org).await.unwrap();
        let project = store
            .create_project(&org.id, "Project", T0.plus_millis(1))
            .await
            .unwrap();
        let credential = store
            .create_credential(
                &new_credential(&project, 1),
                "first-secret",
                &hash(1),
                T0.plus_millis(2),
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
        store.create_organization(&b).await.unwrap();
        store.create_organization(&a).await.unwrap();
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
            .create_project(&a.id, "First", T0.plus_millis(1))
            .await
            .unwrap();
        let p2 = store
            .create_project(&a.id, "Second", T0.plus_millis(2))
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
            .create_credential(&new, "s1", &hash(9), T0.plus_millis(5))
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
            .create_credential(&bare, "s2", &hash(8), T0.plus_millis(6))
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
        store.create_organization(&org).await.unwrap();
        let again = Organization {
            name: "Other name".into(),
            ..org.clone()
        };
        match store.create_organization(&again).await {
            Err(StoreError::Conflict(what)) => assert_eq!(what, "organization id"),
            other => panic!("expected Conflict, got {other:?}"),
        }
        assert_eq!(store.list_organizations().await.unwrap(), vec![org]);
    }

    pub async fn missing_parents_are_not_found(store: SqlStore) {
        assert!(matches!(
            store.create_project(&org_id(99), "P", T0).await,
            Err(StoreError::NotFound)
        ));
        let (project, _) = fixture(&store).await;
        // A project that does not exist, or exists in another organization.
        let mut orphan = new_credential(&project, 2);
        orphan.project_id = project.id + 1000;
        assert!(matches!(
            store.create_credential(&orphan, "x", &hash(2), T0).await,
            Err(StoreError::NotFound)
        ));
        let mut wrong_org = new_credential(&project, 3);
        wrong_org.org_id = org_id(99);
        assert!(matches!(
            store.create_credential(&wrong_org, "y", &hash(3), T0).await,
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
            .create_credential(&same_client, "other-secret", &hash(2), T0)
            .await
        {
            Err(StoreError::Conflict(what)) => assert_eq!(what, "client id"),
            other => panic!("expected Conflict, got {other:?}"),
        }

        let mut same_account = new_credential(&project, 3);
        same_account.technical_account_id = first.technical_account_id.clone();
        match store
            .create_credential(&same_account, "third-secret", &hash(3), T0)
            .await
        {
            Err(StoreError::Conflict(what)) => assert_eq!(what, "technical account id"),
            other => panic!("expected Conflict, got {other:?}"),
        }

        // A taken secret uuid rolls back the credential too: all or nothing.
        let fresh = new_credential(&project, 4);
        match store
            .create_credential(&fresh, "first-secret", &hash(4), T0)
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
            .create_credential(&fresh, "fourth-secret", &hash(4), T0)
            .await
            .unwrap();
    }

    pub async fn find_credential_for_auth_returns_its_secrets(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        let other = store
            .create_credential(&new_credential(&project, 2), "other", &hash(7), T0)
            .await
            .unwrap();
        store
            .add_secret(
                credential.id,
                "second-secret",
                &hash(2),
                2,
                T0.plus_millis(50),
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
            .set_credential_enabled(credential.id, false, T0.plus_millis(10))
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
            .set_credential_enabled(credential.id, true, T0.plus_millis(11))
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
            .revoke_credential_tokens(credential.id, T0.plus_millis(100))
            .await
            .unwrap();
        let read = store.get_credential(credential.id).await.unwrap().unwrap();
        assert_eq!(read.tokens_revoked_before, T0.plus_millis(100));
        // An older cut-off never re-validates tokens.
        store
            .revoke_credential_tokens(credential.id, T0.plus_millis(50))
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
                .set_credential_enabled(credential.id + 1000, false, T0)
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .revoke_credential_tokens(credential.id + 1000, T0)
                .await,
            Err(StoreError::NotFound)
        ));
    }

    pub async fn add_secret_up_to_the_limit(store: SqlStore) {
        let (_, credential) = fixture(&store).await;
        let added = store
            .add_secret(credential.id, "second", &hash(2), 3, T0.plus_millis(10))
            .await
            .unwrap();
        assert_eq!(added.uuid, "second");
        assert_eq!(added.credential_id, credential.id);
        assert_eq!(added.hash, hash(2));
        assert_eq!(added.created_at, T0.plus_millis(10));
        assert_eq!(added.last_used_at, None);
        store
            .add_secret(credential.id, "third", &hash(3), 3, T0.plus_millis(20))
            .await
            .unwrap();
        assert!(matches!(
            store
                .add_secret(credential.id, "fourth", &hash(4), 3, T0.plus_millis(30))
                .await,
            Err(StoreError::SecretLimitReached)
        ));
        // A lower limit than what is held refuses as well.
        assert!(matches!(
            store
                .add_secret(credential.id, "fifth", &hash(5), 2, T0)
                .await,
            Err(StoreError::SecretLimitReached)
        ));
        let secrets = store.list_secrets(credential.id).await.unwrap();
        let uuids: Vec<&str> = secrets.iter().map(|s| s.uuid.as_str()).collect();
        assert_eq!(uuids, ["first-secret", "second", "third"]);
        assert_eq!(secrets[1], added);

        assert!(matches!(
            store
                .add_secret(credential.id + 1000, "x", &hash(6), 3, T0)
                .await,
            Err(StoreError::NotFound)
        ));
        store.delete_secret(credential.id, "third").await.unwrap();
        assert!(matches!(
            store
                .add_secret(credential.id, "second", &hash(7), 3, T0)
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.list_secrets(credential.id).await.unwrap().len(), 2);
    }

    pub async fn delete_secret_keeps_at_least_one(store: SqlStore) {
        let (project, credential) = fixture(&store).await;
        assert!(matches!(
            store.delete_secret(credential.id, "first-secret").await,
            Err(StoreError::LastSecret)
        ));
        assert_eq!(store.list_secrets(credential.id).await.unwrap().len(), 1);

        assert!(matches!(
            store.delete_secret(credential.id, "no-such-secret").await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .delete_secret(credential.id + 1000, "first-secret")
                .await,
            Err(StoreError::NotFound)
        ));
        // A secret of another credential is not found through this one.
        let other = store
            .create_credential(&new_credential(&project, 2), "other-1", &hash(5), T0)
            .await
            .unwrap();
        store
            .add_secret(other.id, "other-2", &hash(6), 2, T0)
            .await
            .unwrap();
        assert!(matches!(
            store.delete_secret(credential.id, "other-2").await,
            Err(StoreError::NotFound)
        ));

        store
            .add_secret(credential.id, "second", &hash(2), 2, T0.plus_millis(1))
            .await
            .unwrap();
        store
            .delete_secret(credential.id, "first-secret")
            .await
            .unwrap();
        let left = store.list_secrets(credential.id).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].uuid, "second");
        assert!(matches!(
            store.delete_secret(credential.id, "first-secret").await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.delete_secret(credential.id, "second").await,
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
                )
                .await
                .unwrap();
            credentials.push((c.id, format!("first-{n}")));
        }
        for (id, first_uuid) in credentials {
            let second_uuid = format!("second-{id}");
            store
                .add_secret(id, &second_uuid, &hash(2), 2, T0.plus_millis(1))
                .await
                .unwrap();
            let a = {
                let store = store.clone();
                tokio::spawn(async move { store.delete_secret(id, &first_uuid).await })
            };
            let b = {
                let store = store.clone();
                tokio::spawn(async move { store.delete_secret(id, &second_uuid).await })
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
            .add_secret(credential.id, "second", &hash(2), 2, T0.plus_millis(10))
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
                    .insert_signing_key(&key(
                        &format!("rs-{i}"),
                        SigningAlg::Rs256,
                        KeyState::Active,
                    ))
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
                .insert_signing_key(&key("rs-late", SigningAlg::Rs256, KeyState::Active))
                .await
                .unwrap()
        );
        assert!(
            store
                .insert_signing_key(&key("rs-next", SigningAlg::Rs256, KeyState::Next))
                .await
                .unwrap()
        );
        assert!(
            store
                .insert_signing_key(&key("es-active", SigningAlg::Es256, KeyState::Active))
                .await
                .unwrap()
        );
        let mut retired = key("ed-retired", SigningAlg::EdDsa, KeyState::Retired);
        retired.publish_until = Some(T0.plus_millis(86_400_000));
        retired.created_at = T0.plus_millis(-5);
        assert!(store.insert_signing_key(&retired).await.unwrap());
        let mut retired2 = key("rs-retired", SigningAlg::Rs256, KeyState::Retired);
        retired2.created_at = T0.plus_millis(-1);
        assert!(store.insert_signing_key(&retired2).await.unwrap());

        // A duplicate kid is a conflict, not a silent skip.
        assert!(matches!(
            store
                .insert_signing_key(&key("rs-next", SigningAlg::Rs256, KeyState::Next))
                .await,
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
}

/// What only SQLite has: a file that must survive restarts, and per-connection pragmas.
mod sqlite_only {
    use latchkey_core::credentials::Organization;
    use latchkey_core::ids::OrgId;
    use latchkey_core::keys::{KeyState, SigningAlg, StoredKey};
    use latchkey_core::store::{KeyStore, MetaStore, OrgStore, StoreError};
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
        {
            let store = SqlStore::connect(&url).await.unwrap();
            store.create_organization(&org).await.unwrap();
            assert!(store.insert_signing_key(&key).await.unwrap());
            store.put_meta_if_absent("k", "v").await.unwrap();
            store.close().await;
        }
        assert!(path.exists(), "the file was created at the given path");
        for _ in 0..2 {
            let store = SqlStore::connect(&url).await.unwrap();
            assert_eq!(store.list_organizations().await.unwrap(), vec![org.clone()]);
            assert_eq!(store.list_signing_keys().await.unwrap(), vec![key.clone()]);
            assert_eq!(store.get_meta("k").await.unwrap().as_deref(), Some("v"));
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

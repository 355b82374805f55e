//! Conformance cases of [`ServiceAccountStore`]: service accounts with their first certificate,
//! the technical-account limit per environment (deleted accounts counted, race-free), the
//! certificate lifecycle (add up to a limit, revoke, then delete), one credential per kind and
//! technical account, and single-use assertion ids (race-free).

use latchkey_core::audit::AuditAction;
use latchkey_core::credentials::{CredentialKind, NewCredential, Project};
use latchkey_core::ids::{ClientId, OrgId};
use latchkey_core::service_account::Certificate;
use latchkey_core::store::{
    CredentialStore, OrgStore, ProductStore, SecretStore, ServiceAccountStore, StoreError,
};
use latchkey_core::time::UnixMillis;
use latchkey_store::SqlStore;

use super::{T0, add_product, audit_rows, fixture, hash, new_credential, new_product, note};

fn service_account(project: &Project, n: u32) -> NewCredential {
    let mut new = new_credential(project, n);
    new.kind = CredentialKind::ServiceAccountJwt;
    new
}

fn certificate(credential_id: i64, n: u8) -> Certificate {
    Certificate {
        id: format!("{n:032x}"),
        credential_id,
        fingerprint: format!("{n:064x}"),
        der: vec![0x30, n, 0xff, 0x00],
        not_before: T0,
        not_after: T0.plus_millis(365 * 86_400_000),
        revoked_at: None,
        created_at: T0.plus_millis(n.into()),
    }
}

async fn create(
    store: &SqlStore,
    project: &Project,
    n: u32,
    product: Option<i64>,
    max: usize,
) -> Result<latchkey_core::credentials::Credential, StoreError> {
    store
        .create_service_account(
            &service_account(project, n),
            &format!("secret-{n}"),
            &hash(2),
            &certificate(0, n as u8),
            product,
            max,
            T0,
            &note(AuditAction::CredentialCreated),
        )
        .await
}

pub async fn service_account_with_certificate_round_trip(store: SqlStore) {
    let (project, _) = fixture(&store).await;
    let before = audit_rows(&store).await;
    let created = create(&store, &project, 2, None, 10).await.unwrap();
    assert_eq!(created.kind, CredentialKind::ServiceAccountJwt);
    assert_eq!(audit_rows(&store).await, before + 1, "one audit entry");
    assert_eq!(
        store.get_credential(created.id).await.unwrap(),
        Some(created.clone())
    );
    assert_eq!(store.list_secrets(created.id).await.unwrap().len(), 1);
    let mut expected = certificate(created.id, 2);
    assert_eq!(
        store.list_certificates(created.id).await.unwrap(),
        vec![expected.clone()]
    );
    // Unknown project: nothing is created.
    let mut orphan = service_account(&project, 3);
    orphan.project_id += 1000;
    assert!(matches!(
        store
            .create_service_account(
                &orphan,
                "s-orphan",
                &hash(3),
                &certificate(0, 3),
                None,
                10,
                T0,
                &note(AuditAction::CredentialCreated)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(audit_rows(&store).await, before + 1);

    // Revoke, then delete; each step once.
    let e = note(AuditAction::CertificateRevoked);
    assert!(matches!(
        store.delete_certificate(created.id, &expected.id, &e).await,
        Err(StoreError::Refused(_))
    ));
    store
        .revoke_certificate(created.id, &expected.id, T0.plus_millis(5), &e)
        .await
        .unwrap();
    expected.revoked_at = Some(T0.plus_millis(5));
    assert_eq!(
        store.list_certificates(created.id).await.unwrap(),
        vec![expected.clone()]
    );
    assert!(matches!(
        store
            .revoke_certificate(created.id, &expected.id, T0.plus_millis(6), &e)
            .await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        store.revoke_certificate(created.id, "nope", T0, &e).await,
        Err(StoreError::NotFound)
    ));
    // Another credential's certificate is not found through this one.
    assert!(matches!(
        store
            .delete_certificate(created.id + 1000, &expected.id, &e)
            .await,
        Err(StoreError::NotFound)
    ));
    let rows = audit_rows(&store).await;
    store
        .delete_certificate(created.id, &expected.id, &e)
        .await
        .unwrap();
    assert_eq!(audit_rows(&store).await, rows + 1);
    assert!(
        store
            .list_certificates(created.id)
            .await
            .unwrap()
            .is_empty()
    );

    // Deleting the credential deletes its certificates.
    store
        .add_certificate(
            &certificate(created.id, 9),
            5,
            &note(AuditAction::CertificateAdded),
        )
        .await
        .unwrap();
    store
        .delete_credential(created.id, &note(AuditAction::CredentialDeleted))
        .await
        .unwrap();
    assert!(
        store
            .list_certificates(created.id)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn certificates_up_to_the_limit_and_unique(store: SqlStore) {
    let (project, _) = fixture(&store).await;
    let sa = create(&store, &project, 2, None, 10).await.unwrap();
    let e = note(AuditAction::CertificateAdded);
    for n in 10..13u8 {
        store
            .add_certificate(&certificate(sa.id, n), 4, &e)
            .await
            .unwrap();
    }
    assert!(matches!(
        store.add_certificate(&certificate(sa.id, 20), 4, &e).await,
        Err(StoreError::Refused(_))
    ));
    // The same certificate twice on one credential.
    let mut again = certificate(sa.id, 10);
    again.id = "another-id".into();
    assert!(matches!(
        store.add_certificate(&again, 10, &e).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .add_certificate(&certificate(sa.id + 1000, 30), 10, &e)
            .await,
        Err(StoreError::NotFound)
    ));
    let ids: Vec<String> = store
        .list_certificates(sa.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        ids,
        [2u8, 10, 11, 12]
            .iter()
            .map(|n| format!("{n:032x}"))
            .collect::<Vec<_>>(),
        "oldest first"
    );
}

pub async fn technical_account_limit_counts_deleted_accounts(store: SqlStore) {
    let (project, _) = fixture(&store).await;
    let product = add_product(&store, &new_product(&project.org_id, 1, 2), T0).await;
    let mut made = Vec::new();
    for n in 10..13 {
        made.push(
            create(&store, &project, n, Some(product.id), 3)
                .await
                .unwrap(),
        );
    }
    assert_eq!(store.technical_accounts_used(product.id).await.unwrap(), 3);
    let rows = audit_rows(&store).await;
    assert!(matches!(
        create(&store, &project, 13, Some(product.id), 3).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(audit_rows(&store).await, rows, "a refusal writes nothing");
    // Deleted accounts still count.
    store
        .delete_credential(made[0].id, &note(AuditAction::CredentialDeleted))
        .await
        .unwrap();
    assert!(matches!(
        create(&store, &project, 14, Some(product.id), 3).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(store.technical_accounts_used(product.id).await.unwrap(), 3);
    // Another environment has its own limit; a product of another organization is not found.
    let other = add_product(&store, &new_product(&project.org_id, 1, 3), T0).await;
    create(&store, &project, 15, Some(other.id), 3)
        .await
        .unwrap();
    let foreign_org = OrgId::parse(&format!("{:024X}@AdobeOrg", 0xF00)).unwrap();
    store
        .create_organization(
            &latchkey_core::credentials::Organization {
                id: foreign_org.clone(),
                name: "Other".into(),
                created_at: T0,
            },
            &note(AuditAction::OrganizationCreated),
        )
        .await
        .unwrap();
    let foreign = add_product(&store, &new_product(&foreign_org, 9, 9), T0).await;
    assert!(matches!(
        create(&store, &project, 16, Some(foreign.id), 3).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.get_product(foreign.id).await.unwrap().is_some());
}

pub async fn concurrent_creations_never_exceed_the_technical_account_limit(store: SqlStore) {
    let (project, _) = fixture(&store).await;
    let product = add_product(&store, &new_product(&project.org_id, 1, 2), T0).await;
    let mut tasks = Vec::new();
    for n in 100..120u32 {
        let (store, project) = (store.clone(), project.clone());
        tasks.push(tokio::spawn(async move {
            create(&store, &project, n, Some(product.id), 10).await
        }));
    }
    let mut created = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => created += 1,
            Err(StoreError::Refused(_)) => {}
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!(created, 10);
    assert_eq!(store.technical_accounts_used(product.id).await.unwrap(), 10);
}

pub async fn one_credential_per_kind_and_technical_account(store: SqlStore) {
    let (project, _) = fixture(&store).await;
    let sa = create(&store, &project, 2, None, 10).await.unwrap();
    // The OAuth credential Adobe's migration adds beside it: same technical account.
    let mut oauth = new_credential(&project, 3);
    oauth.technical_account_id = sa.technical_account_id.clone();
    store
        .create_credential(
            &oauth,
            "s3",
            &hash(3),
            T0,
            &note(AuditAction::CredentialCreated),
        )
        .await
        .unwrap();
    // A second one of the same kind is a conflict.
    let mut again = new_credential(&project, 4);
    again.technical_account_id = sa.technical_account_id.clone();
    match store
        .create_credential(
            &again,
            "s4",
            &hash(4),
            T0,
            &note(AuditAction::CredentialCreated),
        )
        .await
    {
        Err(StoreError::Conflict(what)) => assert_eq!(what, "technical account id"),
        other => panic!("expected Conflict, got {other:?}"),
    }
}

pub async fn assertion_ids_are_single_use_even_concurrently(store: SqlStore) {
    let a = ClientId::from_trusted("a".repeat(32));
    let b = ClientId::from_trusted("b".repeat(32));
    let exp = T0.plus_millis(60_000);
    assert!(store.consume_jti(&a, "jti-1", exp).await.unwrap());
    assert!(!store.consume_jti(&a, "jti-1", exp).await.unwrap());
    // Per client.
    assert!(store.consume_jti(&b, "jti-1", exp).await.unwrap());

    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (store, a) = (store.clone(), a.clone());
        tasks.push(tokio::spawn(async move {
            store.consume_jti(&a, "jti-race", exp).await.unwrap()
        }));
    }
    let mut first = 0;
    for t in tasks {
        if t.await.unwrap() {
            first += 1;
        }
    }
    assert_eq!(first, 1, "exactly one of 50 concurrent uses is the first");

    // Purged only once expired.
    assert_eq!(store.purge_expired_jtis(exp).await.unwrap(), 0);
    assert_eq!(
        store
            .purge_expired_jtis(UnixMillis(exp.0 + 1))
            .await
            .unwrap(),
        3
    );
    assert!(store.consume_jti(&a, "jti-1", exp).await.unwrap());
}

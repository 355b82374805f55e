//! Conformance cases of the AEM side ([`AemStore`], [`DamStore`]), included into `cases` of
//! `conformance.rs` so each runs on SQLite and PostgreSQL with the shared fixtures.

use latchkey_core::aem::acl::{NewAcl, Privilege, Privileges};
use latchkey_core::aem::dam::{Binary, DamNode, NodeKind};
use latchkey_core::aem::dam_path::DamPath;
use latchkey_core::aem::store::{AemStore, DamStore, Repo, StoredApiConfig};
use latchkey_core::aem::users::NewAemUser;
use serde_json::Map;

use super::*;

fn api_config(product_id: i64, source: &str) -> StoredApiConfig {
    StoredApiConfig {
        product_id,
        source: source.into(),
        deployed_at: T0,
        deployed_by: "tester".into(),
    }
}

async fn environment(store: &SqlStore) -> (Credential, Product) {
    let (_, cred) = fixture(store).await;
    let product = add_product(store, &new_product(&cred.org_id, 1, 2), T0).await;
    (cred, product)
}

pub async fn aem_api_configs_replace_and_delete(store: SqlStore) {
    let (_, product) = environment(&store).await;
    assert_eq!(store.get_api_config(product.id).await.unwrap(), None);
    let before = audit_rows(&store).await;
    store
        .deploy_api_config(
            &api_config(product.id, "one"),
            &note(AuditAction::ApiConfigDeployed),
        )
        .await
        .unwrap();
    store
        .deploy_api_config(
            &api_config(product.id, "two"),
            &note(AuditAction::ApiConfigDeployed),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .get_api_config(product.id)
            .await
            .unwrap()
            .unwrap()
            .source,
        "two"
    );
    assert!(matches!(
        store
            .deploy_api_config(
                &api_config(9999, "x"),
                &note(AuditAction::ApiConfigDeployed)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    store
        .delete_api_config(product.id, &note(AuditAction::ApiConfigDeleted))
        .await
        .unwrap();
    assert!(matches!(
        store
            .delete_api_config(product.id, &note(AuditAction::ApiConfigDeleted))
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(audit_rows(&store).await, before + 3);
    let found = store.find_products_by_environment(1, 2).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].env_type, EnvType::Stage);
    assert!(
        store
            .find_products_by_environment(2, 1)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn aem_user_is_created_exactly_once_under_concurrency(store: SqlStore) {
    let (cred, product) = environment(&store).await;
    let before = audit_rows(&store).await;
    let new = NewAemUser {
        product_id: product.id,
        tier: Tier::Author,
        technical_account_id: cred.technical_account_id.clone(),
        email: cred.technical_account_email.clone(),
        credential_id: cred.id,
    };
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (store, new) = (store.clone(), new.clone());
            tokio::spawn(async move {
                store
                    .ensure_aem_user(&new, T0, &note(AuditAction::AemUserCreated))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut created = 0;
    let mut ids = BTreeSet::new();
    for t in tasks {
        let (user, fresh) = t.await.unwrap();
        created += usize::from(fresh);
        ids.insert(user.id);
    }
    assert_eq!((created, ids.len()), (1, 1));
    assert_eq!(audit_rows(&store).await, before + 1);
    let users = store
        .list_aem_users(product.id, Some(Tier::Author))
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].credential_id, Some(cred.id));
    assert!(
        store
            .list_aem_users(product.id, Some(Tier::Publish))
            .await
            .unwrap()
            .is_empty()
    );
    // Another tier is another user.
    let publish = NewAemUser {
        tier: Tier::Publish,
        ..new
    };
    assert!(
        store
            .ensure_aem_user(&publish, T0, &note(AuditAction::AemUserCreated))
            .await
            .unwrap()
            .1
    );
    assert_eq!(
        store.list_aem_users(product.id, None).await.unwrap().len(),
        2
    );
}

pub async fn aem_acls_round_trip(store: SqlStore) {
    let (_, product) = environment(&store).await;
    let new = NewAcl {
        product_id: product.id,
        tier: Tier::Author,
        group: "AEM Assets Collaborator Users - Service".into(),
        path: DamPath::parse("/content/dam/a").unwrap(),
        privileges: Privileges::of(&[Privilege::Create, Privilege::Modify]),
    };
    let acl = store
        .add_acl(&new, T0, &note(AuditAction::AclAdded))
        .await
        .unwrap();
    let listed = store.list_acls(product.id).await.unwrap();
    assert_eq!(listed, vec![acl.clone()]);
    assert!(matches!(
        store
            .add_acl(
                &NewAcl {
                    product_id: 9999,
                    ..new
                },
                T0,
                &note(AuditAction::AclAdded)
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .delete_acl(product.id + 1, acl.id, &note(AuditAction::AclDeleted))
            .await,
        Err(StoreError::NotFound)
    ));
    store
        .delete_acl(product.id, acl.id, &note(AuditAction::AclDeleted))
        .await
        .unwrap();
    assert!(store.list_acls(product.id).await.unwrap().is_empty());
}

fn asset(repo: Repo, path: &str, key: &str) -> DamNode {
    DamNode::new_asset(
        repo,
        uuid::Uuid::new_v4().to_string(),
        DamPath::parse(path).unwrap(),
        Binary {
            blob_key: key.into(),
            mime_type: "image/jpeg".into(),
            size: 3,
        },
        "tester",
        T0,
    )
}

fn folder(repo: Repo, path: &str) -> DamNode {
    DamNode::new_folder(repo, DamPath::parse(path).unwrap(), None, "tester", T0)
}

pub async fn dam_nodes_tree_paging_versions_and_subtree_delete(store: SqlStore) {
    let (_, product) = environment(&store).await;
    let repo = Repo {
        product_id: product.id,
        tier: Tier::Author,
    };
    let other = Repo {
        product_id: product.id,
        tier: Tier::Publish,
    };
    let a = folder(repo, "/content/dam/a");
    store.create_dam_node(&a).await.unwrap();
    assert!(matches!(
        store.create_dam_node(&folder(repo, "/content/dam/a")).await,
        Err(StoreError::Conflict(_))
    ));
    // The parent must be a folder of the same repository.
    assert!(matches!(
        store
            .create_dam_node(&folder(repo, "/content/dam/x/y"))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .create_dam_node(&folder(other, "/content/dam/a/b"))
            .await,
        Err(StoreError::NotFound)
    ));
    let pic = asset(repo, "/content/dam/a/pic.jpg", "k1");
    store.create_dam_node(&pic).await.unwrap();
    assert!(matches!(
        store
            .create_dam_node(&folder(repo, "/content/dam/a/pic.jpg/inside"))
            .await,
        Err(StoreError::NotFound)
    ));
    // `_` and `%` in names are not wildcards when deleting a subtree.
    store
        .create_dam_node(&folder(repo, "/content/dam/a_"))
        .await
        .unwrap();
    store
        .create_dam_node(&asset(repo, "/content/dam/a_/x.jpg", "k2"))
        .await
        .unwrap();
    for n in ["b", "c", "d"] {
        store
            .create_dam_node(&folder(repo, &format!("/content/dam/a/{n}")))
            .await
            .unwrap();
    }
    store
        .create_dam_node(&asset(repo, "/content/dam/a/b/deep.jpg", "k3"))
        .await
        .unwrap();
    let got = store.get_dam_node(repo, &pic.uuid).await.unwrap().unwrap();
    assert_eq!(got, pic);
    assert_eq!(got.kind, NodeKind::Asset);
    assert_eq!(store.get_dam_node(other, &pic.uuid).await.unwrap(), None);
    assert_eq!(
        store
            .get_dam_node_by_path(repo, &pic.path)
            .await
            .unwrap()
            .unwrap()
            .uuid,
        pic.uuid
    );
    let a_path = DamPath::parse("/content/dam/a").unwrap();
    let page = store
        .list_dam_children(repo, &a_path, None, 2)
        .await
        .unwrap();
    let names: Vec<_> = page.iter().map(|n| n.path.name().to_owned()).collect();
    assert_eq!(names, ["b", "c"]);
    let rest = store
        .list_dam_children(repo, &a_path, Some(page[1].path.as_str()), 10)
        .await
        .unwrap();
    let names: Vec<_> = rest.iter().map(|n| n.path.name().to_owned()).collect();
    assert_eq!(names, ["d", "pic.jpg"]);
    // Optimistic metadata changes.
    let mut meta = Map::new();
    meta.insert("dc:title".into(), json!("New"));
    let changed = store
        .update_dam_metadata(repo, &pic.uuid, 1, &meta, T0.plus_millis(5), "other")
        .await
        .unwrap();
    assert_eq!(
        (changed.version, changed.metadata["dc:title"].as_str()),
        (2, Some("New"))
    );
    assert_eq!(changed.modified_by, "other");
    assert!(matches!(
        store
            .update_dam_metadata(repo, &pic.uuid, 1, &meta, T0, "x")
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .update_dam_metadata(
                repo,
                "00000000-0000-4000-8000-000000000000",
                1,
                &meta,
                T0,
                "x"
            )
            .await,
        Err(StoreError::NotFound)
    ));
    // Deleting /content/dam/a takes everything below it, and nothing beside it.
    let mut keys = store.delete_dam_subtree(repo, &a_path).await.unwrap();
    keys.sort();
    assert_eq!(keys, ["k1", "k3"]);
    assert!(
        store
            .get_dam_node_by_path(repo, &DamPath::parse("/content/dam/a_/x.jpg").unwrap())
            .await
            .unwrap()
            .is_some()
    );
    assert!(matches!(
        store.delete_dam_subtree(repo, &a_path).await,
        Err(StoreError::NotFound)
    ));
}

//! Dev mode's AEM environment: program 1, environment 1 (author tier), the demo credential on
//! an "AEM Assets Collaborator Users" profile (read-only services, as in seed 000), an api.yaml
//! listing it, and the sample asset of Adobe's tutorial (seed 001) with its metadata, so the
//! tutorial's Node sample works against a fresh `latchkey serve --dev` unchanged but for its
//! base URLs.

use std::convert::Infallible;

use base64::Engine;
use bytes::Bytes;
use latchkey_core::aem::dam::DamNode;
use latchkey_core::aem::dam_path::DamPath;
use latchkey_core::aem::store::{Repo, StoredApiConfig};
use latchkey_core::audit::{Actor, AuditAction};
use latchkey_core::credentials::Credential;
use latchkey_core::ids::OrgId;
use latchkey_core::products::{EnvType, NewProduct, NewProfile, Tier, default_profile_name};
use latchkey_core::time::UnixMillis;
use latchkey_proto::dev::DevAem;
use serde_json::{Value, json};

use crate::startup::StartError;
use crate::state::AppState;

/// Where the sample asset lives (the path of Adobe's tutorial).
pub const SAMPLE_ASSET_PATH: &str =
    "/content/dam/wknd-shared/en/adventures/cycling-southern-utah/adobestock-221043703.jpg";

/// A 1×1 JPEG, the sample asset's binary.
const SAMPLE_JPEG: &str = "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=";

fn failed(what: &str) -> impl Fn(latchkey_core::store::StoreError) -> StartError + '_ {
    move |e| StartError::Store(format!("dev seeding ({what}): {e}"))
}

/// Seeds the environment for `credential` of `org_id`.
pub async fn seed(
    state: &AppState,
    org_id: &OrgId,
    credential: &Credential,
    now: UnixMillis,
) -> Result<DevAem, StartError> {
    let store = state.store.as_ref();
    let actor = Actor::system();
    let entry =
        |action, target: String| actor.entry(now, Some(org_id), action, target, Value::Null);
    let new = NewProduct {
        org_id: org_id.clone(),
        name: "WKND (dev)".into(),
        program_id: 1,
        environment_id: 1,
        tiers: vec![Tier::Author],
        env_type: EnvType::Dev,
    };
    let product = store
        .create_product(
            &new,
            now,
            &entry(AuditAction::ProductCreated, "product:p1-e1".into()),
        )
        .await
        .map_err(failed("product"))?;
    let services = vec![
        "AEM Assets API Users".to_owned(),
        "AEM Assets Collaborator Users".to_owned(),
    ];
    let profile = NewProfile {
        product_id: product.id,
        name: default_profile_name("AEM Assets Collaborator Users", Tier::Author, &product),
        tier: Tier::Author,
        services,
    };
    let profile = store
        .create_profile(
            &profile,
            now,
            &entry(
                AuditAction::ProfileCreated,
                format!("product:{}", product.id),
            ),
        )
        .await
        .map_err(failed("profile"))?;
    store
        .assign_profile(
            credential.id,
            profile.id,
            &entry(
                AuditAction::ProfileAssigned,
                format!("credential:{}", credential.id),
            ),
        )
        .await
        .map_err(failed("profile assignment"))?;
    let yaml = format!(
        "kind: \"API\"\nversion: \"1\"\nmetadata:\n  envTypes: [\"dev\"]\ndata:\n  allowedClientIDs:\n    author:\n      - \"{}\"\n",
        credential.client_id
    );
    let config = StoredApiConfig {
        product_id: product.id,
        source: yaml,
        deployed_at: now,
        deployed_by: "dev".into(),
    };
    store
        .deploy_api_config(
            &config,
            &entry(
                AuditAction::ApiConfigDeployed,
                format!("product:{}", product.id),
            ),
        )
        .await
        .map_err(failed("api.yaml"))?;
    let repo = Repo {
        product_id: product.id,
        tier: Tier::Author,
    };
    let asset_path =
        DamPath::parse(SAMPLE_ASSET_PATH).map_err(|e| StartError::Files(e.to_string()))?;
    let mut folders = Vec::new();
    let mut cursor = asset_path.parent();
    while let Some(f) = cursor.filter(|f| !f.is_root()) {
        cursor = f.parent();
        folders.push(f);
    }
    let by = "dev";
    for folder in folders.into_iter().rev() {
        store
            .create_dam_node(&DamNode::new_folder(repo, folder, None, by, now))
            .await
            .map_err(failed("folder"))?;
    }
    let jpeg = base64::engine::general_purpose::STANDARD
        .decode(SAMPLE_JPEG)
        .map_err(|e| StartError::Files(e.to_string()))?;
    let body = futures_util::stream::iter([Ok::<_, Infallible>(Bytes::from(jpeg))]);
    let node = crate::aem::dam_ops::put_asset(
        state,
        repo,
        asset_path,
        "image/jpeg".into(),
        body,
        u64::MAX,
        by,
        now,
    )
    .await
    .map_err(|e| StartError::Files(format!("dev seeding (sample asset): {e:?}")))?;
    let mut metadata = node.metadata.clone();
    metadata.insert(
        "dc:title".into(),
        json!("A Young Mountain Biking Couple Takes A Minute To Take In The Scenery"),
    );
    metadata.insert(
        "xmp:CreatorTool".into(),
        json!("Adobe Photoshop Lightroom Classic 7.5 (Macintosh)"),
    );
    store
        .update_dam_metadata(repo, &node.uuid, node.version, &metadata, now, by)
        .await
        .map_err(failed("sample metadata"))?;
    Ok(DevAem {
        base_url: state.issuer.clone(),
        bucket: product.bucket(Tier::Author),
        product_id: product.id,
        sample_asset_id: node.aaid(),
        sample_asset_path: SAMPLE_ASSET_PATH.into(),
    })
}

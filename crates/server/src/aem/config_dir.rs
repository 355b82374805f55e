//! `api.yaml` files deployed from a directory at start-up (`aem.config_dir`), for teams that
//! keep the allowlist in their repository as Adobe's config pipeline does.
//!
//! Layout: `<dir>/p<program>-e<environment>.yaml` or `<dir>/p<program>-e<environment>/api.yaml`.
//! Every file is validated before anything is deployed, so one bad file stops the start with
//! its name and line and changes nothing. A file identical to what is deployed is skipped (no
//! audit noise on restarts); a file for an environment that does not exist is an error.

use std::path::{Path, PathBuf};

use latchkey_core::aem::allowlist::parse_api_yaml;
use latchkey_core::aem::store::StoredApiConfig;
use latchkey_core::audit::{Actor, AuditAction};
use latchkey_core::products::Product;
use latchkey_core::time::UnixMillis;
use serde_json::json;

use crate::startup::StartError;
use crate::state::AppState;

/// `p1-e2` → (1, 2).
fn environment_of(stem: &str) -> Option<(i64, i64)> {
    let (p, e) = stem.strip_prefix('p')?.split_once("-e")?;
    Some((p.parse().ok()?, e.parse().ok()?))
}

/// The `(program, environment, file)` triples found in `dir`.
fn files(dir: &Path) -> Result<Vec<(i64, i64, PathBuf)>, StartError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        StartError::Files(format!("cannot read aem.config_dir {}: {e}", dir.display()))
    })?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let (stem, file) = if path.is_dir() {
            (name.clone(), path.join("api.yaml"))
        } else if let Some(stem) = name.strip_suffix(".yaml").or(name.strip_suffix(".yml")) {
            (stem.to_owned(), path.clone())
        } else {
            continue;
        };
        let Some((p, e)) = environment_of(&stem) else {
            return Err(StartError::Files(format!(
                "{}: name it p<program>-e<environment>.yaml (or p<program>-e<environment>/api.yaml) so Latchkey knows its environment",
                path.display()
            )));
        };
        if file.is_file() {
            out.push((p, e, file));
        }
    }
    out.sort();
    Ok(out)
}

/// Deploys every file of `dir`; returns how many changed.
pub async fn deploy_all(
    state: &AppState,
    dir: &Path,
    now: UnixMillis,
) -> Result<usize, StartError> {
    let store = state.store.as_ref();
    let unavailable = StartError::store;
    let mut planned: Vec<(Product, String)> = Vec::new();
    for (program, environment, file) in files(dir)? {
        let source = std::fs::read_to_string(&file)
            .map_err(|e| StartError::Files(format!("cannot read {}: {e}", file.display())))?;
        parse_api_yaml(&source)
            .map_err(|e| StartError::Files(format!("{}: {e}", file.display())))?;
        let products = store
            .find_products_by_environment(program, environment)
            .await
            .map_err(unavailable)?;
        let [product] = products.as_slice() else {
            return Err(StartError::Files(format!(
                "{}: {} environments are p{program}-e{environment}; create exactly one (latchkey admin products create) before deploying its api.yaml",
                file.display(),
                products.len()
            )));
        };
        planned.push((product.clone(), source));
    }
    let mut changed = 0;
    for (product, source) in planned {
        let current = store
            .get_api_config(product.id)
            .await
            .map_err(unavailable)?;
        if current.is_some_and(|c| c.source == source) {
            continue;
        }
        let audit = Actor::system().entry(
            now,
            Some(&product.org_id),
            AuditAction::ApiConfigDeployed,
            format!("product:{}", product.id),
            json!({ "source": "aem.config_dir" }),
        );
        let config = StoredApiConfig {
            product_id: product.id,
            source,
            deployed_at: now,
            deployed_by: "aem.config_dir".into(),
        };
        store
            .deploy_api_config(&config, &audit)
            .await
            .map_err(unavailable)?;
        changed += 1;
    }
    state.aem.clear();
    Ok(changed)
}

//! Adobe's real Node clients (`@adobe/aio-lib-ims`, and `@adobe/jwt-auth` for the legacy JWT
//! exchange), installed from the npm registry with the committed lock file, run against a
//! Latchkey server: only the base URL changes (SPEC: faithful enough that Adobe's own
//! clients work by changing only the base URL).
//!
//! Needs `node` and `npm`. Without them the test is skipped locally, but fails under CI
//! (`CI` set), where `.ci/run` installs them.

use std::path::{Path, PathBuf};
use std::process::Command;

use latchkey_testkit::TestServer;

use crate::support::claims;

/// Installs the packages once per lock-file content into the cargo target directory.
///
/// The tests in this file run on parallel threads of one process; `npm ci` empties
/// `node_modules` before it fills it, so two installs at once break each other. The first
/// caller installs, the rest wait for it and share its answer.
fn install() -> Option<PathBuf> {
    static INSTALLED: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    INSTALLED.get_or_init(install_once).clone()
}

fn install_once() -> Option<PathBuf> {
    let have = |c: &str| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("node") || !have("npm") {
        assert!(
            std::env::var_os("CI").is_none(),
            "node and npm are required under CI"
        );
        eprintln!("skipping: node/npm not installed");
        return None;
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    let lock = std::fs::read(src.join("package-lock.json")).unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("node-clients");
    std::fs::create_dir_all(&dir).unwrap();
    for f in [
        "package.json",
        "package-lock.json",
        "aio-lib-ims.cjs",
        "seed-001-index.mjs",
        "jwt-auth.cjs",
    ] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let stamp = dir.join(".installed-lock");
    if std::fs::read(&stamp).ok().as_deref() != Some(&lock[..]) {
        let out = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "npm ci failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::write(&stamp, &lock).unwrap();
    }
    Some(dir)
}

#[tokio::test]
async fn aio_lib_ims_gets_and_caches_a_token() {
    let Some(dir) = install() else { return };
    let s = TestServer::start().await;
    let c = &s.dev.credentials.oauth_server_to_server;
    let cwd = tempfile::tempdir().unwrap();
    let out = tokio::process::Command::new("node")
        .arg(dir.join("aio-lib-ims.cjs"))
        .current_dir(cwd.path())
        .env("IMS_BASE", &s.base_url)
        .env("CLIENT_ID", &c.client_id)
        .env("CLIENT_SECRET", &c.client_secret)
        .env("ORG_ID", &s.dev.org_id)
        .env("SCOPES", c.scopes.join(","))
        .env("TECH_ID", &c.technical_account_id)
        .env("TECH_EMAIL", &c.technical_account_email)
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "aio-lib-ims failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let direct = claims(r["direct_token"].as_str().unwrap());
    assert_eq!(direct["client_id"], c.client_id.as_str());
    // aio-lib-ims computed the expiry from created_at + expires_in (milliseconds).
    let created: i64 = direct["created_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(r["direct_expiry"].as_i64().unwrap(), created + 86_400_000);
    assert!(r["context_token"].as_str().unwrap().starts_with("ey"));
    assert_eq!(r["cached"], true, "aio-lib-ims reuses a valid token");
}

/// Seed 001's Node sample (node-fetch + dotenv), as the tutorial writes it, with only its two
/// base URLs pointed at Latchkey: it gets a token and prints the sample asset's metadata.
#[tokio::test]
async fn seed_001_node_sample_prints_the_sample_assets_metadata() {
    let Some(dir) = install() else { return };
    let s = TestServer::start().await;
    let c = &s.dev.credentials.oauth_server_to_server;
    let aem = s.dev.aem.clone().unwrap();
    let sample = std::fs::read_to_string(dir.join("seed-001-index.mjs"))
        .unwrap()
        .replace("https://ims-na1.adobelogin.com", &s.base_url)
        .replace("https://${bucket}.adobeaemcloud.com", &s.base_url)
        .replace("<BUCKETNAME>", &aem.bucket)
        .replace("<ASSETID>", &aem.sample_asset_id);
    std::fs::write(dir.join("seed-001-run.mjs"), sample).unwrap();
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(
        cwd.path().join(".env"),
        format!(
            "CLIENT_ID={}\nCLIENT_SECRET={}\nSCOPES={}\n",
            c.client_id,
            c.client_secret,
            c.scopes.join(",")
        ),
    )
    .unwrap();
    let out = tokio::process::Command::new("node")
        .arg(dir.join("seed-001-run.mjs"))
        .current_dir(cwd.path())
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Access token received"), "{stdout}");
    assert!(stdout.contains("Asset metadata received"), "{stdout}");
    assert!(stdout.contains(&aem.sample_asset_id), "{stdout}");
    assert!(stdout.contains("'repo:path': '/content/dam/wknd-shared/en/adventures/cycling-southern-utah/adobestock-221043703.jpg'"), "{stdout}");
    assert!(
        stdout.contains("A Young Mountain Biking Couple"),
        "{stdout}"
    );
    s.stop().await;
}

#[tokio::test]
async fn adobe_jwt_auth_exchanges_a_jwt_with_the_service_credentials_json() {
    let Some(dir) = install() else { return };
    let s = TestServer::start().await;
    let sc = s
        .dev
        .credentials
        .service_account_jwt
        .as_ref()
        .expect("dev mode seeds a service account");
    let cwd = tempfile::tempdir().unwrap();
    let file = cwd.path().join("service-credentials.json");
    std::fs::write(&file, serde_json::to_vec(sc).unwrap()).unwrap();
    let out = tokio::process::Command::new("node")
        .arg(dir.join("jwt-auth.cjs"))
        .current_dir(cwd.path())
        .env("IMS_BASE", &s.base_url)
        .env("SERVICE_CREDENTIALS", &file)
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "@adobe/jwt-auth failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["ok"]["token_type"], "bearer");
    assert_eq!(r["ok"]["expires_in"], 86_399_999);
    let token = claims(r["ok"]["access_token"].as_str().unwrap());
    assert_eq!(
        token["client_id"],
        sc.integration.technical_account.client_id.as_str()
    );
    assert_eq!(token["user_id"], sc.integration.id.as_str());
    assert_eq!(r["refused"]["code"], "invalid_scope");
    assert_eq!(
        r["refused"]["message"],
        "The metascopes in the JWT are not a subset of the metascopes in the binding."
    );
}

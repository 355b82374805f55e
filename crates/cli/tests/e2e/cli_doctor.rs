//! `latchkey doctor` end to end: the real binary against a dev server, pinpointing each failure
//! of the seed-000 story (not allowlisted, read-only profile, wrong x-api-key, expired token, a
//! refused token request) and passing when everything is right; and, against a server without
//! a dry run (as Adobe's AEM), inferring the stage from Adobe's answer.

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use latchkey_server::clock::Clock;
use latchkey_testkit::TestServer;
use serde_json::{Value, json};

use crate::cli_run::*;

/// `latchkey doctor ARGS --no-cache --dev-credentials <file>`.
async fn doctor(s: &TestServer, args: &[&str]) -> Out {
    let mut all = vec!["doctor", "--no-cache"];
    all.extend_from_slice(args);
    latchkey(&with_dev_file(s, &all), &[]).await
}

/// `latchkey admin ARGS --dev-credentials <file>`.
async fn admin(s: &TestServer, args: &[&str]) -> Out {
    let mut all = vec!["admin"];
    all.extend_from_slice(args);
    latchkey(&with_dev_file(s, &all), &[]).await
}

/// The rows of a `--json` report: (stage, status, reason).
fn rows(out: &Out) -> Vec<(String, String, Option<String>)> {
    let v: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!("--json prints JSON ({e}): {}", out.stdout);
    });
    v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["stage"].as_str().unwrap().to_owned(),
                r["status"].as_str().unwrap().to_owned(),
                r["reason"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// Asserts that exactly `stage` failed with `reason`, the stages before passed and those after
/// were not reached; returns the fix.
fn assert_fails_at(out: &Out, stage: &str, reason: &str) -> String {
    out.fails(
        1,
        &format!(
            "refused at the {} stage",
            stage.replace('_', " ").replace("api key", "x-api-key")
        ),
    );
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let order = [
        "token",
        "api_key",
        "environment",
        "allowlist",
        "technical_account",
        "permission",
    ];
    let at = order.iter().position(|s| *s == stage).unwrap();
    let rows = rows(out);
    assert_eq!(rows.len(), 6, "{}", out.stdout);
    for (i, (name, status, r)) in rows.iter().enumerate() {
        assert_eq!(name, order[i]);
        let expected = match i.cmp(&at) {
            std::cmp::Ordering::Less => "passed",
            std::cmp::Ordering::Equal => "failed",
            std::cmp::Ordering::Greater => "not_reached",
        };
        assert_eq!(status, expected, "{name}: {}", out.stdout);
        if i == at {
            assert_eq!(r.as_deref(), Some(reason), "{}", out.stdout);
        }
    }
    assert_eq!(v["allowed"], false);
    v["stages"][at]["fix"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn doctor_passes_when_all_is_right_and_pinpoints_each_seed_000_failure() {
    let s = TestServer::start().await;
    let aem = s.dev.aem.clone().unwrap();
    let demo = s.dev.credentials.oauth_server_to_server.clone();

    // Everything right: the demo credential reads the DAM, and the sample asset by id.
    let out = doctor(&s, &[]).await;
    let text = out.ok();
    assert_eq!(text.matches("[ ok ]").count(), 6, "{text}");
    assert!(text.contains("would pass every stage"), "{text}");
    assert!(text.contains(&demo.technical_account_email), "{text}");
    let out = doctor(&s, &[&aem.sample_asset_id, "--json"]).await;
    out.ok();
    assert!(rows(&out).iter().all(|(_, st, _)| st == "passed"));

    // PATCH with the read-only collaborator profile: the permission stage, and the way out.
    let out = doctor(&s, &["-X", "PATCH", &aem.sample_asset_id]).await;
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("[FAIL]  permission"), "{}", out.stdout);
    assert!(out.stdout.contains("AEM Administrators"), "{}", out.stdout);
    let out = doctor(&s, &["-X", "PATCH", &aem.sample_asset_id, "--json"]).await;
    let fix = assert_fails_at(&out, "permission", "permission_denied");
    assert!(fix.contains("AEM Administrators"), "{fix}");
    // The same call given as the tutorial's URL.
    let url = format!(
        "{}/adobe/assets/{}/metadata",
        s.base_url, aem.sample_asset_id
    );
    let out = doctor(&s, &["-X", "PATCH", &url, "--json"]).await;
    assert_fails_at(&out, "permission", "permission_denied");

    // The x-api-key of another client.
    let out = doctor(
        &s,
        &["--api-key", "0123456789abcdef0123456789abcdef", "--json"],
    )
    .await;
    let fix = assert_fails_at(&out, "api_key", "api_key_invalid");
    assert!(fix.contains("x-api-key"), "{fix}");

    // Not allowlisted: an api.yaml that lists someone else, deployed with the CLI.
    let product = aem.product_id.to_string();
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("api.yaml");
    let api_yaml = |client: &str| {
        format!(
            "kind: \"API\"\nversion: \"1\"\nmetadata:\n  envTypes: [\"dev\"]\ndata:\n  allowedClientIDs:\n    author:\n      - \"{client}\"\n"
        )
    };
    std::fs::write(&yaml, api_yaml("someone-else")).unwrap();
    let yaml = yaml.display().to_string();
    admin(&s, &["aem", "deploy", &product, &yaml]).await.ok();
    let shown = admin(&s, &["aem", "allowlist", &product]).await;
    assert!(shown.ok().contains("someone-else"), "{}", shown.stdout);
    let out = doctor(&s, &["--json"]).await;
    let fix = assert_fails_at(&out, "allowlist", "client_not_allowlisted");
    assert!(
        fix.contains(&demo.client_id)
            && fix.contains("allowedClientIDs.author")
            && fix.contains("latchkey admin aem deploy"),
        "{fix}"
    );
    let out = doctor(&s, &[]).await;
    assert!(
        out.stdout
            .contains("IMS Client ID not allowlisted. Allowlist the Client ID"),
        "{}",
        out.stdout
    );
    // Fixed as the fix says, the call passes again; with no api.yaml at all, it does not.
    std::fs::write(&yaml, api_yaml(&demo.client_id)).unwrap();
    admin(&s, &["aem", "deploy", &product, &yaml]).await.ok();
    doctor(&s, &[]).await.ok();
    admin(&s, &["aem", "undeploy", &product]).await.ok();
    let out = doctor(&s, &["--json"]).await;
    assert_fails_at(&out, "allowlist", "no_api_config");
    admin(&s, &["aem", "deploy", &product, &yaml]).await.ok();
    admin(&s, &["aem", "users", &product])
        .await
        .ok()
        .contains(&demo.technical_account_email)
        .then_some(())
        .expect("the technical-account user is listed");
}

#[tokio::test]
async fn a_grant_made_as_the_fix_says_lets_the_write_through() {
    let s = TestServer::start().await;
    let aem = s.dev.aem.clone().unwrap();
    let product = aem.product_id.to_string();
    let patch = ["-X", "PATCH", aem.sample_asset_id.as_str(), "--json"];
    assert_fails_at(&doctor(&s, &patch).await, "permission", "permission_denied");
    let group = "AEM Assets Collaborator Users - Service";
    let granted = admin(
        &s,
        &[
            "aem",
            "grant",
            &product,
            "--group",
            group,
            "--path",
            "/content/dam",
            "--privileges",
            "modify",
            "--json",
        ],
    )
    .await
    .json();
    let out = doctor(&s, &patch).await;
    out.ok();
    assert_eq!(
        serde_json::from_str::<Value>(&out.stdout).unwrap()["allowed"],
        true
    );
    let acls = admin(&s, &["aem", "acls", &product, "--json"]).await.json();
    assert_eq!(acls.as_array().unwrap().len(), 1, "{acls}");
    let groups = admin(&s, &["aem", "groups", &product]).await;
    assert!(groups.ok().contains(group), "{}", groups.stdout);
    let id = granted["id"].as_i64().unwrap().to_string();
    admin(&s, &["aem", "revoke", &product, &id]).await.ok();
    assert_fails_at(&doctor(&s, &patch).await, "permission", "permission_denied");
    // A group no profile or service makes is granted with a warning: the grant does nothing
    // until a profile of that name exists.
    let out = admin(
        &s,
        &[
            "aem",
            "grant",
            &product,
            "--group",
            "Nobody",
            "--path",
            "/content/dam",
            "--privileges",
            "read",
        ],
    )
    .await;
    out.ok();
    assert!(
        out.stderr
            .contains("warning: no product profile or service"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn doctor_pinpoints_an_expired_token_and_a_refused_token_request() {
    let clock = Clock::fixed(latchkey_core::time::UnixMillis(1_800_000_000_000));
    let s = TestServer::start_with(|_| {}, clock.clone()).await;
    let demo = s.dev.credentials.oauth_server_to_server.clone();
    let token = token(&s, &demo.client_id, &demo.client_secret)
        .await
        .unwrap();
    let out = doctor(&s, &["--token", &token, "--json"]).await;
    out.ok();
    // A day and an hour later by the server's clock, the token an application kept is refused.
    clock.set(latchkey_core::time::UnixMillis(
        1_800_000_000_000 + 25 * 3_600_000,
    ));
    let out = doctor(&s, &["--token", &token, "--json"]).await;
    let fix = assert_fails_at(&out, "token", "token_expired");
    assert!(fix.contains("new token"), "{fix}");

    // A wrong secret: the identity service refuses, and nothing else is tried.
    let out = latchkey(
        &[
            "doctor",
            "--no-cache",
            "--json",
            "--ims",
            &s.base_url,
            "--aem",
            &s.base_url,
            "--client-id",
            &demo.client_id,
            "--client-secret",
            "p8e-wrong",
        ],
        &[],
    )
    .await;
    let fix = assert_fails_at(&out, "token", "invalid_client");
    assert!(fix.contains("CLIENT_SECRET"), "{fix}");
}

/// A stand-in for Adobe's AEM, which has no dry run: its answers are those of
/// reference/adobe-protocol.md §7.2, chosen per path.
async fn adobe_like(status: StatusCode, body: Value) -> (String, tokio::task::JoinHandle<()>) {
    let app = Router::new()
        .route(
            "/adobe/folders",
            get(move || {
                let body = body.clone();
                async move { (status, axum::Json(body)) }
            }),
        )
        .fallback(|| async { (StatusCode::NOT_FOUND, "Not Found") });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (url, task)
}

#[tokio::test]
async fn without_a_dry_run_the_stage_is_inferred_from_adobes_answer() {
    let s = TestServer::start().await;
    let cases = [
        (
            StatusCode::FORBIDDEN,
            json!({"title":"Forbidden","status":403,"detail":"IMS Client ID not allowlisted. Allowlist the Client ID using the Configuration Pipeline."}),
            "allowlist",
            "client_not_allowlisted",
            "config pipeline",
        ),
        (
            StatusCode::UNAUTHORIZED,
            json!({"error_code":"401013","message":"Oauth token is not valid"}),
            "token",
            "token_invalid",
            "new token",
        ),
        (
            StatusCode::FORBIDDEN,
            json!({"error_code":"403003","message":"Api Key is invalid"}),
            "api_key",
            "api_key_invalid",
            "x-api-key",
        ),
    ];
    for (status, body, stage, reason, fix_has) in cases {
        let (aem, task) = adobe_like(status, body).await;
        let out = doctor(&s, &["--aem", &aem, "--json"]).await;
        let fix = assert_fails_at(&out, stage, reason);
        assert!(fix.contains(fix_has), "{stage}: {fix}");
        task.abort();
    }
    // Reading is allowed; a write cannot be checked without making it, and is not made.
    let (aem, task) = adobe_like(StatusCode::OK, json!({"self":{},"children":[]})).await;
    let out = doctor(&s, &["--aem", &aem, "-X", "DELETE", "/content/dam/x"]).await;
    let text = out.ok();
    assert!(text.contains("[ ?? ]  permission"), "{text}");
    assert!(text.contains("no dry run"), "{text}");
    task.abort();
}

//! The console API: the I/O Management API secrets endpoints (shape, limits, authorization),
//! credential management, revocation and the audit log.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use latchkey_core::audit::Actor;
use latchkey_core::provision::{self, CredentialSpec};
use latchkey_core::scope::ScopeList;
use latchkey_server::clock::Clock;
use latchkey_testkit::TestServer;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::*;

fn secrets_path(s: &TestServer, cred: i64) -> String {
    format!(
        "/console/organizations/{}/credentials/{cred}/secrets",
        s.dev.org_id
    )
}

async fn token_for(s: &TestServer, id: &str, secret: &str, scope: &str) -> Admin {
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={id}&client_secret={secret}&scope={scope}"
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    Admin {
        client_id: id.to_owned(),
        token: r.json["access_token"].as_str().unwrap().to_owned(),
    }
}

/// Creates, through the console, a credential that may manage its own secrets.
async fn self_managing_credential(s: &TestServer, admin: &Admin) -> (i64, String, String) {
    let org = &s.dev.org_id;
    let p = console(
        s,
        Method::POST,
        &format!("/console/organizations/{org}/projects"),
        admin,
        Some(json!({"name": "Rotation"})),
    )
    .await;
    assert_eq!(p.status, 201, "{}", p.text);
    let r = console(
        s,
        Method::POST,
        &format!("/console/organizations/{org}/projects/{}/credentials", p.json["id"]),
        admin,
        Some(json!({"name": "rotating app", "scopes": ["openid", "AdobeID", "read_client_secret", "manage_client_secrets"]})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    (
        r.json["credential"]["id"].as_i64().unwrap(),
        r.json["credential"]["client_id"]
            .as_str()
            .unwrap()
            .to_owned(),
        r.json["client_secret"].as_str().unwrap().to_owned(),
    )
}

fn assert_console_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.json["error_code"], code, "{}", r.text);
    assert!(
        r.json["message"].as_str().is_some_and(|m| m.len() > 10),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn secrets_api_has_adobes_shape_and_limits() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let cred = s.dev.credentials.oauth_server_to_server.clone();
    let path = secrets_path(&s, cred.credential_id);
    let list = console(&s, Method::GET, &path, &admin, None).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.json["client_id"], cred.client_id.as_str());
    let first = &list.json["client_secrets"][0];
    assert_eq!(first["expires_at"], "PERMANENT");
    assert!(first["created_at"].as_str().unwrap().parse::<i64>().is_ok());
    assert!(first["created_at_str"].as_str().unwrap().ends_with(" UTC"));
    assert_eq!(first["secret_usages"], Value::Null);
    assert!(
        !list.text.contains(&cred.client_secret),
        "a listing shows a secret"
    );
    // Add: 201, plaintext once.
    let added = console(&s, Method::POST, &path, &admin, None).await;
    assert_eq!(added.status, 201, "{}", added.text);
    let new_secret = added.json["client_secret"].as_str().unwrap().to_owned();
    assert!(new_secret.starts_with("p8e-"));
    let new_uuid = added.json["uuid"].as_str().unwrap().to_owned();
    // The new secret works at once; a use shows up in secret_usages.
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={new_secret}",
            cred.client_id
        ),
    )
    .await;
    assert_eq!(r.status, 200);
    let list = console(&s, Method::GET, &path, &admin, None).await;
    let entry = list.json["client_secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uuid"] == new_uuid.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        entry["secret_usages"][0]["grant_type"],
        "client_credentials"
    );
    assert!(
        entry["secret_usages"][0]["last_used_at"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .is_ok()
    );
    assert!(!list.text.contains(&new_secret));
    // A third secret: 409.
    assert_console_error(
        &console(&s, Method::POST, &path, &admin, None).await,
        409,
        "secret_limit_reached",
    );
    // Delete the old one: 204; it stops working with Adobe's exact error.
    let old_uuid = first["uuid"].as_str().unwrap();
    let r = console(
        &s,
        Method::DELETE,
        &format!("{path}/{old_uuid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            cred.client_id, cred.client_secret
        ),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_client");
    assert_eq!(
        r.json["error_description"],
        "invalid client_secret parameter"
    );
    // The last one cannot go; unknown uuids are 404.
    assert_console_error(
        &console(
            &s,
            Method::DELETE,
            &format!("{path}/{new_uuid}"),
            &admin,
            None,
        )
        .await,
        409,
        "last_secret",
    );
    assert_console_error(
        &console(
            &s,
            Method::DELETE,
            &format!("{path}/{old_uuid}"),
            &admin,
            None,
        )
        .await,
        404,
        "not_found",
    );
    assert_console_error(
        &console(&s, Method::GET, &secrets_path(&s, 99_999), &admin, None).await,
        404,
        "not_found",
    );
}

#[tokio::test]
async fn authorization_no_token_wrong_key_wrong_org_wrong_credential_missing_scope() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let demo = s.dev.credentials.oauth_server_to_server.clone();
    let path = secrets_path(&s, demo.credential_id);
    // No token.
    let r = send(
        client()
            .get(s.url(&path))
            .header("x-api-key", &admin.client_id),
    )
    .await;
    assert_console_error(&r, 401, "invalid_token");
    assert!(
        r.headers["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    // Garbage token.
    let r = send(
        client()
            .get(s.url(&path))
            .bearer_auth("garbage")
            .header("x-api-key", &admin.client_id),
    )
    .await;
    assert_console_error(&r, 401, "invalid_token");
    // No / wrong x-api-key.
    assert_console_error(
        &send(client().get(s.url(&path)).bearer_auth(&admin.token)).await,
        403,
        "missing_api_key",
    );
    let wrong = Admin {
        client_id: demo.client_id.clone(),
        token: admin.token.clone(),
    };
    assert_console_error(
        &console(&s, Method::GET, &path, &wrong, None).await,
        403,
        "api_key_mismatch",
    );
    // The demo credential (no secret scopes) may not read its own secrets, nor the admin's.
    let own = token_for(&s, &demo.client_id, &demo.client_secret, "openid").await;
    assert_console_error(
        &console(&s, Method::GET, &path, &own, None).await,
        403,
        "insufficient_scope",
    );
    let admin_id = s.dev.admin.as_ref().unwrap().credential_id;
    assert_console_error(
        &console(&s, Method::GET, &secrets_path(&s, admin_id), &own, None).await,
        403,
        "forbidden",
    );
    assert_console_error(
        &console(
            &s,
            Method::GET,
            &format!("/console/organizations/{}/credentials", s.dev.org_id),
            &own,
            None,
        )
        .await,
        403,
        "forbidden",
    );
    // An admin of another organization can do nothing here, and learns nothing.
    let store = s.state.store.as_ref();
    let now = s.state.clock.now();
    let other_org = provision::create_organization(store, &Actor::system(), "Other", now)
        .await
        .unwrap();
    let project = provision::create_project(store, &Actor::system(), &other_org.id, "p", now)
        .await
        .unwrap();
    let spec = CredentialSpec {
        kind: latchkey_core::credentials::CredentialKind::OAuthServerToServer,
        name: "other admin".into(),
        scopes: ScopeList::parse("openid,manage_client_secrets").unwrap(),
        admin: true,
    };
    let (other, secret) = provision::create_credential(
        store,
        &s.state.hasher,
        &Actor::system(),
        &project,
        spec,
        now,
    )
    .await
    .unwrap();
    let intruder = token_for(&s, other.client_id.as_str(), secret.expose(), "openid").await;
    for (m, p) in [
        (Method::GET, path.clone()),
        (Method::POST, path.clone()),
        (Method::GET, secrets_path(&s, 99_999)),
        (
            Method::POST,
            format!(
                "/console/organizations/{}/credentials/{}/revoke_tokens",
                s.dev.org_id, demo.credential_id
            ),
        ),
        (
            Method::GET,
            format!("/console/organizations/{}/audit", s.dev.org_id),
        ),
    ] {
        assert_console_error(&console(&s, m, &p, &intruder, None).await, 403, "forbidden");
    }
    // ... but everything in its own organization.
    let own_path = format!(
        "/console/organizations/{}/credentials/{}/secrets",
        other_org.id, other.id
    );
    assert_eq!(
        console(&s, Method::GET, &own_path, &intruder, None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_credential_manages_its_own_secrets_with_the_right_scope() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let (id, client_id, secret) = self_managing_credential(&s, &admin).await;
    let me = token_for(&s, &client_id, &secret, "openid,manage_client_secrets").await;
    let path = secrets_path(&s, id);
    assert_eq!(console(&s, Method::GET, &path, &me, None).await.status, 200);
    let added = console(&s, Method::POST, &path, &me, None).await;
    assert_eq!(added.status, 201, "{}", added.text);
    let reader = token_for(&s, &client_id, &secret, "read_client_secret").await;
    assert_eq!(
        console(&s, Method::GET, &path, &reader, None).await.status,
        200
    );
    assert_console_error(
        &console(&s, Method::POST, &path, &reader, None).await,
        403,
        "insufficient_scope",
    );
    // Never another credential's secrets.
    let demo = s.dev.credentials.oauth_server_to_server.credential_id;
    assert_console_error(
        &console(&s, Method::GET, &secrets_path(&s, demo), &me, None).await,
        403,
        "forbidden",
    );
}

#[tokio::test]
async fn rotation_while_a_client_keeps_requesting_tokens_has_zero_failures() {
    let s = TestServer::start_with(
        |c| c.limits.tokens_per_credential_per_minute = 0,
        Clock::system(),
    )
    .await;
    let admin = admin_token(&s).await;
    let cred = s.dev.credentials.oauth_server_to_server.clone();
    let path = secrets_path(&s, cred.credential_id);
    let current = Arc::new(std::sync::Mutex::new(cred.client_secret.clone()));
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let url = s.url("/ims/token/v3");
    let worker = {
        let (current, stop, ok, failed, id) = (
            current.clone(),
            stop.clone(),
            ok.clone(),
            failed.clone(),
            cred.client_id.clone(),
        );
        tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let secret = current.lock().unwrap().clone();
                let r = post_form(
                    &url,
                    &format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"),
                )
                .await;
                if r.status == 200 {
                    ok.fetch_add(1, Ordering::SeqCst)
                } else {
                    failed.fetch_add(1, Ordering::SeqCst)
                };
            }
        })
    };
    let wait_for = |n: usize| {
        let ok = ok.clone();
        async move {
            let target = ok.load(Ordering::SeqCst) + n;
            while ok.load(Ordering::SeqCst) < target {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        }
    };
    wait_for(20).await;
    let old_uuid =
        console(&s, Method::GET, &path, &admin, None).await.json["client_secrets"][0]["uuid"]
            .as_str()
            .unwrap()
            .to_owned();
    let added = console(&s, Method::POST, &path, &admin, None).await;
    assert_eq!(added.status, 201);
    let new_uuid = added.json["uuid"].as_str().unwrap().to_owned();
    // The client switches to the new secret.
    *current.lock().unwrap() = added.json["client_secret"].as_str().unwrap().to_owned();
    wait_for(20).await;
    let switch = s.state.clock.now().0;
    wait_for(20).await;
    // last_used_at shows the switch: the new secret is used after the old one's last use.
    let list = console(&s, Method::GET, &path, &admin, None).await.json;
    let last = |uuid: &str| -> i64 {
        let e = list["client_secrets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["uuid"] == uuid)
            .unwrap();
        e["secret_usages"][0]["last_used_at"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(
        last(&new_uuid) >= switch && last(&old_uuid) <= switch,
        "last_used_at does not show the switch"
    );
    let r = console(
        &s,
        Method::DELETE,
        &format!("{path}/{old_uuid}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(r.status, 204);
    wait_for(20).await;
    stop.store(true, Ordering::SeqCst);
    worker.await.unwrap();
    assert_eq!(
        failed.load(Ordering::SeqCst),
        0,
        "token requests failed during rotation"
    );
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            cred.client_id, cred.client_secret
        ),
    )
    .await;
    assert_eq!(
        r.json["error_description"],
        "invalid client_secret parameter"
    );
}

#[tokio::test]
async fn audit_log_records_who_what_when_where_and_never_a_secret() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let cred = s.dev.credentials.oauth_server_to_server.clone();
    let path = secrets_path(&s, cred.credential_id);
    let added = console(&s, Method::POST, &path, &admin, None).await;
    let secret = added.json["client_secret"].as_str().unwrap().to_owned();
    let uuid = added.json["uuid"].as_str().unwrap().to_owned();
    console(&s, Method::DELETE, &format!("{path}/{uuid}"), &admin, None).await;
    let audit = format!("/console/organizations/{}/audit", s.dev.org_id);
    let page = console(&s, Method::GET, &audit, &admin, None).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let entries = page.json["entries"].as_array().unwrap();
    assert_eq!(entries[0]["action"], "secret.deleted");
    assert_eq!(entries[1]["action"], "secret.added");
    assert_eq!(entries[0]["actor"], admin.client_id.as_str());
    assert_eq!(entries[0]["peer"], "127.0.0.1");
    assert_eq!(entries[0]["target"], format!("secret:{uuid}"));
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "credential.created" && e["actor"] == "system")
    );
    for needle in [
        secret.as_str(),
        cred.client_secret.as_str(),
        s.dev.admin.as_ref().unwrap().client_secret.as_str(),
        admin.token.as_str(),
    ] {
        assert!(
            !page.text.contains(needle),
            "the audit log contains a secret or token"
        );
    }
    let filtered = console(
        &s,
        Method::GET,
        &format!("{audit}?action=secret.added&limit=1"),
        &admin,
        None,
    )
    .await
    .json;
    assert_eq!(filtered["entries"].as_array().unwrap().len(), 1);
    assert_eq!(filtered["entries"][0]["action"], "secret.added");
    assert_console_error(
        &console(
            &s,
            Method::GET,
            &format!("{audit}?action=nope"),
            &admin,
            None,
        )
        .await,
        400,
        "invalid_request",
    );
    assert_console_error(
        &console(&s, Method::GET, &format!("{audit}?limit=abc"), &admin, None).await,
        400,
        "invalid_request",
    );
}

#[tokio::test]
async fn bad_bodies_get_clear_4xx_never_5xx() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let url = s.url(&format!("/console/organizations/{}/projects", s.dev.org_id));
    let with = |body: &'static str, ct: &'static str| {
        client()
            .post(&url)
            .bearer_auth(&admin.token)
            .header("x-api-key", &admin.client_id)
            .header("content-type", ct)
            .body(body)
    };
    for (body, ct, status, code) in [
        ("{", "application/json", 400, "invalid_request"),
        (r#"{"name": 5}"#, "application/json", 400, "invalid_request"),
        (
            r#"{"name": "x", "extra": 1}"#,
            "application/json",
            400,
            "invalid_request",
        ),
        (
            r#"{"name": ""}"#,
            "application/json",
            400,
            "invalid_request",
        ),
        (
            r#"{"name": "x"}"#,
            "text/plain",
            415,
            "unsupported_media_type",
        ),
    ] {
        let r = send(with(body, ct)).await;
        assert_console_error(&r, status, code);
        assert!(r.json["message"].as_str().unwrap().len() > 10);
    }
    let big = format!(r#"{{"name": "{}"}}"#, "x".repeat(100_000));
    let r = send(
        client()
            .post(&url)
            .bearer_auth(&admin.token)
            .header("x-api-key", &admin.client_id)
            .header("content-type", "application/json")
            .body(big),
    )
    .await;
    assert_console_error(&r, 413, "payload_too_large");
    let deep = "[".repeat(100_000);
    let r = send(
        client()
            .post(&url)
            .bearer_auth(&admin.token)
            .header("x-api-key", &admin.client_id)
            .header("content-type", "application/json")
            .body(deep),
    )
    .await;
    assert!(r.status == 400 || r.status == 413, "{}", r.status);
    let r = console(
        &s,
        Method::GET,
        "/console/organizations/not-an-org/credentials",
        &admin,
        None,
    )
    .await;
    assert_console_error(&r, 400, "invalid_request");
    let r = console(
        &s,
        Method::GET,
        &format!(
            "/console/organizations/{}/credentials/abc/secrets",
            s.dev.org_id
        ),
        &admin,
        None,
    )
    .await;
    assert_console_error(&r, 400, "invalid_request");
}

#[tokio::test]
async fn organizations_are_visible_to_their_own_credentials_only() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let list = console(&s, Method::GET, "/console/organizations", &admin, None).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.json[0]["id"], s.dev.org_id.as_str());
    assert_eq!(list.json[0]["name"], "Default Organization");
    let demo = s.dev.credentials.oauth_server_to_server.clone();
    let own = token_for(&s, &demo.client_id, &demo.client_secret, "openid").await;
    let one = console(
        &s,
        Method::GET,
        &format!("/console/organizations/{}", s.dev.org_id),
        &own,
        None,
    )
    .await;
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.json["id"], s.dev.org_id.as_str());
    let other = console(
        &s,
        Method::GET,
        "/console/organizations/ABCDEF0123456789ABCDEF01@AdobeOrg",
        &own,
        None,
    )
    .await;
    assert_console_error(&other, 403, "forbidden");
}

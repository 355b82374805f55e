//! The API side end to end: the story of seeds/000 replayed against a dev server, every
//! gateway refusal with Adobe's codes, bucket routing, and the technical-account user created
//! exactly once under concurrent first calls.

use latchkey_server::clock::Clock;
use latchkey_testkit::TestServer;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Admin, Resp, admin_token, client, console, post_form, send};

/// A credential created through the console, with a token.
struct Cred {
    id: i64,
    client_id: String,
    token: String,
}

async fn new_credential(s: &TestServer, admin: &Admin, name: &str) -> Cred {
    let org = &s.dev.org_id;
    let projects = console(
        s,
        Method::GET,
        &format!("/console/organizations/{org}/projects"),
        admin,
        None,
    )
    .await;
    let project = projects.json.as_array().unwrap()[0]["id"].as_i64().unwrap();
    let r = console(
        s,
        Method::POST,
        &format!("/console/organizations/{org}/projects/{project}/credentials"),
        admin,
        Some(json!({"name": name, "scopes": ["openid", "AdobeID", "aem.assets.author"]})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let client_id = r.json["credential"]["client_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let secret = r.json["client_secret"].as_str().unwrap().to_owned();
    let t = post_form(
        &s.url("/ims/token/v3"),
        &format!("grant_type=client_credentials&client_id={client_id}&client_secret={secret}&scope=openid,AdobeID,aem.assets.author"),
    )
    .await;
    assert_eq!(t.status, 200, "{}", t.text);
    Cred {
        id: r.json["credential"]["id"].as_i64().unwrap(),
        client_id,
        token: t.json["access_token"].as_str().unwrap().to_owned(),
    }
}

fn api(s: &TestServer, method: Method, path: &str, c: &Cred) -> reqwest::RequestBuilder {
    client()
        .request(method, s.url(path))
        .bearer_auth(&c.token)
        .header("x-api-key", &c.client_id)
}

/// Asserts a self-explaining denial and returns its body.
fn assert_denied(r: &Resp, status: u16, stage: &str, reason: &str) -> Value {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.headers["x-latchkey-denial-stage"], stage, "{}", r.text);
    assert_eq!(r.headers["x-latchkey-denial-reason"], reason, "{}", r.text);
    assert_eq!(r.json["reason"], reason, "{}", r.text);
    assert!(
        r.json["fix"].as_str().is_some_and(|f| f.len() > 10),
        "{}",
        r.text
    );
    r.json.clone()
}

fn product_path(s: &TestServer, rest: &str) -> String {
    let aem = s.dev.aem.as_ref().unwrap();
    format!(
        "/console/organizations/{}/products/{}{rest}",
        s.dev.org_id, aem.product_id
    )
}

#[tokio::test]
async fn seed_000_replayed_every_403_explains_itself() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let aem = s.dev.aem.clone().unwrap();
    let asset = aem.sample_asset_id.clone();
    let meta = format!("/adobe/assets/{asset}/metadata");
    // A fresh credential on the read-only collaborator profile, as the tutorial sets it up.
    let c = new_credential(&s, &admin, "Seed 000 integration").await;
    let profiles = console(
        &s,
        Method::GET,
        &product_path(&s, "/profiles"),
        &admin,
        None,
    )
    .await;
    let collab = profiles.json.as_array().unwrap()[0]["id"].as_i64().unwrap();
    let org = &s.dev.org_id;
    let r = console(
        &s,
        Method::PUT,
        &format!(
            "/console/organizations/{org}/credentials/{}/profiles/{collab}",
            c.id
        ),
        &admin,
        None,
    )
    .await;
    assert!(r.status < 300, "{}", r.text);

    // The token is fine, and the API still says 403: the client is not allowlisted.
    let r = send(api(&s, Method::GET, &meta, &c)).await;
    let body = assert_denied(&r, 403, "allowlist", "client_not_allowlisted");
    assert_eq!(r.headers["content-type"], "application/problem+json");
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.starts_with("IMS Client ID not allowlisted. Allowlist the Client ID using the Configuration Pipeline."), "{detail}");
    assert!(
        detail.contains(&c.client_id) && detail.contains("allowedClientIDs.author"),
        "{detail}"
    );
    assert!(body["fix"].as_str().unwrap().contains(&c.client_id));

    // The config pipeline: an invalid file is refused with its line; a valid one applies at once.
    let bad = "kind: \"API\"\nversion: \"1\"\ndata:\n  allowedClientIDs:\n    autor: [\"x\"]\n";
    let r = send(
        client()
            .put(s.url(&product_path(&s, "/api-config")))
            .bearer_auth(&admin.token)
            .header("x-api-key", &admin.client_id)
            .header("content-type", "application/yaml")
            .body(bad),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(
        r.json["message"].as_str().unwrap().contains("line 5"),
        "{}",
        r.text
    );
    let yaml = format!(
        "kind: \"API\"\nversion: \"1\"\nmetadata:\n  envTypes: [\"dev\", \"stage\", \"prod\"]\ndata:\n  allowedClientIDs:\n    author:\n      - \"{}\"\n      - \"{}\"\n",
        s.dev.credentials.oauth_server_to_server.client_id, c.client_id
    );
    let r = send(
        client()
            .put(s.url(&product_path(&s, "/api-config")))
            .bearer_auth(&admin.token)
            .header("x-api-key", &admin.client_id)
            .header("content-type", "application/yaml")
            .body(yaml),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["author"].as_array().unwrap().len(), 2);

    // GET metadata works; ETag and If-None-Match (the tutorial's literal "string" matches nothing).
    let r = send(
        api(&s, Method::GET, &meta, &c)
            .header("if-none-match", "\"string\"")
            .header("x-adobe-accept-experimental", "1"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["assetId"], asset.as_str());
    assert_eq!(r.json["repositoryMetadata"]["repo:state"], "ACTIVE");
    assert_eq!(
        r.json["repositoryMetadata"]["repo:name"],
        "adobestock-221043703.jpg"
    );
    assert_eq!(
        r.json["assetMetadata"]["xmp:CreatorTool"],
        "Adobe Photoshop Lightroom Classic 7.5 (Macintosh)"
    );
    let etag = r.headers["etag"].to_str().unwrap().to_owned();
    let r = send(api(&s, Method::GET, &meta, &c).header("if-none-match", &etag)).await;
    assert_eq!(r.status, 304);

    // PATCH: 403, the collaborator service grants read only.
    let patch = json!([{"op": "add", "path": "wknd-sku", "value": "WKND-1"}]);
    let r = send(
        api(&s, Method::PATCH, &meta, &c)
            .header("content-type", "application/json-patch+json")
            .body(patch.to_string()),
    )
    .await;
    let body = assert_denied(&r, 403, "permission", "permission_denied");
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("modify")
            && detail.contains("read only")
            && detail.contains("AEM Assets Collaborator Users - Service"),
        "{detail}"
    );
    assert!(body["fix"].as_str().unwrap().contains("AEM Administrators"));

    // A profile with the AEM Administrators service, assigned: the same token may now write.
    let r = console(
        &s,
        Method::POST,
        &product_path(&s, "/profiles"),
        &admin,
        Some(json!({"tier": "author", "services": ["AEM Assets API Users", "AEM Administrators"]})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let admins = r.json["id"].as_i64().unwrap();
    let r = console(
        &s,
        Method::PUT,
        &format!(
            "/console/organizations/{org}/credentials/{}/profiles/{admins}",
            c.id
        ),
        &admin,
        None,
    )
    .await;
    assert!(r.status < 300, "{}", r.text);
    let r = send(
        api(&s, Method::PATCH, &meta, &c)
            .header("content-type", "application/json-patch+json")
            .header("if-match", "\"00000000-9\"")
            .body(patch.to_string()),
    )
    .await;
    assert_eq!(r.status, 412, "{}", r.text);
    let r = send(
        api(&s, Method::PATCH, &meta, &c)
            .header("content-type", "application/json-patch+json")
            .header("if-match", &etag)
            .body(patch.to_string()),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["assetMetadata"]["wknd-sku"], "WKND-1");
    assert_ne!(r.headers["etag"].to_str().unwrap(), etag);

    // Folders, upload, download, delete: what the forum poster needed.
    let r = send(api(&s, Method::POST, "/adobe/folders", &c).json(&json!([{"path": "/content/dam/seed000", "title": "Seed 000"}, {"path": "/content/dam/seed000/in"}]))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json[0]["title"], "Seed 000");
    assert!(
        r.json[1]["folderId"]
            .as_str()
            .unwrap()
            .starts_with("urn:aaid:aem:")
    );
    let r = send(
        api(&s, Method::POST, "/adobe/folders", &c)
            .json(&json!([{"path": "/content/dam/seed000"}])),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.headers["content-type"], "application/problem+json");
    let r = send(
        api(
            &s,
            Method::POST,
            "/adobe/assets?folder=/content/dam/seed000&name=hello.txt",
            &c,
        )
        .header("content-type", "text/plain")
        .body("hello, AEM"),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json["assetId"].as_str().unwrap().to_owned();
    assert_eq!(r.json["size"], 10);
    let r = send(api(
        &s,
        Method::GET,
        &format!("/adobe/assets/{id}/original"),
        &c,
    ))
    .await;
    assert_eq!((r.status, r.text.as_str()), (200, "hello, AEM"));
    assert_eq!(r.headers["content-type"], "text/plain");
    let r = send(api(
        &s,
        Method::GET,
        "/adobe/folders?path=/content/dam/seed000&limit=1",
        &c,
    ))
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["self"]["title"], "Seed 000");
    assert_eq!(r.json["children"].as_array().unwrap().len(), 1);
    let cursor = r.json["cursor"].as_str().unwrap().to_owned();
    let r = send(api(
        &s,
        Method::GET,
        &format!("/adobe/folders?path=/content/dam/seed000&limit=1&cursor={cursor}"),
        &c,
    ))
    .await;
    assert_eq!(r.json["children"][0]["name"], "in", "{}", r.text);
    assert!(r.json["cursor"].is_null());
    let r = send(api(&s, Method::DELETE, &format!("/adobe/assets/{id}"), &c)).await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = send(api(
        &s,
        Method::GET,
        &format!("/adobe/assets/{id}/metadata"),
        &c,
    ))
    .await;
    assert_eq!(r.status, 404);
    let r = send(api(
        &s,
        Method::DELETE,
        "/adobe/folders?path=/content/dam/seed000",
        &c,
    ))
    .await;
    assert_eq!(r.status, 409, "not empty: {}", r.text);
    let r = send(api(
        &s,
        Method::DELETE,
        "/adobe/folders?path=/content/dam/seed000&recursive=true",
        &c,
    ))
    .await;
    assert_eq!(r.status, 204, "{}", r.text);

    // Tools › Security: the technical-account user exists, with its groups.
    let r = console(&s, Method::GET, &product_path(&s, "/users"), &admin, None).await;
    let user = r
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["credential_id"] == c.id)
        .cloned()
        .unwrap();
    let groups: Vec<&str> = user["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    assert!(
        groups.contains(&"contributor") && groups.contains(&"AEM Administrators - Service"),
        "{groups:?}"
    );
    let r = console(&s, Method::GET, &product_path(&s, "/groups"), &admin, None).await;
    let admins_group = r
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "AEM Administrators - Service")
        .cloned()
        .unwrap();
    assert_eq!(
        admins_group["builtin_privileges"],
        json!(["read", "create", "modify", "delete"])
    );
    s.stop().await;
}

#[tokio::test]
async fn explicit_grants_and_profile_removal_apply_to_issued_tokens() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let demo = &s.dev.credentials.oauth_server_to_server;
    let t = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            demo.client_id, demo.client_secret
        ),
    )
    .await;
    let c = Cred {
        id: demo.credential_id,
        client_id: demo.client_id.clone(),
        token: t.json["access_token"].as_str().unwrap().to_owned(),
    };
    let folders = json!([{"path": "/content/dam/team"}]);
    let r = send(api(&s, Method::POST, "/adobe/folders", &c).json(&folders)).await;
    assert_denied(&r, 403, "permission", "permission_denied");
    // Grant create on /content/dam to the collaborator service group.
    let r = console(&s, Method::POST, &product_path(&s, "/acls"), &admin, Some(json!({"group": "AEM Assets Collaborator Users - Service", "path": "/content/dam", "privileges": ["create"]}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let acl = r.json["id"].as_i64().unwrap();
    let r = send(api(&s, Method::POST, "/adobe/folders", &c).json(&folders)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    // Bad grants are refused with the reason.
    let r = console(
        &s,
        Method::POST,
        &product_path(&s, "/acls"),
        &admin,
        Some(json!({"group": "g", "path": "/etc", "privileges": ["read"]})),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    let r = console(
        &s,
        Method::POST,
        &product_path(&s, "/acls"),
        &admin,
        Some(json!({"group": "g", "path": "/content/dam", "privileges": ["write"]})),
    )
    .await;
    assert!(
        r.json["message"].as_str().unwrap().contains("write"),
        "{}",
        r.text
    );
    let r = console(
        &s,
        Method::DELETE,
        &product_path(&s, &format!("/acls/{acl}")),
        &admin,
        None,
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = send(
        api(&s, Method::POST, "/adobe/folders", &c).json(&json!([{"path": "/content/dam/team2"}])),
    )
    .await;
    assert_denied(&r, 403, "permission", "permission_denied");
    // Removing the credential's only profile: the technical-account stage refuses.
    let profiles = console(
        &s,
        Method::GET,
        &format!(
            "/console/organizations/{}/credentials/{}/profiles",
            s.dev.org_id, c.id
        ),
        &admin,
        None,
    )
    .await;
    let profile = profiles.json.as_array().unwrap()[0]["id"].as_i64().unwrap();
    let r = console(
        &s,
        Method::DELETE,
        &format!(
            "/console/organizations/{}/credentials/{}/profiles/{profile}",
            s.dev.org_id, c.id
        ),
        &admin,
        None,
    )
    .await;
    assert!(r.status < 300, "{}", r.text);
    let r = send(api(
        &s,
        Method::GET,
        &format!(
            "/adobe/assets/{}/metadata",
            s.dev.aem.as_ref().unwrap().sample_asset_id
        ),
        &c,
    ))
    .await;
    assert_denied(&r, 403, "technical_account", "no_product_profile");
    s.stop().await;
}

#[tokio::test]
async fn gateway_refusals_use_adobes_codes() {
    let clock = Clock::fixed(latchkey_core::time::UnixMillis(1_800_000_000_000));
    let s = TestServer::start_with(|_| {}, clock.clone()).await;
    let demo = s.dev.credentials.oauth_server_to_server.clone();
    let t = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            demo.client_id, demo.client_secret
        ),
    )
    .await;
    let token = t.json["access_token"].as_str().unwrap().to_owned();
    let url = s.url(&format!(
        "/adobe/assets/{}/metadata",
        s.dev.aem.as_ref().unwrap().sample_asset_id
    ));
    let cases: Vec<(reqwest::RequestBuilder, u16, &str, &str)> = vec![
        (
            client().get(&url).bearer_auth(&token),
            403,
            "403000",
            "api_key_missing",
        ),
        (
            client().get(&url).header("x-api-key", &demo.client_id),
            403,
            "403010",
            "token_missing",
        ),
        (
            client()
                .get(&url)
                .bearer_auth("not.a.token")
                .header("x-api-key", &demo.client_id),
            401,
            "401013",
            "token_invalid",
        ),
        (
            client()
                .get(&url)
                .bearer_auth(&token)
                .header("x-api-key", "someoneelse"),
            403,
            "403003",
            "api_key_invalid",
        ),
    ];
    for (req, status, code, reason) in cases {
        let r = send(req).await;
        let body = assert_denied(&r, status, "gateway", reason);
        assert_eq!(body["error_code"], code);
        assert!(body["message"].is_string());
        assert!(
            r.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        if status == 401 {
            assert!(
                r.headers["www-authenticate"]
                    .to_str()
                    .unwrap()
                    .starts_with("Bearer")
            );
        }
    }
    let ok = || {
        client()
            .get(&url)
            .bearer_auth(&token)
            .header("x-api-key", &demo.client_id)
    };
    assert_eq!(send(ok()).await.status, 200);
    // Bucket routing: the Host names the environment and tier.
    let r = send(ok().header("host", "author-p1-e1.adobeaemcloud.com")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = send(ok().header("host", "publish-p1-e1.adobeaemcloud.com")).await;
    assert_denied(&r, 404, "environment", "unknown_tier");
    let r = send(ok().header("host", "author-p9-e9.adobeaemcloud.com")).await;
    assert_denied(&r, 404, "environment", "unknown_environment");
    // Revoked, then expired.
    let r = post_form(
        &s.url("/ims/revoke"),
        &format!(
            "token={token}&client_id={}&client_secret={}",
            demo.client_id, demo.client_secret
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_denied(&send(ok()).await, 401, "gateway", "token_revoked");
    let t = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            demo.client_id, demo.client_secret
        ),
    )
    .await;
    let token2 = t.json["access_token"].as_str().unwrap().to_owned();
    clock.set(latchkey_core::time::UnixMillis(
        1_800_000_000_000 + 2 * 86_400_000,
    ));
    let r = send(
        client()
            .get(&url)
            .bearer_auth(&token2)
            .header("x-api-key", &demo.client_id),
    )
    .await;
    assert_denied(&r, 401, "gateway", "token_expired");
    s.stop().await;
}

#[tokio::test]
async fn fifty_concurrent_first_calls_create_one_user() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let c = new_credential(&s, &admin, "Concurrent").await;
    let org = &s.dev.org_id;
    let profiles = console(
        &s,
        Method::GET,
        &product_path(&s, "/profiles"),
        &admin,
        None,
    )
    .await;
    let collab = profiles.json.as_array().unwrap()[0]["id"].as_i64().unwrap();
    console(
        &s,
        Method::PUT,
        &format!(
            "/console/organizations/{org}/credentials/{}/profiles/{collab}",
            c.id
        ),
        &admin,
        None,
    )
    .await;
    let yaml = format!(
        "kind: \"API\"\nversion: \"1\"\ndata:\n  allowedClientIDs:\n    author: [\"{}\"]\n",
        c.client_id
    );
    let r = send(
        client()
            .put(s.url(&product_path(&s, "/api-config")))
            .bearer_auth(&admin.token)
            .header("x-api-key", &admin.client_id)
            .header("content-type", "text/plain")
            .body(yaml),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let url = format!(
        "/adobe/assets/{}/metadata",
        s.dev.aem.as_ref().unwrap().sample_asset_id
    );
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let req = api(&s, Method::GET, &url, &c);
            tokio::spawn(async move { send(req).await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let r = console(&s, Method::GET, &product_path(&s, "/users"), &admin, None).await;
    let mine = r
        .json
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["credential_id"] == c.id)
        .count();
    assert_eq!(mine, 1, "{}", r.text);
    let r = console(
        &s,
        Method::GET,
        &format!(
            "/console/organizations/{org}/audit?action=aem_user.created&actor={}",
            c.client_id
        ),
        &admin,
        None,
    )
    .await;
    assert_eq!(
        r.json["entries"].as_array().map(Vec::len),
        Some(1),
        "{}",
        r.text
    );
    s.stop().await;
}

#[tokio::test]
async fn bad_requests_get_problem_details() {
    let s = TestServer::start().await;
    let demo = s.dev.credentials.oauth_server_to_server.clone();
    let t = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            demo.client_id, demo.client_secret
        ),
    )
    .await;
    let c = Cred {
        id: demo.credential_id,
        client_id: demo.client_id.clone(),
        token: t.json["access_token"].as_str().unwrap().to_owned(),
    };
    let asset = s.dev.aem.as_ref().unwrap().sample_asset_id.clone();
    for (method, path, status) in [
        (
            Method::GET,
            "/adobe/assets/urn:aaid:aem:../../etc/metadata".to_owned(),
            404,
        ),
        (
            Method::GET,
            "/adobe/assets/not-an-id/metadata".to_owned(),
            404,
        ),
        (Method::GET, "/adobe/folders?path=/etc".to_owned(), 400),
        (
            Method::GET,
            "/adobe/folders?path=/content/dam/../x".to_owned(),
            400,
        ),
        (Method::GET, "/adobe/folders?limit=0".to_owned(), 400),
        (Method::GET, "/adobe/folders?cursor=garbage".to_owned(), 400),
        (
            Method::GET,
            "/adobe/folders?path=/content/dam/missing".to_owned(),
            404,
        ),
        (
            Method::PATCH,
            format!("/adobe/assets/{asset}/metadata"),
            415,
        ),
    ] {
        let r = send(api(&s, method.clone(), &path, &c).body("[]")).await;
        assert_eq!(r.status, status, "{method} {path}: {}", r.text);
        assert_eq!(
            r.headers["content-type"], "application/problem+json",
            "{path}"
        );
        assert_eq!(r.json["status"], status);
        assert!(
            r.json["type"]
                .as_str()
                .unwrap()
                .starts_with("urn:latchkey:problem:")
        );
        assert!(r.json["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    // The tutorial's URL, /adobe/../assets/{id}/metadata, arrives normalized as /assets/...
    let r = send(api(
        &s,
        Method::GET,
        &format!("/assets/{asset}/metadata"),
        &c,
    ))
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    s.stop().await;
}

#[tokio::test]
async fn api_yaml_files_in_the_config_dir_are_deployed_at_start_and_bad_ones_stop_it() {
    let configs = tempfile::tempdir().unwrap();
    std::fs::write(
        configs.path().join("p1-e1.yaml"),
        "kind: \"API\"\nversion: \"1\"\ndata:\n  allowedClientIDs:\n    author: [\"someone-else\"]\n",
    )
    .unwrap();
    let dir = configs.path().to_str().unwrap().to_owned();
    let s = TestServer::start_with(|c| c.aem.config_dir = dir.clone(), Clock::system()).await;
    let demo = s.dev.credentials.oauth_server_to_server.clone();
    let t = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            demo.client_id, demo.client_secret
        ),
    )
    .await;
    let c = Cred {
        id: demo.credential_id,
        client_id: demo.client_id.clone(),
        token: t.json["access_token"].as_str().unwrap().to_owned(),
    };
    let r = send(api(
        &s,
        Method::GET,
        &format!(
            "/adobe/assets/{}/metadata",
            s.dev.aem.as_ref().unwrap().sample_asset_id
        ),
        &c,
    ))
    .await;
    assert_denied(&r, 403, "allowlist", "client_not_allowlisted");
    let data = s.stop().await;
    // A typo stops the next start, naming the file and the line, and changes nothing.
    std::fs::write(
        configs.path().join("p1-e1.yaml"),
        "kind: \"API\"\nversion: \"1\"\ndata:\n  allowedClientIDs:\n    autor: [\"x\"]\n",
    )
    .unwrap();
    let config = latchkey_server::config::Config {
        listen: "127.0.0.1:0".into(),
        data_dir: data.path().to_path_buf(),
        dev: true,
        aem: latchkey_server::config::AemConfig {
            config_dir: dir,
            ..Default::default()
        },
        ..Default::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = latchkey_server::Server::start(config, listener, Clock::system())
        .await
        .err()
        .expect("a bad api.yaml stops the start");
    let msg = err.to_string();
    assert!(
        msg.contains("p1-e1.yaml") && msg.contains("line 5"),
        "{msg}"
    );
}

/// An upload refused before its body is read (here by the permission stage) is answered, not
/// cut off: the server reads and discards what the client still sends, so a client that writes
/// the whole body before it reads gets the 403 rather than a broken pipe.
#[tokio::test]
async fn a_refused_upload_is_answered_rather_than_cut_off() {
    let s = TestServer::start().await;
    let demo = s.dev.credentials.oauth_server_to_server.clone();
    let t = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            demo.client_id, demo.client_secret
        ),
    )
    .await;
    let token = t.json["access_token"].as_str().unwrap().to_owned();
    // Over a plain socket, as the simplest clients do: the whole request, then the answer.
    let addr = s.base_url.trim_start_matches("http://").to_owned();
    let chunk = vec![7u8; 1024 * 1024];
    for _ in 0..3 {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let size = 32 * chunk.len();
        let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /adobe/assets?folder=/content/dam/wknd-shared&name=big.bin HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nx-api-key: {}\r\nContent-Type: application/octet-stream\r\nContent-Length: {size}\r\n\r\n",
            demo.client_id
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        for _ in 0..32 {
            tcp.write_all(&chunk)
                .await
                .expect("the server reads the body of a refused upload instead of cutting it off");
        }
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&answer).contains("\r\n\r\n") {
            let n = tcp.read(&mut buf).await.unwrap();
            assert!(n > 0, "an answer before the connection closes");
            answer.extend_from_slice(&buf[..n]);
        }
        let text = String::from_utf8_lossy(&answer).to_lowercase();
        assert!(text.starts_with("http/1.1 403"), "{text}");
        assert!(
            text.contains("x-latchkey-denial-reason: permission_denied"),
            "{text}"
        );
    }
    // A bad query is a problem document too, before any byte of the body is stored.
    let r = send(
        client()
            .post(s.url("/adobe/assets?folder=/content/dam/wknd-shared"))
            .bearer_auth(&token)
            .header("x-api-key", &demo.client_id)
            .body(vec![1u8; 1024]),
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(r.text.contains("name"), "{}", r.text);
}

#[tokio::test]
async fn revoking_a_credential_s_tokens_takes_effect_on_this_node_at_once() {
    // The gateway caches credentials for cluster.credential_cache_ms; a change made through
    // this node must not wait for that (a minute here, so waiting would fail the test).
    let s =
        TestServer::start_with(|c| c.cluster.credential_cache_ms = 60_000, Clock::system()).await;
    let demo = s.dev.credentials.oauth_server_to_server.clone();
    let token = crate::support::demo_token(&s).await;
    let url = s.url(&format!(
        "/adobe/assets/{}/metadata",
        s.dev.aem.as_ref().unwrap().sample_asset_id
    ));
    let call = || {
        client()
            .get(&url)
            .bearer_auth(&token)
            .header("x-api-key", &demo.client_id)
    };
    assert_eq!(send(call()).await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    let admin = admin_token(&s).await;
    let r = console(
        &s,
        Method::POST,
        &format!(
            "/console/organizations/{}/credentials/{}/revoke_tokens",
            s.dev.org_id, demo.credential_id
        ),
        &admin,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_denied(&send(call()).await, 401, "gateway", "credential_revoked");
}

//! Service Account (JWT) credentials in the console and the admin CLI, end to end: creation with
//! a generated key pair (the AEM service credentials JSON in Adobe's shape), certificate
//! rotation (several valid at once), revoke-then-delete, expiry, upload checks, the limit of 10
//! technical accounts per environment (deleted ones counted), and the migration to OAuth
//! Server-to-Server.

use latchkey_core::service_account::certificate::to_pem;
use latchkey_core::service_account::generate::generate;
use latchkey_core::time::UnixMillis;
use latchkey_proto::service_accounts::ServiceCredentials;
use latchkey_server::clock::Clock;
use latchkey_testkit::TestServer;
use reqwest::Method;
use serde_json::{Value, json};

use crate::cli_run::{latchkey, with_dev_file};
use crate::jwt_support::{Account, exchange, sign};
use crate::support::{Admin, admin_token, console, post_form};

const DAY_MS: i64 = 86_400_000;

async fn project_id(s: &TestServer, admin: &Admin) -> i64 {
    let r = console(
        s,
        Method::GET,
        &format!("/console/organizations/{}/projects", s.dev.org_id),
        admin,
        None,
    )
    .await;
    r.json[0]["id"].as_i64().unwrap()
}

async fn product(s: &TestServer, admin: &Admin, env: i64) -> i64 {
    let r = console(
        s,
        Method::POST,
        &format!("/console/organizations/{}/products", s.dev.org_id),
        admin,
        Some(json!({"name": format!("env {env}"), "program_id": 1, "environment_id": env})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json["id"].as_i64().unwrap()
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[tokio::test]
async fn service_account_rotation_revocation_expiry_and_download() {
    let start = UnixMillis(1_800_000_000_000);
    let clock = Clock::fixed(start);
    let s = TestServer::start_with(|_| {}, clock.clone()).await;
    let admin = admin_token(&s).await;
    let base = format!("/console/organizations/{}", s.dev.org_id);
    let pid = project_id(&s, &admin).await;
    let env = product(&s, &admin, 2).await;

    let r = console(
        &s,
        Method::POST,
        &format!("{base}/projects/{pid}/service_accounts"),
        &admin,
        Some(json!({"name": "aem sync", "metascopes": ["ent_aem_cloud_api"], "product_id": env})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    // Adobe's shape, member for member (reference/adobe-protocol.md §3.5).
    let sc = &r.json["service_credentials"];
    assert_eq!(keys(sc), ["integration", "ok", "statusCode"]);
    assert_eq!(sc["ok"], true);
    assert_eq!(sc["statusCode"], 200);
    assert_eq!(
        keys(&sc["integration"]),
        [
            "certificateExpirationDate",
            "email",
            "id",
            "imsEndpoint",
            "metascopes",
            "org",
            "privateKey",
            "publicKey",
            "technicalAccount"
        ]
    );
    assert_eq!(
        keys(&sc["integration"]["technicalAccount"]),
        ["clientId", "clientSecret"]
    );
    assert_eq!(sc["integration"]["metascopes"], "ent_aem_cloud_api");
    assert_eq!(sc["integration"]["org"], s.dev.org_id.as_str());
    assert_eq!(
        sc["integration"]["imsEndpoint"],
        s.base_url.trim_start_matches("http://")
    );
    assert_eq!(
        sc["integration"]["certificateExpirationDate"],
        "2028-01-15T08:00:00.000Z"
    );
    assert_eq!(
        r.json["client_secret"],
        sc["integration"]["technicalAccount"]["clientSecret"]
    );
    let cert1 = r.json["certificate"].clone();
    assert_eq!(cert1["status"], "active");
    let nb: i64 = cert1["not_before"].as_str().unwrap().parse().unwrap();
    let na: i64 = cert1["not_after"].as_str().unwrap().parse().unwrap();
    assert_eq!(na - nb, 365 * DAY_MS);
    let cred = r.json["credential"]["id"].as_i64().unwrap();
    assert_eq!(r.json["credential"]["kind"], "service_account_jwt");
    let parsed: ServiceCredentials = serde_json::from_value(sc.clone()).unwrap();
    let a = Account::from_service_credentials(&parsed);

    let now_secs = |c: &Clock| c.now().0 / 1000;
    let try_key = |key: &str| sign(&a.claims(&s.base_url, now_secs(&clock)), key);
    let r = exchange(&s.base_url, &a, &try_key(&a.private_key_pem)).await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Rotation: a second certificate, both valid.
    let certs = format!("{base}/credentials/{cred}/certificates");
    let r = console(&s, Method::POST, &certs, &admin, Some(json!({}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let key2 = r.json["private_key"].as_str().unwrap().to_owned();
    let cert2 = r.json["certificate"]["id"].as_str().unwrap().to_owned();
    for key in [&a.private_key_pem, &key2] {
        let r = exchange(&s.base_url, &a, &try_key(key)).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let list = console(&s, Method::GET, &certs, &admin, None).await;
    assert_eq!(list.json.as_array().unwrap().len(), 2);
    assert!(list.json[1].get("private_key").is_none());

    // Revoke, then delete.
    let id1 = cert1["id"].as_str().unwrap();
    let r = console(&s, Method::DELETE, &format!("{certs}/{id1}"), &admin, None).await;
    assert_eq!(r.status, 409, "not revoked yet: {}", r.text);
    let r = console(
        &s,
        Method::POST,
        &format!("{certs}/{id1}/revoke"),
        &admin,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["status"], "revoked");
    let r = exchange(&s.base_url, &a, &try_key(&a.private_key_pem)).await;
    assert_eq!(
        (r.status, r.json["error"].as_str()),
        (400, Some("invalid_signature"))
    );
    let r = exchange(&s.base_url, &a, &try_key(&key2)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = console(
        &s,
        Method::POST,
        &format!("{certs}/{id1}/revoke"),
        &admin,
        None,
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.text);
    let r = console(&s, Method::DELETE, &format!("{certs}/{id1}"), &admin, None).await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = console(&s, Method::DELETE, &format!("{certs}/{id1}"), &admin, None).await;
    assert_eq!(r.status, 404, "{}", r.text);

    // The download: secret and private key are not kept; the current certificate is published.
    let r = console(
        &s,
        Method::GET,
        &format!("{base}/credentials/{cred}/service_credentials"),
        &admin,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["integration"]["privateKey"], Value::Null);
    assert_eq!(
        r.json["integration"]["technicalAccount"]["clientSecret"],
        Value::Null
    );
    assert_eq!(
        r.json["integration"]["technicalAccount"]["clientId"],
        a.client_id.as_str()
    );
    let list = console(&s, Method::GET, &certs, &admin, None).await;
    assert_eq!(list.json[0]["id"], cert2.as_str());
    assert_eq!(
        r.json["integration"]["publicKey"],
        list.json[0]["certificate_pem"]
    );

    // Uploads: a fresh certificate is accepted; private keys, garbage and expired ones are not.
    let fresh = generate("upload", clock.now()).unwrap();
    let r = console(
        &s,
        Method::POST,
        &certs,
        &admin,
        Some(json!({"certificate_pem": to_pem("CERTIFICATE", &fresh.certificate.der)})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(r.json.get("private_key").is_none());
    let r = exchange(&s.base_url, &a, &try_key(&fresh.private_key_pem)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let old = generate("old", UnixMillis(start.0 - 400 * DAY_MS)).unwrap();
    for (name, pem, needle) in [
        (
            "private key",
            fresh.private_key_pem.as_str().to_owned(),
            "private key",
        ),
        ("garbage", "hello".to_owned(), "not a PEM certificate"),
        (
            "expired",
            to_pem("CERTIFICATE", &old.certificate.der),
            "expired",
        ),
    ] {
        let r = console(
            &s,
            Method::POST,
            &certs,
            &admin,
            Some(json!({"certificate_pem": pem})),
        )
        .await;
        assert_eq!(r.status, 400, "{name}: {}", r.text);
        assert_eq!(r.json["error_code"], "invalid_request");
        assert!(
            r.json["message"].as_str().unwrap().contains(needle),
            "{name}: {}",
            r.text
        );
    }

    // A year and a day later every certificate has expired.
    clock.set(UnixMillis(start.0 + 366 * DAY_MS));
    let admin = admin_token(&s).await;
    let r = exchange(&s.base_url, &a, &try_key(&key2)).await;
    assert_eq!(
        (r.status, r.json["error"].as_str()),
        (400, Some("invalid_signature")),
        "{}",
        r.text
    );
    let list = console(&s, Method::GET, &certs, &admin, None).await;
    assert!(
        list.json
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "expired"),
        "{}",
        list.text
    );

    // Certificates belong to service accounts only; the audit log has every step.
    let oauth = s.dev.credentials.oauth_server_to_server.credential_id;
    let r = console(
        &s,
        Method::GET,
        &format!("{base}/credentials/{oauth}/certificates"),
        &admin,
        None,
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);
    for action in [
        "certificate.added",
        "certificate.revoked",
        "certificate.deleted",
    ] {
        let r = console(
            &s,
            Method::GET,
            &format!("{base}/audit?action={action}"),
            &admin,
            None,
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(
            !r.json["entries"].as_array().unwrap().is_empty(),
            "{action}: {}",
            r.text
        );
    }
}

#[tokio::test]
async fn ten_technical_accounts_per_environment_deleted_ones_counted() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let base = format!("/console/organizations/{}", s.dev.org_id);
    let pid = project_id(&s, &admin).await;
    let env = product(&s, &admin, 7).await;
    let cert = generate("shared", UnixMillis(1_800_000_000_000)).unwrap();
    let pem = to_pem("CERTIFICATE", &cert.certificate.der);
    let path = format!("{base}/projects/{pid}/service_accounts");
    let create = |product: i64, n: usize| {
        let body = json!({"name": format!("ta {n}"), "metascopes": ["ent_aem_cloud_api"], "product_id": product, "certificate_pem": pem});
        console(&s, Method::POST, &path, &admin, Some(body))
    };
    let mut ids = Vec::new();
    for n in 0..10 {
        let r = create(env, n).await;
        assert_eq!(r.status, 201, "{}", r.text);
        assert!(r.json["service_credentials"]["integration"]["privateKey"].is_null());
        ids.push(r.json["credential"]["id"].as_i64().unwrap());
    }
    let r = create(env, 10).await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert!(
        r.json["message"]
            .as_str()
            .unwrap()
            .contains("deleted ones count"),
        "{}",
        r.text
    );
    let r = console(
        &s,
        Method::DELETE,
        &format!("{base}/credentials/{}", ids[0]),
        &admin,
        None,
    )
    .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let r = create(env, 11).await;
    assert_eq!(
        r.status, 409,
        "a deleted technical account still counts: {}",
        r.text
    );
    let other = product(&s, &admin, 8).await;
    assert_eq!(create(other, 12).await.status, 201);
    let r = create(999_999, 13).await;
    assert_eq!(r.status, 404, "{}", r.text);
}

#[tokio::test]
async fn migration_adds_an_oauth_credential_with_the_same_technical_account_scopes_and_profiles() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let base = format!("/console/organizations/{}", s.dev.org_id);
    let a =
        Account::from_service_credentials(s.dev.credentials.service_account_jwt.as_ref().unwrap());
    let list = console(
        &s,
        Method::GET,
        &format!("{base}/credentials"),
        &admin,
        None,
    )
    .await;
    let jwt = list
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["client_id"] == a.client_id.as_str())
        .unwrap()
        .clone();
    let jwt_id = jwt["id"].as_i64().unwrap();
    let env = product(&s, &admin, 3).await;
    let profile = console(
        &s,
        Method::POST,
        &format!("{base}/products/{env}/profiles"),
        &admin,
        Some(json!({"tier": "author", "services": ["AEM Assets API Users"]})),
    )
    .await;
    let prof = profile.json["id"].as_i64().unwrap();
    let r = console(
        &s,
        Method::PUT,
        &format!("{base}/credentials/{jwt_id}/profiles/{prof}"),
        &admin,
        None,
    )
    .await;
    assert!(r.status < 300, "{}", r.text);

    let r = console(
        &s,
        Method::POST,
        &format!("{base}/credentials/{jwt_id}/migrate"),
        &admin,
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let new = &r.json["credential"];
    assert_eq!(new["kind"], "oauth_server_to_server");
    assert_eq!(new["technical_account_id"], jwt["technical_account_id"]);
    assert_eq!(
        new["technical_account_email"],
        jwt["technical_account_email"]
    );
    assert_eq!(new["scopes"], jwt["scopes"]);
    assert_eq!(
        new["name"],
        format!("{} (OAuth Server-to-Server)", jwt["name"].as_str().unwrap())
    );
    let new_id = new["id"].as_i64().unwrap();
    let profiles = console(
        &s,
        Method::GET,
        &format!("{base}/credentials/{new_id}/profiles"),
        &admin,
        None,
    )
    .await;
    assert_eq!(profiles.json[0]["id"], prof, "{}", profiles.text);
    // The new credential gets tokens for the same technical account; the JWT one still works.
    let t = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&scope=ent_aem_cloud_api",
            new["client_id"].as_str().unwrap(),
            r.json["client_secret"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(t.status, 200, "{}", t.text);
    let c = crate::support::claims(t.json["access_token"].as_str().unwrap());
    assert_eq!(c["user_id"], jwt["technical_account_id"]);
    let now = c["iat"].as_i64().unwrap();
    assert_eq!(
        exchange(
            &s.base_url,
            &a,
            &sign(&a.claims(&s.base_url, now), &a.private_key_pem)
        )
        .await
        .status,
        200
    );
    // Once only; OAuth credentials are not service accounts.
    let again = console(
        &s,
        Method::POST,
        &format!("{base}/credentials/{jwt_id}/migrate"),
        &admin,
        Some(json!({})),
    )
    .await;
    assert_eq!(again.status, 409, "{}", again.text);
    let oauth = console(
        &s,
        Method::POST,
        &format!("{base}/credentials/{new_id}/migrate"),
        &admin,
        Some(json!({})),
    )
    .await;
    assert_eq!(oauth.status, 404, "{}", oauth.text);
}

#[tokio::test]
async fn cli_admin_service_accounts_create_rotate_download_and_migrate() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let pid = project_id(&s, &admin).await.to_string();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("service-credentials.json");
    let run = |args: &[&str]| with_dev_file(&s, args);

    let out = latchkey(
        &run(&[
            "admin",
            "service-accounts",
            "create",
            "--project",
            &pid,
            "--name",
            "cli sa",
            "--metascopes",
            "ent_aem_cloud_api",
            "--out",
            file.to_str().unwrap(),
        ]),
        &[],
    )
    .await;
    let text = out.ok();
    assert!(
        !text.contains("PRIVATE KEY"),
        "the key goes to the file only: {text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let sc: ServiceCredentials = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    let a = Account::from_service_credentials(&sc);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let r = exchange(
        &s.base_url,
        &a,
        &sign(&a.claims(&s.base_url, now), &a.private_key_pem),
    )
    .await;
    assert_eq!(r.status, 200, "the written file works: {}", r.text);
    // --out never overwrites.
    latchkey(
        &run(&[
            "admin",
            "service-accounts",
            "create",
            "--project",
            &pid,
            "--name",
            "again",
            "--metascopes",
            "ent_aem_cloud_api",
            "--out",
            file.to_str().unwrap(),
        ]),
        &[],
    )
    .await
    .fails(2, "cannot write");

    let id = text
        .split("service account ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .unwrap()
        .to_owned();
    let key_file = dir.path().join("key2.pem");
    latchkey(
        &run(&[
            "admin",
            "service-accounts",
            "add-certificate",
            &id,
            "--private-key-out",
            key_file.to_str().unwrap(),
        ]),
        &[],
    )
    .await
    .ok();
    let key2 = std::fs::read_to_string(&key_file).unwrap();
    let r = exchange(&s.base_url, &a, &sign(&a.claims(&s.base_url, now), &key2)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let certs = latchkey(
        &run(&["admin", "service-accounts", "certificates", &id, "--json"]),
        &[],
    )
    .await
    .json();
    assert_eq!(certs.as_array().unwrap().len(), 2);
    let first = certs[0]["id"].as_str().unwrap().to_owned();
    latchkey(
        &run(&[
            "admin",
            "service-accounts",
            "delete-certificate",
            &id,
            &first,
        ]),
        &[],
    )
    .await
    .fails(1, "revoke it first");
    let revoked = latchkey(
        &run(&[
            "admin",
            "service-accounts",
            "revoke-certificate",
            &id,
            &first,
        ]),
        &[],
    )
    .await;
    assert!(
        revoked.ok().contains("Revoked certificate"),
        "{}",
        revoked.stdout
    );
    latchkey(
        &run(&[
            "admin",
            "service-accounts",
            "delete-certificate",
            &id,
            &first,
        ]),
        &[],
    )
    .await
    .ok();
    let dl = latchkey(&run(&["admin", "service-accounts", "download", &id]), &[])
        .await
        .json();
    assert_eq!(
        dl["integration"]["technicalAccount"]["clientId"],
        a.client_id.as_str()
    );
    assert!(dl["integration"]["privateKey"].is_null());
    let migrated = latchkey(
        &run(&["admin", "service-accounts", "migrate", &id, "--json"]),
        &[],
    )
    .await
    .json();
    assert_eq!(
        migrated["credential"]["technical_account_id"],
        a.technical_account.as_str()
    );
}

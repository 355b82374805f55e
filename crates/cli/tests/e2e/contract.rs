//! Contract tests of the token endpoint: SPEC §1 and reliability T-01…T-17, with the
//! Adobe-compatible statuses SPEC §1 decides (invalid_client is 400 unless HTTP Basic was used).

use base64::Engine;
use latchkey_testkit::TestServer;

use crate::support::*;

fn creds(s: &TestServer) -> (String, String, String) {
    let c = &s.dev.credentials.oauth_server_to_server;
    (
        c.client_id.clone(),
        c.client_secret.clone(),
        c.scopes.join(","),
    )
}

fn basic(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

#[tokio::test]
async fn seed_curl_body_variant_returns_an_ims_token() {
    let s = TestServer::start().await;
    let (id, secret, scopes) = creds(&s);
    for v in ["v1", "v2", "v3", "v4"] {
        let r = post_form(
            &s.url(&format!("/ims/token/{v}")),
            &format!(
                "client_id={id}&client_secret={secret}&grant_type=client_credentials&scope={scopes}"
            ),
        )
        .await;
        assert_eq!(r.status, 200, "{v}: {}", r.text);
        assert_eq!(r.json["token_type"], "bearer");
        assert_eq!(r.json["expires_in"], 86399);
        assert!(r.json.get("refresh_token").is_none());
        assert_eq!(r.headers["cache-control"], "no-store");
        assert_eq!(r.headers["pragma"], "no-cache");
        let token = r.json["access_token"].as_str().unwrap();
        let h = header(token);
        assert_eq!(h["typ"], "at+jwt");
        assert_eq!(h["alg"], "RS256");
        let c = claims(token);
        // IMS shape (aio-lib-ims reads these) ...
        assert_eq!(c["type"], "access_token");
        assert_eq!(c["client_id"], id.as_str());
        assert_eq!(c["as"], "ims-na1");
        assert_eq!(c["expires_in"], "86400000");
        assert!(c["created_at"].as_str().unwrap().parse::<i64>().is_ok());
        assert_eq!(c["scope"], scopes.as_str());
        assert_eq!(
            c["user_id"],
            s.dev
                .credentials
                .oauth_server_to_server
                .technical_account_id
                .as_str()
        );
        // ... and RFC 9068.
        for k in ["iss", "sub", "aud", "exp", "iat", "jti", "client_id"] {
            assert!(c.get(k).is_some(), "missing {k}");
        }
        assert_eq!(c["iss"], s.base_url.as_str());
        assert_eq!(
            c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
            86_400
        );
        assert_eq!(c["org"], s.dev.org_id.as_str());
    }
}

#[tokio::test]
async fn seed_curl_query_client_id_variant_and_multipart_and_basic_work() {
    let s = TestServer::start().await;
    let (id, secret, scopes) = creds(&s);
    // Older Adobe docs: client_id only in the query string.
    let r = post_form(
        &s.url(&format!("/ims/token/v3?client_id={id}")),
        &format!("client_secret={secret}&grant_type=client_credentials&scope={scopes}"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // aio-lib-ims: multipart with org_id and comma scopes.
    let form = reqwest::multipart::Form::new()
        .text("grant_type", "client_credentials")
        .text("client_id", id.clone())
        .text("client_secret", secret.clone())
        .text("org_id", s.dev.org_id.clone())
        .text("scope", "openid,AdobeID");
    let r = send(client().post(s.url("/ims/token/v2")).multipart(form)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        claims(r.json["access_token"].as_str().unwrap())["scope"],
        "openid,AdobeID"
    );
    // HTTP Basic, with percent-encoded characters in the secret (RFC 6749 §2.3.1, T-08).
    let encoded = secret.replace('-', "%2D");
    let r = send(
        client()
            .post(s.url("/ims/token/v3"))
            .header("authorization", basic(&id, &encoded))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", "openid AdobeID"),
            ]),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Comma + space scopes, `scopes` alias, and no scope at all (all allowed scopes).
    for body in [
        format!(
            "grant_type=client_credentials&client_id={id}&client_secret={secret}&scope=openid,%20AdobeID"
        ),
        format!(
            "grant_type=client_credentials&client_id={id}&client_secret={secret}&scopes=openid"
        ),
        format!(
            "grant_type=client_credentials&client_id={id}&client_secret={secret}&scope=&foo=bar"
        ),
    ] {
        let r = post_form(&s.url("/ims/token/v3"), &body).await;
        assert_eq!(r.status, 200, "{body}: {}", r.text);
    }
}

#[tokio::test]
async fn adobe_error_rows() {
    let s = TestServer::start().await;
    let (id, secret, _) = creds(&s);
    let url = s.url("/ims/token/v3");
    // Unknown client / wrong secret: Adobe's exact texts, 400.
    let r = post_form(&url, &format!("grant_type=client_credentials&client_id=0123456789abcdef0123456789abcdef&client_secret={secret}")).await;
    assert_oauth_error(&r, 400, "invalid_client");
    assert_eq!(r.json["error_description"], "invalid client_id parameter");
    let r = post_form(
        &url,
        &format!("grant_type=client_credentials&client_id={id}&client_secret=p8e-wrong"),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_client");
    assert_eq!(
        r.json["error_description"],
        "invalid client_secret parameter"
    );
    // With HTTP Basic: 401 + WWW-Authenticate (RFC 6749 §5.2).
    let r = send(
        client()
            .post(&url)
            .header("authorization", basic(&id, "wrong"))
            .form(&[("grant_type", "client_credentials")]),
    )
    .await;
    assert_oauth_error(&r, 401, "invalid_client");
    assert!(
        r.headers["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    // Scope not granted, never narrowed.
    let r = post_form(
        &url,
        &format!(
            "grant_type=client_credentials&client_id={id}&client_secret={secret}&scope=openid,admin"
        ),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_scope");
    assert!(
        r.json["error_description"]
            .as_str()
            .unwrap()
            .contains("admin")
    );
    // Other grants.
    for g in [
        "password",
        "urn:x:foo",
        "authorization_code",
        "refresh_token",
    ] {
        let r = post_form(
            &url,
            &format!("grant_type={g}&client_id={id}&client_secret={secret}"),
        )
        .await;
        assert_oauth_error(&r, 400, "unsupported_grant_type");
    }
    // org_id of another organization.
    let r = post_form(&url, &format!("grant_type=client_credentials&client_id={id}&client_secret={secret}&org_id=ABCDEF@AdobeOrg")).await;
    assert_oauth_error(&r, 400, "invalid_request");
    // client_secret in the query string: refused, even when right.
    let r = post_form(
        &format!("{url}?client_secret={secret}"),
        &format!("grant_type=client_credentials&client_id={id}"),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_request");
    assert!(
        r.json["error_description"]
            .as_str()
            .unwrap()
            .contains("URL")
    );
}

#[tokio::test]
async fn request_hygiene_t01_to_t17() {
    let s = TestServer::start().await;
    let (id, secret, _) = creds(&s);
    let url = s.url("/ims/token/v3");
    let ok = format!("client_id={id}&client_secret={secret}");
    // T-01 missing grant_type.
    let r = send(
        client()
            .post(&url)
            .header("authorization", basic(&id, &secret)),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_request");
    // T-02 wrong method.
    let r = send(client().get(format!("{url}?grant_type=client_credentials"))).await;
    assert_oauth_error(&r, 405, "invalid_request");
    assert_eq!(r.headers["allow"], "POST");
    // T-04 repeated parameters.
    for body in [
        format!("grant_type=client_credentials&grant_type=client_credentials&{ok}"),
        format!("grant_type=client_credentials&scope=openid&scope=AdobeID&{ok}"),
    ] {
        assert_oauth_error(&post_form(&url, &body).await, 400, "invalid_request");
    }
    // Same name in query and body with different values.
    let r = post_form(
        &format!("{url}?client_id=other"),
        &format!("grant_type=client_credentials&{ok}"),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_request");
    // T-07 two authentication methods.
    let r = send(
        client()
            .post(&url)
            .header("authorization", basic(&id, &secret))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_secret", secret.as_str()),
            ]),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_request");
    assert!(!r.headers.contains_key("www-authenticate"));
    // T-09 malformed Basic: never 500.
    for h in ["Basic", "Basic !!!", "Basic bm9jb2xvbg==", "Digest abc"] {
        let r = send(
            client()
                .post(&url)
                .header("authorization", h)
                .form(&[("grant_type", "client_credentials")]),
        )
        .await;
        assert_oauth_error(&r, 400, "invalid_request");
    }
    // T-10/T-11: same body for unknown id whichever secret.
    // T-15 scope grammar: control characters, quotes, oversized.
    for scope in ["read%0Ainjected", "%22x%22", &"x".repeat(10 * 1024)] {
        let r = post_form(
            &url,
            &format!("grant_type=client_credentials&{ok}&scope={scope}"),
        )
        .await;
        assert_oauth_error(&r, 400, "invalid_scope");
    }
    // T-17: hostile input never comes back in the description.
    let r = post_form(
        &url,
        "grant_type=client_credentials&client_id=%22%5C%0D%0Aevil&client_secret=x",
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_client");
    assert!(!r.text.contains("evil"));
    // Unsupported media type, missing secret, missing client id.
    let r = send(
        client()
            .post(&url)
            .header("content-type", "application/json")
            .body(r#"{"grant_type":"client_credentials"}"#),
    )
    .await;
    assert_oauth_error(&r, 415, "invalid_request");
    assert_oauth_error(
        &post_form(
            &url,
            &format!("grant_type=client_credentials&client_id={id}"),
        )
        .await,
        400,
        "invalid_request",
    );
    assert_oauth_error(
        &post_form(
            &url,
            &format!("grant_type=client_credentials&client_secret={secret}"),
        )
        .await,
        400,
        "invalid_request",
    );
}

#[tokio::test]
async fn oversized_and_malformed_requests_never_yield_5xx() {
    let s = TestServer::start().await;
    let url = s.url("/ims/token/v3");
    // T-65: a body over the limit is refused with 413 and a JSON error.
    let big = format!("grant_type=client_credentials&x={}", "a".repeat(200 * 1024));
    assert_oauth_error(&post_form(&url, &big).await, 413, "invalid_request");
    // Too many fields.
    let many: Vec<String> = (0..1000).map(|i| format!("f{i}=1")).collect();
    assert_oauth_error(
        &post_form(&url, &many.join("&")).await,
        400,
        "invalid_request",
    );
    // Broken multipart.
    let r = send(
        client()
            .post(&url)
            .header("content-type", "multipart/form-data; boundary=X")
            .body("--X\r\nbroken"),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_request");
    let r = send(
        client()
            .post(&url)
            .header("content-type", "multipart/form-data")
            .body("x"),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_request");
    // Pseudo-random garbage bodies and content types.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let types = [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=abc",
        "text/plain",
        "",
    ];
    for i in 0..300 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = (seed % 400) as usize;
        let body: Vec<u8> = (0..len)
            .map(|j| (seed.rotate_left(j as u32 % 64) & 0xff) as u8)
            .collect();
        let mut req = client().post(&url).body(body);
        let ct = types[i % types.len()];
        if !ct.is_empty() {
            req = req.header("content-type", ct);
        }
        let r = send(req).await;
        assert!(r.status < 500, "status {} for garbage body #{i}", r.status);
        assert!(
            r.json.get("error").is_some(),
            "non-JSON error for garbage #{i}: {}",
            r.text
        );
    }
}

#[tokio::test]
async fn a_stalled_body_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = TestServer::start_with(
        |c| c.http.body_read_timeout_secs = 1,
        latchkey_server::clock::Clock::system(),
    )
    .await;
    let addr = s.base_url.trim_start_matches("http://").to_owned();
    let mut sock = tokio::net::TcpStream::connect(&addr).await.unwrap();
    sock.write_all(b"POST /ims/token/v3 HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 100\r\n\r\ngrant_type=").await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        sock.read_to_end(&mut buf),
    )
    .await;
    assert!(read.is_ok(), "the server kept the stalled request open");
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
}

#[tokio::test]
async fn t13_a_credential_that_may_not_use_the_grant_is_unauthorized_client() {
    use latchkey_core::audit::Actor;
    use latchkey_core::credentials::CredentialKind;
    use latchkey_core::provision::{self, CredentialSpec};
    use latchkey_core::scope::ScopeList;
    let s = TestServer::start().await;
    let store = s.state.store.as_ref();
    let now = s.state.clock.now();
    let org = latchkey_core::ids::OrgId::parse(&s.dev.org_id).unwrap();
    let project = provision::create_project(store, &Actor::system(), &org, "jwt", now)
        .await
        .unwrap();
    let spec = CredentialSpec {
        kind: CredentialKind::ServiceAccountJwt,
        name: "legacy".into(),
        scopes: ScopeList::parse("openid").unwrap(),
        admin: false,
    };
    let (cred, secret) = provision::create_credential(
        store,
        &s.state.hasher,
        &Actor::system(),
        &project,
        spec,
        now,
    )
    .await
    .unwrap();
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            cred.client_id,
            secret.expose()
        ),
    )
    .await;
    assert_oauth_error(&r, 400, "unauthorized_client");
    assert!(
        r.json["error_description"]
            .as_str()
            .unwrap()
            .contains("/ims/exchange/jwt")
    );
}

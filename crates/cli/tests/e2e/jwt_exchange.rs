//! `POST /ims/exchange/jwt` end to end (SPEC §1, reference/adobe-protocol.md §3,
//! security-and-reliability.md §5.2): a JWT signed as Adobe's clients sign it is exchanged for
//! the same access token `client_credentials` issues (introspection and the console accept it),
//! and every attack row that applies is refused with Adobe's status and error code.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use latchkey_testkit::TestServer;
use serde_json::{Value, json};

use crate::jwt_support::*;
use crate::support::{Admin, assert_oauth_error, claims, client, console, post_form, send};

const ADOBE: &str = "https://ims-na1.adobelogin.com";

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn dev_account(s: &TestServer) -> Account {
    Account::from_service_credentials(
        s.dev
            .credentials
            .service_account_jwt
            .as_ref()
            .expect("dev mode seeds a service account"),
    )
}

#[tokio::test]
async fn a_signed_jwt_is_exchanged_for_an_ims_token_in_every_encoding() {
    let s = TestServer::start().await;
    let a = dev_account(&s);
    let sc = s.dev.credentials.service_account_jwt.as_ref().unwrap();
    assert_eq!(
        sc.integration.ims_endpoint,
        s.base_url.trim_start_matches("http://")
    );
    assert!(
        sc.integration
            .private_key
            .as_deref()
            .unwrap()
            .contains("PRIVATE KEY")
    );

    // urlencoded, aud and metascopes built from this server's base URL.
    let r = exchange(
        &s.base_url,
        &a,
        &sign(&a.claims(&s.base_url, now_secs()), &a.private_key_pem),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["token_type"], "bearer");
    assert_eq!(
        r.json["expires_in"], 86_399_999,
        "milliseconds, as at Adobe"
    );
    assert_eq!(r.headers["cache-control"], "no-store");
    let token = r.json["access_token"].as_str().unwrap().to_owned();
    let c = claims(&token);
    assert_eq!(c["client_id"], a.client_id.as_str());
    assert_eq!(c["user_id"], a.technical_account.as_str());
    assert_eq!(c["type"], "access_token");
    assert_eq!(c["scope"], "ent_aem_cloud_api");
    assert_eq!(c["expires_in"], "86400000");

    // multipart to the trailing-slash path (@adobe/jwt-auth), with Adobe's origin.
    let form = reqwest::multipart::Form::new()
        .text("client_id", a.client_id.clone())
        .text("client_secret", a.client_secret.clone())
        .text(
            "jwt_token",
            sign(&a.claims(ADOBE, now_secs()), &a.private_key_pem),
        );
    let r = send(client().post(s.url("/ims/exchange/jwt/")).multipart(form)).await;
    assert_eq!(r.status, 200, "{}", r.text);

    // The token is an ordinary access token: introspection says active ...
    let o = &s.dev.credentials.oauth_server_to_server;
    let r = post_form(
        &s.url("/ims/introspect"),
        &format!(
            "client_id={}&client_secret={}&token={token}",
            o.client_id, o.client_secret
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["active"], true, "{}", r.text);
    assert_eq!(r.json["client_id"], a.client_id.as_str());
    // ... and the console accepts it (a credential may read itself).
    let me = Admin {
        client_id: a.client_id.clone(),
        token: token.clone(),
    };
    let cred_id = s
        .state
        .store
        .find_credential_for_auth(&latchkey_core::ids::ClientId::parse(&a.client_id).unwrap())
        .await
        .unwrap()
        .unwrap()
        .0
        .id;
    let r = console(
        &s,
        reqwest::Method::GET,
        &format!("/console/organizations/{}/credentials/{cred_id}", a.org),
        &me,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["kind"], "service_account_jwt");

    // A service account cannot use client_credentials.
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            a.client_id, a.client_secret
        ),
    )
    .await;
    assert_oauth_error(&r, 400, "unauthorized_client");
}

/// A tiny server that counts the connections it gets: header URLs must never be fetched.
async fn counting_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((_sock, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    (url, hits)
}

fn with(mut c: Value, key: &str, value: Value) -> Value {
    c[key] = value;
    c
}

fn without(mut c: Value, key: &str) -> Value {
    c.as_object_mut().unwrap().remove(key);
    c
}

#[tokio::test]
async fn attacks_on_the_assertion_are_refused_with_adobes_codes() {
    let s = TestServer::start().await;
    let a = dev_account(&s);
    let base = s.base_url.clone();
    let now = now_secs();
    let good = a.claims(&base, now);
    let key = a.private_key_pem.clone();
    let rs = |c: &Value| sign(c, &key);
    let (mock, hits) = counting_server().await;
    let attacker = latchkey_core::service_account::generate::generate(
        "attacker",
        latchkey_core::time::UnixMillis(now * 1000),
    )
    .unwrap();
    let attacker_key = attacker.private_key_pem.as_str().to_owned();
    let attacker_cert = latchkey_core::service_account::certificate::to_pem(
        "CERTIFICATE",
        &attacker.certificate.der,
    );
    let header_with = |member: &str, value: Value| {
        let mut h = json!({"alg": "RS256", "typ": "JWT"});
        h[member] = value;
        sign_raw(&h.to_string(), &good.to_string(), &attacker_key)
    };
    let signed = rs(&good);
    let (h, p, _sig) = {
        let v: Vec<&str> = signed.split('.').collect();
        (v[0].to_owned(), v[1].to_owned(), v[2].to_owned())
    };
    let mut flipped = p.clone().into_bytes();
    flipped[5] = if flipped[5] == b'A' { b'B' } else { b'A' };
    let tampered = format!(
        "{h}.{}.{}",
        String::from_utf8(flipped).unwrap(),
        signed.split('.').nth(2).unwrap()
    );
    let dup_payload = format!(
        r#"{{"exp":{},"iss":"{}","sub":"{}","sub":"{}","aud":"{base}/c/{}","{base}/s/ent_aem_cloud_api":true}}"#,
        now + 300,
        a.org,
        a.technical_account,
        a.technical_account,
        a.client_id
    );
    let other_org = "0123456789ABCDEF01234567@AdobeOrg";

    let cases: Vec<(&str, String, u16, &str)> = vec![
        // T-18: alg none, empty signature.
        (
            "alg none",
            format!(
                "{}.{}.",
                b64(br#"{"alg":"none","typ":"JWT"}"#),
                b64(good.to_string().as_bytes())
            ),
            400,
            "invalid_signature",
        ),
        // T-19: HS256 keyed with the registered certificate (PEM and DER).
        (
            "HS256 with the PEM certificate",
            sign_hs256(&good, a.certificate_pem.as_bytes()),
            400,
            "invalid_signature",
        ),
        (
            "HS256 with the DER certificate",
            sign_hs256(&good, &pem_der(&a.certificate_pem)),
            400,
            "invalid_signature",
        ),
        // T-20: keys and URLs in the header are refused, never fetched.
        (
            "jwk in the header",
            header_with("jwk", json!({"kty": "RSA", "n": "AQAB", "e": "AQAB"})),
            400,
            "invalid_token",
        ),
        (
            "jku in the header",
            header_with("jku", json!(format!("{mock}/jwks"))),
            400,
            "invalid_token",
        ),
        (
            "x5u in the header",
            header_with("x5u", json!(format!("{mock}/cert.pem"))),
            400,
            "invalid_token",
        ),
        (
            "x5c in the header",
            header_with("x5c", json!([b64(&pem_der(&attacker_cert))])),
            400,
            "invalid_token",
        ),
        (
            "kid path traversal",
            header_with("kid", json!("../../../../dev/null")),
            400,
            "invalid_signature",
        ),
        (
            "kid SQL",
            header_with("kid", json!("' OR '1'='1")),
            400,
            "invalid_signature",
        ),
        (
            "kid 10 KiB",
            header_with("kid", json!("k".repeat(10 * 1024))),
            400,
            "invalid_signature",
        ),
        // T-21: tampering.
        ("payload byte flipped", tampered, 400, "invalid_signature"),
        (
            "signature stripped",
            format!("{h}.{p}."),
            400,
            "invalid_signature",
        ),
        (
            "another client's key",
            sign(&good, &attacker_key),
            400,
            "invalid_signature",
        ),
        // T-22: claims of the wrong JSON type.
        (
            "exp a string",
            rs(&with(good.clone(), "exp", json!("never"))),
            400,
            "invalid_token",
        ),
        (
            "exp true",
            rs(&with(good.clone(), "exp", json!(true))),
            400,
            "invalid_token",
        ),
        (
            "exp a fraction",
            rs(&with(good.clone(), "exp", json!(now as f64 + 300.5))),
            400,
            "invalid_token",
        ),
        (
            "exp 1e400",
            sign_raw(
                r#"{"alg":"RS256"}"#,
                &good
                    .to_string()
                    .replace(&format!("\"exp\":{}", now + 300), "\"exp\":1e400"),
                &key,
            ),
            400,
            "invalid_token",
        ),
        (
            "nbf a string",
            rs(&with(good.clone(), "nbf", json!("9999999999"))),
            400,
            "invalid_token",
        ),
        (
            "aud a number",
            rs(&with(good.clone(), "aud", json!(123))),
            400,
            "bad_request",
        ),
        (
            "iss an array",
            rs(&with(good.clone(), "iss", json!([a.org]))),
            400,
            "bad_request",
        ),
        (
            "jti an object",
            rs(&with(good.clone(), "jti", json!({"a": 1}))),
            400,
            "invalid_token",
        ),
        // T-23/T-24: time.
        (
            "expired beyond the skew",
            rs(&with(good.clone(), "exp", json!(now - 31))),
            400,
            "invalid_token",
        ),
        (
            "more than 24 h ahead",
            rs(&with(good.clone(), "exp", json!(now + 86_400 + 60))),
            400,
            "invalid_token",
        ),
        (
            "iat 61 s ahead",
            rs(&with(good.clone(), "iat", json!(now + 61))),
            400,
            "invalid_token",
        ),
        (
            "nbf 61 s ahead",
            rs(&with(good.clone(), "nbf", json!(now + 61))),
            400,
            "invalid_token",
        ),
        (
            "exp missing",
            rs(&without(good.clone(), "exp")),
            400,
            "invalid_token",
        ),
        // T-25: iss/sub binding, exact equality.
        (
            "iss of another org",
            rs(&with(good.clone(), "iss", json!(other_org))),
            400,
            "invalid_token",
        ),
        (
            "iss a prefix of the org",
            rs(&with(good.clone(), "iss", json!(&a.org[..10]))),
            400,
            "invalid_token",
        ),
        (
            "iss a superstring of the org",
            rs(&with(good.clone(), "iss", json!(format!("{}x", a.org)))),
            400,
            "invalid_token",
        ),
        (
            "sub of another account",
            rs(&with(
                good.clone(),
                "sub",
                json!("0123456789ABCDEF01234567@techacct.adobe.com"),
            )),
            400,
            "invalid_token",
        ),
        // T-26: audience.
        (
            "aud missing",
            rs(&without(good.clone(), "aud")),
            400,
            "bad_request",
        ),
        (
            "aud of another client",
            rs(&with(
                good.clone(),
                "aud",
                json!(format!("{base}/c/0123456789abcdef0123456789abcdef")),
            )),
            400,
            "invalid_client",
        ),
        (
            "aud of another IMS",
            rs(&with(
                good.clone(),
                "aud",
                json!(format!("https://evil.example/c/{}", a.client_id)),
            )),
            400,
            "invalid_client",
        ),
        (
            "aud an array with a foreign entry",
            rs(&with(
                good.clone(),
                "aud",
                json!([format!("{base}/c/{}", a.client_id), "https://evil.example"]),
            )),
            400,
            "bad_request",
        ),
        (
            "aud an array of ours",
            rs(&with(
                good.clone(),
                "aud",
                json!([format!("{base}/c/{}", a.client_id)]),
            )),
            400,
            "bad_request",
        ),
        // Metascopes.
        (
            "metascope not granted",
            rs(&with(
                good.clone(),
                &format!("{base}/s/ent_cloudmgr_sdk"),
                json!(true),
            )),
            400,
            "invalid_scope",
        ),
        (
            "no metascope",
            rs(&without(
                good.clone(),
                &format!("{base}/s/ent_aem_cloud_api"),
            )),
            400,
            "invalid_scope",
        ),
        (
            "metascope of another IMS",
            rs(&with(
                good.clone(),
                "https://evil.example/s/ent_aem_cloud_api",
                json!(true),
            )),
            400,
            "invalid_scope",
        ),
        (
            "metascope not true",
            rs(&with(
                good.clone(),
                &format!("{base}/s/ent_aem_cloud_api"),
                json!("true"),
            )),
            400,
            "bad_request",
        ),
        // T-29: structure.
        (
            "JWE, five parts",
            format!("{h}.a.b.c.d"),
            400,
            "invalid_token",
        ),
        (
            "zip DEF",
            header_with("zip", json!("DEF")),
            400,
            "invalid_token",
        ),
        (
            "crit unknown",
            header_with("crit", json!(["x-unknown"])),
            400,
            "invalid_token",
        ),
        (
            "typ at+jwt",
            sign_raw(r#"{"alg":"RS256","typ":"at+jwt"}"#, &good.to_string(), &key),
            400,
            "invalid_token",
        ),
        (
            "two JWTs",
            format!("{signed} {signed}"),
            400,
            "invalid_token",
        ),
        ("not base64", "!!!.???.***".into(), 400, "invalid_token"),
        // T-30: duplicate members.
        (
            "duplicate sub in the payload",
            sign_raw(r#"{"alg":"RS256"}"#, &dup_payload, &key),
            400,
            "invalid_token",
        ),
        (
            "duplicate alg in the header",
            sign_raw(r#"{"alg":"RS256","alg":"none"}"#, &good.to_string(), &key),
            400,
            "invalid_token",
        ),
        // T-31: another algorithm.
        (
            "ES256",
            sign_raw(r#"{"alg":"ES256"}"#, &good.to_string(), &key),
            400,
            "invalid_signature",
        ),
    ];
    for (name, jwt, status, code) in &cases {
        let r = exchange(&base, &a, jwt).await;
        assert_eq!(r.status, *status, "{name}: {}", r.text);
        assert_eq!(r.json["error"], *code, "{name}: {}", r.text);
        assert_oauth_error(&r, *status, code);
    }
    // Adobe's exact text for a metascope outside the binding.
    let not_granted = &cases
        .iter()
        .find(|c| c.0 == "metascope not granted")
        .unwrap()
        .1;
    let r = exchange(&base, &a, not_granted).await;
    assert_eq!(
        r.json["error_description"],
        "The metascopes in the JWT are not a subset of the metascopes in the binding."
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "no URL from a header was fetched"
    );

    // Within the limits: 28 s past exp (inside the 30 s skew, with a second of margin for the
    // clock ticking during the request), 8 h ahead (aemcs-api-client-lib), nbf 8 s ahead.
    let now = now_secs();
    let good = a.claims(&base, now);
    for (name, c) in [
        ("28 s past exp", with(good.clone(), "exp", json!(now - 28))),
        (
            "exp 8 h ahead",
            with(good.clone(), "exp", json!(now + 8 * 3600)),
        ),
        ("nbf 8 s ahead", with(good.clone(), "nbf", json!(now + 8))),
        ("iat now", with(good.clone(), "iat", json!(now))),
        ("Adobe's origin", a.claims(ADOBE, now)),
        ("an integer jti", with(good.clone(), "jti", json!(42))),
    ] {
        let r = exchange(&base, &a, &rs(&c)).await;
        assert_eq!(r.status, 200, "{name}: {}", r.text);
    }
}

#[tokio::test]
async fn client_authentication_failures_follow_adobes_table() {
    let s = TestServer::start().await;
    let a = dev_account(&s);
    let jwt = sign(&a.claims(&s.base_url, now_secs()), &a.private_key_pem);
    // Unknown client: 400; wrong secret: 401.
    let r = exchange_as(
        &s.base_url,
        "0123456789abcdef0123456789abcdef",
        &a.client_secret,
        &jwt,
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_client");
    let r = exchange_as(&s.base_url, &a.client_id, "wrong-secret", &jwt).await;
    assert_oauth_error(&r, 401, "invalid_client");
    assert_eq!(
        r.json["error_description"],
        "invalid client_secret parameter"
    );
    // An OAuth Server-to-Server credential is not a service account: 401.
    let o = &s.dev.credentials.oauth_server_to_server;
    let r = exchange_as(&s.base_url, &o.client_id, &o.client_secret, &jwt).await;
    assert_oauth_error(&r, 401, "invalid_client");
    // No JWT.
    let r = send(client().post(s.url("/ims/exchange/jwt")).form(&[
        ("client_id", a.client_id.as_str()),
        ("client_secret", a.client_secret.as_str()),
    ]))
    .await;
    assert_oauth_error(&r, 400, "invalid_token");
    // The secret never in the URL.
    let r = send(client().post(format!(
        "{}/ims/exchange/jwt?client_secret={}",
        s.base_url, a.client_secret
    )))
    .await;
    assert_oauth_error(&r, 400, "invalid_request");
    // GET is not an exchange.
    let r = send(client().get(s.url("/ims/exchange/jwt"))).await;
    assert_eq!(r.status, 405);
}

#[tokio::test]
async fn a_jti_is_single_use_serially_and_under_50_concurrent_exchanges() {
    let s = TestServer::start().await;
    let a = dev_account(&s);
    let now = now_secs();
    let once = sign(
        &with(a.claims(&s.base_url, now), "jti", json!("serial-1")),
        &a.private_key_pem,
    );
    let r = exchange(&s.base_url, &a, &once).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = exchange(&s.base_url, &a, &once).await;
    assert_oauth_error(&r, 400, "invalid_jti");

    let racing = sign(
        &with(a.claims(&s.base_url, now), "jti", json!("race-1")),
        &a.private_key_pem,
    );
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (base, a, jwt) = (s.base_url.clone(), a.clone(), racing.clone());
        tasks.push(tokio::spawn(async move { exchange(&base, &a, &jwt).await }));
    }
    let (mut ok, mut replay) = (0, 0);
    for t in tasks {
        let r = t.await.unwrap();
        match (r.status, r.json["error"].as_str()) {
            (200, _) => ok += 1,
            (400, Some("invalid_jti")) => replay += 1,
            other => panic!("unexpected answer {other:?}: {}", r.text),
        }
    }
    assert_eq!((ok, replay), (1, 49));
}

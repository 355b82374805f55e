//! The client library's axum extractor (`latchkey_client::resource`) in a resource server of
//! our own on 127.0.0.1:0, accepting tokens of a real Latchkey server: claims reach the
//! handler; missing, tampered, `alg: none`, HMAC, expired and foreign tokens are refused with
//! RFC 6750 answers; unknown `kid`s refetch the JWKS at most once per cooldown.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_client::resource::extract::AuthOptions;
use latchkey_client::resource::{Authenticated, LatchkeyAuth};
use latchkey_core::time::UnixMillis;
use latchkey_server::clock::Clock;
use latchkey_testkit::TestServer;
use serde_json::json;

use crate::client_provider::Proxy;
use crate::support::*;

async fn whoami(token: Authenticated) -> Result<String, latchkey_client::resource::AuthRejection> {
    token.require_scope("openid")?;
    Ok(format!(
        "{} {}",
        token.claims.client_id,
        token.claims.scopes.join(",")
    ))
}

/// Our resource server, trusting the identity service at `ims` (JWKS fetched from `jwks_base`).
async fn resource_server(issuer: &str, jwks_base: &str) -> String {
    let auth = LatchkeyAuth::with_options(
        jwks_base,
        AuthOptions {
            issuer: Some(issuer.to_owned()),
            cooldown: Some(Duration::from_secs(1)),
            ..AuthOptions::default()
        },
    )
    .unwrap();
    let app = Router::new().route("/whoami", get(whoami)).with_state(auth);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

async fn call(url: &str, token: Option<&str>) -> Resp {
    let mut req = client().get(format!("{url}/whoami"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    send(req).await
}

async fn demo_token(s: &TestServer, scope: &str) -> String {
    let c = &s.dev.credentials.oauth_server_to_server;
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&scope={scope}",
            c.client_id, c.client_secret
        ),
    )
    .await;
    r.json["access_token"].as_str().unwrap().to_owned()
}

fn refused(r: &Resp, status: u16) {
    assert_eq!(r.status, status, "{}", r.text);
    let challenge = r.headers["www-authenticate"].to_str().unwrap();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    if status == 401 {
        assert!(challenge.contains("invalid_token"), "{challenge}");
        assert_eq!(r.json["error"], "invalid_token");
    }
}

#[tokio::test]
async fn the_extractor_accepts_latchkey_tokens_and_refuses_the_rest() {
    let s = TestServer::start().await;
    let jwks = Proxy::start(&s.base_url, 0, 0).await;
    let api = resource_server(&s.base_url, &jwks.url).await;
    let c = &s.dev.credentials.oauth_server_to_server;

    let token = demo_token(&s, "openid,AdobeID").await;
    let ok = call(&api, Some(&token)).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.text, format!("{} openid,AdobeID", c.client_id));
    assert_eq!(jwks.count(), 1, "keys fetched once");
    assert_eq!(call(&api, Some(&token)).await.status, 200);
    assert_eq!(jwks.count(), 1, "and cached");

    // No token: a bare challenge.
    let none = call(&api, None).await;
    assert_eq!(none.status, 401);
    assert_eq!(none.headers["www-authenticate"], "Bearer");

    // A missing scope: 403 insufficient_scope.
    let narrow = call(&api, Some(&demo_token(&s, "AdobeID").await)).await;
    assert_eq!(narrow.status, 403, "{}", narrow.text);
    assert_eq!(narrow.json["error"], "insufficient_scope");

    // Tampered claims.
    let parts: Vec<&str> = token.split('.').collect();
    let mut claims = claims(&token);
    claims["client_id"] = json!("someone-else");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        parts[2]
    );
    refused(&call(&api, Some(&forged)).await, 401);

    // alg none, and HMAC keyed with the public key (CVE-2015-9235 style).
    let kid = header(&token)["kid"].as_str().unwrap().to_owned();
    for alg in ["none", "HS256"] {
        let h =
            URL_SAFE_NO_PAD.encode(json!({"alg": alg, "typ": "at+jwt", "kid": kid}).to_string());
        let t = format!(
            "{h}.{}.{}",
            parts[1],
            if alg == "none" { "" } else { parts[2] }
        );
        refused(&call(&api, Some(&t)).await, 401);
    }
    // Key material in the header is never trusted.
    let h = URL_SAFE_NO_PAD
        .encode(json!({"alg": "RS256", "kid": kid, "jku": "http://evil/keys"}).to_string());
    refused(
        &call(&api, Some(&format!("{h}.{}.{}", parts[1], parts[2]))).await,
        401,
    );
    assert_eq!(jwks.count(), 1);

    // Unknown kids: the keys were fetched less than the cooldown (1 s) ago, so no refetch;
    // after it, one refetch however many unknown kids arrive.
    let made_up = |i: usize| {
        let h = URL_SAFE_NO_PAD
            .encode(json!({"alg": "RS256", "kid": format!("made-up-{i}")}).to_string());
        format!("{h}.{}.{}", parts[1], parts[2])
    };
    for i in 0..5 {
        refused(&call(&api, Some(&made_up(i))).await, 401);
    }
    assert_eq!(jwks.count(), 1, "within the cooldown");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for i in 5..10 {
        refused(&call(&api, Some(&made_up(i))).await, 401);
    }
    assert_eq!(jwks.count(), 2, "one refetch per cooldown");
    // A known kid still verifies without a fetch.
    assert_eq!(call(&api, Some(&token)).await.status, 200);
    assert_eq!(jwks.count(), 2);
}

#[tokio::test]
async fn expired_and_foreign_tokens_are_refused() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let clock = Clock::fixed(UnixMillis(now - 2 * 86_400_000));
    let s = TestServer::start_with(|_| {}, clock.clone()).await;
    let old = demo_token(&s, "openid").await;
    clock.set(UnixMillis(now));
    let api = resource_server(&s.base_url, &s.base_url).await;
    let r = call(&api, Some(&old)).await;
    refused(&r, 401);
    assert!(
        r.json["error_description"]
            .as_str()
            .unwrap()
            .contains("expired"),
        "{}",
        r.text
    );
    assert_eq!(
        call(&api, Some(&demo_token(&s, "openid").await))
            .await
            .status,
        200
    );

    // A token of another Latchkey (other keys, other issuer).
    let other = TestServer::start().await;
    refused(
        &call(&api, Some(&demo_token(&other, "openid").await)).await,
        401,
    );
    // Same keys trusted, wrong issuer expected.
    let strict = resource_server("https://ims.example.com", &s.base_url).await;
    let r = call(&strict, Some(&demo_token(&s, "openid").await)).await;
    refused(&r, 401);
    assert!(
        r.json["error_description"]
            .as_str()
            .unwrap()
            .contains("another identity service")
    );
}

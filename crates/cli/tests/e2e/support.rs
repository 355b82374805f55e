//! Shared helpers for the full-stack tests.

use base64::Engine;
use reqwest::header::HeaderMap;
use serde_json::Value;

/// A response reduced to what the tests look at.
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub json: Value,
    pub text: String,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

pub async fn send(req: reqwest::RequestBuilder) -> Resp {
    try_send(req).await.expect("request")
}

/// Like [`send`], but a connection failure is `None` (the server may have been killed).
pub async fn try_send(req: reqwest::RequestBuilder) -> Option<Resp> {
    let r = req.send().await.ok()?;
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.ok()?;
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Some(Resp {
        status,
        headers,
        json,
        text,
    })
}

/// POST an urlencoded body (written as-is, like the seed sample's string template).
pub async fn post_form(url: &str, body: &str) -> Resp {
    send(
        client()
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned()),
    )
    .await
}

/// The claims of a JWT, decoded without verification (as aio-lib-ims does).
pub fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

pub fn header(token: &str) -> Value {
    let h = token.split('.').next().unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(h)
            .unwrap(),
    )
    .unwrap()
}

/// Asserts the RFC 6749 error shape, charset and headers, and returns the error code.
pub fn assert_oauth_error(r: &Resp, status: u16, error: &str) {
    assert_eq!(r.status, status, "body: {}", r.text);
    assert_eq!(r.json["error"], error, "body: {}", r.text);
    let d = r.json["error_description"]
        .as_str()
        .expect("error_description");
    assert!(
        d.bytes()
            .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E)),
        "error_description outside the RFC 6749 charset: {d:?}"
    );
    assert_eq!(r.headers["cache-control"], "no-store");
    assert!(r.headers.contains_key("x-debug-id"));
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
}

/// A token of the dev demo credential (OAuth Server-to-Server, its default scopes).
pub async fn demo_token(s: &latchkey_testkit::TestServer) -> String {
    let c = &s.dev.credentials.oauth_server_to_server;
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            c.client_id, c.client_secret
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["access_token"].as_str().unwrap().to_owned()
}

/// A token of the bootstrap admin credential (dev mode writes it into dev-credentials.json).
pub async fn admin_token(s: &latchkey_testkit::TestServer) -> Admin {
    let a = s
        .dev
        .admin
        .as_ref()
        .expect("dev mode wrote the admin credential");
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            a.client_id, a.client_secret
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    Admin {
        client_id: a.client_id.clone(),
        token: r.json["access_token"].as_str().unwrap().to_owned(),
    }
}

/// A console caller: its token and the client id it sends as x-api-key.
#[derive(Clone)]
pub struct Admin {
    pub client_id: String,
    pub token: String,
}

/// A console request with bearer token and x-api-key.
pub async fn console(
    s: &latchkey_testkit::TestServer,
    method: reqwest::Method,
    path: &str,
    who: &Admin,
    json: Option<Value>,
) -> Resp {
    let mut req = client()
        .request(method, s.url(path))
        .bearer_auth(&who.token)
        .header("x-api-key", &who.client_id);
    if let Some(j) = json {
        req = req.json(&j);
    }
    send(req).await
}

//! The client library's `TokenProvider` against a real server: one token request for a hundred
//! concurrent callers, refresh ahead of expiry, 429 + `Retry-After` waited out, 5xx retried
//! (through a counting, failing proxy on 127.0.0.1:0), never a retry on 4xx, no secret in any
//! `Debug` output, and the legacy JWT exchange with the dev server's service-credentials JSON,
//! through the library and through `latchkey token --service-credentials`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use latchkey_client::{ClientSecret, Credentials, RetryPolicy, TokenClient, TokenProvider};
use latchkey_core::time::UnixMillis;
use latchkey_server::clock::Clock;
use latchkey_testkit::TestServer;

use crate::support::client;

/// A metric's value from the server's `/metrics`.
pub async fn metric(s: &TestServer, line_prefix: &str) -> u64 {
    let text = client()
        .get(s.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find(|l| l.starts_with(line_prefix))
        .and_then(|l| l.rsplit(' ').next())
        .map_or(0, |v| v.parse().unwrap())
}

pub async fn issued(s: &TestServer) -> u64 {
    metric(s, "latchkey_tokens_issued_total").await
}

fn demo(s: &TestServer, scopes: &[&str]) -> Credentials {
    let c = &s.dev.credentials.oauth_server_to_server;
    Credentials::client_credentials(&c.client_id, ClientSecret::new(&c.client_secret), scopes)
}

#[tokio::test]
async fn a_hundred_concurrent_callers_cause_one_token_request() {
    let s = TestServer::start().await;
    let provider = TokenProvider::new(TokenClient::new(&s.base_url).unwrap());
    let creds = demo(&s, &["openid", "AdobeID"]);
    let before = issued(&s).await;
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let (p, c) = (provider.clone(), creds.clone());
        tasks.push(tokio::spawn(async move { p.token(&c).await.unwrap() }));
    }
    let mut tokens = Vec::new();
    for t in tasks {
        tokens.push(t.await.unwrap().access_token.expose_secret().to_owned());
    }
    assert!(tokens.iter().all(|t| *t == tokens[0]));
    assert_eq!(
        issued(&s).await - before,
        1,
        "one request for a hundred callers"
    );
    // Other scopes are another cache key: one more request.
    provider.token(&demo(&s, &["openid"])).await.unwrap();
    assert_eq!(issued(&s).await - before, 2);
}

#[tokio::test]
async fn a_token_near_expiry_is_refreshed() {
    let s = TestServer::start_with(|c| c.tokens.lifetime_secs = 60, Clock::system()).await;
    let provider = TokenProvider::builder(TokenClient::new(&s.base_url).unwrap())
        // The server answers expires_in 59 for a 60 s token: refresh when 58 s are left.
        .refresh_before(Duration::from_secs(58))
        .build();
    let creds = demo(&s, &[]);
    let first = provider.token(&creds).await.unwrap();
    let again = provider.token(&creds).await.unwrap();
    assert_eq!(
        first.access_token.expose_secret(),
        again.access_token.expose_secret(),
        "fresh: reused"
    );
    assert_eq!(issued(&s).await, 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let later = provider.token(&creds).await.unwrap();
    assert_ne!(
        first.access_token.expose_secret(),
        later.access_token.expose_secret(),
        "within 58 s of expiry: refreshed"
    );
    assert_eq!(issued(&s).await, 2);
    assert!(later.expires_at > first.expires_at);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out() {
    let t0 = UnixMillis(1_900_000_000_000);
    let clock = Clock::fixed(t0);
    let s = TestServer::start_with(
        |c| c.limits.tokens_per_credential_per_minute = 1,
        clock.clone(),
    )
    .await;
    let provider = TokenProvider::new(TokenClient::new(&s.base_url).unwrap());
    // The budget's one token of this window.
    provider.token(&demo(&s, &["openid"])).await.unwrap();
    // Half a second before the window ends: the server answers 429 with Retry-After: 1 ...
    clock.set(UnixMillis(t0.0 + 59_500));
    let raw = TokenClient::new(&s.base_url).unwrap();
    let c = &s.dev.credentials.oauth_server_to_server;
    let refused = raw
        .client_credentials(
            &c.client_id,
            &ClientSecret::new(&c.client_secret),
            &["AdobeID"],
        )
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(429));
    // ... and the window is over a moment later (the fixed clock moves when the test says).
    let mover = clock.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        mover.set(UnixMillis(t0.0 + 61_000));
    });
    let started = Instant::now();
    let token = provider.token(&demo(&s, &["AdobeID"])).await.unwrap();
    assert!(!token.access_token.expose_secret().is_empty());
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited Retry-After (1 s), not the backoff: {:?}",
        started.elapsed()
    );
    assert_eq!(
        metric(&s, "latchkey_token_failures_total{reason=\"throttled\"}").await,
        2,
        "the probe and the provider's first attempt were throttled"
    );
}

#[tokio::test]
async fn no_retry_on_4xx() {
    let s = TestServer::start().await;
    let proxy = Proxy::start(&s.base_url, 0, 0).await;
    let provider = TokenProvider::new(TokenClient::new(&proxy.url).unwrap());
    let c = &s.dev.credentials.oauth_server_to_server;
    let wrong = Credentials::client_credentials(&c.client_id, ClientSecret::new("p8e-wrong"), &[]);
    let started = Instant::now();
    let e = provider.token(&wrong).await.unwrap_err();
    assert_eq!(e.code(), Some("invalid_client"));
    assert_eq!(proxy.count(), 1, "a 400 is not retried");
    assert!(started.elapsed() < Duration::from_millis(400));
    let scope = Credentials::client_credentials(
        &c.client_id,
        ClientSecret::new(&c.client_secret),
        &["not_granted"],
    );
    assert_eq!(
        provider.token(&scope).await.unwrap_err().code(),
        Some("invalid_scope")
    );
    assert_eq!(proxy.count(), 2);
}

#[tokio::test]
async fn five_hundreds_are_retried_with_backoff() {
    let s = TestServer::start().await;
    let proxy = Proxy::start(&s.base_url, 2, 503).await;
    let provider = TokenProvider::builder(TokenClient::new(&proxy.url).unwrap())
        .retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(50),
            max_wait: Duration::from_secs(5),
        })
        .build();
    provider.token(&demo(&s, &[])).await.unwrap();
    assert_eq!(proxy.count(), 3, "two 503s, then the real answer");
    assert_eq!(issued(&s).await, 1);
    // Attempts are capped: three 503s in a row are the caller's error.
    let proxy = Proxy::start(&s.base_url, 3, 503).await;
    let provider = TokenProvider::builder(TokenClient::new(&proxy.url).unwrap())
        .retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_wait: Duration::from_secs(5),
        })
        .build();
    assert_eq!(
        provider
            .token(&demo(&s, &["openid"]))
            .await
            .unwrap_err()
            .status(),
        Some(503)
    );
    assert_eq!(proxy.count(), 3);
}

#[tokio::test]
async fn secrets_never_show_in_debug_output() {
    let s = TestServer::start().await;
    let c = &s.dev.credentials.oauth_server_to_server;
    let provider = TokenProvider::new(TokenClient::new(&s.base_url).unwrap());
    let creds = demo(&s, &[]);
    let token = provider.token(&creds).await.unwrap();
    let wrong =
        Credentials::client_credentials(&c.client_id, ClientSecret::new("p8e-wrong-secret"), &[]);
    let err = provider.token(&wrong).await.unwrap_err();
    let dumps = format!("{provider:?} {creds:?} {token:?} {wrong:?} {err:?} {err}");
    assert!(!dumps.contains(&c.client_secret), "{dumps}");
    assert!(!dumps.contains("p8e-wrong-secret"), "{dumps}");
    assert!(
        !dumps.contains(token.access_token.expose_secret()),
        "{dumps}"
    );
    assert!(dumps.contains("[redacted]"));
}

/// A proxy on 127.0.0.1:0 in front of the real server: counts requests, answers the first
/// `fail_first` with `status` itself, forwards the rest.
pub struct Proxy {
    pub url: String,
    count: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct ProxyState {
    target: String,
    count: Arc<AtomicUsize>,
    fail_first: usize,
    status: u16,
}

impl Proxy {
    pub async fn start(target: &str, fail_first: usize, status: u16) -> Self {
        let count = Arc::new(AtomicUsize::new(0));
        let state = ProxyState {
            target: target.to_owned(),
            count: count.clone(),
            fail_first,
            status,
        };
        let app = axum::Router::new().fallback(forward).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { url, count }
    }

    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

async fn forward(
    State(st): State<ProxyState>,
    method: axum::http::Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let n = st.count.fetch_add(1, Ordering::SeqCst);
    if n < st.fail_first {
        return (
            StatusCode::from_u16(st.status).unwrap(),
            "<html>busy</html>",
        )
            .into_response();
    }
    let method = reqwest::Method::from_bytes(method.as_str().as_bytes()).unwrap();
    let mut req = client().request(
        method,
        format!(
            "{}{}",
            st.target,
            uri.path_and_query().map_or("", |p| p.as_str())
        ),
    );
    if let Some(ct) = headers.get("content-type") {
        req = req.header("content-type", ct);
    }
    let r = req.body(body).send().await.unwrap();
    let status = StatusCode::from_u16(r.status().as_u16()).unwrap();
    let mut out = HeaderMap::new();
    for (k, v) in r.headers() {
        if let (Ok(k), Ok(v)) = (
            axum::http::HeaderName::from_bytes(k.as_str().as_bytes()),
            axum::http::HeaderValue::from_bytes(v.as_bytes()),
        ) && k != "content-length"
            && k != "transfer-encoding"
        {
            out.insert(k, v);
        }
    }
    let bytes = r.bytes().await.unwrap();
    (status, out, bytes.to_vec()).into_response()
}

/// What the provider sends to `/ims/exchange/jwt`, seen from a listener on 127.0.0.1:0 (the
/// real server's test is below; this one sees the wire): the form fields, and an RS256
/// assertion that verifies with the credential's public key and carries Adobe's claims for
/// this origin. It answers as Adobe does, `expires_in` in milliseconds.
#[tokio::test]
async fn the_jwt_exchange_sends_a_verifiable_assertion_and_reads_milliseconds() {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

    let kp = KeyPair::generate(KeySize::Rsa2048).unwrap();
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\r\n{}\r\n-----END PRIVATE KEY-----\r\n",
        STANDARD.encode(kp.as_der().unwrap().as_ref())
    );
    let public = kp.public_key().as_ref().to_vec();
    let seen = Arc::new(std::sync::Mutex::new(Vec::<serde_json::Value>::new()));
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/ims/exchange/jwt",
        axum::routing::post(move |body: String| {
            let log = log.clone();
            let public = public.clone();
            async move {
                let form: std::collections::HashMap<String, String> =
                    reqwest::Url::parse(&format!("http://form/?{body}"))
                        .unwrap()
                        .query_pairs()
                        .into_owned()
                        .collect();
                let jwt = &form["jwt_token"];
                let (input, sig) = jwt.rsplit_once('.').unwrap();
                UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &public)
                    .verify(input.as_bytes(), &URL_SAFE_NO_PAD.decode(sig).unwrap())
                    .expect("the assertion verifies with the registered key");
                log.lock().unwrap().push(serde_json::json!({
                    "client_id": form["client_id"],
                    "client_secret": form["client_secret"],
                    "claims": crate::support::claims(jwt),
                    "header": crate::support::header(jwt),
                }));
                axum::Json(serde_json::json!({
                    "token_type": "bearer", "access_token": "eyJ.stand-in.token", "expires_in": 86_399_999
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let file = serde_json::json!({"ok": true, "integration": {
        "imsEndpoint": origin.trim_start_matches("http://"),
        "metascopes": "ent_aem_cloud_api",
        "technicalAccount": {"clientId": "cm-p1-e1-integration", "clientSecret": "p8e-sa-secret"},
        "id": "D8E157165FC0EAE10A495E8C@techacct.adobe.com",
        "org": "907136ED5D35CBF50A495CD4@AdobeOrg",
        "privateKey": pem,
    }});
    let sa = latchkey_client::ServiceCredentials::from_json(&file.to_string()).unwrap();
    assert_eq!(
        sa.origin(),
        origin.replace("http://", "https://"),
        "a bare host means https"
    );
    // Pointed at the plain-HTTP stand-in explicitly, the claims name that origin.
    let provider = TokenProvider::new(TokenClient::new(&origin).unwrap());
    let creds = Credentials::service_account(sa);
    let t = provider.token(&creds).await.unwrap();
    provider.token(&creds).await.unwrap();
    let left = t
        .expires_at
        .duration_since(std::time::SystemTime::now())
        .unwrap();
    assert!(
        left > Duration::from_secs(86_000) && left <= Duration::from_secs(86_400),
        "{left:?}"
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "cached like any token");
    let r = &seen[0];
    assert_eq!(r["client_id"], "cm-p1-e1-integration");
    assert_eq!(r["client_secret"], "p8e-sa-secret");
    assert_eq!(
        r["header"],
        serde_json::json!({"alg": "RS256", "typ": "JWT"})
    );
    let c = &r["claims"];
    assert_eq!(c["iss"], "907136ED5D35CBF50A495CD4@AdobeOrg");
    assert_eq!(c["sub"], "D8E157165FC0EAE10A495E8C@techacct.adobe.com");
    assert_eq!(c["aud"], format!("{origin}/c/cm-p1-e1-integration"));
    assert_eq!(c[format!("{origin}/s/ent_aem_cloud_api")], true);
    let exp = c["exp"].as_u64().unwrap();
    let iat = c["iat"].as_u64().unwrap();
    assert_eq!(exp - iat, 300);
}

/// The dev server's legacy JWT credential, as the AEM Developer Console hands it out: the
/// provider exchanges its assertion at the real `/ims/exchange/jwt`, the token passes the AEM
/// gateway (which verifies it), and `latchkey token --service-credentials` does the same.
#[tokio::test]
async fn the_jwt_exchange_works_against_the_real_server_from_the_library_and_the_cli() {
    use latchkey_client::chain::{ChainProbe, DryRun, Verdict};

    let s = TestServer::start().await;
    let sc = s
        .dev
        .credentials
        .service_account_jwt
        .clone()
        .expect("dev mode seeds a JWT credential");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("service-credentials.json");
    std::fs::write(&file, serde_json::to_string_pretty(&sc).unwrap()).unwrap();

    let sa = latchkey_client::ServiceCredentials::from_file(&file).unwrap();
    let provider = TokenProvider::new(TokenClient::new(&s.base_url).unwrap());
    let creds = Credentials::service_account(sa);
    let t = provider.token(&creds).await.unwrap();
    assert_eq!(
        provider
            .token(&creds)
            .await
            .unwrap()
            .access_token
            .expose_secret(),
        t.access_token.expose_secret(),
        "cached"
    );
    let claims = crate::support::claims(t.access_token.expose_secret());
    assert_eq!(
        claims["client_id"],
        sc.integration.technical_account.client_id.as_str()
    );
    assert_eq!(claims["user_id"], sc.integration.id.as_str());
    let left = t
        .expires_at
        .duration_since(std::time::SystemTime::now())
        .unwrap();
    assert!(left > Duration::from_secs(86_000), "{left:?}");

    // The AEM gateway accepts the token: the dry run gets past it, to the allowlist, which does
    // not list this credential.
    let probe = ChainProbe::new(
        &s.base_url,
        &sc.integration.technical_account.client_id,
        t.access_token.clone(),
    )
    .unwrap();
    match probe.dry_run("read", "/content/dam").await.unwrap() {
        DryRun::Answered(Verdict::Refused(r)) => {
            assert_eq!(r.stage.as_deref(), Some("allowlist"), "{r:?}");
        }
        other => panic!("expected an allowlist refusal, got {other:?}"),
    }

    // The CLI, with the file and the server's URL.
    let path = file.display().to_string();
    let cli_token = |extra: &'static [&'static str]| {
        let mut args = vec!["token", "--no-cache", "--ims", &s.base_url];
        args.extend(["--service-credentials", &path]);
        args.extend_from_slice(extra);
        let args: Vec<String> = args.into_iter().map(str::to_owned).collect();
        async move { crate::cli_run::latchkey(&args, &[]).await }
    };
    let decoded = cli_token(&["--decode"]).await.json();
    assert_eq!(
        decoded["claims"]["client_id"],
        sc.integration.technical_account.client_id.as_str()
    );
    assert_eq!(decoded["claims"]["type"], "access_token");
    // A file with a stale client secret is refused in one sentence.
    let mut other = serde_json::to_value(&sc).unwrap();
    other["integration"]["technicalAccount"]["clientSecret"] = "p8e-wrong".into();
    std::fs::write(&file, other.to_string()).unwrap();
    cli_token(&[]).await.fails(1, "invalid_client");
}

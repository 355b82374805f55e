//! A standard OAuth2 client (the `oauth2` crate) gets a token through RFC 8414 discovery, and
//! the token verifies against the published JWKS with an independent RSA implementation path.

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use latchkey_testkit::TestServer;
use oauth2::basic::BasicClient;
use oauth2::{ClientId, ClientSecret, Scope, TokenResponse, TokenUrl};

use crate::support::*;

async fn http(req: oauth2::HttpRequest) -> Result<oauth2::HttpResponse, reqwest::Error> {
    let (parts, body) = req.into_parts();
    let mut b = client()
        .request(parts.method, parts.uri.to_string())
        .body(body);
    for (k, v) in &parts.headers {
        b = b.header(k, v);
    }
    let r = b.send().await?;
    let mut out = oauth2::http::Response::builder().status(r.status());
    for (k, v) in r.headers() {
        out = out.header(k, v);
    }
    Ok(out.body(r.bytes().await?.to_vec()).unwrap())
}

#[tokio::test]
async fn oauth2_crate_gets_a_token_through_discovery() {
    let s = TestServer::start().await;
    let meta = send(client().get(s.url("/.well-known/oauth-authorization-server")))
        .await
        .json;
    assert_eq!(meta["issuer"], s.base_url.as_str());
    let oidc = send(client().get(s.url("/.well-known/openid-configuration")))
        .await
        .json;
    assert_eq!(oidc, meta);
    let c = &s.dev.credentials.oauth_server_to_server;
    let oauth = BasicClient::new(ClientId::new(c.client_id.clone()))
        .set_client_secret(ClientSecret::new(c.client_secret.clone()))
        .set_token_uri(TokenUrl::new(meta["token_endpoint"].as_str().unwrap().to_owned()).unwrap());
    let token = oauth
        .exchange_client_credentials()
        .add_scope(Scope::new("openid".into()))
        .add_scope(Scope::new("aem.folders".into()))
        .request_async(&http)
        .await
        .expect("oauth2 crate obtains a token");
    let jwt = token.access_token().secret();
    assert_eq!(claims(jwt)["scope"], "openid,aem.folders");

    // Verify the signature with the JWKS from jwks_uri.
    let jwks = send(client().get(meta["jwks_uri"].as_str().unwrap()))
        .await
        .json;
    let kid = header(jwt)["kid"].as_str().unwrap().to_owned();
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .expect("kid published");
    for private in ["d", "p", "q", "dp", "dq", "qi"] {
        assert!(key.get(private).is_none(), "JWKS leaks {private}");
    }
    let n = URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap();
    let e = URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap();
    let (signed, sig) = jwt.rsplit_once('.').unwrap();
    RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &URL_SAFE_NO_PAD.decode(sig).unwrap(),
        )
        .expect("token verifies against the JWKS");
}

#[tokio::test]
async fn es256_and_eddsa_are_selectable() {
    for alg in ["ES256", "EdDSA"] {
        let s = TestServer::start_with(
            |c| c.tokens.signing_alg = alg.into(),
            latchkey_server::clock::Clock::system(),
        )
        .await;
        assert_eq!(header(&demo_token(&s).await)["alg"], alg);
        let meta = send(client().get(s.url("/.well-known/oauth-authorization-server")))
            .await
            .json;
        assert_eq!(meta["access_token_signing_alg_values_supported"][0], alg);
    }
}

#[tokio::test]
async fn health_ready_and_metrics() {
    let s = TestServer::start().await;
    assert_eq!(send(client().get(s.url("/health"))).await.status, 200);
    let r = send(client().get(s.url("/ready"))).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["database"], "sqlite");
    let c = &s.dev.credentials.oauth_server_to_server;
    post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            c.client_id, c.client_secret
        ),
    )
    .await;
    post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret=nope",
            c.client_id
        ),
    )
    .await;
    let m = send(client().get(s.url("/metrics"))).await.text;
    assert!(
        m.contains("latchkey_tokens_issued_total{grant_type=\"client_credentials\"} 1"),
        "{m}"
    );
    assert!(
        m.contains("latchkey_token_failures_total{reason=\"wrong_secret\"} 1"),
        "{m}"
    );
    assert!(
        m.contains("latchkey_token_request_duration_seconds_count 2"),
        "{m}"
    );
    assert!(!m.contains(&c.client_secret));
}

//! Introspection (RFC 7662), revocation (RFC 7009) and the IMS validate/invalidate endpoints:
//! a revoked token is refused everywhere Latchkey checks tokens.

use latchkey_core::audit::Actor;
use latchkey_core::credentials::CredentialKind;
use latchkey_core::provision::{self, CredentialSpec};
use latchkey_core::scope::ScopeList;
use latchkey_testkit::TestServer;

use crate::support::*;

fn admin_client(s: &TestServer) -> Client {
    let a = s.dev.admin.as_ref().unwrap();
    Client {
        id: a.client_id.clone(),
        secret: a.client_secret.clone(),
    }
}

struct Client {
    id: String,
    secret: String,
}

async fn token(s: &TestServer, c: &Client) -> String {
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            c.id, c.secret
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["access_token"].as_str().unwrap().to_owned()
}

fn dev_client(s: &TestServer) -> Client {
    let c = &s.dev.credentials.oauth_server_to_server;
    Client {
        id: c.client_id.clone(),
        secret: c.client_secret.clone(),
    }
}

async fn second_client(s: &TestServer) -> Client {
    let store = s.state.store.as_ref();
    let now = s.state.clock.now();
    let org = latchkey_core::ids::OrgId::parse(&s.dev.org_id).unwrap();
    let actor = Actor::system();
    let project = provision::create_project(store, &actor, &org, "second", now)
        .await
        .unwrap();
    let spec = CredentialSpec {
        kind: CredentialKind::OAuthServerToServer,
        name: "second".into(),
        scopes: ScopeList::parse("openid").unwrap(),
        admin: false,
    };
    let (cred, secret) =
        provision::create_credential(store, &s.state.hasher, &actor, &project, spec, now)
            .await
            .unwrap();
    Client {
        id: cred.client_id.to_string(),
        secret: secret.expose().to_owned(),
    }
}

async fn introspect(s: &TestServer, caller: &Client, t: &str) -> Resp {
    post_form(
        &s.url("/ims/introspect"),
        &format!(
            "client_id={}&client_secret={}&token={t}",
            caller.id, caller.secret
        ),
    )
    .await
}

async fn validate(s: &TestServer, c: &Client, t: &str) -> Resp {
    send(
        client()
            .post(s.url("/ims/validate_token/v1"))
            .bearer_auth(t)
            .form(&[("type", "access_token"), ("client_id", c.id.as_str())]),
    )
    .await
}

#[tokio::test]
async fn introspection_reports_active_tokens_and_nothing_for_others() {
    let s = TestServer::start().await;
    let me = dev_client(&s);
    let t = token(&s, &me).await;
    let r = introspect(&s, &me, &t).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["active"], true);
    assert_eq!(r.json["client_id"], me.id.as_str());
    assert_eq!(
        r.json["scope"],
        "openid AdobeID aem.assets.author aem.folders"
    );
    assert_eq!(r.headers["cache-control"], "no-store");
    // T-40: garbage and tampered tokens are inactive, with nothing else.
    let tampered = format!("{}x", &t[..t.len() - 1]);
    for bad in ["garbage", "a.b.c", tampered.as_str()] {
        let r = introspect(&s, &me, bad).await;
        assert_eq!(r.json, serde_json::json!({"active": false}), "{bad}");
    }
    // T-39: unauthenticated introspection → 401 invalid_client.
    let r = post_form(&s.url("/ims/introspect"), &format!("token={t}")).await;
    assert_oauth_error(&r, 400, "invalid_request");
    let r = post_form(
        &s.url("/ims/introspect"),
        &format!("client_id={}&client_secret=wrong&token={t}", me.id),
    )
    .await;
    assert_oauth_error(&r, 401, "invalid_client");
    // IMS validate_token.
    let r = validate(&s, &me, &t).await;
    assert_eq!(r.json["valid"], true);
    assert_eq!(r.json["token"]["client_id"], me.id.as_str());
    assert_eq!(r.json["token"]["type"], "access_token");
    let other = second_client(&s).await;
    assert_eq!(validate(&s, &other, &t).await.json["valid"], false);
}

#[tokio::test]
async fn a_revoked_token_is_refused_everywhere() {
    let s = TestServer::start().await;
    let me = dev_client(&s);
    let other = second_client(&s).await;
    let t = token(&s, &me).await;
    // T-42: another client cannot revoke it, and it stays active.
    let r = post_form(
        &s.url("/ims/revoke"),
        &format!(
            "client_id={}&client_secret={}&token={t}",
            other.id, other.secret
        ),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_request");
    assert_eq!(introspect(&s, &me, &t).await.json["active"], true);
    // T-41: garbage revocation is 200.
    let r = post_form(
        &s.url("/ims/revoke"),
        &format!(
            "client_id={}&client_secret={}&token=garbage",
            me.id, me.secret
        ),
    )
    .await;
    assert_eq!(r.status, 200);
    // The owner revokes: inactive in introspection and IMS validate.
    let r = post_form(
        &s.url("/ims/revoke"),
        &format!(
            "client_id={}&client_secret={}&token={t}&token_type_hint=access_token",
            me.id, me.secret
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        introspect(&s, &me, &t).await.json,
        serde_json::json!({"active": false})
    );
    let v = validate(&s, &me, &t).await.json;
    assert_eq!(v["valid"], false);
    assert!(v.get("token").is_none());
    // IMS invalidate_token/v2 does the same for another token.
    let t2 = token(&s, &me).await;
    let r = post_form(
        &s.url("/ims/invalidate_token/v2"),
        &format!(
            "token_type=access_token&cascading=all&client_id={}&client_secret={}&token={t2}",
            me.id, me.secret
        ),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(validate(&s, &me, &t2).await.json["valid"], false);
}

#[tokio::test]
async fn disabling_or_revoking_a_credential_deactivates_its_tokens() {
    let s = TestServer::start().await;
    let me = dev_client(&s);
    let t = token(&s, &me).await;
    let id = s.dev.credentials.oauth_server_to_server.credential_id;
    let admin = admin_token(&s).await;
    let base = format!("/console/organizations/{}/credentials/{id}", s.dev.org_id);
    let r = console(
        &s,
        reqwest::Method::POST,
        &format!("{base}/revoke_tokens"),
        &admin,
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(introspect(&s, &me, &t).await.json["active"], false);
    // A token obtained after the revocation is active.
    let fresh = token(&s, &me).await;
    assert_eq!(introspect(&s, &me, &fresh).await.json["active"], true);
    let r = console(
        &s,
        reqwest::Method::PATCH,
        &base,
        &admin,
        Some(serde_json::json!({"enabled": false})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["enabled"], false);
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            me.id, me.secret
        ),
    )
    .await;
    assert_oauth_error(&r, 400, "invalid_client");
    assert!(
        r.json["error_description"]
            .as_str()
            .unwrap()
            .contains("disabled")
    );
    assert_eq!(
        introspect(&s, &admin_client(&s), &fresh).await.json["active"],
        false
    );
}

//! Signing-key rotation with overlap (SPEC §1): the next key is in the JWKS before it signs,
//! tokens signed by the replaced key stay valid until they expire, the replaced key leaves the
//! JWKS after that, and it all survives a restart. Driven by a fixed clock and the server's own
//! maintenance round; an admin rotates through the console and the CLI.

use std::time::Duration;

use latchkey_core::time::UnixMillis;
use latchkey_server::clock::Clock;
use latchkey_testkit::TestServer;
use reqwest::Method;
use serde_json::Value;

use crate::cli_run::{latchkey, with_dev_file};
use crate::support::*;

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const DAY: i64 = 86_400_000;

async fn start() -> TestServer {
    TestServer::start_with(
        |c| {
            c.tokens.key_rotation_days = 30;
            c.cluster.usage_flush_secs = 1;
        },
        Clock::fixed(UnixMillis(T0)),
    )
    .await
}

fn kid(token: &str) -> String {
    header(token)["kid"].as_str().unwrap().to_owned()
}

async fn jwks_kids(s: &TestServer) -> Vec<String> {
    let jwks = send(client().get(s.url("/ims/keys"))).await.json;
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

async fn active(s: &TestServer, token: &str) -> bool {
    let c = &s.dev.credentials.oauth_server_to_server;
    let r = post_form(
        &s.url("/ims/introspect"),
        &format!(
            "client_id={}&client_secret={}&token={token}",
            c.client_id, c.client_secret
        ),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["active"].as_bool().unwrap()
}

/// Moves the clock and waits for the server's maintenance round to see the JWKS change.
async fn at_until(s: &TestServer, at: i64, want: impl Fn(&[String]) -> bool) -> Vec<String> {
    s.state.clock.set(UnixMillis(at));
    for _ in 0..100 {
        let kids = jwks_kids(s).await;
        if want(&kids) {
            return kids;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the JWKS did not change as expected: {:?}",
        jwks_kids(s).await
    );
}

#[tokio::test]
async fn keys_rotate_on_schedule_with_overlap() {
    let s = start().await;
    let first = demo_token(&s).await;
    let k1 = kid(&first);
    assert_eq!(jwks_kids(&s).await, vec![k1.clone()]);

    // A day short of 30 days, the successor is published but does not sign yet.
    let kids = at_until(&s, T0 + 29 * DAY, |k| k.len() == 2).await;
    let k2 = kids.iter().find(|k| **k != k1).unwrap().clone();
    let before = demo_token(&s).await;
    assert_eq!(kid(&before), k1, "a published next key must not sign yet");

    // At 30 days it signs; the tokens of the old key stay valid, and its key stays published.
    s.state.clock.set(UnixMillis(T0 + 29 * DAY + DAY / 2));
    let late_old = demo_token(&s).await;
    assert_eq!(kid(&late_old), k1);
    s.state.clock.set(UnixMillis(T0 + 30 * DAY));
    let mut signed_by_new = String::new();
    for _ in 0..100 {
        signed_by_new = demo_token(&s).await;
        if kid(&signed_by_new) == k2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(kid(&signed_by_new), k2, "the next key signs at 30 days");
    assert_eq!(jwks_kids(&s).await, [k1.clone(), k2.clone()]);
    assert!(
        active(&s, &late_old).await,
        "a token of the retired key stays valid"
    );
    assert!(active(&s, &signed_by_new).await);

    // The audit log of the initial organization records both steps, by the system.
    let admin = admin_token(&s).await;
    let audit = console(
        &s,
        Method::GET,
        &format!("/console/organizations/{}/audit?actor=system", s.dev.org_id),
        &admin,
        None,
    )
    .await;
    let actions: Vec<&str> = audit.json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target"] == format!("signing_key:{k2}").as_str())
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["signing_key.activated", "signing_key.published"]);

    // Once every token of the retired key has expired (24 h + 10 min after), it is deleted.
    let kids = at_until(&s, T0 + 31 * DAY + 600_001, |k| k.len() == 1).await;
    assert_eq!(kids, vec![k2.clone()]);
    let keys = s.state.store.list_signing_keys().await.unwrap();
    assert!(
        keys.iter().all(|k| k.kid != k1),
        "the retired private key is gone"
    );
}

#[tokio::test]
async fn a_rotated_key_survives_a_restart() {
    let s = start().await;
    let k1 = kid(&demo_token(&s).await);
    at_until(&s, T0 + 29 * DAY, |k| k.len() == 2).await;
    s.state.clock.set(UnixMillis(T0 + 30 * DAY));
    for _ in 0..100 {
        if s.state.keys.current().active.kid() != k1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let k2 = s.state.keys.current().active.kid().to_owned();
    assert_ne!(k2, k1);
    let config = s.state.config.clone();
    let clock = s.state.clock.clone();
    let dir = s.stop().await;

    let s = TestServer::start_in(dir, config, clock).await;
    assert_eq!(
        kid(&demo_token(&s).await),
        k2,
        "the promoted key signs after a restart"
    );
    assert_eq!(
        jwks_kids(&s).await,
        [k1, k2],
        "the retired key is still published"
    );
}

#[tokio::test]
async fn an_admin_rotates_with_the_cli_and_only_the_operator_may() {
    let s = start().await;
    let k1 = kid(&demo_token(&s).await);

    let listed = latchkey(
        &with_dev_file(&s, &["admin", "keys", "list", "--json"]),
        &[],
    )
    .await
    .json();
    assert_eq!(listed["signing_alg"], "RS256");
    assert_eq!(listed["rotation_days"], 30);
    assert_eq!(listed["keys"].as_array().unwrap().len(), 1);
    assert_eq!(listed["keys"][0]["state"], "active");

    // Scheduled: the next key is published now and signs a day later.
    let rotated = latchkey(&with_dev_file(&s, &["admin", "keys", "rotate"]), &[]).await;
    let out = rotated.ok();
    assert!(
        out.contains("next") && out.contains("signs from 2026-01-02 00:00:00 UTC"),
        "{out}"
    );
    assert_eq!(jwks_kids(&s).await.len(), 2);
    assert_eq!(kid(&demo_token(&s).await), k1);
    // Asking again changes nothing.
    let again = latchkey(
        &with_dev_file(&s, &["admin", "keys", "rotate", "--json"]),
        &[],
    )
    .await
    .json();
    assert_eq!(again["keys"].as_array().unwrap().len(), 2);

    // Immediately: the published key signs at once; the old one retires.
    let now = latchkey(
        &with_dev_file(&s, &["admin", "keys", "rotate", "--now", "--json"]),
        &[],
    )
    .await
    .json();
    let states: Vec<(&str, &str)> = now["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["kid"].as_str().unwrap(), k["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states.len(), 2, "{now}");
    assert!(states.contains(&(k1.as_str(), "retired")), "{now}");
    let k2 = states.iter().find(|(_, st)| *st == "active").unwrap().0;
    assert_eq!(kid(&demo_token(&s).await), k2);
    let retired = now["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["state"] == "retired")
        .unwrap();
    assert_eq!(retired["publish_until"], T0 + DAY + 600_000);

    // The demo credential is no admin: refused, with what to use instead.
    let c = &s.dev.credentials.oauth_server_to_server;
    let demo = Admin {
        client_id: c.client_id.clone(),
        token: demo_token(&s).await,
    };
    let r = console(&s, Method::POST, "/console/keys/rotate", &demo, None).await;
    assert_eq!(r.status, 403, "{}", r.text);
    let message = r.json["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.contains("initial organization"), "{}", r.text);
    let r = console(&s, Method::GET, "/console/keys", &demo, None).await;
    assert_eq!(r.status, 403);
    // A bad query is a 400 that names the problem.
    let admin = admin_token(&s).await;
    let r = console(
        &s,
        Method::POST,
        "/console/keys/rotate?immediately=soon",
        &admin,
        None,
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.text);
    let _: Value = r.json;
}

/// A node started with `config`, its base URL, and the sender that stops it.
async fn node(
    config: latchkey_server::config::Config,
) -> (
    String,
    Option<latchkey_proto::dev::DevCredentials>,
    tokio::sync::oneshot::Sender<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = latchkey_server::Server::start(config, listener, Clock::system())
        .await
        .expect("node starts");
    let url = format!("http://{}", server.local_addr());
    let dev = server.dev_credentials().cloned();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async move {
        let _ = rx.await;
    }));
    (url, dev, tx)
}

#[tokio::test]
async fn another_node_accepts_a_key_promoted_at_once_before_its_next_round() {
    // Two nodes on one database and master key, behind one public URL, each with its
    // maintenance round an hour away: only the unknown-kid reload can teach node B the key.
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut config = latchkey_server::config::Config {
        listen: "127.0.0.1:0".into(),
        data_dir: dir_a.path().to_path_buf(),
        public_url: "http://latchkey.test".into(),
        dev: true,
        ..Default::default()
    };
    config.cluster.usage_flush_secs = 3600;
    let (a, dev, _stop_a) = node(config.clone()).await;
    config.database_url = config.effective_database_url();
    config.master_key_file = config.effective_master_key_file().display().to_string();
    config.data_dir = dir_b.path().to_path_buf();
    config.dev = false;
    let (b, _, _stop_b) = node(config).await;

    let dev = dev.unwrap();
    let c = &dev.credentials.oauth_server_to_server;
    let token_from = |url: String| {
        let form = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            c.client_id, c.client_secret
        );
        async move {
            let r = post_form(&format!("{url}/ims/token/v3"), &form).await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.json["access_token"].as_str().unwrap().to_owned()
        }
    };
    let active_on = |url: String, token: String| {
        let form = format!(
            "client_id={}&client_secret={}&token={token}",
            c.client_id, c.client_secret
        );
        async move {
            let r = post_form(&format!("{url}/ims/introspect"), &form).await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.json["active"].as_bool().unwrap()
        }
    };
    let first = token_from(a.clone()).await;
    assert!(active_on(b.clone(), first.clone()).await);

    let admin = dev.admin.as_ref().unwrap();
    let r = post_form(
        &format!("{a}/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            admin.client_id, admin.client_secret
        ),
    )
    .await;
    let admin_token = r.json["access_token"].as_str().unwrap().to_owned();
    let r = send(
        client()
            .post(format!("{a}/console/keys/rotate?immediately=true"))
            .bearer_auth(&admin_token)
            .header("x-api-key", &admin.client_id),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);

    let second = token_from(a.clone()).await;
    assert_ne!(
        kid(&second),
        kid(&first),
        "node A signs with the new key at once"
    );
    assert!(
        active_on(b.clone(), second).await,
        "node B learns the new key from the database when it meets its kid"
    );
    assert!(
        active_on(b, first).await,
        "and still accepts the retired key's tokens"
    );
}

//! Throttling: the per-credential token budget and failed-authentication limits that do not
//! lock out the real owner (T-61, T-62). The attacker and the owner use different loopback
//! addresses (127.0.0.2 and 127.0.0.1).

use std::net::{IpAddr, Ipv4Addr};

use latchkey_server::clock::Clock;
use latchkey_testkit::TestServer;

use crate::support::*;

fn from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .local_address(IpAddr::V4(Ipv4Addr::from(ip)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn token_budget_answers_429_with_retry_after() {
    let s = TestServer::start_with(
        |c| c.limits.tokens_per_credential_per_minute = 3,
        Clock::system(),
    )
    .await;
    let c = &s.dev.credentials.oauth_server_to_server;
    let body = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        c.client_id, c.client_secret
    );
    for _ in 0..3 {
        assert_eq!(post_form(&s.url("/ims/token/v3"), &body).await.status, 200);
    }
    let r = post_form(&s.url("/ims/token/v3"), &body).await;
    assert_oauth_error(&r, 429, "too_many_requests");
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
}

#[tokio::test]
async fn failed_authentications_throttle_the_attacker_not_the_owner() {
    let s = TestServer::start().await;
    let c = &s.dev.credentials.oauth_server_to_server;
    let url = s.url("/ims/token/v3");
    let attacker = from([127, 0, 0, 2]);
    let bad = format!(
        "grant_type=client_credentials&client_id={}&client_secret=p8e-guess",
        c.client_id
    );
    for i in 0..10 {
        let r = send(
            attacker
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(bad.clone()),
        )
        .await;
        assert_eq!(r.status, 400, "failure #{i}");
    }
    // T-61: the 11th failure in the window is throttled.
    let r = send(
        attacker
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(bad.clone()),
    )
    .await;
    assert_oauth_error(&r, 429, "too_many_requests");
    assert!(r.headers.contains_key("retry-after"));
    // T-62: the owner, from its own address, still gets tokens.
    let good = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        c.client_id, c.client_secret
    );
    let owner = from([127, 0, 0, 1]);
    for _ in 0..20 {
        let r = send(
            owner
                .post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(good.clone()),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
}

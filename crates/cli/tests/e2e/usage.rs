//! Secret `last_used_at`: recorded per secret on successful authentication, written in batches
//! (not once per token request), and flushed at shutdown so a clean stop loses nothing.

use latchkey_server::clock::Clock;
use latchkey_testkit::TestServer;

use crate::support::*;

#[tokio::test]
async fn last_used_at_is_coalesced_and_flushed_at_shutdown() {
    let s = TestServer::start_with(|c| c.cluster.usage_flush_secs = 3600, Clock::system()).await;
    let c = s.dev.credentials.oauth_server_to_server.clone();
    let before = s.state.store.list_secrets(c.credential_id).await.unwrap();
    assert_eq!(before.len(), 1);
    assert!(before[0].last_used_at.is_none());
    for _ in 0..5 {
        demo_token(&s).await;
    }
    // A failed attempt never counts as a use.
    post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret=bad",
            c.client_id
        ),
    )
    .await;
    // Not written per request: nothing in the database before the flush.
    let mid = s.state.store.list_secrets(c.credential_id).await.unwrap();
    assert!(
        mid[0].last_used_at.is_none(),
        "usage was written per request"
    );
    let store = s.state.store.clone();
    let started = s.state.clock.now();
    drop(s.stop().await);
    let after = store.list_secrets(c.credential_id).await.unwrap();
    let used = after[0].last_used_at.expect("flushed at shutdown");
    assert!(used <= started.plus_millis(60_000) && used.0 > started.0 - 60_000);
    assert_eq!(
        after[0].last_grant_type.as_deref(),
        Some("client_credentials")
    );
}

//! Crash safety of secret rotation: the real binary is killed with SIGKILL at random moments
//! while secrets are being added and deleted, many times. After every restart the credential
//! holds every secret whose addition was acknowledged and not whose deletion was acknowledged,
//! and it always has at least one working secret (security T-71/T-72).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::binary::start;
use crate::support::*;

const ROUNDS: usize = 20;

#[derive(Default)]
struct Known {
    /// Secrets whose addition was acknowledged (201), by uuid.
    secrets: HashMap<String, String>,
    /// Deletions sent but not acknowledged: may or may not have happened.
    deleting: Vec<String>,
}

async fn token(base: &str, id: &str, secret: &str) -> Resp {
    post_form(
        &format!("{base}/ims/token/v3"),
        &format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_rotation_never_loses_an_acknowledged_secret_nor_all_of_them() {
    let dir = tempfile::tempdir().unwrap();
    // A fixed issuer keeps the admin token valid across restarts on new ports.
    let env = [
        ("LATCHKEY_PUBLIC_URL", "http://latchkey.test"),
        ("LATCHKEY_LIMITS_TOKENS_PER_CREDENTIAL_PER_MINUTE", "0"),
    ];
    let r = start(dir.path(), &env);
    let dev: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("dev-credentials.json")).unwrap(),
    )
    .unwrap();
    let c = &dev["credentials"]["oauth_server_to_server"];
    let (client_id, first_secret) = (
        c["client_id"].as_str().unwrap().to_owned(),
        c["client_secret"].as_str().unwrap().to_owned(),
    );
    let a = &dev["admin"];
    let admin_id = a["client_id"].as_str().unwrap().to_owned();
    let admin_token = token(&r.base, &admin_id, a["client_secret"].as_str().unwrap())
        .await
        .json["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!(
        "/console/organizations/{}/credentials/{}/secrets",
        dev["org_id"].as_str().unwrap(),
        c["credential_id"]
    );
    let list = |base: String| {
        let (t, k, p) = (admin_token.clone(), admin_id.clone(), path.clone());
        async move {
            send(
                client()
                    .get(format!("{base}{p}"))
                    .bearer_auth(t)
                    .header("x-api-key", k),
            )
            .await
        }
    };
    let first_uuid = list(r.base.clone()).await.json["client_secrets"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let known = Arc::new(Mutex::new(Known::default()));
    known
        .lock()
        .unwrap()
        .secrets
        .insert(first_uuid, first_secret);
    let mut server = r;
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut acknowledged_ops = 0usize;
    for round in 0..ROUNDS {
        // Rotate continuously: add a secret, then delete the oldest known one.
        let (base, t, k, p, kn) = (
            server.base.clone(),
            admin_token.clone(),
            admin_id.clone(),
            path.clone(),
            known.clone(),
        );
        let rotator = tokio::spawn(async move {
            let mut acks = 0usize;
            loop {
                let Some(r) = try_send(
                    client()
                        .post(format!("{base}{p}"))
                        .bearer_auth(&t)
                        .header("x-api-key", &k),
                )
                .await
                else {
                    return acks;
                };
                if r.status == 201 {
                    let mut g = kn.lock().unwrap();
                    g.secrets.insert(
                        r.json["uuid"].as_str().unwrap().to_owned(),
                        r.json["client_secret"].as_str().unwrap().to_owned(),
                    );
                    acks += 1;
                }
                let victim = {
                    let mut g = kn.lock().unwrap();
                    if g.secrets.len() < 2 {
                        continue;
                    }
                    let v = g.secrets.keys().next().unwrap().clone();
                    g.deleting.push(v.clone());
                    v
                };
                let Some(r) = try_send(
                    client()
                        .delete(format!("{base}{p}/{victim}"))
                        .bearer_auth(&t)
                        .header("x-api-key", &k),
                )
                .await
                else {
                    return acks; // the deletion stays in doubt
                };
                let mut g = kn.lock().unwrap();
                g.deleting.retain(|d| *d != victim);
                if r.status == 204 {
                    g.secrets.remove(&victim);
                    acks += 1;
                }
                drop(g);
                if r.status != 204 && r.status != 404 {
                    return acks;
                }
            }
        });
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        tokio::time::sleep(std::time::Duration::from_millis(5 + seed % 60)).await;
        server.child.kill().unwrap(); // SIGKILL
        server.child.wait().unwrap();
        acknowledged_ops += rotator.await.unwrap();

        server = start(dir.path(), &env);
        let listed = list(server.base.clone()).await;
        assert_eq!(listed.status, 200, "round {round}: {}", listed.text);
        let uuids: Vec<String> = listed.json["client_secrets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["uuid"].as_str().unwrap().to_owned())
            .collect();
        assert!(
            !uuids.is_empty(),
            "round {round}: the credential has no secret"
        );
        let (unknown, working) = {
            let mut g = known.lock().unwrap();
            let in_doubt = std::mem::take(&mut g.deleting);
            for uuid in g.secrets.keys() {
                assert!(
                    uuids.contains(uuid) || in_doubt.contains(uuid),
                    "round {round}: acknowledged secret {uuid} was lost"
                );
            }
            g.secrets.retain(|u, _| uuids.contains(u));
            let unknown: Vec<String> = uuids
                .iter()
                .filter(|u| !g.secrets.contains_key(*u))
                .cloned()
                .collect();
            let working: Vec<String> = g.secrets.values().cloned().collect();
            (unknown, working)
        };
        assert!(
            !working.is_empty(),
            "round {round}: no secret the client knows survived"
        );
        for secret in &working {
            let r = token(&server.base, &client_id, secret).await;
            assert_eq!(
                r.status, 200,
                "round {round}: a surviving secret does not work: {}",
                r.text
            );
        }
        // An addition that committed but was never acknowledged: its plaintext is lost; drop it.
        for u in unknown {
            let r = send(
                client()
                    .delete(format!("{}{}/{u}", server.base, path))
                    .bearer_auth(&admin_token)
                    .header("x-api-key", &admin_id),
            )
            .await;
            assert_eq!(r.status, 204, "{}", r.text);
        }
    }
    assert!(
        acknowledged_ops >= ROUNDS,
        "the rotator barely ran ({acknowledged_ops} acknowledged operations)"
    );
    server.child.kill().unwrap();
    let _ = server.child.wait();
}

//! `latchkey secrets rotate` end to end: the real binary rotates a secret while another
//! "application" keeps asking for tokens with whatever secret its settings file holds at that
//! moment; not one of its requests may fail. Interrupted rotations resume.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use latchkey_server::clock::Clock;
use latchkey_testkit::TestServer;

use crate::cli_run::*;
use crate::sources_helpers::*;

/// An application that re-reads its settings file before each token request.
struct App {
    stop: Arc<AtomicBool>,
    ok: Arc<AtomicUsize>,
    failures: Arc<std::sync::Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl App {
    fn start(s: &TestServer, read_secret: impl Fn() -> (String, String) + Send + 'static) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let ok = Arc::new(AtomicUsize::new(0));
        let failures = Arc::new(std::sync::Mutex::new(Vec::new()));
        let url = s.url("/ims/token/v3");
        let (st, okc, fl) = (stop.clone(), ok.clone(), failures.clone());
        let task = tokio::spawn(async move {
            while !st.load(Ordering::SeqCst) {
                let (id, secret) = read_secret();
                let r = crate::support::post_form(
                    &url,
                    &format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"),
                )
                .await;
                if r.status == 200 {
                    okc.fetch_add(1, Ordering::SeqCst);
                } else {
                    fl.lock().unwrap().push(r.text);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        Self {
            stop,
            ok,
            failures,
            task,
        }
    }

    async fn finish(self) -> (usize, Vec<String>) {
        self.stop.store(true, Ordering::SeqCst);
        self.task.await.unwrap();
        let f = self.failures.lock().unwrap().clone();
        (self.ok.load(Ordering::SeqCst), f)
    }
}

async fn fast_server() -> TestServer {
    TestServer::start_with(|c| c.cluster.usage_flush_secs = 1, Clock::system()).await
}

fn dev_file(s: &TestServer) -> PathBuf {
    s.dir.path().join("dev-credentials.json")
}

fn demo_from(file: &Path) -> (String, String) {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let c = &v["credentials"]["oauth_server_to_server"];
    (
        c["client_id"].as_str().unwrap().to_owned(),
        c["client_secret"].as_str().unwrap().to_owned(),
    )
}

const FAST: [&str; 6] = ["--idle", "2s", "--poll", "200ms", "--timeout", "60s"];

#[tokio::test]
async fn rotate_completes_while_an_application_keeps_calling_without_a_failure() {
    let s = fast_server().await;
    let file = dev_file(&s);
    let (_, old_secret) = demo_from(&file);
    let before = latchkey(&with_dev_file(&s, &["secrets", "list", "--json"]), &[])
        .await
        .json();
    let old_uuid = before["client_secrets"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_owned();

    let f = file.clone();
    let app = App::start(&s, move || demo_from(&f));
    let mut cmd = vec!["secrets", "rotate"];
    cmd.extend(FAST);
    let out = latchkey(&with_dev_file(&s, &cmd), &[]).await;
    let stdout = out.ok().to_owned();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (ok, failures) = app.finish().await;

    assert!(
        failures.is_empty(),
        "failed requests during the rotation: {failures:?}"
    );
    assert!(ok > 10, "the application kept working ({ok} tokens)");
    assert!(
        out.stderr.contains("waiting: new secret"),
        "progress on stderr: {}",
        out.stderr
    );
    assert!(stdout.contains(&old_uuid), "{stdout}");
    let (_, new_secret) = demo_from(&file);
    assert_ne!(new_secret, old_secret, "the file holds the new secret");
    assert!(
        !out.stderr.contains(&new_secret) && !stdout.contains(&new_secret),
        "never printed"
    );
    let after = latchkey(&with_dev_file(&s, &["secrets", "list", "--json"]), &[])
        .await
        .json();
    let secrets = after["client_secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 1);
    assert_ne!(secrets[0]["uuid"], old_uuid.as_str());
    let demo = &s.dev.credentials.oauth_server_to_server;
    assert_eq!(
        token(&s, &demo.client_id, &old_secret).await,
        Err("invalid_client".to_owned())
    );
    token(&s, &demo.client_id, &new_secret).await.unwrap();
    assert!(
        !file
            .with_file_name("dev-credentials.json.rotation.json")
            .exists()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600,
            "mode kept"
        );
    }
}

#[tokio::test]
async fn an_interrupted_rotation_resumes_on_the_next_run() {
    let s = fast_server().await;
    let file = dev_file(&s);
    let state = file.with_file_name("dev-credentials.json.rotation.json");
    // Nobody uses the new secret: the first run gives up, progress saved.
    let stopped = latchkey(
        &with_dev_file(
            &s,
            &[
                "secrets",
                "rotate",
                "--idle",
                "1s",
                "--poll",
                "200ms",
                "--timeout",
                "1s",
            ],
        ),
        &[],
    )
    .await;
    assert_eq!(stopped.code, 4, "stderr: {}", stopped.stderr);
    assert!(
        stopped
            .stderr
            .contains("run `latchkey secrets rotate` again to resume"),
        "{}",
        stopped.stderr
    );
    assert!(state.exists());
    let listed = latchkey(&with_dev_file(&s, &["secrets", "list", "--json"]), &[])
        .await
        .json();
    assert_eq!(listed["client_secrets"].as_array().unwrap().len(), 2);
    let saved = std::fs::read_to_string(&state).unwrap();
    let (_, new_secret) = demo_from(&file);
    assert!(
        !saved.contains(&new_secret),
        "the state file holds no secret"
    );

    // Starting over from two secrets without the state would be refused...
    let moved = state.with_extension("bak");
    std::fs::rename(&state, &moved).unwrap();
    latchkey(&with_dev_file(&s, &["secrets", "rotate"]), &[])
        .await
        .fails(1, "has 2 secrets");
    std::fs::rename(&moved, &state).unwrap();

    // ... but with it, the next run resumes, and finishes once the application switched.
    let f = file.clone();
    let app = App::start(&s, move || demo_from(&f));
    let mut cmd = vec!["secrets", "rotate"];
    cmd.extend(FAST);
    let out = latchkey(&with_dev_file(&s, &cmd), &[]).await;
    out.ok();
    let (_, failures) = app.finish().await;
    assert!(failures.is_empty(), "{failures:?}");
    assert!(out.stderr.contains("resuming"), "{}", out.stderr);
    assert!(!state.exists());
    let listed = latchkey(&with_dev_file(&s, &["secrets", "list", "--json"]), &[])
        .await
        .json();
    assert_eq!(listed["client_secrets"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn rotate_updates_a_dot_env_in_place() {
    let s = fast_server().await;
    let a = s.dev.admin.clone().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    std::fs::write(
        &env,
        format!(
            "# my integration\nIMS_URL={}\nCLIENT_ID={}\nCLIENT_SECRET={}\nORG_ID={}\nCREDENTIAL_ID={}\nSCOPES=openid\n",
            s.base_url, a.client_id, a.client_secret, s.dev.org_id, a.credential_id
        ),
    )
    .unwrap();
    let e = env.clone();
    let app = App::start(&s, move || env_pair(&e));
    let mut cmd = vec!["secrets", "rotate"];
    cmd.extend(FAST);
    let out = latchkey_in(Some(dir.path()), &cmd, &[]).await;
    out.ok();
    let (_, failures) = app.finish().await;
    assert!(failures.is_empty(), "{failures:?}");
    let text = std::fs::read_to_string(&env).unwrap();
    assert!(text.starts_with("# my integration\n"), "{text}");
    assert!(text.contains("SCOPES=openid\n"));
    let (_, secret) = env_pair(&env);
    assert_ne!(secret, a.client_secret);
    assert!(secret.starts_with("p8e-"));
}

fn sha256_hex(s: &str) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, s.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A run killed between adding the secret and writing it into the file: the added secret's
/// value is lost, so the next run deletes it and adds another. Killed between writing the file
/// and saving the state: the next run recognises the file's new secret and goes on with it.
#[tokio::test]
async fn a_run_killed_around_the_add_is_repaired() {
    let s = fast_server().await;
    let file = dev_file(&s);
    let state = file.with_file_name("dev-credentials.json.rotation.json");
    let (client_id, old_secret) = demo_from(&file);
    let listed = latchkey(&with_dev_file(&s, &["secrets", "list", "--json"]), &[])
        .await
        .json();
    let old_uuid = listed["client_secrets"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let credential_id = s.dev.credentials.oauth_server_to_server.credential_id;
    let write_state = || {
        std::fs::write(
            &state,
            serde_json::json!({
                "credential_id": credential_id,
                "client_id": client_id,
                "old_uuid": old_uuid,
                "old_secret_sha256": sha256_hex(&old_secret),
                "new_uuid": null,
            })
            .to_string(),
        )
        .unwrap();
    };

    // Killed after the add: a second secret exists, the file still holds the old one.
    let lost = latchkey(&with_dev_file(&s, &["secrets", "add", "--json"]), &[])
        .await
        .json();
    let lost_uuid = lost["uuid"].as_str().unwrap().to_owned();
    write_state();
    let f = file.clone();
    let app = App::start(&s, move || demo_from(&f));
    let mut cmd = vec!["secrets", "rotate"];
    cmd.extend(FAST);
    let out = latchkey(&with_dev_file(&s, &cmd), &[]).await;
    out.ok();
    let (_, failures) = app.finish().await;
    assert!(failures.is_empty(), "{failures:?}");
    assert!(
        out.stderr.contains(&format!("deleting secret {lost_uuid}")),
        "{}",
        out.stderr
    );
    let listed = latchkey(&with_dev_file(&s, &["secrets", "list", "--json"]), &[])
        .await
        .json();
    let uuids: Vec<&str> = listed["client_secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["uuid"].as_str().unwrap())
        .collect();
    assert_eq!(uuids.len(), 1);
    assert!(!uuids.contains(&lost_uuid.as_str()) && !uuids.contains(&old_uuid.as_str()));

    // Killed after writing the file: the state still says "adding", the file has the new secret.
    let (_, current) = demo_from(&file);
    let current_uuid = uuids[0].to_owned();
    std::fs::write(
        &state,
        serde_json::json!({
            "credential_id": credential_id,
            "client_id": client_id,
            "old_uuid": current_uuid,
            "old_secret_sha256": sha256_hex(&current),
            "new_uuid": null,
        })
        .to_string(),
    )
    .unwrap();
    let added = latchkey(&with_dev_file(&s, &["secrets", "add", "--json"]), &[])
        .await
        .json();
    let newest = added["client_secret"].as_str().unwrap().to_owned();
    crate::sources_helpers::set_demo_secret(&file, &newest);
    let f = file.clone();
    let app = App::start(&s, move || demo_from(&f));
    let out = latchkey(&with_dev_file(&s, &cmd), &[]).await;
    out.ok();
    let (_, failures) = app.finish().await;
    assert!(failures.is_empty(), "{failures:?}");
    assert!(!out.stderr.contains("deleting secret"), "{}", out.stderr);
    let listed = latchkey(&with_dev_file(&s, &["secrets", "list", "--json"]), &[])
        .await
        .json();
    assert_eq!(listed["client_secrets"][0]["uuid"], added["uuid"]);
    assert_eq!(demo_from(&file).1, newest);
}

//! `latchkey secrets list|add|delete` end to end: the real binary against a real server, as an
//! organization admin (flags, or the dev-credentials file) and as a credential managing its own
//! secrets (environment variables).

use latchkey_testkit::TestServer;

use crate::cli_run::*;

/// The printed secret of `latchkey secrets add` (human output): the indented `p8e-` line.
fn printed_secret(stdout: &str) -> String {
    stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("p8e-"))
        .unwrap_or_else(|| panic!("no secret printed: {stdout}"))
        .to_owned()
}

#[tokio::test]
async fn cli_secrets_round_trip_with_admin_flags() {
    let s = TestServer::start().await;
    let demo = s.dev.credentials.oauth_server_to_server.clone();
    let id = demo.credential_id.to_string();
    let on_demo = |cmd: &[&str]| {
        let mut args = cmd.to_vec();
        args.extend(["--credential-id", &id]);
        with_admin_flags(&s, &args)
    };

    let list = latchkey(&on_demo(&["secrets", "list"]), &[]).await;
    let before = table_uuids(list.ok());
    assert_eq!(before.len(), 1, "{}", list.stdout);
    assert!(list.stdout.contains(&demo.client_id));
    assert!(
        list.stdout.contains("never"),
        "unused secret: {}",
        list.stdout
    );
    assert!(!list.stdout.contains(&demo.client_secret));

    let added = latchkey(&on_demo(&["secrets", "add"]), &[]).await;
    let secret = printed_secret(added.ok());
    assert!(
        added.stderr.contains("only time"),
        "add warns that the secret is shown once: {}",
        added.stderr
    );
    token(&s, &demo.client_id, &secret)
        .await
        .expect("the printed secret obtains a token");

    let listed = latchkey(&on_demo(&["secrets", "list", "--json"]), &[])
        .await
        .json();
    let secrets = listed["client_secrets"].as_array().unwrap();
    assert_eq!(secrets.len(), 2);
    assert!(!listed.to_string().contains(&secret));
    let new_uuid = secrets
        .iter()
        .map(|e| e["uuid"].as_str().unwrap().to_owned())
        .find(|u| !before.contains(u))
        .unwrap();

    // Rotation done: delete the old secret; it stops working, the new one goes on.
    let deleted = latchkey(&on_demo(&["secrets", "delete", &before[0]]), &[]).await;
    assert!(deleted.ok().contains(&before[0]));
    assert_eq!(
        token(&s, &demo.client_id, &demo.client_secret).await,
        Err("invalid_client".to_owned())
    );
    token(&s, &demo.client_id, &secret).await.unwrap();
    let list = latchkey(&on_demo(&["secrets", "list"]), &[]).await;
    assert_eq!(table_uuids(list.ok()), vec![new_uuid.clone()]);

    // The last secret cannot go: the console's 409, one line, exit 1.
    latchkey(&on_demo(&["secrets", "delete", &new_uuid]), &[])
        .await
        .fails(1, "last_secret");
}

#[tokio::test]
async fn cli_secrets_round_trip_with_dev_credentials_file() {
    let s = TestServer::start().await;
    let demo = s.dev.credentials.oauth_server_to_server.clone();
    // The file alone: the admin credential, working on the demo credential.
    let listed = latchkey(&with_dev_file(&s, &["secrets", "list", "--json"]), &[])
        .await
        .json();
    assert_eq!(listed["client_id"], demo.client_id.as_str());
    let old_uuid = listed["client_secrets"][0]["uuid"]
        .as_str()
        .unwrap()
        .to_owned();

    let added = latchkey(&with_dev_file(&s, &["secrets", "add", "--json"]), &[])
        .await
        .json();
    let secret = added["client_secret"].as_str().unwrap();
    assert!(secret.starts_with("p8e-"));
    let new_uuid = added["uuid"].as_str().unwrap();
    token(&s, &demo.client_id, secret).await.unwrap();

    let deleted = latchkey(
        &with_dev_file(&s, &["secrets", "delete", &old_uuid, "--json"]),
        &[],
    )
    .await;
    assert_eq!(deleted.ok(), "", "204 has no body to print");
    let listed = latchkey(&with_dev_file(&s, &["secrets", "list", "--json"]), &[])
        .await
        .json();
    let uuids: Vec<&str> = listed["client_secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["uuid"].as_str().unwrap())
        .collect();
    assert_eq!(uuids, vec![new_uuid]);
    // A used secret shows when it was last used.
    let table = latchkey(&with_dev_file(&s, &["secrets", "list"]), &[]).await;
    assert!(table.ok().contains(" UTC"), "{}", table.stdout);
    assert!(!table.stdout.contains("never"), "{}", table.stdout);
}

#[tokio::test]
async fn cli_secrets_of_its_own_credential_from_the_environment() {
    let s = TestServer::start().await;
    // A credential allowed to manage its own secrets, made with the CLI.
    let project = latchkey(
        &with_dev_file(&s, &["admin", "projects", "create", "Rotation", "--json"]),
        &[],
    )
    .await
    .json();
    let project_id = project["id"].to_string();
    let created = latchkey(
        &with_dev_file(
            &s,
            &[
                "admin",
                "credentials",
                "create",
                "--project",
                &project_id,
                "--name",
                "rotating app",
                "--scopes",
                "openid,read_client_secret,manage_client_secrets",
                "--json",
            ],
        ),
        &[],
    )
    .await
    .json();
    let client_id = created["credential"]["client_id"].as_str().unwrap();
    let secret = created["client_secret"].as_str().unwrap();
    let cred_id = created["credential"]["id"].to_string();
    // The seed .env names, no org (the token names it), the credential id from the environment.
    let env = [
        ("IMS_URL", s.base_url.as_str()),
        ("CLIENT_ID", client_id),
        ("CLIENT_SECRET", secret),
        ("CREDENTIAL_ID", cred_id.as_str()),
    ];
    let list = latchkey(&["secrets", "list", "--json"], &env).await.json();
    assert_eq!(list["client_id"], client_id);
    let added = latchkey(&["secrets", "add", "--json"], &env).await.json();
    token(&s, client_id, added["client_secret"].as_str().unwrap())
        .await
        .unwrap();
    // Another credential's secrets: refused by the console, exit 1.
    let demo_id = s
        .dev
        .credentials
        .oauth_server_to_server
        .credential_id
        .to_string();
    latchkey(&["secrets", "list", "--credential-id", &demo_id], &env)
        .await
        .fails(1, "forbidden");
    // Without its id, a non-admin cannot look itself up: a usage error saying what to pass.
    latchkey(&["secrets", "list"], &env[..3])
        .await
        .fails(2, "--credential-id");
}

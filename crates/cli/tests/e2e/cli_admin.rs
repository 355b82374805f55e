//! `latchkey admin projects|credentials|audit` end to end: a credential created with the CLI
//! obtains tokens with its printed secret, rename/disable/enable/revoke-tokens/delete take
//! effect, the audit log shows it all, and a non-admin is refused.

use latchkey_testkit::TestServer;

use crate::cli_run::*;
use crate::support::post_form;

async fn introspect_active(s: &TestServer, id: &str, secret: &str, token: &str) -> bool {
    let r = post_form(
        &s.url("/ims/introspect"),
        &format!("client_id={id}&client_secret={secret}&token={token}"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["active"].as_bool().unwrap()
}

#[tokio::test]
async fn cli_admin_creates_a_credential_whose_printed_secret_obtains_a_token() {
    let s = TestServer::start().await;
    let run = |args: &[&str]| with_dev_file(&s, args);

    let project = latchkey(
        &run(&["admin", "projects", "create", "Billing", "--json"]),
        &[],
    )
    .await
    .json();
    assert_eq!(project["name"], "Billing");
    let pid = project["id"].to_string();
    let projects = latchkey(&run(&["admin", "projects", "list"]), &[]).await;
    assert!(projects.ok().contains("Billing"), "{}", projects.stdout);

    // Human output: the details, then the secret once.
    let created = latchkey(
        &run(&[
            "admin",
            "credentials",
            "create",
            "--project",
            &pid,
            "--name",
            "billing-sync",
            "--scopes",
            "openid,AdobeID",
        ]),
        &[],
    )
    .await;
    let out = created.ok();
    assert!(created.stderr.contains("only time"), "{}", created.stderr);
    let field = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .unwrap_or_else(|| panic!("no {name}: {out}"))
            .trim()
            .to_owned()
    };
    let (id, client_id) = (field("id"), field("client id"));
    let secret = out
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("p8e-"))
        .unwrap()
        .to_owned();
    let t = token(&s, &client_id, &secret)
        .await
        .expect("the printed secret works");

    let list = latchkey(&run(&["admin", "credentials", "list", "--json"]), &[])
        .await
        .json();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|c| c["client_id"] == client_id.as_str()
                && c["scopes"] == serde_json::json!(["openid", "AdobeID"]))
    );

    latchkey(
        &run(&["admin", "credentials", "rename", &id, "billing (prod)"]),
        &[],
    )
    .await
    .ok();
    let shown = latchkey(&run(&["admin", "credentials", "show", &id, "--json"]), &[])
        .await
        .json();
    assert_eq!(shown["name"], "billing (prod)");

    latchkey(&run(&["admin", "credentials", "disable", &id]), &[])
        .await
        .ok();
    assert_eq!(
        token(&s, &client_id, &secret).await,
        Err("invalid_client".to_owned())
    );
    let enabled = latchkey(
        &run(&["admin", "credentials", "enable", &id, "--json"]),
        &[],
    )
    .await
    .json();
    assert_eq!(enabled["enabled"], true);
    token(&s, &client_id, &secret).await.unwrap();

    // revoke-tokens: the token obtained earlier is refused; a new one works.
    assert!(introspect_active(&s, &client_id, &secret, &t).await);
    let revoked = latchkey(
        &run(&["admin", "credentials", "revoke-tokens", &id, "--json"]),
        &[],
    )
    .await
    .json();
    assert!(
        revoked["revoked_before"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .is_ok()
    );
    assert!(!introspect_active(&s, &client_id, &secret, &t).await);
    let fresh = token(&s, &client_id, &secret).await.unwrap();
    assert!(introspect_active(&s, &client_id, &secret, &fresh).await);

    let deleted = latchkey(&run(&["admin", "credentials", "delete", &id]), &[]).await;
    assert!(deleted.ok().contains("Deleted credential"));
    latchkey(&run(&["admin", "credentials", "show", &id]), &[])
        .await
        .fails(1, "not_found");
    assert_eq!(
        token(&s, &client_id, &secret).await,
        Err("invalid_client".to_owned())
    );
}

#[tokio::test]
async fn cli_admin_audit_filters_by_action_and_actor() {
    let s = TestServer::start().await;
    let admin_id = s.dev.admin.as_ref().unwrap().client_id.clone();
    latchkey(
        &with_admin_flags(&s, &["admin", "projects", "create", "Audited"]),
        &[],
    )
    .await
    .ok();
    let page = latchkey(
        &with_admin_flags(
            &s,
            &[
                "admin",
                "audit",
                "--action",
                "project.created",
                "--actor",
                &admin_id,
                "--json",
            ],
        ),
        &[],
    )
    .await
    .json();
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{page}");
    assert_eq!(entries[0]["action"], "project.created");
    assert_eq!(entries[0]["actor"], admin_id.as_str());
    // Human table, limited: the newest entry, and how to get the next page.
    let table = latchkey(
        &with_admin_flags(&s, &["admin", "audit", "--limit", "1"]),
        &[],
    )
    .await;
    let out = table.ok();
    assert!(out.starts_with("ID"), "{out}");
    assert!(out.contains("project.created"), "{out}");
    assert!(out.contains("--before"), "{out}");
    // An unknown action: the console's invalid_request, exit 1.
    latchkey(
        &with_admin_flags(&s, &["admin", "audit", "--action", "nope"]),
        &[],
    )
    .await
    .fails(1, "invalid_request");
}

#[tokio::test]
async fn cli_admin_refuses_a_credential_that_is_not_an_admin() {
    let s = TestServer::start().await;
    let demo = &s.dev.credentials.oauth_server_to_server;
    let env = [
        ("IMS_URL", s.base_url.as_str()),
        ("CLIENT_ID", demo.client_id.as_str()),
        ("CLIENT_SECRET", demo.client_secret.as_str()),
    ];
    latchkey(&["admin", "projects", "list"], &env)
        .await
        .fails(1, "forbidden");
}

#[tokio::test]
async fn cli_admin_products_profiles_and_assignments() {
    let s = TestServer::start().await;
    let run = |args: &[&str]| with_dev_file(&s, args);
    let product = latchkey(
        &run(&[
            "admin",
            "products",
            "create",
            "--name",
            "WKND",
            "--program",
            "7",
            "--environment",
            "9",
            "--tiers",
            "author,publish",
            "--json",
        ]),
        &[],
    )
    .await
    .json();
    assert_eq!(
        product["buckets"],
        serde_json::json!(["author-p7-e9", "publish-p7-e9"])
    );
    let pid = product["id"].to_string();
    let listed = latchkey(&run(&["admin", "products", "list"]), &[]).await;
    assert!(listed.ok().contains("author-p7-e9"), "{}", listed.stdout);
    let profile = latchkey(
        &run(&[
            "admin",
            "profiles",
            "create",
            &pid,
            "--tier",
            "author",
            "--services",
            "AEM Assets Collaborator Users,AEM Assets API Users",
            "--json",
        ]),
        &[],
    )
    .await
    .json();
    assert_eq!(
        profile["name"],
        "AEM Assets Collaborator Users - author - Program 7 - Environment 9"
    );
    let prof = profile["id"].to_string();
    let cred = s
        .dev
        .credentials
        .oauth_server_to_server
        .credential_id
        .to_string();
    latchkey(&run(&["admin", "profiles", "assign", &cred, &prof]), &[])
        .await
        .ok();
    let of = latchkey(&run(&["admin", "profiles", "of", &cred, "--json"]), &[])
        .await
        .json();
    assert!(
        of.as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == prof.parse::<i64>().unwrap()),
        "{of}"
    );
    let changed = latchkey(
        &run(&[
            "admin",
            "profiles",
            "services",
            &pid,
            &prof,
            "--services",
            "AEM Administrators",
            "--json",
        ]),
        &[],
    )
    .await
    .json();
    assert_eq!(
        changed["services"],
        serde_json::json!(["AEM Administrators"])
    );
    latchkey(&run(&["admin", "profiles", "unassign", &cred, &prof]), &[])
        .await
        .ok();
    latchkey(&run(&["admin", "profiles", "unassign", &cred, &prof]), &[])
        .await
        .fails(1, "not assigned");
    latchkey(
        &run(&[
            "admin",
            "profiles",
            "create",
            &pid,
            "--tier",
            "preview",
            "--services",
            "AEM Users",
        ]),
        &[],
    )
    .await
    .fails(1, "tier");
    latchkey(&run(&["admin", "products", "delete", &pid]), &[])
        .await
        .ok();
    let none = latchkey(&run(&["admin", "profiles", "list", &pid]), &[]).await;
    none.fails(1, "no such product");
}

//! Products (AEM environments), product profiles and their services, and credential
//! assignments through the console API.

use latchkey_testkit::TestServer;
use reqwest::Method;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn products_profiles_and_assignments() {
    let s = TestServer::start().await;
    let admin = admin_token(&s).await;
    let org = s.dev.org_id.clone();
    let base = format!("/console/organizations/{org}");
    let product = console(
        &s,
        Method::POST,
        &format!("{base}/products"),
        &admin,
        Some(json!({"name": "WKND", "program_id": 5, "environment_id": 5})),
    )
    .await;
    assert_eq!(product.status, 201, "{}", product.text);
    assert_eq!(
        product.json["buckets"],
        json!(["author-p5-e5", "publish-p5-e5", "preview-p5-e5"])
    );
    let pid = product.json["id"].as_i64().unwrap();
    let dup = console(
        &s,
        Method::POST,
        &format!("{base}/products"),
        &admin,
        Some(json!({"name": "again", "program_id": 5, "environment_id": 5})),
    )
    .await;
    assert_eq!(dup.status, 409, "{}", dup.text);
    let author_only = console(
        &s,
        Method::POST,
        &format!("{base}/products"),
        &admin,
        Some(json!({"name": "x", "program_id": 2, "environment_id": 3, "tiers": ["author"]})),
    )
    .await;
    assert_eq!(author_only.json["tiers"], json!(["author"]));

    let profiles = format!("{base}/products/{pid}/profiles");
    let profile = console(&s, Method::POST, &profiles, &admin, Some(json!({"tier": "author", "services": ["AEM Assets Collaborator Users", "AEM Assets API Users"]}))).await;
    assert_eq!(profile.status, 201, "{}", profile.text);
    assert_eq!(
        profile.json["name"],
        "AEM Assets Collaborator Users - author - Program 5 - Environment 5"
    );
    assert_eq!(
        profile.json["services"],
        json!(["AEM Assets API Users", "AEM Assets Collaborator Users"])
    );
    let prof = profile.json["id"].as_i64().unwrap();
    for (body, needle) in [
        (
            json!({"tier": "author", "services": ["AEM Wizards"]}),
            "unknown service",
        ),
        (json!({"tier": "author", "services": []}), "at least one"),
        (
            json!({"tier": "staging", "services": ["AEM Users"]}),
            "unknown tier",
        ),
    ] {
        let r = console(&s, Method::POST, &profiles, &admin, Some(body)).await;
        assert_eq!(r.status, 400, "{}", r.text);
        assert!(
            r.json["message"].as_str().unwrap().contains(needle),
            "{}",
            r.text
        );
    }
    let other_tier = console(
        &s,
        Method::POST,
        &format!("{base}/products/{}/profiles", author_only.json["id"]),
        &admin,
        Some(json!({"tier": "publish", "services": ["AEM Users"]})),
    )
    .await;
    assert_eq!(other_tier.status, 400, "{}", other_tier.text);

    let demo = s.dev.credentials.oauth_server_to_server.clone();
    let assignment = format!("{base}/credentials/{}/profiles/{prof}", demo.credential_id);
    assert_eq!(
        console(&s, Method::PUT, &assignment, &admin, None)
            .await
            .status,
        204
    );
    assert_eq!(
        console(&s, Method::PUT, &assignment, &admin, None)
            .await
            .status,
        204,
        "idempotent"
    );
    let mine = console(
        &s,
        Method::GET,
        &format!("{base}/credentials/{}/profiles", demo.credential_id),
        &admin,
        None,
    )
    .await;
    // The dev seed's collaborator profile, and this one.
    assert_eq!(mine.json.as_array().unwrap().len(), 2);
    // The credential itself may read its profiles, not change them nor see products.
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            demo.client_id, demo.client_secret
        ),
    )
    .await;
    let own = Admin {
        client_id: demo.client_id.clone(),
        token: r.json["access_token"].as_str().unwrap().to_owned(),
    };
    assert_eq!(
        console(
            &s,
            Method::GET,
            &format!("{base}/credentials/{}/profiles", demo.credential_id),
            &own,
            None
        )
        .await
        .status,
        200
    );
    assert_eq!(
        console(&s, Method::PUT, &assignment, &own, None)
            .await
            .status,
        403
    );
    assert_eq!(
        console(&s, Method::GET, &format!("{base}/products"), &own, None)
            .await
            .status,
        403
    );

    let services = format!("{profiles}/{prof}/services");
    let r = console(
        &s,
        Method::PUT,
        &services,
        &admin,
        Some(json!({"services": ["AEM Administrators", "AEM Assets API Users"]})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json["services"],
        json!(["AEM Administrators", "AEM Assets API Users"])
    );

    assert_eq!(
        console(&s, Method::DELETE, &assignment, &admin, None)
            .await
            .status,
        204
    );
    assert_eq!(
        console(&s, Method::DELETE, &assignment, &admin, None)
            .await
            .status,
        404
    );
    assert_eq!(
        console(&s, Method::PUT, &assignment, &admin, None)
            .await
            .status,
        204
    );
    assert_eq!(
        console(
            &s,
            Method::DELETE,
            &format!("{base}/products/{pid}"),
            &admin,
            None
        )
        .await
        .status,
        204
    );
    let mine = console(
        &s,
        Method::GET,
        &format!("{base}/credentials/{}/profiles", demo.credential_id),
        &admin,
        None,
    )
    .await;
    // Only the dev seed's profile is left.
    assert_eq!(mine.json.as_array().unwrap().len(), 1, "{}", mine.text);
    assert_ne!(mine.json[0]["product_id"], json!(pid));
    assert_eq!(
        console(
            &s,
            Method::GET,
            &format!("{base}/products/{pid}"),
            &admin,
            None
        )
        .await
        .status,
        404
    );

    let audit = console(
        &s,
        Method::GET,
        &format!("{base}/audit?limit=1000"),
        &admin,
        None,
    )
    .await
    .json;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for a in [
        "product.created",
        "profile.created",
        "profile.assigned",
        "profile.services_changed",
        "profile.unassigned",
        "product.deleted",
    ] {
        assert!(actions.contains(&a), "audit lacks {a}: {actions:?}");
    }
}

//! The OpenAPI document at `/openapi.json` and the API reference at `/docs/`.
//!
//! Coverage is checked in both directions, honestly given that axum cannot list a router's
//! routes:
//! - router ⊆ document: the unit test `routes::apidoc::tests` in latchkey-server reads the one
//!   table of routes (`routes/mod.rs`, `routes/console/mod.rs`) and compares every registered
//!   `(method, path)` with the operations of the document, both ways;
//! - document ⊆ router, here: every documented operation is called on a running server, once
//!   anonymously and once as the organization admin, and must not reach the fallback (404
//!   "no such endpoint") nor be refused as a wrong method (405); the status it answers must be
//!   one the document lists for that operation.
//!
//! The document is also checked structurally: every `$ref` resolves within `components`, every
//! operation has responses, and the path parameters of each template are exactly the declared
//! ones.

use std::collections::BTreeSet;

use latchkey_testkit::TestServer;
use reqwest::Method;
use serde_json::Value;

use crate::support::*;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// Every `$ref` in `v`.
fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    out.push(x.as_str().expect("$ref is a string"));
                } else {
                    refs(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// `{name}` parts of a path template.
fn template_params(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

async fn document(s: &TestServer) -> Value {
    let r = send(client().get(s.url("/openapi.json"))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(r.json.is_object(), "not JSON: {}", r.text);
    r.json
}

#[tokio::test]
async fn the_document_is_valid_openapi_3() {
    let s = TestServer::start().await;
    let doc = document(&s).await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "Latchkey");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    let description = doc["info"]["description"].as_str().unwrap();
    for code in [
        "invalid_token",
        "missing_api_key",
        "api_key_mismatch",
        "forbidden",
        "insufficient_scope",
        "not_found",
        "secret_limit_reached",
        "last_secret",
        "conflict",
        "invalid_request",
        "payload_too_large",
        "unsupported_media_type",
        "unavailable",
    ] {
        assert!(
            description.contains(&format!("`{code}`")),
            "{code} undocumented"
        );
    }
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["api_key"]["in"], "header");
    assert_eq!(schemes["api_key"]["name"], "x-api-key");
    let tags: BTreeSet<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();

    // Every $ref resolves within components.
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external $ref {r}"));
        assert!(pointer.starts_with("/components/"), "{r}");
        assert!(doc.pointer(pointer).is_some(), "dangling $ref {r}");
    }

    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 30, "{} paths", paths.len());
    let mut operation_ids = BTreeSet::new();
    for (path, item) in paths {
        assert!(path.starts_with('/'), "{path}");
        let item = item.as_object().unwrap();
        let shared = item.get("parameters").and_then(Value::as_array);
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let at = format!("{} {path}", method.to_uppercase());
            let responses = op["responses"].as_object().expect("responses");
            assert!(!responses.is_empty(), "{at}: no responses");
            for (status, resp) in responses {
                assert!(
                    status == "default"
                        || status.parse::<u16>().is_ok_and(|s| (100..600).contains(&s)),
                    "{at}: status {status}"
                );
                assert!(
                    resp["description"].is_string(),
                    "{at} {status}: no description"
                );
            }
            assert!(
                operation_ids.insert(op["operationId"].as_str().expect("operationId").to_owned()),
                "{at}: duplicate operationId"
            );
            for t in op["tags"].as_array().expect("tags") {
                assert!(
                    tags.contains(t.as_str().unwrap()),
                    "{at}: undeclared tag {t}"
                );
            }
            let declared: BTreeSet<String> = op["parameters"]
                .as_array()
                .into_iter()
                .chain(shared)
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| {
                    assert_eq!(p["required"], true, "{at}: path parameter not required");
                    p["name"].as_str().unwrap().to_owned()
                })
                .collect();
            assert_eq!(declared, template_params(path), "{at}: path parameters");
            if path.starts_with("/console/") {
                assert_eq!(
                    op["security"],
                    serde_json::json!([{"bearer": [], "api_key": []}]),
                    "{at}: security"
                );
                for status in ["401", "403"] {
                    assert_eq!(
                        responses[status]["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ConsoleErrorBody",
                        "{at} {status}"
                    );
                }
            }
        }
    }
}

fn concrete(path: &str, org: &str) -> String {
    let mut out = path.replace("{org}", org);
    out = out.replace("{uuid}", "00000000-0000-0000-0000-000000000000");
    for p in template_params(&out) {
        out = out.replace(&format!("{{{p}}}"), "1");
    }
    out
}

#[tokio::test]
async fn every_documented_operation_is_served_and_answers_a_documented_status() {
    let s = TestServer::start().await;
    let doc = document(&s).await;
    let admin = admin_token(&s).await;

    // The fallback the checks below must never reach.
    let r = send(client().get(s.url("/no/such/endpoint"))).await;
    assert_eq!(r.status, 404);
    let fallback = r.json["error_description"].as_str().unwrap().to_owned();

    let mut calls = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let url = s.url(&concrete(path, &s.dev.org_id));
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            for who in [None, Some(&admin)] {
                let mut req = client().request(m.clone(), &url);
                if let Some(a) = who {
                    req = req.bearer_auth(&a.token).header("x-api-key", &a.client_id);
                }
                if op.get("requestBody").is_some() && path.starts_with("/console/") {
                    req = req.json(&serde_json::json!({}));
                }
                let r = send(req).await;
                let at = format!("{m} {path} (admin: {})", who.is_some());
                assert!(
                    !(r.status == 404 && r.text.contains(&fallback)),
                    "{at}: documented but not routed"
                );
                assert_ne!(r.status, 405, "{at}: documented method not routed");
                assert!(
                    op["responses"].get(r.status.to_string()).is_some(),
                    "{at}: answered {} which the document does not list: {}",
                    r.status,
                    r.text
                );
                calls += 1;
            }
        }
    }
    assert!(calls >= 2 * 39, "{calls}");
}

#[tokio::test]
async fn the_api_reference_is_served_without_external_scripts() {
    let s = TestServer::start().await;
    let r = send(client().get(s.url("/docs/"))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = r.text.to_ascii_lowercase();
    assert!(html.contains("swagger"), "{html}");
    // Every script and stylesheet is local, and is served.
    let mut assets = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for part in html.split(attr).skip(1) {
            let target = part.split('"').next().unwrap();
            assert!(
                !target.starts_with("http:")
                    && !target.starts_with("https:")
                    && !target.starts_with("//"),
                "external asset {target}"
            );
            assets.push(target.to_owned());
        }
    }
    assert!(assets.iter().any(|a| a.ends_with(".js")), "{assets:?}");
    for a in &assets {
        let url = if a.starts_with('/') {
            s.url(a)
        } else {
            s.url(&format!("/docs/{}", a.trim_start_matches("./")))
        };
        let r = send(client().get(url)).await;
        assert_eq!(r.status, 200, "{a}");
        if a.contains("swagger-initializer") {
            assert!(r.text.contains("/openapi.json"), "{}", r.text);
            assert!(
                !r.text.contains("http://") && !r.text.contains("https://"),
                "the UI configuration points outside: {}",
                r.text
            );
        }
    }
    // Without the slash: a redirect to it.
    let r = send(
        reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(s.url("/docs")),
    )
    .await;
    assert!((300..400).contains(&r.status), "{}", r.status);
}

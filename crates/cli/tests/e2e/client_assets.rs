//! [`latchkey_client::AssetsClient`] against a dev server: a streamed upload and download of a
//! few MiB with progress callbacks (monotonic, from 0 to the total), a download that would
//! replace a file refused with nothing left behind, a stale `If-Match` refused with 412, lookups
//! by path, and deletes.

use std::sync::{Arc, Mutex};

use latchkey_client::{AccessToken, AssetsClient, Error, IfExists, PatchOp};
use latchkey_testkit::TestServer;
use reqwest::Method;
use serde_json::json;

use crate::cli_run::token;
use crate::support::{admin_token, console};

/// The demo credential, once its profile enables the AEM Administrators service.
async fn writer(s: &TestServer) -> AssetsClient {
    let admin = admin_token(s).await;
    let aem = s.dev.aem.clone().unwrap();
    let org = &s.dev.org_id;
    let profiles = console(
        s,
        Method::GET,
        &format!(
            "/console/organizations/{org}/products/{}/profiles",
            aem.product_id
        ),
        &admin,
        None,
    )
    .await;
    let profile = profiles.json.as_array().unwrap()[0]["id"].as_i64().unwrap();
    let r = console(
        s,
        Method::PUT,
        &format!(
            "/console/organizations/{org}/products/{}/profiles/{profile}/services",
            aem.product_id
        ),
        &admin,
        Some(json!({"services": ["AEM Administrators"]})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let demo = &s.dev.credentials.oauth_server_to_server;
    let t = token(s, &demo.client_id, &demo.client_secret)
        .await
        .unwrap();
    AssetsClient::new(&aem.base_url, &demo.client_id, AccessToken::new(t)).unwrap()
}

/// Progress calls, as recorded.
type Calls = Arc<Mutex<Vec<(u64, Option<u64>)>>>;

/// Records progress calls.
fn recorder() -> (Calls, impl FnMut(u64, Option<u64>) + Send + 'static) {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let c = Arc::clone(&calls);
    (calls, move |done, total| {
        c.lock().unwrap().push((done, total))
    })
}

fn assert_progress(calls: &[(u64, Option<u64>)], total: u64) {
    assert!(calls.len() > 2, "several chunks: {}", calls.len());
    assert_eq!(calls[0].0, 0, "starts at 0");
    assert!(
        calls.windows(2).all(|w| w[0].0 <= w[1].0),
        "monotonic: {calls:?}"
    );
    assert!(calls.iter().all(|c| c.1 == Some(total)));
    assert_eq!(calls.last().unwrap().0, total, "ends at the total");
}

#[tokio::test]
async fn client_assets_stream_both_ways_with_progress() {
    let s = TestServer::start().await;
    let aem = writer(&s).await;
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("clip.mp4");
    let len: u64 = 3 * 1024 * 1024 + 7;
    let body: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&src, &body).unwrap();

    let made = aem
        .create_folder_all("/content/dam/lib/clips", Some("Clips"))
        .await
        .unwrap();
    assert_eq!(made.len(), 2);
    assert!(
        aem.create_folder_all("/content/dam/lib/clips", None)
            .await
            .unwrap()
            .is_empty()
    );

    let (calls, cb) = recorder();
    let up = aem
        .upload_file("/content/dam/lib/clips", "clip.mp4", "video/mp4", &src, cb)
        .await
        .unwrap();
    assert_eq!(up.size, len as i64);
    assert_eq!(up.path, "/content/dam/lib/clips/clip.mp4");
    assert_progress(&calls.lock().unwrap(), len);

    let found = aem
        .find("/content/dam/lib/clips/clip.mp4")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.asset_id.as_deref(), Some(up.asset_id.as_str()));
    assert_eq!(found.kind, "asset");
    assert_eq!(
        aem.find("/content/dam/lib/clips")
            .await
            .unwrap()
            .unwrap()
            .kind,
        "folder"
    );
    assert!(
        aem.find("/content/dam/lib/nope.mp4")
            .await
            .unwrap()
            .is_none()
    );
    assert!(aem.find("/content/dam/nope/x").await.unwrap().is_none());

    let (calls, cb) = recorder();
    let dest = work.path().join("copy.mp4");
    let got = aem
        .download_to(&up.asset_id, &dest, IfExists::Fail, cb)
        .await
        .unwrap();
    assert_eq!(got.size, len);
    assert_eq!(got.media_type.as_deref(), Some("video/mp4"));
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    assert_progress(&calls.lock().unwrap(), len);

    // Not over an existing file: refused, the file kept, no temporary file left.
    std::fs::write(&dest, "mine").unwrap();
    let e = aem
        .download_to(&up.asset_id, &dest, IfExists::Fail, |_, _| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::File { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists),
        "{e:?}"
    );
    assert_eq!(std::fs::read(&dest).unwrap(), b"mine");
    aem.download_to(&up.asset_id, &dest, IfExists::Replace, |_, _| {})
        .await
        .unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), body);
    let mut names: Vec<_> = std::fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["clip.mp4", "copy.mp4"]);

    // Metadata with ETags: the right one passes, a stale one is 412.
    let before = aem.metadata(&up.asset_id).await.unwrap();
    let etag = before.etag.clone().unwrap();
    let set = [PatchOp::Add {
        path: "dc:title".into(),
        value: json!("Clip"),
    }];
    let after = aem
        .patch_metadata(&up.asset_id, &set, Some(&etag))
        .await
        .unwrap();
    assert_eq!(after.document.asset_metadata["dc:title"], "Clip");
    assert_ne!(after.etag.as_deref(), Some(etag.as_str()));
    let e = aem
        .patch_metadata(&up.asset_id, &set, Some(&etag))
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(412), "{e}");
    assert_eq!(e.code(), Some("precondition_failed"));
    assert!(e.to_string().contains("read the asset again"), "{e}");

    // A missing asset is a problem document too.
    aem.delete_asset(&up.asset_id).await.unwrap();
    let e = aem.metadata(&up.asset_id).await.unwrap_err();
    assert!(matches!(&e, Error::Problem(p) if p.status == 404), "{e:?}");
    let e = aem
        .download_to(
            &up.asset_id,
            &work.path().join("gone"),
            IfExists::Fail,
            |_, _| {},
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert!(!work.path().join("gone").exists());
    aem.delete_folder("/content/dam/lib", true).await.unwrap();
    assert!(!aem.folder_exists("/content/dam/lib").await.unwrap());
}

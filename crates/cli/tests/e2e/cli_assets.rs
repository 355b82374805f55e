//! `latchkey assets` end to end: the real binary against a dev server. The demo credential is
//! read-only (an "AEM Assets Collaborator Users" profile): it lists, reads metadata and
//! downloads, and an upload is refused with the permission stage's fix. Given the AEM
//! Administrators service the way a person would (`latchkey admin profiles services`), it walks
//! everything: folders, uploads (one of several MiB, compared by SHA-256 after the download),
//! listings, metadata with If-Match, no-clobber downloads, deletes.

use std::path::Path;

use aws_lc_rs::digest::{SHA256, digest};
use latchkey_testkit::TestServer;
use serde_json::Value;

use crate::cli_run::*;
use crate::cli_token::{Home, run};

/// `latchkey assets ARGS --dev-credentials FILE` in `dir`, with `home`'s directories.
async fn assets(s: &TestServer, home: &Home, dir: &Path, args: &[&str]) -> Out {
    let mut a = vec!["assets"];
    a.extend_from_slice(args);
    run(home, Some(dir), &with_dev_file(s, &a)).await
}

fn sha256(path: &Path) -> Vec<u8> {
    digest(&SHA256, &std::fs::read(path).unwrap())
        .as_ref()
        .to_vec()
}

/// A file of `len` bytes that compresses badly and differs at every offset.
fn write_noise(path: &Path, len: usize) {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect();
    std::fs::write(path, bytes).unwrap();
}

/// Gives the demo credential's profile the AEM Administrators service, through the CLI.
async fn grant_writes(s: &TestServer, home: &Home, dir: &Path) {
    let demo = s
        .dev
        .credentials
        .oauth_server_to_server
        .credential_id
        .to_string();
    let profiles = run(
        home,
        Some(dir),
        &with_dev_file(s, &["admin", "profiles", "of", &demo, "--json"]),
    )
    .await
    .json();
    let profile = &profiles.as_array().unwrap()[0];
    let (product, id) = (profile["product_id"].to_string(), profile["id"].to_string());
    run(
        home,
        Some(dir),
        &with_dev_file(
            s,
            &[
                "admin",
                "profiles",
                "services",
                &product,
                &id,
                "--services",
                "AEM Administrators",
            ],
        ),
    )
    .await
    .ok();
}

#[tokio::test]
async fn cli_assets_read_only_credential_reads_and_is_told_how_to_write() {
    let s = TestServer::start().await;
    let home = Home::new();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let aem = s.dev.aem.clone().unwrap();
    let (parent, name) = aem.sample_asset_path.rsplit_once('/').unwrap();

    let ls = assets(&s, &home, dir, &["ls", parent]).await;
    assert!(ls.ok().contains(name), "{}", ls.stdout);
    assert!(ls.stdout.contains(&aem.sample_asset_id), "{}", ls.stdout);
    assert!(ls.stdout.starts_with("KIND"), "{}", ls.stdout);
    let root = assets(&s, &home, dir, &["ls", "--json"]).await.json();
    assert_eq!(root["self"]["path"], "/content/dam");

    let meta = assets(&s, &home, dir, &["meta", "get", &aem.sample_asset_path]).await;
    assert!(meta.ok().contains("repo:path:"), "{}", meta.stdout);
    assert!(meta.stdout.contains("etag:"), "{}", meta.stdout);
    let meta = assets(
        &s,
        &home,
        dir,
        &["meta", "get", &aem.sample_asset_id, "--json"],
    )
    .await
    .json();
    assert_eq!(meta["assetId"], aem.sample_asset_id.as_str());
    assert_eq!(
        meta["repositoryMetadata"]["repo:path"],
        aem.sample_asset_path.as_str()
    );

    // By id, into the current directory under the asset's name.
    let got = assets(&s, &home, dir, &["download", &aem.sample_asset_id]).await;
    assert!(got.ok().contains("Downloaded"), "{}", got.stdout);
    let size = std::fs::metadata(dir.join(name)).unwrap().len();
    assert_eq!(
        Some(size),
        meta["repositoryMetadata"]["repo:size"].as_u64(),
        "the whole binary"
    );
    assert_eq!(
        got.stderr, "",
        "no progress bar when stderr is not a terminal"
    );

    // A write: refused by the permission stage, and the fix reaches the person (the refusal
    // comes before the server reads the body: a large one must not hide it).
    write_noise(&dir.join("big.bin"), 8 * 1024 * 1024);
    let up = assets(&s, &home, dir, &["upload", "big.bin", "--to", parent]).await;
    up.fails(1, "has no create permission");
    assert!(
        up.stderr.contains(
            "fix: assign the credential to a product profile with the AEM Administrators service"
        ),
        "{}",
        up.stderr
    );
    assert!(up.stderr.contains("permission_denied"), "{}", up.stderr);

    // Missing things are said plainly.
    assets(&s, &home, dir, &["ls", "/content/dam/no-such-folder"])
        .await
        .fails(1, "no folder /content/dam/no-such-folder");
    assets(
        &s,
        &home,
        dir,
        &["download", "/content/dam/no-such-folder/x.jpg"],
    )
    .await
    .fails(1, "no asset or folder at /content/dam/no-such-folder/x.jpg");
    assets(&s, &home, dir, &["upload", "missing.bin"])
        .await
        .fails(2, "missing.bin");
}

#[tokio::test]
async fn cli_assets_full_walk_after_the_profile_gets_write_access() {
    let s = TestServer::start().await;
    let home = Home::new();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    grant_writes(&s, &home, dir).await;
    let folder = "/content/dam/walk/deep/er";

    // mkdir: without -p the missing parent is named; with -p every level is made, once.
    assets(&s, &home, dir, &["mkdir", folder])
        .await
        .fails(1, "pass -p");
    let made = assets(
        &s,
        &home,
        dir,
        &["mkdir", "-p", folder, "--title", "Deep", "--json"],
    )
    .await
    .json();
    let paths: Vec<&str> = made
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["/content/dam/walk", "/content/dam/walk/deep", folder]
    );
    assert_eq!(made[2]["title"], "Deep");
    let again = assets(&s, &home, dir, &["mkdir", "-p", folder]).await;
    assert!(again.ok().contains("exists already"), "{}", again.stdout);

    // Two uploads, one of several MiB; one JSON line per file.
    write_noise(&dir.join("big.bin"), 5 * 1024 * 1024 + 123);
    std::fs::write(dir.join("note.txt"), "hello, assets").unwrap();
    let up = assets(
        &s,
        &home,
        dir,
        &["upload", "big.bin", "note.txt", "--to", folder, "--json"],
    )
    .await;
    let lines: Vec<Value> = up
        .ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", up.stdout);
    assert_eq!(lines[0]["size"], 5 * 1024 * 1024 + 123);
    assert_eq!(lines[0]["mimeType"], "application/octet-stream");
    assert_eq!(lines[1]["mimeType"], "text/plain");
    assert_eq!(lines[1]["path"], format!("{folder}/note.txt"));
    let note_id = lines[1]["assetId"].as_str().unwrap().to_owned();
    // The same names again: a conflict, said even when the server answers before reading a
    // large body and closes the connection under it.
    for file in ["note.txt", "big.bin"] {
        assets(&s, &home, dir, &["upload", file, "--to", folder])
            .await
            .fails(1, "already exists");
    }

    // ls, as a table, as JSON, and page by page.
    let ls = assets(&s, &home, dir, &["ls", folder]).await;
    for needle in ["big.bin", "note.txt", "5.0 MiB", "text/plain", &note_id] {
        assert!(ls.ok().contains(needle), "{needle}: {}", ls.stdout);
    }
    let listed = assets(&s, &home, dir, &["ls", folder, "--json", "--limit", "1"])
        .await
        .json();
    assert_eq!(listed["children"].as_array().unwrap().len(), 2, "{listed}");
    assert!(listed.get("cursor").is_none());

    // Download: same bytes; never over an existing file unless --force.
    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    let big = format!("{folder}/big.bin");
    let got = assets(&s, &home, dir, &["download", &big, "-o", "out", "--json"])
        .await
        .json();
    assert_eq!(got["size"], 5 * 1024 * 1024 + 123);
    assert_eq!(sha256(&out.join("big.bin")), sha256(&dir.join("big.bin")));
    assets(&s, &home, dir, &["download", &big, "-o", "out/big.bin"])
        .await
        .fails(2, "already exists: pass --force");
    std::fs::write(out.join("big.bin"), "old").unwrap();
    assets(&s, &home, dir, &["download", &big, "-o", "out", "--force"])
        .await
        .ok();
    assert_eq!(sha256(&out.join("big.bin")), sha256(&dir.join("big.bin")));
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["big.bin"], "no temporary file left");

    // Metadata: set, read back, remove; a stale ETag is refused clearly.
    let note = format!("{folder}/note.txt");
    let set = assets(
        &s,
        &home,
        dir,
        &[
            "meta",
            "set",
            &note,
            "dc:title=Hello there",
            "wknd:rating=5",
            "wknd:tags=[\"a\",\"b\"]",
        ],
    )
    .await;
    assert!(set.ok().contains("Hello there"), "{}", set.stdout);
    let meta = assets(&s, &home, dir, &["meta", "get", &note_id, "--json"])
        .await
        .json();
    assert_eq!(meta["assetMetadata"]["dc:title"], "Hello there");
    assert_eq!(meta["assetMetadata"]["wknd:rating"], 5);
    assert_eq!(meta["assetMetadata"]["wknd:tags"][1], "b");
    let removed = assets(
        &s,
        &home,
        dir,
        &["meta", "set", &note, "--remove", "wknd:rating", "--json"],
    )
    .await
    .json();
    assert!(removed["assetMetadata"].get("wknd:rating").is_none());
    assert_eq!(removed["assetMetadata"]["dc:title"], "Hello there");
    assets(
        &s,
        &home,
        dir,
        &[
            "meta",
            "set",
            &note,
            "dc:title=Lost",
            "--if-match",
            "\"stale-1\"",
        ],
    )
    .await
    .fails(1, "changed since its metadata was read");
    let meta = assets(&s, &home, dir, &["meta", "get", &note, "--json"])
        .await
        .json();
    assert_eq!(meta["assetMetadata"]["dc:title"], "Hello there", "not lost");
    assets(&s, &home, dir, &["meta", "set", &note])
        .await
        .fails(2, "nothing to change");

    // rm: an asset by path, a folder only with -r, then it is gone.
    let rm = assets(&s, &home, dir, &["rm", &note]).await;
    assert!(rm.ok().contains("Deleted asset"), "{}", rm.stdout);
    let ls = assets(&s, &home, dir, &["ls", folder]).await;
    assert!(!ls.ok().contains("note.txt"), "{}", ls.stdout);
    assets(&s, &home, dir, &["rm", "/content/dam/walk"])
        .await
        .fails(1, "pass -r");
    assets(&s, &home, dir, &["rm", "-r", "/content/dam/walk"])
        .await
        .ok();
    assets(&s, &home, dir, &["ls", "/content/dam/walk"])
        .await
        .fails(1, "no folder /content/dam/walk");
    assets(&s, &home, dir, &["rm", &note_id])
        .await
        .fails(1, "no asset");
}

#[tokio::test]
async fn cli_assets_help_shows_examples_and_exit_codes() {
    let group = latchkey(&["assets", "--help"], &[]).await;
    assert!(group.ok().contains("Exit codes:"), "{}", group.stdout);
    for cmd in [
        &["ls"][..],
        &["mkdir"],
        &["meta"],
        &["upload"],
        &["download"],
        &["meta", "get"],
        &["meta", "set"],
        &["rm"],
    ] {
        let mut args = vec!["assets"];
        args.extend_from_slice(cmd);
        args.push("--help");
        let help = latchkey(&args, &[]).await;
        assert!(help.ok().contains("Example"), "{cmd:?}: {}", help.stdout);
    }
}

//! A 1 GiB asset through the real binary: the upload and the download stream, so the server's
//! peak resident memory stays far below the file's size.

use std::process::Command;

use crate::binary::{dev_file, start, stop};

/// Peak resident set size of `pid`, in KiB (`VmHWM`).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap()
}

fn curl(args: &[&str]) -> String {
    let out = Command::new("curl").arg("-s").args(args).output().unwrap();
    assert!(out.status.success(), "curl failed: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_one_gib_upload_and_download_keep_memory_flat() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(dir.path(), &[]);
    let pid = r.child.id();
    let dev = dev_file(dir.path());
    let c = &dev["credentials"]["oauth_server_to_server"];
    let (id, secret) = (
        c["client_id"].as_str().unwrap(),
        c["client_secret"].as_str().unwrap(),
    );
    // The demo credential is read-only on /content/dam: grant create to its service group.
    let admin = &dev["admin"];
    let admin_token: serde_json::Value = serde_json::from_str(&curl(&[
        "-X",
        "POST",
        &format!("{}/ims/token/v3", r.base),
        "-d",
        &format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            admin["client_id"].as_str().unwrap(),
            admin["client_secret"].as_str().unwrap()
        ),
    ]))
    .unwrap();
    let product = dev["aem"]["product_id"].as_i64().unwrap();
    let granted = curl(&[
        "-X",
        "POST",
        &format!(
            "{}/console/organizations/{}/products/{product}/acls",
            r.base,
            dev["org_id"].as_str().unwrap()
        ),
        "-H",
        &format!(
            "Authorization: Bearer {}",
            admin_token["access_token"].as_str().unwrap()
        ),
        "-H",
        &format!("x-api-key: {}", admin["client_id"].as_str().unwrap()),
        "-H",
        "Content-Type: application/json",
        "-d",
        r#"{"group":"AEM Assets Collaborator Users - Service","path":"/content/dam","privileges":["create"]}"#,
    ]);
    assert!(granted.contains("\"id\""), "{granted}");
    let token: serde_json::Value = serde_json::from_str(&curl(&[
        "-X",
        "POST",
        &format!("{}/ims/token/v3", r.base),
        "-d",
        &format!("grant_type=client_credentials&client_id={id}&client_secret={secret}"),
    ]))
    .unwrap();
    let bearer = format!(
        "Authorization: Bearer {}",
        token["access_token"].as_str().unwrap()
    );
    let key = format!("x-api-key: {id}");
    // A sparse 1 GiB file: curl streams it from disk.
    let big = dir.path().join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let before = peak_rss_kib(pid);
    let uploaded: serde_json::Value = serde_json::from_str(&curl(&[
        "-X",
        "POST",
        &format!("{}/adobe/assets?folder=/content/dam&name=big.bin", r.base),
        "-H",
        &bearer,
        "-H",
        &key,
        "-H",
        "Content-Type: application/octet-stream",
        "-T",
        big.to_str().unwrap(),
    ]))
    .unwrap();
    assert_eq!(uploaded["size"], 1u64 << 30, "{uploaded}");
    let asset = uploaded["assetId"].as_str().unwrap();
    let size = curl(&[
        "-o",
        "/dev/null",
        "-w",
        "%{size_download}",
        &format!("{}/adobe/assets/{asset}/original", r.base),
        "-H",
        &bearer,
        "-H",
        &key,
    ]);
    assert_eq!(size.trim(), (1u64 << 30).to_string());
    let after = peak_rss_kib(pid);
    // Parts are 5 MiB with two in flight: the peak may grow by tens of MiB, never by the file.
    assert!(
        after < before + 64 * 1024,
        "peak RSS grew from {before} KiB to {after} KiB for a 1 GiB upload"
    );
    stop(r);
}

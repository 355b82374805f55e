//! Small readers of settings files for the rotation tests.

use std::path::Path;

/// CLIENT_ID and CLIENT_SECRET of a `.env`.
pub fn env_pair(file: &Path) -> (String, String) {
    let text = std::fs::read_to_string(file).unwrap();
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")).map(str::to_owned))
            .unwrap()
    };
    (get("CLIENT_ID"), get("CLIENT_SECRET"))
}

/// Sets the demo credential's secret in a dev-credentials.json (what an interrupted rotation
/// may have done just before it was killed).
pub fn set_demo_secret(file: &Path, secret: &str) {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    v["credentials"]["oauth_server_to_server"]["client_secret"] = secret.into();
    std::fs::write(file, v.to_string()).unwrap();
}

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

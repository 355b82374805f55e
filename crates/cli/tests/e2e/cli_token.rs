//! `latchkey token` end to end: the real binary against a real server, with the settings read
//! the ways the seeds write them (dev-credentials.json, a `.env`, a profile), the token cache
//! (0600 file, reused on the second run), `--decode`, `--no-cache`, errors and completions.

use std::path::Path;

use latchkey_testkit::TestServer;

use crate::cli_run::*;
use crate::client_provider::issued;
use crate::support::claims;

/// A private cache and config directory for one test (also used by `cli_assets`).
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn cache(&self) -> String {
        self.dir.path().join("cache").display().to_string()
    }

    fn config(&self) -> String {
        self.dir.path().join("config").display().to_string()
    }

    pub fn env(&self) -> [(&'static str, String); 2] {
        [
            ("XDG_CACHE_HOME", self.cache()),
            ("XDG_CONFIG_HOME", self.config()),
        ]
    }
}

/// Runs the binary with `home`'s directories, in `dir`.
pub async fn run(home: &Home, dir: Option<&Path>, args: &[String]) -> Out {
    let env = home.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    latchkey_in(dir, args, &env).await
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| (*s).to_owned()).collect()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn the_token_is_cached_in_a_0600_file_and_reused_on_the_second_run() {
    let s = TestServer::start().await;
    let home = Home::new();
    let demo = &s.dev.credentials.oauth_server_to_server;
    let first = run(&home, None, &with_dev_file(&s, &["token"])).await;
    let token = first.ok().trim().to_owned();
    assert_eq!(
        claims(&token)["client_id"],
        demo.client_id.as_str(),
        "the demo credential, not the admin"
    );
    assert_eq!(issued(&s).await, 1);

    let tokens = Path::new(&home.cache()).join("latchkey/tokens");
    let files: Vec<_> = std::fs::read_dir(&tokens)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    #[cfg(unix)]
    {
        assert_eq!(mode(&files[0]), 0o600);
        assert_eq!(mode(&tokens), 0o700);
    }
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        !name.contains(&demo.client_id),
        "file names reveal nothing: {name}"
    );

    let second = run(&home, None, &with_dev_file(&s, &["token"])).await;
    assert_eq!(second.ok().trim(), token, "reused");
    assert_eq!(issued(&s).await, 1, "no second request");

    let fresh = run(&home, None, &with_dev_file(&s, &["token", "--no-cache"])).await;
    assert_ne!(fresh.ok().trim(), token);
    assert_eq!(issued(&s).await, 2);

    // Other scopes: another cache entry.
    let narrow = run(
        &home,
        None,
        &with_dev_file(&s, &["token", "--scopes", "openid", "--decode"]),
    )
    .await
    .json();
    assert_eq!(narrow["claims"]["scope"], "openid");
    assert!(narrow["header"]["kid"].as_str().is_some());
    assert_eq!(issued(&s).await, 3);

    let j = run(&home, None, &with_dev_file(&s, &["token", "--json"]))
        .await
        .json();
    assert_eq!(j["access_token"], token.as_str());
    assert!(j["expires_in"].as_u64().unwrap() > 86_000);
}

#[tokio::test]
async fn settings_come_from_a_dot_env_as_in_adobes_sample() {
    let s = TestServer::start().await;
    let home = Home::new();
    let demo = &s.dev.credentials.oauth_server_to_server;
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join(".env"),
        format!(
            "# from the Adobe Developer Console\nIMS_URL={}\nCLIENT_ID={}\nCLIENT_SECRET={}\nSCOPES=openid, AdobeID,aem.folders\n",
            s.base_url, demo.client_id, demo.client_secret
        ),
    )
    .unwrap();
    // ./.env is read like dotenv does it.
    let out = run(
        &home,
        Some(project.path()),
        &args(&["token", "--decode", "--no-cache"]),
    )
    .await
    .json();
    assert_eq!(out["claims"]["client_id"], demo.client_id.as_str());
    assert_eq!(out["claims"]["scope"], "openid,AdobeID,aem.folders");
    // --env-file names one explicitly; a flag still wins over the file.
    let file = project.path().join(".env").display().to_string();
    let out = run(
        &home,
        None,
        &args(&[
            "token",
            "--env-file",
            &file,
            "--scopes",
            "openid",
            "--decode",
            "--no-cache",
        ]),
    )
    .await
    .json();
    assert_eq!(out["claims"]["scope"], "openid");
}

#[tokio::test]
async fn profiles_name_environments() {
    let s = TestServer::start().await;
    let home = Home::new();
    let demo = &s.dev.credentials.oauth_server_to_server;
    let dir = Path::new(&home.config()).join("latchkey");
    std::fs::create_dir_all(&dir).unwrap();
    let dev = s.dir.path().join("dev-credentials.json");
    std::fs::write(
        dir.join("profiles.toml"),
        format!(
            "[profiles.local]\ndev_credentials = {:?}\n\n[profiles.explicit]\nims = {:?}\nclient_id = {:?}\nclient_secret = {:?}\nscopes = [\"openid\"]\n",
            dev.display().to_string(),
            s.base_url,
            demo.client_id,
            demo.client_secret
        ),
    )
    .unwrap();
    let local = run(
        &home,
        None,
        &args(&["token", "--profile", "local", "--decode", "--no-cache"]),
    )
    .await
    .json();
    assert_eq!(local["claims"]["client_id"], demo.client_id.as_str());
    let explicit = run(
        &home,
        None,
        &args(&["token", "--profile", "explicit", "--decode", "--no-cache"]),
    )
    .await
    .json();
    assert_eq!(explicit["claims"]["scope"], "openid");
    run(&home, None, &args(&["token", "--profile", "nope"]))
        .await
        .fails(2, "has no profile \"nope\" (profiles: explicit, local)");
}

#[tokio::test]
async fn token_errors_are_one_line_with_meaningful_exit_codes() {
    let s = TestServer::start().await;
    let home = Home::new();
    let demo = &s.dev.credentials.oauth_server_to_server;
    run(
        &home,
        None,
        &args(&[
            "token",
            "--ims",
            &s.base_url,
            "--client-id",
            &demo.client_id,
            "--client-secret",
            "p8e-wrong",
        ]),
    )
    .await
    .fails(1, "invalid client_secret parameter");
    run(
        &home,
        None,
        &args(&[
            "token",
            "--ims",
            "http://127.0.0.1:9",
            "--client-id",
            "x",
            "--client-secret",
            "y",
        ]),
    )
    .await
    .fails(3, "cannot get a token for client x");
    let bad = home.dir.path().join("service.json");
    std::fs::write(&bad, r#"{"integration": {"org": "x"}}"#).unwrap();
    run(
        &home,
        None,
        &args(&["token", "--service-credentials", &bad.display().to_string()]),
    )
    .await
    .fails(2, "expected imsEndpoint");
    run(&home, None, &args(&["token"]))
        .await
        .fails(2, "no client id");
    run(&home, None, &args(&["secrets", "list"]))
        .await
        .fails(2, "no identity service URL");
}

#[tokio::test]
async fn completions_and_help() {
    let home = Home::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&home, None, &args(&["completions", shell])).await;
        assert!(out.ok().contains("latchkey"), "{shell}");
        assert!(
            out.stdout.contains("rotate"),
            "{shell} completes subcommands"
        );
    }
    let help = run(&home, None, &args(&["token", "--help"])).await;
    assert!(help.ok().contains("Examples:"));
    assert!(help.stdout.contains("Exit codes:"));
    let help = run(&home, None, &args(&["secrets", "rotate", "--help"])).await;
    assert!(help.ok().contains("Examples:"));
    assert!(help.stdout.contains("--idle"));
}

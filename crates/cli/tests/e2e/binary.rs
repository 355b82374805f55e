//! Tests that run the real `latchkey` binary: the seed curl commands against a fresh
//! `latchkey serve --dev`, restarts that keep data without seeding twice, `--help`, config
//! errors, and log hygiene (no secret or token in any log line, even at trace level).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_latchkey");

pub struct Running {
    pub child: Child,
    pub base: String,
    pub banner: String,
}

pub fn start(data_dir: &Path, extra_env: &[(&str, &str)]) -> Running {
    start_with_args(data_dir, &[], extra_env)
}

/// Like [`start`], with more `serve` flags. `base` is `http://` + the listening address, or
/// `https://` when the issuer is.
pub fn start_with_args(
    data_dir: &Path,
    extra_args: &[&str],
    extra_env: &[(&str, &str)],
) -> Running {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--dev", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .args(extra_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn latchkey");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut banner = String::new();
    let base = loop {
        let line = lines
            .next()
            .expect("latchkey exited before listening")
            .unwrap();
        if let Some(rest) = line.strip_prefix("latchkey listening on ") {
            // latchkey listening on 127.0.0.1:PORT (issuer http://127.0.0.1:PORT)
            let addr = rest.split_whitespace().next().unwrap();
            let scheme = if rest.contains("(issuer https://") {
                "https"
            } else {
                "http"
            };
            break format!("{scheme}://{addr}");
        }
        banner.push_str(&line);
        banner.push('\n');
    };
    Running {
        child,
        base,
        banner,
    }
}

pub fn stop(r: Running) -> String {
    let _ = Command::new("kill")
        .args(["-TERM", &r.child.id().to_string()])
        .status();
    let out = r.child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "latchkey exited with {:?}",
        out.status
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn dev_file(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("dev-credentials.json")).unwrap())
        .unwrap()
}

fn curl(args: &[&str]) -> serde_json::Value {
    let out = Command::new("curl")
        .args(["-s"])
        .args(args)
        .output()
        .expect("curl is installed");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("curl output: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn seed_curl_commands_work_against_a_fresh_dev_server() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(dir.path(), &[]);
    // The banner's curl, pasted into a shell as printed.
    let cmd = banner_curl(&r.banner);
    assert!(cmd.starts_with("curl -X POST"), "banner: {}", r.banner);
    // The first start also printed the bootstrap admin credential, once.
    assert!(
        r.banner.contains("First start: created organization"),
        "{}",
        r.banner
    );
    let admin_secret = dev_file(dir.path())["admin"]["client_secret"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(r.banner.contains(&admin_secret));
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{cmd} -s"))
        .output()
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["token_type"], "bearer", "{body}");
    assert_eq!(body["expires_in"], 86399);
    // The banner's second curl reads the seeded sample asset with that token, as printed.
    let meta_cmd: String = r
        .banner
        .lines()
        .skip_while(|l| !l.starts_with("Then read the sample asset"))
        .skip_while(|l| !l.trim_start().starts_with("curl"))
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim_end_matches('\\').trim().to_owned() + " ")
        .collect();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{meta_cmd} -s"))
        .env("TOKEN", body["access_token"].as_str().unwrap())
        .output()
        .unwrap();
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(
        meta["repositoryMetadata"]["repo:path"],
        "/content/dam/wknd-shared/en/adventures/cycling-southern-utah/adobestock-221043703.jpg",
        "{meta}"
    );
    let aem = &dev_file(dir.path())["aem"];
    assert_eq!(meta["assetId"], aem["sample_asset_id"]);
    assert_eq!(aem["bucket"], "author-p1-e1");

    let dev = dev_file(dir.path());
    assert_eq!(dev["ims"], r.base.as_str());
    let c = &dev["credentials"]["oauth_server_to_server"];
    let (id, secret) = (
        c["client_id"].as_str().unwrap(),
        c["client_secret"].as_str().unwrap(),
    );
    assert_eq!(
        c["scopes"],
        serde_json::json!(["openid", "AdobeID", "aem.assets.author", "aem.folders"])
    );
    for k in [
        "credential_id",
        "technical_account_id",
        "technical_account_email",
    ] {
        assert!(!c[k].is_null(), "{k}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("dev-credentials.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "dev-credentials.json is readable by others"
        );
    }
    // Seed 001 / ims.md: the body variant, exactly as the docs write it.
    let body = curl(&[
        "-X",
        "POST",
        &format!("{}/ims/token/v3", r.base),
        "-H",
        "Content-Type: application/x-www-form-urlencoded",
        "-d",
        &format!(
            "client_id={id}&client_secret={secret}&grant_type=client_credentials&scope=openid,AdobeID,aem.assets.author,aem.folders"
        ),
    ]);
    assert!(body["access_token"].is_string(), "{body}");
    // Older docs: ?client_id= in the URL.
    let body = curl(&[
        "-X",
        "POST",
        &format!("{}/ims/token/v3?client_id={id}", r.base),
        "-H",
        "Content-Type: application/x-www-form-urlencoded",
        "-d",
        &format!(
            "client_secret={secret}&grant_type=client_credentials&scope=openid,AdobeID,aem.assets.author,aem.folders"
        ),
    ]);
    assert!(body["access_token"].is_string(), "{body}");
    stop(r);

    // Restart: same data, no second seed, the same secret still works.
    let r = start(dir.path(), &[]);
    assert_eq!(
        dev_file(dir.path())["credentials"]["oauth_server_to_server"]["client_id"],
        id
    );
    let body = curl(&[
        "-X",
        "POST",
        &format!("{}/ims/token/v3", r.base),
        "-d",
        &format!("client_id={id}&client_secret={secret}&grant_type=client_credentials"),
    ]);
    assert!(body["access_token"].is_string(), "{body}");
    assert!(
        r.banner.contains(id),
        "the restart banner shows the same credential"
    );
    stop(r);
}

#[test]
fn logs_never_contain_secrets_or_tokens_even_at_trace_level() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(
        dir.path(),
        &[
            ("LATCHKEY_LOG_LEVEL", "trace"),
            ("LATCHKEY_LOG_FORMAT", "json"),
        ],
    );
    let dev = dev_file(dir.path());
    let c = &dev["credentials"]["oauth_server_to_server"];
    let (id, secret) = (
        c["client_id"].as_str().unwrap(),
        c["client_secret"].as_str().unwrap(),
    );
    let url = format!("{}/ims/token/v3", r.base);
    let ok = curl(&[
        "-X",
        "POST",
        &url,
        "-d",
        &format!("client_id={id}&client_secret={secret}&grant_type=client_credentials"),
    ]);
    let token = ok["access_token"].as_str().unwrap().to_owned();
    curl(&[
        "-X",
        "POST",
        &format!("{url}?client_secret={secret}"),
        "-d",
        &format!("client_id={id}&grant_type=client_credentials"),
    ]);
    curl(&[
        "-X",
        "POST",
        &url,
        "-u",
        &format!("{id}:{secret}"),
        "-d",
        "grant_type=client_credentials",
    ]);
    curl(&[
        "-X",
        "POST",
        &url,
        "-d",
        &format!(
            "client_id={id}&client_secret=p8e-wrong-guess-secret&grant_type=client_credentials"
        ),
    ]);
    curl(&[
        "-X",
        "POST",
        &format!("{}/ims/introspect", r.base),
        "-d",
        &format!("client_id={id}&client_secret={secret}&token={token}"),
    ]);
    let logs = stop(r);
    assert!(
        logs.contains("latchkey::access"),
        "access log lines expected at trace level"
    );
    for needle in [
        secret,
        token.as_str(),
        "p8e-wrong-guess-secret",
        token.split('.').nth(2).unwrap(),
    ] {
        assert!(
            !logs.contains(needle),
            "a log line contains a secret or token"
        );
    }
    let master = std::fs::read_to_string(dir.path().join("master.key")).unwrap();
    assert!(!logs.contains(master.trim()));
}

#[test]
fn help_documents_every_option_and_bad_config_fails_clearly() {
    let out = Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for (_, env, _) in latchkey_server::config::keys() {
        assert!(help.contains(&env), "--help lacks {env}");
    }
    for flag in ["--listen", "--data-dir", "--config", "--dev", "--tls"] {
        assert!(help.contains(flag), "--help lacks {flag}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("LATCHKEY_TOKEN_LIFETIME", "5")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("LATCHKEY_TOKEN_LIFETIME"), "{err}");
}

/// The banner's "Get a token:" curl command as one line, as a shell would join it.
pub fn banner_curl(banner: &str) -> String {
    banner
        .lines()
        .skip_while(|l| !l.starts_with("Get a token:"))
        .skip_while(|l| !l.trim_start().starts_with("curl"))
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim_end_matches('\\').trim().to_owned() + " ")
        .collect()
}

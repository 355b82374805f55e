//! Running the real `latchkey` client commands against a test server: a clean environment (no
//! IMS_URL, CLIENT_ID, ... leaking in from the shell running the tests), captured output and
//! exit code. The child runs on tokio's process support so that the test server, on the same
//! runtime, keeps answering while the test waits.

use latchkey_testkit::TestServer;
use serde_json::Value;

use crate::support::post_form;

const BIN: &str = env!("CARGO_BIN_EXE_latchkey");

/// The settings variables the client commands read.
const SETTINGS_ENV: [&str; 8] = [
    "AEM_URL",
    "IMS_URL",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "ORG_ID",
    "CREDENTIAL_ID",
    "SCOPES",
    "SERVICE_CREDENTIALS",
];

/// What a run of the binary gave.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Asserts success and returns stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        &self.stdout
    }

    /// Asserts success and parses stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(self.ok())
            .unwrap_or_else(|e| panic!("--json output does not parse ({e}): {}", self.stdout))
    }

    /// Asserts exit code `code` and a one-line error on stderr mentioning `needle`.
    pub fn fails(&self, code: i32, needle: &str) {
        assert_eq!(
            self.code, code,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        assert_eq!(self.stderr.lines().count(), 1, "stderr: {}", self.stderr);
        assert!(
            self.stderr.starts_with("latchkey: "),
            "stderr: {}",
            self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}: {}",
            self.stderr
        );
    }
}

/// Runs `latchkey ARGS` with `env` added to a clean environment.
pub async fn latchkey<S: AsRef<str>>(args: &[S], env: &[(&str, &str)]) -> Out {
    latchkey_in(None, args, env).await
}

/// The same, in directory `dir` (where `./.env` is looked for).
pub async fn latchkey_in<S: AsRef<str>>(
    dir: Option<&std::path::Path>,
    args: &[S],
    env: &[(&str, &str)],
) -> Out {
    let mut cmd = tokio::process::Command::new(BIN);
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    cmd.args(args.iter().map(AsRef::as_ref));
    for v in SETTINGS_ENV {
        cmd.env_remove(v);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().await.expect("run latchkey");
    Out {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `args` followed by `--dev-credentials <the server's dev-credentials.json>`.
pub fn with_dev_file(s: &TestServer, args: &[&str]) -> Vec<String> {
    let file = s.dir.path().join("dev-credentials.json");
    assert!(file.exists(), "the dev server wrote {}", file.display());
    let mut v: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    v.push("--dev-credentials".into());
    v.push(file.display().to_string());
    v
}

/// `args` followed by the admin credential as flags.
pub fn with_admin_flags(s: &TestServer, args: &[&str]) -> Vec<String> {
    let a = s
        .dev
        .admin
        .as_ref()
        .expect("dev mode wrote the admin credential");
    let mut v: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    v.extend([
        "--ims".into(),
        s.base_url.clone(),
        "--client-id".into(),
        a.client_id.clone(),
        "--client-secret".into(),
        a.client_secret.clone(),
        "--org".into(),
        s.dev.org_id.clone(),
    ]);
    v
}

/// The token endpoint's answer to `client_id` and `secret`: the token, or the error code.
pub async fn token(s: &TestServer, client_id: &str, secret: &str) -> Result<String, String> {
    let r = post_form(
        &s.url("/ims/token/v3"),
        &format!("grant_type=client_credentials&client_id={client_id}&client_secret={secret}"),
    )
    .await;
    match r.json["access_token"].as_str() {
        Some(t) if r.status == 200 => Ok(t.to_owned()),
        _ => Err(r.json["error"].as_str().unwrap_or(&r.text).to_owned()),
    }
}

/// The `secrets` table's uuids (first column of every row after the title and header lines).
pub fn table_uuids(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

//! https on request (SPEC §5): a dev server with a self-signed certificate issues tokens over
//! https to a client that trusts that certificate, names an https issuer, refuses plain HTTP,
//! keeps its certificate across restarts, speaks HTTP/2 through ALPN, and handshakes off the
//! accept loop. Certificate files that do not fit are refused at start, naming the fix. The real
//! binary's `serve --tls` prints a curl with `--cacert` that works as printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use latchkey_server::Server;
use latchkey_server::clock::Clock;
use latchkey_server::config::Config;
use latchkey_testkit::TestServer;
use serde_json::Value;
use tokio::io::AsyncReadExt;

use crate::binary;

fn self_signed(config: &mut Config) {
    config.http.tls_self_signed = true;
}

fn cert_of(dir: &Path) -> PathBuf {
    dir.join("tls").join("cert.pem")
}

/// A client builder that trusts `cert` (and nothing is proxied).
fn trusting(cert: &Path) -> reqwest::ClientBuilder {
    let pem = std::fs::read(cert).unwrap();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
}

async fn token(client: &reqwest::Client, s: &TestServer) -> reqwest::Response {
    let c = &s.dev.credentials.oauth_server_to_server;
    client
        .post(s.url("/ims/token/v3"))
        .form(&[
            ("client_id", c.client_id.as_str()),
            ("client_secret", c.client_secret.as_str()),
            ("grant_type", "client_credentials"),
            ("scope", "openid,AdobeID,aem.assets.author"),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_self_signed_dev_server_issues_tokens_over_https_only() {
    let s = TestServer::start_with(self_signed, Clock::system()).await;
    assert!(
        s.base_url.starts_with("https://127.0.0.1:"),
        "{}",
        s.base_url
    );
    assert_eq!(
        s.dev.ims, s.base_url,
        "dev-credentials.json names the https URL"
    );
    let client = trusting(&cert_of(s.dir.path())).build().unwrap();

    let r = token(&client, &s).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer", "{body}");
    assert!(body["access_token"].as_str().unwrap().split('.').count() == 3);

    let oidc: Value = client
        .get(s.url("/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(oidc["issuer"], s.base_url.as_str());
    assert!(oidc["issuer"].as_str().unwrap().starts_with("https://"));
    assert_eq!(
        oidc["token_endpoint"],
        format!("{}/ims/token/v3", s.base_url).as_str()
    );

    // A client that does not trust the certificate refuses the server.
    let untrusting = reqwest::Client::builder().no_proxy().build().unwrap();
    let e = untrusting
        .get(s.url("/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap_err();
    assert!(e.is_connect(), "{e:?}");

    // Plain HTTP to the TLS port gets no HTTP answer.
    let plain = s
        .url("/.well-known/openid-configuration")
        .replacen("https://", "http://", 1);
    let r = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
        .get(&plain)
        .send()
        .await;
    assert!(
        r.is_err(),
        "plain HTTP was answered: {:?}",
        r.map(|r| r.status())
    );
    s.stop().await;
}

#[tokio::test]
async fn a_restart_keeps_the_self_signed_certificate() {
    let s = TestServer::start_with(self_signed, Clock::system()).await;
    let cert = cert_of(s.dir.path());
    let pem = std::fs::read(&cert).unwrap();
    let client = trusting(&cert).build().unwrap();
    assert_eq!(token(&client, &s).await.status(), 200);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = s.dir.path().join("tls").join("key.pem");
        let mode = std::fs::metadata(key).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "key.pem is readable by others");
    }
    let dir = s.stop().await;
    let mut config = Config {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.path().to_path_buf(),
        dev: true,
        ..Config::default()
    };
    self_signed(&mut config);
    let s = TestServer::start_in(dir, config, Clock::system()).await;
    assert_eq!(
        std::fs::read(&cert).unwrap(),
        pem,
        "the certificate was replaced"
    );
    // The client built before the restart (trusting the old file) still gets tokens.
    assert_eq!(token(&client, &s).await.status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn alpn_negotiates_http2_and_http1_1() {
    let s = TestServer::start_with(self_signed, Clock::system()).await;
    let cert = cert_of(s.dir.path());
    let h2 = trusting(&cert).build().unwrap();
    let r = token(&h2, &s).await;
    assert_eq!(r.version(), reqwest::Version::HTTP_2);
    assert_eq!(r.status(), 200);
    let h1 = trusting(&cert).http1_only().build().unwrap();
    let r = h1
        .get(s.url("/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.version(), reqwest::Version::HTTP_11);
    assert_eq!(r.status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn a_stalled_handshake_neither_blocks_accepts_nor_lives_past_the_header_timeout() {
    let s = TestServer::start_with(
        |c| {
            self_signed(c);
            c.http.header_read_timeout_secs = 5;
        },
        Clock::system(),
    )
    .await;
    let addr = s.base_url.trim_start_matches("https://").to_owned();
    // Connects and never sends a ClientHello. Were the handshake done in the accept loop, the
    // next client would wait the whole header timeout (5 s) and give up after 3.
    let mut stalled = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let client = trusting(&cert_of(s.dir.path()))
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    assert_eq!(token(&client, &s).await.status(), 200);
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_secs(15), stalled.read(&mut buf))
        .await
        .expect("the stalled connection is closed after the handshake timeout");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    s.stop().await;
}

async fn start_error(adjust: impl FnOnce(&mut Config)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.path().to_path_buf(),
        dev: true,
        ..Config::default()
    };
    adjust(&mut config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    match Server::start(config, listener, Clock::system()).await {
        Ok(_) => panic!("the server started"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn certificate_files_that_do_not_fit_are_refused_at_start() {
    let certs = tempfile::tempdir().unwrap();
    let (cert_a, key_a) = latchkey_server::tls::self_signed_files(&certs.path().join("a")).unwrap();
    let (_, key_b) = latchkey_server::tls::self_signed_files(&certs.path().join("b")).unwrap();
    let (cert_a, key_a, key_b) = (
        cert_a.display().to_string(),
        key_a.display().to_string(),
        key_b.display().to_string(),
    );

    let e = start_error(|c| c.http.tls_cert_file = cert_a.clone()).await;
    assert!(
        e.contains("http.tls_key_file is set") || e.contains("set http.tls_key_file"),
        "{e}"
    );
    let e = start_error(|c| c.http.tls_key_file = key_a.clone()).await;
    assert!(e.contains("set http.tls_cert_file"), "{e}");
    let e = start_error(|c| {
        c.http.tls_cert_file = cert_a.clone();
        c.http.tls_key_file = key_b.clone();
    })
    .await;
    assert!(e.contains("does not match the certificate"), "{e}");
    assert!(e.contains(&key_b) && e.contains(&cert_a), "{e}");
    let e = start_error(|c| {
        c.http.tls_cert_file = certs.path().join("none.pem").display().to_string();
        c.http.tls_key_file = key_a.clone();
    })
    .await;
    assert!(
        e.contains("cannot read the TLS certificate file") && e.contains("none.pem"),
        "{e}"
    );

    // The right pair starts, over https.
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.path().to_path_buf(),
        dev: true,
        http: latchkey_server::config::HttpConfig {
            tls_cert_file: cert_a.clone(),
            tls_key_file: key_a.clone(),
            ..Default::default()
        },
        ..Config::default()
    };
    let s = TestServer::start_in(dir, config, Clock::system()).await;
    assert!(s.base_url.starts_with("https://"));
    let client = trusting(Path::new(&cert_a)).build().unwrap();
    assert_eq!(token(&client, &s).await.status(), 200);
    s.stop().await;

    // The binary: environment variables, exit code 2 and one line saying what to do.
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .env("LATCHKEY_HTTP_TLS_CERT_FILE", &cert_a)
        .env("LATCHKEY_HTTP_TLS_KEY_FILE", &key_b)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("does not match the certificate") && err.contains("set http.tls_key_file"),
        "{err}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["serve", "--tls", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .env("LATCHKEY_HTTP_TLS_CERT_FILE", &cert_a)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("set http.tls_key_file"), "{err}");
}

#[test]
fn serve_tls_prints_a_curl_that_trusts_the_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let r = binary::start_with_args(dir.path(), &["--tls"], &[]);
    assert!(r.base.starts_with("https://127.0.0.1:"), "{}", r.base);
    let cacert = format!("curl --cacert '{}'", cert_of(dir.path()).display());
    let cmd = binary::banner_curl(&r.banner);
    assert!(
        cmd.starts_with(&format!("{cacert} -X POST '{}/ims/token/v3'", r.base)),
        "{}",
        r.banner
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{cmd} -s"))
        .output()
        .unwrap();
    let body: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "curl: {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(body["token_type"], "bearer", "{body}");
    // The first start's admin banner uses the same curl.
    assert!(
        r.banner
            .lines()
            .filter(|l| l.trim_start().starts_with("curl"))
            .all(|l| l.trim_start().starts_with(&cacert)),
        "{}",
        r.banner
    );
    assert_eq!(binary::dev_file(dir.path())["ims"], r.base.as_str());
    let logs = binary::stop(r);
    let key = std::fs::read_to_string(dir.path().join("tls").join("key.pem")).unwrap();
    for line in key.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!logs.contains(line), "a log line contains the TLS key");
    }
}

#[tokio::test]
async fn the_cli_says_how_to_trust_a_self_signed_certificate() {
    use crate::cli_run::{latchkey, with_dev_file};
    let s = TestServer::start_with(self_signed, Clock::system()).await;
    let args = with_dev_file(&s, &["token", "--no-cache"]);
    let untrusted = latchkey(&args, &[]).await;
    untrusted.fails(3, "SSL_CERT_FILE=<its data dir>/tls/cert.pem");
    let cert = cert_of(s.dir.path()).display().to_string();
    let trusted = latchkey(&args, &[("SSL_CERT_FILE", cert.as_str())]).await;
    assert_eq!(trusted.ok().trim().split('.').count(), 3, "a JWT");
}

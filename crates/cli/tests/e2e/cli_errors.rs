//! How the client commands fail: one clear line on stderr and an exit code that says what kind
//! of failure it was (1 refused, 2 usage or configuration, 3 server unavailable), and `--help`
//! that documents them with examples.

use latchkey_testkit::TestServer;

use crate::cli_run::*;

#[tokio::test]
async fn cli_wrong_secret_is_one_clear_line_and_exit_1() {
    let s = TestServer::start().await;
    let demo = &s.dev.credentials.oauth_server_to_server;
    let out = latchkey(
        &[
            "secrets",
            "list",
            "--ims",
            &s.base_url,
            "--client-id",
            &demo.client_id,
            "--credential-id",
            "1",
        ],
        &[("CLIENT_SECRET", "p8e-wrong")],
    )
    .await;
    out.fails(1, "invalid client_secret parameter");
    assert!(out.stderr.contains(&demo.client_id), "{}", out.stderr);
    assert!(
        !out.stderr.contains("p8e-wrong"),
        "the secret is echoed: {}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
}

#[tokio::test]
async fn cli_server_down_exits_3() {
    // A port nobody listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let ims = format!("http://127.0.0.1:{port}");
    let env = [
        ("IMS_URL", ims.as_str()),
        ("CLIENT_ID", "39b5f8e626fce4dc7e59fd8bfddbb2fa"),
        ("CLIENT_SECRET", "p8e-whatever"),
    ];
    for args in [
        &["secrets", "list"][..],
        &["admin", "credentials", "list"][..],
    ] {
        latchkey(args, &env).await.fails(3, "cannot reach");
    }
}

#[tokio::test]
async fn cli_missing_or_bad_settings_exit_2() {
    latchkey(&["secrets", "list"], &[])
        .await
        .fails(2, "IMS_URL");
    latchkey(
        &["admin", "projects", "list"],
        &[("IMS_URL", "http://127.0.0.1:1")],
    )
    .await
    .fails(2, "CLIENT_ID");
    latchkey(
        &["admin", "projects", "list", "--client-id", "abc"],
        &[("IMS_URL", "http://127.0.0.1:1")],
    )
    .await
    .fails(2, "CLIENT_SECRET");
    latchkey(
        &[
            "secrets",
            "list",
            "--dev-credentials",
            "/nonexistent/dev-credentials.json",
        ],
        &[],
    )
    .await
    .fails(2, "cannot read");
    latchkey(
        &[
            "secrets",
            "list",
            "--client-id",
            "a",
            "--client-secret",
            "b",
        ],
        &[("IMS_URL", "ims.example.com")],
    )
    .await
    .fails(2, "invalid URL");
}

#[tokio::test]
async fn cli_help_documents_examples_and_exit_codes() {
    for group in [&["secrets"][..], &["admin"][..], &[][..]] {
        let mut args = group.to_vec();
        args.push("--help");
        let help = latchkey(&args, &[]).await;
        let text = help.ok();
        assert!(text.contains("Examples:"), "{args:?}: {text}");
        assert!(text.contains("Exit codes:"), "{args:?}: {text}");
        assert!(text.contains("3  server unavailable"), "{args:?}: {text}");
    }
    for leaf in [
        &["secrets", "list"][..],
        &["secrets", "add"],
        &["secrets", "delete"],
        &["admin", "projects", "list"],
        &["admin", "projects", "create"],
        &["admin", "credentials", "list"],
        &["admin", "credentials", "show"],
        &["admin", "credentials", "create"],
        &["admin", "credentials", "rename"],
        &["admin", "credentials", "disable"],
        &["admin", "credentials", "enable"],
        &["admin", "credentials", "delete"],
        &["admin", "credentials", "revoke-tokens"],
        &["admin", "audit"],
    ] {
        let mut args = leaf.to_vec();
        args.push("--help");
        let help = latchkey(&args, &[]).await;
        let text = help.ok();
        assert!(text.contains(":\n  latchkey "), "{leaf:?}: {text}");
        assert!(text.contains("\nExample"), "{leaf:?}: {text}");
        for env in ["IMS_URL", "CLIENT_ID", "CLIENT_SECRET", "ORG_ID"] {
            assert!(text.contains(env), "{leaf:?} --help lacks {env}");
        }
    }
    // A bad flag is clap's usage error, exit 2.
    assert_eq!(latchkey(&["secrets", "list", "--nope"], &[]).await.code, 2);
}

/// `latchkey ... | head -c 10`: when the reader goes away, the command ends quietly with 141
/// (the shell's code for SIGPIPE), not with a panic and its backtrace on stderr.
#[tokio::test]
async fn cli_a_closed_pipe_ends_the_command_quietly() {
    use tokio::io::AsyncReadExt;

    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(["completions", "bash"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    stdout.read_exact(&mut first).await.unwrap();
    drop(stdout);
    let out = child.wait_with_output().await.unwrap();
    assert_eq!(out.status.code(), Some(141));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

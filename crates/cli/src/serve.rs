//! `latchkey serve`: load the configuration (defaults → TOML → `LATCHKEY_*` → flags), set up
//! logging, bind, start, and run until SIGINT or SIGTERM.

use std::path::PathBuf;

use crate::output::outln;
use anyhow::Context;
use clap::Args;
use latchkey_server::clock::Clock;
use latchkey_server::config::{CONFIG_FILE_ENV, Config, reference};
use latchkey_server::{Server, dev};

/// Flags of `latchkey serve`; each overrides the same setting from the file and environment.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, HOST:PORT (config `listen`).
    #[arg(long, value_name = "HOST:PORT")]
    listen: Option<String>,
    /// Directory for the database, master key and dev files (config `data_dir`).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// TOML configuration file (also LATCHKEY_CONFIG).
    #[arg(long, value_name = "FILE", env = CONFIG_FILE_ENV)]
    config: Option<PathBuf>,
    /// Development mode: seed a demo organization and credential on first start, print a curl
    /// and write <data-dir>/dev-credentials.json (config `dev`).
    #[arg(long)]
    dev: bool,
    /// Serve https with a self-signed certificate for localhost, 127.0.0.1 and ::1, created in
    /// <data-dir>/tls on first use and kept so clients trust it once (config
    /// `http.tls_self_signed`). For your own certificate set `http.tls_cert_file` and
    /// `http.tls_key_file` instead.
    #[arg(long)]
    tls: bool,
}

/// The configuration reference appended to `latchkey serve --help`.
pub fn after_help() -> String {
    format!(
        "Examples:\n  latchkey serve --dev\n  latchkey serve --dev --tls\n  latchkey serve --listen 0.0.0.0:8080 --data-dir /var/lib/latchkey\n  LATCHKEY_DATABASE_URL=postgres://latchkey@db/latchkey latchkey serve --config /etc/latchkey.toml\n\n{}",
        reference()
    )
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log.level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log.format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Runs the server.
pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let mut config = Config::load(args.config.as_deref(), std::env::vars())?;
    if let Some(l) = args.listen {
        config.listen = l;
    }
    if let Some(d) = args.data_dir {
        config.data_dir = d;
    }
    if args.dev {
        config.dev = true;
    }
    if args.tls {
        config.http.tls_self_signed = true;
    }
    config.validate()?;
    init_logging(&config);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&config.listen)
            .await
            .with_context(|| format!("cannot listen on {} (is another server using it? choose another with --listen)", config.listen))?;
        let data_dir = config.data_dir.clone();
        let server = Server::start(config, listener, Clock::system()).await?;
        if let Some(banner) = server.bootstrap_banner() {
            outln!("{banner}");
        }
        if let Some(dev) = server.dev_credentials() {
            outln!("{}", dev::banner(dev, &data_dir, server.self_signed_certificate()));
        }
        outln!("latchkey listening on {} (issuer {})", server.local_addr(), server.base_url());
        server.run(shutdown_signal()).await;
        Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

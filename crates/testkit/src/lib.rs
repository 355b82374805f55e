//! Test-only helpers: a real Latchkey server on `127.0.0.1:0` with a temporary data directory,
//! seeded in dev mode, and stopped (with its pending writes flushed) at the end of the test.

use latchkey_proto::dev::DevCredentials;
use latchkey_server::Server;
use latchkey_server::clock::Clock;
use latchkey_server::config::Config;
use latchkey_server::state::AppState;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running test server.
pub struct TestServer {
    /// Base URL (`http://127.0.0.1:PORT`).
    pub base_url: String,
    /// The seeded dev credentials.
    pub dev: DevCredentials,
    /// The server's state (store, clock, metrics...).
    pub state: AppState,
    /// The data directory (removed when the server is dropped).
    pub dir: TempDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl TestServer {
    /// Starts a dev-mode server with default settings and the system clock.
    pub async fn start() -> Self {
        Self::start_with(|_| {}, Clock::system()).await
    }

    /// Starts a dev-mode server after `adjust` edits the configuration.
    pub async fn start_with(adjust: impl FnOnce(&mut Config), clock: Clock) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            listen: "127.0.0.1:0".into(),
            data_dir: dir.path().to_path_buf(),
            dev: true,
            ..Config::default()
        };
        adjust(&mut config);
        Self::start_in(dir, config, clock).await
    }

    /// Starts a server with `config` in an existing directory (restart tests).
    pub async fn start_in(dir: TempDir, config: Config, clock: Clock) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let server = Server::start(config, listener, clock)
            .await
            .expect("server starts");
        let base_url = server.base_url().to_owned();
        let dev = server.dev_credentials().cloned().expect("dev credentials");
        let state = server.state().clone();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async move {
            let _ = rx.await;
        }));
        Self {
            base_url,
            dev,
            state,
            dir,
            stop: Some(tx),
            task: Some(task),
        }
    }

    /// URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Stops the server and waits for it; returns the data directory for a restart.
    pub async fn stop(mut self) -> TempDir {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
        let TestServer { dir, .. } = self;
        dir
    }
}

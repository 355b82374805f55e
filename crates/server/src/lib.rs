//! The Latchkey HTTP server.
//!
//! Map of the crate:
//! - [`config`]: defaults → TOML → `LATCHKEY_*` environment; unknown keys are errors.
//! - [`startup`]: data directory, master key, database, key checks ([`startup::StartError`]).
//! - [`state`]: [`state::AppState`], what every handler gets.
//! - [`routes`]: the router and one module per endpoint family.
//! - [`params`]: reading IMS parameters (query, urlencoded, multipart, HTTP Basic).
//! - [`error`]: the one place IMS errors become HTTP responses.
//! - [`headers`]: media type and bearer token of a request.
//! - [`signing`] (with [`keyring`]): the signing keys and their rotation.
//! - [`cache`], [`usage`], [`metrics`], [`clock`]: the supporting machinery.
//! - [`bootstrap`]: the first start's organization and admin credential.
//! - [`dev`]: dev-mode seeding and the `dev-credentials.json` file.
//! - [`aem`]: the API side's authorization chain, caches, errors and binary store (the
//!   Assets and Folders handlers are in [`routes`]).
//! - [`ttl`]: the expiring map the per-node caches are built on.
//! - [`serve`]: the accept loop with read timeouts and graceful shutdown.
//! - [`tls`]: https on request: certificate files, or a self-signed certificate kept in the
//!   data directory.
//!
//! Use: [`Server::start`] on a bound listener, then [`Server::run`] until shutdown. Tests bind
//! `127.0.0.1:0` and drive the same code.

pub mod aem;
pub mod bootstrap;
pub mod cache;
pub mod clock;
pub mod config;
pub mod dev;
pub mod dev_aem;
pub mod error;
pub mod headers;
pub mod keyring;
pub mod metrics;
pub mod params;
pub mod routes;
pub mod serve;
pub mod signing;
pub mod startup;
pub mod state;
pub mod tls;
pub mod ttl;
pub mod usage;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use latchkey_core::secret::SecretHasher;
use latchkey_core::throttle::{Throttle, ThrottleLimits};
use latchkey_core::token::client_credentials::TokenSettings;
use latchkey_proto::dev::DevCredentials;
use tokio::net::TcpListener;

use crate::cache::CredentialCache;
use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::signing::SigningKeys;
use crate::startup::StartError;
use crate::state::{AppState, Inner};
use crate::usage::UsageRecorder;

/// A started server, ready to run.
pub struct Server {
    listener: TcpListener,
    state: AppState,
    addr: SocketAddr,
    dev: Option<DevCredentials>,
    bootstrapped: Option<bootstrap::Bootstrapped>,
    tls: Option<tls::Tls>,
}

impl Server {
    /// Prepares everything (files, database, keys, dev seed) for serving on `listener`.
    pub async fn start(
        config: Config,
        listener: TcpListener,
        clock: Clock,
    ) -> Result<Self, StartError> {
        config.validate()?;
        let addr = listener
            .local_addr()
            .map_err(|e| StartError::Files(format!("cannot read the listening address: {e}")))?;
        startup::ensure_data_dir(&config.data_dir)?;
        let tls = tls::load(&config)?;
        let master = startup::load_or_create_master_key(&config.effective_master_key_file())?;
        let store = startup::open_store(&config.effective_database_url()).await?;
        startup::check_master_key(store.as_ref(), &master).await?;
        let issuer = startup::issuer_for(&config.public_url, addr, tls.is_some());
        let audience = if config.tokens.audience.is_empty() {
            issuer.clone()
        } else {
            config.tokens.audience.clone()
        };
        let alg = config
            .signing_alg()
            .ok_or_else(|| StartError::Keys("unsupported tokens.signing_alg".into()))?;
        let hasher = SecretHasher::new(master.pepper());
        let keys = SigningKeys::load(
            store.as_ref(),
            master,
            alg,
            &issuer,
            &audience,
            config.rotation_policy(),
            clock.now(),
        )
        .await
        .map_err(|e| StartError::Keys(e.to_string()))?;
        let limits = &config.limits;
        let blobs =
            aem::blobs::Blobs::local(&config.effective_blob_dir()).map_err(StartError::Files)?;
        let cache_ttl = Duration::from_millis(config.cluster.credential_cache_ms);
        let state = AppState(Arc::new(Inner {
            issuer: issuer.clone(),
            hasher,
            settings: TokenSettings {
                issuer,
                audience,
                lifetime_ms: i64::try_from(config.tokens.lifetime_secs).unwrap_or(86_400) * 1000,
                ims_as: config.tokens.ims_as.clone(),
            },
            throttle: Throttle::new(ThrottleLimits {
                tokens_per_window: limits.tokens_per_credential_per_minute,
                failures_per_peer: limits.failed_auth_per_peer_per_minute,
                failures_per_client: limits.failed_auth_per_client_per_minute,
                window_ms: 60_000,
            }),
            credentials: CredentialCache::new(cache_ttl),
            aem: aem::cache::AemCache::new(cache_ttl),
            blobs,
            usage: UsageRecorder::default(),
            metrics: Metrics::default(),
            keys,
            store,
            clock,
            config,
        }));
        let bootstrapped = bootstrap::run(&state).await?;
        if let Some(org) = bootstrap::initial_org(&state).await? {
            state.keys.set_installation_org(org);
        }
        let dev = if state.config.dev {
            dev::seed(&state, &state.config.data_dir, bootstrapped.as_ref()).await?
        } else {
            None
        };
        if !state.config.aem.config_dir.is_empty() {
            let dir = std::path::PathBuf::from(&state.config.aem.config_dir);
            let changed = aem::config_dir::deploy_all(&state, &dir, state.clock.now()).await?;
            tracing::info!(dir = %dir.display(), changed, "api.yaml files deployed from aem.config_dir");
        }
        tracing::info!(%addr, issuer = %state.issuer, database = state.store.backend_name(), "latchkey ready");
        Ok(Self {
            listener,
            state,
            addr,
            dev,
            bootstrapped,
            tls,
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The issuer / public base URL.
    pub fn base_url(&self) -> &str {
        &self.state.issuer
    }

    /// The self-signed certificate clients must trust (`http.tls_self_signed`), if any.
    pub fn self_signed_certificate(&self) -> Option<&std::path::Path> {
        self.tls
            .as_ref()
            .and_then(tls::Tls::self_signed_certificate)
    }

    /// The dev credentials, in dev mode.
    pub fn dev_credentials(&self) -> Option<&DevCredentials> {
        self.dev.as_ref()
    }

    /// The text to print once when this start created the first admin credential.
    pub fn bootstrap_banner(&self) -> Option<String> {
        self.bootstrapped
            .as_ref()
            .map(|b| bootstrap::banner(b, &self.state.issuer, self.self_signed_certificate()))
    }

    /// The shared state (for tests and embedding).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then drains connections and flushes pending writes.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let state = self.state.clone();
        let flush_every = Duration::from_secs(state.config.cluster.usage_flush_secs.max(1));
        let maintenance = tokio::spawn(maintain(state.clone(), flush_every));
        let app = routes::router(state.clone());
        let header_timeout = Duration::from_secs(state.config.http.header_read_timeout_secs.max(1));
        let tls = self.tls.as_ref().map(tls::Tls::acceptor);
        serve::serve(self.listener, app, header_timeout, tls, shutdown).await;
        maintenance.abort();
        state.usage.flush(state.store.as_ref()).await;
        tracing::info!("latchkey stopped");
    }
}

/// Background upkeep: flush secret usage, prune throttle windows, rotate and reload signing
/// keys, purge old revocations and expired assertion ids.
async fn maintain(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    let mut rounds: u64 = 0;
    loop {
        tick.tick().await;
        state.usage.flush(state.store.as_ref()).await;
        let now = state.clock.now();
        state.throttle.prune(now);
        if let Err(e) = state.keys.maintain(state.store.as_ref(), now).await {
            tracing::warn!(error = %e, "could not check the signing keys for rotation");
        }
        rounds += 1;
        if rounds % 720 == 1 {
            match state.store.purge_expired_revocations(now).await {
                Ok(n) if n > 0 => tracing::info!(purged = n, "purged expired revocations"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not purge expired revocations"),
            }
            match state.store.purge_expired_jtis(now).await {
                Ok(n) if n > 0 => tracing::info!(purged = n, "purged expired assertion ids"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not purge expired assertion ids"),
            }
        }
    }
}

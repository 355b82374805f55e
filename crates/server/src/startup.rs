//! Start-up: everything that must be true before the first request is served.
//!
//! In order: the data directory exists; the master key is read (or created on first start,
//! mode 0600); the database is opened and migrated; the master key is checked against the one
//! the database was initialised with (a node with another key would fail every secret check);
//! signing keys are loaded or created. Each failure is a [`StartError`] that says what to do.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use latchkey_core::keys::vault::{MASTER_KEY_LEN, MasterKey};
use latchkey_core::store::{Store, StoreError};
use zeroize::Zeroizing;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Configuration problem.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// File-system problem (data directory, master key).
    #[error("{0}")]
    Files(String),
    /// Database problem.
    #[error("database: {0}")]
    Store(String),
    /// Signing keys problem.
    #[error("signing keys: {0}")]
    Keys(String),
    /// TLS certificate or key problem (the message names the file).
    #[error("{0}")]
    Tls(String),
}

impl StartError {
    /// Wraps a store error.
    pub fn store(e: StoreError) -> Self {
        StartError::Store(e.to_string())
    }
}

/// Meta key holding the master-key check value.
const MASTER_CHECK_KEY: &str = "master_key_check";

/// Reads the master key file, creating it (0600) if absent.
pub fn load_or_create_master_key(path: &Path) -> Result<MasterKey, StartError> {
    if path.exists() {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            StartError::Files(format!(
                "cannot read the master key file {}: {e}",
                path.display()
            ))
        })?);
        let bytes = Zeroizing::new(STANDARD.decode(text.trim()).map_err(|_| {
            StartError::Files(format!(
                "the master key file {} is not base64: restore it from your backup",
                path.display()
            ))
        })?);
        if bytes.len() != MASTER_KEY_LEN {
            return Err(StartError::Files(format!(
                "the master key file {} must hold {MASTER_KEY_LEN} bytes in base64",
                path.display()
            )));
        }
        return Ok(MasterKey::from_bytes(&bytes));
    }
    let bytes = MasterKey::generate_bytes().map_err(|e| StartError::Files(e.to_string()))?;
    write_private_file(path, STANDARD.encode(&*bytes).as_bytes())?;
    tracing::info!(path = %path.display(), "created a new master key: back it up, every node needs the same file");
    Ok(MasterKey::from_bytes(&bytes))
}

/// Writes `contents` to `path` with mode 0600, atomically (temp file, fsync, rename).
pub fn write_private_file(path: &Path, contents: &[u8]) -> Result<(), StartError> {
    let err =
        |e: std::io::Error| StartError::Files(format!("cannot write {}: {e}", path.display()));
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file")
    ));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp).map_err(err)?;
    f.write_all(contents).map_err(err)?;
    f.sync_all().map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Checks that the database was initialised with this master key (or records it).
pub async fn check_master_key(store: &dyn Store, master: &MasterKey) -> Result<(), StartError> {
    let mine = master.check_value();
    let stored = store
        .put_meta_if_absent(MASTER_CHECK_KEY, &mine)
        .await
        .map_err(StartError::store)?;
    if stored != mine {
        return Err(StartError::Keys(
            "this database was initialised with a different master key: start every node with the same master_key_file (restore it from backup)".into(),
        ));
    }
    Ok(())
}

/// Creates the data directory if needed.
pub fn ensure_data_dir(dir: &Path) -> Result<(), StartError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        StartError::Files(format!(
            "cannot create the data directory {}: {e} (choose another with --data-dir)",
            dir.display()
        ))
    })
}

/// The issuer URL: the configured public URL, or `http://<bound address>` (`https://` when
/// `tls`) with an unspecified IP replaced by 127.0.0.1.
pub fn issuer_for(public_url: &str, bound: SocketAddr, tls: bool) -> String {
    if !public_url.is_empty() {
        return public_url.to_owned();
    }
    let mut addr = bound;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{addr}")
}

/// Opens the store named by `url`.
pub async fn open_store(url: &str) -> Result<Arc<dyn Store>, StartError> {
    let store = latchkey_store::SqlStore::connect(url)
        .await
        .map_err(StartError::store)?;
    Ok(Arc::new(store))
}

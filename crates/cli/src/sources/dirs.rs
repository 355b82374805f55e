//! Where the CLI keeps its files: profiles in the user's configuration directory
//! (`$XDG_CONFIG_HOME/latchkey`, else `~/.config/latchkey`), cached tokens in the cache
//! directory (`$XDG_CACHE_HOME/latchkey`, else `~/.cache/latchkey`); and how files holding
//! secrets are written: owner-only (0600 files, 0700 directories), replaced atomically so that
//! a process reading the file at the same moment sees the old or the new content, never half.

use std::io::Write;
use std::path::{Path, PathBuf};

fn base(var: &str, fallback: &str) -> Option<PathBuf> {
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
        _ => std::env::var_os("HOME").map(|h| PathBuf::from(h).join(fallback)),
    }
}

/// `$XDG_CONFIG_HOME/latchkey` or `~/.config/latchkey`.
pub fn config_dir() -> Option<PathBuf> {
    base("XDG_CONFIG_HOME", ".config").map(|p| p.join("latchkey"))
}

/// `$XDG_CACHE_HOME/latchkey` or `~/.cache/latchkey`.
pub fn cache_dir() -> Option<PathBuf> {
    base("XDG_CACHE_HOME", ".cache").map(|p| p.join("latchkey"))
}

/// Creates `dir` (and parents) readable by the owner only.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        b.mode(0o700);
        b.create(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    b.create(dir)
}

/// Writes `contents` to `path` through a temporary file in the same directory and a rename.
/// The new file has `mode` (unix), or the existing file's mode when `keep_mode` and it exists.
pub fn write_atomic(
    path: &Path,
    contents: &[u8],
    mode: u32,
    keep_mode: bool,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(m) if keep_mode => m.permissions().mode() & 0o777,
            _ => mode,
        }
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(mode);
    }
    let _ = std::fs::remove_file(&tmp);
    let result = (|| {
        let mut f = opts.open(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

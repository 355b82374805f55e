//! `latchkey secrets rotate`: replace a credential's secret without a failed request.
//!
//! Steps (SPEC §4), each recorded in a state file next to the settings file
//! ([`crate::sources::Source::rotation_file`]) before the next begins, so that an interrupted
//! rotation (Ctrl-C, a crash, `--timeout`) resumes where it stopped on the next run:
//! 1. add a new secret (a credential holds at most two, so it must start with one);
//! 2. write it into the settings file it came from (`.env`, profile or dev-credentials.json),
//!    atomically: an application re-reading the file gets the old or the new secret;
//! 3. wait, with progress on stderr, until the new secret is seen in use (`secret_usages` of
//!    the secrets API) and the old one's `last_used_at` has not moved for `--idle`;
//! 4. delete the old secret.
//!
//! The state file holds uuids and a SHA-256 digest of the old secret, never a secret. The
//! digest tells a resumed run whether step 2 happened: if the file still holds the old secret,
//! a new secret added before the interruption was never written anywhere, its value is lost,
//! and it is deleted and added again.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use latchkey_client::ClientSecret;
use latchkey_proto::console::{SecretInfo, SecretList};
use serde::{Deserialize, Serialize};

use crate::connection::Session;
use crate::failure::CliError;
use crate::output::{self, outln};
use crate::sources::{Source, dirs};

/// How `secrets rotate` waits.
#[derive(Debug, Clone)]
pub struct Waiting {
    /// How long the old secret must stay unused once the new one is in use.
    pub idle: Duration,
    /// Give up (progress saved) after this long.
    pub timeout: Duration,
    /// Time between two looks at the secrets list.
    pub poll: Duration,
}

/// The progress of a rotation, as saved.
#[derive(Debug, Serialize, Deserialize)]
struct State {
    credential_id: i64,
    client_id: String,
    old_uuid: String,
    /// SHA-256 (hex) of the old secret: tells whether the settings file was updated.
    old_secret_sha256: String,
    new_uuid: Option<String>,
}

fn sha256_hex(secret: &ClientSecret) -> String {
    let d = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        secret.expose_secret().as_bytes(),
    );
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn refused(msg: impl Into<String>) -> CliError {
    CliError::RotationRefused(msg.into())
}

fn progress(msg: &str) {
    eprintln!("latchkey: {msg}");
}

/// Parses `30s`, `5m`, `1h`, `250ms` or a number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration; write e.g. 30s, 5m, 1h or 250ms"))?;
    match unit {
        "" | "s" => Ok(Duration::from_secs(n)),
        "ms" => Ok(Duration::from_millis(n)),
        "m" => Ok(Duration::from_secs(n * 60)),
        "h" => Ok(Duration::from_secs(n * 3600)),
        _ => Err(format!("{s:?} has an unknown unit; use ms, s, m or h")),
    }
}

fn last_used_ms(s: &SecretInfo) -> Option<i64> {
    s.secret_usages
        .iter()
        .flatten()
        .filter_map(|u| u.last_used_at.parse::<i64>().ok())
        .max()
}

/// One rotation of `credential`'s secret, written into the first of `files` that holds it.
pub async fn run(
    session: &Session,
    credential: i64,
    files: &[Source],
    waiting: &Waiting,
) -> Result<(), CliError> {
    let Session { console, org } = session;
    let list = console.list_secrets(org, credential).await?;
    let client_id = list.client_id.clone();
    let mut file = None;
    for f in files {
        if let Some(secret) = f.secret_of(&client_id)? {
            file = Some((f.clone(), secret));
            break;
        }
    }
    let Some((file, current)) = file else {
        return Err(refused(format!(
            "no settings file holds the secret of client {client_id}, so there is nothing to switch to the new secret; name the file your application reads with --env-file, --profile or --dev-credentials"
        )));
    };
    let state_path = file.rotation_file();
    let mut state = match load_state(&state_path)? {
        Some(s) if s.credential_id == credential && s.client_id == client_id => {
            progress(&format!(
                "resuming the rotation recorded in {}",
                state_path.display()
            ));
            s
        }
        Some(s) => {
            return Err(refused(format!(
                "{} records an unfinished rotation of credential {} (client {}); finish it first with --credential-id {}",
                state_path.display(),
                s.credential_id,
                s.client_id,
                s.credential_id
            )));
        }
        None => start(&list, credential, &current, &state_path)?,
    };

    if state.new_uuid.is_none() {
        let list = console.list_secrets(org, credential).await?;
        let others: Vec<&SecretInfo> = list
            .client_secrets
            .iter()
            .filter(|s| s.uuid != state.old_uuid)
            .collect();
        if sha256_hex(&current) != state.old_secret_sha256 {
            // The file already holds the new secret: only the state was not saved.
            let [new] = others.as_slice() else {
                return Err(refused(format!(
                    "{} no longer holds the old secret, and credential {credential} does not have exactly one other secret; check the file, then delete {}",
                    file.describe(),
                    state_path.display()
                )));
            };
            state.new_uuid = Some(new.uuid.clone());
        } else {
            for orphan in others {
                progress(&format!(
                    "deleting secret {} added by an interrupted run (its value was never saved)",
                    orphan.uuid
                ));
                console.delete_secret(org, credential, &orphan.uuid).await?;
            }
            let new = console.add_secret(org, credential).await?;
            file.set_secret(&client_id, &new.secret)?;
            progress(&format!(
                "added secret {} and wrote it into {}; switch your application to it (re-read the file)",
                new.info.uuid,
                file.describe()
            ));
            state.new_uuid = Some(new.info.uuid.clone());
        }
        save_state(&state_path, &state)?;
    }
    let new_uuid = state.new_uuid.clone().unwrap_or_default();
    wait(session, credential, &state, &new_uuid, waiting, &state_path).await?;
    match console
        .delete_secret(org, credential, &state.old_uuid)
        .await
    {
        Ok(()) => {}
        // Deleted by the interrupted run already.
        Err(e) if e.status() == Some(404) => {}
        Err(e) => return Err(e.into()),
    }
    let _ = std::fs::remove_file(&state_path);
    outln!(
        "Rotated the secret of credential {credential}: deleted {}, {} now holds {new_uuid}.",
        state.old_uuid,
        file.describe()
    );
    Ok(())
}

fn start(
    list: &SecretList,
    credential: i64,
    current: &ClientSecret,
    state_path: &Path,
) -> Result<State, CliError> {
    let [old] = list.client_secrets.as_slice() else {
        return Err(refused(format!(
            "credential {credential} has {} secrets and a rotation starts from one; delete the one your application does not use (`latchkey secrets list`, then `latchkey secrets delete UUID`)",
            list.client_secrets.len()
        )));
    };
    let state = State {
        credential_id: credential,
        client_id: list.client_id.clone(),
        old_uuid: old.uuid.clone(),
        old_secret_sha256: sha256_hex(current),
        new_uuid: None,
    };
    save_state(state_path, &state)?;
    Ok(state)
}

async fn wait(
    session: &Session,
    credential: i64,
    state: &State,
    new_uuid: &str,
    waiting: &Waiting,
    state_path: &Path,
) -> Result<(), CliError> {
    let started = Instant::now();
    let mut old_seen: Option<(Option<i64>, Instant)> = None;
    loop {
        let list = session
            .console
            .list_secrets(&session.org, credential)
            .await?;
        let find = |uuid: &str| list.client_secrets.iter().find(|s| s.uuid == uuid);
        let Some(old) = find(&state.old_uuid) else {
            return Ok(());
        };
        let Some(new) = find(new_uuid) else {
            return Err(refused(format!(
                "the new secret {new_uuid} was deleted from credential {credential}; delete {} and start again",
                state_path.display()
            )));
        };
        let old_last = last_used_ms(old);
        let since = match old_seen {
            Some((v, at)) if v == old_last => at,
            _ => {
                let now = Instant::now();
                old_seen = Some((old_last, now));
                now
            }
        };
        let new_used = last_used_ms(new).is_some();
        let idle_for = since.elapsed();
        if new_used && idle_for >= waiting.idle {
            return Ok(());
        }
        let old_text = match old_last {
            None => "never used".to_owned(),
            Some(ms) => format!("last used {} ago", ago(ms)),
        };
        progress(&format!(
            "waiting: new secret {}; old secret {old_text}, unchanged for {}s of the {}s required",
            if new_used { "in use" } else { "not used yet" },
            idle_for.as_secs(),
            waiting.idle.as_secs()
        ));
        if started.elapsed() >= waiting.timeout {
            return Err(CliError::RotationUnfinished(format!(
                "gave up waiting after {}s ({}); progress is saved in {}: run `latchkey secrets rotate` again to resume",
                waiting.timeout.as_secs(),
                if new_used {
                    "the old secret is still in use"
                } else {
                    "the new secret was not seen in use"
                },
                state_path.display()
            )));
        }
        tokio::time::sleep(waiting.poll).await;
    }
}

fn ago(ms: i64) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    let elapsed = u64::try_from((now - ms).max(0)).unwrap_or(0);
    output::span(Duration::from_millis(elapsed))
}

fn load_state(path: &Path) -> Result<Option<State>, CliError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| CliError::ConfigFile {
                path: path.to_owned(),
                reason: format!(
                    "is not a rotation state file ({e}); delete it if no rotation is under way"
                ),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CliError::ConfigFile {
            path: path.to_owned(),
            reason: e.to_string(),
        }),
    }
}

fn save_state(path: &Path, state: &State) -> Result<(), CliError> {
    let json = serde_json::to_vec_pretty(state).map_err(CliError::Print)?;
    dirs::write_atomic(path, &json, 0o600, false).map_err(|e| CliError::ConfigFile {
        path: path.to_owned(),
        reason: format!("cannot save the rotation's progress: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3d").is_err());
    }
}

//! `latchkey admin service-accounts create|certificates|add-certificate|revoke-certificate|
//! delete-certificate|download|migrate`: legacy Service Account (JWT) credentials.
//!
//! Secrets and private keys are written to files created with mode 0600 (`--out`,
//! `--private-key-out`), never to a file that exists already, and the file is created before
//! the server is asked (an unwritable path must not cost a secret shown only once); without
//! such a flag they are printed once, with a warning.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use latchkey_proto::service_accounts::{
    AddCertificate, CertificateBody, CreateServiceAccount, MigrateServiceAccount,
};

use crate::connection::Session;
use crate::failure::CliError;
use crate::output::outln;
use crate::output::{self, Table};

/// Service account commands.
#[derive(Debug, Subcommand)]
pub enum ServiceAccountsCommand {
    /// Create a Service Account (JWT) credential with a generated key pair (or an uploaded
    /// certificate) and write its AEM service credentials JSON.
    #[command(
        after_help = "Example:\n  latchkey admin service-accounts create --project 1 --name aem-sync --metascopes ent_aem_cloud_api --product 1 --out service-credentials.json"
    )]
    Create {
        /// The project to create it in.
        #[arg(long, value_name = "ID")]
        project: i64,
        /// Display name.
        #[arg(long, value_name = "N")]
        name: String,
        /// Metascopes it may claim, comma-separated.
        #[arg(long, value_name = "a,b", value_delimiter = ',', required = true)]
        metascopes: Vec<String>,
        /// The AEM environment (product id) it is for: at most 10 technical accounts each.
        #[arg(long, value_name = "ID")]
        product: Option<i64>,
        /// Upload this PEM certificate instead of generating a key pair.
        #[arg(long, value_name = "FILE")]
        certificate: Option<PathBuf>,
        /// Write the service credentials JSON (secret and private key included) to this new
        /// file (mode 0600) instead of printing it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List the certificates of a service account.
    #[command(after_help = "Example:\n  latchkey admin service-accounts certificates 7")]
    Certificates {
        /// Credential id.
        id: i64,
    },
    /// Add a certificate (rotation): generated, or uploaded with --certificate.
    #[command(
        after_help = "Example:\n  latchkey admin service-accounts add-certificate 7 --private-key-out new-key.pem"
    )]
    AddCertificate {
        /// Credential id.
        id: i64,
        /// Upload this PEM certificate instead of generating a key pair.
        #[arg(long, value_name = "FILE")]
        certificate: Option<PathBuf>,
        /// Write a generated private key to this new file (mode 0600) instead of printing it.
        #[arg(long, value_name = "FILE")]
        private_key_out: Option<PathBuf>,
    },
    /// Revoke a certificate: JWTs signed with its key are refused from now on.
    #[command(
        after_help = "Example:\n  latchkey admin service-accounts revoke-certificate 7 3f0c9a..."
    )]
    RevokeCertificate {
        /// Credential id.
        id: i64,
        /// Certificate id.
        certificate: String,
    },
    /// Delete a revoked certificate.
    #[command(
        after_help = "Example:\n  latchkey admin service-accounts delete-certificate 7 3f0c9a..."
    )]
    DeleteCertificate {
        /// Credential id.
        id: i64,
        /// Certificate id.
        certificate: String,
    },
    /// Print the AEM service credentials JSON (client secret and private key are null: they
    /// were shown only when created).
    #[command(after_help = "Example:\n  latchkey admin service-accounts download 7")]
    Download {
        /// Credential id.
        id: i64,
    },
    /// Add an OAuth Server-to-Server credential beside a service account, with the same
    /// technical account, scopes and product profiles (Adobe's migration).
    #[command(after_help = "Example:\n  latchkey admin service-accounts migrate 7")]
    Migrate {
        /// Credential id of the service account.
        id: i64,
        /// Name of the new credential.
        #[arg(long, value_name = "N")]
        name: Option<String>,
    },
}

fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::ReadFile {
        path: path.to_owned(),
        source,
    })
}

/// An output file for a secret: created (new, readable by its owner only) **before** the server
/// is asked, so that an unwritable path never costs a secret that is shown only once.
struct PrivateFile {
    path: PathBuf,
    file: Option<std::fs::File>,
}

impl PrivateFile {
    fn create(path: &Path) -> Result<Self, CliError> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(path).map_err(|source| CliError::WriteFile {
            path: path.to_owned(),
            source,
        })?;
        Ok(Self {
            path: path.to_owned(),
            file: Some(file),
        })
    }

    fn write(mut self, content: &[u8]) -> Result<(), CliError> {
        let path = self.path.clone();
        let fail = |source| CliError::WriteFile { path, source };
        let Some(mut file) = self.file.take() else {
            return Err(fail(std::io::ErrorKind::Other.into()));
        };
        match file.write_all(content).and_then(|()| file.sync_all()) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = std::fs::remove_file(&self.path);
                Err(fail(e))
            }
        }
    }
}

impl Drop for PrivateFile {
    /// A file that was never written (the request failed) is removed again.
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn certificates_table(list: &[CertificateBody]) {
    let mut table = Table::new(&["ID", "STATUS", "NOT AFTER", "FINGERPRINT (SHA-256)"]);
    for c in list {
        table.row(vec![
            c.id.clone(),
            c.status.clone(),
            output::millis(&c.not_after),
            c.fingerprint.clone(),
        ]);
    }
    table.print("(no certificates)");
}

/// Runs a service account command.
pub async fn run(s: &Session, cmd: ServiceAccountsCommand, json: bool) -> Result<(), CliError> {
    let (console, org) = (&s.console, s.org.as_str());
    match cmd {
        ServiceAccountsCommand::Create {
            project,
            name,
            metascopes,
            product,
            certificate,
            out,
        } => {
            let certificate_pem = certificate.as_deref().map(read).transpose()?;
            let target = out.as_deref().map(PrivateFile::create).transpose()?;
            let spec = CreateServiceAccount {
                name,
                metascopes,
                product_id: product,
                certificate_pem,
            };
            let created = console.create_service_account(org, project, &spec).await?;
            let file =
                serde_json::to_vec_pretty(&created.service_credentials).map_err(CliError::Print)?;
            match target {
                Some(target) => target.write(&file)?,
                None if !json => {
                    output::json(&created.service_credentials)?;
                    output::warn(
                        "this is the only time the client secret and private key are shown: save the JSON above (or use --out FILE)",
                    );
                }
                None => {}
            }
            if json {
                return output::json(&created);
            }
            if let Some(path) = out {
                outln!(
                    "Created service account {} (client id {}); service credentials written to {}.",
                    created.credential.id,
                    created.credential.client_id,
                    path.display()
                );
            }
            Ok(())
        }
        ServiceAccountsCommand::Certificates { id } => {
            let list = console.list_certificates(org, id).await?;
            if json {
                return output::json(&list);
            }
            certificates_table(&list);
            Ok(())
        }
        ServiceAccountsCommand::AddCertificate {
            id,
            certificate,
            private_key_out,
        } => {
            let certificate_pem = certificate.as_deref().map(read).transpose()?;
            let target = private_key_out
                .as_deref()
                .filter(|_| certificate_pem.is_none())
                .map(PrivateFile::create)
                .transpose()?;
            let added = console
                .add_certificate(org, id, &AddCertificate { certificate_pem })
                .await?;
            if let (Some(target), Some(key)) = (target, &added.private_key) {
                target.write(key.as_bytes())?;
            }
            if json {
                return output::json(&added);
            }
            certificates_table(std::slice::from_ref(&added.certificate));
            match (&private_key_out, &added.private_key) {
                (Some(path), Some(_)) => outln!("\nPrivate key written to {}.", path.display()),
                (None, Some(key)) => {
                    outln!("\n{key}");
                    output::warn(
                        "this is the only time the private key is shown: save it now (or use --private-key-out FILE)",
                    );
                }
                (_, None) => {}
            }
            Ok(())
        }
        ServiceAccountsCommand::RevokeCertificate { id, certificate } => {
            let c = console.revoke_certificate(org, id, &certificate).await?;
            if json {
                return output::json(&c);
            }
            outln!(
                "Revoked certificate {}: JWTs signed with its key are refused from now on.",
                c.id
            );
            Ok(())
        }
        ServiceAccountsCommand::DeleteCertificate { id, certificate } => {
            console.delete_certificate(org, id, &certificate).await?;
            if !json {
                outln!("Deleted certificate {certificate}.");
            }
            Ok(())
        }
        ServiceAccountsCommand::Download { id } => {
            output::json(&console.service_credentials(org, id).await?)
        }
        ServiceAccountsCommand::Migrate { id, name } => {
            let created = console
                .migrate_service_account(org, id, &MigrateServiceAccount { name })
                .await?;
            if json {
                output::json(&created)?;
            } else {
                outln!(
                    "Created OAuth Server-to-Server credential {} (client id {}) with the technical account {}.\n\nClient secret:\n\n  {}\n",
                    created.credential.id,
                    created.credential.client_id,
                    created.credential.technical_account_id,
                    created.client_secret
                );
            }
            output::warn(
                "this is the only time the client secret is shown: store it now (it is kept only as a hash)",
            );
            Ok(())
        }
    }
}

//! The master key and what derives from it.
//!
//! One 256-bit master key per installation (a file in the data directory by default; the same
//! file on every node of a PostgreSQL cluster). From it, by HMAC-SHA256 with fixed labels:
//! - the pepper that keys the client-secret hashes;
//! - the AES-256-GCM key that seals signing keys at rest (the key id is the associated data,
//!   so a sealed key cannot be swapped onto another row).

use std::fmt;

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::hmac;
use zeroize::Zeroizing;

use crate::ids::{RandomnessUnavailable, random_bytes};

/// Length of the master key in bytes.
pub const MASTER_KEY_LEN: usize = 32;

/// Errors of sealing and unsealing.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// Sealed data failed authentication: wrong master key, or tampered data.
    #[error(
        "a sealed signing key cannot be opened: the master key differs from the one that sealed it (every node needs the same master key file) or the data was altered"
    )]
    CannotOpen,
    /// Randomness unavailable.
    #[error(transparent)]
    Random(#[from] RandomnessUnavailable),
}

/// The installation's master key.
pub struct MasterKey {
    pepper: Zeroizing<Vec<u8>>,
    seal_key: LessSafeKey,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey([redacted])")
    }
}

fn derive(master: &[u8], label: &[u8]) -> Zeroizing<Vec<u8>> {
    let key = hmac::Key::new(hmac::HMAC_SHA256, master);
    Zeroizing::new(hmac::sign(&key, label).as_ref().to_vec())
}

impl MasterKey {
    /// A fresh random master key, as bytes to persist.
    pub fn generate_bytes() -> Result<Zeroizing<Vec<u8>>, RandomnessUnavailable> {
        let mut b = Zeroizing::new(vec![0u8; MASTER_KEY_LEN]);
        random_bytes(&mut b)?;
        Ok(b)
    }

    /// Derives the working keys from the master key bytes.
    pub fn from_bytes(master: &[u8]) -> Self {
        let pepper = derive(master, b"latchkey/client-secret-pepper/v1");
        let seal = derive(master, b"latchkey/signing-key-seal/v1");
        // A 32-byte key is always a valid AES-256 key.
        #[allow(clippy::expect_used)]
        let unbound = UnboundKey::new(&AES_256_GCM, &seal).expect("32-byte AES-256 key");
        Self {
            pepper,
            seal_key: LessSafeKey::new(unbound),
        }
    }

    /// The pepper for client-secret hashes.
    pub fn pepper(&self) -> &[u8] {
        &self.pepper
    }

    /// A value that identifies the pepper without revealing it, stored in the database so a node
    /// started with another master key is refused at start-up.
    pub fn check_value(&self) -> String {
        let key = hmac::Key::new(hmac::HMAC_SHA256, &self.pepper);
        crate::ids::hex_upper(&hmac::sign(&key, b"latchkey/check/v1").as_ref()[..16])
    }

    /// Seals `plaintext`, binding it to `aad`.
    pub fn seal(&self, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, VaultError> {
        let mut nonce = [0u8; NONCE_LEN];
        random_bytes(&mut nonce)?;
        let mut buf = plaintext.to_vec();
        self.seal_key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut buf,
            )
            .map_err(|_| VaultError::CannotOpen)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        Ok(out)
    }

    /// Opens data sealed with [`MasterKey::seal`] and the same `aad`.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        if sealed.len() < NONCE_LEN {
            return Err(VaultError::CannotOpen);
        }
        let (nonce, ct) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| VaultError::CannotOpen)?;
        let mut buf = Zeroizing::new(ct.to_vec());
        let len = self
            .seal_key
            .open_in_place(nonce, Aad::from(aad), &mut buf)
            .map_err(|_| VaultError::CannotOpen)?
            .len();
        buf.truncate(len);
        Ok(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_binding() {
        let mk = MasterKey::from_bytes(&MasterKey::generate_bytes().unwrap());
        let sealed = mk.seal(b"kid-1", b"private key").unwrap();
        assert_eq!(&mk.open(b"kid-1", &sealed).unwrap()[..], b"private key");
        assert!(mk.open(b"kid-2", &sealed).is_err(), "bound to its key id");
        let other = MasterKey::from_bytes(&MasterKey::generate_bytes().unwrap());
        assert!(
            other.open(b"kid-1", &sealed).is_err(),
            "bound to the master key"
        );
        assert_ne!(mk.check_value(), other.check_value());
    }
}

//! Secret strings: client secrets and access tokens.
//!
//! Each is its own type so that a secret cannot be printed by accident: `Debug` prints
//! `[redacted]`, there is no `Display` and no `Serialize`, and the memory is zeroized on drop
//! (ARCHITECTURE.md, "Secrets"). Read the value only where it goes on the wire, with
//! `expose_secret`.

use zeroize::{Zeroize, ZeroizeOnDrop};

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Zeroize, ZeroizeOnDrop)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The plaintext, for the request that sends it (or the one place that shows it).
            pub fn expose_secret(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }
    };
}

secret_type!(
    /// A client secret (`p8e-...` at Adobe and in Latchkey).
    ClientSecret
);

secret_type!(
    /// A bearer access token.
    AccessToken
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = ClientSecret::new("p8e-very-secret");
        let t = AccessToken::new("eyJhbGciOi.payload.sig");
        assert_eq!(format!("{s:?}"), "ClientSecret([redacted])");
        assert_eq!(format!("{t:?}"), "AccessToken([redacted])");
        assert_eq!(s.expose_secret(), "p8e-very-secret");
    }
}

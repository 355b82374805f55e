//! The installation's token-signing keys: `GET /console/keys` and `POST /console/keys/rotate`
//! (admins of the installation's initial organization only).

use latchkey_proto::keys::SigningKeyList;
use reqwest::Method;

use super::ConsoleClient;
use crate::error::Error;
use crate::http;

impl ConsoleClient {
    /// Every stored signing key (next, active, retired), oldest first.
    pub async fn signing_keys(&self) -> Result<SigningKeyList, Error> {
        let url = self.caller.base.join(&["console", "keys"]);
        http::json(http::send(self.request(Method::GET, &url), &url).await?).await
    }

    /// Publishes the next signing key now; it signs from its `signs_from`. With `immediately`,
    /// it signs at once (for a key suspected to be compromised).
    pub async fn rotate_signing_key(&self, immediately: bool) -> Result<SigningKeyList, Error> {
        let url = self.caller.base.join(&["console", "keys", "rotate"]);
        let req = self
            .request(Method::POST, &url)
            .query(&[("immediately", immediately)]);
        http::json(http::send(req, &url).await?).await
    }
}

//! Which environment and tier a request addresses: the bucket in the Host
//! (`author-p{program}-e{environment}.…`, reference/adobe-protocol.md §6), or the server's
//! default environment when the Host names none (`aem.default_environment`, or the only
//! environment there is), so a one-environment server needs no Host trick.

use axum::http::{HeaderMap, Uri, header};
use latchkey_core::aem::denial::{Denial, Reason};
use latchkey_core::products::{Product, Tier};

use super::problem::Problem;
use crate::state::AppState;

/// A bucket: tier, program and environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    /// The tier.
    pub tier: Tier,
    /// Program id.
    pub program: i64,
    /// Environment id.
    pub environment: i64,
}

impl Bucket {
    /// Parses `author-p1-e2` (the first label of a host name).
    pub fn parse(label: &str) -> Option<Self> {
        let (tier, rest) = label.split_once("-p")?;
        let (program, environment) = rest.split_once("-e")?;
        let number = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i64>().ok())
                .flatten()
                .filter(|n| *n > 0)
        };
        Some(Self {
            tier: Tier::parse(tier)?,
            program: number(program)?,
            environment: number(environment)?,
        })
    }

    /// `author-p1-e2`.
    pub fn label(&self) -> String {
        format!(
            "{}-p{}-e{}",
            self.tier.as_str(),
            self.program,
            self.environment
        )
    }
}

/// The bucket named by the request's Host (or URI authority), if any.
pub fn bucket_of(headers: &HeaderMap, uri: &Uri) -> Option<Bucket> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| uri.host())?;
    Bucket::parse(host.split(['.', ':']).next()?)
}

/// The addressed environment and tier.
pub async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<(Product, Tier), Problem> {
    let store = state.store.as_ref();
    let bucket = match bucket_of(headers, uri) {
        Some(b) => Some(b),
        None if !state.config.aem.default_environment.is_empty() => {
            Bucket::parse(&state.config.aem.default_environment)
        }
        None => None,
    };
    let Some(bucket) = bucket else {
        let all = state.aem.all_products(store).await?;
        return match all.as_slice() {
            [only] => {
                let tier = only.tiers.first().copied().unwrap_or(Tier::Author);
                Ok((only.clone(), tier))
            }
            _ => Err(Denial::new(
                Reason::UnknownEnvironment,
                format!(
                    "The Host names no environment bucket and this server has {} environments, so it cannot tell which one is meant.",
                    all.len()
                ),
                "call the API on a host whose first label is the bucket (author-p<program>-e<environment>.<anything>), or set aem.default_environment",
            )
            .into()),
        };
    };
    let found = state
        .aem
        .environment(store, bucket.program, bucket.environment)
        .await?;
    let label = bucket.label();
    let Some(product) = found.first() else {
        return Err(Denial::new(
            Reason::UnknownEnvironment,
            format!("This server has no environment for bucket {label}."),
            "create it (latchkey admin products create --program <p> --environment <e>) or fix the host name",
        )
        .into());
    };
    if !product.tiers.contains(&bucket.tier) {
        return Err(Denial::new(
            Reason::UnknownTier,
            format!(
                "Environment {} has no {} tier.",
                product.label(),
                bucket.tier.as_str()
            ),
            "use one of the environment's tiers in the host name",
        )
        .into());
    }
    Ok((product.clone(), bucket.tier))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_parse_strictly() {
        let b = Bucket::parse("author-p63947-e1420428").unwrap();
        assert_eq!(
            (b.tier, b.program, b.environment),
            (Tier::Author, 63947, 1420428)
        );
        assert_eq!(b.label(), "author-p63947-e1420428");
        for bad in [
            "author-p1",
            "editor-p1-e1",
            "author-p-e1",
            "author-p1-e1x",
            "author-p0-e1",
            "127",
        ] {
            assert_eq!(Bucket::parse(bad), None, "{bad}");
        }
        let mut h = HeaderMap::new();
        h.insert(
            header::HOST,
            "publish-p1-e2.localhost:8080".parse().unwrap(),
        );
        assert_eq!(
            bucket_of(&h, &Uri::from_static("/")).unwrap().tier,
            Tier::Publish
        );
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(bucket_of(&h, &Uri::from_static("/")), None);
    }
}

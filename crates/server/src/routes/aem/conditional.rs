//! Conditional requests (RFC 9110 §13): `If-None-Match` on reads (304) and `If-Match` on
//! changes (412). Adobe's tutorial sends the literal `If-None-Match: "string"`, which simply
//! matches nothing.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

fn listed(value: &str, etag: &str) -> bool {
    value
        .split(',')
        .map(str::trim)
        .any(|v| v == "*" || v == etag || v.strip_prefix("W/") == Some(etag))
}

/// Whether `If-None-Match` names `etag` (or `*`): the client's copy is current.
pub fn if_none_match_hits(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| listed(v, etag))
}

/// Whether an `If-Match` is present and names neither `etag` nor `*`.
pub fn if_match_fails(headers: &HeaderMap, etag: &str) -> bool {
    let values: Vec<&str> = headers
        .get_all(header::IF_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    !values.is_empty() && !values.iter().any(|v| listed(v, etag))
}

/// Adds the `ETag` header.
pub fn with_etag(mut resp: Response, etag: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(etag) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_match_etags_and_stars() {
        let mut h = HeaderMap::new();
        assert!(!if_none_match_hits(&h, "\"a-1\""));
        assert!(!if_match_fails(&h, "\"a-1\""));
        h.insert(header::IF_NONE_MATCH, "\"string\"".parse().unwrap());
        assert!(!if_none_match_hits(&h, "\"a-1\""));
        h.insert(header::IF_NONE_MATCH, "\"x\", W/\"a-1\"".parse().unwrap());
        assert!(if_none_match_hits(&h, "\"a-1\""));
        h.insert(header::IF_MATCH, "*".parse().unwrap());
        assert!(!if_match_fails(&h, "\"a-1\""));
        h.insert(header::IF_MATCH, "\"a-0\"".parse().unwrap());
        assert!(if_match_fails(&h, "\"a-1\""));
    }
}

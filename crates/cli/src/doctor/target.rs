//! What a call needs from the chain: from `latchkey doctor`'s TARGET and `--method` to a
//! [`Plan`]: the privilege, what it applies to (a DAM path, or an asset whose path is looked up
//! first), and a safe read call that probes the chain on a server without a dry run (Adobe).
//!
//! The privileges are those the server's handlers require: reading anything is `read`; an
//! upload into a folder and a new folder under a parent are `create` there; a metadata PATCH is
//! `modify` on the asset; deleting is `delete` on what goes.

use latchkey_client::chain::Method;
use url::Url;

use crate::failure::CliError;

/// Where the chain is asked, and about what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Base URL of the AEM environment (from a TARGET URL, else `--aem` and the settings).
    pub base: String,
    /// The method of the call.
    pub method: Method,
    /// `read`, `create`, `modify` or `delete`.
    pub privilege: &'static str,
    /// What the privilege is needed on.
    pub subject: Subject,
}

/// What a privilege is needed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A DAM path.
    Path(String),
    /// An asset, by id (its path is read from its metadata).
    Asset(String),
}

impl Plan {
    /// The read call that probes gateway, allowlist and read permission: the asset's metadata,
    /// or the folder's listing.
    pub fn read_probe(&self) -> (String, Vec<(String, String)>) {
        match &self.subject {
            Subject::Asset(id) => (format!("/adobe/assets/{id}/metadata"), Vec::new()),
            Subject::Path(p) => (
                "/adobe/folders".to_owned(),
                vec![("path".into(), p.clone()), ("limit".into(), "1".into())],
            ),
        }
    }

    /// The call and target in words: `PATCH urn:aaid:aem:… (modify)`.
    pub fn describe(&self) -> String {
        let what = match &self.subject {
            Subject::Path(p) | Subject::Asset(p) => p,
        };
        format!("{} {what} ({})", self.method, self.privilege)
    }
}

fn usage(reason: impl Into<String>) -> CliError {
    CliError::Usage(reason.into())
}

/// The plan for `target` called with `method` on the environment at `aem` (`None`: not
/// configured, which is fine when the target is a full URL).
pub fn plan(target: &str, method: &str, aem: Option<String>) -> Result<Plan, CliError> {
    let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes())
        .map_err(|_| usage(format!("--method {method:?} is not an HTTP method")))?;
    let (base, rest) = if target.starts_with("http://") || target.starts_with("https://") {
        split_url(target)?
    } else {
        let base = aem.ok_or(CliError::Missing {
            what: "AEM environment URL",
            flag: "--aem URL (or give TARGET as a full URL)",
            env: "AEM_URL",
        })?;
        (base, target.to_owned())
    };
    let (privilege, subject) = subject(&method, &rest)?;
    Ok(Plan {
        base,
        method,
        privilege,
        subject,
    })
}

/// `https://host/prefix/adobe/assets/x?y` → (`https://host/prefix`, `/adobe/assets/x?y`).
fn split_url(target: &str) -> Result<(String, String), CliError> {
    let url = Url::parse(target).map_err(|e| usage(format!("TARGET {target:?}: {e}")))?;
    let path = url.path();
    let (prefix, api) = match path.find("/adobe/") {
        Some(i) => path.split_at(i),
        None => {
            return Err(usage(format!(
                "TARGET {target:?} is not an Assets or Folders API URL (.../adobe/assets/... or .../adobe/folders?path=...)"
            )));
        }
    };
    let origin = url.origin().ascii_serialization();
    let base = format!("{origin}{}", prefix.trim_end_matches('/'));
    let rest = match url.query() {
        Some(q) => format!("{api}?{q}"),
        None => api.to_owned(),
    };
    Ok((base, rest))
}

/// The privilege a call needs, and on what.
fn subject(method: &Method, target: &str) -> Result<(&'static str, Subject), CliError> {
    if target.starts_with("urn:aaid:aem:") {
        return Ok((by_method(method)?, Subject::Asset(target.to_owned())));
    }
    if target.starts_with("/content/dam") {
        return Ok((by_method(method)?, Subject::Path(target.to_owned())));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let api = path.strip_prefix("/adobe").unwrap_or(path);
    let parts: Vec<&str> = api.split('/').filter(|s| !s.is_empty()).collect();
    let m = method.as_str();
    let needed = |name: &str, what: &str| {
        param(name).ok_or_else(|| {
            usage(format!(
                "{m} {path} needs ?{name}=<{what}> to tell which DAM path it touches"
            ))
        })
    };
    match (m, parts.as_slice()) {
        ("GET" | "HEAD", ["folders"]) => Ok(("read", Subject::Path(needed("path", "folder")?))),
        ("DELETE", ["folders"]) => Ok(("delete", Subject::Path(needed("path", "folder")?))),
        ("POST", ["folders"]) => Err(usage(
            "POST /adobe/folders names its folders in the body: run `latchkey doctor --method POST <parent folder>` instead",
        )),
        ("POST", ["assets"]) => Ok(("create", Subject::Path(needed("folder", "folder")?))),
        ("DELETE", ["assets", id]) => Ok(("delete", Subject::Asset((*id).to_owned()))),
        ("GET" | "HEAD", ["assets", id, "metadata" | "original"]) => {
            Ok(("read", Subject::Asset((*id).to_owned())))
        }
        ("PATCH", ["assets", id, "metadata"]) => Ok(("modify", Subject::Asset((*id).to_owned()))),
        _ => Err(usage(format!(
            "{m} {path} is not a call of the Assets or Folders API; give a DAM path (/content/dam/...), an asset id (urn:aaid:aem:...) or an API path such as /adobe/assets/<id>/metadata"
        ))),
    }
}

/// The privilege a method needs on a DAM path or asset.
fn by_method(method: &Method) -> Result<&'static str, CliError> {
    match method.as_str() {
        "GET" | "HEAD" => Ok("read"),
        "POST" | "PUT" => Ok("create"),
        "PATCH" => Ok("modify"),
        "DELETE" => Ok("delete"),
        other => Err(usage(format!(
            "--method {other}: use GET, HEAD, POST, PUT, PATCH or DELETE"
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const AEM: &str = "http://127.0.0.1:8080";

    fn p(target: &str, method: &str) -> Plan {
        plan(target, method, Some(AEM.into())).unwrap()
    }

    #[test]
    fn dam_paths_and_asset_ids_take_the_privilege_of_the_method() {
        let read = p("/content/dam/wknd", "get");
        assert_eq!(read.privilege, "read");
        assert_eq!(read.subject, Subject::Path("/content/dam/wknd".into()));
        assert_eq!(read.base, AEM);
        assert_eq!(p("/content/dam/wknd", "POST").privilege, "create");
        let patch = p("urn:aaid:aem:1234", "PATCH");
        assert_eq!(patch.privilege, "modify");
        assert_eq!(patch.subject, Subject::Asset("urn:aaid:aem:1234".into()));
        assert_eq!(p("urn:aaid:aem:1234", "DELETE").privilege, "delete");
        assert_eq!(patch.describe(), "PATCH urn:aaid:aem:1234 (modify)");
    }

    #[test]
    fn api_urls_give_their_base_and_the_route_decides_the_privilege() {
        let u = p(
            "https://author-p1-e1.adobeaemcloud.com/adobe/assets/urn:aaid:aem:9c/metadata",
            "PATCH",
        );
        assert_eq!(u.base, "https://author-p1-e1.adobeaemcloud.com");
        assert_eq!(u.privilege, "modify");
        assert_eq!(u.subject, Subject::Asset("urn:aaid:aem:9c".into()));
        let behind_proxy = p(
            "http://proxy:9/aem/adobe/folders?path=/content/dam/a&limit=5",
            "GET",
        );
        assert_eq!(behind_proxy.base, "http://proxy:9/aem");
        assert_eq!(behind_proxy.subject, Subject::Path("/content/dam/a".into()));
        let upload = p("/adobe/assets?folder=/content/dam/up&name=x.jpg", "POST");
        assert_eq!(upload.privilege, "create");
        assert_eq!(upload.subject, Subject::Path("/content/dam/up".into()));
        assert_eq!(
            p("/folders?path=/content/dam/old", "DELETE").privilege,
            "delete"
        );
    }

    #[test]
    fn read_probes_list_the_folder_or_read_the_metadata() {
        assert_eq!(
            p("urn:aaid:aem:1", "PATCH").read_probe().0,
            "/adobe/assets/urn:aaid:aem:1/metadata"
        );
        let (path, query) = p("/content/dam/a b", "GET").read_probe();
        assert_eq!(path, "/adobe/folders");
        assert_eq!(query[0], ("path".into(), "/content/dam/a b".into()));
    }

    #[test]
    fn what_cannot_be_diagnosed_is_refused_with_the_way_out() {
        let err = |t: &str, m: &str, aem: Option<String>| plan(t, m, aem).unwrap_err().to_string();
        assert!(err("/adobe/folders", "POST", Some(AEM.into())).contains("--method POST"));
        assert!(err("/adobe/assets", "POST", Some(AEM.into())).contains("?folder="));
        assert!(err("/adobe/sites/pages", "GET", Some(AEM.into())).contains("DAM path"));
        assert!(err("/content/dam", "TRACE", Some(AEM.into())).contains("use GET"));
        assert!(err("/content/dam", "GET", None).contains("--aem URL"));
        assert!(err("https://example.com/api/assets.json", "GET", None).contains("not an Assets"));
        // A full URL needs no --aem.
        assert!(plan("https://h/adobe/folders?path=/content/dam", "GET", None).is_ok());
    }
}

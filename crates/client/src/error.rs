//! The errors of the client: one enum for the IMS and the console surfaces.
//!
//! A refusal keeps the server's own words, because Latchkey (like Adobe IMS) writes them to say
//! what went wrong and what to do: `error_description` of an RFC 6749 §5.2 body, `message` of a
//! console or API gateway `{"error_code", "message"}` body, or `detail` and `fix` of an RFC 7807
//! problem document (the Assets and Folders APIs, as Adobe's AEM answers). Callers decide what
//! a refusal means through [`Error::status`] and [`Error::is_unavailable`].

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The base URL does not parse.
    #[error("invalid URL {url:?}: {source}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// Why it does not parse.
        #[source]
        source: url::ParseError,
    },
    /// The base URL parses but is not an `http` or `https` URL with a path.
    #[error("unsupported URL {url:?}: use an http:// or https:// URL")]
    UnsupportedUrl {
        /// The URL as given.
        url: String,
    },
    /// The HTTP client could not be set up (TLS roots, for example).
    #[error("cannot set up the HTTP client")]
    Setup(#[source] reqwest::Error),
    /// No answer: connection refused, DNS, TLS, timeout, or the connection broke mid-answer.
    #[error("cannot reach {url}")]
    Unreachable {
        /// The URL called.
        url: String,
        /// What the transport said.
        #[source]
        source: reqwest::Error,
    },
    /// The token endpoint refused, with an RFC 6749 §5.2 body.
    #[error("{description} ({error}, HTTP {status})")]
    OAuth {
        /// HTTP status.
        status: u16,
        /// The RFC 6749 code (`invalid_client`, `invalid_scope`, ...).
        error: String,
        /// The server's sentence (`invalid client_secret parameter`, ...).
        description: String,
    },
    /// The console API, or the API gateway in front of the Assets API, refused with a
    /// `{"error_code", "message"}` body.
    #[error("{message} ({code}, HTTP {status})")]
    Console {
        /// HTTP status.
        status: u16,
        /// The stable code (`forbidden`, `not_found`, `secret_limit_reached`, `403003`, ...).
        code: String,
        /// The server's sentence; for a gateway denial of Latchkey, followed by its
        /// explanation and fix.
        message: String,
    },
    /// An API refused with an RFC 7807 problem document (`application/problem+json`): the
    /// Assets and Folders APIs, including the authorization chain's denials. Boxed: an error
    /// stays small to move around.
    #[error("{0}")]
    Problem(Box<Problem>),
    /// An answer that is not the API's: an error without a known body (a proxy's HTML page, an
    /// empty 502), or a status the call does not expect.
    #[error("unexpected HTTP {status} answer from {url}{}", excerpt_suffix(.excerpt))]
    Unexpected {
        /// HTTP status.
        status: u16,
        /// The URL called.
        url: String,
        /// The start of the body, control characters removed.
        excerpt: String,
    },
    /// An AEM service-credentials JSON (or its private key) that cannot be used.
    #[error("unusable service credentials: {reason}")]
    InvalidServiceCredentials {
        /// What is wrong, in one sentence (never the key itself).
        reason: String,
    },
    /// A local file cannot be read or written (an upload's source, a download's target).
    #[error("cannot {action} {}", path.display())]
    File {
        /// `read`, `write` or `create`.
        action: &'static str,
        /// The file.
        path: std::path::PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A success status whose body is not the expected JSON.
    #[error("cannot read the answer of {url}")]
    Decode {
        /// The URL called.
        url: String,
        /// What the JSON parser said.
        #[source]
        source: serde_json::Error,
    },
}

/// An RFC 7807 problem document, as [`Error::Problem`] carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// HTTP status.
    pub status: u16,
    /// The short summary (`Forbidden`, `Not Found`, ...).
    pub title: String,
    /// What went wrong (empty when the server sent none).
    pub detail: String,
    /// The stable reason: the document's own `reason` member, else the last part of its `type`
    /// URN (`permission_denied`, `not_found`, `precondition_failed`, ...).
    pub reason: Option<String>,
    /// What to do about it, when the server says.
    pub fix: Option<String>,
}

/// One sentence: the detail (or the title), the fix when there is one, then reason and status.
impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.detail.trim().is_empty() {
            &self.title
        } else {
            &self.detail
        };
        f.write_str(what.trim().trim_end_matches('.'))?;
        if let Some(fix) = self.fix.as_deref().filter(|f| !f.trim().is_empty()) {
            write!(f, "; fix: {}", fix.trim().trim_end_matches('.'))?;
        }
        match &self.reason {
            Some(r) => write!(f, " ({r}, HTTP {})", self.status),
            None => write!(f, " (HTTP {})", self.status),
        }
    }
}

fn excerpt_suffix(excerpt: &str) -> String {
    if excerpt.is_empty() {
        String::new()
    } else {
        format!(": {excerpt}")
    }
}

impl Error {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::OAuth { status, .. }
            | Error::Console { status, .. }
            | Error::Unexpected { status, .. } => Some(*status),
            Error::Problem(p) => Some(p.status),
            Error::InvalidUrl { .. }
            | Error::UnsupportedUrl { .. }
            | Error::Setup(_)
            | Error::Unreachable { .. }
            | Error::InvalidServiceCredentials { .. }
            | Error::File { .. }
            | Error::Decode { .. } => None,
        }
    }

    /// Whether trying again later may help: no answer, a 5xx, or 429 (throttled).
    pub fn is_unavailable(&self) -> bool {
        match self {
            Error::Unreachable { .. } | Error::Decode { .. } => true,
            Error::OAuth { status, .. }
            | Error::Console { status, .. }
            | Error::Unexpected { status, .. } => *status >= 500 || *status == 429,
            Error::Problem(p) => p.status >= 500 || p.status == 429,
            Error::InvalidUrl { .. }
            | Error::UnsupportedUrl { .. }
            | Error::Setup(_)
            | Error::InvalidServiceCredentials { .. }
            | Error::File { .. } => false,
        }
    }

    /// The server's machine code (`invalid_client`, `not_found`, `permission_denied`, ...),
    /// when it sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::OAuth { error, .. } => Some(error),
            Error::Console { code, .. } => Some(code),
            Error::Problem(p) => p.reason.as_deref(),
            Error::InvalidUrl { .. }
            | Error::UnsupportedUrl { .. }
            | Error::Setup(_)
            | Error::Unreachable { .. }
            | Error::Unexpected { .. }
            | Error::InvalidServiceCredentials { .. }
            | Error::File { .. }
            | Error::Decode { .. } => None,
        }
    }
}

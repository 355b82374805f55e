//! The media type of an upload from its file's extension: a small table of what goes into a
//! DAM (images, video, audio, documents), `application/octet-stream` for anything else.
//! `--type` overrides it.

/// Extensions (lowercase) and their media types.
const TABLE: &[(&str, &str)] = &[
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("avif", "image/avif"),
    ("svg", "image/svg+xml"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("bmp", "image/bmp"),
    ("heic", "image/heic"),
    ("psd", "image/vnd.adobe.photoshop"),
    ("ai", "application/postscript"),
    ("eps", "application/postscript"),
    ("pdf", "application/pdf"),
    ("mp4", "video/mp4"),
    ("mov", "video/quicktime"),
    ("webm", "video/webm"),
    ("mp3", "audio/mpeg"),
    ("wav", "audio/wav"),
    ("txt", "text/plain"),
    ("md", "text/markdown"),
    ("csv", "text/csv"),
    ("html", "text/html"),
    ("htm", "text/html"),
    ("css", "text/css"),
    ("js", "text/javascript"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("zip", "application/zip"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
];

/// The media type of a file named `name`.
pub fn guess(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    ext.and_then(|e| TABLE.iter().find(|(x, _)| *x == e).map(|(_, t)| *t))
        .unwrap_or("application/octet-stream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_name_media_types_whatever_their_case() {
        assert_eq!(guess("IMG_0042.JPG"), "image/jpeg");
        assert_eq!(guess("report.final.pdf"), "application/pdf");
        assert_eq!(guess("notes"), "application/octet-stream");
        assert_eq!(guess("archive.tar.xz"), "application/octet-stream");
    }
}

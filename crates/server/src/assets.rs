//! The web app's files, held in memory and served as a phone wants them:
//! brotli or gzip by negotiation (compressed at build time, beside each
//! file), files whose names carry a content hash cached for a year, the
//! rest revalidated by their ETag, and `index.html` pointing at the base
//! path the server is reached under. The files come from the executable
//! (`cargo xtask dist` builds them in) or from a folder (`--static-dir`).

use std::collections::HashMap;
use std::path::Path;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The app's files built into this executable: empty unless it was built
/// with `RISKROOM_EMBED_DIST` (see build.rs).
static EMBEDDED: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/embedded_app.rs"));

/// How long a browser keeps a file whose name carries its content's hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else: kept, but asked after each time (a 304 when unchanged).
const REVALIDATE: &str = "no-cache";

/// One file, as stored and in the encodings built beside it.
#[derive(Debug)]
struct Asset {
    identity: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    content_type: &'static str,
    cache: &'static str,
    etag: HeaderValue,
}

/// An encoding a response can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// Where the files came from, for the start-up log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    BuiltIn,
    Folder(std::path::PathBuf),
    /// No app to serve: only the API and the WebSocket answer.
    Nothing,
}

/// The web app, ready to serve.
#[derive(Debug)]
pub struct Assets {
    files: HashMap<String, Asset>,
    source: Source,
}

impl Assets {
    /// The app from `folder` when given (the override), else the one built
    /// into this executable, else the `dist` folder beside the working
    /// directory; `base_path` (e.g. `/tools/riskroom/`) goes into
    /// `index.html`.
    pub fn load(folder: Option<&Path>, base_path: &str) -> std::io::Result<Self> {
        let (raw, source) = match folder {
            Some(dir) => read_folder(dir)?,
            None if !EMBEDDED.is_empty() => (
                EMBEDDED
                    .iter()
                    .map(|(name, bytes)| ((*name).to_owned(), Bytes::from_static(bytes)))
                    .collect(),
                Source::BuiltIn,
            ),
            None => read_folder(Path::new("dist"))?,
        };
        Ok(Self::from_files(raw, source, base_path))
    }

    fn from_files(mut raw: HashMap<String, Bytes>, source: Source, base_path: &str) -> Self {
        let mut files = HashMap::new();
        let names: Vec<String> = raw
            .keys()
            .filter(|n| !n.ends_with(".br") && !n.ends_with(".gz"))
            .cloned()
            .collect();
        for name in names {
            let Some(mut identity) = raw.remove(&name) else {
                continue;
            };
            let mut brotli = raw.remove(&format!("{name}.br"));
            let mut gzip = raw.remove(&format!("{name}.gz"));
            if name == "index.html" {
                // Rewritten here: the encodings built beside it no longer
                // match, and at about a kilobyte it gains little from them.
                let html = String::from_utf8_lossy(&identity).into_owned();
                identity = Bytes::from(with_base(&html, base_path));
                brotli = None;
                gzip = None;
            }
            let cache = if has_content_hash(&name) {
                IMMUTABLE
            } else {
                REVALIDATE
            };
            let etag = etag_of(&identity);
            files.insert(
                name.clone(),
                Asset {
                    identity,
                    brotli,
                    gzip,
                    content_type: content_type(&name),
                    cache,
                    etag,
                },
            );
        }
        let source = if files.contains_key("index.html") {
            source
        } else {
            Source::Nothing
        };
        Self { files, source }
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    /// `index.html` as served (its start-up scripts make the CSP's hashes).
    pub fn index_html(&self) -> &str {
        self.files
            .get("index.html")
            .map(|a| std::str::from_utf8(&a.identity).unwrap_or_default())
            .unwrap_or_default()
    }

    /// The answer to a request for `path` (below the base path, no leading
    /// `/`): the file, or `index.html` for the app's own pages (paths
    /// without a file extension), or 404.
    pub fn respond(&self, method: &Method, path: &str, headers: &HeaderMap) -> Response {
        if method != Method::GET && method != Method::HEAD {
            return (StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD here.").into_response();
        }
        let path = path.trim_start_matches('/');
        let looks_like_a_file = path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'));
        let asset = match self.files.get(path) {
            Some(asset) => asset,
            None if !looks_like_a_file => match self.files.get("index.html") {
                Some(index) => index,
                None => return not_found(),
            },
            None => return not_found(),
        };
        let mut response = Response::builder()
            .header(header::CONTENT_TYPE, asset.content_type)
            .header(header::CACHE_CONTROL, asset.cache)
            .header(header::ETAG, asset.etag.clone());
        if asset.brotli.is_some() || asset.gzip.is_some() {
            response = response.header(header::VARY, "accept-encoding");
        }
        let fresh = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|tags| {
                tags.split(',')
                    .any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/") == asset.etag)
            });
        if fresh {
            return response
                .status(StatusCode::NOT_MODIFIED)
                .body(Body::empty())
                .expect("valid headers");
        }
        let accept = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let (body, encoding) =
            match choose_encoding(accept, asset.brotli.is_some(), asset.gzip.is_some()) {
                Encoding::Brotli => (asset.brotli.clone(), Some("br")),
                Encoding::Gzip => (asset.gzip.clone(), Some("gzip")),
                Encoding::Identity => (None, None),
            };
        let body = body.unwrap_or_else(|| asset.identity.clone());
        if let Some(encoding) = encoding {
            response = response.header(header::CONTENT_ENCODING, encoding);
        }
        response = response.header(header::CONTENT_LENGTH, body.len());
        let body = if method == Method::HEAD {
            Body::empty()
        } else {
            Body::from(body)
        };
        response.body(body).expect("valid headers")
    }
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CACHE_CONTROL, REVALIDATE)],
        "Not found.",
    )
        .into_response()
}

fn read_folder(dir: &Path) -> std::io::Result<(HashMap<String, Bytes>, Source)> {
    let mut files = HashMap::new();
    if !dir.join("index.html").is_file() {
        return Ok((files, Source::Nothing));
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let name = relative.to_string_lossy().replace('\\', "/");
                files.insert(name, Bytes::from(std::fs::read(&path)?));
            }
        }
    }
    Ok((files, Source::Folder(dir.to_path_buf())))
}

/// `index.html` with its `<base href>` set to `base_path`: the page's
/// files, links and WebSocket follow it (Trunk writes them relative).
pub fn with_base(html: &str, base_path: &str) -> String {
    const OPEN: &str = "<base href=\"";
    let Some(start) = html.find(OPEN).map(|i| i + OPEN.len()) else {
        return html.to_owned();
    };
    let Some(len) = html[start..].find('"') else {
        return html.to_owned();
    };
    format!("{}{base_path}{}", &html[..start], &html[start + len..])
}

/// Trunk names a built file `name-<16 hex digits>.ext`.
fn has_content_hash(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "toml" => "application/toml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn etag_of(bytes: &[u8]) -> HeaderValue {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("\"{hex}\"")).expect("hex is a valid header value")
}

/// The best encoding the client accepts among those built: brotli, then
/// gzip, else the file as stored. `q=0` refuses an encoding.
pub fn choose_encoding(accept: &str, brotli: bool, gzip: bool) -> Encoding {
    let mut br_q = None;
    let mut gzip_q = None;
    let mut any_q = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let token = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        match token.as_str() {
            "br" => br_q = Some(q),
            "gzip" | "x-gzip" => gzip_q = Some(q),
            "*" => any_q = Some(q),
            _ => {}
        }
    }
    // Unnamed and not covered by `*`: not accepted.
    let weight = |q: Option<f32>| q.or(any_q).unwrap_or(0.0);
    let (br_weight, gzip_weight) = (weight(br_q), weight(gzip_q));
    let br_ok = brotli && br_weight > 0.0;
    let gzip_ok = gzip && gzip_weight > 0.0;
    match (br_ok, gzip_ok) {
        (true, true) if gzip_weight > br_weight => Encoding::Gzip,
        (true, _) => Encoding::Brotli,
        (false, true) => Encoding::Gzip,
        (false, false) => Encoding::Identity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        headers
    }

    fn sample() -> Assets {
        let mut raw = HashMap::new();
        raw.insert(
            "index.html".to_owned(),
            Bytes::from_static(b"<html><head><base href=\"./\" /></head></html>"),
        );
        raw.insert(
            "app-0123456789abcdef_bg.wasm".to_owned(),
            Bytes::from_static(b"wasm"),
        );
        raw.insert(
            "app-0123456789abcdef_bg.wasm.br".to_owned(),
            Bytes::from_static(b"br!"),
        );
        raw.insert(
            "app-0123456789abcdef_bg.wasm.gz".to_owned(),
            Bytes::from_static(b"gz!"),
        );
        raw.insert("scenarios/a.toml".to_owned(), Bytes::from_static(b"x = 1"));
        Assets::from_files(raw, Source::Nothing, "/tools/riskroom/")
    }

    #[test]
    fn brotli_first_then_gzip_then_as_stored() {
        assert_eq!(
            choose_encoding("gzip, deflate, br, zstd", true, true),
            Encoding::Brotli
        );
        assert_eq!(choose_encoding("gzip, deflate", true, true), Encoding::Gzip);
        assert_eq!(choose_encoding("br;q=0, gzip", true, true), Encoding::Gzip);
        assert_eq!(
            choose_encoding("br;q=0.5, gzip;q=0.9", true, true),
            Encoding::Gzip
        );
        assert_eq!(choose_encoding("*", true, true), Encoding::Brotli);
        assert_eq!(choose_encoding("*;q=0", true, true), Encoding::Identity);
        assert_eq!(choose_encoding("", true, true), Encoding::Identity);
        assert_eq!(choose_encoding("br", false, true), Encoding::Identity);
        assert_eq!(choose_encoding("identity", true, true), Encoding::Identity);
    }

    #[test]
    fn hashed_names_are_immutable_and_others_revalidate() {
        assert!(has_content_hash("riskroom-fb43ed636d0311a0_bg.wasm"));
        assert!(has_content_hash("riskroom-fb43ed636d0311a0.js"));
        assert!(has_content_hash("main-bc5f01cfe7e65b3c.css"));
        assert!(!has_content_hash("riskroom-reader.js"));
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("scenarios/product-recall.toml"));
        assert!(!has_content_hash("a-0123456789abcdeg.js"));
    }

    #[test]
    fn the_base_path_goes_into_the_page() {
        let assets = sample();
        assert!(
            assets
                .index_html()
                .contains("<base href=\"/tools/riskroom/\" />")
        );
        assert_eq!(with_base("<p>no base</p>", "/x/"), "<p>no base</p>");
    }

    #[test]
    fn files_answer_with_their_encoding_and_cache_rule() {
        let assets = sample();
        let get = Method::GET;
        let wasm = assets.respond(&get, "/app-0123456789abcdef_bg.wasm", &request("gzip, br"));
        assert_eq!(wasm.status(), StatusCode::OK);
        assert_eq!(wasm.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(wasm.headers()[header::CACHE_CONTROL], IMMUTABLE);
        assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(wasm.headers()[header::CONTENT_LENGTH], "3");
        let plain = assets.respond(&get, "app-0123456789abcdef_bg.wasm", &request(""));
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(plain.headers()[header::CONTENT_LENGTH], "4");
        // A page of the app is index.html, never cached without asking.
        let page = assets.respond(&get, "join/ABCD", &request("gzip"));
        assert!(page.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(page.headers()[header::CACHE_CONTROL], REVALIDATE);
        assert_eq!(
            page.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        // A missing file is not the page.
        let missing = assets.respond(&get, "nothing-here.js", &request(""));
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        let post = assets.respond(&Method::POST, "index.html", &request(""));
        assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    }

    #[test]
    fn an_unchanged_file_is_not_sent_again() {
        let assets = sample();
        let first = assets.respond(&Method::GET, "scenarios/a.toml", &request(""));
        let etag = first.headers()[header::ETAG].clone();
        let mut again = request("");
        again.insert(header::IF_NONE_MATCH, etag);
        let second = assets.respond(&Method::GET, "scenarios/a.toml", &again);
        assert_eq!(second.status(), StatusCode::NOT_MODIFIED);
        again.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        let changed = assets.respond(&Method::GET, "scenarios/a.toml", &again);
        assert_eq!(changed.status(), StatusCode::OK);
    }
}

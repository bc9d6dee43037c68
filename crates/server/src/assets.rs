//! The web app's files, held in memory and served as a phone wants them:
//! brotli or gzip by negotiation (compressed at build time, beside each
//! file), files whose names carry a content hash cached for a year, the
//! rest revalidated by their ETag, and the app's pages pointing at the
//! base path the server is reached under: `index.html`, the whole app;
//! `join.html`, the lobby app (and the learner's app it hands over to),
//! for join links; `start.html`, the start app, for the start page;
//! `console.html`, the console app, for consoles. The files come from the
//! executable (`cargo xtask dist` builds them in) or from a folder
//! (`--static-dir`).

use std::collections::HashMap;
use std::path::Path;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use riskroom_core::protocol::WHOLE_APP_QUERY;

/// The app's files built into this executable: empty unless it was built
/// with `RISKROOM_EMBED_DIST` (see build.rs).
static EMBEDDED: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/embedded_app.rs"));

/// The app's pages, whose `<base href>` is set to the base path.
const PAGES: [&str; 4] = ["index.html", LEARNER_PAGE, START_PAGE, CONSOLE_PAGE];
/// The lobby app: what a join link loads.
const LEARNER_PAGE: &str = "join.html";
/// The start app: what the base path loads.
const START_PAGE: &str = "start.html";
/// The console app: what a console's address loads.
const CONSOLE_PAGE: &str = "console.html";

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
    /// A page's `Link` header: its app's wasm, so a browser asks for it as
    /// the page's first bytes arrive instead of once it has parsed the head.
    link: Option<HeaderValue>,
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
    /// directory; `base_path` (e.g. `/tools/riskroom/`) goes into the app's
    /// pages.
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
            let mut link = None;
            if PAGES.contains(&name.as_str()) {
                // Rewritten here: the encodings built beside it no longer
                // match, and at about a kilobyte it gains little from them.
                let html = String::from_utf8_lossy(&identity).into_owned();
                identity = Bytes::from(with_base(&html, base_path));
                link = preload_link(&html, base_path);
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
                    link,
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

    /// The app's pages as served, one after the other (their start-up
    /// scripts make the CSP's hashes).
    pub fn pages_html(&self) -> String {
        PAGES
            .iter()
            .filter_map(|name| self.files.get(*name))
            .map(|a| String::from_utf8_lossy(&a.identity).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The page for the app's address `path` (no file extension): the
    /// lobby app for a join link, the start app for the start page and the
    /// console app for a console, where the bundle has them, unless the
    /// query asks for the whole app ([`WHOLE_APP_QUERY`]); the whole app
    /// for every other.
    fn page_for(&self, path: &str, query: Option<&str>) -> Option<&Asset> {
        let whole = query.is_some_and(|q| q.split('&').any(|p| p == WHOLE_APP_QUERY));
        let smaller = if whole {
            None
        } else if path.starts_with("join/") {
            Some(LEARNER_PAGE)
        } else if path.is_empty() {
            Some(START_PAGE)
        } else if path.starts_with("host/") {
            Some(CONSOLE_PAGE)
        } else {
            None
        };
        smaller
            .and_then(|page| self.files.get(page))
            .or_else(|| self.files.get("index.html"))
    }

    /// The answer to a request for `path` (below the base path, no leading
    /// `/`) with `query`: the file, or the page for the app's own addresses
    /// (paths without a file extension), or 404.
    pub fn respond(
        &self,
        method: &Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
    ) -> Response {
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
            None if !looks_like_a_file => match self.page_for(path, query) {
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
        if let Some(link) = &asset.link {
            response = response.header(header::LINK, link.clone());
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

/// A page of the app with its `<base href>` set to `base_path`: the page's
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

/// The `Link` header of a page: a preload of the wasm its head preloads
/// (Trunk's `<link rel="preload" href="./…_bg.wasm" … as="fetch">`), by its
/// path below `base_path`, as the page's own preload asks for it (a CORS
/// fetch without credentials), so the browser uses the one download for
/// both.
fn preload_link(html: &str, base_path: &str) -> Option<HeaderValue> {
    let start =
        html.find(r#"<link rel="preload" href="./"#)? + r#"<link rel="preload" href="./"#.len();
    let name = &html[start..start + html[start..].find('"')?];
    if !name.ends_with("_bg.wasm")
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return None;
    }
    HeaderValue::from_str(&format!(
        r#"<{base_path}{name}>; rel=preload; as=fetch; type="application/wasm"; crossorigin=anonymous"#
    ))
    .ok()
}

/// Whether Trunk named the built file `name` with its content's hash:
/// `name-<hex digits>.ext` (see the digits' count below).
fn has_content_hash(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file.split('.').next().unwrap_or(file);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    // Trunk writes a 64-bit hash in hex without leading zeros: 16 digits
    // mostly, fewer one time in sixteen. Under 12 (one build in 65,536) the
    // file is merely revalidated; a word that happens to be hex is not taken
    // for a hash.
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
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
            Bytes::from_static(b"<html><head><base href=\"./\" /></head><p>whole</p></html>"),
        );
        raw.insert(
            "join.html".to_owned(),
            Bytes::from_static(
                b"<html><head><base href=\"./\" /><link rel=\"preload\" href=\"./learner-0123456789abcdef_bg.wasm\" crossorigin=\"anonymous\" as=\"fetch\"></head><p>learner</p></html>",
            ),
        );
        raw.insert(
            "start.html".to_owned(),
            Bytes::from_static(b"<html><head><base href=\"./\" /></head><p>start</p></html>"),
        );
        raw.insert(
            "console.html".to_owned(),
            Bytes::from_static(b"<html><head><base href=\"./\" /></head><p>console</p></html>"),
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
        assert!(has_content_hash("riskroom-learner-c5a9f4ebe86fad5_bg.wasm"));
        assert!(!has_content_hash("scenarios/cafe-decade.toml"));
        assert!(!has_content_hash("riskroom-reader.js"));
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("scenarios/product-recall.toml"));
        assert!(!has_content_hash("a-0123456789abcdeg.js"));
    }

    #[test]
    fn the_base_path_goes_into_every_page() {
        let pages = sample().pages_html();
        assert_eq!(
            pages.matches("<base href=\"/tools/riskroom/\" />").count(),
            PAGES.len(),
            "{pages}"
        );
        assert_eq!(with_base("<p>no base</p>", "/x/"), "<p>no base</p>");
    }

    #[test]
    fn a_page_names_its_wasm_in_a_link_header_below_the_base_path() {
        let assets = sample();
        let learner = assets.respond(&Method::GET, "join/ABCDEF", None, &request("br"));
        assert_eq!(
            learner.headers()[header::LINK],
            r#"</tools/riskroom/learner-0123456789abcdef_bg.wasm>; rel=preload; as=fetch; type="application/wasm"; crossorigin=anonymous"#
        );
        // A page without a preload, and a file: no header.
        let whole = assets.respond(&Method::GET, "", None, &request("br"));
        assert!(whole.headers().get(header::LINK).is_none());
        let wasm = assets.respond(
            &Method::GET,
            "app-0123456789abcdef_bg.wasm",
            None,
            &request("br"),
        );
        assert!(wasm.headers().get(header::LINK).is_none());
        assert_eq!(
            preload_link(r#"<link rel="preload" href="./x.js">"#, "/"),
            None
        );
        assert_eq!(
            preload_link(r#"<link rel="preload" href="./a b_bg.wasm">"#, "/"),
            None
        );
    }

    #[tokio::test]
    async fn files_answer_with_their_encoding_and_cache_rule() {
        let assets = sample();
        let get = Method::GET;
        let wasm = assets.respond(
            &get,
            "/app-0123456789abcdef_bg.wasm",
            None,
            &request("gzip, br"),
        );
        assert_eq!(wasm.status(), StatusCode::OK);
        assert_eq!(wasm.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(wasm.headers()[header::CACHE_CONTROL], IMMUTABLE);
        assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(wasm.headers()[header::CONTENT_LENGTH], "3");
        let plain = assets.respond(&get, "app-0123456789abcdef_bg.wasm", None, &request(""));
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(plain.headers()[header::CONTENT_LENGTH], "4");
        // A page of the app (here a join link's, the learner's app) is never
        // cached without asking.
        let page = assets.respond(&get, "join/ABCD", None, &request("gzip"));
        assert!(page.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(page.headers()[header::CACHE_CONTROL], REVALIDATE);
        assert_eq!(
            page.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        // A join link is the lobby app, the start page the start app, a
        // console the console app; every other address the whole app.
        async fn body(r: Response) -> String {
            let bytes = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
            String::from_utf8(bytes.to_vec()).unwrap()
        }
        assert!(body(page).await.contains("learner"));
        let asked = assets.respond(&get, "join/ABCD", Some("x=1&app=whole"), &request(""));
        assert!(body(asked).await.contains("whole"));
        let start = assets.respond(&get, "", None, &request(""));
        assert!(body(start).await.contains("start"));
        let asked = assets.respond(&get, "", Some("app=whole"), &request(""));
        assert!(body(asked).await.contains("whole"));
        let console = assets.respond(&get, "host/ABCDEF", None, &request(""));
        assert!(body(console).await.contains("console"));
        let asked = assets.respond(&get, "host/ABCDEF", Some("app=whole"), &request(""));
        assert!(body(asked).await.contains("whole"));
        for path in ["room-view/ABCDEF", "hosting", "joinery", "nowhere/join/AB"] {
            let whole = assets.respond(&get, path, None, &request(""));
            assert!(body(whole).await.contains("whole"), "{path}");
        }
        // A missing file is not the page.
        let missing = assets.respond(&get, "nothing-here.js", None, &request(""));
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        let post = assets.respond(&Method::POST, "index.html", None, &request(""));
        assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    }

    #[test]
    fn an_unchanged_file_is_not_sent_again() {
        let assets = sample();
        let first = assets.respond(&Method::GET, "scenarios/a.toml", None, &request(""));
        let etag = first.headers()[header::ETAG].clone();
        let mut again = request("");
        again.insert(header::IF_NONE_MATCH, etag);
        let second = assets.respond(&Method::GET, "scenarios/a.toml", None, &again);
        assert_eq!(second.status(), StatusCode::NOT_MODIFIED);
        again.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        let changed = assets.respond(&Method::GET, "scenarios/a.toml", None, &again);
        assert_eq!(changed.status(), StatusCode::OK);
    }
}

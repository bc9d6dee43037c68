//! Deployed as IT would: behind a reverse proxy under a sub-path, with the
//! app's files compressed and cached as a phone on mobile data needs them.
//! Spoken to in raw HTTP, as a proxy or a browser would.

mod common;

use std::time::Duration;

use common::Server;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One request, the whole answer (headers lower-cased, body as bytes).
async fn exchange(server: &Server, request: &str) -> (String, Vec<u8>) {
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut buf)).await;
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&buf[..split]).to_lowercase();
    (head, buf[split + 4..].to_vec())
}

fn get(path: &str, headers: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: upstream\r\n{headers}Connection: close\r\n\r\n")
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .map(str::trim)
}

/// A built app as Trunk and `cargo xtask dist` leave it: relative links,
/// hashed names, encodings beside the files.
fn built_app(dir: &std::path::Path) {
    std::fs::write(
        dir.join("index.html"),
        "<html><head><base href=\"/\" /><script type=\"module\">import init from './app-0123456789abcdef.js'; init();</script></head></html>",
    )
    .unwrap();
    std::fs::write(
        dir.join("app-0123456789abcdef.js"),
        "export default function init() {}",
    )
    .unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js.br"), "BROTLI").unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js.gz"), "GZIP").unwrap();
    std::fs::create_dir(dir.join("scenarios")).unwrap();
    std::fs::write(dir.join("scenarios/a.toml"), "title = \"A\"").unwrap();
}

#[tokio::test]
async fn behind_a_proxy_under_a_sub_path() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    std::fs::create_dir(&app).unwrap();
    built_app(&app);
    let server = Server::start_on(
        dir.path().join("rooms.sqlite3"),
        &[
            "--static-dir",
            app.to_str().unwrap(),
            "--public-url",
            "https://intranet.example/tools/riskroom",
        ],
    );
    // The page points at the sub-path, whether the proxy passes the prefix
    // on or strips it.
    for path in [
        "/tools/riskroom/join/ABCDEF",
        "/join/ABCDEF",
        "/tools/riskroom",
    ] {
        let (head, body) = exchange(&server, &get(path, "")).await;
        assert!(head.starts_with("http/1.1 200"), "{path}: {head}");
        let html = String::from_utf8(body).unwrap();
        assert!(
            html.contains("<base href=\"/tools/riskroom/\" />"),
            "{path}: {html}"
        );
    }
    let (head, body) = exchange(&server, &get("/tools/riskroom/scenarios/a.toml", "")).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(body, b"title = \"A\"");
    let (head, _) = exchange(&server, &get("/tools/riskroom/api/site", "")).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    // Not below the base path: `/tools/riskroomX` is another path.
    let (head, _) = exchange(&server, &get("/tools/riskroomX/a.js", "")).await;
    assert!(head.starts_with("http/1.1 404"), "{head}");

    // The WebSocket through a proxy that sets Host to its upstream (nginx's
    // default): the public URL's origin, or the forwarded host, opens it.
    let upgrade = |path: &str, origin: &str, forwarded: &str| {
        format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\n{forwarded}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
            port = server.addr.port()
        )
    };
    let status = |request: String| {
        let addr = server.addr;
        async move {
            let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut buf = vec![0u8; 1024];
            let n = tokio::time::timeout(Duration::from_secs(3), stream.read(&mut buf))
                .await
                .unwrap()
                .unwrap();
            String::from_utf8_lossy(&buf[..n])
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned()
        }
    };
    for path in ["/tools/riskroom/ws", "/ws"] {
        let line = status(upgrade(path, "https://intranet.example", "")).await;
        assert_eq!(line, "HTTP/1.1 101 Switching Protocols", "{path}");
    }
    let forwarded = status(upgrade(
        "/ws",
        "https://riskroom.example:8443",
        "X-Forwarded-Host: riskroom.example:8443\r\n",
    ))
    .await;
    assert_eq!(forwarded, "HTTP/1.1 101 Switching Protocols");
    let rfc7239 = status(upgrade(
        "/ws",
        "https://other.example",
        "Forwarded: for=10.0.0.1;host=other.example;proto=https\r\n",
    ))
    .await;
    assert_eq!(rfc7239, "HTTP/1.1 101 Switching Protocols");
    // Another site's page stays out, whatever the proxy forwarded.
    let evil = status(upgrade(
        "/ws",
        "https://evil.example",
        "X-Forwarded-Host: intranet.example\r\n",
    ))
    .await;
    assert_eq!(evil, "HTTP/1.1 403 Forbidden");
}

#[tokio::test]
async fn files_are_compressed_and_cached_by_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    std::fs::create_dir(&app).unwrap();
    built_app(&app);
    let server = Server::start_on(
        dir.path().join("rooms.sqlite3"),
        &["--static-dir", app.to_str().unwrap()],
    );
    let script = "/app-0123456789abcdef.js";
    let (head, body) = exchange(
        &server,
        &get(script, "Accept-Encoding: gzip, deflate, br\r\n"),
    )
    .await;
    assert_eq!(header(&head, "content-encoding"), Some("br"));
    assert_eq!(body, b"BROTLI");
    assert_eq!(
        header(&head, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(header(&head, "vary"), Some("accept-encoding"));
    assert_eq!(
        header(&head, "content-type"),
        Some("text/javascript; charset=utf-8")
    );
    let (head, body) = exchange(&server, &get(script, "Accept-Encoding: gzip\r\n")).await;
    assert_eq!(header(&head, "content-encoding"), Some("gzip"));
    assert_eq!(body, b"GZIP");
    let (head, body) = exchange(&server, &get(script, "")).await;
    assert_eq!(header(&head, "content-encoding"), None);
    assert_eq!(body, b"export default function init() {}");

    // The page and unhashed files are asked after each time; unchanged,
    // they are not sent again.
    let (head, _) = exchange(&server, &get("/", "Accept-Encoding: br\r\n")).await;
    assert_eq!(header(&head, "cache-control"), Some("no-cache"));
    let (head, _) = exchange(&server, &get("/scenarios/a.toml", "")).await;
    assert_eq!(header(&head, "cache-control"), Some("no-cache"));
    let etag = header(&head, "etag").unwrap().to_owned();
    let (head, body) = exchange(
        &server,
        &get("/scenarios/a.toml", &format!("If-None-Match: {etag}\r\n")),
    )
    .await;
    assert!(head.starts_with("http/1.1 304"), "{head}");
    assert!(body.is_empty());

    // Answers of the API are never kept.
    for path in ["/api/site", "/api/scenarios", "/healthz"] {
        let (head, _) = exchange(&server, &get(path, "")).await;
        assert_eq!(header(&head, "cache-control"), Some("no-store"), "{path}");
    }
    // A missing file is a 404, not the page.
    let (head, _) = exchange(&server, &get("/app-ffffffffffffffff.js", "")).await;
    assert!(head.starts_with("http/1.1 404"), "{head}");
}

#[test]
fn a_base_path_and_a_public_url_are_one_setting() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_riskroom-server"))
        .args([
            "--public-url",
            "https://intranet.example/a/",
            "--base-path",
            "/b/",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("--base-path"), "{text}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_riskroom-server"))
        .args(["--base-path", "/a b/"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not a path like /tools/riskroom/"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

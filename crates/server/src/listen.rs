//! Accepting connections: at most so many open at once from one network
//! address, HTTP/1.1 with a deadline for each request's headers, WebSocket
//! upgrades, and a graceful shutdown. (`axum::serve` sets no timer, so
//! hyper's header timeout never runs under it.)

use std::collections::HashMap;
use std::io;
use std::net::IpAddr;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How connections are bounded.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Connections open at once from one address (WebSockets included).
    pub per_address: usize,
    /// Time a client has to send each request's headers, idle keep-alive
    /// included.
    pub header_timeout: Duration,
}

/// Serves `app` on `listener` until `shutdown`, then lets requests in
/// flight finish (for up to ten seconds).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    bounds: Bounds,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let open = Arc::new(Open::new(bounds.per_address));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(bounds.header_timeout);
    let (signal_tx, signal_rx) = watch::channel(());
    let (close_tx, close_rx) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was taken: wait a moment rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(ticket) = open.enter(peer.ip()) else {
            tracing::debug!(%peer, "refused a connection: too many open from this address");
            drop(stream);
            continue;
        };
        // Small real-time messages must not wait for Nagle's algorithm.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            tower_service::Service::call(&mut app.clone(), request)
        });
        let io = TokioIo::new(Counted {
            stream,
            _ticket: ticket,
        });
        let connection = http.serve_connection(io, service).with_upgrades();
        let mut signal = signal_rx.clone();
        let close = close_rx.clone();
        tokio::spawn(async move {
            let mut connection = pin!(connection);
            loop {
                tokio::select! {
                    result = connection.as_mut() => {
                        if let Err(e) = result {
                            tracing::debug!(%peer, error = %e, "connection ended");
                        }
                        break;
                    }
                    _ = signal.changed() => connection.as_mut().graceful_shutdown(),
                }
            }
            drop(close);
        });
    }
    drop(listener);
    drop(signal_rx);
    drop(close_rx);
    let _ = signal_tx.send(());
    // Upgraded connections (WebSockets) are not waited for, as under
    // `axum::serve`; requests in flight are, for a while.
    let _ = tokio::time::timeout(Duration::from_secs(10), close_tx.closed()).await;
    Ok(())
}

/// Connections open per address.
#[derive(Debug)]
struct Open {
    cap: usize,
    by_address: Mutex<HashMap<IpAddr, usize>>,
}

impl Open {
    fn new(cap: usize) -> Self {
        Self {
            cap: cap.max(1),
            by_address: Mutex::new(HashMap::new()),
        }
    }

    /// A ticket for one more connection from `address`, if it is under the cap.
    fn enter(self: &Arc<Self>, address: IpAddr) -> Option<Ticket> {
        let mut open = self.by_address.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(address).or_insert(0);
        if *count >= self.cap {
            return None;
        }
        *count += 1;
        Some(Ticket {
            open: Arc::clone(self),
            address,
        })
    }
}

/// One open connection, counted until dropped.
#[derive(Debug)]
struct Ticket {
    open: Arc<Open>,
    address: IpAddr,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut open = self
            .open
            .by_address
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// A TCP stream that holds its ticket: it travels with the stream into a
/// WebSocket upgrade, so a WebSocket counts as long as it is open.
struct Counted {
    stream: TcpStream,
    _ticket: Ticket,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

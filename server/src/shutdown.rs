//! Graceful restarts: at SIGTERM no connection that reached the server is cut without an
//! answer. axum's own graceful shutdown drops its listener at once (the connections still in
//! the kernel's queue are reset) and closes every connection whose first bytes it has not read
//! yet (hyper's version detection is cancelled), even when its request is already on the way:
//! under a burst, a few clients got a reset with no answer. Here the listener, when told to
//! stop, first takes every connection already queued, then closes (new connections are
//! refused); axum is told to shut down only once each accepted connection has had its first
//! read (its request is then answered in full), or after [`SETTLE`] for a client that connects
//! and sends nothing.
use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// The longest the shutdown waits for a connection accepted but silent to send its request.
pub const SETTLE: Duration = Duration::from_secs(1);

/// A TCP listener that, once `stop` turns true, hands out the connections already queued and
/// then closes.
pub struct DrainingListener {
    listener: Option<TcpListener>,
    queued: VecDeque<(TcpStream, SocketAddr)>,
    stop: watch::Receiver<bool>,
    unread: Arc<AtomicUsize>,
}

impl DrainingListener {
    pub fn new(listener: TcpListener, stop: watch::Receiver<bool>) -> Self {
        DrainingListener {
            listener: Some(listener),
            queued: VecDeque::new(),
            stop,
            // The open listener counts as one: nothing is settled before it has been drained.
            unread: Arc::new(AtomicUsize::new(1)),
        }
    }

    /// Accepted connections whose first read has not happened yet, plus one while the
    /// listener has not been drained.
    pub fn unread(&self) -> Arc<AtomicUsize> {
        self.unread.clone()
    }

    /// Takes what the kernel has queued, without waiting, then closes the socket.
    fn drain_and_close(&mut self) {
        let Some(listener) = self.listener.take() else {
            return;
        };
        self.drain(listener);
        self.unread.fetch_sub(1, Ordering::SeqCst);
    }

    fn drain(&mut self, listener: TcpListener) {
        let listener = match listener.into_std() {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "arrêt : file d'attente des connexions perdue");
                return;
            }
        };
        loop {
            match listener.accept() {
                Ok((stream, addr)) => {
                    let stream = stream
                        .set_nonblocking(true)
                        .and_then(|()| TcpStream::from_std(stream));
                    match stream {
                        Ok(stream) => {
                            // Unread from now on: axum may not have asked for it yet when
                            // `settled` looks.
                            self.unread.fetch_add(1, Ordering::SeqCst);
                            self.queued.push_back((stream, addr));
                        }
                        Err(error) => tracing::warn!(%error, "arrêt : connexion en attente perdue"),
                    }
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => break,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    tracing::warn!(%error, "arrêt : file d'attente des connexions");
                    break;
                }
            }
        }
        // Dropped here: from now on, connections are refused.
    }

    /// A connection handed to axum, counted as unread (`counted`: already).
    fn track(
        &self,
        (stream, addr): (TcpStream, SocketAddr),
        counted: bool,
    ) -> (Tracked, SocketAddr) {
        if !counted {
            self.unread.fetch_add(1, Ordering::SeqCst);
        }
        let tracked = Tracked {
            stream,
            unread: Some(self.unread.clone()),
        };
        (tracked, addr)
    }
}

impl axum::serve::Listener for DrainingListener {
    type Io = Tracked;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            if let Some(queued) = self.queued.pop_front() {
                return self.track(queued, true);
            }
            if *self.stop.borrow() {
                self.drain_and_close();
                if let Some(queued) = self.queued.pop_front() {
                    return self.track(queued, true);
                }
                // Closed: axum stops asking once told to shut down.
                std::future::pending::<()>().await;
            }
            let Some(listener) = &self.listener else {
                std::future::pending::<()>().await;
                continue;
            };
            let accepted = tokio::select! {
                accepted = listener.accept() => Some(accepted),
                _ = self.stop.wait_for(|stopped| *stopped) => None,
            };
            match accepted {
                Some(Ok(accepted)) => return self.track(accepted, false),
                Some(Err(error)) => {
                    // Out of file descriptors and the like: wait a little, as axum does.
                    tracing::error!(%error, "connexion refusée");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                None => {}
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        match &self.listener {
            Some(listener) => listener.local_addr(),
            None => Err(io::Error::new(io::ErrorKind::NotConnected, "closed")),
        }
    }
}

/// Resolves once every accepted connection has had its first read, or after `bound`.
pub async fn settled(unread: &AtomicUsize, bound: Duration) {
    let deadline = tokio::time::Instant::now() + bound;
    while unread.load(Ordering::SeqCst) > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// A connection that counts itself out of "unread" at its first read (data, end or error) or
/// when it is dropped.
pub struct Tracked {
    stream: TcpStream,
    unread: Option<Arc<AtomicUsize>>,
}

impl Tracked {
    fn read_once(&mut self) {
        if let Some(unread) = self.unread.take() {
            unread.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.read_once();
    }
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.stream).poll_read(cx, buf);
        if poll.is_ready() {
            self.read_once();
        }
        poll
    }
}

impl AsyncWrite for Tracked {
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

//! Response bodies written by blocking code (serializers, decoders) and sent as they are
//! written, in 64 kB chunks, through a small channel: a large body is never held whole.
use axum::body::{Body, Bytes};

/// A body written on a blocking thread by `write`, sent in 64 kB chunks as they fill: never
/// held whole. A failure ends the body in an error: the client sees a cut response, and the
/// page cache keeps nothing.
pub fn body(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()> + Send + 'static,
) -> Body {
    let (chunks, received) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let failed = chunks.clone();
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, ChunkWriter { chunks, runtime });
        let written = write(&mut out);
        match written.and_then(|_| std::io::Write::flush(&mut out)) {
            Ok(()) => {}
            // The client is gone (the channel closed): nothing to report.
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
            // The client stopped reading: the writer lets go of what it held (a database
            // snapshot, a connection of the pool) and the response is cut.
            Err(error) if error.kind() == std::io::ErrorKind::TimedOut => {
                tracing::info!("streamed body: the client stopped reading, response cut");
            }
            Err(error) => {
                tracing::error!(%error, "streamed body: writing failed");
                // What is buffered is dropped, then the body ends in the error.
                drop(out.into_parts());
                let _ = failed.blocking_send(Err(error));
            }
        }
    });
    // Fused: the compression layer reads the stream once more after its end, which a bare
    // `unfold` answers with a panic (the response cut for signed-in visitors, whose bodies
    // are compressed on the fly rather than kept by the page cache).
    Body::from_stream(futures_util::StreamExt::fuse(futures_util::stream::unfold(
        received,
        |mut received| async move { received.recv().await.map(|chunk| (chunk, received)) },
    )))
}

/// The longest a streamed body waits for its client to take the next chunk. A reader slower
/// than 64 kB in this time is cut, so that no client holds a database connection at will.
pub const SLOW_READER: std::time::Duration = std::time::Duration::from_secs(30);

/// Hands each buffer written to it to a channel, as one chunk of a streamed body.
struct ChunkWriter {
    chunks: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    runtime: tokio::runtime::Handle,
}

impl std::io::Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let chunk = Ok(Bytes::copy_from_slice(bytes));
        match self
            .runtime
            .block_on(tokio::time::timeout(SLOW_READER, self.chunks.send(chunk)))
        {
            Ok(Ok(())) => Ok(bytes.len()),
            Ok(Err(_closed)) => Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe)),
            Err(_elapsed) => Err(std::io::Error::from(std::io::ErrorKind::TimedOut)),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

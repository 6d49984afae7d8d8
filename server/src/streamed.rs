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
    tokio::task::spawn_blocking(move || {
        let failed = chunks.clone();
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, ChunkWriter(chunks));
        let written = write(&mut out);
        match written.and_then(|_| std::io::Write::flush(&mut out)) {
            Ok(()) => {}
            // The client is gone (the channel closed): nothing to report.
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {}
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

/// Hands each buffer written to it to a channel, as one chunk of a streamed body.
struct ChunkWriter(tokio::sync::mpsc::Sender<std::io::Result<Bytes>>);

impl std::io::Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .blocking_send(Ok(Bytes::copy_from_slice(bytes)))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

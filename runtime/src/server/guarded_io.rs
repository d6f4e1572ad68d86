//! A connection's socket with two timers hyper does not have: a write that makes no
//! progress for `write_timeout` fails (a client that never reads its answer cannot keep it
//! in memory), and a connection on which no byte moves either way for `idle_timeout` fails
//! its next read (an HTTP/2 connection left open, or one that never sends a request).
//! Either failure ends the connection, and with it everything it held.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{sleep, Instant, Sleep};

/// The socket `T` with a write timeout and an idle timeout.
pub(crate) struct GuardedIo<T> {
    inner: T,
    write_timeout: Duration,
    idle_timeout: Duration,
    /// Armed while a write is pending; reset when it makes progress.
    write_deadline: Option<Pin<Box<Sleep>>>,
    /// Always armed: `idle_timeout` after the last byte read or written.
    idle_deadline: Pin<Box<Sleep>>,
}

impl<T> GuardedIo<T> {
    pub(crate) fn new(inner: T, write_timeout: Duration, idle_timeout: Duration) -> Self {
        Self {
            inner,
            write_timeout,
            idle_timeout,
            write_deadline: None,
            idle_deadline: Box::pin(sleep(idle_timeout)),
        }
    }

    /// Bytes moved: the connection is not idle.
    fn active(&mut self) {
        let next = Instant::now() + self.idle_timeout;
        self.idle_deadline.as_mut().reset(next);
    }

    /// After a write returned `Pending`: fails once it has been pending for the timeout.
    fn poll_write_deadline(&mut self, cx: &mut Context<'_>) -> Poll<io::Error> {
        let write_timeout = self.write_timeout;
        let deadline = self
            .write_deadline
            .get_or_insert_with(|| Box::pin(sleep(write_timeout)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client read nothing of the answer within the write timeout",
            )),
            Poll::Pending => Poll::Pending,
        }
    }

    /// The outcome of a write or flush: progress disarms the write timer.
    fn written<R>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<R>>,
    ) -> Poll<io::Result<R>> {
        match poll {
            Poll::Ready(result) => {
                self.write_deadline = None;
                self.active();
                Poll::Ready(result)
            }
            Poll::Pending => match self.poll_write_deadline(cx) {
                Poll::Ready(error) => Poll::Ready(Err(error)),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for GuardedIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    self.active();
                }
                Poll::Ready(result)
            }
            Poll::Pending => match self.idle_deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the connection was idle for the idle timeout",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for GuardedIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.written(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.written(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.written(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.written(cx, poll)
    }
}

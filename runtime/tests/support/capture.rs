//! Everything the code under test writes to `tracing` (and to `log`, bridged), at TRACE, in
//! one buffer the test can search.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        let bytes = self.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

pub struct CapturedWriter(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut bytes) = self.0.lock() {
            bytes.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = CapturedWriter;
    fn make_writer(&'a self) -> Self::Writer {
        CapturedWriter(Arc::clone(&self.0))
    }
}

/// A subscriber writing every event, with its spans' fields, to `captured`; install it with
/// `tracing::subscriber::set_default` (this thread; the tests run on a current-thread runtime).
pub fn subscriber(captured: &Captured) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(captured.clone())
        .finish()
}

/// Everything any test of this binary traces, from the first call on.
///
/// One global subscriber rather than one per test: tests run on parallel threads, and
/// tracing caches per call site whether anyone listens, so a subscriber scoped to one
/// thread can miss events whose call site another thread reached first.
pub fn capture_all() -> Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let _ = tracing_log::LogTracer::init();
            let _ = tracing::subscriber::set_global_default(subscriber(&captured));
            captured
        })
        .clone()
}

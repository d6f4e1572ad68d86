//! The correlation id of the request being served, carried through every call it causes.
//!
//! A server sets it per request with [`scope`]; clients read it with [`current`] and forward it
//! as [`CORRELATION_HEADER`], so one id follows a request across every service it touches and
//! every log line about it can be found together. It is a Tokio task-local rather than a
//! global or a thread-local because requests share threads but each runs in its own task.

use std::future::Future;

/// The header that carries the id between services.
pub const CORRELATION_HEADER: &str = "x-correlation-id";

/// The longest id accepted from outside; longer ones are replaced so a caller cannot bloat
/// every log line.
pub const MAX_LEN: usize = 128;

tokio::task_local! {
    static CURRENT: String;
}

/// The id of the request being served, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// Runs `future` with `id` as the [`current`] correlation id.
pub async fn scope<F: Future>(id: String, future: F) -> F::Output {
    CURRENT.scope(id, future).await
}

/// A fresh id (a UUID v4).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Whether `id` is fit to forward and log: 1 to 128 characters of `A-Z a-z 0-9 . _ : -`.
///
/// The narrow alphabet keeps ids from splitting headers, forging log lines or carrying
/// markup; anything else is replaced by a fresh id.
pub fn is_valid(id: &str) -> bool {
    (1..=MAX_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_is_length_and_alphabet() {
        assert!(is_valid("abc-123"));
        assert!(is_valid("req:1.2_3"));
        assert!(is_valid(&"a".repeat(MAX_LEN)));
        assert!(is_valid(&new_id()));
        assert!(!is_valid(""));
        assert!(!is_valid(&"a".repeat(MAX_LEN + 1)));
        assert!(!is_valid("abc\r\nx-api-key: 1"));
        assert!(!is_valid("abc\u{0}"));
        assert!(!is_valid("a b"));
        assert!(!is_valid("é"));
    }

    #[tokio::test]
    async fn scope_sets_current_only_inside() {
        assert_eq!(current(), None);
        let inside = scope("abc-123".to_owned(), async { current() }).await;
        assert_eq!(inside.as_deref(), Some("abc-123"));
        assert_eq!(current(), None);
    }

    #[test]
    fn new_ids_differ() {
        assert_ne!(new_id(), new_id());
    }
}

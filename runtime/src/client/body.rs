//! Reading an answer's body without ever holding more than a cap.

use reqwest::Response;

/// A body read up to a cap.
pub(crate) enum Capped {
    Whole(Vec<u8>),
    /// Longer than the cap (by its `Content-Length`, or found while streaming); reading stopped.
    TooLarge,
}

/// Reads `response`'s body, refusing up front one whose `Content-Length` is over `cap` and
/// stopping a streamed (chunked or lying) one as soon as it passes `cap`. At most `cap` bytes
/// are kept, plus the one chunk in hand that crossed it (bounded by the HTTP stack's read
/// buffer). Dropping the response afterwards closes the connection rather than draining it.
pub(crate) async fn read_capped(response: &mut Response, cap: usize) -> reqwest::Result<Capped> {
    let declared = response.content_length();
    if declared.is_some_and(|length| length > cap as u64) {
        return Ok(Capped::TooLarge);
    }
    let expected = declared.map_or(0, |length| length as usize);
    let mut body = Vec::with_capacity(expected.min(cap));
    // Each chunk is non-empty until the end, and the per-attempt timeout bounds the wait.
    while let Some(chunk) = response.chunk().await? {
        if chunk.len() > cap - body.len() {
            return Ok(Capped::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Capped::Whole(body))
}

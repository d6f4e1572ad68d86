//! What makes two keyed requests "the same request": the fingerprint stored with a key.
//!
//! SHA-256 over the method, the target and the body. A JSON body counts by its value, not
//! its bytes: it is digested in a canonical form (object keys sorted, no insignificant
//! whitespace, strings escaped as serde_json escapes them, numbers as parsed), so a client
//! that re-serialises the same body on a retry — another key order, other spacing — gets
//! the first answer instead of `IDEMPOTENCY_KEY_REUSED`. A body that is not JSON (or is
//! empty) counts by its bytes. `1` and `1.0` stay different bodies: they parse to different
//! numbers, and a handler may tell them apart.

use std::fmt::Write as _;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The fingerprint of one request, as 64 lower-case hex digits.
pub(crate) fn fingerprint(method: &str, target: &str, body: &[u8]) -> String {
    let canonical = canonical_json(body);
    // The form is part of the digest, so a JSON body and raw bytes never share one.
    let (form, body): (&[u8], &[u8]) = match &canonical {
        Some(canonical) => (b"json", canonical.as_bytes()),
        None => (b"bytes", body),
    };
    let mut digest = Sha256::new();
    for part in [method.as_bytes(), target.as_bytes(), form, body] {
        // Lengths first: moving bytes from one part to the next changes the digest.
        digest.update((part.len() as u64).to_be_bytes());
        digest.update(part);
    }
    digest
        .finalize()
        .iter()
        .fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// The canonical text of `body` when it is one JSON value; `None` otherwise.
fn canonical_json(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let mut out = String::with_capacity(body.len());
    write_canonical(&value, &mut out);
    Some(out)
}

/// Writes `value` with every object's keys sorted by their UTF-8 bytes, whatever order the
/// map keeps (serde_json's `preserve_order` may be on through another crate).
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(object) => {
            let mut entries: Vec<(&String, &Value)> = object.iter().collect();
            entries.sort_unstable_by(|(a, _), (b, _)| a.as_bytes().cmp(b.as_bytes()));
            out.push('{');
            for (index, (key, value)) in entries.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_canonical(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::String(text) => write_string(text, out),
        // Null, booleans and numbers print in one form only.
        scalar => {
            let _ = write!(out, "{scalar}");
        }
    }
}

fn write_string(text: &str, out: &mut String) {
    let _ = write!(out, "{}", Value::String(text.to_owned()));
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAYMENTS: &str = "/internal/payments";

    #[test]
    fn fingerprints_tell_requests_apart() {
        let a = fingerprint("POST", PAYMENTS, br#"{"amount":1}"#);
        assert_eq!(a, fingerprint("POST", PAYMENTS, br#"{"amount":1}"#));
        assert_ne!(a, fingerprint("POST", PAYMENTS, br#"{"amount":2}"#));
        assert_ne!(a, fingerprint("PUT", PAYMENTS, br#"{"amount":1}"#));
        // Lengths are part of the digest: moving bytes between parts changes it.
        assert_ne!(
            fingerprint("POST", "/a", b"bc"),
            fingerprint("POST", "/ab", b"c")
        );
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn the_same_json_value_reformatted_has_one_fingerprint() {
        let compact = fingerprint(
            "POST",
            PAYMENTS,
            br#"{"amount":1,"note":{"b":[1,2],"a":"\u00e9"}}"#,
        );
        let reformatted = r#"{
            "note" : { "a": "é", "b": [ 1, 2 ] },
            "amount": 1
        }"#;
        assert_eq!(
            compact,
            fingerprint("POST", PAYMENTS, reformatted.as_bytes())
        );
        // Array order and number forms are part of the value.
        assert_ne!(
            compact,
            fingerprint(
                "POST",
                PAYMENTS,
                br#"{"amount":1,"note":{"b":[2,1],"a":"\u00e9"}}"#
            )
        );
        assert_ne!(
            fingerprint("POST", PAYMENTS, br#"{"amount":1}"#),
            fingerprint("POST", PAYMENTS, br#"{"amount":1.0}"#)
        );
    }

    #[test]
    fn a_body_that_is_not_json_counts_by_its_bytes() {
        let text = fingerprint("POST", PAYMENTS, b"amount=1");
        assert_eq!(text, fingerprint("POST", PAYMENTS, b"amount=1"));
        assert_ne!(text, fingerprint("POST", PAYMENTS, b"amount=1 "));
        assert_ne!(
            fingerprint("POST", PAYMENTS, b""),
            fingerprint("POST", PAYMENTS, b" ")
        );
        // Not JSON: trailing bytes after a value make it bytes, not the value.
        assert_ne!(
            fingerprint("POST", PAYMENTS, br#"{"amount":1}x"#),
            fingerprint("POST", PAYMENTS, br#"{"amount":1}"#)
        );
    }
}

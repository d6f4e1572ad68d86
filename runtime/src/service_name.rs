//! The name a service calls itself by (`x-service-name`): sent by every client, required and
//! checked against allow-lists by every server.

/// The header that names the calling service.
pub const SERVICE_NAME_HEADER: &str = "x-service-name";

/// Whether `name` is fit to be a service name: 1 to 64 of `A-Z a-z 0-9 . _ -`.
///
/// It is a header value, a log and span field and an identity matched against allow-lists,
/// so the alphabet is narrow enough that it can neither split a header nor forge a log line.
pub(crate) fn check_service_name(name: &str) -> Result<(), String> {
    let fits = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if fits {
        Ok(())
    } else {
        Err("must be 1 to 64 characters of A-Z a-z 0-9 . _ -".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_short_and_plain() {
        assert!(check_service_name("session-service_2.a").is_ok());
        assert!(check_service_name(&"a".repeat(64)).is_ok());
        for bad in ["", "a b", "a\r\nb", "é", "a/b"] {
            assert!(check_service_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_service_name(&"a".repeat(65)).is_err());
    }
}

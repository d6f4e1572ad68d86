//! Checkers for the string formats of JSON Schema 2020-12 (§7.3 of the validation vocabulary).
//!
//! Each format has one `is_<name>` function (hyphens become underscores), [`KNOWN_FORMATS`] lists
//! the names as schemas spell them, and [`check`] dispatches by name. Every checker takes any
//! `&str` and returns a plain `bool`: none allocates more than a copy of its input, and none
//! panics.
//!
//! The checkers follow the RFCs each format cites, and are held to the official JSON Schema Test
//! Suite (`tests/conformance/tests/format_suite.rs` in the repository). Where a format is
//! defined by a large external standard, a well-kept crate does the work:
//!
//! * `uri`, `uri-reference`, `iri`, `iri-reference`: [`iri_string`], a strict RFC 3986/3987
//!   parser (no WHATWG-style repairs).
//! * `regex`: [`regress`], a parser for ECMAScript regular expressions, used in Unicode (`u`)
//!   mode: JSON Schema patterns are ECMA-262, which the `regex` crate is not (it has no
//!   lookbehind or backreferences, and accepts `(?i)` and `\a`, which ECMA-262 rejects).
//! * `idn-hostname` and A-labels in `hostname`: IDNA2008 (RFC 5891–5893), with Punycode from
//!   [`idna`] and Unicode character properties from [`icu_properties`]/[`icu_normalizer`]. The
//!   `idna` crate's own validation is UTS #46, which maps and accepts much that IDNA2008 forbids,
//!   so the RFC 5892 derivation is done here; see [`is_idn_hostname`] for the approximation.
//! * `ipv4` and `ipv6`: [`std::net`], whose parsers are exactly the RFC text forms (dotted quad
//!   without leading zeros; RFC 4291 with an embedded dotted quad; no zone id).
//!
//! Dates, times, durations, e-mail addresses, URI templates, JSON pointers and UUIDs have short
//! grammars and are parsed here by hand.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use icu_normalizer::ComposingNormalizerBorrowed;
use iri_string::spec::{IriSpec, UriSpec};

/// The format names this module checks, exactly as a schema writes them.
pub const KNOWN_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "uuid",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Checks `s` against the format named `format`; `None` when the format is unknown.
///
/// JSON Schema says an unknown format must not fail validation, so callers treat `None` as a
/// pass (or report that the format is not checked), never as a failure.
pub fn check(format: &str, s: &str) -> Option<bool> {
    let checker: fn(&str) -> bool = match format {
        "date-time" => is_date_time,
        "date" => is_date,
        "time" => is_time,
        "duration" => is_duration,
        "email" => is_email,
        "idn-email" => is_idn_email,
        "hostname" => is_hostname,
        "idn-hostname" => is_idn_hostname,
        "ipv4" => is_ipv4,
        "ipv6" => is_ipv6,
        "uri" => is_uri,
        "uri-reference" => is_uri_reference,
        "iri" => is_iri,
        "iri-reference" => is_iri_reference,
        "uri-template" => is_uri_template,
        "uuid" => is_uuid,
        "json-pointer" => is_json_pointer,
        "relative-json-pointer" => is_relative_json_pointer,
        "regex" => is_regex,
        _ => return None,
    };
    Some(checker(s))
}

// ---------------------------------------------------------------------------------------------
// Dates and times: RFC 3339 §5.6 and Appendix A.

/// RFC 3339 `date-time`: `full-date "T" full-time`.
///
/// `T` and `Z` may be lower case (RFC 3339 §5.6 note). A leap second (`:60`) is accepted only
/// where it can occur: at 23:59 UTC once the offset is applied. Which days actually had a leap
/// second is not checked — that is a published table, not syntax, and it grows.
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.get(..10), b.get(10), b.get(11..)) {
        (Some(date), Some(b'T' | b't'), Some(time)) => full_date(date) && full_time(time),
        _ => false,
    }
}

/// RFC 3339 `full-date`: `YYYY-MM-DD` with a day that exists in that month (Gregorian leap
/// years included). Exactly four ASCII digits of year: no sign, no extended years.
pub fn is_date(s: &str) -> bool {
    full_date(s.as_bytes())
}

/// RFC 3339 `full-time`: `HH:MM:SS[.fraction]` followed by `Z` or a `±HH:MM` offset, which is
/// required. See [`is_date_time`] for leap seconds.
pub fn is_time(s: &str) -> bool {
    full_time(s.as_bytes())
}

/// The value of a run of ASCII digits (`None` if empty, if anything else is in it, or if it does
/// not fit in a `u32`).
fn ascii_number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u32, |acc, &d| {
        if d.is_ascii_digit() {
            acc.checked_mul(10)?.checked_add(u32::from(d - b'0'))
        } else {
            None
        }
    })
}

fn full_date(b: &[u8]) -> bool {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = b else {
        return false;
    };
    match (
        ascii_number(&[y0, y1, y2, y3]),
        ascii_number(&[m0, m1]),
        ascii_number(&[d0, d1]),
    ) {
        (Some(year), Some(month), Some(day)) => day >= 1 && day <= days_in_month(year, month),
        _ => false,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

fn full_time(b: &[u8]) -> bool {
    let &[h0, h1, b':', m0, m1, b':', s0, s1, ref rest @ ..] = b else {
        return false;
    };
    let (Some(hour), Some(minute), Some(second)) = (
        ascii_number(&[h0, h1]),
        ascii_number(&[m0, m1]),
        ascii_number(&[s0, s1]),
    ) else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    // time-secfrac = "." 1*DIGIT
    let rest = match rest {
        [b'.', fraction @ ..] => {
            let digits = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
            if digits == 0 {
                return false;
            }
            fraction.get(digits..).unwrap_or_default()
        }
        _ => rest,
    };
    // time-offset = "Z" / ("+" / "-") time-hour ":" time-minute
    let offset_minutes: i64 = match *rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), oh0, oh1, b':', om0, om1] => {
            match (ascii_number(&[oh0, oh1]), ascii_number(&[om0, om1])) {
                (Some(oh), Some(om)) if oh <= 23 && om <= 59 => {
                    let magnitude = i64::from(oh * 60 + om);
                    if sign == b'-' {
                        -magnitude
                    } else {
                        magnitude
                    }
                }
                _ => return false,
            }
        }
        _ => return false,
    };
    if second == 60 {
        // Local time = UTC + offset, so UTC = local - offset; a leap second ends a UTC day.
        let utc = (i64::from(hour * 60 + minute) - offset_minutes).rem_euclid(24 * 60);
        return utc == 23 * 60 + 59;
    }
    true
}

/// RFC 3339 Appendix A `duration` (ISO 8601 durations as JSON Schema uses them).
///
/// `P` then date units in the order `Y M D`, optionally `T` and time units in the order `H M S`;
/// or weeks alone (`P2W`). The grammar admits only contiguous runs (`P1Y2M`, not `P1Y2D`;
/// `PT1M2S`, not `PT1H2S`), integers only (no `PT0.5S`), no sign, and upper-case designators
/// as ISO 8601 writes them.
pub fn is_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    let Some(date_units) = duration_units(date) else {
        return false;
    };
    let time_units = match time.map(duration_units) {
        None => None,
        Some(Some(units)) if !units.is_empty() => Some(units),
        Some(_) => return false,
    };
    if date_units == b"W" {
        return time_units.is_none();
    }
    let date_ok = matches!(
        date_units.as_slice(),
        b"" | b"D" | b"M" | b"MD" | b"Y" | b"YM" | b"YMD"
    );
    let time_ok = match &time_units {
        None => !date_units.is_empty(),
        Some(units) => matches!(
            units.as_slice(),
            b"H" | b"HM" | b"HMS" | b"M" | b"MS" | b"S"
        ),
    };
    date_ok && time_ok
}

/// The designators of `1*DIGIT designator` repeated; `None` if the text is not of that shape.
fn duration_units(s: &str) -> Option<Vec<u8>> {
    let mut units = Vec::new();
    let mut rest = s.as_bytes();
    while !rest.is_empty() {
        let digits = rest.iter().take_while(|d| d.is_ascii_digit()).count();
        let (&unit, tail) = rest.get(digits..)?.split_first()?;
        if digits == 0 {
            return None;
        }
        units.push(unit);
        rest = tail;
    }
    Some(units)
}

// ---------------------------------------------------------------------------------------------
// E-mail: RFC 5321 §4.1.2 `Mailbox`, RFC 6531 §3.3 for the internationalized form.

/// RFC 5321 `Mailbox`: a dot-string or quoted local part, `@`, then a hostname (see
/// [`is_hostname`]) or an address literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`).
///
/// The local part is limited to 64 octets (RFC 5321 §4.5.3.1.1). General address literals
/// (`[tag:content]`) are rejected: RFC 5321 requires their tags to be IANA-registered and none
/// but `IPv6` is.
pub fn is_email(s: &str) -> bool {
    mailbox(s, false)
}

/// RFC 6531 `Mailbox`: as [`is_email`], but the local part may also hold any non-ASCII
/// character and the domain is an internationalized hostname (see [`is_idn_hostname`]).
///
/// The domain is put in Unicode NFC before it is checked, as RFC 5891 §5.2 has a lookup
/// application do, so `café` typed with a combining accent is the same domain as with `é`.
pub fn is_idn_email(s: &str) -> bool {
    mailbox(s, true)
}

fn mailbox(s: &str, international: bool) -> bool {
    let Some(local_len) = local_part_len(s, international) else {
        return false;
    };
    let (Some(local), Some(rest)) = (s.get(..local_len), s.get(local_len..)) else {
        return false;
    };
    let Some(domain) = rest.strip_prefix('@') else {
        return false;
    };
    if local.len() > 64 {
        return false;
    }
    if let Some(literal) = domain.strip_prefix('[') {
        return literal.strip_suffix(']').is_some_and(address_literal);
    }
    if international {
        let normalized = ComposingNormalizerBorrowed::new_nfc().normalize(domain);
        is_idn_hostname(&normalized)
    } else {
        is_hostname(domain)
    }
}

/// The byte length of the local part at the start of `s` (a dot-string or a quoted string).
fn local_part_len(s: &str, international: bool) -> Option<usize> {
    if let Some(quoted) = s.strip_prefix('"') {
        // Quoted-string = DQUOTE *QcontentSMTP DQUOTE
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Some(i + 2),
                // quoted-pairSMTP = %d92 %d32-126
                '\\' => match chars.next() {
                    Some((_, ' '..='~')) => {}
                    _ => return None,
                },
                // qtextSMTP = %d32-33 / %d35-91 / %d93-126 (and UTF8-non-ascii, RFC 6531)
                ' '..='~' => {}
                c if international && !c.is_ascii() => {}
                _ => return None,
            }
        }
        None
    } else {
        // Dot-string = Atom *("." Atom); Atom = 1*atext
        let end = s.find('@').unwrap_or(s.len());
        let local = s.get(..end)?;
        let atoms_ok = local.split('.').all(|atom| {
            !atom.is_empty()
                && atom.chars().all(|c| {
                    c.is_ascii_alphanumeric()
                        || "!#$%&'*+-/=?^_`{|}~".contains(c)
                        || (international && !c.is_ascii())
                })
        });
        atoms_ok.then_some(end)
    }
}

/// The inside of `[...]` after the `@`: an RFC 5321 IPv4 or `IPv6:` address literal.
fn address_literal(inner: &str) -> bool {
    if let Some(tag) = inner.get(..5) {
        if tag.eq_ignore_ascii_case("IPv6:") {
            return inner.get(5..).is_some_and(is_ipv6);
        }
    }
    // IPv4-address-literal = Snum 3("." Snum); Snum = 1*3DIGIT, 0 through 255. RFC 5321 allows
    // leading zeros here, unlike the `ipv4` format.
    let parts: Vec<&str> = inner.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| p.len() <= 3 && ascii_number(p.as_bytes()).is_some_and(|n| n <= 255))
}

// ---------------------------------------------------------------------------------------------
// Host names: RFC 1123 §2.1, RFC 5890–5893 (IDNA2008).

/// An RFC 1123 host name: dot-separated labels of ASCII letters, digits and hyphens, each 1 to
/// 63 characters, not starting or ending with a hyphen, at most 253 characters in all (no
/// trailing dot).
///
/// A label with `--` in its third and fourth characters is reserved by RFC 5891 §4.2.3.1 for
/// IDNA: it is accepted only as a valid A-label (`xn--` followed by Punycode that decodes to a
/// label [`is_idn_hostname`] accepts, and re-encodes to the same text).
pub fn is_hostname(s: &str) -> bool {
    s.is_ascii() && idna2008::domain(s, false)
}

/// An internationalized host name (RFC 5890 §2.3.2.3): labels that are LDH labels, A-labels
/// or U-labels, separated by `.` or by one of the dots RFC 3490 §3.1 treats as one (`。`, `．`,
/// `｡`), at most 253 octets in all once each U-label is written as its A-label.
///
/// U-labels are checked against IDNA2008 as RFC 5891 §5.4 has a registry do: NFC, hyphen
/// placement, no leading combining mark, every code point PVALID or satisfying its CONTEXTJ /
/// CONTEXTO rule (RFC 5892 Appendix A), and the Bidi rule (RFC 5893) when any label is
/// right-to-left.
///
/// Approximation: RFC 5892's derived property table is computed here from the Unicode version
/// `icu_properties` ships rather than read from IANA's table, and its "unstable" test
/// (`NFKC(casefold(NFKC(cp))) ≠ cp`) uses Unicode's closely related
/// `Changes_When_NFKC_Casefolded` property. Code points Unicode added after the IANA table
/// was made may therefore be accepted, and no input is mapped (upper case is rejected in a
/// U-label, as IDNA2008 requires, unlike UTS #46 lookup).
pub fn is_idn_hostname(s: &str) -> bool {
    idna2008::domain(s, true)
}

mod idna2008 {
    //! IDNA2008 label validation (RFC 5891 §5.4, RFC 5892, RFC 5893).

    use icu_normalizer::ComposingNormalizerBorrowed;
    use icu_properties::props::{
        BidiClass, CanonicalCombiningClass, ChangesWhenNfkcCasefolded, DefaultIgnorableCodePoint,
        GeneralCategory, HangulSyllableType, JoinControl, JoiningType, NoncharacterCodePoint,
        Script, WhiteSpace,
    };
    use icu_properties::{CodePointMapData, CodePointSetData};
    use idna::punycode;

    /// Full stops that separate labels in an internationalized name (RFC 3490 §3.1).
    const SEPARATORS: [char; 4] = ['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'];

    /// Longest label and name, in octets of their ASCII (A-label) form (RFC 1034 §3.1, with the
    /// root label and length octets of the wire form taken off the name's 255).
    const MAX_LABEL: usize = 63;
    const MAX_NAME: usize = 253;

    /// Checks a whole name; `unicode` admits U-labels and the extra separators.
    pub(super) fn domain(s: &str, unicode: bool) -> bool {
        // Every character takes at least one octet of the ASCII form, so a longer input cannot
        // fit; rejecting it first keeps the quadratic Punycode coder off large inputs.
        if s.is_empty() || s.chars().count() > MAX_NAME {
            return false;
        }
        let labels: Vec<&str> = if unicode {
            s.split(SEPARATORS).collect()
        } else {
            s.split('.').collect()
        };
        let mut ascii_length = labels.len() - 1;
        let mut decoded: Vec<Vec<char>> = Vec::with_capacity(labels.len());
        for label in labels {
            let Some((length, chars)) = label_form(label, unicode) else {
                return false;
            };
            if length > MAX_LABEL {
                return false;
            }
            ascii_length += length;
            decoded.push(chars);
        }
        ascii_length <= MAX_NAME && bidi_domain(&decoded)
    }

    /// A label's A-label length and its code points (decoded, for an A-label), if it is valid.
    fn label_form(label: &str, unicode: bool) -> Option<(usize, Vec<char>)> {
        if label.chars().count() > MAX_LABEL {
            return None;
        }
        if label.is_ascii() {
            let has_ace_prefix = label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("xn--"));
            let chars = if has_ace_prefix {
                a_label(label)?
            } else if ldh_label(label) {
                label.chars().collect()
            } else {
                return None;
            };
            Some((label.len(), chars))
        } else if unicode {
            let chars: Vec<char> = label.chars().collect();
            if !(u_label(&chars) && is_nfc(label)) {
                return None;
            }
            let encoded = punycode::encode(&chars)?;
            Some(("xn--".len() + encoded.len(), chars))
        } else {
            None
        }
    }

    /// An LDH label that is not reserved: letters, digits and hyphens, no hyphen at either
    /// end, and no `--` in positions 3 and 4 (RFC 5891 §4.2.3.1; such labels are A-labels or
    /// invalid).
    fn ldh_label(label: &str) -> bool {
        let b = label.as_bytes();
        !b.is_empty()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            && b.first() != Some(&b'-')
            && b.last() != Some(&b'-')
            && b.get(2..4) != Some(b"--")
    }

    /// Decodes and validates an A-label (RFC 5891 §5.3–5.4): the Punycode must decode, to
    /// something non-ASCII that is a valid U-label, and encode back to the same text (so that
    /// one U-label has exactly one A-label).
    fn a_label(label: &str) -> Option<Vec<char>> {
        let encoded = label.get(4..)?;
        let decoded = punycode::decode(encoded)?;
        let text: String = decoded.iter().collect();
        let valid = !text.is_ascii()
            && u_label(&decoded)
            && is_nfc(&text)
            && punycode::encode(&decoded).is_some_and(|e| e.eq_ignore_ascii_case(encoded));
        valid.then_some(decoded)
    }

    fn is_nfc(s: &str) -> bool {
        ComposingNormalizerBorrowed::new_nfc().is_normalized(s)
    }

    /// RFC 5891 §5.4 for one U-label (the Bidi rule is checked per name, in `bidi_domain`).
    fn u_label(label: &[char]) -> bool {
        let (Some(&first), Some(&last)) = (label.first(), label.last()) else {
            return false;
        };
        if first == '-' || last == '-' {
            return false;
        }
        if label.get(2) == Some(&'-') && label.get(3) == Some(&'-') {
            return false;
        }
        let category = CodePointMapData::<GeneralCategory>::new().get(first);
        if matches!(
            category,
            GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
                | GeneralCategory::EnclosingMark
        ) {
            return false;
        }
        (0..label.len()).all(|i| match label.get(i).map(|&c| derived_property(c)) {
            Some(Property::Pvalid) => true,
            Some(Property::ContextJ) => context_j(label, i),
            Some(Property::ContextO) => context_o(label, i),
            _ => false,
        })
    }

    /// RFC 5892 §2 derived property values.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Property {
        Pvalid,
        ContextJ,
        ContextO,
        Disallowed,
        Unassigned,
    }

    /// RFC 5892 §3: the derived property of one code point, computed in the RFC's order.
    pub(super) fn derived_property(c: char) -> Property {
        let cp = u32::from(c);
        // §2.6 Exceptions (F)
        match cp {
            0x00DF | 0x03C2 | 0x06FD | 0x06FE | 0x0F0B | 0x3007 => return Property::Pvalid,
            0x00B7 | 0x0375 | 0x05F3 | 0x05F4 | 0x30FB | 0x0660..=0x0669 | 0x06F0..=0x06F9 => {
                return Property::ContextO
            }
            0x0640 | 0x07FA | 0x302E | 0x302F | 0x3031..=0x3035 | 0x303B => {
                return Property::Disallowed
            }
            _ => {}
        }
        // §2.7 BackwardCompatible (G) is empty.
        let category = CodePointMapData::<GeneralCategory>::new().get(c);
        let noncharacter = CodePointSetData::new::<NoncharacterCodePoint>().contains(c);
        // §2.11 Unassigned (J)
        if category == GeneralCategory::Unassigned && !noncharacter {
            return Property::Unassigned;
        }
        // §2.10 LDH (H)
        if matches!(c, 'a'..='z' | '0'..='9' | '-') {
            return Property::Pvalid;
        }
        // §2.8 JoinControl (H)
        if CodePointSetData::new::<JoinControl>().contains(c) {
            return Property::ContextJ;
        }
        // §2.2 Unstable (B), approximated by Changes_When_NFKC_Casefolded.
        if CodePointSetData::new::<ChangesWhenNfkcCasefolded>().contains(c) {
            return Property::Disallowed;
        }
        // §2.3 IgnorableProperties (C)
        if noncharacter
            || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
            || CodePointSetData::new::<WhiteSpace>().contains(c)
        {
            return Property::Disallowed;
        }
        // §2.4 IgnorableBlocks (D): Combining Diacritical Marks for Symbols, Musical Symbols,
        // Ancient Greek Musical Notation.
        if matches!(cp, 0x20D0..=0x20FF | 0x1D100..=0x1D1FF | 0x1D200..=0x1D24F) {
            return Property::Disallowed;
        }
        // §2.9 OldHangulJamo (I)
        if matches!(
            CodePointMapData::<HangulSyllableType>::new().get(c),
            HangulSyllableType::LeadingJamo
                | HangulSyllableType::VowelJamo
                | HangulSyllableType::TrailingJamo
        ) {
            return Property::Disallowed;
        }
        // §2.1 LetterDigits (A)
        if matches!(
            category,
            GeneralCategory::LowercaseLetter
                | GeneralCategory::UppercaseLetter
                | GeneralCategory::OtherLetter
                | GeneralCategory::DecimalNumber
                | GeneralCategory::ModifierLetter
                | GeneralCategory::NonspacingMark
                | GeneralCategory::SpacingMark
        ) {
            return Property::Pvalid;
        }
        Property::Disallowed
    }

    const ZWNJ: char = '\u{200C}';

    /// RFC 5892 Appendix A.1 (ZERO WIDTH NON-JOINER) and A.2 (ZERO WIDTH JOINER).
    fn context_j(label: &[char], i: usize) -> bool {
        let (before, after) = label.split_at(i);
        let Some((&joiner, after)) = after.split_first() else {
            return false;
        };
        let virama_before = before.last().is_some_and(|&c| {
            CodePointMapData::<CanonicalCombiningClass>::new().get(c)
                == CanonicalCombiningClass::Virama
        });
        if virama_before {
            return true;
        }
        if joiner != ZWNJ {
            return false;
        }
        // (Joining_Type:{L,D})(Joining_Type:T)*\u200C(Joining_Type:T)*(Joining_Type:{R,D})
        let joining = CodePointMapData::<JoiningType>::new();
        let left = before
            .iter()
            .rev()
            .map(|&c| joining.get(c))
            .find(|&t| t != JoiningType::Transparent);
        let right = after
            .iter()
            .map(|&c| joining.get(c))
            .find(|&t| t != JoiningType::Transparent);
        matches!(
            left,
            Some(JoiningType::LeftJoining | JoiningType::DualJoining)
        ) && matches!(
            right,
            Some(JoiningType::RightJoining | JoiningType::DualJoining)
        )
    }

    /// RFC 5892 Appendix A.3–A.9, the CONTEXTO rules.
    fn context_o(label: &[char], i: usize) -> bool {
        let script = CodePointMapData::<Script>::new();
        let before = i.checked_sub(1).and_then(|j| label.get(j)).copied();
        let after = label.get(i + 1).copied();
        match label.get(i) {
            // A.3 MIDDLE DOT: between two 'l's (Catalan ela geminada).
            Some('\u{00B7}') => before == Some('l') && after == Some('l'),
            // A.4 GREEK LOWER NUMERAL SIGN (KERAIA): followed by Greek.
            Some('\u{0375}') => after.is_some_and(|c| script.get(c) == Script::Greek),
            // A.5, A.6 HEBREW PUNCTUATION GERESH and GERSHAYIM: preceded by Hebrew.
            Some('\u{05F3}' | '\u{05F4}') => {
                before.is_some_and(|c| script.get(c) == Script::Hebrew)
            }
            // A.7 KATAKANA MIDDLE DOT: somewhere in the label, Hiragana, Katakana or Han.
            Some('\u{30FB}') => label.iter().any(|&c| {
                c != '\u{30FB}'
                    && matches!(
                        script.get(c),
                        Script::Hiragana | Script::Katakana | Script::Han
                    )
            }),
            // A.8 ARABIC-INDIC DIGITS: not mixed with Extended Arabic-Indic digits.
            Some('\u{0660}'..='\u{0669}') => {
                !label.iter().any(|c| ('\u{06F0}'..='\u{06F9}').contains(c))
            }
            // A.9 EXTENDED ARABIC-INDIC DIGITS: not mixed with Arabic-Indic digits.
            Some('\u{06F0}'..='\u{06F9}') => {
                !label.iter().any(|c| ('\u{0660}'..='\u{0669}').contains(c))
            }
            _ => false,
        }
    }

    /// RFC 5893 §2: in a name with any right-to-left label, every label must satisfy the Bidi
    /// rule.
    fn bidi_domain(labels: &[Vec<char>]) -> bool {
        let classes = CodePointMapData::<BidiClass>::new();
        let right_to_left = labels.iter().flatten().any(|&c| {
            matches!(
                classes.get(c),
                BidiClass::RightToLeft | BidiClass::ArabicLetter | BidiClass::ArabicNumber
            )
        });
        !right_to_left || labels.iter().all(|label| bidi_rule(label))
    }

    fn bidi_rule(label: &[char]) -> bool {
        use BidiClass as B;
        let map = CodePointMapData::<BidiClass>::new();
        let classes: Vec<BidiClass> = label.iter().map(|&c| map.get(c)).collect();
        let Some(&first) = classes.first() else {
            return false;
        };
        // The last character that is not a non-spacing mark.
        let end = classes.iter().rev().find(|&&c| c != B::NonspacingMark);
        match first {
            // Rules 2-4: right-to-left label.
            B::RightToLeft | B::ArabicLetter => {
                let allowed = classes.iter().all(|c| {
                    matches!(
                        *c,
                        B::RightToLeft
                            | B::ArabicLetter
                            | B::ArabicNumber
                            | B::EuropeanNumber
                            | B::EuropeanSeparator
                            | B::CommonSeparator
                            | B::EuropeanTerminator
                            | B::OtherNeutral
                            | B::BoundaryNeutral
                            | B::NonspacingMark
                    )
                });
                let ends_well = matches!(
                    end,
                    Some(&(B::RightToLeft | B::ArabicLetter | B::EuropeanNumber | B::ArabicNumber))
                );
                let mixed_digits =
                    classes.contains(&B::EuropeanNumber) && classes.contains(&B::ArabicNumber);
                allowed && ends_well && !mixed_digits
            }
            // Rules 5-6: left-to-right label.
            B::LeftToRight => {
                let allowed = classes.iter().all(|c| {
                    matches!(
                        *c,
                        B::LeftToRight
                            | B::EuropeanNumber
                            | B::EuropeanSeparator
                            | B::CommonSeparator
                            | B::EuropeanTerminator
                            | B::OtherNeutral
                            | B::BoundaryNeutral
                            | B::NonspacingMark
                    )
                });
                allowed && matches!(end, Some(&(B::LeftToRight | B::EuropeanNumber)))
            }
            // Rule 1: the first character must be L, R or AL.
            _ => false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// IP addresses.

/// An IPv4 address in dotted-quad form (RFC 2673 §3.2): four decimal octets 0–255 with no
/// leading zeros (which some parsers read as octal), no shorthand such as `127.1`.
pub fn is_ipv4(s: &str) -> bool {
    Ipv4Addr::from_str(s).is_ok()
}

/// An IPv6 address in RFC 4291 §2.2 text form, including `::` compression and a trailing
/// dotted quad; without brackets, prefix length or zone id (`%eth0`).
pub fn is_ipv6(s: &str) -> bool {
    Ipv6Addr::from_str(s).is_ok()
}

// ---------------------------------------------------------------------------------------------
// URIs and IRIs: RFC 3986, RFC 3987, RFC 6570.

/// An absolute URI with a scheme (RFC 3986 `URI`), optionally with a fragment.
pub fn is_uri(s: &str) -> bool {
    iri_string::validate::iri::<UriSpec>(s).is_ok()
}

/// A URI or relative reference (RFC 3986 `URI-reference`); the empty string is one.
pub fn is_uri_reference(s: &str) -> bool {
    iri_string::validate::iri_reference::<UriSpec>(s).is_ok()
}

/// An absolute IRI (RFC 3987 `IRI`): a URI that may also hold non-ASCII characters unescaped.
pub fn is_iri(s: &str) -> bool {
    iri_string::validate::iri::<IriSpec>(s).is_ok()
}

/// An IRI or relative IRI reference (RFC 3987 `IRI-reference`).
pub fn is_iri_reference(s: &str) -> bool {
    iri_string::validate::iri_reference::<IriSpec>(s).is_ok()
}

/// A URI Template of any level (RFC 6570 §2).
///
/// Literals follow the RFC's grammar as corrected by verified erratum 6937 (the apostrophe is
/// a literal). Expressions are `{` an optional operator, then comma-separated variable names
/// (`varchar` runs joined by single dots), each with an optional `:1`–`:9999` prefix or `*`,
/// then `}`. The operators RFC 6570 reserves for future use (`= , ! @ |`) are accepted, as its
/// grammar does.
pub fn is_uri_template(s: &str) -> bool {
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                let rest = chars.as_str();
                let Some(end) = rest.find('}') else {
                    return false;
                };
                let (Some(expression), Some(after)) = (rest.get(..end), rest.get(end + 1..)) else {
                    return false;
                };
                if !uri_template_expression(expression) {
                    return false;
                }
                chars = after.chars();
            }
            '%' => {
                if !(percent_hex(chars.next()) && percent_hex(chars.next())) {
                    return false;
                }
            }
            c if uri_template_literal(c) => {}
            _ => return false,
        }
    }
    true
}

fn percent_hex(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_hexdigit())
}

/// RFC 6570 `literals` other than `pct-encoded` (with erratum 6937).
fn uri_template_literal(c: char) -> bool {
    match c {
        '\u{21}' | '\u{23}'..='\u{24}' | '\u{26}'..='\u{3B}' | '\u{3D}' | '\u{3F}'..='\u{5B}' => {
            true
        }
        '\u{5D}' | '\u{5F}' | '\u{61}'..='\u{7A}' | '\u{7E}' => true,
        c => is_ucschar(c) || is_iprivate(c),
    }
}

/// RFC 3987 `ucschar`.
fn is_ucschar(c: char) -> bool {
    let cp = u32::from(c);
    matches!(cp, 0xA0..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFEF)
        || (0x10000..=0xEFFFD).contains(&cp) && (cp & 0xFFFF) <= 0xFFFD
}

/// RFC 3987 `iprivate`.
fn is_iprivate(c: char) -> bool {
    matches!(u32::from(c), 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD)
}

/// The inside of `{...}`: `[ operator ] variable-list`.
fn uri_template_expression(expression: &str) -> bool {
    let list = match expression.chars().next() {
        Some('+' | '#' | '.' | '/' | ';' | '?' | '&' | '=' | ',' | '!' | '@' | '|') => {
            expression.get(1..).unwrap_or_default()
        }
        _ => expression,
    };
    list.split(',').all(uri_template_varspec)
}

/// `varspec = varname [ ":" max-length / "*" ]`
fn uri_template_varspec(spec: &str) -> bool {
    let (name, modifier_ok) = if let Some(name) = spec.strip_suffix('*') {
        (name, true)
    } else if let Some((name, length)) = spec.split_once(':') {
        // max-length = %x31-39 0*3DIGIT
        let b = length.as_bytes();
        let ok = (1..=4).contains(&b.len())
            && b.iter().all(u8::is_ascii_digit)
            && b.first() != Some(&b'0');
        (name, ok)
    } else {
        (spec, true)
    };
    modifier_ok && uri_template_varname(name)
}

/// `varname = varchar *( ["."] varchar )`; `varchar = ALPHA / DIGIT / "_" / pct-encoded`
fn uri_template_varname(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            let mut any = false;
            while let Some(c) = chars.next() {
                any = true;
                let ok = match c {
                    '%' => percent_hex(chars.next()) && percent_hex(chars.next()),
                    c => c.is_ascii_alphanumeric() || c == '_',
                };
                if !ok {
                    return false;
                }
            }
            any
        })
}

// ---------------------------------------------------------------------------------------------
// UUIDs, JSON pointers, regular expressions.

/// A UUID in RFC 9562 §4 string form: `8-4-4-4-12` hex digits in any case. Any version and
/// variant nibble is accepted (the format is about the text, and the nil UUID is valid); no
/// braces, `urn:uuid:` prefix or hyphen-less form.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A JSON Pointer (RFC 6901 §3): empty, or `/`-prefixed reference tokens in which `~` only
/// appears as `~0` or `~1`. Any other character, including control characters, is allowed.
pub fn is_json_pointer(s: &str) -> bool {
    s.is_empty() || (s.starts_with('/') && tildes_escaped(s))
}

fn tildes_escaped(s: &str) -> bool {
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return false;
        }
    }
    true
}

/// A Relative JSON Pointer (draft-bhutton-relative-json-pointer-00 §3): a non-negative
/// integer without leading zeros or sign, then either `#` or a JSON Pointer.
pub fn is_relative_json_pointer(s: &str) -> bool {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || (digits > 1 && s.starts_with('0')) {
        return false;
    }
    match s.get(digits..) {
        Some("#") => true,
        Some(rest) => is_json_pointer(rest),
        None => false,
    }
}

/// A regular expression in ECMA-262 syntax, as JSON Schema requires.
///
/// Parsed by [`regress`] in Unicode (`u`) mode, which is the strict grammar: without it,
/// ECMAScript's Annex B admits almost any escape (`\a` means `a`), so nearly every string
/// would pass. Named groups, backreferences, lookbehind, `[]`, `[^]` and `\cA` are accepted;
/// Python- and PCRE-only syntax (`(?P<n>…)`, `(?#…)`, `(?i)`) is not. Patterns nested deeper
/// than regress's limit are reported invalid rather than risking the stack.
///
/// This is the ECMA-262 grammar; generated code that *matches* `pattern`s uses the `regex`
/// crate, whose syntax is close but not identical.
pub fn is_regex(s: &str) -> bool {
    regress::Regex::with_flags(s, "u").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_dispatches_every_known_format() {
        for format in KNOWN_FORMATS {
            assert!(check(format, "").is_some(), "{format}");
        }
        assert_eq!(check("unknown", "x"), None);
        assert_eq!(check("DATE", "2020-01-01"), None);
        assert_eq!(check("date", "2020-01-01"), Some(true));
        assert_eq!(check("date", "2020-01-32"), Some(false));
        let mut sorted = KNOWN_FORMATS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), KNOWN_FORMATS.len(), "no duplicates");
    }

    #[test]
    fn dates() {
        for ok in [
            "1963-06-19",
            "2020-02-29",
            "2000-02-29",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "1900-02-29",
            "2021-02-29",
            "2020-13-01",
            "2020-00-01",
            "2020-01-00",
            "2020-1-01",
            "20200101",
            "+2020-01-01",
            "2020-01-01T",
            "",
            "2020-01-0\u{661}",
            "２０２０-01-01",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }

    #[test]
    fn times_and_leap_seconds() {
        for ok in [
            "08:30:06Z",
            "08:30:06z",
            "23:59:60Z",
            "23:59:60+00:00",
            "15:59:60-08:00",
            "00:29:60-23:30",
            "12:34:56.789+05:30",
            "12:34:56-00:00",
            "00:00:00.000000000000000000001Z",
        ] {
            assert!(is_time(ok), "{ok}");
        }
        for bad in [
            "23:59:60+01:00",
            "22:59:60Z",
            "23:59:61Z",
            "24:00:00Z",
            "12:00:00",
            "12:00:00.Z",
            "12:00:00+1:00",
            "12:00:00+24:00",
            "12:00:00+00:60",
            "12:00:00Z ",
            "12:00:00ZZ",
            "1:00:00Z",
        ] {
            assert!(!is_time(bad), "{bad}");
        }
    }

    #[test]
    fn date_times() {
        assert!(is_date_time("1963-06-19T08:30:06.283185Z"));
        assert!(is_date_time("1963-06-19t08:30:06z"));
        assert!(is_date_time("1998-12-31T23:59:60Z"));
        assert!(!is_date_time("1998-12-31 23:59:59Z"));
        assert!(!is_date_time("1998-12-31T23:59:59"));
        assert!(!is_date_time("1998-02-30T00:00:00Z"));
        assert!(!is_date_time("1998-12-31"));
        assert!(!is_date_time("1998-12-31T"));
        // Multi-byte characters where the separator would be must not split a char.
        assert!(!is_date_time("1998-12-3éT00:00:00Z"));
        assert!(!is_date_time("1998-12-31\u{e9}00:00:00Z"));
    }

    #[test]
    fn durations() {
        for ok in [
            "P4DT12H30M5S",
            "P1Y",
            "P1Y2M",
            "P1Y2M3D",
            "P1M2D",
            "P3D",
            "PT1H",
            "PT1H2M",
            "PT1H2M3S",
            "PT2M3S",
            "PT3S",
            "P2W",
            "P1DT1S",
            "P0D",
        ] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in [
            "",
            "P",
            "PT",
            "P1YT",
            "P1Y2D",
            "PT1H2S",
            "P2D1Y",
            "P1W2D",
            "P1WT1H",
            "PT1D",
            "P1",
            "p1D",
            "P1d",
            "PT0.5S",
            "-P1D",
            "P-1D",
            "P1DT",
            "PT1HT2M",
            "P1D ",
            "P\u{661}D",
            "P1Y1Y",
        ] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in [
            "joe.bloggs@example.com",
            "a@b",
            "!#$%&'*+-/=?^_`{|}~@example.com",
            "\"joe bloggs\"@example.com",
            "\"a\\\"b\"@example.com",
            "\"\"@example.com",
            "joe@[127.0.0.1]",
            "joe@[127.000.000.001]",
            "joe@[IPv6:::1]",
            "joe@[ipv6:2001:db8::1]",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        for bad in [
            "",
            "@",
            "a@",
            "@a",
            "a@@b",
            "a.@b",
            ".a@b",
            "a..b@c",
            "\"unterminated@example.com",
            "\"a\"b@example.com",
            "\"a\\\u{e9}\"@example.com",
            "joe@[127.0.0.256]",
            "joe@[127.0.0]",
            "joe@[IPv6:1]",
            "joe@[tag:content]",
            "joe@[127.0.0.1",
            "joe@-example.com",
            "joe@example.com.",
            "δοκιμή@example.com",
            "joe@éxample.com",
            long_local.as_str(),
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn idn_emails() {
        assert!(is_idn_email("δοκιμή@example.com"));
        assert!(is_idn_email("\"δοκιμή\"@παράδειγμα.δοκιμή"));
        assert!(is_idn_email("user@cafe\u{301}.com"));
        assert!(is_idn_email("joe@[IPv6:::1]"));
        assert!(!is_idn_email("user\u{FF20}example.com"));
        assert!(!is_idn_email("user@exa mple.com"));
        assert!(!is_idn_email("user@\u{302E}example.com"));
        // 64 octets is the limit, counted in UTF-8.
        assert!(is_idn_email(&format!("{}@example.com", "é".repeat(32))));
        assert!(!is_idn_email(&format!("{}@example.com", "é".repeat(33))));
    }

    #[test]
    fn hostnames() {
        for ok in [
            "example",
            "www.example.com",
            "a--b.com",
            "1host",
            "EXAMPLE.COM",
            "xn--9n2bp8q.xn--9t4b11yi5a",
            "XN--9N2BP8Q.com",
        ] {
            assert!(is_hostname(ok), "{ok}");
        }
        let long_label = "a".repeat(64);
        let long_name = ["a".repeat(63).as_str(); 4].join(".") + ".abc";
        for bad in [
            "",
            ".",
            "a..b",
            "example.",
            ".example",
            "-a",
            "a-",
            "a_b",
            "ab--cd",
            "xn--",
            "xn--X",
            "xn--example-",
            "xn---9uc",
            "exa mple",
            "exämple.com",
            long_label.as_str(),
            long_name.as_str(),
        ] {
            assert!(!is_hostname(bad), "{bad}");
        }
    }

    #[test]
    fn idn_hostnames() {
        for ok in [
            "실례.테스트",
            "παράδειγμα.δοκιμή",
            "a。b",
            "l·l",
            "α͵β",
            "א׳ב",
            "・ぁ",
            "क्‍ष",
            "بي‌بي",
            "xn--ihqwcrb4cv8a8dqg056pqjye",
            "Hostname",
        ] {
            assert!(is_idn_hostname(ok), "{ok}");
        }
        for bad in [
            "",
            "。",
            "a。",
            "Bücher.de",
            "\u{0301}a",
            "a\u{00B7}b",
            "cafe\u{301}",
            "a\u{200D}b",
            "0a.א",
            "aא",
            "ab--c",
            "\u{E000}",
            "\u{10FFFF}",
        ] {
            assert!(!is_idn_hostname(bad), "{bad}");
        }
    }

    #[test]
    fn huge_names_are_rejected_quickly() {
        let started = std::time::Instant::now();
        let huge = "é".repeat(1_000_000);
        assert!(!is_idn_hostname(&huge));
        assert!(!is_idn_email(&format!("a@{huge}")));
        assert!(!is_hostname(&format!("xn--{}", "a".repeat(1_000_000))));
        let many = "a.".repeat(500_000) + "a";
        assert!(!is_hostname(&many));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn derived_properties() {
        use idna2008::{derived_property, Property};
        assert_eq!(derived_property('a'), Property::Pvalid);
        assert_eq!(derived_property('A'), Property::Disallowed);
        assert_eq!(derived_property('ß'), Property::Pvalid);
        assert_eq!(derived_property('\u{200C}'), Property::ContextJ);
        assert_eq!(derived_property('\u{00B7}'), Property::ContextO);
        assert_eq!(derived_property('\u{302E}'), Property::Disallowed);
        assert_eq!(derived_property(' '), Property::Disallowed);
        assert_eq!(derived_property('\u{1100}'), Property::Disallowed);
        assert_eq!(derived_property('\u{20D0}'), Property::Disallowed);
        assert_eq!(derived_property('\u{FFFF}'), Property::Disallowed);
        assert_eq!(derived_property('\u{E0080}'), Property::Unassigned);
        assert_eq!(derived_property('실'), Property::Pvalid);
    }

    #[test]
    fn ip_addresses() {
        assert!(is_ipv4("192.168.0.1"));
        assert!(!is_ipv4("192.168.0.01"));
        assert!(!is_ipv4("127.1"));
        assert!(is_ipv6("::ffff:192.168.0.1"));
        assert!(is_ipv6("2001:db8::"));
        assert!(!is_ipv6("::ffff:192.168.0.01"));
        assert!(!is_ipv6("fe80::1%eth0"));
        assert!(!is_ipv6("[::1]"));
    }

    #[test]
    fn uris() {
        assert!(is_uri("http://example.com/a?b#c"));
        assert!(is_uri("urn:isbn:0451450523"));
        assert!(!is_uri("/relative"));
        assert!(!is_uri("http://example.com/é"));
        assert!(is_uri_reference("../a"));
        assert!(is_uri_reference(""));
        assert!(!is_uri_reference("a b"));
        assert!(is_iri("http://example.com/é"));
        assert!(!is_iri("é"));
        assert!(is_iri_reference("é"));
        assert!(!is_iri_reference("\\"));
    }

    #[test]
    fn uri_templates() {
        for ok in [
            "",
            "http://example.com/{term:1}/{term}",
            "{+path}/here",
            "{?x,y*}",
            "{a.b}",
            "{%41b}",
            "{v:9999}",
            "a%2Fb",
            "a'b",
            "a\u{E000}b",
            // The grammar's reserved operators, `,` among them.
            "{=reserved}",
            "{,a}",
        ] {
            assert!(is_uri_template(ok), "{ok}");
        }
        for bad in [
            "{",
            "}",
            "{}",
            "{+}",
            "{a,}",
            "{,}",
            "{a..b}",
            "{.a}b}",
            "{a.}",
            "{v:0}",
            "{v:10000}",
            "{v:01}",
            "{v:}",
            "{v*:1}",
            "{v**}",
            "{a b}",
            "{%4}",
            "%",
            "%4",
            "%zz",
            "a b",
            "a<b",
            "a\"b",
            "a\u{7F}b",
            "a\u{85}b",
            "a\u{FDD0}b",
            "{a{b}}",
        ] {
            assert!(!is_uri_template(bad), "{bad}");
        }
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("2eb8aa08-aa98-11ea-b4aa-73b441d16380"));
        assert!(is_uuid("2EB8AA08-AA98-11EA-B4AA-73B441D16380"));
        assert!(!is_uuid("2eb8aa08aa9811eab4aa73b441d16380"));
        assert!(!is_uuid("{2eb8aa08-aa98-11ea-b4aa-73b441d16380}"));
        assert!(!is_uuid("2eb8aa08-aa98-11ea-b4aa-73b441d1638g"));
        assert!(!is_uuid("2eb8aa08-aa98-11ea-b4aa-73b441d1638é"));
    }

    #[test]
    fn json_pointers() {
        for ok in ["", "/", "/a~0b~1c", "//", "/\u{0}", "/é"] {
            assert!(is_json_pointer(ok), "{ok}");
        }
        for bad in ["a", "#", "/~", "/~2", "/a~"] {
            assert!(!is_json_pointer(bad), "{bad}");
        }
        for ok in ["0", "1#", "10/a", "0/", "2/0/x"] {
            assert!(is_relative_json_pointer(ok), "{ok}");
        }
        for bad in [
            "", "#", "/a", "01", "-1", "+1", "0##", "1#/a", "0~", "\u{661}",
        ] {
            assert!(!is_relative_json_pointer(bad), "{bad}");
        }
    }

    #[test]
    fn regexes() {
        assert!(is_regex("^[a-z]+$"));
        assert!(is_regex("(?<year>\\d{4})-\\k<year>"));
        assert!(is_regex("(?<=a)b"));
        assert!(is_regex("\\p{L}+"));
        assert!(!is_regex("(?i)abc"));
        assert!(!is_regex("\\a"));
        assert!(!is_regex("(abc"));
        assert!(!is_regex("[z-a]"));
        assert!(!is_regex(&"(".repeat(100_000)));
    }

    /// A small deterministic fuzz: no checker may panic on any input.
    #[test]
    fn checkers_never_panic() {
        let alphabet: Vec<char> =
            "aZ09-._~:/?#[]@!$&'()*+,;=%{}<>\"\\ ^`|TtPpWYMDHSxn\u{0}é\u{302E}\u{200C}\u{5D0}\u{660}\u{6F0}\u{FFFF}😀。．"
                .chars()
                .collect();
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let len = alphabet.len() as u64;
        for _ in 0..20_000 {
            let length = next() % 24;
            let s: String = (0..length)
                .filter_map(|_| alphabet.get(usize::try_from(next() % len).unwrap_or(0)))
                .collect();
            for format in KNOWN_FORMATS {
                let _ = check(format, &s);
            }
            let _ = is_idn_hostname(&format!("xn--{s}"));
            let _ = is_hostname(&format!("xn--{}", s.to_ascii_lowercase()));
        }
    }
}

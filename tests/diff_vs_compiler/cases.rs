//! The changes `diff` knows, each as edits to the base contract, with the sides that still
//! compile but silently mean something else.

use solo60_gen::diff::Breaks;

#[derive(Clone, Copy)]
pub(crate) enum File {
    Manifest,
    Types,
}

pub(crate) struct Case {
    pub(crate) name: &'static str,
    pub(crate) edits: Vec<(File, &'static str, &'static str)>,
    /// The sides whose code still compiles but silently means something else (`new`'s
    /// arguments of one type swapped, a Rust name taken over by another property or value):
    /// `diff` must say it breaks them, and say "silently".
    pub(crate) silent: Breaks,
}

/// The same case, compiling silently on `sides`.
pub(crate) fn silently(sides: Breaks, case: Case) -> Case {
    Case {
        silent: sides,
        ..case
    }
}

pub(crate) fn case(name: &'static str, edits: Vec<(File, &'static str, &'static str)>) -> Case {
    Case {
        name,
        edits,
        silent: Breaks::Nobody,
    }
}

pub(crate) const REQUEST_NOTE: &str =
    "      note: { description: A note for the trainer., type: string }\n";
pub(crate) const REQUEST_REQUIRED: &str = "    required: [memberId, classId, channel, payment]\n";
pub(crate) const RESPONSE_NOTE: &str =
    "      note: { description: A note from the desk., type: string }\n";
pub(crate) const RESPONSE_REQUIRED: &str = "    required: [id, memberId, status, seats]\n";
pub(crate) const REQUEST_CLOSED: &str =
    "    required: [memberId, classId, channel, payment]\n    additionalProperties: false\n";
pub(crate) const RESPONSE_ADDITIONAL: &str =
    "    additionalProperties: { description: Desk annotations., type: string }\n";
pub(crate) const VENUE_ONLINE: &str = "      - $ref: \"#/$defs/Online\"\n";
pub(crate) const GET_BOOKING_ROUTE: &str =
    "path: /internal/bookings/{bookingId}\n    params:\n      bookingId: { type: string, format: uuid }\n";
pub(crate) const CANCEL_BOOKING_PATH: &str = "    path: /internal/bookings/{bookingId}/cancel\n";
pub(crate) const GET_BOOKING: &str = "  getBooking:
    summary: Fetch one booking.
    method: GET
    path: /internal/bookings/{bookingId}
    params:
      bookingId: { type: string, format: uuid }
    response: types.schema.yaml#/$defs/Booking
    critical: false
";

/// One case per finding of `src/diff` that is rust-breaking or names a side whose build
/// breaks; each finding below is followed by the case(s) checking it. Wire-only findings
/// ride along (`request: property tightened`, `route moved, same parameters`).
///
/// `operations.rs`
/// - operation id renamed, Rust method renamed: "operation id renamed (same route)"
/// - path changed, with a different number of parameters: "path gains a parameter"; with
///   the same number (breaks nobody): "route moved, same parameters (wire only)"
/// - bulk reads removed: "bulk read removed"
/// - marked critical again: "marked critical again"
/// - operation removed: "operation removed"
/// - new operation (implementers): "new operation"
/// - unused type removed: "unused type removed"
/// - unused type changed (any `rust_api.rs` finding, with both sides building and reading
///   it): "unused type: new required property"
///
/// `signatures.rs`
/// - path parameter changes Rust type: "path parameter type changed"
/// - query added / removed: "query added", "query removed"
/// - request body added / removed: "request body added", "request body removed"
/// - response body added / removed: "response body added", "response body removed"
///
/// `rust_api.rs`
/// - a position changes Rust type (field, `T` → `Option<T>`, map value, newtype or untagged
///   variant inside): "response: property type changed", "response: property became
///   nullable", "response: additional properties' value type changed"
/// - type renamed: "type renamed", "response untagged union: variant's type renamed"
/// - shape changes kind: "request: string enum became a plain string (shape changed)"
/// - map of additional properties lost: "response: map of additional properties lost
///   (additionalProperties: false)"; gained (compatible): "request: map of additional
///   properties gained (was additionalProperties: false)"
/// - object form changes: not exercisable. Only a schema with object keywords but no
///   `type: object` has an object form (`<Name>Object`), and service contracts reject such
///   schemas; types mode accepts them, but has no operations and `diff` does not compare it.
/// - field removed: "request: property removed", "response: property removed"
/// - field added to a struct, required: "request: new required property", "response: new
///   required property"; optional (compatible): "request: new optional property",
///   "response: new optional property"
/// - field added to a union variant (a literal): "request union: new optional property in a
///   variant"
/// - field renamed, same wire name (only when another property claims its Rust name):
///   "response: field renamed by a new property claiming its Rust name"; silently, when the
///   claimant has its type: "response: field renamed by a new property of the same type …"
/// - presence changed: "request: required property became optional", "response: optional
///   property became required", "request: required property became optional with a
///   default", "response: optional property gained a default"; in a union variant (a
///   literal): "request union: property of a variant became optional"
/// - `new`'s arguments reordered: "request: required properties reordered (different
///   types)"; silently: "response: required properties of one type reordered …"
///
/// `rust_variants.rs`
/// - string enum variant added: "request: enum value added", "response: enum value added"
/// - string enum variant removed: "request: enum value removed", "response: enum value
///   removed"
/// - string enum variant renamed (only when another value claims its name, so silently for
///   builders): "response: enum variant renamed by a new value claiming its name …"
/// - tagged union variant added / removed: "request union: new variant", "request union:
///   variant removed"; renamed (a tag value claiming its name): "request union: variant
///   renamed by a new tag value claiming its name …"
/// - untagged union variant added / removed / renamed: "response untagged union: new
///   variant", "response untagged union: variant removed", "response untagged union:
///   variant's type renamed"
///
/// `mod.rs`
/// - service removed: not exercisable. The head has no crate for the caller and the
///   implementer to depend on, so there is nothing to compile them against.
///
/// `policies.rs` (callers, retry, errors), `wire.rs` and `bounds.rs` report wire findings only.
pub(crate) fn cases() -> Vec<Case> {
    use File::{Manifest as M, Types as T};
    vec![
        case("no change (the caller and implementer compile against the base)", vec![]),
        case(
            "request: new optional property",
            vec![(T, REQUEST_NOTE, "      note: { description: A note for the trainer., type: string }\n      source: { description: Campaign., type: string }\n")],
        ),
        case(
            "response: new optional property",
            vec![(T, RESPONSE_NOTE, "      note: { description: A note from the desk., type: string }\n      checkedInAt: { description: Arrival., type: string }\n")],
        ),
        case(
            "request: new required property",
            vec![
                (T, REQUEST_NOTE, "      note: { description: A note for the trainer., type: string }\n      source: { description: Campaign., type: string }\n"),
                (T, REQUEST_REQUIRED, "    required: [memberId, classId, channel, payment, source]\n"),
            ],
        ),
        case(
            "response: new required property",
            vec![
                (T, RESPONSE_NOTE, "      note: { description: A note from the desk., type: string }\n      checkedInAt: { description: Arrival., type: string }\n"),
                (T, RESPONSE_REQUIRED, "    required: [id, memberId, status, seats, checkedInAt]\n"),
            ],
        ),
        case("request: property removed", vec![(T, REQUEST_NOTE, "")]),
        case("response: property removed", vec![(T, RESPONSE_NOTE, "")]),
        case(
            "request: required property became optional",
            vec![(T, REQUEST_REQUIRED, "    required: [memberId, channel, payment]\n")],
        ),
        case(
            "response: optional property became required",
            vec![(T, RESPONSE_REQUIRED, "    required: [id, memberId, status, seats, note]\n")],
        ),
        case(
            "response: property became nullable",
            vec![(T, RESPONSE_NOTE, "      note: { description: A note from the desk., type: [string, \"null\"] }\n")],
        ),
        case(
            "response: property type changed",
            vec![(T, "      seats: { description: Places taken., type: integer }\n", "      seats: { description: Places taken., type: string }\n")],
        ),
        case(
            "request: property tightened (wire only)",
            vec![(T, "      memberId: { description: Who books., type: string }\n", "      memberId: { description: Who books., type: string, maxLength: 40 }\n")],
        ),
        case(
            "request: required properties reordered (different types)",
            vec![(
                T,
                "      memberId: { description: Who books., type: string }\n      classId: { description: Which class., type: integer }\n",
                "      classId: { description: Which class., type: integer }\n      memberId: { description: Who books., type: string }\n",
            )],
        ),
        silently(
            Breaks::Implementers,
            case(
                "response: required properties of one type reordered (compiles, swaps values)",
                vec![(
                    T,
                    "      id: { description: Booking id., type: string }\n      memberId: { description: Who booked., type: string }\n",
                    "      memberId: { description: Who booked., type: string }\n      id: { description: Booking id., type: string }\n",
                )],
            ),
        ),
        case("request: enum value added", vec![(T, "enum: [web, app]", "enum: [web, app, kiosk]")]),
        case("request: enum value removed", vec![(T, "enum: [web, app]", "enum: [web]")]),
        case(
            "response: enum value added",
            vec![(T, "enum: [booked, cancelled]", "enum: [booked, cancelled, waitlisted]")],
        ),
        case("response: enum value removed", vec![(T, "enum: [booked, cancelled]", "enum: [booked]")]),
        case(
            "request union: new variant",
            vec![
                (T, "      - $ref: \"#/$defs/CashPayment\"\n", "      - $ref: \"#/$defs/CashPayment\"\n      - $ref: \"#/$defs/VoucherPayment\"\n"),
                (T, "  Booking:\n", "  VoucherPayment:\n    description: Paid with a voucher.\n    type: object\n    properties:\n      kind: { const: voucher }\n    required: [kind]\n\n  Booking:\n"),
            ],
        ),
        case("request union: variant removed", vec![(T, "      - $ref: \"#/$defs/CashPayment\"\n", "")]),
        case(
            "request union: new optional property in a variant",
            vec![(T, "      last4: { description: Last four digits., type: string }\n", "      last4: { description: Last four digits., type: string }\n      holder: { description: Name on the card., type: string }\n")],
        ),
        case(
            "request union: property of a variant became optional",
            vec![(T, "    required: [kind, last4]\n", "    required: [kind]\n")],
        ),
        case(
            "type renamed",
            vec![
                (M, "response: types.schema.yaml#/$defs/Booking\n    status: 201", "response: types.schema.yaml#/$defs/Reservation\n    status: 201"),
                (M, "response: types.schema.yaml#/$defs/Booking\n    critical", "response: types.schema.yaml#/$defs/Reservation\n    critical"),
                (T, "  Booking:\n", "  Reservation:\n"),
                (T, "items: { $ref: \"#/$defs/Booking\" }", "items: { $ref: \"#/$defs/Reservation\" }"),
            ],
        ),
        case("unused type removed", vec![(T, "  Coupon:\n    description: A discount code no operation uses yet.\n    type: object\n    properties:\n      code: { description: The code., type: string }\n    required: [code]\n", "")]),
        case(
            "new operation",
            vec![(M, GET_BOOKING, "  getBooking:
    summary: Fetch one booking.
    method: GET
    path: /internal/bookings/{bookingId}
    params:
      bookingId: { type: string, format: uuid }
    response: types.schema.yaml#/$defs/Booking
    critical: false

  getClassWaitlist:
    summary: Who waits for a class.
    method: GET
    path: /internal/classes/{classId}/waitlist
    params:
      classId: { type: string, format: uuid }
    response: types.schema.yaml#/$defs/Booking
")],
        ),
        case("operation removed", vec![(M, GET_BOOKING, ""), (M, "    status: 201\n\n", "    status: 201\n")]),
        case("operation id renamed (same route)", vec![(M, "  createBooking:\n", "  makeBooking:\n")]),
        case("response body removed", vec![(M, "    response: types.schema.yaml#/$defs/Booking\n    status: 201\n", "")]),
        case(
            "query added",
            vec![
                (M, "    response: types.schema.yaml#/$defs/Booking\n    critical: false\n", "    query: types.schema.yaml#/$defs/GetBookingQuery\n    response: types.schema.yaml#/$defs/Booking\n    critical: false\n"),
                (T, "  Booking:\n", "  GetBookingQuery:\n    description: How to answer.\n    type: object\n    properties:\n      fresh: { description: Skip caches., type: boolean }\n\n  Booking:\n"),
            ],
        ),
        case("marked critical again", vec![(M, "    critical: false\n", "")]),
        case(
            "path parameter type changed",
            vec![(M, "      bookingId: { type: string, format: uuid }\n", "      bookingId: { type: integer, minimum: 1 }\n")],
        ),
        case(
            "path parameter renamed",
            vec![
                (M, "path: /internal/bookings/{bookingId}", "path: /internal/bookings/{id}"),
                (M, "      bookingId: { type: string, format: uuid }\n", "      id: { type: string, format: uuid }\n"),
            ],
        ),
        case(
            "path gains a parameter",
            vec![(M, GET_BOOKING_ROUTE, "path: /internal/members/{memberId}/bookings/{bookingId}\n    params:\n      memberId: { type: string }\n      bookingId: { type: string, format: uuid }\n")],
        ),
        case(
            "route moved, same parameters (wire only)",
            vec![(M, GET_BOOKING_ROUTE, "path: /internal/reservations/{bookingId}\n    params:\n      bookingId: { type: string, format: uuid }\n")],
        ),
        case("query removed", vec![(M, "    query: types.schema.yaml#/$defs/ListBookingsQuery\n", "")]),
        case("request body removed", vec![(M, "    request: types.schema.yaml#/$defs/CreateBookingRequest\n", "")]),
        case(
            "request body added",
            vec![
                (M, CANCEL_BOOKING_PATH, "    path: /internal/bookings/{bookingId}/cancel\n    request: types.schema.yaml#/$defs/CancelBookingRequest\n"),
                (T, "  Booking:\n", "  CancelBookingRequest:\n    description: Why.\n    type: object\n    properties:\n      reason: { description: Why., type: string }\n\n  Booking:\n"),
            ],
        ),
        case(
            "response body added",
            vec![(M, CANCEL_BOOKING_PATH, "    path: /internal/bookings/{bookingId}/cancel\n    response: types.schema.yaml#/$defs/Booking\n")],
        ),
        case("bulk read removed", vec![(M, "    bulk: bookingIds\n", "")]),
        case(
            "response: map of additional properties lost (additionalProperties: false)",
            vec![(T, RESPONSE_ADDITIONAL, "    additionalProperties: false\n")],
        ),
        case(
            "response: additional properties' value type changed",
            vec![(T, RESPONSE_ADDITIONAL, "    additionalProperties: { description: Desk counters., type: integer }\n")],
        ),
        case(
            "request: map of additional properties gained (was additionalProperties: false)",
            vec![(T, REQUEST_CLOSED, "    required: [memberId, classId, channel, payment]\n    additionalProperties: { description: Extra answers., type: string }\n")],
        ),
        case(
            "request: string enum became a plain string (shape changed)",
            vec![(T, "    type: string\n    enum: [web, app]\n", "    type: string\n")],
        ),
        case(
            "request: required property became optional with a default",
            vec![
                (T, "      classId: { description: Which class., type: integer }\n", "      classId: { description: Which class., type: integer, default: 1 }\n"),
                (T, REQUEST_REQUIRED, "    required: [memberId, channel, payment]\n"),
            ],
        ),
        case(
            "response: optional property gained a default",
            vec![(T, RESPONSE_NOTE, "      note: { description: A note from the desk., type: string, default: \"\" }\n")],
        ),
        case(
            "response: field renamed by a new property claiming its Rust name",
            vec![(T, "      seats: { description: Places taken., type: integer }\n", "      Seats: { description: Places as the desk counts them., type: integer }\n      seats: { description: Places taken., type: integer }\n")],
        ),
        case(
            "response untagged union: new variant",
            vec![
                (T, VENUE_ONLINE, "      - $ref: \"#/$defs/Online\"\n      - $ref: \"#/$defs/Outdoors\"\n"),
                (T, "  Online:\n", "  Outdoors:\n    description: In a park.\n    type: object\n    properties:\n      park: { description: Which park., type: string }\n    required: [park]\n\n  Online:\n"),
            ],
        ),
        case(
            "response untagged union: variant removed",
            vec![(T, VENUE_ONLINE, "")],
        ),
        case(
            "response untagged union: variant's type renamed",
            vec![
                (T, VENUE_ONLINE, "      - $ref: \"#/$defs/Remote\"\n"),
                (T, "  Online:\n", "  Remote:\n"),
            ],
        ),
        silently(
            Breaks::Implementers,
            case(
                "response: enum variant renamed by a new value claiming its name (builders compile, send the other value)",
                vec![(T, "enum: [booked, cancelled]", "enum: [Booked, booked, cancelled]")],
            ),
        ),
        silently(
            Breaks::Callers,
            case(
                "response: field renamed by a new property of the same type claiming its name (readers compile, read the other)",
                vec![
                    (T, "      seats: { description: Places taken., type: integer }\n", "      Seats: { description: Places as the desk counts them., type: integer }\n      seats: { description: Places taken., type: integer }\n"),
                    (T, RESPONSE_REQUIRED, "    required: [id, memberId, status, Seats, seats]\n"),
                ],
            ),
        ),
        silently(
            Breaks::Callers,
            case(
                "request union: variant renamed by a new tag value claiming its name (builders compile, send the other tag)",
                vec![
                    (T, "      - $ref: \"#/$defs/CardPayment\"\n", "      - $ref: \"#/$defs/LegacyCardPayment\"\n      - $ref: \"#/$defs/CardPayment\"\n"),
                    (T, "  CashPayment:\n", "  LegacyCardPayment:\n    description: Paid by a card of the old terminal.\n    type: object\n    properties:\n      kind: { const: Card }\n      last4: { description: Last four digits., type: string }\n    required: [kind, last4]\n\n  CashPayment:\n"),
                ],
            ),
        ),
        case(
            "unused type: new required property",
            vec![(T, "    required: [code]\n", "      percent: { description: Discount., type: integer }\n    required: [code, percent]\n")],
        ),
    ]
}

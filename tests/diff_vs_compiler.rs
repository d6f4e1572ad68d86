//! `solo60-gen diff` checked against the compiler.
//!
//! One small service (a base contract), and for each kind of change `diff` knows a head
//! contract. A caller crate (builds requests with `new` and `with_`, calls the client trait,
//! keeps a fake of it, reads and matches responses) and an implementer crate (implements
//! the server trait, reads and matches requests, builds responses) are written once, against
//! the base. For each case the head crate is generated in place of the base, and both are
//! checked against it. Then: `diff` says "breaks callers" exactly when the caller fails to
//! compile, and "breaks implementers" exactly when the implementer does; for a change that
//! compiles but silently means something else, `diff` must flag the side and say so. Run
//! with `--nocapture` for the whole table.
//!
//! All cases live in one scratch cargo workspace under the target's `tmp/`, checked by one
//! `cargo check --workspace --keep-going --message-format=json`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use solo60_gen::diff::{diff_services_at, load_services, Breaks, ContractDiff};
use solo60_gen::ir::calendar::Date;
use solo60_gen::Config;

const MANIFEST: &str = "service: booking
description: Class bookings.
baseUrlEnv: BOOKING_API_URL
operations:
  createBooking:
    summary: Book a class.
    method: POST
    path: /internal/bookings
    request: types.schema.yaml#/$defs/CreateBookingRequest
    response: types.schema.yaml#/$defs/Booking
    status: 201

  getBooking:
    summary: Fetch one booking.
    method: GET
    path: /internal/bookings/{bookingId}
    params:
      bookingId: { type: string, format: uuid }
    response: types.schema.yaml#/$defs/Booking
    critical: false

  getBookings:
    summary: Fetch many bookings.
    method: POST
    path: /internal/bookings/bulk
    request: types.schema.yaml#/$defs/GetBookingsRequest
    response: types.schema.yaml#/$defs/BookingPage
    retry: safe
    bulk: bookingIds

  listBookings:
    summary: A member's bookings.
    method: GET
    path: /internal/bookings
    query: types.schema.yaml#/$defs/ListBookingsQuery
    response: types.schema.yaml#/$defs/BookingPage

  cancelBooking:
    summary: Cancel a booking.
    method: POST
    path: /internal/bookings/{bookingId}/cancel
    params:
      bookingId: { type: string, format: uuid }
";

const TYPES: &str = r##"$schema: "https://json-schema.org/draft/2020-12/schema"
$id: "https://contracts.solo60.dev/booking/types.schema.yaml"
description: Types of the booking service.
$defs:
  CreateBookingRequest:
    description: A booking to make.
    type: object
    properties:
      memberId: { description: Who books., type: string }
      classId: { description: Which class., type: integer }
      channel: { $ref: "#/$defs/Channel" }
      payment: { $ref: "#/$defs/Payment" }
      note: { description: A note for the trainer., type: string }
    required: [memberId, classId, channel, payment]
    additionalProperties: false

  Channel:
    description: Where the booking was made.
    type: string
    enum: [web, app]

  Payment:
    description: How the class is paid.
    oneOf:
      - $ref: "#/$defs/CardPayment"
      - $ref: "#/$defs/CashPayment"

  CardPayment:
    description: Paid by card.
    type: object
    properties:
      kind: { const: card }
      last4: { description: Last four digits., type: string }
    required: [kind, last4]

  CashPayment:
    description: Paid at the desk.
    type: object
    properties:
      kind: { const: cash }
    required: [kind]

  Booking:
    description: A booking made.
    type: object
    properties:
      id: { description: Booking id., type: string }
      memberId: { description: Who booked., type: string }
      status: { $ref: "#/$defs/BookingStatus" }
      seats: { description: Places taken., type: integer }
      note: { description: A note from the desk., type: string }
      venue: { $ref: "#/$defs/Venue" }
    required: [id, memberId, status, seats]
    additionalProperties: { description: Desk annotations., type: string }

  BookingStatus:
    description: Where a booking stands.
    type: string
    enum: [booked, cancelled]

  Venue:
    description: Where the class takes place.
    oneOf:
      - $ref: "#/$defs/Studio"
      - $ref: "#/$defs/Online"

  Studio:
    description: In a studio.
    type: object
    properties:
      room: { description: Which room., type: string }
    required: [room]

  Online:
    description: Streamed.
    type: object
    properties:
      link: { description: Stream address., type: string }
    required: [link]

  GetBookingsRequest:
    description: Bookings to fetch in one call.
    type: object
    properties:
      bookingIds:
        description: Which bookings.
        type: array
        items: { type: string, format: uuid }
        maxItems: 50
    required: [bookingIds]

  BookingPage:
    description: Some bookings.
    type: object
    properties:
      bookings: { description: The bookings., type: array, items: { $ref: "#/$defs/Booking" } }
    required: [bookings]

  ListBookingsQuery:
    description: Whose bookings.
    type: object
    properties:
      memberId: { description: The member., type: string }
    required: [memberId]

  Coupon:
    description: A discount code no operation uses yet.
    type: object
    properties:
      code: { description: The code., type: string }
    required: [code]
"##;

/// Code calling the service, written as the README recommends.
const CALLER: &str = r#"#![allow(dead_code)]
use booking_api::client::{BookingServiceApi, BookingServiceClient};
use booking_api::{
    Booking, BookingPage, BookingStatus, Channel, Coupon, CreateBookingRequest, ListBookingsQuery,
    Payment, Venue,
};
use solo60_runtime::{AppError, ErrorKind, Uuid};

pub fn request(by_card: bool, from_app: bool) -> CreateBookingRequest {
    let channel = if from_app { Channel::App } else { Channel::Web };
    let payment = if by_card {
        Payment::Card { last4: "4242".to_owned() }
    } else {
        Payment::Cash {}
    };
    CreateBookingRequest::new("member-1".to_owned(), 7, channel, payment)
        .with_note("window seat".to_owned())
}

pub fn describe(booking: &Booking) -> String {
    let status = match booking.status {
        BookingStatus::Booked => "booked",
        BookingStatus::Cancelled => "cancelled",
    };
    let id: &str = &booking.id;
    let member: &str = &booking.member_id;
    let seats: i64 = booking.seats;
    let note: Option<&str> = booking.note.as_deref();
    let venue: &str = match &booking.venue {
        Some(Venue::Studio(studio)) => &studio.room,
        Some(Venue::Online(online)) => &online.link,
        None => "",
    };
    let desk: Option<&String> = booking.additional_properties.get("desk");
    format!("{id} {member} {status} {seats} {note:?} {venue} {desk:?}")
}

pub async fn of_member(api: &impl BookingServiceApi) -> Result<Vec<String>, AppError> {
    let query = ListBookingsQuery::new("member-1".to_owned());
    let page: BookingPage = api.list_bookings(&query).await?;
    Ok(page.bookings.iter().map(describe).collect())
}

pub async fn cancel(api: &impl BookingServiceApi, id: Uuid) -> Result<(), AppError> {
    api.cancel_booking(id).await
}

pub async fn many(client: &BookingServiceClient, ids: Vec<Uuid>) -> Result<usize, AppError> {
    let pages: Vec<BookingPage> = client.get_bookings_chunked(ids).await?;
    Ok(pages.iter().map(|page| page.bookings.len()).sum())
}

pub async fn book(api: &impl BookingServiceApi, id: Uuid) -> Result<String, AppError> {
    let created: Booking = api.create_booking(&request(true, false)).await?;
    let fetched: Booking = api.get_booking_or(id, created.clone()).await?;
    let again: Booking = api.get_booking(id).await?;
    Ok(format!("{} {} {}", describe(&created), describe(&fetched), describe(&again)))
}

pub fn coupon() -> Coupon {
    Coupon::new("SPRING".to_owned())
}

/// A caller's own fake, implementing only the operation it needs.
pub struct Fake;

impl BookingServiceApi for Fake {
    fn create_booking(
        &self,
        request: &CreateBookingRequest,
    ) -> impl std::future::Future<Output = Result<Booking, AppError>> + Send {
        let _ = request;
        std::future::ready(Err(AppError::new(ErrorKind::Unavailable, "fake")))
    }
}
"#;

/// The service implementing the contract.
const IMPLEMENTER: &str = r#"#![allow(dead_code)]
use booking_api::server::BookingService;
use booking_api::{
    Booking, BookingPage, BookingStatus, Channel, Coupon, CreateBookingRequest,
    GetBookingsRequest, ListBookingsQuery, Online, Payment, Studio, Venue,
};
use solo60_runtime::server::RequestContext;
use solo60_runtime::{AppError, Uuid};

pub struct Bookings;

fn answer(id: String, member: String, cancelled: bool, seats: i64) -> Booking {
    let status = if cancelled { BookingStatus::Cancelled } else { BookingStatus::Booked };
    let venue = if seats > 1 {
        Venue::Online(Online::new("https://stream.example/1".to_owned()))
    } else {
        Venue::Studio(Studio::new("A".to_owned()))
    };
    let mut booking = Booking::new(id, member, status, seats)
        .with_note("see you there".to_owned())
        .with_venue(venue);
    booking.additional_properties.insert("desk".to_owned(), "front".to_owned());
    booking
}

impl BookingService for Bookings {
    async fn create_booking(
        &self,
        _context: RequestContext,
        request: CreateBookingRequest,
    ) -> Result<Booking, AppError> {
        let member: String = request.member_id;
        let class: i64 = request.class_id;
        let note: Option<String> = request.note;
        let seats = match request.channel {
            Channel::Web => 1,
            Channel::App => 2,
        };
        let paid = match request.payment {
            Payment::Card { last4, .. } => last4,
            Payment::Cash { .. } => String::new(),
        };
        Ok(answer(format!("{class}-{paid}-{note:?}"), member, false, seats))
    }

    async fn get_booking(
        &self,
        _context: RequestContext,
        booking_id: Uuid,
    ) -> Result<Booking, AppError> {
        Ok(answer(booking_id.to_string(), String::new(), true, 1))
    }

    async fn get_bookings(
        &self,
        _context: RequestContext,
        request: GetBookingsRequest,
    ) -> Result<BookingPage, AppError> {
        let ids: Vec<Uuid> = request.booking_ids;
        let bookings = ids.iter().map(|id| answer(id.to_string(), String::new(), false, 1));
        Ok(BookingPage::new(bookings.collect()))
    }

    async fn list_bookings(
        &self,
        _context: RequestContext,
        query: ListBookingsQuery,
    ) -> Result<BookingPage, AppError> {
        let member: String = query.member_id;
        Ok(BookingPage::new(vec![answer(String::new(), member, false, 2)]))
    }

    async fn cancel_booking(
        &self,
        _context: RequestContext,
        booking_id: Uuid,
    ) -> Result<(), AppError> {
        let _ = booking_id;
        Ok(())
    }
}

pub fn coupon() -> Coupon {
    Coupon::new("SPRING".to_owned())
}
"#;

#[derive(Clone, Copy)]
enum File {
    Manifest,
    Types,
}

struct Case {
    name: &'static str,
    edits: Vec<(File, &'static str, &'static str)>,
    /// The sides whose code still compiles but silently means something else (`new`'s
    /// arguments of one type swapped, a Rust name taken over by another property or value):
    /// `diff` must say it breaks them, and say "silently".
    silent: Breaks,
}

/// The same case, compiling silently on `sides`.
fn silently(sides: Breaks, case: Case) -> Case {
    Case {
        silent: sides,
        ..case
    }
}

fn case(name: &'static str, edits: Vec<(File, &'static str, &'static str)>) -> Case {
    Case {
        name,
        edits,
        silent: Breaks::Nobody,
    }
}

const REQUEST_NOTE: &str = "      note: { description: A note for the trainer., type: string }\n";
const REQUEST_REQUIRED: &str = "    required: [memberId, classId, channel, payment]\n";
const RESPONSE_NOTE: &str = "      note: { description: A note from the desk., type: string }\n";
const RESPONSE_REQUIRED: &str = "    required: [id, memberId, status, seats]\n";
const REQUEST_CLOSED: &str =
    "    required: [memberId, classId, channel, payment]\n    additionalProperties: false\n";
const RESPONSE_ADDITIONAL: &str =
    "    additionalProperties: { description: Desk annotations., type: string }\n";
const VENUE_ONLINE: &str = "      - $ref: \"#/$defs/Online\"\n";
const GET_BOOKING_ROUTE: &str =
    "path: /internal/bookings/{bookingId}\n    params:\n      bookingId: { type: string, format: uuid }\n";
const CANCEL_BOOKING_PATH: &str = "    path: /internal/bookings/{bookingId}/cancel\n";
const GET_BOOKING: &str = "  getBooking:
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
fn cases() -> Vec<Case> {
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

fn apply(case: &Case) -> (String, String) {
    let (mut manifest, mut types) = (MANIFEST.to_owned(), TYPES.to_owned());
    for (file, from, to) in &case.edits {
        let text = match file {
            File::Manifest => &mut manifest,
            File::Types => &mut types,
        };
        assert!(
            text.contains(from),
            "{}: edit target not found: {from:?}",
            case.name
        );
        *text = text.replacen(from, to, 1);
    }
    (manifest, types)
}

fn write_contracts(dir: &Path, manifest: &str, types: &str) {
    let service = dir.join("booking");
    fs::create_dir_all(&service).expect("contracts dir");
    fs::write(service.join("service.yaml"), manifest).expect("manifest");
    fs::write(service.join("types.schema.yaml"), types).expect("types");
}

fn package(dir: &Path, name: &str, api: &str, feature: &str, runtime: &Path, source: &str) {
    fs::create_dir_all(dir.join("src")).expect("package dir");
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nbooking-api = {{ package = \"{api}\", path = \"../api\", features = [\"{feature}\"] }}\n\
             solo60-runtime = {{ path = {runtime:?}, features = [\"{feature}\"] }}\n"
        ),
    )
    .expect("package manifest");
    fs::write(dir.join("src/lib.rs"), source).expect("package source");
}

/// Per package directory, whether it compiled, and its first error.
fn check(workspace: &Path, target: &Path) -> (BTreeSet<PathBuf>, BTreeMap<PathBuf, String>) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--offline",
            "--message-format=json",
        ])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let mut built = BTreeSet::new();
    let mut errors = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let Some(manifest) = message["manifest_path"].as_str() else {
            continue;
        };
        let dir = Path::new(manifest)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                built.insert(dir);
            }
            Some("compiler-message") if message["message"]["level"] == "error" => {
                errors.entry(dir).or_insert_with(|| {
                    message["message"]["message"]
                        .as_str()
                        .unwrap_or("?")
                        .to_owned()
                });
            }
            _ => {}
        }
    }
    assert!(
        !built.is_empty(),
        "cargo check built nothing:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (built, errors)
}

fn side(breaks: bool) -> &'static str {
    if breaks {
        "breaks"
    } else {
        "compiles"
    }
}

#[test]
fn diff_says_whose_build_breaks_exactly_when_the_compiler_does() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-vs-compiler");
    let workspace = root.join("workspace");
    let _ = fs::remove_dir_all(&workspace);
    fs::create_dir_all(&workspace).expect("workspace");
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
    let base_dir = workspace.join("base-schemas");
    write_contracts(&base_dir, MANIFEST, TYPES);
    let base = load_services(&base_dir).expect("the base contract lowers");
    let today = Date::from_days_since_epoch(20_000);

    let cases = cases();
    let mut members = Vec::new();
    let mut diffs: Vec<ContractDiff> = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let id = format!("case-{index:02}");
        let dir = workspace.join(&id);
        let (manifest, types) = apply(case);
        let schemas = dir.join("schemas");
        write_contracts(&schemas, &manifest, &types);
        let head = load_services(&schemas).expect("the head contract lowers");
        diffs.push(diff_services_at(&base, &head, today));

        let generated = dir.join("generated");
        let mut config = Config::new();
        config
            .schemas_dir(&schemas)
            .out_dir(&generated)
            .runtime_dependency(format!("path = {:?}", runtime.display().to_string()));
        config.generate().expect("the head crate generates");
        let api = dir.join("api");
        fs::rename(generated.join("booking"), &api).expect("move the crate");
        let api_name = format!("{id}-api");
        let cargo_toml = api.join("Cargo.toml");
        let text = fs::read_to_string(&cargo_toml).expect("generated Cargo.toml");
        assert!(text.contains("name = \"booking-api\""), "{text}");
        fs::write(
            &cargo_toml,
            text.replacen(
                "name = \"booking-api\"",
                &format!("name = \"{api_name}\""),
                1,
            ),
        )
        .expect("rename the crate");
        package(
            &dir.join("caller"),
            &format!("{id}-caller"),
            &api_name,
            "client",
            &runtime,
            CALLER,
        );
        package(
            &dir.join("implementer"),
            &format!("{id}-implementer"),
            &api_name,
            "server",
            &runtime,
            IMPLEMENTER,
        );
        members.extend(["api", "caller", "implementer"].map(|part| format!("\"{id}/{part}\"")));
    }
    fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
            members.join(", ")
        ),
    )
    .expect("workspace manifest");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"),
        workspace.join("Cargo.lock"),
    )
    .expect("the repository's lock file");

    let (built, errors) = check(&workspace, &root.join("target"));
    let mut table = String::new();
    let mut wrong = 0;
    let _ = writeln!(
        table,
        "{:<78} {:<26} {:<26} first error",
        "case", "diff (callers/impl)", "compiler (callers/impl)"
    );
    for (index, (case, diff)) in cases.iter().zip(&diffs).enumerate() {
        let dir = workspace.join(format!("case-{index:02}"));
        let api_ok = built.contains(&dir.join("api"));
        let caller_ok = built.contains(&dir.join("caller"));
        let implementer_ok = built.contains(&dir.join("implementer"));
        let breaks = diff.breaks();
        // A side that compiles silently must still be flagged; any other side is flagged
        // exactly when it fails to compile.
        let side_agrees = |flagged: bool, silent: bool, compiles: bool| {
            if silent {
                flagged && compiles
            } else {
                flagged != compiles
            }
        };
        let agrees = api_ok
            && side_agrees(breaks.callers(), case.silent.callers(), caller_ok)
            && side_agrees(
                breaks.implementers(),
                case.silent.implementers(),
                implementer_ok,
            )
            && (case.silent == Breaks::Nobody
                || diff
                    .changes
                    .iter()
                    .any(|change| change.why.contains("silently")));
        if !agrees {
            wrong += 1;
        }
        let first_error = ["api", "caller", "implementer"]
            .iter()
            .filter_map(|part| {
                errors
                    .get(&dir.join(part))
                    .map(|error| format!("{part}: {error}"))
            })
            .next()
            .unwrap_or_default();
        let _ = writeln!(
            table,
            "{} {:<76} {:<26} {:<26} {}",
            if agrees { " " } else { "✗" },
            case.name,
            format!("{}/{}", side(breaks.callers()), side(breaks.implementers())),
            format!(
                "{}/{}{}",
                side(!caller_ok),
                side(!implementer_ok),
                if api_ok { "" } else { " (api fails!)" }
            ),
            first_error
        );
    }
    println!("{table}");
    assert!(
        wrong == 0,
        "{wrong} of {} cases disagree:\n{table}",
        cases.len()
    );
    assert!(cases.len() >= 30, "{} cases", cases.len());
}

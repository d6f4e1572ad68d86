//! The base contract of the diff-vs-compiler test, and the caller and implementer written
//! against the crate it generates.

pub(crate) const MANIFEST: &str = "service: booking
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

pub(crate) const TYPES: &str = r##"$schema: "https://json-schema.org/draft/2020-12/schema"
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
pub(crate) const CALLER: &str = r#"#![allow(dead_code)]
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
pub(crate) const IMPLEMENTER: &str = r#"#![allow(dead_code)]
use booking_api::server::BookingService;
use booking_api::{
    Booking, BookingPage, BookingStatus, Channel, Coupon, CreateBookingRequest,
    GetBookingsRequest, ListBookingsQuery, Online, Payment, Studio, Venue,
};
use solo60_runtime::server::RequestContext;
use solo60_runtime::{AppError, Uuid};

pub struct Bookings;

pub(crate) fn answer(id: String, member: String, cancelled: bool, seats: i64) -> Booking {
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

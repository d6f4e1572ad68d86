//! `solo60-gen diff` checked against the compiler.
//!
//! One small service (a base contract), and for each kind of change `diff` knows a head
//! contract. A caller crate (builds requests with `new` and `with_`, calls the client trait,
//! keeps a fake of it, reads and matches responses) and an implementer crate (implements
//! the server trait, reads and matches requests, builds responses) are written once, against
//! the base. For each case the head crate is generated in place of the base, and both are
//! checked against it. Then: `diff` says "breaks callers" exactly when the caller fails to
//! compile, and "breaks implementers" exactly when the implementer does.
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
    required: [id, memberId, status, seats]

  BookingStatus:
    description: Where a booking stands.
    type: string
    enum: [booked, cancelled]

  Coupon:
    description: A discount code no operation uses yet.
    type: object
    properties:
      code: { description: The code., type: string }
    required: [code]
"##;

/// Code calling the service, written as the README recommends.
const CALLER: &str = r#"#![allow(dead_code)]
use booking_api::client::BookingServiceApi;
use booking_api::{Booking, BookingStatus, Channel, Coupon, CreateBookingRequest, Payment};
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
    format!("{id} {member} {status} {seats} {note:?}")
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
use booking_api::{Booking, BookingStatus, Channel, Coupon, CreateBookingRequest, Payment};
use solo60_runtime::server::RequestContext;
use solo60_runtime::{AppError, Uuid};

pub struct Bookings;

fn answer(id: String, member: String, cancelled: bool, seats: i64) -> Booking {
    let status = if cancelled { BookingStatus::Cancelled } else { BookingStatus::Booked };
    Booking::new(id, member, status, seats).with_note("see you there".to_owned())
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
    /// The change swaps `new`'s arguments of the same type: `diff` must say it breaks the
    /// builders, though the old calls still compile.
    silent: bool,
}

fn case(name: &'static str, edits: Vec<(File, &'static str, &'static str)>) -> Case {
    Case {
        name,
        edits,
        silent: false,
    }
}

const REQUEST_NOTE: &str = "      note: { description: A note for the trainer., type: string }\n";
const REQUEST_REQUIRED: &str = "    required: [memberId, classId, channel, payment]\n";
const RESPONSE_NOTE: &str = "      note: { description: A note from the desk., type: string }\n";
const RESPONSE_REQUIRED: &str = "    required: [id, memberId, status, seats]\n";
const GET_BOOKING: &str = "  getBooking:
    summary: Fetch one booking.
    method: GET
    path: /internal/bookings/{bookingId}
    params:
      bookingId: { type: string, format: uuid }
    response: types.schema.yaml#/$defs/Booking
    critical: false
";

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
        Case {
            silent: true,
            ..case(
                "response: required properties of one type reordered (compiles, swaps values)",
                vec![(
                    T,
                    "      id: { description: Booking id., type: string }\n      memberId: { description: Who booked., type: string }\n",
                    "      memberId: { description: Who booked., type: string }\n      id: { description: Booking id., type: string }\n",
                )],
            )
        },
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
            "type renamed",
            vec![
                (M, "response: types.schema.yaml#/$defs/Booking\n    status: 201", "response: types.schema.yaml#/$defs/Reservation\n    status: 201"),
                (M, "response: types.schema.yaml#/$defs/Booking\n    critical", "response: types.schema.yaml#/$defs/Reservation\n    critical"),
                (T, "  Booking:\n", "  Reservation:\n"),
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
        let agrees = if case.silent {
            breaks == Breaks::Implementers
                && caller_ok
                && implementer_ok
                && diff
                    .changes
                    .iter()
                    .any(|change| change.why.contains("silently"))
        } else {
            api_ok && breaks.callers() != caller_ok && breaks.implementers() != implementer_ok
        };
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
    assert!(
        wrong == 0,
        "{wrong} of {} cases disagree:\n{table}",
        cases.len()
    );
    assert!(cases.len() >= 30, "{} cases", cases.len());
}

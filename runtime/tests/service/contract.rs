//! The contract of the test service, written by hand the way the generator writes it:
//! types with serde attributes and a `Validate` impl, and one `OperationInfo` per operation.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use solo60_runtime::contract::{Deprecation, Method, OperationInfo, RetryPolicy};
use solo60_runtime::validation::{check_required, check_type, keywords, Pattern, Types};
use solo60_runtime::{formats, Path, Uuid, Validate, ValidationErrors};

/// `{ name: string 2..=5 code points, age: integer 0 ≤ age < 150,
///    score?: number 0 < score ≤ 10 multipleOf 0.5, tags?: [string ^[a-z]+$] ≤ 3 unique,
///    email?: string format email }`, `additionalProperties: false`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateMember {
    pub name: String,
    pub age: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

static TAG: Pattern = Pattern::new("^[a-z]+$");

impl Validate for CreateMember {
    fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors) {
        check_type(value, Types::OBJECT, at, errors);
        let Value::Object(object) = value else { return };
        check_required(object, &["name", "age"], at, errors);
        if let Some(value) = object.get("name") {
            let at = &at.key("name");
            check_type(value, Types::STRING, at, errors);
            if let Value::String(text) = value {
                let count = keywords::char_count(text);
                if count < 2 {
                    errors.push(at, "minLength", "must be at least 2 characters long");
                }
                if count > 5 {
                    errors.push(at, "maxLength", "must be at most 5 characters long");
                }
            }
        }
        if let Some(value) = object.get("age") {
            let at = &at.key("age");
            check_type(value, Types::INTEGER, at, errors);
            if let Value::Number(number) = value {
                if keywords::compare_number(number, 0.0).is_lt() {
                    errors.push(at, "minimum", "must be greater than or equal to 0");
                }
                if keywords::compare_number(number, 150.0).is_ge() {
                    errors.push(at, "exclusiveMaximum", "must be less than 150");
                }
            }
        }
        if let Some(value) = object.get("score") {
            let at = &at.key("score");
            check_type(value, Types::NUMBER, at, errors);
            if let Value::Number(number) = value {
                if keywords::compare_number(number, 0.0).is_le() {
                    errors.push(at, "exclusiveMinimum", "must be greater than 0");
                }
                if keywords::compare_number(number, 10.0).is_gt() {
                    errors.push(at, "maximum", "must be less than or equal to 10");
                }
                if !keywords::is_multiple_of(number, 0.5) {
                    errors.push(at, "multipleOf", "must be a multiple of 0.5");
                }
            }
        }
        if let Some(value) = object.get("tags") {
            let at = &at.key("tags");
            check_type(value, Types::ARRAY, at, errors);
            if let Value::Array(items) = value {
                if items.len() > 3 {
                    errors.push(at, "maxItems", "must have at most 3 items");
                }
                if let Some((first, second)) = keywords::first_duplicate(items) {
                    errors.push(
                        at,
                        "uniqueItems",
                        format!("items {first} and {second} are equal"),
                    );
                }
                for (index, item) in items.iter().enumerate() {
                    let at = &at.index(index);
                    check_type(item, Types::STRING, at, errors);
                    if let Value::String(text) = item {
                        if !TAG.is_match(text) {
                            errors.push(at, "pattern", "must match ^[a-z]+$");
                        }
                    }
                }
            }
        }
        if let Some(value) = object.get("email") {
            let at = &at.key("email");
            check_type(value, Types::STRING, at, errors);
            if let Value::String(text) = value {
                if !formats::is_email(text) {
                    errors.push(at, "format", "must be a valid email");
                }
            }
        }
        for name in object.keys() {
            if !["name", "age", "score", "tags", "email"].contains(&name.as_str()) {
                errors.push(
                    &at.key(name),
                    "additionalProperties",
                    format!("property `{name}` is not allowed"),
                );
            }
        }
    }
}

/// `{ text: string }`; other properties are allowed (and ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub text: String,
}

impl Validate for Note {
    fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors) {
        check_type(value, Types::OBJECT, at, errors);
        let Value::Object(object) = value else { return };
        check_required(object, &["text"], at, errors);
        if let Some(value) = object.get("text") {
            check_type(value, Types::STRING, &at.key("text"), errors);
        }
    }
}

/// `{ limit?: integer 1..=100, active?: boolean, status?: ["active" | "paused"],
///    ratio?: number }`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListMembersQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<MemberStatus>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MemberStatus {
    Active,
    Paused,
}

impl Validate for ListMembersQuery {
    fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors) {
        check_type(value, Types::OBJECT, at, errors);
        let Value::Object(object) = value else { return };
        if let Some(value) = object.get("limit") {
            let at = &at.key("limit");
            check_type(value, Types::INTEGER, at, errors);
            if let Value::Number(number) = value {
                if keywords::compare_number(number, 1.0).is_lt() {
                    errors.push(at, "minimum", "must be greater than or equal to 1");
                }
                if keywords::compare_number(number, 100.0).is_gt() {
                    errors.push(at, "maximum", "must be less than or equal to 100");
                }
            }
        }
        if let Some(value) = object.get("active") {
            check_type(value, Types::BOOLEAN, &at.key("active"), errors);
        }
        if let Some(value) = object.get("ratio") {
            check_type(value, Types::NUMBER, &at.key("ratio"), errors);
        }
        if let Some(value) = object.get("status") {
            let at = &at.key("status");
            check_type(value, Types::ARRAY, at, errors);
            if let Value::Array(items) = value {
                for (index, item) in items.iter().enumerate() {
                    let at = &at.index(index);
                    check_type(item, Types::STRING, at, errors);
                    if item.is_string()
                        && !["active", "paused"].contains(&item.as_str().unwrap_or_default())
                    {
                        errors.push(at, "enum", "must be one of active, paused");
                    }
                }
            }
        }
    }
}

/// `{ email: string format email }`, `additionalProperties: false`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ByEmailQuery {
    pub email: String,
}

impl Validate for ByEmailQuery {
    fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors) {
        check_type(value, Types::OBJECT, at, errors);
        let Value::Object(object) = value else { return };
        check_required(object, &["email"], at, errors);
        if let Some(value) = object.get("email") {
            let at = &at.key("email");
            check_type(value, Types::STRING, at, errors);
            if value.as_str().is_some_and(|text| !formats::is_email(text)) {
                errors.push(at, "format", "must be a valid email");
            }
        }
        for name in object.keys().filter(|name| *name != "email") {
            errors.push(
                &at.key(name),
                "additionalProperties",
                format!("property `{name}` is not allowed"),
            );
        }
    }
}

/// What the handlers answer: which handler ran, with what, for whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Echo {
    pub operation: String,
    pub caller: String,
    pub correlation_id: String,
    /// `correlation::current()` inside the handler.
    pub current_correlation_id: Option<String>,
    #[serde(default)]
    pub ids: Vec<Uuid>,
    #[serde(default)]
    pub input: Value,
}

/// `{ operation, caller, correlationId: string, currentCorrelationId?: string | null, ids?, input? }`
impl Validate for Echo {
    fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors) {
        check_type(value, Types::OBJECT, at, errors);
        let Value::Object(object) = value else { return };
        check_required(
            object,
            &["operation", "caller", "correlationId"],
            at,
            errors,
        );
        for name in ["operation", "caller", "correlationId"] {
            if let Some(value) = object.get(name) {
                check_type(value, Types::STRING, &at.key(name), errors);
            }
        }
    }
}

macro_rules! operation {
    ($name:ident, $id:literal, $method:ident, $path:literal, $status:literal, $callers:expr) => {
        pub const $name: OperationInfo = OperationInfo {
            id: $id,
            method: Method::$method,
            path: $path,
            success_status: $status,
            retry: RetryPolicy::Safe,
            summary: "",
            callers: $callers,
            deprecation: None,
        };
    };
}

operation!(
    CREATE_MEMBER,
    "createMember",
    Post,
    "/internal/members",
    201,
    &[]
);
operation!(
    LIST_MEMBERS,
    "listMembers",
    Get,
    "/internal/members",
    200,
    &[]
);
operation!(
    GET_MEMBER,
    "getMember",
    Get,
    "/internal/members/{memberId}",
    200,
    &[]
);
/// Deprecated: the one operation that announces a retirement.
pub const FIND_BY_EMAIL: OperationInfo = OperationInfo {
    id: "findByEmail",
    method: Method::Get,
    path: "/internal/members/by-email",
    success_status: 200,
    retry: RetryPolicy::Safe,
    summary: "",
    callers: &["session", "admin"],
    deprecation: Some(Deprecation {
        deprecated_at: "@1794700800",
        sunset: Some("Mon, 31 May 2027 00:00:00 GMT"),
        replacement: None,
    }),
};
operation!(
    DELETE_MEMBER,
    "deleteMember",
    Delete,
    "/internal/members/{memberId}",
    204,
    &["admin", "session"]
);
operation!(
    PURGE_MEMBERS,
    "purgeMembers",
    Delete,
    "/internal/members",
    204,
    &["admin"]
);
operation!(
    CHECK_OUT,
    "checkOut",
    Put,
    "/internal/gyms/{gymId}/check-ins/{checkInId}",
    200,
    &[]
);
operation!(EXPLODE, "explode", Post, "/internal/faults/panic", 200, &[]);
operation!(STALL, "stall", Get, "/internal/faults/slow", 200, &[]);

/// The generated `operations::ALL`.
pub const ALL: &[OperationInfo] = &[
    CREATE_MEMBER,
    LIST_MEMBERS,
    GET_MEMBER,
    FIND_BY_EMAIL,
    DELETE_MEMBER,
    PURGE_MEMBERS,
    CHECK_OUT,
    EXPLODE,
    STALL,
];

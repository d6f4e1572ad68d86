//! A two-type contract written by hand the way the generator writes it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use solo60_runtime::contract::{Method, OperationInfo, RetryPolicy};
use solo60_runtime::{Path, Validate, ValidationErrors};

/// `{ "name": string, minLength 1 }`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ping {
    pub name: String,
}

impl Validate for Ping {
    fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors) {
        let Some(object) = value.as_object() else {
            errors.push(at, "type", "expected object");
            return;
        };
        match object.get("name") {
            Some(Value::String(name)) if name.chars().count() >= 1 => {}
            Some(Value::String(_)) => {
                errors.push(&at.key("name"), "minLength", "must be at least 1 character")
            }
            Some(_) => errors.push(&at.key("name"), "type", "expected string"),
            None => errors.push(&at.key("name"), "required", "`name` is required"),
        }
    }
}

/// `{ "greeting": string, "count": integer ≥ 0 }`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pong {
    pub greeting: String,
    pub count: i64,
}

impl Validate for Pong {
    fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors) {
        let Some(object) = value.as_object() else {
            errors.push(at, "type", "expected object");
            return;
        };
        match object.get("greeting") {
            Some(Value::String(_)) => {}
            Some(_) => errors.push(&at.key("greeting"), "type", "expected string"),
            None => errors.push(&at.key("greeting"), "required", "`greeting` is required"),
        }
        match object.get("count") {
            Some(count) if count.as_i64().is_some_and(|n| n >= 0) => {}
            Some(count) if count.is_i64() => {
                errors.push(&at.key("count"), "minimum", "must be at least 0")
            }
            Some(_) => errors.push(&at.key("count"), "type", "expected integer"),
            None => errors.push(&at.key("count"), "required", "`count` is required"),
        }
    }
}

pub fn pong_json() -> String {
    r#"{"greeting":"hello","count":1}"#.to_owned()
}

pub fn pong() -> Pong {
    Pong {
        greeting: "hello".into(),
        count: 1,
    }
}

/// A read: retried.
pub static GET_PING: OperationInfo = OperationInfo {
    id: "getPing",
    method: Method::Get,
    path: "/internal/pings/{pingId}",
    success_status: 200,
    retry: RetryPolicy::Safe,
    summary: "Read one ping.",
    callers: &[],
    deprecation: None,
};

/// A write without a key: never retried.
pub static SEND_PING: OperationInfo = OperationInfo {
    id: "sendPing",
    method: Method::Post,
    path: "/internal/pings",
    success_status: 201,
    retry: RetryPolicy::Unsafe,
    summary: "Send a ping.",
    callers: &[],
    deprecation: None,
};

/// A write with an `Idempotency-Key`: retried with the same key.
pub static CREATE_PING: OperationInfo = OperationInfo {
    id: "createPing",
    method: Method::Post,
    path: "/internal/pings/keyed",
    success_status: 201,
    retry: RetryPolicy::Keyed,
    summary: "Create a ping once.",
    callers: &[],
    deprecation: None,
};

/// A delete answering 204.
pub static DELETE_PING: OperationInfo = OperationInfo {
    id: "deletePing",
    method: Method::Delete,
    path: "/internal/pings/{pingId}",
    success_status: 204,
    retry: RetryPolicy::Safe,
    summary: "Delete a ping.",
    callers: &[],
    deprecation: None,
};

//! The operations of a service, as the IR holds them.

use crate::load::{ErrorSpec, HttpMethod, RetryPolicy};

use super::calendar::Date;
use super::schema::{Rules, Schema};
use super::types::{TypeExpr, TypeId};

/// One internal endpoint of a service.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// lowerCamelCase id from the manifest, e.g. `checkAccess`.
    pub id: String,
    /// snake_case Rust name, e.g. `check_access`.
    pub rust_name: String,
    pub summary: String,
    pub description: Option<String>,
    pub method: HttpMethod,
    /// The route as written, e.g. `/internal/subscriptions/{subscriptionId}`.
    pub path: String,
    pub path_params: Vec<PathParam>,
    pub query: Option<TypeId>,
    pub request: Option<TypeId>,
    pub response: Option<TypeId>,
    /// Status of a successful answer.
    pub status: u16,
    /// The manifest's policy, or the method's default.
    pub retry: RetryPolicy,
    pub errors: Vec<ErrorSpec>,
    /// Services allowed to call it; empty means any authenticated service.
    pub callers: Vec<String>,
    /// Whether callers may fall back to a default when the service is sick.
    pub criticality: Criticality,
    /// Set for bulk reads whose request carries a list to split into chunks.
    pub bulk: Option<Bulk>,
    /// 1 unless the manifest says otherwise.
    pub version: u32,
    /// For version 2 and later: the id of the operation this is a new version of.
    pub version_of: Option<String>,
    pub deprecation: Option<Deprecation>,
}

/// Whether a request can go on without this call's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criticality {
    /// No answer, no result: a failure fails the caller's request (the default).
    Critical,
    /// The caller can do with a fallback when the service is unavailable, slow or behind an
    /// open circuit; the client offers `<op>_or` and `<op>_or_else`.
    NonCritical,
}

/// A deprecated operation's retirement plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    /// The day it became deprecated.
    pub since: Date,
    /// The day after which it may be removed.
    pub sunset: Option<Date>,
    /// The operation id to move to.
    pub replacement: Option<String>,
    pub note: Option<String>,
}

/// A bulk read: one array property of the request, split into chunks by the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Bulk {
    /// The array property's wire name, e.g. `userIds`.
    pub wire_name: String,
    /// Its Rust field name, e.g. `user_ids`.
    pub field_name: String,
    /// The item type.
    pub item: TypeExpr,
    /// The largest chunk the contract accepts (`maxItems`).
    pub max_chunk: u64,
}

/// A `{name}` segment of an operation's path.
#[derive(Debug, Clone, PartialEq)]
pub struct PathParam {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeExpr,
    /// Every constraint of the parameter, checked by the server and the client alike.
    pub schema: Schema,
    /// A value from the parameter's `examples`, for the generated tests' calls.
    pub example: Option<serde_json::Value>,
}

impl PathParam {
    /// Whether the parameter's schema says more than its Rust type already guarantees: a
    /// `pattern`, a length, a bound, a format other than the UUID a `Uuid` parses. Parsing
    /// a path segment as `i64`, `Uuid` or a string enum checks `type`, `format: uuid` and
    /// `enum`; anything else needs the generated check.
    pub fn needs_check(&self) -> bool {
        match self.residual_schema() {
            Schema::Any => false,
            Schema::Nothing => true,
            Schema::Rules(rules) => *rules != Rules::default(),
        }
    }

    /// The parameter's schema without what parsing it as its Rust type already checked.
    pub fn residual_schema(&self) -> Schema {
        let Schema::Rules(rules) = &self.schema else {
            return self.schema.clone();
        };
        let mut residual = (**rules).clone();
        residual.types = None;
        match self.ty {
            TypeExpr::Uuid if residual.string.format.as_deref() == Some("uuid") => {
                residual.string.format = None;
            }
            TypeExpr::Named(id) => {
                // A string enum, parsed by serde: its values are the enumeration.
                if residual.reference == Some(id) {
                    residual.reference = None;
                }
                residual.enumeration = None;
            }
            _ => {}
        }
        Schema::Rules(Box::new(residual))
    }
}

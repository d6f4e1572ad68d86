//! What one call sends: operation, filled-in path, query, body and idempotency key.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::contract::OperationInfo;
use crate::validation::{Path, Validate, ValidationErrors};
use crate::{AppError, ErrorKind};

use super::codes;

/// What one call sends. Built by generated code, consumed by
/// [`ServiceClient::call`](super::ServiceClient::call).
pub struct Call<'a, B> {
    pub(crate) operation: &'static OperationInfo,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Option<&'a B>,
    pub(crate) idempotency_key: Option<String>,
    /// The first part of the request found to break its contract before anything is sent.
    pub(crate) refused: Option<Refused>,
}

/// A part of a call that breaks the contract, with every violation in it.
#[derive(Debug, Clone)]
pub(crate) struct Refused {
    /// What the violations are in, as the error message says it: `path parameters`, `query`.
    pub part: &'static str,
    pub violations: ValidationErrors,
}

/// The body of a call that sends none. It is never serialized: a call without
/// [`Call::body`] sends no body and no `content-type`. It reads from `null`, which is how
/// an empty (204) answer is read in tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct NoBody;

impl Serialize for NoBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

impl Validate for NoBody {
    fn validate_value(_: &Value, _: &Path<'_>, _: &mut ValidationErrors) {}
}

impl<'a> Call<'a, NoBody> {
    /// A call of `operation` to `path`, which already has its path parameters filled in and
    /// percent-encoded (see [`encode_path_segment`](super::encode_path_segment)).
    pub fn new(operation: &'static OperationInfo, path: String) -> Self {
        Self {
            operation,
            path,
            query: Vec::new(),
            body: None,
            idempotency_key: None,
            refused: None,
        }
    }
}

impl<'a, B> Call<'a, B> {
    /// Sends `body` as JSON.
    pub fn body<C>(self, body: &'a C) -> Call<'a, C> {
        Call {
            operation: self.operation,
            path: self.path,
            query: self.query,
            body: Some(body),
            idempotency_key: self.idempotency_key,
            refused: self.refused,
        }
    }

    /// Records the result of checking the path parameters against the contract (generated
    /// code calls the operation's `operations::check_*_path`). Violations fail the call
    /// before anything is sent, as a body that breaks the contract does: a `Validation`
    /// error coded `REQUEST_INVALID`, listing each at `/<parameter>`.
    pub fn path_checked(mut self, check: Result<(), ValidationErrors>) -> Self {
        if let Err(violations) = check {
            self.refuse("path parameters", violations);
        }
        self
    }

    fn refuse(&mut self, part: &'static str, violations: ValidationErrors) {
        if self.refused.is_none() {
            self.refused = Some(Refused { part, violations });
        }
    }

    /// Appends one query parameter; a name may repeat.
    pub fn query(mut self, name: &str, value: impl std::fmt::Display) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Appends the fields of a query struct: scalars by their text (strings unquoted), arrays
    /// as the same name repeated, `null` and absent fields left out. A nested object, or an
    /// array inside an array, has no query form and is a `BadRequest`. The query is checked
    /// against its contract as the server will check it; violations (pointers as the
    /// server's, `/limit`) fail the call before anything is sent.
    pub fn query_struct<Q: Serialize + Validate>(mut self, query: &Q) -> Result<Self, AppError> {
        let value = serde_json::to_value(query).map_err(|error| {
            AppError::new(
                ErrorKind::BadRequest,
                format!("the query cannot be encoded: {error}"),
            )
            .with_code(codes::REQUEST_NOT_ENCODABLE)
        })?;
        let mut violations = ValidationErrors::new();
        Q::validate_value(&value, &Path::Root, &mut violations);
        if !violations.is_empty() {
            self.refuse("query", violations);
        }
        let fields = match value {
            Value::Object(fields) => fields,
            Value::Null => return Ok(self),
            other => return Err(not_encodable("the query", &other)),
        };
        for (name, value) in fields {
            match value {
                Value::Null => {}
                Value::Array(items) => {
                    for item in items {
                        if let Some(text) = scalar_text(&item, &name)? {
                            self.query.push((name.clone(), text));
                        }
                    }
                }
                value => {
                    if let Some(text) = scalar_text(&value, &name)? {
                        self.query.push((name, text));
                    }
                }
            }
        }
        Ok(self)
    }

    /// Sends this `Idempotency-Key` on every attempt instead of a generated one. A call that
    /// has one may be retried even if its operation is not marked `keyed`: the server
    /// recognises the repeat.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    pub fn operation(&self) -> &'static OperationInfo {
        self.operation
    }

    /// The path with the query appended, as sent (for logs and tests).
    pub fn target(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.query)
            .finish();
        format!("{}?{query}", self.path)
    }
}

fn scalar_text(value: &Value, name: &str) -> Result<Option<String>, AppError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text.clone())),
        Value::Bool(flag) => Ok(Some(flag.to_string())),
        Value::Number(number) => Ok(Some(number.to_string())),
        other => Err(not_encodable(&format!("query parameter `{name}`"), other)),
    }
}

fn not_encodable(what: &str, value: &Value) -> AppError {
    let shape = match value {
        Value::Array(_) => "a nested array",
        Value::Object(_) => "an object",
        _ => "not an object",
    };
    AppError::new(
        ErrorKind::BadRequest,
        format!("{what} is {shape}, which has no query-string form"),
    )
    .with_code(codes::REQUEST_NOT_ENCODABLE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Method, RetryPolicy};
    use serde_json::json;

    static LIST: OperationInfo = OperationInfo {
        id: "listPlans",
        method: Method::Get,
        path: "/internal/plans",
        success_status: 200,
        retry: RetryPolicy::Safe,
        summary: "",
        callers: &[],
        deprecation: None,
    };

    fn call() -> Call<'static, NoBody> {
        Call::new(&LIST, "/internal/plans".to_owned())
    }

    /// Any JSON as a query, under a contract that accepts everything but a `limit` over 100.
    #[derive(Serialize)]
    #[serde(transparent)]
    struct AnyQuery(Value);

    impl Validate for AnyQuery {
        fn validate_value(value: &Value, at: &Path<'_>, errors: &mut ValidationErrors) {
            if value
                .get("limit")
                .and_then(Value::as_u64)
                .is_some_and(|limit| limit > 100)
            {
                errors.push(&at.key("limit"), "maximum", "must be at most 100");
            }
        }
    }

    #[test]
    fn a_query_breaking_its_contract_is_recorded_with_every_pointer() {
        let refused = call()
            .query_struct(&AnyQuery(json!({ "limit": 500 })))
            .unwrap()
            .refused
            .expect("refused");
        assert_eq!(refused.part, "query");
        assert_eq!(
            refused.violations.iter().next().map(|v| v.pointer.as_str()),
            Some("/limit")
        );
        assert!(call()
            .query_struct(&AnyQuery(json!({ "limit": 5 })))
            .unwrap()
            .refused
            .is_none());
    }

    #[test]
    fn a_path_check_failure_is_recorded_and_the_first_refusal_kept() {
        let mut violations = ValidationErrors::new();
        violations.push(&Path::Root.key("receiptNumber"), "pattern", "must match");
        let call = call()
            .path_checked(Err(violations))
            .query_struct(&AnyQuery(json!({ "limit": 500 })))
            .unwrap();
        assert_eq!(call.refused.expect("refused").part, "path parameters");
    }

    #[test]
    fn query_struct_flattens_scalars_and_arrays() {
        let call = call()
            .query_struct(&AnyQuery(json!({
                "name": "a b&c",
                "active": true,
                "limit": 10,
                "ids": ["x", "y", null],
                "absent": null,
            })))
            .unwrap();
        // Object members come in serde_json's map order; repeated names keep array order.
        let mut pairs = call.query.clone();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            pairs,
            [
                ("active", "true"),
                ("ids", "x"),
                ("ids", "y"),
                ("limit", "10"),
                ("name", "a b&c"),
            ]
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn target_encodes_the_query() {
        let call = call().query("name", "a b&c").query("id", 1).query("id", 2);
        assert_eq!(call.target(), "/internal/plans?name=a+b%26c&id=1&id=2");
        assert_eq!(self::call().target(), "/internal/plans");
    }

    #[test]
    fn nested_values_have_no_query_form() {
        for query in [
            json!({ "filter": { "a": 1 } }),
            json!({ "matrix": [[1]] }),
            json!([1, 2]),
            json!("text"),
        ] {
            let error = call().query_struct(&AnyQuery(query.clone())).err().unwrap();
            assert_eq!(error.kind, ErrorKind::BadRequest, "{query}");
            assert_eq!(error.code, codes::REQUEST_NOT_ENCODABLE);
        }
        assert!(call().query_struct(&AnyQuery(Value::Null)).is_ok());
    }
}

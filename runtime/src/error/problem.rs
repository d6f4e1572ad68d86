use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// The media type of a [`Problem`] body (RFC 9457).
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// Where the platform's problem types live: a problem's `type` is this followed by its code in
/// lower kebab case, e.g. `https://errors.solo60.dev/subscription-not-found`.
pub const PROBLEM_TYPE_BASE: &str = "https://errors.solo60.dev/";

/// RFC 9457 `application/problem+json` body, with the platform's extension members.
///
/// RFC 9457 makes every member optional, so reading one is lenient: a missing `type` is
/// `about:blank`, a missing `title`, `status` or `code` is empty (zero), and the HTTP status of
/// the answer decides the kind anyway ([`AppError::from_problem`]). Writing one always fills
/// them in ([`AppError::to_problem`]).
///
/// [`AppError::from_problem`]: super::AppError::from_problem
/// [`AppError::to_problem`]: super::AppError::to_problem
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// A URI naming the problem type; `about:blank` when the status says it all.
    #[serde(rename = "type", default = "about_blank")]
    pub type_: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The platform's machine code, SCREAMING_SNAKE_CASE.
    #[serde(default)]
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Every contract violation, for 422 answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ValidationError>,
    /// How many more violations there were than `errors` lists (the list is capped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors_omitted: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

impl Problem {
    /// The platform's problem type URI for a machine code: `NOT_FOUND` becomes
    /// `https://errors.solo60.dev/not-found`.
    pub fn type_for_code(code: &str) -> String {
        let mut uri = String::with_capacity(PROBLEM_TYPE_BASE.len() + code.len());
        uri.push_str(PROBLEM_TYPE_BASE);
        uri.extend(code.chars().map(|c| match c {
            '_' => '-',
            c => c.to_ascii_lowercase(),
        }));
        uri
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_bare_problem_reads_with_defaults() {
        let problem: Problem = serde_json::from_value(json!({ "title": "Oops" })).unwrap();
        assert_eq!(problem.type_, "about:blank");
        assert_eq!(problem.title, "Oops");
        assert_eq!(problem.status, 0);
        assert_eq!(problem.code, "");
        assert!(problem.errors.is_empty());
    }

    #[test]
    fn extension_members_are_camel_case_and_empty_ones_are_left_out() {
        let problem = Problem {
            type_: Problem::type_for_code("SUBSCRIPTION_NOT_FOUND"),
            title: "Not Found".into(),
            status: 404,
            detail: None,
            instance: None,
            code: "SUBSCRIPTION_NOT_FOUND".into(),
            correlation_id: Some("abc".into()),
            errors: Vec::new(),
            errors_omitted: None,
            details: None,
        };
        assert_eq!(
            serde_json::to_value(&problem).unwrap(),
            json!({
                "type": "https://errors.solo60.dev/subscription-not-found",
                "title": "Not Found",
                "status": 404,
                "code": "SUBSCRIPTION_NOT_FOUND",
                "correlationId": "abc",
            })
        );
    }
}

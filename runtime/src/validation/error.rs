use std::fmt;

use serde::{Deserialize, Serialize};

use super::Path;

/// One way a value breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    /// JSON pointer (RFC 6901) to the offending value; `""` is the document itself.
    pub pointer: String,
    /// The JSON Schema keyword that failed, e.g. `minLength` or `required`.
    pub keyword: String,
    /// A sentence for a human.
    pub message: String,
}

impl ValidationError {
    pub fn new(at: &Path<'_>, keyword: &str, message: impl Into<String>) -> Self {
        Self {
            pointer: at.to_pointer(),
            keyword: keyword.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(root)"
        } else {
            &self.pointer
        };
        write!(f, "{pointer}: {} ({})", self.message, self.keyword)
    }
}

/// Every violation found in one value, in document order — up to a limit.
///
/// A hostile body (a megabyte of unknown keys under `additionalProperties: false`) could
/// otherwise make one request cost a hundred thousand violations, each a pointer and a
/// message, and an answer ten times its own size. Past the limit
/// ([`DEFAULT_VIOLATION_LIMIT`] unless [`with_limit`](Self::with_limit) says otherwise), a
/// violation is only counted: no pointer is built, no message kept. The 422 then lists the
/// first ones and says how many more there were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationErrors {
    recorded: Vec<ValidationError>,
    limit: usize,
    omitted: usize,
}

/// How many violations a [`ValidationErrors`] keeps unless told otherwise.
pub const DEFAULT_VIOLATION_LIMIT: usize = 100;

impl Default for ValidationErrors {
    fn default() -> Self {
        Self::with_limit(DEFAULT_VIOLATION_LIMIT)
    }
}

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps at most `limit` violations (at least one) and counts the rest.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            recorded: Vec::new(),
            limit: limit.max(1),
            omitted: 0,
        }
    }

    /// Records a violation of `keyword` at `at`; past the limit, only counts it.
    pub fn push(&mut self, at: &Path<'_>, keyword: &str, message: impl Into<String>) {
        if self.recorded.len() >= self.limit {
            self.omitted += 1;
            return;
        }
        self.recorded
            .push(ValidationError::new(at, keyword, message));
    }

    /// Whether nothing was found (kept or counted).
    pub fn is_empty(&self) -> bool {
        self.recorded.is_empty() && self.omitted == 0
    }

    /// How many violations are kept.
    pub fn len(&self) -> usize {
        self.recorded.len()
    }

    /// How many violations were found past the limit and only counted.
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// Every violation found, kept or counted.
    pub fn total(&self) -> usize {
        self.recorded.len() + self.omitted
    }

    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.recorded.iter()
    }

    /// Moves every violation of `other` into `self`, within `self`'s limit.
    pub fn append(&mut self, other: ValidationErrors) {
        let room = self.limit.saturating_sub(self.recorded.len());
        let mut incoming = other.recorded;
        if incoming.len() > room {
            self.omitted += incoming.len() - room;
            incoming.truncate(room);
        }
        self.recorded.append(&mut incoming);
        self.omitted += other.omitted;
    }

    /// `Ok(())` when nothing was found, the violations otherwise.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// The kept violations (see [`omitted`](Self::omitted) for the rest).
    pub fn into_vec(self) -> Vec<ValidationError> {
        self.recorded
    }
}

/// Serialized as the list of kept violations, as before the limit existed.
impl Serialize for ValidationErrors {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.recorded.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ValidationErrors {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let recorded = Vec::<ValidationError>::deserialize(deserializer)?;
        Ok(Self {
            limit: recorded.len().max(DEFAULT_VIOLATION_LIMIT),
            recorded,
            omitted: 0,
        })
    }
}

impl From<ValidationError> for ValidationErrors {
    fn from(error: ValidationError) -> Self {
        let mut errors = Self::new();
        errors.recorded.push(error);
        errors
    }
}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;
    fn into_iter(self) -> Self::IntoIter {
        self.recorded.into_iter()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;
    fn into_iter(self) -> Self::IntoIter {
        self.recorded.iter()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.recorded.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        if self.omitted > 0 {
            write!(f, "; and {} more", self.omitted)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_the_limit_violations_are_counted_not_kept() {
        let mut errors = ValidationErrors::with_limit(3);
        for index in 0..10_000 {
            errors.push(
                &Path::Root.index(index),
                "false",
                "no value is allowed here",
            );
        }
        assert_eq!(errors.len(), 3);
        assert_eq!(errors.omitted(), 9_997);
        assert_eq!(errors.total(), 10_000);
        assert!(!errors.is_empty());
        assert!(errors.to_string().ends_with("; and 9997 more"), "{errors}");

        let mut merged = ValidationErrors::with_limit(4);
        merged.push(&Path::Root, "type", "must be an object");
        merged.append(errors);
        assert_eq!(
            (merged.len(), merged.omitted()),
            (4, 9_997),
            "10,001 found, 4 kept"
        );
    }

    #[test]
    fn the_default_limit_is_one_hundred() {
        let mut errors = ValidationErrors::new();
        for index in 0..250 {
            errors.push(
                &Path::Root.index(index),
                "false",
                "no value is allowed here",
            );
        }
        assert_eq!(
            (errors.len(), errors.omitted()),
            (DEFAULT_VIOLATION_LIMIT, 150)
        );
        let error = crate::AppError::validation(errors);
        assert_eq!(error.violations.len(), 100);
        assert_eq!(error.violations_omitted, 150);
        let problem = error.to_problem();
        assert_eq!(problem.errors_omitted, Some(150));
        let back = crate::AppError::from_problem(422, problem);
        assert_eq!(back.violations_omitted, 150, "the count crosses services");
        assert!(
            back.message
                .contains("250 violations, the first 100 listed"),
            "{}",
            back.message
        );
    }
}

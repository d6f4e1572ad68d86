//! Checks that a contract's own `examples` mean what they say: each parses, validates and
//! serializes back to the same JSON. Generated crates call this from their tests.

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

use crate::validation::{parse, Validate};

/// Why an example failed its round trip.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RoundTripError {
    #[error("example is not JSON: {0}")]
    NotJson(String),
    #[error("example breaks its own schema: {0}")]
    Invalid(String),
    #[error("example does not serialize back: {0}")]
    Serialize(String),
    #[error("example changed on the round trip:\n  in:  {input}\n  out: {output}")]
    Changed { input: String, output: String },
}

/// Parses `example` as `T` and serializes it again; the JSON must come back unchanged
/// (object key order aside).
pub fn round_trip<T>(example: &str) -> Result<(), RoundTripError>
where
    T: Validate + DeserializeOwned + Serialize,
{
    let input: Value = serde_json::from_str(example)
        .map_err(|error| RoundTripError::NotJson(error.to_string()))?;
    let typed: T = parse(&input).map_err(|errors| RoundTripError::Invalid(errors.to_string()))?;
    let output = serde_json::to_value(&typed)
        .map_err(|error| RoundTripError::Serialize(error.to_string()))?;
    if output == input {
        Ok(())
    } else {
        Err(RoundTripError::Changed {
            input: input.to_string(),
            output: output.to_string(),
        })
    }
}

/// [`round_trip`] for each example, panicking with the first failure: for use in tests.
#[track_caller]
pub fn assert_round_trip<T>(examples: &[&str])
where
    T: Validate + DeserializeOwned + Serialize,
{
    for (index, example) in examples.iter().enumerate() {
        if let Err(error) = round_trip::<T>(example) {
            panic!(
                "example {index} of `{}`: {error}",
                std::any::type_name::<T>()
            );
        }
    }
}

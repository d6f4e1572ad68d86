//! When and how long to wait before trying a call again.
//!
//! The backoff is hand-written rather than taken from `backon`: it is one line of arithmetic,
//! and the retry loop must interleave it with things a generic retry combinator does not know
//! about — `Retry-After`, the retry budget, the circuit breaker and the call's deadline. Also,
//! `backon`'s jitter adds up to one more delay on top of the delay, where we want AWS-style
//! "full jitter" (uniform in `[0, bound]`), which spreads synchronized callers the most.

use std::time::Duration;

use super::budget::BudgetConfig;

/// How a retry-safe call is repeated after a transient failure.
#[derive(Clone, Debug)]
pub struct RetryConfig {
    /// Attempts in all, the first included (default 3).
    pub max_attempts: u32,
    /// Bound of the first wait (default 100 ms); the bound doubles with each retry.
    pub initial_backoff: Duration,
    /// Upper limit of the bound (default 2 s).
    pub max_backoff: Duration,
    /// The longest `Retry-After` worth waiting for (default 10 s); a longer one ends the call
    /// with the upstream's error (its `retry_after` set) so the caller can decide.
    pub max_retry_after: Duration,
    pub budget: BudgetConfig,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(10),
            budget: BudgetConfig::default(),
        }
    }
}

impl RetryConfig {
    /// The longest wait before retry number `retry` (0 for the first retry):
    /// `min(max_backoff, initial_backoff * 2^retry)`.
    pub fn backoff_bound(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .map_or(self.max_backoff, |bound| bound.min(self.max_backoff))
    }

    /// A wait drawn uniformly from `[0, backoff_bound(retry)]` ("full jitter").
    pub fn backoff(&self, retry: u32) -> Duration {
        let bound = self.backoff_bound(retry);
        let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rand::random_range(0..=nanos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_doubles_up_to_the_cap() {
        let config = RetryConfig::default();
        let bounds: Vec<_> = (0..7)
            .map(|n| config.backoff_bound(n).as_millis())
            .collect();
        assert_eq!(bounds, [100, 200, 400, 800, 1600, 2000, 2000]);
        assert_eq!(config.backoff_bound(64), Duration::from_secs(2));
        assert_eq!(config.backoff_bound(u32::MAX), Duration::from_secs(2));
    }

    #[test]
    fn waits_stay_within_the_bound() {
        let config = RetryConfig::default();
        for retry in 0..6 {
            let bound = config.backoff_bound(retry);
            let waits: Vec<_> = (0..200).map(|_| config.backoff(retry)).collect();
            assert!(waits.iter().all(|wait| *wait <= bound));
            // Full jitter: draws spread over the range rather than sitting at the bound.
            assert!(waits.iter().any(|wait| *wait < bound / 2));
        }
    }
}

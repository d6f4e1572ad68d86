//! The circuit breaker: stop calling an upstream that keeps failing, and find out cheaply when
//! it is back.
//!
//! Closed, it lets every attempt through and counts consecutive failures; at the threshold it
//! opens and fails every attempt at once, without touching the network, for `open_for`. Then
//! it half-opens: a bounded number of probe attempts go through; the first probe to succeed
//! closes it, the first to fail opens it again for another `open_for`.
//!
//! Hand-written: the state machine is small, and the breaker crates on crates.io either read
//! `std::time::Instant` (a paused Tokio clock cannot drive them, so their tests cannot be
//! deterministic) or bring a tower middleware stack the client does not otherwise need.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// When the circuit opens and how it recovers.
#[derive(Clone, Debug)]
pub struct BreakerConfig {
    /// Consecutive failed attempts that open the circuit (default 5). Failures are transport
    /// errors, timeouts, 5xx and 429 answers; any other answer (400, 404, 409, 422…) shows the
    /// upstream is up and resets the count.
    pub failure_threshold: u32,
    /// How long the circuit stays open before probing (default 30 s).
    pub open_for: Duration,
    /// Probe attempts allowed at once while half-open (default 1).
    pub half_open_probes: u32,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        Self {
            failure_threshold: 5,
            open_for: Duration::from_secs(30),
            half_open_probes: 1,
        }
    }
}

/// Where a client's circuit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CircuitState {
    Closed,
    Open,
    HalfOpen,
}

impl CircuitState {
    pub fn as_str(self) -> &'static str {
        match self {
            CircuitState::Closed => "closed",
            CircuitState::Open => "open",
            CircuitState::HalfOpen => "half_open",
        }
    }
}

pub(crate) struct CircuitBreaker {
    upstream: &'static str,
    config: BreakerConfig,
    inner: Mutex<Inner>,
}

struct Inner {
    state: State,
    /// Bumped on every transition, so that the outcome of an attempt admitted under an earlier
    /// state (a slow call that started while closed) cannot move the current one.
    generation: u64,
}

enum State {
    Closed { failures: u32 },
    Open { until: Instant },
    HalfOpen { probes: u32 },
}

/// What the breaker says to an attempt.
pub(crate) enum Admission<'a> {
    Admitted(Permit<'a>),
    /// Open (or half-open with every probe slot taken); `retry_after` is how long it stays so.
    Rejected {
        retry_after: Option<Duration>,
    },
}

/// An admitted attempt; report its outcome with [`succeeded`](Permit::succeeded) or
/// [`failed`](Permit::failed). Dropped unreported (the call was cancelled), it frees its probe
/// slot and changes nothing else.
pub(crate) struct Permit<'a> {
    breaker: &'a CircuitBreaker,
    generation: u64,
    probe: bool,
    settled: bool,
}

impl CircuitBreaker {
    pub(crate) fn new(upstream: &'static str, config: BreakerConfig) -> Self {
        Self {
            upstream,
            config,
            inner: Mutex::new(Inner {
                state: State::Closed { failures: 0 },
                generation: 0,
            }),
        }
    }

    pub(crate) fn state(&self) -> CircuitState {
        match self.lock().state {
            State::Closed { .. } => CircuitState::Closed,
            State::Open { .. } => CircuitState::Open,
            State::HalfOpen { .. } => CircuitState::HalfOpen,
        }
    }

    pub(crate) fn admit(&self) -> Admission<'_> {
        let mut inner = self.lock();
        let now = Instant::now();
        let probe = match inner.state {
            State::Closed { .. } => false,
            State::Open { until } if now < until => {
                return Admission::Rejected {
                    retry_after: Some(until - now),
                }
            }
            State::Open { .. } => {
                self.transition(&mut inner, State::HalfOpen { probes: 1 });
                true
            }
            State::HalfOpen { ref mut probes } if *probes < self.config.half_open_probes => {
                *probes += 1;
                true
            }
            State::HalfOpen { .. } => return Admission::Rejected { retry_after: None },
        };
        Admission::Admitted(Permit {
            breaker: self,
            generation: inner.generation,
            probe,
            settled: false,
        })
    }

    fn record(&self, generation: u64, success: bool) {
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        match (&mut inner.state, success) {
            (State::Closed { failures }, true) => *failures = 0,
            (State::Closed { failures }, false) => {
                *failures += 1;
                if *failures >= self.config.failure_threshold {
                    self.open(&mut inner);
                }
            }
            (State::HalfOpen { .. }, true) => {
                self.transition(&mut inner, State::Closed { failures: 0 });
            }
            (State::HalfOpen { .. }, false) => self.open(&mut inner),
            // Only attempts of an earlier generation finish while open; they were ignored above.
            (State::Open { .. }, _) => {}
        }
    }

    fn release_probe(&self, generation: u64) {
        let mut inner = self.lock();
        if inner.generation == generation {
            if let State::HalfOpen { probes } = &mut inner.state {
                *probes = probes.saturating_sub(1);
            }
        }
    }

    fn open(&self, inner: &mut Inner) {
        let until = Instant::now() + self.config.open_for;
        self.transition(inner, State::Open { until });
    }

    fn transition(&self, inner: &mut Inner, state: State) {
        inner.generation += 1;
        inner.state = state;
        let (name, level) = match inner.state {
            State::Closed { .. } => (CircuitState::Closed, 0.0),
            State::Open { .. } => (CircuitState::Open, 2.0),
            State::HalfOpen { .. } => (CircuitState::HalfOpen, 1.0),
        };
        match name {
            CircuitState::Open => tracing::warn!(
                upstream = self.upstream,
                open_for_ms = self.config.open_for.as_millis() as u64,
                "circuit opened: calls fail fast until it half-opens"
            ),
            _ => tracing::info!(
                upstream = self.upstream,
                state = name.as_str(),
                "circuit state changed"
            ),
        }
        super::telemetry::record_circuit_state(self.upstream, level);
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every update leaves the state whole, so a poisoned lock still holds a valid one.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Permit<'_> {
    pub(crate) fn succeeded(mut self) {
        self.settled = true;
        self.breaker.record(self.generation, true);
    }

    pub(crate) fn failed(mut self) {
        self.settled = true;
        self.breaker.record(self.generation, false);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.settled && self.probe {
            self.breaker.release_probe(self.generation);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker(failure_threshold: u32, half_open_probes: u32) -> CircuitBreaker {
        CircuitBreaker::new(
            "test",
            BreakerConfig {
                failure_threshold,
                open_for: Duration::from_secs(30),
                half_open_probes,
            },
        )
    }

    fn admitted(breaker: &CircuitBreaker) -> Permit<'_> {
        match breaker.admit() {
            Admission::Admitted(permit) => permit,
            Admission::Rejected { .. } => panic!("rejected in {:?}", breaker.state()),
        }
    }

    fn rejected(breaker: &CircuitBreaker) -> Option<Duration> {
        match breaker.admit() {
            Admission::Admitted(_) => panic!("admitted in {:?}", breaker.state()),
            Admission::Rejected { retry_after } => retry_after,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn opens_after_consecutive_failures_only() {
        let breaker = breaker(3, 1);
        admitted(&breaker).failed();
        admitted(&breaker).failed();
        admitted(&breaker).succeeded();
        admitted(&breaker).failed();
        admitted(&breaker).failed();
        assert_eq!(breaker.state(), CircuitState::Closed);
        admitted(&breaker).failed();
        assert_eq!(breaker.state(), CircuitState::Open);
        assert_eq!(rejected(&breaker), Some(Duration::from_secs(30)));
    }

    #[tokio::test(start_paused = true)]
    async fn half_opens_with_bounded_probes_then_closes() {
        let breaker = breaker(1, 2);
        admitted(&breaker).failed();
        tokio::time::advance(Duration::from_secs(29)).await;
        assert_eq!(rejected(&breaker), Some(Duration::from_secs(1)));
        tokio::time::advance(Duration::from_secs(1)).await;
        let first = admitted(&breaker);
        let second = admitted(&breaker);
        assert_eq!(breaker.state(), CircuitState::HalfOpen);
        assert_eq!(rejected(&breaker), None);
        first.succeeded();
        assert_eq!(breaker.state(), CircuitState::Closed);
        // The other probe's late failure belongs to the half-open episode: ignored.
        second.failed();
        assert_eq!(breaker.state(), CircuitState::Closed);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_probe_reopens_for_a_fresh_period() {
        let breaker = breaker(1, 1);
        admitted(&breaker).failed();
        tokio::time::advance(Duration::from_secs(30)).await;
        tokio::time::advance(Duration::from_secs(5)).await;
        admitted(&breaker).failed();
        assert_eq!(breaker.state(), CircuitState::Open);
        assert_eq!(rejected(&breaker), Some(Duration::from_secs(30)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_probe_frees_its_slot() {
        let breaker = breaker(1, 1);
        admitted(&breaker).failed();
        tokio::time::advance(Duration::from_secs(30)).await;
        drop(admitted(&breaker));
        assert_eq!(breaker.state(), CircuitState::HalfOpen);
        admitted(&breaker).succeeded();
        assert_eq!(breaker.state(), CircuitState::Closed);
    }

    #[tokio::test(start_paused = true)]
    async fn late_outcomes_of_closed_attempts_do_not_touch_an_open_circuit() {
        let breaker = breaker(1, 1);
        let slow = admitted(&breaker);
        admitted(&breaker).failed();
        slow.succeeded();
        assert_eq!(breaker.state(), CircuitState::Open);
    }
}

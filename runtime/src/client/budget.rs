//! The retry budget: a cap on the retries one client adds, relative to the calls it makes.
//!
//! Per-call retry limits are not enough: when an upstream goes down, every caller retrying
//! `max_attempts` times multiplies the load on it exactly when it can least take it. A budget
//! (as Finagle's `RetryBudget` and tower's `TpsBudget`) lets each call earn a fraction of a
//! retry and keeps a small reserve so that a quiet client can still retry at all.
//!
//! Hand-written rather than tower's `TpsBudget` because that one reads `std::time::Instant`,
//! which a paused Tokio clock cannot drive (so its tests could not be deterministic), and its
//! floating-point bookkeeping only approximates the bound; this one counts whole calls and
//! retries in integer milli-retries and states its bound exactly.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// How many retries a client may make on top of its calls.
///
/// # The bound
///
/// Calls and retries are counted over a sliding `window`, kept as ten slots of `window / 10`;
/// an event stays counted for at least 9/10 of `window` and at most `window`. A retry is
/// allowed only while, counting it, the retries in the window do not exceed
///
/// `min_retries_per_second × window_secs + retry_ratio × calls in the window`.
///
/// So on a client with no calls in the preceding `window`, any burst whose first call and last
/// retry are less than `0.9 × window` apart makes at most
///
/// `calls + ⌊retry_ratio × calls + min_retries_per_second × window_secs⌋` attempts
///
/// in all, however many of its calls fail and however many run at once (`retry_ratio` is
/// counted to 1/1000). With the defaults that is `1.2 × calls + 100`. A call counts once its
/// first attempt is let through by the circuit breaker; calls an open circuit refused sent
/// nothing and earn nothing.
#[derive(Clone, Debug)]
pub struct BudgetConfig {
    /// Retries each call earns (default 0.2: one retry per five calls).
    pub retry_ratio: f64,
    /// Retries allowed per second of `window` even without calls (default 10).
    pub min_retries_per_second: u32,
    /// How long calls and retries are remembered (default 10 s).
    pub window: Duration,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        Self {
            retry_ratio: 0.2,
            min_retries_per_second: 10,
            window: Duration::from_secs(10),
        }
    }
}

const SLOTS: usize = 10;

/// One client's budget; cheap to share, never held across an `await`.
pub(crate) struct RetryBudget {
    slot_len: Duration,
    /// Retries always allowed in a window, in thousandths.
    reserve_milli: u64,
    /// Retries earned by one call, in thousandths.
    ratio_milli: u64,
    state: Mutex<Window>,
}

struct Window {
    start: Instant,
    slots: [Slot; SLOTS],
}

#[derive(Clone, Copy, Default)]
struct Slot {
    epoch: u64,
    calls: u64,
    retries: u64,
}

impl RetryBudget {
    pub(crate) fn new(config: &BudgetConfig) -> Self {
        let slot_len = (config.window / SLOTS as u32).max(Duration::from_nanos(1));
        let window_millis = u64::try_from(config.window.as_millis()).unwrap_or(u64::MAX);
        Self {
            slot_len,
            reserve_milli: u64::from(config.min_retries_per_second).saturating_mul(window_millis),
            // Validated finite and non-negative; `as` saturates anything absurd.
            ratio_milli: (config.retry_ratio * 1000.0).round() as u64,
            state: Mutex::new(Window {
                start: Instant::now(),
                slots: [Slot::default(); SLOTS],
            }),
        }
    }

    /// Records a call: it earns `retry_ratio` retries for the window.
    pub(crate) fn deposit(&self) {
        let mut window = self.lock();
        let epoch = self.epoch(&window);
        window.slot(epoch).calls += 1;
    }

    /// Takes one retry from the budget if it allows one.
    pub(crate) fn try_withdraw(&self) -> bool {
        let mut window = self.lock();
        let epoch = self.epoch(&window);
        let (calls, retries) = window.live(epoch);
        let allowance = self
            .reserve_milli
            .saturating_add(self.ratio_milli.saturating_mul(calls));
        if retries.saturating_add(1).saturating_mul(1000) > allowance {
            return false;
        }
        window.slot(epoch).retries += 1;
        true
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Window> {
        // The counters stay consistent even if a holder panicked: take them as they are.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn epoch(&self, window: &Window) -> u64 {
        let elapsed = Instant::now().saturating_duration_since(window.start);
        u64::try_from(elapsed.as_nanos() / self.slot_len.as_nanos()).unwrap_or(u64::MAX)
    }
}

impl Window {
    /// The slot of `epoch`, emptied first if it still holds an older epoch.
    fn slot(&mut self, epoch: u64) -> &mut Slot {
        let slot = &mut self.slots[(epoch % SLOTS as u64) as usize];
        if slot.epoch != epoch {
            *slot = Slot {
                epoch,
                ..Slot::default()
            };
        }
        slot
    }

    /// Calls and retries counted in the window that ends in `epoch`.
    fn live(&self, epoch: u64) -> (u64, u64) {
        self.slots
            .iter()
            .filter(|slot| slot.epoch <= epoch && slot.epoch + SLOTS as u64 > epoch)
            .fold((0, 0), |(calls, retries), slot| {
                (calls + slot.calls, retries + slot.retries)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(retry_ratio: f64, min_retries_per_second: u32) -> RetryBudget {
        RetryBudget::new(&BudgetConfig {
            retry_ratio,
            min_retries_per_second,
            window: Duration::from_secs(10),
        })
    }

    fn withdraw_all(budget: &RetryBudget) -> u64 {
        (0..100_000).take_while(|_| budget.try_withdraw()).count() as u64
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_gets_the_reserve_plus_its_share() {
        let budget = budget(0.2, 1);
        for _ in 0..50 {
            budget.deposit();
        }
        // 1/s × 10 s + 0.2 × 50
        assert_eq!(withdraw_all(&budget), 20);
    }

    #[tokio::test(start_paused = true)]
    async fn the_bound_is_exact_in_thousandths() {
        let budget = budget(0.333, 0);
        for _ in 0..3 {
            budget.deposit();
        }
        // 0.999 of a retry is not a retry.
        assert_eq!(withdraw_all(&budget), 0);
        budget.deposit();
        assert_eq!(withdraw_all(&budget), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn no_reserve_and_no_calls_means_no_retries() {
        assert_eq!(withdraw_all(&budget(0.2, 0)), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn spent_retries_come_back_after_the_window() {
        let budget = budget(0.0, 1);
        assert_eq!(withdraw_all(&budget), 10);
        tokio::time::advance(Duration::from_secs(5)).await;
        assert_eq!(withdraw_all(&budget), 0, "still inside the window");
        tokio::time::advance(Duration::from_secs(5)).await;
        assert_eq!(withdraw_all(&budget), 10, "the first retries expired");
    }

    #[tokio::test(start_paused = true)]
    async fn earned_retries_expire_with_their_calls() {
        let budget = budget(1.0, 0);
        for _ in 0..5 {
            budget.deposit();
        }
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(withdraw_all(&budget), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn at_every_moment_retries_stay_within_the_live_allowance() {
        // A steady 10 calls per second for a minute, each wanting every retry it can get.
        let budget = budget(0.2, 1);
        let mut retries_at = Vec::new();
        let mut calls_at = Vec::new();
        for tick in 0..600u64 {
            budget.deposit();
            calls_at.push(tick);
            for _ in 0..1000 {
                if !budget.try_withdraw() {
                    break;
                }
                retries_at.push(tick);
            }
            tokio::time::advance(Duration::from_millis(100)).await;
        }
        // At every moment, over the live window (ten 1 s slots, the current one partial).
        for tick in 0..600u64 {
            let from = (tick / 10).saturating_sub(9) * 10;
            let live = |at: &&u64| (from..=tick).contains(*at);
            let calls = calls_at.iter().filter(live).count() as f64;
            let retries = retries_at.iter().filter(live).count() as f64;
            assert!(retries <= 10.0 + 0.2 * calls, "{retries} retries at {tick}");
        }
        // And over the whole minute: the share of the calls plus one reserve per window.
        assert!(retries_at.len() as f64 <= 0.2 * 600.0 + 10.0 * 7.0);
    }
}

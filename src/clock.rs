//! The clock seam: commands time themselves (and wait) through a [`Clock`], so tests can
//! substitute a fake one.

use std::time::Instant;

/// Time source for the proof's timings; tests may substitute a fake.
pub trait Clock: Send + Sync {
    fn now(&self) -> Instant;
}

/// The real monotonic clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

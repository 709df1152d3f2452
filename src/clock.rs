//! The service's clock, injected in the application state so that every rule comparing
//! dates (deadlines, expiries, OTP lifetimes) can be moved in tests. Rules never use SQL
//! `now()`: only `created_at`/`updated_at` bookkeeping does.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Côte d'Ivoire keeps UTC all year (Africa/Abidjan): calendar dates are UTC dates.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;

    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

pub type SharedClock = Arc<dyn Clock>;

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved: for tests and simulations.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Arc<Self> {
        Arc::new(Self {
            now: Mutex::new(start),
        })
    }

    pub fn set(&self, instant: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) = instant;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn une_horloge_manuelle_avance_sur_demande() {
        let start = Utc.with_ymd_and_hms(2026, 3, 31, 23, 0, 0).unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        clock.advance(Duration::hours(2));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
    }
}

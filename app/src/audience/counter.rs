//! The in-memory aggregate: counts per (event slug, Paris day, kind), taken in batches by the
//! server's writer. Counting a request costs a lock and a hash-map increment; nothing is
//! written on the request's path.
//!
//! A hostile client can still inflate counts; each client address gets an allowance (a token
//! bucket, [`BURST`] counts then [`REFILL_PER_SECOND`]), kept in memory only, never written
//! anywhere, and forgotten once its bucket is full again. Beyond it, requests are served as
//! usual and simply not counted.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};

use super::Kind;

/// Counts a client address may make at once.
pub const BURST: f64 = 100.0;
/// Counts a client address earns back per second (3,600 an hour at most, sustained).
pub const REFILL_PER_SECOND: f64 = 1.0;
/// Client addresses remembered at most; a new one beyond is not counted until the next prune.
pub const MAX_CLIENTS: usize = 100_000;

/// One counted batch line: event slug, Paris day, kind, count.
pub type Line = (String, NaiveDate, Kind, u64);

#[derive(Clone)]
pub struct Counter {
    /// `None` when counting is off (`MIP_AUDIENCE=off`).
    inner: Option<Arc<Inner>>,
}

/// One lock for everything a count touches.
#[derive(Default)]
struct Inner {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Per (day, kind), per event slug: looked up by `&str`, so that counting an event already
    /// counted allocates nothing.
    counts: HashMap<(NaiveDate, Kind), HashMap<Box<str>, u64>>,
    clients: HashMap<IpAddr, Bucket>,
    /// The Paris day of the last count and the UTC seconds it spans, `[start, end)`.
    day: Option<(i64, i64, NaiveDate)>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Default for Counter {
    fn default() -> Self {
        Counter::new(true)
    }
}

impl Counter {
    pub fn new(on: bool) -> Self {
        Counter {
            inner: on.then(Default::default),
        }
    }

    pub fn is_on(&self) -> bool {
        self.inner.is_some()
    }

    /// Counts one `kind` for the event `slug` on the Paris day of `at`, if the client's
    /// allowance lets it; returns whether it was counted.
    pub fn record(
        &self,
        slug: &str,
        kind: Kind,
        at: DateTime<Utc>,
        client: Option<IpAddr>,
    ) -> bool {
        self.record_at(slug, kind, at, client, Instant::now())
    }

    /// [`Counter::record`] at a given instant of the allowance's clock.
    pub fn record_at(
        &self,
        slug: &str,
        kind: Kind,
        at: DateTime<Utc>,
        client: Option<IpAddr>,
        now: Instant,
    ) -> bool {
        let Some(inner) = &self.inner else {
            return false;
        };
        let mut state = inner.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(client) = client {
            if !state.allow(client, now) {
                return false;
            }
        }
        let day = state.paris_day(at);
        let slugs = state.counts.entry((day, kind)).or_default();
        match slugs.get_mut(slug) {
            Some(n) => *n += 1,
            None => {
                slugs.insert(slug.into(), 1);
            }
        }
        true
    }

    /// Everything counted since the last take, emptied.
    pub fn take(&self) -> Vec<Line> {
        let Some(inner) = &self.inner else {
            return Vec::new();
        };
        let taken =
            std::mem::take(&mut inner.state.lock().unwrap_or_else(|e| e.into_inner()).counts);
        taken
            .into_iter()
            .flat_map(|((day, kind), slugs)| {
                slugs
                    .into_iter()
                    .map(move |(slug, n)| (slug.into(), day, kind, n))
            })
            .collect()
    }

    /// Puts back a batch that could not be written (tried again with the next one).
    pub fn put_back(&self, lines: Vec<Line>) {
        let Some(inner) = &self.inner else {
            return;
        };
        let mut state = inner.state.lock().unwrap_or_else(|e| e.into_inner());
        for (slug, day, kind, n) in lines {
            *state
                .counts
                .entry((day, kind))
                .or_default()
                .entry(slug.into())
                .or_insert(0) += n;
        }
    }

    /// Forgets the clients whose allowance is whole again (nothing to remember).
    pub fn prune(&self, now: Instant) {
        if let Some(inner) = &self.inner {
            let mut state = inner.state.lock().unwrap_or_else(|e| e.into_inner());
            state
                .clients
                .retain(|_, bucket| bucket.refilled(now) < BURST);
        }
    }

    /// Client addresses remembered now (for tests and metrics).
    pub fn clients(&self) -> usize {
        self.inner.as_ref().map_or(0, |inner| {
            inner
                .state
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clients
                .len()
        })
    }
}

impl Bucket {
    fn refilled(&self, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        (self.tokens + elapsed * REFILL_PER_SECOND).min(BURST)
    }
}

impl State {
    fn allow(&mut self, client: IpAddr, now: Instant) -> bool {
        let client = network_of(client);
        let full = self.clients.len() >= MAX_CLIENTS;
        match self.clients.get_mut(&client) {
            Some(bucket) => {
                let tokens = bucket.refilled(now);
                let allowed = tokens >= 1.0;
                *bucket = Bucket {
                    tokens: if allowed { tokens - 1.0 } else { tokens },
                    at: now,
                };
                allowed
            }
            None if full => false,
            None => {
                self.clients.insert(
                    client,
                    Bucket {
                        tokens: BURST - 1.0,
                        at: now,
                    },
                );
                true
            }
        }
    }

    /// The Paris day of `at`, worked out once per day (and when the clock goes back).
    fn paris_day(&mut self, at: DateTime<Utc>) -> NaiveDate {
        let seconds = at.timestamp();
        if let Some((start, end, day)) = self.day {
            if (start..end).contains(&seconds) {
                return day;
            }
        }
        let day = crate::events::tz::paris_date(at);
        // Midnight to midnight in Paris, in UTC (23 or 25 hours on the days the clocks change).
        let bound = |d: NaiveDate| {
            crate::events::tz::to_utc(d.and_time(chrono::NaiveTime::MIN), "Europe/Paris")
                .map(|t| t.timestamp())
        };
        if let (Some(start), Some(end)) = (bound(day), day.succ_opt().and_then(bound)) {
            self.day = Some((start, end, day));
        }
        day
    }
}

/// An IPv6 client is its /64 (one subscriber's network); an IPv4 client its address.
fn network_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at() -> DateTime<Utc> {
        // 23:30 UTC on 9 November is 00:30 on the 10th in Paris.
        "2026-11-09T23:30:00Z".parse().unwrap()
    }

    #[test]
    fn counts_by_paris_day_and_kind_then_empties() {
        let counter = Counter::default();
        for _ in 0..3 {
            assert!(counter.record("atelier", Kind::View, at(), None));
        }
        counter.record("atelier", Kind::Save, at(), None);
        let mut lines = counter.take();
        lines.sort();
        let day: NaiveDate = "2026-11-10".parse().unwrap();
        assert_eq!(
            lines,
            vec![
                ("atelier".to_string(), day, Kind::View, 3),
                ("atelier".to_string(), day, Kind::Save, 1)
            ]
        );
        assert!(counter.take().is_empty());
        counter.put_back(lines);
        assert_eq!(counter.take().len(), 2);
    }

    #[test]
    fn a_client_beyond_its_allowance_is_not_counted_until_it_refills() {
        let counter = Counter::default();
        let client: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let same_network: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let start = Instant::now();
        let counted = (0..150)
            .filter(|i| {
                let ip = if i % 2 == 0 { client } else { same_network };
                counter.record_at("x", Kind::View, at(), Some(ip), start)
            })
            .count();
        assert_eq!(counted, BURST as usize);
        // Another client is counted; ten seconds later the first has ten more.
        assert!(counter.record_at(
            "x",
            Kind::View,
            at(),
            Some("192.0.2.1".parse().unwrap()),
            start
        ));
        let later = start + Duration::from_secs(10);
        let more = (0..50)
            .filter(|_| counter.record_at("x", Kind::View, at(), Some(client), later))
            .count();
        assert_eq!(more, 10);
        // Whole again after BURST seconds: forgotten.
        counter.prune(later + Duration::from_secs(BURST as u64 + 1));
        assert_eq!(counter.clients(), 0);
    }

    #[test]
    fn the_day_changes_at_midnight_in_paris_whatever_was_counted_before() {
        let counter = Counter::default();
        for at in [
            "2026-11-10T22:59:59Z",
            "2026-11-10T23:00:00Z",
            "2026-11-10T22:00:00Z",
            // The clocks go back on 25 October: midnight is 22:00 UTC before, 23:00 after.
            "2026-10-24T21:59:59Z",
            "2026-10-24T22:00:00Z",
            "2026-10-25T22:59:59Z",
            "2026-10-25T23:00:00Z",
        ] {
            counter.record("x", Kind::View, at.parse().unwrap(), None);
        }
        let mut days: Vec<String> = counter
            .take()
            .into_iter()
            .map(|(_, day, _, n)| format!("{day} {n}"))
            .collect();
        days.sort();
        assert_eq!(
            days,
            [
                "2026-10-24 1",
                "2026-10-25 2",
                "2026-10-26 1",
                "2026-11-10 2",
                "2026-11-11 1"
            ]
        );
    }

    #[test]
    fn off_counts_nothing() {
        let counter = Counter::new(false);
        assert!(!counter.record("x", Kind::View, at(), None));
        assert!(counter.take().is_empty());
    }
}

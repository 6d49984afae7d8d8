//! A real SMTP server for the tests: `smtp_server.py` (Python's aiosmtpd) on loopback, at a
//! port the system picks; what it accepts is read back as JSON, decoded by Python's own
//! `email` package. And a wait for the outbox to settle, for tests that run the sender.
//!
//! Included by the test files that need it (`#[path = "common/smtp.rs"] mod smtp;`).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use sqlx::SqlitePool;

/// Longest a test waits for a message to arrive or for the outbox to settle: a sender that
/// never delivers fails its test instead of stalling the run.
pub const DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

pub struct SmtpServer {
    child: Child,
    /// Kept open: the server stops when it closes (this value dropped, or the test killed).
    _stdin: ChildStdin,
    pub port: u16,
    pub dir: PathBuf,
}

/// Whether `python3` can import aiosmtpd.
pub fn aiosmtpd_available() -> bool {
    Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Starts a server, or `None` when aiosmtpd is missing on a developer's machine (the test
/// then says so and passes). Under CI (`CI` set) a missing aiosmtpd fails the test:
/// `scripts/setup.sh --test` installs it.
pub fn start() -> Option<SmtpServer> {
    if !aiosmtpd_available() {
        let message = "python3 cannot import aiosmtpd (a real SMTP server for the mail tests): \
                       run scripts/setup.sh --test, or python3 -m pip install aiosmtpd";
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("{message}");
        }
        eprintln!("SKIPPED: {message}");
        return None;
    }
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "mip-smtp-{}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/common/smtp_server.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    let stdin = child.stdin.take().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let Some(port) = line
        .trim()
        .strip_prefix("PORT ")
        .and_then(|p| p.parse().ok())
    else {
        let _ = child.kill();
        let mut stderr = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
        panic!("the SMTP server did not start: {line:?} {stderr}");
    };
    Some(SmtpServer {
        child,
        _stdin: stdin,
        port,
        dir,
    })
}

impl SmtpServer {
    /// What `MIP_SMTP_URL` would say to reach it (no TLS on loopback).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages accepted so far, in the order they arrived.
    pub fn received(&self) -> Vec<Value> {
        let mut numbered: Vec<(u64, Value)> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                let n: u64 = path
                    .file_name()?
                    .to_str()?
                    .strip_suffix(".json")?
                    .parse()
                    .ok()?;
                let text = std::fs::read_to_string(&path).ok()?;
                Some((n, serde_json::from_str(&text).unwrap()))
            })
            .collect();
        numbered.sort_by_key(|(n, _)| *n);
        numbered.into_iter().map(|(_, v)| v).collect()
    }

    /// Waits (within [`DEADLINE`]) until at least `count` messages were accepted.
    pub async fn wait_received(&self, count: usize) -> Vec<Value> {
        let waited = tokio::time::timeout(DEADLINE, async {
            loop {
                let received = self.received();
                if received.len() >= count {
                    return received;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        })
        .await;
        waited.unwrap_or_else(|_| {
            panic!(
                "{count} message(s) expected within {DEADLINE:?}, {} received",
                self.received().len()
            )
        })
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Waits (within [`DEADLINE`]) until no message of the outbox is pending, as a test that runs
/// the background sender (`app::accounts::mail::spawn_sender`) does before it reads what was
/// sent; returns the states of every message, oldest first.
pub async fn wait_until_settled(pool: &SqlitePool) -> Vec<String> {
    let waited = tokio::time::timeout(DEADLINE, async {
        loop {
            let pending: i64 =
                sqlx::query_scalar("SELECT count(*) FROM outbox WHERE state = 'pending'")
                    .fetch_one(pool)
                    .await
                    .unwrap();
            if pending == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(
        waited.is_ok(),
        "messages still pending after {DEADLINE:?}: is the sender running?"
    );
    sqlx::query_scalar("SELECT state FROM outbox ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap()
}

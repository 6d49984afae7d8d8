//! E-mail (server only), through `lettre`: the `outbox` table is a queue.
//!
//! A request that sends a message only records it ([`Mailer::send`]: one committed row,
//! `pending` and due at once) and wakes the background sender ([`spawn_sender`]), which
//! delivers by SMTP when `MIP_SMTP_URL` is set, otherwise as an `.eml` file in the outbox
//! folder (`data/outbox` by default), where a developer opens it.
//!
//! The rules of the queue:
//! - **States.** `pending` → `sent`, or `failed` after a permanent refusal (SMTP 5xx, an
//!   address that cannot be written) or after [`MAX_ATTEMPTS`] temporary failures (4xx,
//!   connection refused, timeouts, a folder that cannot be written), retried after
//!   [`RETRY_DELAYS`] (1 min, 5 min, 30 min, 2 h, 6 h, 12 h). An administrator puts a failed
//!   or sent message back in the queue (`/admin/courriels`, « Renvoyer »: [`requeue`]).
//! - **Claims.** A sender takes one due message at a time with a single `UPDATE … RETURNING`
//!   (atomic in SQLite): it counts the attempt and sets a lease, `claimed_until` = now +
//!   [`LEASE`]. While the lease runs no other sender (another task, another process, the
//!   same server restarted) takes the message; the result is written only if the row still
//!   has the attempt number of the claim (a fencing token). A claim never confirmed, because
//!   the process died mid-send, expires: the message is then tried again. A send is cut off
//!   after [`SEND_TIMEOUT`], well within the lease, so that a slow sender never overlaps the
//!   next one.
//! - **Duplicates.** Delivery is at least once at one boundary only: if the process dies
//!   after the SMTP server accepted the message and before the row says `sent`, the message
//!   is sent again once the lease expires. It keeps its `Message-ID` and `Date` across
//!   retries, so that the receiving server or the mail client can recognise the second copy;
//!   `.eml` files are named after the `Message-ID`, so a retry writes the same file again.
//!   Anywhere else a message is never sent twice. (At-most-once would lose such a message
//!   instead: for a confirmation link, a copy too many is the lesser harm.) A message
//!   « renvoyé » by an administrator after it was sent gets a new `Message-ID`: it is meant
//!   to arrive again.
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rand::RngCore;
use sqlx::SqlitePool;
use tokio::sync::Notify;

use crate::error::AppError;
use crate::state::{AppState, Clock};
use crate::time::timestamp;

/// Delays before the next attempt after the 1st, 2nd… temporary failure.
pub const RETRY_DELAYS: [Duration; 6] = [
    Duration::minutes(1),
    Duration::minutes(5),
    Duration::minutes(30),
    Duration::hours(2),
    Duration::hours(6),
    Duration::hours(12),
];
/// Attempts before a message that keeps failing temporarily is `failed` (about 21 hours).
pub const MAX_ATTEMPTS: i64 = RETRY_DELAYS.len() as i64 + 1;
/// How long a claimed message is left to its sender before another may take it.
pub const LEASE: Duration = Duration::minutes(10);
/// Longest one delivery may take (connection, every SMTP command, the message).
pub const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);
/// Longest one SMTP command may wait for its answer.
const SMTP_COMMAND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
/// The sender looks at the queue at least this often, even when nobody wakes it.
const IDLE_CHECK: std::time::Duration = std::time::Duration::from_secs(60);
/// The pause after the queue itself could not be read (a busy or closed database).
const ERROR_PAUSE: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Clone)]
enum Transport {
    /// Only the `outbox` table: nothing is delivered, messages stay pending (tests).
    TableOnly,
    /// `.eml` files in this folder.
    Files(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// Wakes the sender when a message is queued.
    wake: Arc<Notify>,
}

pub const DEFAULT_FROM: &str =
    "Mois de l'innovation publique <ne-pas-repondre@mois-innovation.example.org>";

/// A message claimed by a sender: its row as queued, and the attempt it is.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Claim {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// When it was queued (or queued again by an administrator): its `Date` header.
    pub queued_at: String,
    pub message_id: Option<String>,
    /// The attempt this claim is (1 for the first): the row is updated only if it still says so.
    pub attempts: i64,
}

/// What one attempt gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Worth trying again later (SMTP 4xx, network, timeout, file system).
    Temporary(String),
    /// Never worth trying again as it is (SMTP 5xx, an address that cannot be written).
    Permanent(String),
}

/// How long to wait after the `attempts`-th attempt failed temporarily; `None`: give up.
pub fn retry_delay(attempts: i64) -> Option<Duration> {
    if !(1..MAX_ATTEMPTS).contains(&attempts) {
        return None;
    }
    RETRY_DELAYS.get(attempts as usize - 1).copied()
}

fn parse_time(at: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

/// A `Message-ID` of its own for each message queued: random, at the sender's domain.
fn new_message_id(from: &Mailbox) -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format!("<{}@{}>", hex::encode(bytes), from.email.domain())
}

/// The `.eml` file of a message: its `Message-ID` made a file name.
fn file_name(message_id: &str) -> String {
    let stem: String = message_id
        .trim_matches(|c| c == '<' || c == '>')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{stem}.eml")
}

impl Mailer {
    fn with(transport: Transport, from: Mailbox) -> Self {
        Mailer {
            transport,
            from,
            wake: Arc::new(Notify::new()),
        }
    }

    /// Messages go to the `outbox` table only, and stay pending there.
    pub fn table_only() -> Self {
        Self::with(
            Transport::TableOnly,
            DEFAULT_FROM.parse().expect("valid default sender"),
        )
    }

    /// Messages are written as `.eml` files in `dir` (created if missing).
    pub fn files(dir: PathBuf, from: &str) -> Result<Self, String> {
        std::fs::create_dir_all(&dir).map_err(|e| format!("outbox {}: {e}", dir.display()))?;
        Ok(Self::with(
            Transport::Files(dir),
            from.parse().map_err(|e| format!("MIP_MAIL_FROM: {e}"))?,
        ))
    }

    /// Messages are sent through the SMTP server of `url`
    /// (e.g. `smtps://user:password@smtp.example.org:465`).
    pub fn smtp(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("MIP_SMTP_URL: {e}"))?
            .timeout(Some(SMTP_COMMAND_TIMEOUT))
            .build();
        Ok(Self::with(
            Transport::Smtp(transport),
            from.parse().map_err(|e| format!("MIP_MAIL_FROM: {e}"))?,
        ))
    }

    /// Queues one plain-text message (one committed row) and wakes the sender; delivery
    /// happens outside the request. A delivery failure never fails what the person was doing:
    /// it is retried, and shown to administrators.
    pub async fn send(
        &self,
        pool: &SqlitePool,
        to: &str,
        subject: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        // An address that cannot be written in a header is refused now, not queued.
        to.parse::<Mailbox>().map_err(|_| {
            AppError::field("email", "Cette adresse électronique n'est pas valide.")
        })?;
        sqlx::query(
            "INSERT INTO outbox (recipient, subject, body, created_at, queued_at, state, \
             attempts, next_attempt_at, message_id) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
        )
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(timestamp(now))
        .bind(timestamp(now))
        .bind(timestamp(now))
        .bind(new_message_id(&self.from))
        .execute(pool)
        .await?;
        self.wake();
        Ok(())
    }

    /// Tells the sender to look at the queue (a permit is kept if it is busy).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Whether this mailer delivers at all (not [`Mailer::table_only`]).
    pub fn delivers(&self) -> bool {
        !matches!(self.transport, Transport::TableOnly)
    }

    /// Takes the next due message, if any: counts the attempt and sets the lease, in one
    /// statement. Messages whose last attempt was claimed and never confirmed, and that have
    /// no attempt left, are failed first.
    pub async fn claim_next(
        &self,
        pool: &SqlitePool,
        now: DateTime<Utc>,
    ) -> Result<Option<Claim>, AppError> {
        let now_text = timestamp(now);
        sqlx::query(
            "UPDATE outbox SET state = 'failed', claimed_until = NULL, next_attempt_at = NULL, \
             error = 'Envoi interrompu (arrêt du serveur pendant l''envoi), sans tentative restante.' \
             WHERE state = 'pending' AND attempts >= ? AND claimed_until IS NOT NULL AND claimed_until <= ?",
        )
        .bind(MAX_ATTEMPTS)
        .bind(&now_text)
        .execute(pool)
        .await?;
        let claim: Option<Claim> = sqlx::query_as(
            "UPDATE outbox SET attempts = attempts + 1, claimed_until = ?, last_attempt_at = ? \
             WHERE id = (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? \
                 AND (claimed_until IS NULL OR claimed_until <= ?) \
                 ORDER BY next_attempt_at, id LIMIT 1) \
             AND state = 'pending' \
             RETURNING id, recipient, subject, body, coalesce(queued_at, created_at) AS queued_at, \
             message_id, attempts",
        )
        .bind(timestamp(now + LEASE))
        .bind(&now_text)
        .bind(&now_text)
        .bind(&now_text)
        .fetch_optional(pool)
        .await?;
        Ok(claim)
    }

    /// The claim's `Message-ID` (one made of its row's id for a row queued without one).
    fn message_id(&self, claim: &Claim) -> String {
        claim
            .message_id
            .clone()
            .unwrap_or_else(|| format!("<outbox-{}@{}>", claim.id, self.from.email.domain()))
    }

    /// The message of a claim, as sent: the same `Message-ID` and `Date` at every attempt.
    pub fn message(&self, claim: &Claim) -> Result<Message, String> {
        let recipient: Mailbox = claim
            .recipient
            .parse()
            .map_err(|e| format!("Adresse du destinataire impossible à écrire : {e}"))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(recipient)
            .subject(claim.subject.clone())
            .message_id(Some(self.message_id(claim)))
            .header(ContentType::TEXT_PLAIN);
        if let Some(queued) = parse_time(&claim.queued_at) {
            builder = builder.date(queued.into());
        }
        builder
            .body(claim.body.clone())
            .map_err(|e| format!("Message impossible à construire : {e}"))
    }

    /// One attempt at delivering a claimed message; writes nothing in the database.
    pub async fn transmit(&self, claim: &Claim) -> Outcome {
        let message = match self.message(claim) {
            Ok(message) => message,
            Err(error) => return Outcome::Permanent(error),
        };
        let attempt = async {
            match &self.transport {
                Transport::TableOnly => Outcome::Temporary("Aucun moyen d'envoi configuré.".into()),
                Transport::Files(dir) => {
                    let name = file_name(&self.message_id(claim));
                    // Written beside, then renamed: a reader never sees half a file, and a
                    // retry replaces the same file.
                    let partial = dir.join(format!(".{name}.partiel"));
                    let written = async {
                        tokio::fs::write(&partial, message.formatted()).await?;
                        tokio::fs::rename(&partial, dir.join(&name)).await
                    };
                    match written.await {
                        Ok(()) => Outcome::Sent,
                        Err(e) => Outcome::Temporary(format!(
                            "Échec temporaire : écriture dans {} impossible : {e}",
                            dir.display()
                        )),
                    }
                }
                Transport::Smtp(smtp) => match smtp.send(message).await {
                    Ok(_) => Outcome::Sent,
                    Err(e) if e.is_permanent() => {
                        Outcome::Permanent(format!("Refus définitif du serveur SMTP : {e}"))
                    }
                    Err(e) => Outcome::Temporary(format!("Échec temporaire : {e}")),
                },
            }
        };
        match tokio::time::timeout(SEND_TIMEOUT, attempt).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome::Temporary(format!(
                "Échec temporaire : pas d'envoi achevé en {} secondes.",
                SEND_TIMEOUT.as_secs()
            )),
        }
    }

    /// Writes what an attempt gave, if the claim still holds (`false`: it had expired and
    /// another sender took the message over, whose result counts).
    pub async fn record(
        &self,
        pool: &SqlitePool,
        claim: &Claim,
        outcome: &Outcome,
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        let query = match outcome {
            Outcome::Sent => sqlx::query(
                "UPDATE outbox SET state = 'sent', sent_at = ?, claimed_until = NULL, \
                 next_attempt_at = NULL WHERE id = ? AND attempts = ? AND state = 'pending'",
            )
            .bind(timestamp(now)),
            Outcome::Temporary(error) => match retry_delay(claim.attempts) {
                Some(delay) => sqlx::query(
                    "UPDATE outbox SET error = ?, next_attempt_at = ?, claimed_until = NULL \
                     WHERE id = ? AND attempts = ? AND state = 'pending'",
                )
                .bind(error.clone())
                .bind(timestamp(now + delay)),
                None => sqlx::query(
                    "UPDATE outbox SET state = 'failed', error = ?, claimed_until = NULL, \
                     next_attempt_at = NULL WHERE id = ? AND attempts = ? AND state = 'pending'",
                )
                .bind(error.clone()),
            },
            Outcome::Permanent(error) => sqlx::query(
                "UPDATE outbox SET state = 'failed', error = ?, claimed_until = NULL, \
                 next_attempt_at = NULL WHERE id = ? AND attempts = ? AND state = 'pending'",
            )
            .bind(error.clone()),
        };
        let done = query
            .bind(claim.id)
            .bind(claim.attempts)
            .execute(pool)
            .await?;
        match outcome {
            Outcome::Sent => {}
            Outcome::Temporary(error) => {
                tracing::warn!(%error, outbox_id = claim.id, attempt = claim.attempts, "mail delivery failed, will retry")
            }
            Outcome::Permanent(error) => {
                tracing::error!(%error, outbox_id = claim.id, attempt = claim.attempts, "mail delivery refused")
            }
        }
        if done.rows_affected() == 0 {
            tracing::warn!(
                outbox_id = claim.id,
                "mail claim expired before its result was written"
            );
        }
        Ok(done.rows_affected() == 1)
    }

    /// Delivers every due message, one at a time; returns how many attempts were made.
    /// `clock` says "now" at each step (the tests give a fixed one to move time by hand).
    pub async fn deliver_due(&self, pool: &SqlitePool, clock: Clock) -> Result<usize, AppError> {
        if !self.delivers() {
            return Ok(0);
        }
        let mut attempts = 0;
        while let Some(claim) = self.claim_next(pool, clock.now()).await? {
            let outcome = self.transmit(&claim).await;
            self.record(pool, &claim, &outcome, clock.now()).await?;
            attempts += 1;
        }
        Ok(attempts)
    }

    /// When the next pending message may be taken (its due time, or its lease's end).
    pub async fn next_due(&self, pool: &SqlitePool) -> Result<Option<DateTime<Utc>>, AppError> {
        let next: Option<String> = sqlx::query_scalar(
            "SELECT min(max(next_attempt_at, coalesce(claimed_until, ''))) FROM outbox \
             WHERE state = 'pending'",
        )
        .fetch_one(pool)
        .await?;
        Ok(next.as_deref().and_then(parse_time))
    }

    /// The sender's loop: delivers what is due, then sleeps until the next due message, a
    /// wake-up, or [`IDLE_CHECK`].
    async fn run(self, pool: SqlitePool, clock: Clock) {
        loop {
            let pause = match self.deliver_due(&pool, clock).await {
                Ok(_) => match self.next_due(&pool).await {
                    Ok(Some(at)) => (at - clock.now())
                        .to_std()
                        .unwrap_or_default()
                        .clamp(std::time::Duration::from_millis(50), IDLE_CHECK),
                    Ok(None) => IDLE_CHECK,
                    Err(error) => {
                        tracing::error!(%error, "mail queue unreadable");
                        ERROR_PAUSE
                    }
                },
                Err(error) => {
                    tracing::error!(%error, "mail queue unreadable");
                    ERROR_PAUSE
                }
            };
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(pause) => {}
            }
        }
    }
}

/// Starts the background sender of `state`'s mailer (none for [`Mailer::table_only`]).
/// Dropping the task (the runtime's end) mid-send is safe: see the rules above.
pub fn spawn_sender(state: AppState) -> Option<tokio::task::JoinHandle<()>> {
    let mailer = state.mailer.clone();
    if !mailer.delivers() {
        return None;
    }
    // Messages queued before this start are due already: look at once.
    mailer.wake();
    Some(tokio::spawn(mailer.run(state.pool, state.clock)))
}

/// Puts a failed or sent message back in the queue, due at once and dated now, with its
/// attempts counted from zero again; a sent message gets a new `Message-ID` (it is meant to
/// arrive again).
/// `Ok(false)`: it is already pending. The caller wakes the sender.
pub async fn requeue(
    pool: &SqlitePool,
    mailer: &Mailer,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let state: Option<String> = sqlx::query_scalar("SELECT state FROM outbox WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    match state.as_deref() {
        None => Err(AppError::NotFound("Ce message n'existe pas.".into())),
        Some("pending") => Ok(false),
        Some(_) => {
            let done = sqlx::query(
                "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?1, \
                 queued_at = ?1, claimed_until = NULL, sent_at = NULL, \
                 message_id = CASE WHEN state = 'sent' OR message_id IS NULL THEN ?2 ELSE message_id END \
                 WHERE id = ?3 AND state IN ('sent', 'failed')",
            )
            .bind(timestamp(now))
            .bind(new_message_id(&mailer.from))
            .bind(id)
            .execute(pool)
            .await?;
            Ok(done.rows_affected() == 1)
        }
    }
}

#[cfg(test)]
mod queue_tests {
    use super::*;

    #[test]
    fn temporary_failures_wait_longer_each_time_then_give_up() {
        let delays: Vec<Option<Duration>> = (0..=MAX_ATTEMPTS).map(retry_delay).collect();
        assert_eq!(delays[0], None, "no attempt yet: nothing to wait for");
        assert_eq!(delays[1], Some(Duration::minutes(1)));
        assert_eq!(delays[2], Some(Duration::minutes(5)));
        assert_eq!(delays[4], Some(Duration::hours(2)));
        assert_eq!(
            delays[MAX_ATTEMPTS as usize], None,
            "the last attempt fails the message"
        );
        let waits: Vec<Duration> = delays.into_iter().flatten().collect();
        assert_eq!(waits.len() as i64, MAX_ATTEMPTS - 1);
        assert!(waits.windows(2).all(|w| w[0] < w[1]), "{waits:?}");
        // The lease outlasts a whole send, so that a live sender never loses its claim.
        assert!(LEASE.to_std().unwrap() > SEND_TIMEOUT * 2);
    }

    #[test]
    fn eml_files_are_named_after_the_message_id_and_stay_in_their_folder() {
        assert_eq!(
            file_name("<ab12@mois.example.org>"),
            "ab12_mois.example.org.eml"
        );
        assert_eq!(file_name("<../../etc/passwd>"), ".._.._etc_passwd.eml");
        assert!(!file_name("<a/b\\c@d>").contains(['/', '\\']));
    }

    #[test]
    fn a_message_keeps_its_id_and_date_and_says_utf8() {
        let mailer = Mailer::table_only();
        let claim = Claim {
            id: 7,
            recipient: "agent@exemple.gouv.fr".into(),
            subject: "Confirmez votre adresse – Mois de l'innovation publique".into(),
            body: "Bonjour,\n\nÀ bientôt.\n".into(),
            queued_at: "2026-11-10T08:00:00Z".into(),
            message_id: Some("<abc@mois-innovation.example.org>".into()),
            attempts: 1,
        };
        let first = String::from_utf8(mailer.message(&claim).unwrap().formatted()).unwrap();
        let again = String::from_utf8(mailer.message(&claim).unwrap().formatted()).unwrap();
        assert_eq!(first, again, "a retry sends the same bytes");
        assert!(
            first.contains("Message-ID: <abc@mois-innovation.example.org>"),
            "{first}"
        );
        assert!(
            first.contains("Date: Tue, 10 Nov 2026 08:00:00 +0000"),
            "{first}"
        );
        assert!(
            first.contains("Content-Type: text/plain; charset=utf-8"),
            "{first}"
        );
        let bad = Claim {
            recipient: "pas une adresse".into(),
            ..claim
        };
        assert!(mailer.message(&bad).is_err());
    }
}

/// The texts of the messages: French, plain, with the link on its own line. Subjects are
/// fixed; what a visitor typed (a name, an address) appears only through `quoted`, never in a
/// greeting: a message can be sent to any address typed in a form, and must not carry
/// someone else's words as the platform's own.
pub mod texts {
    /// Longest quoted text, in characters (the ellipsis included).
    pub const QUOTED_MAX: usize = 80;

    /// Text typed by a visitor, as a message may show it: one line (control characters,
    /// line and paragraph separators as spaces; bidirectional overrides dropped; runs of
    /// spaces as one), at most `QUOTED_MAX` characters (cut with « … »), between French
    /// quotes.
    pub fn quoted(text: &str) -> String {
        let one_line: String = text
            .chars()
            .filter(|c| !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
            .map(|c| {
                if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let words = one_line.split_whitespace().collect::<Vec<_>>().join(" ");
        let short = if words.chars().count() > QUOTED_MAX {
            let cut: String = words.chars().take(QUOTED_MAX - 1).collect();
            format!("{}…", cut.trim_end())
        } else {
            words
        };
        format!("« {short} »")
    }

    /// The account's name, presented as what was typed at sign-up.
    fn account_name(name: &str) -> String {
        format!("Nom indiqué lors de l'inscription : {}", quoted(name))
    }

    pub fn confirm_email(name: &str, link: &str) -> (String, String) {
        (
            "Confirmez votre adresse – Mois de l'innovation publique".into(),
            format!(
                "Bonjour,\n\n\
                 Un compte organisateur a été créé avec cette adresse sur la plateforme du Mois de l'innovation publique.\n\
                 {}\n\n\
                 Pour confirmer votre adresse électronique, ouvrez ce lien (valable 48 heures) :\n\n\
                 {link}\n\n\
                 Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucun compte ne sera activé.\n\n\
                 L'équipe du Mois de l'innovation publique (DITP)\n",
                account_name(name)
            ),
        )
    }

    pub fn already_registered(link: &str) -> (String, String) {
        (
            "Vous avez déjà un compte – Mois de l'innovation publique".into(),
            format!(
                "Bonjour,\n\n\
                 Quelqu'un (vous, sans doute) a voulu créer un compte avec cette adresse, qui en a déjà un.\n\
                 Pour vous connecter : {link}/connexion\n\
                 Mot de passe oublié : {link}/mot-de-passe-oublie\n\n\
                 L'équipe du Mois de l'innovation publique (DITP)\n"
            ),
        )
    }

    pub fn reset_password(name: &str, link: &str) -> (String, String) {
        (
            "Choisissez un nouveau mot de passe – Mois de l'innovation publique".into(),
            format!(
                "Bonjour,\n\n\
                 Un nouveau mot de passe a été demandé pour le compte organisateur de cette adresse.\n\
                 {}\n\n\
                 Pour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure, une seule fois) :\n\n\
                 {link}\n\n\
                 Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n\n\
                 L'équipe du Mois de l'innovation publique (DITP)\n",
                account_name(name)
            ),
        )
    }

    pub fn password_changed(name: &str) -> (String, String) {
        (
            "Votre mot de passe a été modifié – Mois de l'innovation publique".into(),
            format!(
                "Bonjour,\n\n\
                 Le mot de passe de votre compte organisateur vient d'être modifié ; toutes vos sessions ont été fermées.\n\
                 {}\n\n\
                 Si vous n'êtes pas à l'origine de ce changement, demandez un nouveau mot de passe sans attendre et écrivez-nous.\n\n\
                 L'équipe du Mois de l'innovation publique (DITP)\n",
                account_name(name)
            ),
        )
    }

    pub fn confirm_new_email(name: &str, link: &str) -> (String, String) {
        (
            "Confirmez votre nouvelle adresse – Mois de l'innovation publique".into(),
            format!(
                "Bonjour,\n\n\
                 Quelqu'un demande à utiliser cette adresse pour son compte organisateur sur la plateforme du Mois de l'innovation publique.\n\
                 {}\n\n\
                 Pour confirmer, ouvrez ce lien (valable 48 heures) :\n\n\
                 {link}\n\n\
                 Si vous n'avez rien demandé, ignorez ce message.\n\n\
                 L'équipe du Mois de l'innovation publique (DITP)\n",
                account_name(name)
            ),
        )
    }

    pub fn email_change_requested(name: &str, new_email: &str) -> (String, String) {
        (
            "Changement d'adresse demandé – Mois de l'innovation publique".into(),
            format!(
                "Bonjour,\n\n\
                 Un changement d'adresse vers {} a été demandé pour votre compte. Il prendra effet quand la nouvelle adresse sera confirmée.\n\
                 {}\n\n\
                 Si vous n'êtes pas à l'origine de cette demande, changez votre mot de passe et écrivez-nous.\n\n\
                 L'équipe du Mois de l'innovation publique (DITP)\n",
                quoted(new_email),
                account_name(name)
            ),
        )
    }

    /// A moderator's decision, to the event's organizer: the title (the organizer's text)
    /// quoted in the body only; the moderator's message (staff text) as written.
    pub fn moderation_decision(
        rejected: bool,
        title: &str,
        message: &str,
        link: &str,
    ) -> (String, String) {
        let title = quoted(title);
        let message = message.trim();
        if rejected {
            (
                "Votre événement n'a pas été retenu – Mois de l'innovation publique".into(),
                format!(
                    "Bonjour,\n\n\
                     L'équipe du Mois de l'innovation publique n'a pas retenu votre événement {title}, pour la raison suivante :\n\n\
                     {message}\n\n\
                     Vous pouvez le consulter ici : {link}\n\n\
                     L'équipe du Mois de l'innovation publique (DITP)\n"
                ),
            )
        } else {
            (
                "Modifications demandées pour votre événement – Mois de l'innovation publique".into(),
                format!(
                    "Bonjour,\n\n\
                     Avant de publier votre événement {title}, l'équipe du Mois vous demande les modifications suivantes :\n\n\
                     {message}\n\n\
                     Modifiez-le puis soumettez-le à nouveau : {link}\n\n\
                     L'équipe du Mois de l'innovation publique (DITP)\n"
                ),
            )
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        const HOSTILE: &str = "Jean\r\nCliquez ici: http://evil.example\n\u{202e}\u{0}fin";

        #[test]
        fn visitor_text_is_one_quoted_capped_line() {
            assert_eq!(quoted("Jeanne  Dupont"), "« Jeanne Dupont »");
            assert_eq!(
                quoted(HOSTILE),
                "« Jean Cliquez ici: http://evil.example fin »"
            );
            let long = quoted(&"é".repeat(200));
            assert_eq!(long, format!("« {}… »", "é".repeat(QUOTED_MAX - 1)));
        }

        #[test]
        fn messages_keep_a_visitors_text_on_one_quoted_line_and_out_of_subjects() {
            let link = "https://mois.example/x";
            for (subject, body) in [
                confirm_email(HOSTILE, link),
                reset_password(HOSTILE, link),
                password_changed(HOSTILE),
                confirm_new_email(HOSTILE, link),
                email_change_requested(HOSTILE, "autre@example.org\r\nBcc: x@evil.example"),
                moderation_decision(true, HOSTILE, "Le lieu manque.", link),
                moderation_decision(false, HOSTILE, "Précisez la salle.", link),
            ] {
                assert!(
                    !subject.contains("Jean") && !subject.contains("evil"),
                    "{subject}"
                );
                assert!(body.starts_with("Bonjour,\n"), "{body}");
                assert!(!body.contains('\r') && !body.contains('\0') && !body.contains('\u{202e}'));
                for line in body.lines().filter(|l| l.contains("evil")) {
                    assert!(
                        line.contains("« Jean Cliquez ici")
                            || line.contains("« autre@example.org Bcc"),
                        "{line}"
                    );
                }
            }
        }
    }
}

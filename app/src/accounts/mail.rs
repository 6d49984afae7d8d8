//! E-mail (server only), through `lettre`. Every message is recorded in the `outbox` table;
//! it is then sent by SMTP when `MIP_SMTP_URL` is set, otherwise written as an `.eml` file
//! in the outbox folder (`data/outbox` by default), where a developer opens it.
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::SqlitePool;

use super::session::timestamp;
use crate::error::AppError;

#[derive(Clone)]
enum Transport {
    /// Only the `outbox` table (tests).
    TableOnly,
    Files(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

pub const DEFAULT_FROM: &str =
    "Mois de l'innovation publique <ne-pas-repondre@mois-innovation.example.org>";

impl Mailer {
    /// Messages go to the `outbox` table only.
    pub fn table_only() -> Self {
        Mailer {
            transport: Transport::TableOnly,
            from: DEFAULT_FROM.parse().expect("valid default sender"),
        }
    }

    /// Messages are written as `.eml` files in `dir` (created if missing).
    pub fn files(dir: PathBuf, from: &str) -> Result<Self, String> {
        std::fs::create_dir_all(&dir).map_err(|e| format!("outbox {}: {e}", dir.display()))?;
        Ok(Mailer {
            transport: Transport::Files(AsyncFileTransport::new(dir)),
            from: from.parse().map_err(|e| format!("MIP_MAIL_FROM: {e}"))?,
        })
    }

    /// Messages are sent through the SMTP server of `url`
    /// (e.g. `smtps://user:password@smtp.example.org:465`).
    pub fn smtp(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("MIP_SMTP_URL: {e}"))?
            .build();
        Ok(Mailer {
            transport: Transport::Smtp(transport),
            from: from.parse().map_err(|e| format!("MIP_MAIL_FROM: {e}"))?,
        })
    }

    /// Records and sends one plain-text message. A delivery failure is logged and kept in
    /// the outbox (the person can ask again); it does not fail what the person was doing.
    pub async fn send(
        &self,
        pool: &SqlitePool,
        to: &str,
        subject: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outbox (recipient, subject, body, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(timestamp(now))
        .fetch_one(pool)
        .await?;
        let recipient: Mailbox = to.parse().map_err(|_| {
            AppError::field("email", "Cette adresse électronique n'est pas valide.")
        })?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(recipient)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| AppError::internal("mail build", e))?;
        let outcome = match &self.transport {
            Transport::TableOnly => Ok(()),
            Transport::Files(files) => files
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
        };
        match outcome {
            Ok(()) => {
                sqlx::query("UPDATE outbox SET sent_at = ? WHERE id = ?")
                    .bind(timestamp(now))
                    .bind(id)
                    .execute(pool)
                    .await?;
            }
            Err(error) => {
                tracing::error!(%error, outbox_id = id, "mail delivery failed");
                sqlx::query("UPDATE outbox SET error = ? WHERE id = ?")
                    .bind(&error)
                    .bind(id)
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
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

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

/// The texts of the messages: French, plain, with the link on its own line.
pub mod texts {
    pub fn confirm_email(name: &str, link: &str) -> (String, String) {
        (
            "Confirmez votre adresse – Mois de l'innovation publique".into(),
            format!(
                "Bonjour {name},\n\n\
                 Vous avez créé un compte organisateur sur la plateforme du Mois de l'innovation publique.\n\
                 Pour confirmer votre adresse électronique, ouvrez ce lien (valable 48 heures) :\n\n\
                 {link}\n\n\
                 Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucun compte ne sera activé.\n\n\
                 L'équipe du Mois de l'innovation publique (DITP)\n"
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
                "Bonjour {name},\n\n\
                 Pour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure, une seule fois) :\n\n\
                 {link}\n\n\
                 Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n\n\
                 L'équipe du Mois de l'innovation publique (DITP)\n"
            ),
        )
    }

    pub fn password_changed(name: &str) -> (String, String) {
        (
            "Votre mot de passe a été modifié – Mois de l'innovation publique".into(),
            format!(
                "Bonjour {name},\n\n\
                 Le mot de passe de votre compte organisateur vient d'être modifié ; toutes vos sessions ont été fermées.\n\
                 Si vous n'êtes pas à l'origine de ce changement, demandez un nouveau mot de passe sans attendre et écrivez-nous.\n\n\
                 L'équipe du Mois de l'innovation publique (DITP)\n"
            ),
        )
    }

    pub fn confirm_new_email(name: &str, link: &str) -> (String, String) {
        (
            "Confirmez votre nouvelle adresse – Mois de l'innovation publique".into(),
            format!(
                "Bonjour {name},\n\n\
                 Pour utiliser cette adresse pour votre compte organisateur, ouvrez ce lien (valable 48 heures) :\n\n\
                 {link}\n\n\
                 Si vous n'avez rien demandé, ignorez ce message.\n\n\
                 L'équipe du Mois de l'innovation publique (DITP)\n"
            ),
        )
    }

    pub fn email_change_requested(name: &str, new_email: &str) -> (String, String) {
        (
            "Changement d'adresse demandé – Mois de l'innovation publique".into(),
            format!(
                "Bonjour {name},\n\n\
                 Un changement d'adresse vers {new_email} a été demandé pour votre compte. Il prendra effet quand la nouvelle adresse sera confirmée.\n\
                 Si vous n'êtes pas à l'origine de cette demande, changez votre mot de passe et écrivez-nous.\n\n\
                 L'équipe du Mois de l'innovation publique (DITP)\n"
            ),
        )
    }
}

//! The SMTP side: one transport built from `SMTP_URL` (lettre, over tokio, TLS by rustls), or
//! the log when `SMTP_URL` is unset (development).

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::MailConfig;

/// Limit of each SMTP step (connection, each command).
const DELAI_COMMANDE: Duration = Duration::from_secs(20);
/// Limit of a whole mail, whatever the server does.
pub(super) const DELAI_ENVOI: Duration = Duration::from_secs(60);
/// Length kept of an error in `derniere_erreur`.
const LONGUEUR_ERREUR: usize = 300;

#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error("SMTP_URL invalide : {0}")]
    SmtpUrl(String),
    #[error("MAIL_FROM invalide : {0}")]
    MailFrom(String),
}

/// Sends mails: through SMTP when `SMTP_URL` is set, else to the log. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    expediteur: Mailbox,
    /// The password of `SMTP_URL`, masked in every error kept or logged.
    mot_de_passe: Option<String>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("smtp", &self.transport.is_some())
            .field("expediteur", &self.expediteur.to_string())
            .finish()
    }
}

impl Mailer {
    /// Checks `MAIL_FROM` and `SMTP_URL`; connects to nothing yet.
    pub fn new(config: &MailConfig) -> Result<Self, MailConfigError> {
        let expediteur = config
            .mail_from
            .parse::<Mailbox>()
            .map_err(|e| MailConfigError::MailFrom(e.to_string()))?;
        let url = config
            .smtp_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let transport = match url {
            None => None,
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailConfigError::SmtpUrl(e.to_string()))?
                    .timeout(Some(DELAI_COMMANDE))
                    .build(),
            ),
        };
        Ok(Self {
            transport,
            expediteur,
            mot_de_passe: url.and_then(mot_de_passe_de_l_url),
        })
    }

    /// Whether mails go through SMTP (else to the log).
    pub fn par_smtp(&self) -> bool {
        self.transport.is_some()
    }

    /// Sends one mail. The error is a short text without secrets, fit for `derniere_erreur`.
    pub(super) async fn envoyer(
        &self,
        destinataire: &str,
        modele: &str,
        sujet: &str,
        corps: &str,
    ) -> Result<(), String> {
        let Some(transport) = &self.transport else {
            tracing::info!(
                destinataire,
                modele,
                sujet,
                corps,
                "courriel écrit au journal au lieu d'être envoyé (SMTP_URL absent)"
            );
            return Ok(());
        };
        let a = destinataire
            .parse::<Mailbox>()
            .map_err(|_| "adresse du destinataire invalide".to_owned())?;
        let message = Message::builder()
            .from(self.expediteur.clone())
            .to(a)
            .subject(sujet)
            .header(ContentType::TEXT_PLAIN)
            .body(corps.to_owned())
            .map_err(|e| self.resumer(&e))?;
        match tokio::time::timeout(DELAI_ENVOI, transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(self.resumer(&e)),
            Err(_) => Err(format!(
                "délai d'envoi dépassé ({} s)",
                DELAI_ENVOI.as_secs()
            )),
        }
    }

    /// One line, at most `LONGUEUR_ERREUR` characters, the SMTP password masked.
    fn resumer(&self, erreur: &dyn std::fmt::Display) -> String {
        let mut texte = erreur.to_string();
        if let Some(secret) = &self.mot_de_passe {
            texte = texte.replace(secret.as_str(), "***");
        }
        let texte: String = texte
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(LONGUEUR_ERREUR)
            .collect();
        texte.trim().to_owned()
    }
}

/// The password of `smtps://user:password@host…`, as written.
fn mot_de_passe_de_l_url(url: &str) -> Option<String> {
    let apres_schema = &url[url.find("://")? + 3..];
    let autorite = apres_schema
        .split(['/', '?', '#'])
        .next()
        .unwrap_or(apres_schema);
    let (identifiants, _hote) = autorite.rsplit_once('@')?;
    let (_, mot_de_passe) = identifiants.split_once(':')?;
    (!mot_de_passe.is_empty()).then(|| mot_de_passe.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(smtp_url: Option<&str>, mail_from: &str) -> MailConfig {
        MailConfig {
            smtp_url: smtp_url.map(str::to_owned),
            mail_from: mail_from.to_owned(),
        }
    }

    #[test]
    fn la_configuration_est_verifiee_au_demarrage() {
        let defaut = Mailer::new(&MailConfig::default()).unwrap();
        assert!(!defaut.par_smtp());
        let smtp = Mailer::new(&config(
            Some("smtps://moi:s3cret@smtp.example.com"),
            "Registre DCP <ne-pas-repondre@artci.ci>",
        ))
        .unwrap();
        assert!(smtp.par_smtp());
        assert!(!format!("{smtp:?}").contains("s3cret"));
        assert!(matches!(
            Mailer::new(&config(Some("ftp://example.com"), "a@artci.ci")),
            Err(MailConfigError::SmtpUrl(_))
        ));
        assert!(matches!(
            Mailer::new(&config(None, "pas une adresse")),
            Err(MailConfigError::MailFrom(_))
        ));
    }

    #[test]
    fn le_mot_de_passe_smtp_est_masque_dans_les_erreurs() {
        assert_eq!(
            mot_de_passe_de_l_url("smtps://moi:s3cret@smtp.example.com:465/hote"),
            Some("s3cret".to_owned())
        );
        assert_eq!(mot_de_passe_de_l_url("smtp://127.0.0.1:2525"), None);
        assert_eq!(mot_de_passe_de_l_url("smtp://moi@127.0.0.1"), None);
        let mailer = Mailer::new(&config(
            Some("smtps://moi:s3cret@smtp.example.com"),
            "a@artci.ci",
        ))
        .unwrap();
        let long = format!("refus pour s3cret\r\n{}", "x".repeat(1000));
        let resume = mailer.resumer(&long);
        assert!(resume.starts_with("refus pour *** "), "{resume}");
        assert_eq!(resume.chars().count(), LONGUEUR_ERREUR);
    }
}

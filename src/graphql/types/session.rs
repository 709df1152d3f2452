//! What the account mutations answer.

use crate::graphql::types::DateTime;
use async_graphql::{Enum, SimpleObject, Union};

use crate::domain::comptes::SessionEmise;
use crate::models::identites;

/// Le côté du registre : les entreprises, ou le personnel de l'ARTCI.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Espace {
    #[default]
    Entreprise,
    Artci,
}

impl From<Espace> for identites::Espace {
    fn from(e: Espace) -> Self {
        match e {
            Espace::Entreprise => identites::Espace::Entreprise,
            Espace::Artci => identites::Espace::Artci,
        }
    }
}

/// Une session ouverte : un jeton d'accès (15 minutes) et un jeton de rafraîchissement
/// (7 jours, à usage unique : chaque rafraîchissement en rend un nouveau).
#[derive(SimpleObject)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    /// Expiration du jeton d'accès.
    pub expires_at: DateTime,
}

impl From<SessionEmise> for Session {
    fn from(s: SessionEmise) -> Self {
        Self {
            access_token: s.access_token,
            refresh_token: s.refresh_token,
            expires_at: s.expires_at.into(),
        }
    }
}

/// Connexion sensible (nouvel appareil ou adresse, ou longue inactivité) : un code
/// `CONNEXION` a été envoyé par e-mail ; `verifierOtp` termine la connexion.
#[derive(SimpleObject)]
pub struct OtpRequis {
    pub message: String,
}

/// Mot de passe expiré ou à changer : la session ne permet que `changerMotDePasse` et `moi`.
#[derive(SimpleObject)]
pub struct ChangementMotDePasseRequis {
    pub message: String,
    pub session: Session,
}

#[derive(Union)]
pub enum ResultatConnexion {
    Session(Session),
    OtpRequis(OtpRequis),
    ChangementMotDePasseRequis(ChangementMotDePasseRequis),
}

/// L'adresse e-mail est vérifiée.
#[derive(SimpleObject)]
pub struct OtpVerifie {
    pub ok: bool,
}

#[derive(Union)]
pub enum ResultatOtp {
    OtpVerifie(OtpVerifie),
    Session(Session),
    ChangementMotDePasseRequis(ChangementMotDePasseRequis),
}

/// La demande d'inscription est reçue ; le message est le même que l'adresse soit nouvelle
/// ou déjà inscrite.
#[derive(SimpleObject)]
pub struct InscriptionRecue {
    pub message: String,
}

pub const MESSAGE_CHANGEMENT: &str =
    "Votre mot de passe a expiré ou doit être changé : choisissez-en un nouveau.";

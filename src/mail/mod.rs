//! E-mails: what the service tells people, and how it reaches them without losing any.
//!
//! A mail is never sent from a request. [`mettre_en_file`] writes it to the outbox
//! (`courriels_sortants`) in the transaction of the change that causes it, so a mail exists if
//! and only if its change was committed. The [`worker`] then sends the due mails through SMTP
//! ([`Mailer`]), retrying with backoff while SMTP is down, and erases each body once delivered.
//! The texts are in [`modeles`].

mod envoi;
pub mod modeles;
pub mod worker;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::QueryResult;
use diesel_async::AsyncPgConnection;

use crate::models::courriels_sortants::{self, NouveauCourriel};
use crate::models::enums::{MotifRejetInscription, TypeFormalite};

pub use envoi::{MailConfigError, Mailer};
pub use worker::envoyer_en_attente;

/// Every mail the service sends. Secrets (codes, temporary passwords) live only in the
/// outbox row until delivery: `Debug` shows none of them.
#[derive(Clone, PartialEq, Eq)]
pub enum Courriel {
    /// Account created: the 6-digit code that verifies the address, valid 10 minutes.
    OtpInscription { code: String },
    /// Someone tried to sign up again with this address: its owner is told, and the sign-up
    /// answers as for a new address (no enumeration).
    InscriptionDejaFaite,
    /// Sensitive login (new device or address, long absence): the code that completes it.
    OtpConnexion { code: String },
    /// Password reset: the code that allows it.
    OtpReinitialisation { code: String },
    /// Security notice after a password change or reset.
    MotDePasseModifie,
    /// Wrong passwords from one client: that client waits before trying again; the owner's
    /// sessions stay open, and a reset lifts the wait.
    EssaisSuspendus,
    /// ARTCI vetted the company's sign-up.
    InscriptionValidee { denomination: String },
    /// ARTCI rejected the company's sign-up, with its reason.
    InscriptionRejetee {
        denomination: String,
        motif: MotifRejetInscription,
        commentaire: Option<String>,
    },
    /// A staff account was created: its temporary password, to change at first login.
    CompteAgentCree {
        prenom: String,
        mot_de_passe_temporaire: String,
    },
    /// The password expires in `jours` days, on `date`.
    MotDePasseExpireBientot { jours: i64, date: NaiveDate },
    /// The company's dossier was submitted: the formality it falls under and the date by
    /// which ARTCI decides.
    DossierSoumis {
        denomination: String,
        type_formalite: TypeFormalite,
        date_limite_decision: NaiveDate,
    },
    /// The company withdrew its submission: the dossier is its draft again.
    DossierRetire { denomination: String },
    /// ARTCI approved the company's claim: the entity is now its draft.
    RapprochementApprouve {
        denomination: String,
        commentaire: Option<String>,
    },
    /// ARTCI rejected the company's claim (or approved another one), with its reason.
    RapprochementRejete {
        denomination: String,
        commentaire: String,
    },
    /// The verification of a dossier: to the agent, and to the company once the N+1
    /// validated the agent's work (templates in `modeles::verification`).
    Verification(modeles::verification::CourrielVerification),
    /// ARTCI's decisions on a compliant dossier, to the company: validated, published, sent
    /// back to the form (templates in `modeles::decisions`).
    Decision(modeles::decisions::CourrielDecision),
    /// An approved dossier's life, to the company: certificate issued, amendment received,
    /// approved, rejected or withdrawn (templates in `modeles::apres_agrement`).
    ApresAgrement(modeles::apres_agrement::CourrielApresAgrement),
    /// The periodic deadline job's mails: assignment deadlines to the agent, approval expiry
    /// to the company (templates in `modeles::echeances`).
    Echeance(modeles::echeances::CourrielEcheance),
    /// Renewals, to the company: reminders before the approval ends, the request's receipt
    /// and ARTCI's decision (templates in `modeles::renouvellements`).
    Renouvellement(modeles::renouvellements::CourrielRenouvellement),
    /// The correspondant's annual activity report, to the company: receipt, review,
    /// reminders and late notice (templates in `modeles::rapports`).
    Rapport(modeles::rapports::CourrielRapport),
    /// ARTCI's decision deadline: its extension to the company, its passing to the
    /// administrators (templates in `modeles::delais`).
    Delai(modeles::delais::CourrielDelai),
}

impl Courriel {
    /// The template's name, stored in `courriels_sortants.modele`.
    pub fn modele(&self) -> &'static str {
        match self {
            Courriel::OtpInscription { .. } => "otp_inscription",
            Courriel::InscriptionDejaFaite => "inscription_deja_faite",
            Courriel::OtpConnexion { .. } => "otp_connexion",
            Courriel::OtpReinitialisation { .. } => "otp_reinitialisation",
            Courriel::MotDePasseModifie => "mot_de_passe_modifie",
            Courriel::EssaisSuspendus => "essais_suspendus",
            Courriel::InscriptionValidee { .. } => "inscription_validee",
            Courriel::InscriptionRejetee { .. } => "inscription_rejetee",
            Courriel::CompteAgentCree { .. } => "compte_agent_cree",
            Courriel::MotDePasseExpireBientot { .. } => "mot_de_passe_expire_bientot",
            Courriel::DossierSoumis { .. } => "dossier_soumis",
            Courriel::DossierRetire { .. } => "dossier_retire",
            Courriel::RapprochementApprouve { .. } => "rapprochement_approuve",
            Courriel::RapprochementRejete { .. } => "rapprochement_rejete",
            Courriel::Verification(v) => v.modele(),
            Courriel::Decision(d) => d.modele(),
            Courriel::ApresAgrement(a) => a.modele(),
            Courriel::Echeance(e) => e.modele(),
            Courriel::Renouvellement(r) => r.modele(),
            Courriel::Rapport(r) => r.modele(),
            Courriel::Delai(d) => d.modele(),
        }
    }

    /// The subject and the plain-text body, in French.
    pub fn rendre(&self) -> (String, String) {
        modeles::rendre(self)
    }
}

impl std::fmt::Debug for Courriel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Courriel({})", self.modele())
    }
}

/// Queues `courriel` for `destinataire`, due at `now`. Call it with the connection of the
/// transaction that makes the change the mail tells about: a rolled-back change sends nothing.
pub async fn mettre_en_file(
    conn: &mut AsyncPgConnection,
    destinataire: &str,
    courriel: &Courriel,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    let destinataire = destinataire.trim().to_lowercase();
    let (sujet, corps) = courriel.rendre();
    courriels_sortants::create(
        conn,
        &NouveauCourriel {
            destinataire: &destinataire,
            modele: courriel.modele(),
            sujet: &sujet,
            corps: Some(&corps),
            prochain_essai_le: now,
            created_at: now,
        },
    )
    .await
    .map(drop)
}

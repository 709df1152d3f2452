//! ARTCI's verification of a submitted dossier: an admin assigns it to an agent
//! ([`assignation`]), the agent proposes a decision with a feedback ([`feedback`]), an N+1
//! validates or sends the work back ([`validation`]); what each role reads of it is in
//! [`historique`]. Every change of the dossier's status goes through `workflow::autoriser`
//! and `transitions::appliquer`; each step writes its `assignation` history line and its mails
//! in the same transaction.
//!
//! Choices the domain page leaves open:
//! - an assignation is staff business: a company never sees assignations, their history lines
//!   (`objet = assignation`) nor who at ARTCI did what (staff actors read "ARTCI");
//! - the agent of an assignation is an active staff user of role editeur or above; the
//!   échéance is a day after today and at most [`ECHEANCE_MAX_JOURS`] days ahead (a typo,
//!   not a plan, beyond that);
//! - work sent back by the N+1 is treated again on the same assignation, and its new feedback
//!   replaces the draft the N+1 refused: the company only ever receives validated feedback;
//! - another agent's assignation is `FORBIDDEN`, not `NOT_FOUND`: staff read every dossier and
//!   its assignations anyway, so hiding it would protect nothing and only confuse;
//! - the N+1 may take another decision than the one proposed (API's `decision`); a request for
//!   complements then still needs the agent's `delai_fourniture`, otherwise the work is to be
//!   sent back;
//! - inputs that do not apply to the decision taken (a motif for anything but `REJETE`, a
//!   compliance deadline for anything but `CONFORME_SOUS_RESERVE`) are ignored.

pub mod assignation;
pub mod documents;
pub mod feedback;
pub mod historique;
pub mod validation;

use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::AsyncPgConnection;

use crate::auth::Principal;
use crate::domain::roles;
use crate::domain::transitions::{self, Changement};
use crate::error::{AppError, AppResult};
use crate::models::enums::{ObjetHistorique, RoleUtilisateur, StatutAssignation};
use crate::models::{Assignation, User, users};

/// Farthest échéance an admin may set, in days from today.
pub const ECHEANCE_MAX_JOURS: u64 = 365;
/// Longest comment (the N+1's, the agent's feedback) and motif, in characters.
pub const COMMENTAIRE_MAX: usize = 5000;

/// The staff member behind `principal` (a company or an anonymous caller is refused).
fn personnel(principal: Principal) -> AppResult<(uuid::Uuid, RoleUtilisateur)> {
    match principal {
        Principal::Agent { user_id, role } => Ok((user_id, role)),
        Principal::Entreprise { .. } => Err(AppError::forbidden()),
        Principal::Anonyme => Err(AppError::unauthenticated()),
    }
}

/// Whether `user` may be given dossiers to verify: active, editeur or above.
pub fn assignable(user: &User) -> bool {
    user.est_actif && roles::au_moins(user.role, RoleUtilisateur::Editeur)
}

/// The agent an admin names, if it may be assigned (`BAD_USER_INPUT` on `input.agentId`).
async fn agent_assignable(conn: &mut AsyncPgConnection, agent_id: uuid::Uuid) -> AppResult<User> {
    users::find_by_id(conn, agent_id)
        .await?
        .filter(assignable)
        .ok_or_else(|| {
            AppError::bad_input(
                "input.agentId",
                "Cet agent n'existe pas, n'est pas actif ou n'a pas le rôle d'éditeur.",
            )
        })
}

/// An échéance set by an admin: after `aujourd_hui`, within [`ECHEANCE_MAX_JOURS`].
pub fn verifier_echeance(echeance: NaiveDate, aujourd_hui: NaiveDate) -> AppResult<NaiveDate> {
    if echeance <= aujourd_hui {
        return Err(AppError::bad_input(
            "input.echeance",
            "L'échéance doit être postérieure à aujourd'hui.",
        ));
    }
    let max = aujourd_hui + chrono::Days::new(ECHEANCE_MAX_JOURS);
    if echeance > max {
        return Err(AppError::bad_input(
            "input.echeance",
            "L'échéance ne peut dépasser un an.",
        ));
    }
    Ok(echeance)
}

/// A free text: trimmed, blank is none, at most [`COMMENTAIRE_MAX`] characters.
pub fn texte_facultatif(texte: Option<&str>, champ: &str) -> AppResult<Option<String>> {
    let texte = texte.map(str::trim).filter(|t| !t.is_empty());
    if texte.is_some_and(|t| t.chars().count() > COMMENTAIRE_MAX) {
        return Err(AppError::bad_input(
            champ,
            format!("Ce texte ne doit pas dépasser {COMMENTAIRE_MAX} caractères."),
        ));
    }
    Ok(texte.map(str::to_owned))
}

/// Whether an assignation is overdue on `aujourd_hui`: its échéance passed, or the daily job
/// marked it so.
pub fn en_retard(assignation: &Assignation, aujourd_hui: NaiveDate) -> bool {
    assignation.statut == StatutAssignation::EnRetard
        || (assignation.echeance < aujourd_hui
            && !matches!(
                assignation.statut,
                StatutAssignation::Valide | StatutAssignation::Annule
            ))
}

/// Writes the `assignation` history line of `assignation`'s move from `ancien` (`None`: its
/// creation), by `principal` (`None`: the system).
pub(crate) async fn journaliser(
    conn: &mut AsyncPgConnection,
    assignation: &Assignation,
    ancien: Option<StatutAssignation>,
    principal: Option<Principal>,
    commentaire: Option<String>,
    maintenant: DateTime<Utc>,
) -> AppResult<()> {
    transitions::journaliser(
        conn,
        Changement {
            entite_id: assignation.entite_id,
            objet: ObjetHistorique::Assignation,
            objet_id: assignation.id,
            ancien: ancien.map(StatutAssignation::label),
            nouveau: assignation.statut.label(),
        },
        principal,
        commentaire,
        maintenant,
    )
    .await
}

fn introuvable() -> AppError {
    AppError::not_found("Assignation")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    fn jour(m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, j).unwrap()
    }

    #[test]
    fn l_echeance_est_apres_aujourd_hui_et_dans_l_annee() {
        let aujourd_hui = jour(11, 23);
        assert_eq!(
            verifier_echeance(jour(11, 24), aujourd_hui).unwrap(),
            jour(11, 24)
        );
        for mauvaise in [
            jour(11, 23),
            jour(11, 1),
            NaiveDate::from_ymd_opt(2027, 11, 24).unwrap(),
        ] {
            let err = verifier_echeance(mauvaise, aujourd_hui).unwrap_err();
            assert_eq!(err.code(), Code::BadUserInput);
            assert_eq!(err.field(), Some("input.echeance"));
        }
    }

    #[test]
    fn un_texte_vide_n_est_rien_et_un_texte_long_est_refuse() {
        assert_eq!(texte_facultatif(Some("  "), "input.x").unwrap(), None);
        assert_eq!(
            texte_facultatif(Some(" Bien. "), "input.x").unwrap(),
            Some("Bien.".to_owned())
        );
        let long = "x".repeat(COMMENTAIRE_MAX + 1);
        assert_eq!(
            texte_facultatif(Some(&long), "input.x")
                .unwrap_err()
                .field(),
            Some("input.x")
        );
    }
}

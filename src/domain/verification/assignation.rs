//! Assigning a submitted dossier to an agent (`soumis → en_verification`), moving an open
//! assignment to another agent, and the system's re-assignment to the same agent once the
//! company answered a request for complements.
//!
//! One open assignment per dossier, even under concurrent calls: the dossier's workflow row
//! is locked first, so a second admin waits for the first and then finds the dossier assigned
//! (`CONFLICT`); the partial unique index of `assignations_demandes` backs this up.

use chrono::{DateTime, Days, NaiveDate, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::{agent_assignable, assignable, introuvable, journaliser, personnel, verifier_echeance};
use crate::auth::Principal;
use crate::domain::transitions;
use crate::domain::workflow::{self, Acteur, NomTransition, Transition};
use crate::error::{AppError, AppResult};
use crate::mail::modeles::verification::CourrielVerification;
use crate::mail::{self, Courriel};
use crate::models::assignations_demandes::{
    self, INDEX_UNE_OUVERTE, ModificationsAssignation, NouvelleAssignation,
};
use crate::models::entites_workflow::{self, EffetsTransition};
use crate::models::enums::{StatutAssignation, StatutWorkflow};
use crate::models::{Assignation, User, entites_base, users};

/// Échéance of a re-assignment after complements when the previous assignment gives none
/// to copy (a same-day one): the agent gets this many days.
pub const DUREE_REASSIGNATION_PAR_DEFAUT: u64 = 7;

/// What `assignerDemande` / `reassignerDemande` receive, ids already parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaisieAssignation {
    /// The entity (`assignerDemande`) or the assignation (`reassignerDemande`).
    pub cible_id: Uuid,
    pub agent_id: Uuid,
    pub echeance: NaiveDate,
}

fn deja_assigne() -> AppError {
    AppError::conflict("Ce dossier est déjà attribué à un agent.")
}

/// Assigns the submitted dossier `saisie.cible_id` to `saisie.agent_id` by the admin
/// `principal`: the dossier goes `soumis → en_verification`, the assignation is created
/// `en_cours`, and the agent is mailed.
pub async fn assigner(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    saisie: SaisieAssignation,
    maintenant: DateTime<Utc>,
) -> AppResult<Assignation> {
    let (admin_id, role) = personnel(principal)?;
    let echeance = verifier_echeance(saisie.echeance, maintenant.date_naive())?;
    conn.transaction(async |conn| {
        let agent = agent_assignable(conn, saisie.agent_id).await?;
        // Locked: a concurrent assignment of the same dossier waits here, then sees this one.
        let workflow_actuel = entites_workflow::find_for_update(conn, saisie.cible_id)
            .await?
            .ok_or_else(|| AppError::not_found("Entité"))?;
        if assignations_demandes::find_ouverte(conn, saisie.cible_id)
            .await?
            .is_some()
        {
            return Err(deja_assigne());
        }
        let transition = workflow::autoriser(
            workflow_actuel.statut,
            NomTransition::Assigner,
            Acteur::Personnel(role),
            None,
        )?;
        ouvrir(
            conn,
            Ouverture {
                entite_id: saisie.cible_id,
                de: workflow_actuel.statut,
                transition,
                agent: &agent,
                assigne_par: admin_id,
                echeance,
                principal: Some(principal),
                apres_complements: false,
            },
            maintenant,
        )
        .await
    })
    .await
}

/// Everything [`ouvrir`] needs.
struct Ouverture<'a> {
    entite_id: Uuid,
    de: StatutWorkflow,
    transition: &'static Transition,
    agent: &'a User,
    assigne_par: Uuid,
    echeance: NaiveDate,
    /// `None`: the system.
    principal: Option<Principal>,
    apres_complements: bool,
}

/// Opens the assignation of an authorised `Assigner`, in the caller's transaction.
async fn ouvrir(
    conn: &mut AsyncPgConnection,
    o: Ouverture<'_>,
    maintenant: DateTime<Utc>,
) -> AppResult<Assignation> {
    transitions::appliquer(
        conn,
        o.entite_id,
        o.de,
        o.transition.vers,
        &EffetsTransition {
            assigned_to: Some(Some(o.agent.id)),
            ..Default::default()
        },
        o.principal,
        None,
        maintenant,
    )
    .await?;
    let assignation = assignations_demandes::create(
        conn,
        &NouvelleAssignation {
            entite_id: o.entite_id,
            agent_id: o.agent.id,
            assigne_par: o.assigne_par,
            date_assignation: maintenant,
            echeance: o.echeance,
        },
    )
    .await
    .map_err(|e| match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, ref info)
            if info.constraint_name() == Some(INDEX_UNE_OUVERTE) =>
        {
            deja_assigne()
        }
        autre => autre.into(),
    })?;
    journaliser(conn, &assignation, None, o.principal, None, maintenant).await?;
    let entite = entites_base::find_by_id(conn, o.entite_id).await?;
    mail::mettre_en_file(
        conn,
        &o.agent.email,
        &Courriel::Verification(CourrielVerification::DossierAssigne {
            prenom: o.agent.prenom.clone(),
            denomination: entite.denomination,
            echeance: o.echeance,
            apres_complements: o.apres_complements,
        }),
        maintenant,
    )
    .await?;
    Ok(assignation)
}

/// Moves the open assignation `saisie.cible_id` to the agent `saisie.agent_id` with a new
/// échéance, by the admin `principal`; the new agent is mailed. Work treated and awaiting
/// its N+1 is not moved (`CONFLICT`): it is validated or sent back first. An overdue
/// assignation is `en_cours` again with its new échéance; one sent back stays `renvoye`, the
/// N+1's comment still standing.
pub async fn reassigner(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    saisie: SaisieAssignation,
    maintenant: DateTime<Utc>,
) -> AppResult<Assignation> {
    let (admin_id, _) = personnel(principal)?;
    let echeance = verifier_echeance(saisie.echeance, maintenant.date_naive())?;
    conn.transaction(async |conn| {
        let avant = assignations_demandes::find_by_id_for_update(conn, saisie.cible_id)
            .await?
            .ok_or_else(introuvable)?;
        let statut = match avant.statut {
            StatutAssignation::EnCours | StatutAssignation::EnRetard => StatutAssignation::EnCours,
            StatutAssignation::Renvoye => StatutAssignation::Renvoye,
            StatutAssignation::TraiteAttenteValidation => {
                return Err(AppError::conflict(
                    "Ce traitement attend sa validation : validez-le ou renvoyez-le avant de \
                     réassigner le dossier.",
                ));
            }
            StatutAssignation::Valide | StatutAssignation::Annule => {
                return Err(AppError::conflict("Cette assignation est close."));
            }
        };
        if saisie.agent_id == avant.agent_id {
            return Err(AppError::bad_input(
                "input.agentId",
                "Le dossier est déjà attribué à cet agent.",
            ));
        }
        let agent = agent_assignable(conn, saisie.agent_id).await?;
        let assignation = assignations_demandes::update(
            conn,
            avant.id,
            &ModificationsAssignation {
                statut: Some(statut),
                agent_id: Some(agent.id),
                assigne_par: Some(admin_id),
                date_assignation: Some(maintenant),
                echeance: Some(echeance),
                ..Default::default()
            },
        )
        .await?;
        entites_workflow::definir_agent(conn, assignation.entite_id, Some(agent.id)).await?;
        journaliser(
            conn,
            &assignation,
            Some(avant.statut),
            Some(principal),
            Some("Réassignation à un autre agent".to_owned()),
            maintenant,
        )
        .await?;
        let entite = entites_base::find_by_id(conn, assignation.entite_id).await?;
        mail::mettre_en_file(
            conn,
            &agent.email,
            &Courriel::Verification(CourrielVerification::DossierAssigne {
                prenom: agent.prenom.clone(),
                denomination: entite.denomination,
                echeance,
                apres_complements: false,
            }),
            maintenant,
        )
        .await?;
        Ok(assignation)
    })
    .await
}

/// After the company answered a request for complements (`Completer`, the dossier now
/// `soumis`), in that transaction: assigns the dossier again, by the system, to the agent of
/// its last assignation when that agent may still be assigned (active, editeur+); otherwise
/// the dossier waits in the queue for an admin. Returns the new assignation, if any.
///
/// The new assignment is signed by the admin who made the last one (`assigne_par` names a
/// person), and the agent gets as many days as the last one gave (the day of assignment to
/// its échéance), or [`DUREE_REASSIGNATION_PAR_DEFAUT`] when that was less than a day.
pub async fn reassigner_apres_complements(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    maintenant: DateTime<Utc>,
) -> AppResult<Option<Assignation>> {
    let Some(derniere) = assignations_demandes::find_derniere(conn, entite_id).await? else {
        return Ok(None);
    };
    let Some(agent) = users::find_by_id(conn, derniere.agent_id)
        .await?
        .filter(assignable)
    else {
        return Ok(None);
    };
    if assignations_demandes::find_ouverte(conn, entite_id)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let workflow_actuel = entites_workflow::find_for_update(conn, entite_id)
        .await?
        .ok_or_else(|| AppError::not_found("Entité"))?;
    let transition = workflow::autoriser(
        workflow_actuel.statut,
        NomTransition::Assigner,
        Acteur::Systeme,
        None,
    )?;
    let aujourd_hui = maintenant.date_naive();
    let echeance = aujourd_hui + Days::new(duree_precedente(&derniere));
    ouvrir(
        conn,
        Ouverture {
            entite_id,
            de: workflow_actuel.statut,
            transition,
            agent: &agent,
            assigne_par: derniere.assigne_par,
            echeance,
            principal: None,
            apres_complements: true,
        },
        maintenant,
    )
    .await
    .map(Some)
}

/// The days the assignation `a` gave its agent, or the default when under a day.
fn duree_precedente(a: &Assignation) -> u64 {
    let jours = (a.echeance - a.date_assignation.date_naive()).num_days();
    u64::try_from(jours)
        .ok()
        .filter(|j| *j >= 1)
        .unwrap_or(DUREE_REASSIGNATION_PAR_DEFAUT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn assignation(date: DateTime<Utc>, echeance: NaiveDate) -> Assignation {
        Assignation {
            id: Uuid::new_v4(),
            entite_id: Uuid::new_v4(),
            agent_id: Uuid::new_v4(),
            assigne_par: Uuid::new_v4(),
            date_assignation: date,
            echeance,
            statut: StatutAssignation::Valide,
            decision_proposee: None,
            traite_le: None,
            valide_par: None,
            valide_le: None,
            commentaire_validation: None,
            created_at: date,
            updated_at: date,
            rappel_echeance_envoye_pour: None,
        }
    }

    #[test]
    fn la_reassignation_reprend_la_duree_de_la_precedente() {
        let le = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let a = assignation(le, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        assert_eq!(duree_precedente(&a), 10);
        let meme_jour = assignation(le, le.date_naive());
        assert_eq!(duree_precedente(&meme_jour), DUREE_REASSIGNATION_PAR_DEFAUT);
    }
}

//! The N+1's check of an agent's treatment (`validerTraitement`): sent back to the agent
//! with a comment, or accepted: the dossier moves to the decided status (`Decider`), the
//! feedback is sent to the company and the company is mailed. Any admin may validate, never
//! the agent who treated the dossier.

use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use super::feedback::elements;
use super::{introuvable, journaliser, personnel, texte_facultatif};
use crate::auth::Principal;
use crate::domain::workflow::{self, Acteur, NomTransition};
use crate::domain::{contenu, modifications, pieces, transitions};
use crate::error::{AppError, AppResult};
use crate::mail::modeles::verification::CourrielVerification;
use crate::mail::{self, Courriel};
use crate::models::assignations_demandes::{self, ModificationsAssignation};
use crate::models::entites_workflow::{self, EffetsTransition};
use crate::models::enums::{DecisionTraitement, StatutAssignation, StatutWorkflow};
use crate::models::{
    Assignation, EntiteBase, FeedbackVerification, comptes_entreprises, documents_joints,
    entites_base, entites_conformite, feedbacks_verification, modifications_dossier, users,
};

/// What `validerTraitement` receives, the id already parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaisieValidation {
    pub assignation_id: Uuid,
    pub accepter: bool,
    /// The decision taken; the agent's proposal when absent.
    pub decision: Option<DecisionTraitement>,
    pub motif: Option<String>,
    pub delai_mise_en_conformite: Option<NaiveDate>,
    pub commentaire: Option<String>,
}

/// The workflow status a decision leads to.
pub fn statut_decide(decision: DecisionTraitement) -> StatutWorkflow {
    match decision {
        DecisionTraitement::Conforme => StatutWorkflow::Conforme,
        DecisionTraitement::ConformeSousReserve => StatutWorkflow::ConformeSousReserve,
        DecisionTraitement::EnAttenteComplements => StatutWorkflow::EnAttenteComplements,
        DecisionTraitement::Rejete => StatutWorkflow::Rejete,
    }
}

/// The N+1 `principal` validates (or sends back) the treatment of `saisie.assignation_id`.
pub async fn valider_traitement(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    saisie: SaisieValidation,
    maintenant: DateTime<Utc>,
) -> AppResult<Assignation> {
    let (validateur_id, role) = personnel(principal)?;
    let commentaire = texte_facultatif(saisie.commentaire.as_deref(), "input.commentaire")?;
    let motif = texte_facultatif(saisie.motif.as_deref(), "input.motif")?;
    if !saisie.accepter && commentaire.is_none() {
        return Err(AppError::bad_input(
            "input.commentaire",
            "Un commentaire est obligatoire pour renvoyer le traitement à l'agent.",
        ));
    }
    conn.transaction(async |conn| {
        let avant = assignations_demandes::find_by_id_for_update(conn, saisie.assignation_id)
            .await?
            .ok_or_else(introuvable)?;
        if avant.agent_id == validateur_id {
            return Err(AppError::forbidden_because(
                "Vous ne pouvez pas valider un traitement que vous avez fait vous-même.",
            ));
        }
        if avant.statut != StatutAssignation::TraiteAttenteValidation {
            return Err(AppError::conflict(
                "Ce dossier n'a pas de traitement en attente de validation.",
            ));
        }
        if !saisie.accepter {
            return renvoyer(conn, principal, avant, commentaire, maintenant).await;
        }
        let proposee = avant.decision_proposee.ok_or_else(|| {
            AppError::internal(format!("assignation {} traitée sans décision", avant.id))
        })?;
        let decision = saisie.decision.unwrap_or(proposee);
        let workflow_actuel = entites_workflow::find_for_update(conn, avant.entite_id)
            .await?
            .ok_or_else(|| AppError::not_found("Entité"))?;
        let de = workflow_actuel.statut;
        // Rejecting an amendment takes the dossier back to its approved version, not to
        // `rejete`: the approval stands.
        let refus_de_modification = match decision {
            DecisionTraitement::Rejete => {
                modifications_dossier::ouverte(conn, avant.entite_id).await?
            }
            _ => None,
        };
        let (nom, cible) = match &refus_de_modification {
            Some(m) => (NomTransition::RefuserModification, m.statut_precedent),
            None => (NomTransition::Decider, statut_decide(decision)),
        };
        let transition = workflow::autoriser(de, nom, Acteur::Personnel(role), Some(cible))?;
        let motif = motif.filter(|_| transition.motif_requis);
        let delai = saisie
            .delai_mise_en_conformite
            .filter(|_| transition.delai_requis);
        transition.verifier_saisie(motif.as_deref(), delai)?;
        if decision == DecisionTraitement::Conforme {
            // A required document ARTCI rejected must be replaced first.
            let contenu = contenu::charger_un(conn, avant.entite_id).await?;
            let courants = documents_joints::courants(conn, avant.entite_id).await?;
            let rejetees = pieces::rejetees(&pieces::requises(&contenu), &courants);
            if !rejetees.is_empty() {
                let liste: Vec<&str> = rejetees.iter().map(|t| t.libelle()).collect();
                return Err(AppError::conflict(format!(
                    "Des pièces obligatoires ont été rejetées et pas encore remplacées : {}.",
                    liste.join(", ")
                )));
            }
        }
        if let Some(delai) = delai
            && delai <= maintenant.date_naive()
        {
            return Err(AppError::bad_input(
                "input.delaiMiseEnConformite",
                "Le délai de mise en conformité doit être postérieur à aujourd'hui.",
            ));
        }
        let feedback = feedbacks_verification::find_brouillon_de(conn, avant.id)
            .await?
            .ok_or_else(|| {
                AppError::internal(format!("assignation {} traitée sans retour", avant.id))
            })?;
        if decision == DecisionTraitement::EnAttenteComplements
            && feedback.delai_fourniture.is_none()
        {
            return Err(AppError::bad_input(
                "input.decision",
                "Le retour de l'agent ne fixe pas de délai de fourniture : renvoyez-lui le \
                 traitement pour demander des compléments.",
            ));
        }

        if let Some(modification) = refus_de_modification {
            let assignation = assignations_demandes::update(
                conn,
                avant.id,
                &ModificationsAssignation {
                    statut: Some(StatutAssignation::Valide),
                    valide_par: Some(Some(validateur_id)),
                    valide_le: Some(Some(maintenant)),
                    commentaire_validation: Some(commentaire),
                    ..Default::default()
                },
            )
            .await?;
            feedbacks_verification::envoyer(conn, feedback.id).await?;
            journaliser(
                conn,
                &assignation,
                Some(avant.statut),
                Some(principal),
                None,
                maintenant,
            )
            .await?;
            let entite = entites_base::find_by_id(conn, avant.entite_id).await?;
            modifications::refuser(
                conn,
                Some(principal),
                &modification,
                de,
                motif.unwrap_or_default(),
                &entite,
                maintenant,
            )
            .await?;
            return Ok(assignation);
        }
        let rejete = transition.vers == StatutWorkflow::Rejete;
        transitions::appliquer(
            conn,
            avant.entite_id,
            de,
            transition.vers,
            &EffetsTransition {
                date_rejet: rejete.then_some(Some(maintenant)),
                motif_rejet: rejete.then(|| motif.clone()),
                // The assignment closes: nobody holds the dossier any more.
                assigned_to: Some(None),
                ..Default::default()
            },
            Some(principal),
            // Shown to the company in its history: only the reason of a rejection.
            motif.clone(),
            maintenant,
        )
        .await?;
        if transition.delai_requis {
            entites_conformite::definir_delai_mise_en_conformite(conn, avant.entite_id, delai)
                .await?;
        }
        let assignation = assignations_demandes::update(
            conn,
            avant.id,
            &ModificationsAssignation {
                statut: Some(StatutAssignation::Valide),
                valide_par: Some(Some(validateur_id)),
                valide_le: Some(Some(maintenant)),
                commentaire_validation: Some(commentaire),
                ..Default::default()
            },
        )
        .await?;
        let feedback = feedbacks_verification::envoyer(conn, feedback.id).await?;
        let note = (decision != proposee).then(|| {
            format!(
                "Décision retenue : {} (proposée : {})",
                decision.label(),
                proposee.label()
            )
        });
        journaliser(
            conn,
            &assignation,
            Some(avant.statut),
            Some(principal),
            note,
            maintenant,
        )
        .await?;
        let entite = entites_base::find_by_id(conn, avant.entite_id).await?;
        informer_entreprise(conn, &entite, decision, &feedback, motif, delai, maintenant).await?;
        Ok(assignation)
    })
    .await
}

/// Sends the treatment back to its agent with the N+1's `commentaire` (required, checked by
/// the caller): the assignation goes `renvoye` and the agent is mailed.
async fn renvoyer(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    avant: Assignation,
    commentaire: Option<String>,
    maintenant: DateTime<Utc>,
) -> AppResult<Assignation> {
    let assignation = assignations_demandes::update(
        conn,
        avant.id,
        &ModificationsAssignation {
            statut: Some(StatutAssignation::Renvoye),
            commentaire_validation: Some(commentaire.clone()),
            ..Default::default()
        },
    )
    .await?;
    journaliser(
        conn,
        &assignation,
        Some(avant.statut),
        Some(principal),
        commentaire.clone(),
        maintenant,
    )
    .await?;
    if let Some(agent) = users::find_by_id(conn, assignation.agent_id).await? {
        let entite = entites_base::find_by_id(conn, assignation.entite_id).await?;
        mail::mettre_en_file(
            conn,
            &agent.email,
            &Courriel::Verification(CourrielVerification::TraitementRenvoye {
                prenom: agent.prenom,
                denomination: entite.denomination,
                commentaire: commentaire.unwrap_or_default(),
            }),
            maintenant,
        )
        .await?;
    }
    Ok(assignation)
}

/// Mails the company owning `entite` (none for an entity ARTCI entered and nobody claimed)
/// the decision taken on its dossier.
async fn informer_entreprise(
    conn: &mut AsyncPgConnection,
    entite: &EntiteBase,
    decision: DecisionTraitement,
    feedback: &FeedbackVerification,
    motif: Option<String>,
    delai: Option<NaiveDate>,
    maintenant: DateTime<Utc>,
) -> AppResult<()> {
    let Some(compte_id) = entite.compte_entreprise_id else {
        return Ok(());
    };
    let Some(compte) = comptes_entreprises::find_by_id(conn, compte_id).await? else {
        return Ok(());
    };
    let denomination = entite.denomination.clone();
    let courriel = match decision {
        DecisionTraitement::EnAttenteComplements => CourrielVerification::ComplementsDemandes {
            denomination,
            elements: elements(feedback)?
                .into_iter()
                .map(|e| format!("{} : {}", e.rubrique, e.libelle))
                .collect(),
            delai_fourniture: feedback.delai_fourniture,
        },
        DecisionTraitement::Conforme => CourrielVerification::DossierConforme { denomination },
        DecisionTraitement::ConformeSousReserve => {
            CourrielVerification::DossierConformeSousReserve {
                denomination,
                delai: delai
                    .ok_or_else(|| AppError::internal("décision sous réserve sans délai"))?,
            }
        }
        DecisionTraitement::Rejete => CourrielVerification::DossierRejete {
            denomination,
            motif: motif.unwrap_or_default(),
        },
    };
    mail::mettre_en_file(
        conn,
        &compte.email,
        &Courriel::Verification(courriel),
        maintenant,
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chaque_decision_mene_a_un_statut_que_le_n1_peut_decider() {
        for decision in DecisionTraitement::ALL {
            let vers = statut_decide(*decision);
            assert_eq!(vers.label(), decision.label());
            let transition = workflow::autoriser(
                StatutWorkflow::EnVerification,
                NomTransition::Decider,
                Acteur::Personnel(crate::models::enums::RoleUtilisateur::Admin),
                Some(vers),
            )
            .unwrap();
            assert_eq!(transition.vers, vers);
        }
        assert!(
            workflow::autoriser(
                StatutWorkflow::EnVerification,
                NomTransition::Decider,
                Acteur::Personnel(crate::models::enums::RoleUtilisateur::Editeur),
                Some(StatutWorkflow::Conforme),
            )
            .is_err()
        );
    }
}

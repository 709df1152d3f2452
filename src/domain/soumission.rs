//! Submitting a dossier to ARTCI (`soumettreDossier`), withdrawing it before assignment
//! (`retirerDossier`), and deleting an entity never submitted (`supprimerEntite`).
//!
//! A submission qualifies the dossier: its formality ([`formalites`]) and its score
//! ([`score`]) are computed from what it holds at that moment and stored (the workflow's
//! `type_formalite`, the conformity's `score_conformite`); ARTCI decides within one month of
//! the submission (`date_limite_decision`). The same mutation answers a request for
//! complements (`en_attente_complements` → `soumis`): the dossier is qualified again and the
//! month starts again from the new submission, the feedbacks sent are marked answered
//! (`traite`) and the dossier goes back to its agent
//! (`verification::assignation::reassigner_apres_complements`).

use chrono::{DateTime, Months, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::acces::{self, Acces};
use crate::domain::workflow::{self, Acteur, NomTransition};
use crate::domain::{contenu, formalites, progression, score, transitions, verification};
use crate::error::{AppError, AppResult};
use crate::mail::modeles::apres_agrement::CourrielApresAgrement;
use crate::mail::{self, Courriel};
use crate::models::entites_workflow::{self, EffetsTransition};
use crate::models::enums::{StatutInscription, StatutWorkflow, TypeFormalite};
use crate::models::{
    EntiteBase, comptes_entreprises, documents_joints, entites_base, entites_conformite,
    feedbacks_verification, historique_statuts, modifications_dossier, versions_approuvees,
};

/// ARTCI's time to decide, from the submission (Loi n° 2013-450: one month, once
/// extendable).
pub const DELAI_DECISION: Months = Months::new(1);

/// What a submission computed, for the caller's answer.
#[derive(Debug, Clone)]
pub struct Soumission {
    pub entite: EntiteBase,
    pub type_formalite: TypeFormalite,
    pub score: score::Score,
}

fn acteur(principal: Principal) -> AppResult<Acteur> {
    match principal {
        Principal::Entreprise { .. } => Ok(Acteur::Entreprise),
        Principal::Agent { role, .. } => Ok(Acteur::Personnel(role)),
        Principal::Anonyme => Err(AppError::unauthenticated()),
    }
}

/// Submits the dossier (`brouillon` by its company, `brouillon_artci` by an editeur+, or
/// `en_attente_complements` answered by its company). Refused while a required item is
/// missing (`DOSSIER_INCOMPLET`, with the list), and for a company account not vetted.
pub async fn soumettre(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    maintenant: DateTime<Utc>,
) -> AppResult<Soumission> {
    conn.transaction::<_, AppError, _>(async |conn| {
        // Read access: another company's entity is NOT_FOUND; the status is the table's call.
        let (entite, statut) = acces::verifier(conn, principal, entite_id, Acces::Lecture).await?;
        let nom = match statut {
            StatutWorkflow::BrouillonArtci => NomTransition::SoumettreArtci,
            StatutWorkflow::EnAttenteComplements => NomTransition::Completer,
            StatutWorkflow::EnModification => NomTransition::SoumettreModification,
            _ => NomTransition::Soumettre,
        };
        let transition = workflow::autoriser(statut, nom, acteur(principal)?, None)?;
        let compte = match entite.compte_entreprise_id {
            Some(id) => comptes_entreprises::find_by_id(conn, id).await?,
            None => None,
        };
        if let Principal::Entreprise { .. } = principal {
            let compte = compte.as_ref().ok_or_else(AppError::unauthenticated)?;
            if !compte.est_actif {
                return Err(AppError::account_disabled());
            }
            if !compte.email_verifie {
                return Err(AppError::email_not_verified());
            }
            if compte.statut_inscription != StatutInscription::Approuvee {
                return Err(AppError::forbidden_because(
                    "Votre inscription doit d'abord être validée par l'ARTCI : vous pourrez \
                     ensuite soumettre ce dossier.",
                ));
            }
        } else if entite.compte_entreprise_id.is_some() {
            // The table lets staff submit only ARTCI's own drafts; a claimed entity is its
            // company's to submit.
            return Err(AppError::conflict(
                "Cette entité a été rattachée à une entreprise : c'est à elle de soumettre.",
            ));
        }
        let dossier = contenu::charger_un(conn, entite_id).await?;
        let documents = documents_joints::courants(conn, entite_id).await?;
        let avancement = progression::progression(&entite, &dossier, &documents);
        if !avancement.complete() {
            return Err(AppError::dossier_incomplet(
                avancement
                    .manquants()
                    .map(|e| (e.champ.clone(), e.libelle.clone()))
                    .collect(),
            ));
        }
        let faits = contenu::faits(&dossier);
        let type_formalite = formalites::type_formalite(&faits);
        let score = score::score(&faits);
        let aujourd_hui = maintenant.date_naive();
        let date_limite = limite_decision(aujourd_hui);
        transitions::appliquer(
            conn,
            entite_id,
            statut,
            transition.vers,
            &EffetsTransition {
                type_formalite: Some(Some(type_formalite)),
                date_soumission: Some(Some(maintenant)),
                date_limite_decision: Some(Some(date_limite)),
                ..Default::default()
            },
            Some(principal),
            None,
            maintenant,
        )
        .await?;
        entites_conformite::definir_score(conn, entite_id, i16::from(score.total), aujourd_hui)
            .await?;
        if nom == NomTransition::Completer {
            // The company answered the feedbacks it was sent; its agent takes the dossier
            // back at once when still active (else it waits for an admin).
            feedbacks_verification::marquer_traites(conn, entite_id).await?;
            verification::assignation::reassigner_apres_complements(conn, entite_id, maintenant)
                .await?;
        }
        if nom == NomTransition::SoumettreModification
            && let Some(base) = versions_approuvees::en_vigueur(conn, entite_id).await?
        {
            transitions::informer_entreprise(
                conn,
                &entite,
                &Courriel::ApresAgrement(CourrielApresAgrement::ModificationRecue {
                    denomination: entite.denomination.clone(),
                    numero: base.numero,
                    version_en_vigueur: base.version,
                }),
                maintenant,
            )
            .await?;
        } else if let Some(compte) = &compte {
            mail::mettre_en_file(
                conn,
                &compte.email,
                &Courriel::DossierSoumis {
                    denomination: entite.denomination.clone(),
                    type_formalite,
                    date_limite_decision: date_limite,
                },
                maintenant,
            )
            .await?;
        }
        Ok(Soumission {
            entite,
            type_formalite,
            score,
        })
    })
    .await
}

/// The day by which ARTCI decides on a dossier submitted on `jour`.
pub fn limite_decision(jour: NaiveDate) -> NaiveDate {
    jour.checked_add_months(DELAI_DECISION)
        .unwrap_or(NaiveDate::MAX)
}

/// The company withdraws its submission before ARTCI assigned it: the dossier is its draft
/// again (the submission's dates and formality are cleared).
pub async fn retirer(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    maintenant: DateTime<Utc>,
) -> AppResult<EntiteBase> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let (entite, statut) =
            acces::verifier(conn, principal, entite_id, Acces::Lecture).await?;
        let transition =
            workflow::autoriser(statut, NomTransition::Retirer, acteur(principal)?, None)?;
        let workflow_actuel = entites_workflow::find_for_update(conn, entite_id)
            .await?
            .ok_or_else(|| AppError::not_found("Entité"))?;
        if modifications_dossier::ouverte(conn, entite_id).await?.is_some() {
            return Err(AppError::conflict(
                "Ce dossier est une modification d'un dossier approuvé : retirez-la avec \
                 annulerModification.",
            ));
        }
        if workflow_actuel.assigned_to.is_some() {
            return Err(AppError::conflict(
                "Ce dossier a déjà été attribué à un agent de l'ARTCI : il ne peut plus être retiré.",
            ));
        }
        transitions::appliquer(
            conn,
            entite_id,
            statut,
            transition.vers,
            &EffetsTransition {
                type_formalite: Some(None),
                date_soumission: Some(None),
                date_limite_decision: Some(None),
                ..Default::default()
            },
            Some(principal),
            None,
            maintenant,
        )
        .await?;
        transitions::informer_entreprise(
            conn,
            &entite,
            &Courriel::DossierRetire {
                denomination: entite.denomination.clone(),
            },
            maintenant,
        )
        .await?;
        Ok(entite)
    })
    .await
}

/// Deletes an entity whose dossier was never submitted: its company's draft (by the
/// company) or an ARTCI draft (by an editeur+). Anything with a history (a submission, a
/// claim) is kept: the registry's record is not erased. Returns the storage keys of the
/// entity's documents, for the caller to remove once the deletion is committed.
pub async fn supprimer(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
) -> AppResult<Vec<String>> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let (_, statut) = acces::verifier(conn, principal, entite_id, Acces::Ecriture).await?;
        let jamais_soumise = matches!(
            statut,
            StatutWorkflow::Brouillon | StatutWorkflow::BrouillonArtci
        ) && !historique_statuts::existe_pour_entite(conn, entite_id).await?;
        if !jamais_soumise {
            return Err(AppError::conflict(
                "Ce dossier a un historique auprès de l'ARTCI (soumission ou rapprochement) : \
                 l'entité ne peut plus être supprimée.",
            ));
        }
        let cles = documents_joints::cles_de_l_entite(conn, entite_id).await?;
        entites_base::supprimer(conn, entite_id).await?;
        Ok(cles)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l_artci_decide_dans_le_mois() {
        let jour = |m, j| NaiveDate::from_ymd_opt(2026, m, j).unwrap();
        assert_eq!(limite_decision(jour(11, 24)), jour(12, 24));
        // The end of a longer month falls on the end of the shorter one.
        assert_eq!(
            limite_decision(NaiveDate::from_ymd_opt(2027, 1, 31).unwrap()),
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        );
    }
}

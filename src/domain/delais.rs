//! ARTCI's decision deadline (`entites_workflow.date_limite_decision`, one month from a
//! submission): an admin+ extends it once per submission by one month, with a reason the
//! company is mailed; the deadline job alerts every active admin and super_admin once per
//! submission when a dossier still awaits a decision past it.
//!
//! Choices: "once per submission" is keyed by `date_soumission` (a new submission, after
//! complements or a new application, sets a new one and so allows a new extension and a new
//! alert); an extension adds one calendar month to the deadline as it stands (if it already
//! passed, the extended deadline may be past too: the admin sees it at once); the extension's
//! history line is a workflow line whose status does not change.

use chrono::{DateTime, Months, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::transitions::{self, Changement, informer_entreprise};
use crate::domain::verification::texte_facultatif;
use crate::error::{AppError, AppResult};
use crate::mail::modeles::delais::CourrielDelai;
use crate::mail::{self, Courriel};
use crate::models::entites_base::EN_ATTENTE_DE_DECISION;
use crate::models::enums::ObjetHistorique;
use crate::models::{EntiteBase, entites_base, entites_workflow, users};

/// By how much an extension moves the deadline.
pub const PROLONGATION_MOIS: u32 = 1;

/// The extension's reason: required (`BAD_USER_INPUT` on `input.motif`), trimmed, bounded.
pub fn valider_motif(motif: Option<&str>) -> AppResult<String> {
    texte_facultatif(motif, "input.motif")?.ok_or_else(|| {
        AppError::bad_input(
            "input.motif",
            "Le motif de la prolongation est obligatoire : il est communiqué à l'entreprise.",
        )
    })
}

/// `prolongerDelaiDecision`: an admin+ (the caller checked the role) extends the decision
/// deadline of a dossier awaiting a decision, once per submission.
pub async fn prolonger(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    motif: String,
    maintenant: DateTime<Utc>,
) -> AppResult<EntiteBase> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let workflow = entites_workflow::find_for_update(conn, entite_id)
            .await?
            .ok_or_else(|| AppError::not_found("Entité"))?;
        let (Some(soumission), Some(limite)) =
            (workflow.date_soumission, workflow.date_limite_decision)
        else {
            return Err(pas_en_attente());
        };
        if !EN_ATTENTE_DE_DECISION.contains(&workflow.statut) {
            return Err(pas_en_attente());
        }
        if workflow.prolongation_en_cours().is_some() {
            return Err(AppError::conflict(
                "Le délai de décision de cette soumission a déjà été prolongé : il ne se \
                 prolonge qu'une fois.",
            ));
        }
        let nouvelle = limite
            .checked_add_months(Months::new(PROLONGATION_MOIS))
            .ok_or_else(|| AppError::internal("date limite hors calendrier"))?;
        entites_workflow::prolonger_delai_decision(conn, entite_id, nouvelle, soumission, &motif)
            .await?;
        let statut = workflow.statut.label();
        transitions::journaliser(
            conn,
            Changement {
                entite_id,
                objet: ObjetHistorique::Workflow,
                objet_id: entite_id,
                ancien: Some(statut),
                nouveau: statut,
            },
            Some(principal),
            Some(format!(
                "Délai de décision prolongé jusqu'au {}. Motif : {motif}",
                nouvelle.format("%d/%m/%Y")
            )),
            maintenant,
        )
        .await?;
        let entite = entites_base::find_by_id(conn, entite_id).await?;
        let courriel = Courriel::Delai(CourrielDelai::Prolonge {
            denomination: entite.denomination.clone(),
            date_limite: nouvelle,
            motif,
        });
        informer_entreprise(conn, &entite, &courriel, maintenant).await?;
        Ok(entite)
    })
    .await
}

fn pas_en_attente() -> AppError {
    AppError::conflict("Seul le délai d'un dossier soumis et en attente de décision se prolonge.")
}

/// One step of the deadline job: alerts every active admin and super_admin of one dossier
/// awaiting a decision past its deadline, once per submission; `false` when none is left.
pub async fn alerter_delai_depasse(
    conn: &mut AsyncPgConnection,
    maintenant: DateTime<Utc>,
) -> AppResult<bool> {
    let Some(dossier) =
        entites_workflow::prochain_delai_depasse(conn, maintenant.date_naive()).await?
    else {
        return Ok(false);
    };
    let (Some(soumission), Some(limite)) = (dossier.date_soumission, dossier.date_limite_decision)
    else {
        // The selection asked for both.
        return Ok(false);
    };
    entites_workflow::noter_alerte_delai(conn, dossier.entite_id, soumission).await?;
    let entite = entites_base::find_by_id(conn, dossier.entite_id).await?;
    for admin in users::administrateurs_actifs(conn).await? {
        let courriel = Courriel::Delai(CourrielDelai::Depasse {
            prenom: admin.prenom.clone(),
            denomination: entite.denomination.clone(),
            date_limite: limite,
        });
        mail::mettre_en_file(conn, &admin.email, &courriel, maintenant).await?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_motif_est_obligatoire() {
        for vide in [None, Some(""), Some("   ")] {
            assert_eq!(
                valider_motif(vide).unwrap_err().field(),
                Some("input.motif")
            );
        }
        assert_eq!(
            valider_motif(Some(" Dossier volumineux. ")).unwrap(),
            "Dossier volumineux."
        );
    }
}

//! Deadlines: marks overdue assignments `en_retard`, reminds agents of a near échéance,
//! rejects `conforme_sous_reserve` dossiers whose compliance delay passed, reminds companies
//! to renew their approval 3 months and 1 month before it ends, and expires approvals whose
//! end passed with no approved renewal (closing a request still open), reminds approved
//! entities of their annual activity report (two reminders before 31 March, `RAPPORT_RAPPELS`,
//! and a late notice from 1 April; each once per entity and year), and alerts the admins of
//! dossiers awaiting a decision past their deadline (once per submission).
//!
//! Every date is compared with the job's clock (`state.clock`), never SQL `now()`, so tests
//! move time. Each row is handled in its own transaction, selected `FOR UPDATE SKIP LOCKED`
//! with the very condition the change removes: a run that stops half-way leaves every row
//! either done or untouched, the next run picks up the rest, and a second run finds nothing.
//! The runner's advisory lock already keeps replicas from running this job together; the
//! row locks keep it off a row a request is changing (skipped until the next run) and make a
//! request wait for a row the job is changing.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::config::RappelsRapport;
use crate::domain::transitions::{appliquer, informer_entreprise};
use crate::domain::workflow::{self, Acteur, NomTransition};
use crate::domain::{delais, modifications, rapports_activite, renouvellements, verification};
use crate::error::{AppError, AppResult};
use crate::mail::modeles::echeances::CourrielEcheance;
use crate::mail::modeles::rapports::CourrielRapport;
use crate::mail::modeles::renouvellements::CourrielRenouvellement;
use crate::mail::modeles::verification::CourrielVerification;
use crate::mail::{self, Courriel};
use crate::models::assignations_demandes::{self, ModificationsAssignation};
use crate::models::entites_workflow::PalierRappel;
use crate::models::enums::{StatutAssignation, StatutModification, StatutWorkflow};
use crate::models::rapports_activite::{self as rapports, PalierRapport};
use crate::models::{
    EntiteWorkflow, entites_base, entites_conformite, entites_workflow, modifications_dossier,
    users,
};
use crate::state::AppState;

/// How many days before its échéance the agent is reminded (the échéance day included).
pub const JOURS_RAPPEL: i64 = 2;

/// The reason recorded (and mailed) when a dossier is rejected for a missed compliance delay.
pub fn motif_hors_delai(delai: Option<NaiveDate>) -> String {
    match delai {
        Some(d) => format!(
            "Le délai de mise en conformité, fixé au {}, est dépassé sans que le dossier ait \
             été mis en conformité.",
            d.format("%d/%m/%Y")
        ),
        None => "Le délai de mise en conformité est dépassé.".to_owned(),
    }
}

/// The job's steps, in the order they run: an assignation overdue today is marked
/// `en_retard` before any reminder could be sent for it.
#[derive(Debug, Clone, Copy)]
enum Etape {
    EnRetard,
    Rappel,
    HorsDelai,
    RappelRenouvellement(PalierRappel),
    Expiration,
    RappelRapport(PalierRapport),
    DelaiDepasse,
}

/// The activity report's mail due on `aujourd_hui` for last year's campaign, if any: the
/// first reminder from its day, the second from its day to 31 March, the late notice from
/// 1 April to the end of the year. One at a time, so an entity never gets two on one day.
pub fn palier_rapport(aujourd_hui: NaiveDate, rappels: RappelsRapport) -> Option<PalierRapport> {
    let jour = (aujourd_hui.month(), aujourd_hui.day());
    if jour > (3, 31) {
        Some(PalierRapport::AvisRetard)
    } else if jour >= rappels.second {
        Some(PalierRapport::SecondRappel)
    } else if jour >= rappels.premier {
        Some(PalierRapport::PremierRappel)
    } else {
        None
    }
}

/// One pass of every deadline at `state.clock`'s now; returns how many rows it changed or
/// reminded.
pub async fn run(state: &AppState) -> anyhow::Result<usize> {
    let maintenant = state.clock.now();
    let mut conn = state.pool.get().await?;
    let mut traites = 0;
    let mut etapes = vec![
        Etape::EnRetard,
        Etape::Rappel,
        Etape::HorsDelai,
        Etape::RappelRenouvellement(PalierRappel::TroisMois),
        Etape::RappelRenouvellement(PalierRappel::UnMois),
        Etape::Expiration,
    ];
    if let Some(palier) = palier_rapport(
        maintenant.date_naive(),
        state.config.dossiers.rapport_rappels,
    ) {
        etapes.push(Etape::RappelRapport(palier));
    }
    etapes.push(Etape::DelaiDepasse);
    for etape in etapes {
        // Each row handled leaves the selection, so this ends.
        while une_fois(&mut conn, etape, maintenant).await? {
            traites += 1;
        }
    }
    Ok(traites)
}

/// Handles one row of `etape` in its own transaction; `false` when none is left.
async fn une_fois(
    conn: &mut AsyncPgConnection,
    etape: Etape,
    maintenant: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let aujourd_hui = maintenant.date_naive();
    conn.transaction(async |conn| match etape {
        Etape::EnRetard => marquer_en_retard(conn, aujourd_hui, maintenant).await,
        Etape::Rappel => rappeler(conn, aujourd_hui, maintenant).await,
        Etape::HorsDelai => rejeter_hors_delai(conn, aujourd_hui, maintenant).await,
        Etape::RappelRenouvellement(palier) => {
            rappeler_renouvellement(conn, palier, aujourd_hui, maintenant).await
        }
        Etape::Expiration => expirer(conn, aujourd_hui, maintenant).await,
        Etape::RappelRapport(palier) => {
            rappeler_rapport(conn, palier, aujourd_hui, maintenant).await
        }
        Etape::DelaiDepasse => delais::alerter_delai_depasse(conn, maintenant).await,
    })
    .await
    .map_err(|e: AppError| anyhow::anyhow!("étape {etape:?} : {e:?}"))
}

/// Marks one overdue assignation `en_retard`, writes its history line and mails its agent.
async fn marquer_en_retard(
    conn: &mut AsyncPgConnection,
    aujourd_hui: NaiveDate,
    maintenant: DateTime<Utc>,
) -> AppResult<bool> {
    let Some(avant) = assignations_demandes::prochaine_echue(conn, aujourd_hui).await? else {
        return Ok(false);
    };
    let apres = assignations_demandes::update(
        conn,
        avant.id,
        &ModificationsAssignation {
            statut: Some(StatutAssignation::EnRetard),
            ..Default::default()
        },
    )
    .await?;
    verification::journaliser(
        conn,
        &apres,
        Some(avant.statut),
        None,
        Some("Échéance dépassée.".to_owned()),
        maintenant,
    )
    .await?;
    let entite = entites_base::find_by_id(conn, apres.entite_id).await?;
    if let Some(agent) = users::find_by_id(conn, apres.agent_id).await? {
        let courriel = Courriel::Echeance(CourrielEcheance::EcheanceDepassee {
            prenom: agent.prenom.clone(),
            denomination: entite.denomination,
            echeance: apres.echeance,
        });
        mail::mettre_en_file(conn, &agent.email, &courriel, maintenant).await?;
    }
    Ok(true)
}

/// Reminds the agent of one assignation due within [`JOURS_RAPPEL`] days, once per échéance.
async fn rappeler(
    conn: &mut AsyncPgConnection,
    aujourd_hui: NaiveDate,
    maintenant: DateTime<Utc>,
) -> AppResult<bool> {
    let jusqu_au = aujourd_hui + Duration::days(JOURS_RAPPEL);
    let Some(assignation) =
        assignations_demandes::prochaine_a_rappeler(conn, aujourd_hui, jusqu_au).await?
    else {
        return Ok(false);
    };
    assignations_demandes::noter_rappel(conn, assignation.id, assignation.echeance).await?;
    let entite = entites_base::find_by_id(conn, assignation.entite_id).await?;
    if let Some(agent) = users::find_by_id(conn, assignation.agent_id).await? {
        let courriel = Courriel::Echeance(CourrielEcheance::EcheanceProche {
            prenom: agent.prenom.clone(),
            denomination: entite.denomination,
            echeance: assignation.echeance,
            jours: (assignation.echeance - aujourd_hui).num_days(),
        });
        mail::mettre_en_file(conn, &agent.email, &courriel, maintenant).await?;
    }
    Ok(true)
}

/// Rejects one `conforme_sous_reserve` dossier whose compliance delay passed, and tells its
/// company why.
async fn rejeter_hors_delai(
    conn: &mut AsyncPgConnection,
    aujourd_hui: NaiveDate,
    maintenant: DateTime<Utc>,
) -> AppResult<bool> {
    let Some(dossier) = entites_workflow::prochain_hors_delai(conn, aujourd_hui).await? else {
        return Ok(false);
    };
    if let Some(modification) = modifications_dossier::ouverte(conn, dossier.entite_id).await? {
        // An amendment past its compliance deadline is refused; the approval stands.
        let delai = entites_conformite::find_by_entites(conn, &[dossier.entite_id])
            .await?
            .first()
            .and_then(|c| c.delai_mise_en_conformite);
        let entite = entites_base::find_by_id(conn, dossier.entite_id).await?;
        modifications::refuser(
            conn,
            None,
            &modification,
            dossier.statut,
            motif_hors_delai(delai),
            &entite,
            maintenant,
        )
        .await?;
        return Ok(true);
    }
    let transition = workflow::autoriser(
        dossier.statut,
        NomTransition::RejeterHorsDelai,
        Acteur::Systeme,
        Some(StatutWorkflow::Rejete),
    )?;
    let delai = entites_conformite::find_by_entites(conn, &[dossier.entite_id])
        .await?
        .first()
        .and_then(|c| c.delai_mise_en_conformite);
    let motif = motif_hors_delai(delai);
    let effets = entites_workflow::EffetsTransition {
        date_rejet: Some(Some(maintenant)),
        motif_rejet: Some(Some(motif.clone())),
        ..Default::default()
    };
    appliquer(
        conn,
        dossier.entite_id,
        dossier.statut,
        transition.vers,
        &effets,
        None,
        Some(motif.clone()),
        maintenant,
    )
    .await?;
    let entite = entites_base::find_by_id(conn, dossier.entite_id).await?;
    let courriel = Courriel::Verification(CourrielVerification::DossierRejete {
        denomination: entite.denomination.clone(),
        motif,
    });
    informer_entreprise(conn, &entite, &courriel, maintenant).await?;
    Ok(true)
}

/// Reminds the company of one approval ending within `palier`'s window to renew it, once per
/// end of approval and `palier`; an entity with a request open is not reminded.
async fn rappeler_renouvellement(
    conn: &mut AsyncPgConnection,
    palier: PalierRappel,
    aujourd_hui: NaiveDate,
    maintenant: DateTime<Utc>,
) -> AppResult<bool> {
    let Some(dossier) =
        entites_workflow::prochain_a_rappeler_renouvellement(conn, aujourd_hui, palier).await?
    else {
        return Ok(false);
    };
    let fin = date_expiration(&dossier);
    entites_workflow::noter_rappel_renouvellement(conn, dossier.entite_id, palier, fin).await?;
    let entite = entites_base::find_by_id(conn, dossier.entite_id).await?;
    let courriel = Courriel::Renouvellement(CourrielRenouvellement::Rappel {
        denomination: entite.denomination.clone(),
        date_expiration: fin,
        mois: palier.mois(),
    });
    informer_entreprise(conn, &entite, &courriel, maintenant).await?;
    Ok(true)
}

/// Expires one approval whose end passed with no approved renewal, closes a renewal request
/// still open on it, and tells its company.
async fn expirer(
    conn: &mut AsyncPgConnection,
    aujourd_hui: NaiveDate,
    maintenant: DateTime<Utc>,
) -> AppResult<bool> {
    let Some(mut dossier) = entites_workflow::prochain_expire(conn, aujourd_hui).await? else {
        return Ok(false);
    };
    // An amendment under way ends with the approval it amended: the dossier goes back to
    // that version first, then expires.
    if let Some(modification) = modifications_dossier::ouverte(conn, dossier.entite_id).await? {
        modifications::clore_en_restaurant(
            conn,
            None,
            NomTransition::AbandonnerModification,
            &modification,
            dossier.statut,
            StatutModification::Annulee,
            None,
            maintenant,
        )
        .await?;
        dossier.statut = modification.statut_precedent;
    }
    let transition = workflow::autoriser(
        dossier.statut,
        NomTransition::Expirer,
        Acteur::Systeme,
        Some(StatutWorkflow::Expire),
    )?;
    appliquer(
        conn,
        dossier.entite_id,
        dossier.statut,
        transition.vers,
        &entites_workflow::EffetsTransition::default(),
        None,
        Some("Agrément arrivé à expiration sans renouvellement approuvé.".to_owned()),
        maintenant,
    )
    .await?;
    renouvellements::clore_a_l_expiration(conn, dossier.entite_id, maintenant).await?;
    let entite = entites_base::find_by_id(conn, dossier.entite_id).await?;
    let courriel = Courriel::Echeance(CourrielEcheance::AgrementExpire {
        denomination: entite.denomination.clone(),
        date_expiration: date_expiration(&dossier),
    });
    informer_entreprise(conn, &entite, &courriel, maintenant).await?;
    Ok(true)
}

/// Sends one entity bound to report on last year, without a report, `palier`'s mail, once per
/// entity and year.
async fn rappeler_rapport(
    conn: &mut AsyncPgConnection,
    palier: PalierRapport,
    aujourd_hui: NaiveDate,
    maintenant: DateTime<Utc>,
) -> AppResult<bool> {
    let annee = rapports_activite::campagne_courante(aujourd_hui);
    let Some(entite_id) = rapports::prochaine_a_rappeler(conn, annee, palier).await? else {
        return Ok(false);
    };
    rapports::noter_rappel(conn, entite_id, annee, palier, maintenant).await?;
    let entite = entites_base::find_by_id(conn, entite_id).await?;
    let denomination = entite.denomination.clone();
    let date_limite = rapports_activite::date_limite(annee);
    let courriel = match palier {
        PalierRapport::PremierRappel | PalierRapport::SecondRappel => CourrielRapport::Rappel {
            denomination,
            annee,
            date_limite,
        },
        PalierRapport::AvisRetard => CourrielRapport::Retard {
            denomination,
            annee,
            date_limite,
        },
    };
    informer_entreprise(conn, &entite, &Courriel::Rapport(courriel), maintenant).await?;
    Ok(true)
}

/// The end of the approval: set, since the selection compared it with today.
fn date_expiration(dossier: &EntiteWorkflow) -> NaiveDate {
    dossier.date_expiration.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_seul_courriel_du_rapport_par_jour() {
        let rappels = RappelsRapport {
            premier: (3, 1),
            second: (3, 25),
        };
        let jour = |m, j| NaiveDate::from_ymd_opt(2027, m, j).unwrap();
        assert_eq!(palier_rapport(jour(2, 28), rappels), None);
        assert_eq!(
            palier_rapport(jour(3, 1), rappels),
            Some(PalierRapport::PremierRappel)
        );
        assert_eq!(
            palier_rapport(jour(3, 31), rappels),
            Some(PalierRapport::SecondRappel)
        );
        assert_eq!(
            palier_rapport(jour(4, 1), rappels),
            Some(PalierRapport::AvisRetard)
        );
    }

    #[test]
    fn le_motif_standard_donne_la_date_du_delai() {
        let motif = motif_hors_delai(NaiveDate::from_ymd_opt(2026, 12, 31));
        assert!(motif.contains("31/12/2026"), "{motif}");
        assert!(!motif_hors_delai(None).is_empty());
    }
}

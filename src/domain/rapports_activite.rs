//! The correspondant's annual activity report (law Art. 41-42; arrêté 511/MPTIC/CAB,
//! Art. 13): the company of an approved entity files its report on year N from 1 January of
//! N+1, due 31 March; ARTCI staff (editeur+) accept it or send it back with a comment, and the
//! company files a corrected one. The reminders and the late notice are the deadline job's
//! (`jobs::echeances`).
//!
//! Choices the domain page leaves open:
//! - "approved" is the approval in force (`modifications::agrement_en_vigueur`: `valide`,
//!   `publie`, or under amendment); an entity is bound to report on year N when its approval
//!   is in force and dates from before 1 January N+1;
//! - a report may be filed late, for any closed year since the law (2013), but never for the
//!   current or a future year;
//! - per entity and year at most one report waits (`soumis`) or is accepted (a partial unique
//!   index): a second filing while one waits, or after acceptance, is a `CONFLICT`;
//! - the campaign of year N closes on 31 March N+1: an entity bound to report on N with no
//!   report waiting or accepted is late from 1 April N+1 (a report sent back to be corrected
//!   does not count as filed).

use axum::body::Bytes;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::acces::{self, Acces};
use crate::domain::documents::{self, Depot};
use crate::domain::modifications;
use crate::domain::transitions::informer_entreprise;
use crate::domain::verification::texte_facultatif;
use crate::error::{AppError, AppResult};
use crate::mail::Courriel;
use crate::mail::modeles::rapports::CourrielRapport;
use crate::models::enums::{StatutRapportActivite, TypeDocument};
use crate::models::rapports_activite::{self, Examen, INDEX_UN_SOUMIS_OU_ACCEPTE, NouveauRapport};
use crate::models::{
    EntiteBase, RapportActivite, documents_joints, entites_base, entites_workflow,
};
use crate::storage::Stockage;

/// The first year a report can be about: the law's.
pub const PREMIERE_ANNEE: i32 = 2013;
const CHAMP_ANNEE: &str = "input.annee";
const CHAMP_FICHIER: &str = "input.fichier";

/// The last day to file the report on `annee`: 31 March of the next year.
pub fn date_limite(annee: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(annee + 1, 3, 31).unwrap_or(NaiveDate::MAX)
}

/// The campaign under way on `aujourd_hui`: the reports filed this year are on last year.
pub fn campagne_courante(aujourd_hui: NaiveDate) -> i32 {
    aujourd_hui.year() - 1
}

/// The last campaign whose deadline passed on `aujourd_hui`: last year's after 31 March,
/// the year before's until then.
pub fn derniere_campagne_close(aujourd_hui: NaiveDate) -> i32 {
    let annee = campagne_courante(aujourd_hui);
    if aujourd_hui > date_limite(annee) {
        annee
    } else {
        annee - 1
    }
}

/// `annee` as a report may be filed on `aujourd_hui`: a closed year since the law.
pub fn valider_annee(annee: i32, aujourd_hui: NaiveDate) -> AppResult<i32> {
    if annee >= aujourd_hui.year() {
        return Err(AppError::bad_input(
            CHAMP_ANNEE,
            format!(
                "Le rapport d'activité porte sur une année close : au plus tard {}.",
                aujourd_hui.year() - 1
            ),
        ));
    }
    if annee < PREMIERE_ANNEE {
        return Err(AppError::bad_input(
            CHAMP_ANNEE,
            format!("Le rapport d'activité porte sur une année à partir de {PREMIERE_ANNEE}."),
        ));
    }
    Ok(annee)
}

fn deja_depose() -> AppError {
    AppError::conflict(
        "Un rapport d'activité de cette année est déjà en attente d'examen ou accepté.",
    )
}

/// `deposerRapportActivite`: the owner company files its report on `annee` for an entity
/// whose approval is in force. The file is checked and stored first, then the document, the
/// report and the receipt mail are written in one transaction (the stored file is deleted
/// again if that fails).
#[allow(clippy::too_many_arguments)]
pub async fn deposer(
    conn: &mut AsyncPgConnection,
    stockage: &Stockage,
    principal: Principal,
    entite_id: Uuid,
    annee: i32,
    nom_fichier: String,
    contenu: Bytes,
    maintenant: DateTime<Utc>,
) -> AppResult<(RapportActivite, EntiteBase)> {
    let Principal::Entreprise { compte_id } = principal else {
        return Err(match principal {
            Principal::Anonyme => AppError::unauthenticated(),
            _ => AppError::forbidden_because(
                "Seule l'entreprise propriétaire de l'entité dépose son rapport d'activité.",
            ),
        });
    };
    let annee = valider_annee(annee, maintenant.date_naive())?;
    documents::verifier_fichier(&contenu, CHAMP_FICHIER)?;
    // Another company's entity is NOT_FOUND.
    let (entite, _) = acces::verifier(conn, principal, entite_id, Acces::Lecture).await?;
    if entite.compte_entreprise_id != Some(compte_id) {
        return Err(AppError::not_found("Entité"));
    }
    verifier_agrement(conn, entite_id, false).await?;
    if rapports_activite::depose(conn, entite_id, annee)
        .await?
        .is_some()
    {
        return Err(deja_depose());
    }
    let document = documents::preparer(
        &Depot {
            entite_id,
            type_document: TypeDocument::RapportActivite,
            nom_fichier,
            contenu: contenu.clone(),
        },
        principal,
        CHAMP_FICHIER,
    )?;
    let cle = document.cle_stockage.clone();
    documents::stocker_puis_enregistrer(stockage, &cle, contenu, async || {
        conn.transaction::<_, AppError, _>(async |conn| {
            // The dossier's row lock orders the filing after a decision under way.
            verifier_agrement(conn, entite_id, true).await?;
            let document = documents_joints::create(conn, &document).await?;
            let rapport = rapports_activite::create(
                conn,
                &NouveauRapport {
                    entite_id,
                    annee,
                    document_id: document.id,
                    depose_par_compte_id: Some(compte_id),
                    date_depot: maintenant,
                    created_at: maintenant,
                },
            )
            .await
            .map_err(|e| match e {
                DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, ref info)
                    if info.constraint_name() == Some(INDEX_UN_SOUMIS_OU_ACCEPTE) =>
                {
                    deja_depose()
                }
                other => other.into(),
            })?;
            let courriel = Courriel::Rapport(CourrielRapport::Recu {
                denomination: entite.denomination.clone(),
                annee,
            });
            informer_entreprise(conn, &entite, &courriel, maintenant).await?;
            Ok((rapport, entite.clone()))
        })
        .await
    })
    .await
}

/// The entity's approval is in force (`CONFLICT` otherwise); `verrouiller` locks its dossier.
async fn verifier_agrement(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    verrouiller: bool,
) -> AppResult<()> {
    let workflow = if verrouiller {
        entites_workflow::find_for_update(conn, entite_id).await?
    } else {
        entites_workflow::find_by_entites(conn, &[entite_id])
            .await?
            .into_iter()
            .next()
    };
    let en_vigueur = match &workflow {
        Some(w) => modifications::agrement_en_vigueur(conn, w).await?,
        None => false,
    };
    if !en_vigueur {
        return Err(AppError::conflict(
            "Seule une entité dont le dossier est approuvé (validé ou publié) dépose un rapport \
             d'activité.",
        ));
    }
    Ok(())
}

/// ARTCI's review of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionRapport {
    Accepter { commentaire: Option<String> },
    ACorriger { commentaire: String },
}

impl DecisionRapport {
    /// From the input: `A_CORRIGER` needs a comment (`BAD_USER_INPUT` on `input.commentaire`);
    /// `SOUMIS` is no review (`BAD_USER_INPUT` on `input.statut`).
    pub fn depuis(statut: StatutRapportActivite, commentaire: Option<&str>) -> AppResult<Self> {
        let commentaire = texte_facultatif(commentaire, "input.commentaire")?;
        match (statut, commentaire) {
            (StatutRapportActivite::Accepte, commentaire) => Ok(Self::Accepter { commentaire }),
            (StatutRapportActivite::ACorriger, Some(commentaire)) => {
                Ok(Self::ACorriger { commentaire })
            }
            (StatutRapportActivite::ACorriger, None) => Err(AppError::bad_input(
                "input.commentaire",
                "Un commentaire est obligatoire pour demander la correction d'un rapport.",
            )),
            (StatutRapportActivite::Soumis, _) => Err(AppError::bad_input(
                "input.statut",
                "L'examen d'un rapport l'accepte (ACCEPTE) ou le renvoie (A_CORRIGER).",
            )),
        }
    }
}

/// `examinerRapportActivite`: an editeur+ (the caller checked the role) accepts a waiting
/// report or sends it back. Of two reviews at once, one wins; the other is a `CONFLICT`.
pub async fn examiner(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    rapport_id: Uuid,
    decision: DecisionRapport,
    maintenant: DateTime<Utc>,
) -> AppResult<(RapportActivite, EntiteBase)> {
    let Principal::Agent { user_id, .. } = principal else {
        return Err(AppError::forbidden());
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        let (statut, commentaire) = match &decision {
            DecisionRapport::Accepter { commentaire } => {
                (StatutRapportActivite::Accepte, commentaire.clone())
            }
            DecisionRapport::ACorriger { commentaire } => {
                (StatutRapportActivite::ACorriger, Some(commentaire.clone()))
            }
        };
        let examen = Examen {
            statut,
            date_examen: maintenant,
            examine_par: user_id,
            commentaire: commentaire.clone(),
        };
        let Some(rapport) = rapports_activite::examiner(conn, rapport_id, &examen).await? else {
            return Err(
                match rapports_activite::find_by_id(conn, rapport_id).await? {
                    Some(_) => AppError::conflict("Ce rapport d'activité est déjà examiné."),
                    None => AppError::not_found("Rapport d'activité"),
                },
            );
        };
        let entite = entites_base::find_by_id(conn, rapport.entite_id).await?;
        let courriel = match decision {
            DecisionRapport::Accepter { commentaire } => CourrielRapport::Accepte {
                denomination: entite.denomination.clone(),
                annee: rapport.annee,
                commentaire,
            },
            DecisionRapport::ACorriger { commentaire } => CourrielRapport::ACorriger {
                denomination: entite.denomination.clone(),
                annee: rapport.annee,
                commentaire,
            },
        };
        informer_entreprise(conn, &entite, &Courriel::Rapport(courriel), maintenant).await?;
        Ok((rapport, entite))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jour(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).unwrap()
    }

    #[test]
    fn l_annee_d_un_rapport_est_close() {
        let e = valider_annee(2027, jour(2027, 2, 1)).unwrap_err();
        assert_eq!(e.field(), Some("input.annee"));
        assert!(valider_annee(2028, jour(2027, 2, 1)).is_err());
        assert!(valider_annee(2012, jour(2027, 2, 1)).is_err());
        assert_eq!(valider_annee(2026, jour(2027, 1, 1)).unwrap(), 2026);
    }

    #[test]
    fn la_campagne_se_clot_le_31_mars() {
        assert_eq!(date_limite(2026), jour(2027, 3, 31));
        assert_eq!(derniere_campagne_close(jour(2027, 3, 31)), 2025);
        assert_eq!(derniere_campagne_close(jour(2027, 4, 1)), 2026);
        assert_eq!(campagne_courante(jour(2027, 2, 1)), 2026);
    }

    #[test]
    fn a_corriger_demande_un_commentaire() {
        let e = DecisionRapport::depuis(StatutRapportActivite::ACorriger, Some("  ")).unwrap_err();
        assert_eq!(e.field(), Some("input.commentaire"));
        let e = DecisionRapport::depuis(StatutRapportActivite::Soumis, None).unwrap_err();
        assert_eq!(e.field(), Some("input.statut"));
        assert_eq!(
            DecisionRapport::depuis(StatutRapportActivite::Accepte, None).unwrap(),
            DecisionRapport::Accepter { commentaire: None }
        );
    }
}

//! Renewals of an approval: the company of a `conforme` entity (its dossier `valide` or
//! `publie`) asks ARTCI to renew the approval before it ends; an admin+ approves it (the
//! approval then runs `VALIDITE_AGREMENT_MOIS` more months) or rejects it with a comment.
//! Each step writes a history line (`objet renouvellement`) and mails the company. The
//! reminders 3 months and 1 month before the end are the deadline job's (`jobs::echeances`).
//!
//! Choices the domain page leaves open:
//! - a request is possible as long as the approval runs (`valide` or `publie`, not past its
//!   end), whenever the company wishes: ARTCI judges whether it is early;
//! - an approval extends from the current end (or from today, were it already past) by the
//!   configured validity, so renewing early loses no day;
//! - a request still open when the approval expires is closed (`rejete`) by the job, with the
//!   reason: the company then files a new application (`recommencerDossier`);
//! - `en_cours` is not used: a request waits (`en_attente`) until it is decided.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::acces::{self, Acces};
use crate::domain::decisions::{self, Emetteur};
use crate::domain::transitions::{self, Changement, informer_entreprise};
use crate::domain::verification::texte_facultatif;
use crate::domain::{certificats, modifications};
use crate::error::{AppError, AppResult};
use crate::mail::Courriel;
use crate::mail::modeles::renouvellements::CourrielRenouvellement;
use crate::models::enums::{ObjetHistorique, OrigineVersion, StatutRenouvellement};
use crate::models::renouvellements::{self, Decision, NouveauRenouvellement};
use crate::models::{
    EntiteBase, Renouvellement, entites_base, entites_workflow, versions_approuvees,
};

/// The reason written when the deadline job closes a request the approval's end overtook.
pub const MOTIF_EXPIRE: &str =
    "L'agrément a expiré avant la décision sur cette demande : déposez une nouvelle demande.";

fn introuvable() -> AppError {
    AppError::not_found("Renouvellement")
}

/// Writes the history line of a renewal's change of status, in the caller's transaction.
pub async fn journaliser(
    conn: &mut AsyncPgConnection,
    renouvellement: &Renouvellement,
    ancien: Option<StatutRenouvellement>,
    principal: Option<Principal>,
    commentaire: Option<String>,
    maintenant: DateTime<Utc>,
) -> AppResult<()> {
    transitions::journaliser(
        conn,
        Changement {
            entite_id: renouvellement.entite_id,
            objet: ObjetHistorique::Renouvellement,
            objet_id: renouvellement.id,
            ancien: ancien.map(StatutRenouvellement::label),
            nouveau: renouvellement.statut.label(),
        },
        principal,
        commentaire,
        maintenant,
    )
    .await
}

/// `demanderRenouvellement`: the owner company asks to renew its entity's running approval.
pub async fn demander(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    motif: Option<String>,
    maintenant: DateTime<Utc>,
) -> AppResult<(Renouvellement, EntiteBase)> {
    let Principal::Entreprise { compte_id } = principal else {
        return Err(match principal {
            Principal::Anonyme => AppError::unauthenticated(),
            _ => AppError::forbidden_because(
                "Seule l'entreprise propriétaire de l'entité demande son renouvellement.",
            ),
        });
    };
    let motif = texte_facultatif(motif.as_deref(), "input.motif")?;
    conn.transaction::<_, AppError, _>(async |conn| {
        // Another company's entity is NOT_FOUND.
        let (entite, _) = acces::verifier(conn, principal, entite_id, Acces::Lecture).await?;
        if entite.compte_entreprise_id != Some(compte_id) {
            return Err(AppError::not_found("Entité"));
        }
        let workflow = entites_workflow::find_for_update(conn, entite_id)
            .await?
            .ok_or_else(|| AppError::not_found("Entité"))?;
        let en_vigueur = modifications::agrement_en_vigueur(conn, &workflow).await?;
        let fin = match workflow.date_expiration {
            Some(fin) if en_vigueur && fin >= maintenant.date_naive() => fin,
            _ => {
                return Err(AppError::conflict(
                    "Seul un dossier validé dont l'agrément court encore peut être renouvelé.",
                ));
            }
        };
        if renouvellements::find_ouvert(conn, entite_id)
            .await?
            .is_some()
        {
            return Err(deja_ouvert());
        }
        let renouvellement = renouvellements::create(
            conn,
            &NouveauRenouvellement {
                entite_id,
                date_demande: maintenant,
                date_expiration_agrement: fin,
                motif: motif.clone(),
                created_at: maintenant,
            },
        )
        .await
        .map_err(|e| match e {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, ref info)
                if info.constraint_name() == Some(renouvellements::INDEX_UN_OUVERT) =>
            {
                deja_ouvert()
            }
            other => other.into(),
        })?;
        journaliser(
            conn,
            &renouvellement,
            None,
            Some(principal),
            motif,
            maintenant,
        )
        .await?;
        let courriel = Courriel::Renouvellement(CourrielRenouvellement::DemandeRecue {
            denomination: entite.denomination.clone(),
            date_expiration: fin,
        });
        informer_entreprise(conn, &entite, &courriel, maintenant).await?;
        Ok((renouvellement, entite))
    })
    .await
}

fn deja_ouvert() -> AppError {
    AppError::conflict("Une demande de renouvellement de cet agrément attend déjà sa décision.")
}

/// ARTCI's decision on a request.
pub enum DecisionRenouvellement {
    Approuver { commentaire: Option<String> },
    Rejeter { commentaire: String },
}

impl DecisionRenouvellement {
    /// From the input: rejecting needs a comment (`BAD_USER_INPUT` on `input.commentaire`).
    pub fn depuis(approuver: bool, commentaire: Option<&str>) -> AppResult<Self> {
        let commentaire = texte_facultatif(commentaire, "input.commentaire")?;
        match (approuver, commentaire) {
            (true, commentaire) => Ok(Self::Approuver { commentaire }),
            (false, Some(commentaire)) => Ok(Self::Rejeter { commentaire }),
            (false, None) => Err(AppError::bad_input(
                "input.commentaire",
                "Un commentaire est obligatoire pour rejeter une demande de renouvellement.",
            )),
        }
    }
}

/// The new end of an approval ending on `fin`, renewed on `aujourd_hui` for `mois` months.
pub fn nouvelle_fin(fin: NaiveDate, aujourd_hui: NaiveDate, mois: u32) -> NaiveDate {
    decisions::date_expiration(fin.max(aujourd_hui), mois)
}

/// `traiterRenouvellement`: an admin+ decides on an open request (the caller checked the
/// role). Approving extends the approval by `validite_mois` months.
pub async fn traiter(
    conn: &mut AsyncPgConnection,
    emetteur: Emetteur<'_>,
    principal: Principal,
    renouvellement_id: Uuid,
    decision: DecisionRenouvellement,
    validite_mois: u32,
    maintenant: DateTime<Utc>,
) -> AppResult<(Renouvellement, EntiteBase)> {
    let Principal::Agent { user_id, .. } = principal else {
        return Err(AppError::forbidden());
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        let avant = renouvellements::find_for_update(conn, renouvellement_id)
            .await?
            .ok_or_else(introuvable)?;
        if !renouvellements::OUVERTS.contains(&avant.statut) {
            return Err(AppError::conflict(
                "Cette demande de renouvellement est déjà traitée.",
            ));
        }
        let entite = entites_base::find_by_id(conn, avant.entite_id).await?;
        let workflow = entites_workflow::find_for_update(conn, avant.entite_id)
            .await?
            .ok_or_else(introuvable)?;
        let aujourd_hui = maintenant.date_naive();
        let fin = workflow
            .date_expiration
            .unwrap_or(avant.date_expiration_agrement);
        let (apres, courriel, commentaire) = match decision {
            DecisionRenouvellement::Approuver { commentaire } => {
                if !modifications::agrement_en_vigueur(conn, &workflow).await? {
                    return Err(AppError::conflict(
                        "L'agrément n'est plus en cours : il ne peut plus être renouvelé.",
                    ));
                }
                let nouvelle = nouvelle_fin(fin, aujourd_hui, validite_mois);
                entites_workflow::prolonger(conn, avant.entite_id, nouvelle).await?;
                // A new version of the approval in force: its content, a new validity (an
                // amendment under way is not approved by a renewal). An approval validated
                // before versions were kept has none to renew.
                if let Some(en_vigueur) =
                    versions_approuvees::en_vigueur(conn, avant.entite_id).await?
                {
                    certificats::emettre(
                        conn,
                        emetteur.stockage,
                        emetteur.base_publique,
                        user_id,
                        certificats::Emission {
                            entite: &entite,
                            origine: OrigineVersion::Renouvellement,
                            numero: en_vigueur.numero,
                            type_formalite: en_vigueur.type_formalite,
                            date_emission: aujourd_hui,
                            date_expiration: nouvelle,
                            contenu: Some(en_vigueur.contenu),
                        },
                        maintenant,
                    )
                    .await?;
                }
                let apres = renouvellements::decider(
                    conn,
                    avant.id,
                    &Decision {
                        statut: StatutRenouvellement::Approuve,
                        nouvelle_date_expiration: Some(nouvelle),
                        traite_par: Some(user_id),
                        date_traitement: maintenant,
                        commentaire: commentaire.clone(),
                    },
                )
                .await?;
                let ligne = match &commentaire {
                    Some(c) => format!(
                        "Agrément prolongé jusqu'au {}. {c}",
                        nouvelle.format("%d/%m/%Y")
                    ),
                    None => format!(
                        "Agrément prolongé jusqu'au {}.",
                        nouvelle.format("%d/%m/%Y")
                    ),
                };
                let courriel = CourrielRenouvellement::Approuve {
                    denomination: entite.denomination.clone(),
                    nouvelle_date_expiration: nouvelle,
                    commentaire,
                };
                (apres, courriel, ligne)
            }
            DecisionRenouvellement::Rejeter { commentaire } => {
                let apres = renouvellements::decider(
                    conn,
                    avant.id,
                    &Decision {
                        statut: StatutRenouvellement::Rejete,
                        nouvelle_date_expiration: None,
                        traite_par: Some(user_id),
                        date_traitement: maintenant,
                        commentaire: Some(commentaire.clone()),
                    },
                )
                .await?;
                let courriel = CourrielRenouvellement::Rejete {
                    denomination: entite.denomination.clone(),
                    date_expiration: fin,
                    commentaire: commentaire.clone(),
                };
                (apres, courriel, commentaire)
            }
        };
        journaliser(
            conn,
            &apres,
            Some(avant.statut),
            Some(principal),
            Some(commentaire),
            maintenant,
        )
        .await?;
        informer_entreprise(
            conn,
            &entite,
            &Courriel::Renouvellement(courriel),
            maintenant,
        )
        .await?;
        Ok((apres, entite))
    })
    .await
}

/// Closes the entity's open request when its approval expired before a decision (the
/// deadline job, in its transaction).
pub async fn clore_a_l_expiration(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    maintenant: DateTime<Utc>,
) -> AppResult<()> {
    let Some(ouvert) = renouvellements::find_ouvert(conn, entite_id).await? else {
        return Ok(());
    };
    let apres = renouvellements::decider(
        conn,
        ouvert.id,
        &Decision {
            statut: StatutRenouvellement::Rejete,
            nouvelle_date_expiration: None,
            traite_par: None,
            date_traitement: maintenant,
            commentaire: Some(MOTIF_EXPIRE.to_owned()),
        },
    )
    .await?;
    journaliser(
        conn,
        &apres,
        Some(ouvert.statut),
        None,
        Some(MOTIF_EXPIRE.to_owned()),
        maintenant,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jour(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).unwrap()
    }

    #[test]
    fn un_renouvellement_anticipe_ne_perd_aucun_jour() {
        // Renewed two months early: from the current end.
        assert_eq!(
            nouvelle_fin(jour(2027, 1, 31), jour(2026, 11, 30), 24),
            jour(2029, 1, 31)
        );
        // An end already past (decided late): from today.
        assert_eq!(
            nouvelle_fin(jour(2026, 11, 1), jour(2026, 11, 24), 24),
            jour(2028, 11, 24)
        );
    }

    #[test]
    fn rejeter_demande_un_commentaire() {
        let e = DecisionRenouvellement::depuis(false, Some("   "))
            .err()
            .unwrap();
        assert_eq!(e.field(), Some("input.commentaire"));
        assert!(matches!(
            DecisionRenouvellement::depuis(true, None),
            Ok(DecisionRenouvellement::Approuver { commentaire: None })
        ));
    }
}

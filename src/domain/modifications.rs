//! Amending an approved dossier (déclaration modificative, `ouvrirModification`).
//!
//! An amendment is a row of `modifications_dossier` (at most one open per entity) beside
//! the state machine's own rows (`OuvrirModification`, `SoumettreModification`,
//! `AnnulerModification`, `RefuserModification`):
//! - the company opens it on a `valide` or `publie` dossier whose approval runs, with a
//!   reason: the dossier goes `en_modification` and the company edits it as a draft;
//! - it submits it (`soumettreDossier`): verification, feedback, complements and the N+1's
//!   decision run as for a first submission (`soumis` … `conforme`), and `validerDossier`
//!   approves it: a new version and its certificate, the number kept (a new one when the
//!   formality changes), the public projection refreshed and the dossier back to `publie`
//!   when it was published;
//! - rejected by the N+1, or withdrawn by the company before verification, or ended by the
//!   approval's expiry: the dossier is restored exactly to the version it amended (every row
//!   of its five parts, from that version's snapshot) and returns to its previous status.
//!
//! All along, the approved version stays in force: the entity stays `conforme`
//! (`workflow::conformite`), and the public register keeps the row of that version
//! (`transitions::appliquer` leaves the projection alone while an amendment is open).

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::acces::{self, Acces};
use crate::domain::progression::Partie;
use crate::domain::transitions;
use crate::domain::verification::{self, texte_facultatif};
use crate::domain::workflow::{self, Acteur, NomTransition};
use crate::error::{AppError, AppResult};
use crate::mail::Courriel;
use crate::mail::modeles::apres_agrement::CourrielApresAgrement;
use crate::models::assignations_demandes::{self, ModificationsAssignation};
use crate::models::entites_workflow::{self, EffetsTransition};
use crate::models::enums::{StatutAssignation, StatutModification, StatutWorkflow};
use crate::models::modifications_dossier::{self, Modification, NouvelleModification};
use crate::models::versions_approuvees::{self, VersionApprouvee};
use crate::models::{EntiteBase, registre_public};

fn deja_ouverte() -> AppError {
    AppError::conflict("Une modification de ce dossier est déjà en cours.")
}

fn aucune_ouverte() -> AppError {
    AppError::conflict("Aucune modification de ce dossier n'est en cours.")
}

/// Whether the dossier holds a running approval: `valide` or `publie`, or being amended
/// (the approved version stays in force). Renewals and expiry apply to it.
pub async fn agrement_en_vigueur(
    conn: &mut AsyncPgConnection,
    workflow: &crate::models::EntiteWorkflow,
) -> AppResult<bool> {
    Ok(match workflow.statut {
        StatutWorkflow::Valide | StatutWorkflow::Publie => true,
        s if workflow::EN_COURS_DE_MODIFICATION.contains(&s) => {
            modifications_dossier::ouverte(conn, workflow.entite_id)
                .await?
                .is_some()
        }
        _ => false,
    })
}

/// `ouvrirModification`: the owner company opens an amendment of its approved dossier.
pub async fn ouvrir(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    motif: Option<String>,
    maintenant: DateTime<Utc>,
) -> AppResult<EntiteBase> {
    let Principal::Entreprise { compte_id } = principal else {
        return Err(match principal {
            Principal::Anonyme => AppError::unauthenticated(),
            _ => AppError::forbidden_because(
                "Seule l'entreprise titulaire de l'agrément déclare une modification.",
            ),
        });
    };
    let motif = texte_facultatif(motif.as_deref(), "input.motif")?;
    conn.transaction::<_, AppError, _>(async |conn| {
        // Another company's entity is NOT_FOUND.
        let (entite, _) = acces::verifier(conn, principal, entite_id, Acces::Lecture).await?;
        let courant = entites_workflow::find_for_update(conn, entite_id)
            .await?
            .ok_or_else(|| AppError::not_found("Entité"))?;
        if courant.statut == StatutWorkflow::EnModification
            || modifications_dossier::ouverte(conn, entite_id)
                .await?
                .is_some()
        {
            return Err(deja_ouverte());
        }
        let transition = workflow::autoriser(
            courant.statut,
            NomTransition::OuvrirModification,
            Acteur::Entreprise,
            None,
        )?;
        transition.verifier_saisie(motif.as_deref(), None)?;
        if courant
            .date_expiration
            .is_none_or(|fin| fin < maintenant.date_naive())
        {
            return Err(AppError::conflict(
                "L'agrément de ce dossier a expiré : demandez son renouvellement ou déposez une \
                 nouvelle demande.",
            ));
        }
        let base = versions_approuvees::en_vigueur(conn, entite_id)
            .await?
            .ok_or_else(|| {
                AppError::conflict(
                    "Ce dossier n'a pas encore de version approuvée enregistrée : demandez à \
                     l'ARTCI de délivrer son attestation, puis déclarez la modification.",
                )
            })?;
        let motif = motif.unwrap_or_default();
        modifications_dossier::ouvrir(
            conn,
            &NouvelleModification {
                entite_id,
                version_base_id: base.id,
                motif: motif.clone(),
                statut_precedent: courant.statut,
                ouverte_par_compte_id: compte_id,
                ouverte_le: maintenant,
            },
        )
        .await?
        .ok_or_else(deja_ouverte)?;
        transitions::appliquer(
            conn,
            entite_id,
            courant.statut,
            transition.vers,
            &EffetsTransition::default(),
            Some(principal),
            Some(format!(
                "Modification de la version {} : {motif}",
                base.version
            )),
            maintenant,
        )
        .await?;
        Ok(entite)
    })
    .await
}

/// `annulerModification`: the owner company withdraws its open amendment before it is under
/// verification; the dossier is restored to the version it amended.
pub async fn annuler(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    maintenant: DateTime<Utc>,
) -> AppResult<EntiteBase> {
    if !matches!(principal, Principal::Entreprise { .. }) {
        return Err(match principal {
            Principal::Anonyme => AppError::unauthenticated(),
            _ => AppError::forbidden_because(
                "Seule l'entreprise qui l'a déclarée retire une modification.",
            ),
        });
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let (entite, _) = acces::verifier(conn, principal, entite_id, Acces::Lecture).await?;
        let courant = entites_workflow::find_for_update(conn, entite_id)
            .await?
            .ok_or_else(|| AppError::not_found("Entité"))?;
        let modification = modifications_dossier::ouverte(conn, entite_id)
            .await?
            .ok_or_else(aucune_ouverte)?;
        if courant.statut == StatutWorkflow::Soumis && courant.assigned_to.is_some() {
            return Err(AppError::conflict(
                "Cette modification a déjà été attribuée à un agent de l'ARTCI : elle ne peut \
                 plus être retirée.",
            ));
        }
        let version = clore_en_restaurant(
            conn,
            Some(principal),
            NomTransition::AnnulerModification,
            &modification,
            courant.statut,
            StatutModification::Annulee,
            None,
            maintenant,
        )
        .await?;
        transitions::informer_entreprise(
            conn,
            &entite,
            &Courriel::ApresAgrement(CourrielApresAgrement::ModificationAnnulee {
                denomination: entite.denomination.clone(),
                version_en_vigueur: version.version,
            }),
            maintenant,
        )
        .await?;
        Ok(entite)
    })
    .await
}

/// Closes the open `modification` without approving it, in the caller's transaction: the
/// dossier's parts are restored from the version it amended, an open assignation is
/// cancelled, the workflow returns to the amendment's `statut_precedent` by `nom` (from
/// `de`, by `principal`, `None` for the system), and the amendment is closed as `statut`
/// with `motif`. Returns the version restored.
#[allow(clippy::too_many_arguments)]
pub async fn clore_en_restaurant(
    conn: &mut AsyncPgConnection,
    principal: Option<Principal>,
    nom: NomTransition,
    modification: &Modification,
    de: StatutWorkflow,
    statut: StatutModification,
    motif: Option<String>,
    maintenant: DateTime<Utc>,
) -> AppResult<VersionApprouvee> {
    let acteur = match principal {
        Some(Principal::Entreprise { .. }) => Acteur::Entreprise,
        Some(Principal::Agent { role, .. }) => Acteur::Personnel(role),
        Some(Principal::Anonyme) | None => Acteur::Systeme,
    };
    let transition = workflow::autoriser(de, nom, acteur, Some(modification.statut_precedent))?;
    transition.verifier_saisie(motif.as_deref(), None)?;
    let entite_id = modification.entite_id;
    let version = versions_approuvees::find_by_id(conn, modification.version_base_id)
        .await?
        .ok_or_else(|| AppError::internal("version de base d'une modification introuvable"))?;
    if let Some(ouverte) = assignations_demandes::find_ouverte(conn, entite_id).await? {
        let annulee = assignations_demandes::update(
            conn,
            ouverte.id,
            &ModificationsAssignation {
                statut: Some(StatutAssignation::Annule),
                ..Default::default()
            },
        )
        .await?;
        verification::journaliser(
            conn,
            &annulee,
            Some(ouverte.statut),
            principal,
            Some("Modification close".to_owned()),
            maintenant,
        )
        .await?;
    }
    let commentaire = match (&motif, statut) {
        (Some(m), _) => format!(
            "Modification refusée, version {} rétablie : {m}",
            version.version
        ),
        (None, _) => format!("Modification retirée, version {} rétablie", version.version),
    };
    transitions::appliquer(
        conn,
        entite_id,
        de,
        transition.vers,
        &EffetsTransition {
            type_formalite: Some(Some(version.type_formalite)),
            assigned_to: Some(None),
            ..Default::default()
        },
        principal,
        Some(commentaire),
        maintenant,
    )
    .await?;
    // After the status change, whose `publie_sur_carte` trigger touches the entity's row:
    // the restored rows keep the very values of the version, `updated_at` included.
    versions_approuvees::restaurer(conn, entite_id, &version.contenu).await?;
    modifications_dossier::clore(
        conn,
        modification.id,
        statut,
        None,
        motif.as_deref(),
        maintenant,
    )
    .await?
    .ok_or_else(aucune_ouverte)?;
    if transition.vers == StatutWorkflow::Publie {
        registre_public::rafraichir(conn, entite_id).await?;
    }
    Ok(version)
}

/// The N+1 rejects an amendment (`validerTraitement` with the decision `rejete` on an
/// amendment), or the deadline job ends one whose compliance deadline passed: the dossier
/// goes back to the version it amended, and the company is told why.
pub async fn refuser(
    conn: &mut AsyncPgConnection,
    principal: Option<Principal>,
    modification: &Modification,
    de: StatutWorkflow,
    motif: String,
    entite: &EntiteBase,
    maintenant: DateTime<Utc>,
) -> AppResult<()> {
    let version = clore_en_restaurant(
        conn,
        principal,
        NomTransition::RefuserModification,
        modification,
        de,
        StatutModification::Rejetee,
        Some(motif.clone()),
        maintenant,
    )
    .await?;
    transitions::informer_entreprise(
        conn,
        entite,
        &Courriel::ApresAgrement(CourrielApresAgrement::ModificationRejetee {
            denomination: entite.denomination.clone(),
            motif,
            version_en_vigueur: version.version,
        }),
        maintenant,
    )
    .await
}

/// What changed in one row of a dossier against the version an amendment started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub partie: Partie,
    /// The table of the row (`registre_traitements`, `entites_base`…).
    pub table: &'static str,
    pub nature: NatureDifference,
    /// The row's id, for a list item.
    pub element_id: Option<String>,
    /// The row's name or first words, to show it.
    pub libelle: Option<String>,
    /// The columns whose value changed (for a modified row).
    pub champs: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NatureDifference {
    Ajout,
    Suppression,
    Modification,
}

/// The part of the form each table of a snapshot belongs to.
const TABLES: &[(&str, Partie)] = &[
    ("entites_base", Partie::Identification),
    ("entites_contact", Partie::Identification),
    ("entites_localisation", Partie::Identification),
    ("entites_conformite", Partie::ConformiteAdministrative),
    (
        "conformite_administrative",
        Partie::ConformiteAdministrative,
    ),
    ("responsables_legaux", Partie::ConformiteAdministrative),
    ("dpo", Partie::ConformiteAdministrative),
    ("registre_traitements", Partie::Registre),
    ("categories_donnees", Partie::Registre),
    ("finalites_bases_legales", Partie::Registre),
    ("sous_traitance", Partie::SousTraitanceTransferts),
    ("transferts_internationaux", Partie::SousTraitanceTransferts),
    ("securite_conformite", Partie::Securite),
    ("mesures_securite", Partie::Securite),
    ("certifications_securite", Partie::Securite),
];

/// Columns that change with every save and say nothing of the content.
const IGNOREES: &[&str] = &["created_at", "updated_at", "date_evaluation"];

/// The per-row differences between two snapshots (`dossier_instantane`), part by part.
pub fn differences(avant: &Value, apres: &Value) -> Vec<Difference> {
    let mut liste = Vec::new();
    for &(table, partie) in TABLES {
        let (a, b) = (&avant[table], &apres[table]);
        match (a, b) {
            (Value::Array(a), Value::Array(b)) => {
                let id = |v: &Value| v["id"].as_str().map(str::to_owned);
                for ligne in a {
                    match b.iter().find(|l| id(l) == id(ligne)) {
                        None => liste.push(difference(
                            partie,
                            table,
                            NatureDifference::Suppression,
                            ligne,
                            vec![],
                        )),
                        Some(nouvelle) => {
                            let champs = champs_changes(ligne, nouvelle);
                            if !champs.is_empty() {
                                liste.push(difference(
                                    partie,
                                    table,
                                    NatureDifference::Modification,
                                    nouvelle,
                                    champs,
                                ));
                            }
                        }
                    }
                }
                for ligne in b {
                    if !a.iter().any(|l| id(l) == id(ligne)) {
                        liste.push(difference(
                            partie,
                            table,
                            NatureDifference::Ajout,
                            ligne,
                            vec![],
                        ));
                    }
                }
            }
            (Value::Null, Value::Null) => {}
            (Value::Null, ligne) => liste.push(difference(
                partie,
                table,
                NatureDifference::Ajout,
                ligne,
                vec![],
            )),
            (ligne, Value::Null) => liste.push(difference(
                partie,
                table,
                NatureDifference::Suppression,
                ligne,
                vec![],
            )),
            (a, b) => {
                let champs = champs_changes(a, b);
                if !champs.is_empty() {
                    liste.push(Difference {
                        partie,
                        table,
                        nature: NatureDifference::Modification,
                        element_id: None,
                        libelle: None,
                        champs,
                    });
                }
            }
        }
    }
    liste
}

fn difference(
    partie: Partie,
    table: &'static str,
    nature: NatureDifference,
    ligne: &Value,
    champs: Vec<String>,
) -> Difference {
    let libelle = [
        "nom",
        "nom_sous_traitant",
        "finalite",
        "categorie",
        "pays_destination",
        "code",
    ]
    .iter()
    .find_map(|c| ligne[*c].as_str().filter(|s| !s.trim().is_empty()))
    .map(|s| s.chars().take(120).collect());
    Difference {
        partie,
        table,
        nature,
        element_id: ligne["id"].as_str().map(str::to_owned),
        libelle,
        champs,
    }
}

fn champs_changes(a: &Value, b: &Value) -> Vec<String> {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return vec![];
    };
    let mut champs: Vec<String> = a
        .keys()
        .chain(b.keys().filter(|k| !a.contains_key(*k)))
        .filter(|k| !IGNOREES.contains(&k.as_str()))
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    champs.sort();
    champs
}

/// The open amendment `modification`, with the version it amends and the differences from
/// it (`Entite.modificationEnCours`; the caller may read the entity).
pub async fn en_cours(
    conn: &mut AsyncPgConnection,
    modification: Modification,
) -> AppResult<(Modification, VersionApprouvee, Vec<Difference>)> {
    let base = versions_approuvees::find_by_id(conn, modification.version_base_id)
        .await?
        .ok_or_else(|| AppError::internal("version de base d'une modification introuvable"))?;
    let maintenant = versions_approuvees::instantane(conn, modification.entite_id).await?;
    let diff = differences(&base.contenu, &maintenant);
    Ok((modification, base, diff))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn les_differences_disent_l_ajout_la_suppression_et_les_champs_changes() {
        let avant = json!({
            "entites_base": {"id": "e", "denomination": "A", "ville": "Abidjan", "updated_at": "1"},
            "entites_contact": null,
            "registre_traitements": [{"id": "1", "nom": "Paie"}, {"id": "2", "nom": "Clients"}],
        });
        let apres = json!({
            "entites_base": {"id": "e", "denomination": "A", "ville": "Bouaké", "updated_at": "2"},
            "entites_contact": {"site_web": "x"},
            "registre_traitements": [{"id": "1", "nom": "Paie"}, {"id": "3", "nom": "Patients"}],
        });
        let d = differences(&avant, &apres);
        assert_eq!(d.len(), 4, "{d:?}");
        assert_eq!(d[0].table, "entites_base");
        assert_eq!(d[0].champs, ["ville"]);
        assert_eq!(d[1].nature, NatureDifference::Ajout);
        assert_eq!(d[1].table, "entites_contact");
        assert_eq!(
            (d[2].nature, d[2].libelle.as_deref()),
            (NatureDifference::Suppression, Some("Clients"))
        );
        assert_eq!(
            (d[3].nature, d[3].libelle.as_deref()),
            (NatureDifference::Ajout, Some("Patients"))
        );
        assert!(differences(&avant, &avant).is_empty());
    }
}

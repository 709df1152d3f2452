//! ARTCI's decisions on a dossier once it is found compliant: validation (the approval and its
//! number, `validerDossier`), publication on the public map and back (`publierDossier`,
//! `depublierDossier`), the super_admin's "retour formulaire", and the company's new
//! application after a rejection or an expiry (`recommencerDossier`). Each goes through
//! `workflow::autoriser` and `transitions::appliquer`, with its mail, in one transaction.
//!
//! Choices the domain page leaves open:
//! - numbers read `RCP-2026-000001` (receipt: declaration or exemption) and `AUT-2026-000001`
//!   (authorisation): one counter per kind and calendar year of the validation
//!   (`numeros_delivres`), so a number tells its kind and year at a glance and never repeats;
//! - a dossier validated again after a "retour formulaire" keeps the number it already holds
//!   for its formality (the same application); a number of the other kind (the formality
//!   changed on resubmission) is withdrawn;
//! - the approval runs from the day of validation to the same day `VALIDITE_AGREMENT_MOIS`
//!   later; it is "passed" from the day after `date_expiration`, and so is a compliance
//!   deadline the day after `delai_mise_en_conformite`;
//! - a new application (`recommencer`) clears every field of the previous one: formality,
//!   dates, rejection reason, numbers and compliance deadline. The history keeps them (the
//!   numbers withdrawn are written in the history line's comment), and a new validation issues
//!   new numbers;
//! - the reason of a "retour formulaire" is the history line's comment (the company reads it
//!   there) and the mail's body; unpublishing and depublishing need no reason.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::acces::{self, Acces};
use crate::domain::verification::{self, texte_facultatif};
use crate::domain::workflow::{self, Acteur, NomTransition, Transition};
use crate::domain::{certificats, transitions};
use crate::error::{AppError, AppResult};
use crate::mail::Courriel;
use crate::mail::modeles::apres_agrement::CourrielApresAgrement;
use crate::mail::modeles::decisions::CourrielDecision;
use crate::models::assignations_demandes::{self, ModificationsAssignation};
use crate::models::entites_workflow::{self, EffetsTransition};
use crate::models::enums::{
    OrigineVersion, StatutAssignation, StatutModification, StatutWorkflow, TypeFormalite,
};
use crate::models::{
    EntiteBase, EntiteWorkflow, entites_conformite, modifications_dossier, numeros_delivres,
};
use crate::storage::Stockage;

/// The two kinds of number ARTCI issues, each with its own yearly sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NatureNumero {
    /// `numero_recepisse`: a declaration (or an exemption) acknowledged.
    Recepisse,
    /// `numero_autorisation_artci`: a prior authorisation granted.
    Autorisation,
}

impl NatureNumero {
    /// The kind a dossier of this formality receives.
    pub fn pour(type_formalite: TypeFormalite) -> Self {
        match type_formalite {
            TypeFormalite::AutorisationPrealable => Self::Autorisation,
            TypeFormalite::DeclarationPrealable | TypeFormalite::Dispense => Self::Recepisse,
        }
    }

    /// `numeros_delivres.nature`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Recepisse => "recepisse",
            Self::Autorisation => "autorisation",
        }
    }

    pub fn prefixe(self) -> &'static str {
        match self {
            Self::Recepisse => "RCP",
            Self::Autorisation => "AUT",
        }
    }
}

/// The readable number: `RCP-2026-000001`.
pub fn formater_numero(nature: NatureNumero, annee: i32, rang: i32) -> String {
    format!("{}-{annee:04}-{rang:06}", nature.prefixe())
}

/// The last day of an approval validated on `jour` for `mois` months.
pub fn date_expiration(jour: NaiveDate, mois: u32) -> NaiveDate {
    jour.checked_add_months(Months::new(mois))
        .unwrap_or(NaiveDate::MAX)
}

fn personnel(principal: Principal) -> AppResult<Acteur> {
    match principal {
        Principal::Agent { role, .. } => Ok(Acteur::Personnel(role)),
        Principal::Entreprise { .. } => Ok(Acteur::Entreprise),
        Principal::Anonyme => Err(AppError::unauthenticated()),
    }
}

/// The entity, its locked workflow row and the row of `nom` that `principal` fires on it.
async fn preparer(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    nom: NomTransition,
) -> AppResult<(EntiteBase, EntiteWorkflow, &'static Transition)> {
    let acteur = personnel(principal)?;
    // Read access: another company's entity is NOT_FOUND, staff read every entity.
    let (entite, _) = acces::verifier(conn, principal, entite_id, Acces::Lecture).await?;
    let courant = entites_workflow::find_for_update(conn, entite_id)
        .await?
        .ok_or_else(|| AppError::not_found("Entité"))?;
    let transition = workflow::autoriser(courant.statut, nom, acteur, None)?;
    Ok((entite, courant, transition))
}

/// Queues a decision's mail for the company owning `entite`.
async fn informer_entreprise(
    conn: &mut AsyncPgConnection,
    entite: &EntiteBase,
    courriel: CourrielDecision,
    maintenant: DateTime<Utc>,
) -> AppResult<()> {
    transitions::informer_entreprise(conn, entite, &Courriel::Decision(courriel), maintenant).await
}

/// Where an approval's certificate is stored and what address its QR code holds.
#[derive(Clone, Copy)]
pub struct Emetteur<'a> {
    pub stockage: &'a Stockage,
    /// `PUBLIC_BASE_URL`.
    pub base_publique: &'a str,
}

/// `validerDossier`: an admin+ validates a compliant dossier; it receives its number and its
/// approval's dates, a new approved version with its certificate (`certificats::emettre`),
/// and the company is mailed the number. Validity in months from the configuration
/// (`VALIDITE_AGREMENT_MOIS`).
///
/// On an amendment, this approves it: the number is kept (a new one when the formality
/// changed, the old one withdrawn), the amendment is closed with the new version, and the
/// dossier returns to `publie` when it was published, its public row refreshed.
pub async fn valider(
    conn: &mut AsyncPgConnection,
    emetteur: Emetteur<'_>,
    principal: Principal,
    entite_id: Uuid,
    validite_mois: u32,
    maintenant: DateTime<Utc>,
) -> AppResult<EntiteBase> {
    let Principal::Agent { user_id, .. } = principal else {
        return Err(AppError::forbidden());
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        let (entite, courant, transition) =
            preparer(conn, principal, entite_id, NomTransition::Valider).await?;
        let modification = modifications_dossier::ouverte(conn, entite_id).await?;
        let aujourd_hui = maintenant.date_naive();
        if courant.statut == StatutWorkflow::ConformeSousReserve {
            let conformite = entites_conformite::find_by_entites(conn, &[entite_id]).await?;
            let delai = conformite.first().and_then(|c| c.delai_mise_en_conformite);
            if delai.is_some_and(|d| d < aujourd_hui) {
                return Err(AppError::conflict(
                    "Le délai de mise en conformité est dépassé : ce dossier ne peut plus être \
                     validé.",
                ));
            }
        }
        let type_formalite = courant.type_formalite.ok_or_else(|| {
            AppError::internal(format!("dossier {entite_id} décidé sans formalité"))
        })?;
        let nature = NatureNumero::pour(type_formalite);
        let deja = match nature {
            NatureNumero::Recepisse => courant.numero_recepisse.clone(),
            NatureNumero::Autorisation => courant.numero_autorisation_artci.clone(),
        };
        let numero = match deja {
            Some(numero) => numero,
            None => {
                let annee = maintenant.year();
                let rang = numeros_delivres::suivant(conn, annee, nature.label()).await?;
                formater_numero(nature, annee, rang)
            }
        };
        let expiration = date_expiration(aujourd_hui, validite_mois);
        let (recepisse, autorisation) = match nature {
            NatureNumero::Recepisse => (Some(numero.clone()), None),
            NatureNumero::Autorisation => (None, Some(numero.clone())),
        };
        transitions::appliquer(
            conn,
            entite_id,
            courant.statut,
            transition.vers,
            &EffetsTransition {
                numero_recepisse: Some(recepisse),
                numero_autorisation_artci: Some(autorisation),
                date_validation: Some(Some(maintenant)),
                date_expiration: Some(Some(expiration)),
                ..Default::default()
            },
            Some(principal),
            Some(numero.clone()),
            maintenant,
        )
        .await?;
        let version = certificats::emettre(
            conn,
            emetteur.stockage,
            emetteur.base_publique,
            user_id,
            certificats::Emission {
                entite: &entite,
                origine: if modification.is_some() {
                    OrigineVersion::Modification
                } else {
                    OrigineVersion::Validation
                },
                numero: numero.clone(),
                type_formalite,
                date_emission: aujourd_hui,
                date_expiration: expiration,
                contenu: None,
            },
            maintenant,
        )
        .await?;
        let Some(modification) = modification else {
            informer_entreprise(
                conn,
                &entite,
                CourrielDecision::DossierValide {
                    denomination: entite.denomination.clone(),
                    type_formalite,
                    numero,
                    date_expiration: expiration,
                },
                maintenant,
            )
            .await?;
            return Ok(entite);
        };
        modifications_dossier::clore(
            conn,
            modification.id,
            StatutModification::Approuvee,
            Some(version.id),
            None,
            maintenant,
        )
        .await?
        .ok_or_else(|| AppError::conflict("La modification a changé entre-temps : rechargez."))?;
        if modification.statut_precedent == StatutWorkflow::Publie {
            // Back on the public register, with the new version (the amendment is closed,
            // so the projection is refreshed); the first publication's date is kept.
            let republier = workflow::autoriser(
                transition.vers,
                NomTransition::Publier,
                personnel(principal)?,
                None,
            )?;
            transitions::appliquer(
                conn,
                entite_id,
                transition.vers,
                republier.vers,
                &EffetsTransition::default(),
                Some(principal),
                Some(format!("Version {} publiée", version.version)),
                maintenant,
            )
            .await?;
        }
        transitions::informer_entreprise(
            conn,
            &entite,
            &Courriel::ApresAgrement(CourrielApresAgrement::ModificationApprouvee {
                denomination: entite.denomination.clone(),
                numero,
                version: version.version,
            }),
            maintenant,
        )
        .await?;
        Ok(entite)
    })
    .await
}

/// `publierDossier`: an admin+ puts a validated dossier on the public map, unless its
/// approval has expired; the company is mailed.
pub async fn publier(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    maintenant: DateTime<Utc>,
) -> AppResult<EntiteBase> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let (entite, courant, transition) =
            preparer(conn, principal, entite_id, NomTransition::Publier).await?;
        if courant
            .date_expiration
            .is_some_and(|d| d < maintenant.date_naive())
        {
            return Err(AppError::conflict(
                "L'agrément de ce dossier a expiré : il ne peut pas être publié.",
            ));
        }
        transitions::appliquer(
            conn,
            entite_id,
            courant.statut,
            transition.vers,
            &EffetsTransition {
                date_publication: Some(Some(maintenant)),
                ..Default::default()
            },
            Some(principal),
            None,
            maintenant,
        )
        .await?;
        informer_entreprise(
            conn,
            &entite,
            CourrielDecision::DossierPublie {
                denomination: entite.denomination.clone(),
            },
            maintenant,
        )
        .await?;
        Ok(entite)
    })
    .await
}

/// `depublierDossier`: an admin+ takes a published dossier off the public map; the approval
/// is unchanged (and `date_publication` keeps the last publication).
pub async fn depublier(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    maintenant: DateTime<Utc>,
) -> AppResult<EntiteBase> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let (entite, courant, transition) =
            preparer(conn, principal, entite_id, NomTransition::Depublier).await?;
        transitions::appliquer(
            conn,
            entite_id,
            courant.statut,
            transition.vers,
            &EffetsTransition::default(),
            Some(principal),
            None,
            maintenant,
        )
        .await?;
        Ok(entite)
    })
    .await
}

/// `retourFormulaire`: a super_admin sends a dossier (submitted up to published) back to the
/// company with a reason: it goes `en_attente_complements`, off the map, its open assignation
/// is cancelled (`annule`) and the company is mailed the reason.
pub async fn retour_formulaire(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    motif: Option<String>,
    maintenant: DateTime<Utc>,
) -> AppResult<EntiteBase> {
    let motif = texte_facultatif(motif.as_deref(), "input.motif")?;
    conn.transaction::<_, AppError, _>(async |conn| {
        let (entite, courant, transition) =
            preparer(conn, principal, entite_id, NomTransition::RetourFormulaire).await?;
        transition.verifier_saisie(motif.as_deref(), None)?;
        let motif = motif.unwrap_or_default();
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
                Some(principal),
                Some("Retour formulaire".to_owned()),
                maintenant,
            )
            .await?;
        }
        transitions::appliquer(
            conn,
            entite_id,
            courant.statut,
            transition.vers,
            &EffetsTransition {
                assigned_to: Some(None),
                ..Default::default()
            },
            Some(principal),
            Some(motif.clone()),
            maintenant,
        )
        .await?;
        informer_entreprise(
            conn,
            &entite,
            CourrielDecision::RetourFormulaire {
                denomination: entite.denomination.clone(),
                motif,
            },
            maintenant,
        )
        .await?;
        Ok(entite)
    })
    .await
}

/// `recommencerDossier`: the owner company starts a new application after a rejection or an
/// expiry: the dossier is its draft again, the previous application's decision fields
/// cleared (see the module's choices), its history kept.
pub async fn recommencer(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    maintenant: DateTime<Utc>,
) -> AppResult<EntiteBase> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let (entite, courant, transition) =
            preparer(conn, principal, entite_id, NomTransition::Recommencer).await?;
        let retires: Vec<&str> = [
            courant.numero_recepisse.as_deref(),
            courant.numero_autorisation_artci.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        let commentaire = (!retires.is_empty())
            .then(|| format!("Numéros de la demande précédente : {}", retires.join(", ")));
        transitions::appliquer(
            conn,
            entite_id,
            courant.statut,
            transition.vers,
            &EffetsTransition {
                type_formalite: Some(None),
                date_soumission: Some(None),
                date_limite_decision: Some(None),
                date_validation: Some(None),
                date_expiration: Some(None),
                date_publication: Some(None),
                date_rejet: Some(None),
                motif_rejet: Some(None),
                numero_recepisse: Some(None),
                numero_autorisation_artci: Some(None),
                assigned_to: Some(None),
            },
            Some(principal),
            commentaire,
            maintenant,
        )
        .await?;
        entites_conformite::definir_delai_mise_en_conformite(conn, entite_id, None).await?;
        Ok(entite)
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
    fn un_numero_dit_sa_nature_et_son_annee() {
        assert_eq!(
            formater_numero(NatureNumero::Recepisse, 2026, 1),
            "RCP-2026-000001"
        );
        assert_eq!(
            formater_numero(NatureNumero::Autorisation, 2027, 123_456),
            "AUT-2027-123456"
        );
        assert_eq!(
            NatureNumero::pour(TypeFormalite::Dispense),
            NatureNumero::Recepisse
        );
        assert_eq!(
            NatureNumero::pour(TypeFormalite::AutorisationPrealable),
            NatureNumero::Autorisation
        );
    }

    #[test]
    fn l_agrement_court_le_nombre_de_mois_configure() {
        assert_eq!(date_expiration(jour(2026, 11, 24), 24), jour(2028, 11, 24));
        // A 29 February falls on the end of February.
        assert_eq!(date_expiration(jour(2028, 2, 29), 12), jour(2029, 2, 28));
    }
}

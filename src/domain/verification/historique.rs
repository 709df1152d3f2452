//! What each audience reads of a dossier's verification: its history (`historique`), its
//! feedbacks and its assignations.
//!
//! - The owner company reads the lines of its dossier's status, conformity and renewals,
//!   never those of ARTCI's internal work (assignations) nor of claims (they name other
//!   accounts); a staff actor reads "ARTCI", never a person's name.
//! - Staff read every line, with the staff member's or the company's name.
//! - A company reads only the feedbacks sent to it; staff read them all, drafts included.

use std::collections::HashMap;

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::acces::{self, Acces};
use crate::error::AppResult;
use crate::models::enums::{ActeurType, ObjetHistorique};
use crate::models::{HistoriqueStatut, comptes_entreprises, historique_statuts, users};

/// The history lines a company reads of its own dossier.
pub const OBJETS_ENTREPRISE: &[ObjetHistorique] = &[
    ObjetHistorique::Workflow,
    ObjetHistorique::Conformite,
    ObjetHistorique::Renouvellement,
    ObjetHistorique::Document,
];

/// How a staff actor is named to a company.
pub const ACTEUR_ARTCI: &str = "ARTCI";
/// How the system is named.
pub const ACTEUR_SYSTEME: &str = "Système";
/// A company account that no longer exists, for staff.
pub const ACTEUR_ENTREPRISE: &str = "Entreprise";
/// How a company names its own account's actions.
pub const ACTEUR_VOTRE_ENTREPRISE: &str = "Votre entreprise";

/// One history line and the name of its actor, as the caller may read them.
#[derive(Debug, Clone, PartialEq)]
pub struct LigneLisible {
    pub ligne: HistoriqueStatut,
    pub acteur: String,
}

/// The history of the entity `entite_id` as `principal` may read it, in the order written.
/// Another company's entity is `NOT_FOUND` (`acces::verifier`).
pub async fn historique(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
) -> AppResult<Vec<LigneLisible>> {
    acces::verifier(conn, principal, entite_id, Acces::Lecture).await?;
    match principal {
        Principal::Agent { .. } => {
            let lignes = historique_statuts::of_entite(conn, entite_id, None).await?;
            nommer_pour_le_personnel(conn, lignes).await
        }
        _ => {
            let lignes =
                historique_statuts::of_entite(conn, entite_id, Some(OBJETS_ENTREPRISE)).await?;
            Ok(lignes
                .into_iter()
                .map(|ligne| LigneLisible {
                    acteur: acteur_pour_l_entreprise(ligne.acteur_type).to_owned(),
                    ligne,
                })
                .collect())
        }
    }
}

/// The actor of a line a company reads.
pub fn acteur_pour_l_entreprise(acteur: ActeurType) -> &'static str {
    match acteur {
        ActeurType::Utilisateur => ACTEUR_ARTCI,
        ActeurType::CompteEntreprise => ACTEUR_VOTRE_ENTREPRISE,
        ActeurType::Systeme => ACTEUR_SYSTEME,
    }
}

/// Names each line's actor for staff: the staff member's first and last names, the company's
/// denomination.
async fn nommer_pour_le_personnel(
    conn: &mut AsyncPgConnection,
    lignes: Vec<HistoriqueStatut>,
) -> AppResult<Vec<LigneLisible>> {
    let mut ids_agents: Vec<Uuid> = lignes.iter().filter_map(|l| l.acteur_user_id).collect();
    ids_agents.sort();
    ids_agents.dedup();
    let agents: HashMap<Uuid, String> = users::find_by_ids(conn, &ids_agents)
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} {}", u.prenom, u.nom)))
        .collect();
    let mut comptes: HashMap<Uuid, String> = HashMap::new();
    for id in lignes.iter().filter_map(|l| l.acteur_compte_id) {
        if let std::collections::hash_map::Entry::Vacant(place) = comptes.entry(id)
            && let Some(compte) = comptes_entreprises::find_by_id(conn, id).await?
        {
            place.insert(compte.denomination);
        }
    }
    Ok(lignes
        .into_iter()
        .map(|ligne| {
            let nom = |noms: &HashMap<Uuid, String>, id: Option<Uuid>, sinon: &str| {
                id.and_then(|id| noms.get(&id).cloned())
                    .unwrap_or_else(|| sinon.to_owned())
            };
            let acteur = match ligne.acteur_type {
                ActeurType::Utilisateur => nom(&agents, ligne.acteur_user_id, ACTEUR_ARTCI),
                ActeurType::CompteEntreprise => {
                    nom(&comptes, ligne.acteur_compte_id, ACTEUR_ENTREPRISE)
                }
                ActeurType::Systeme => ACTEUR_SYSTEME.to_owned(),
            };
            LigneLisible { ligne, acteur }
        })
        .collect())
}

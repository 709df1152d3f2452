//! The mutation root: one `MergedObject` of small per-domain parts.

mod agents;
mod comptes;
mod conformite;
mod documents;
mod dossier;
mod entites;
mod inscriptions;
mod rapprochement;
mod registre;
mod securite;
mod sessions;
mod sous_traitance;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    comptes::ComptesMutation,
    sessions::SessionsMutation,
    inscriptions::InscriptionsMutation,
    agents::AgentsMutation,
    entites::EntitesMutation,
    conformite::ConformiteMutation,
    registre::RegistreMutation,
    dossier::DossierMutation,
    sous_traitance::SousTraitanceMutation,
    securite::SecuriteMutation,
    documents::DocumentsMutation,
    rapprochement::RapprochementMutation,
);

use async_graphql::ID;
use uuid::Uuid;

use crate::error::AppResult;
use crate::graphql::types::uuid_de;

/// The ids of a list's items (`None` for a new item), each malformed one a `BAD_USER_INPUT`
/// on its own path (`input.responsables[2].id`).
pub(crate) fn ids_des_elements<'a>(
    nom: &str,
    ids: impl Iterator<Item = &'a Option<ID>>,
) -> AppResult<Vec<Option<Uuid>>> {
    ids.enumerate()
        .map(|(i, id)| {
            id.as_ref()
                .map(|id| uuid_de(id, &format!("{nom}[{i}].id")))
                .transpose()
        })
        .collect()
}

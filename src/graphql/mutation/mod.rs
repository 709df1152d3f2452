//! The mutation root: one `MergedObject` of small per-domain parts.

mod agents;
mod comptes;
mod conformite;
mod decisions;
mod delais;
mod documents;
mod dossier;
mod entites;
mod inscriptions;
mod modifications;
mod rapports_activite;
mod rapprochement;
mod registre;
mod renouvellements;
mod securite;
mod sessions;
mod sous_traitance;
mod verification;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
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
    renouvellements::RenouvellementsMutation,
    verification::VerificationMutation,
    decisions::DecisionsMutation,
    modifications::ModificationsMutation,
    rapports_activite::RapportsActiviteMutation,
    delais::DelaisMutation,
);

use async_graphql::ID;
use uuid::Uuid;

use crate::error::AppResult;
use crate::graphql::types::uuid_de;

/// A list input's items converted for the domain (`None`: the list is absent), each with its
/// id (`None` for a new item) and its path (`input.responsables[2]`); a malformed id is a
/// `BAD_USER_INPUT` on its own path (`input.responsables[2].id`).
pub(crate) fn elements<I, S>(
    nom: &str,
    liste: Option<Vec<I>>,
    id: fn(&I) -> &Option<ID>,
    mut convertir: impl FnMut(&str, I, Option<Uuid>) -> AppResult<S>,
) -> AppResult<Option<Vec<S>>> {
    liste
        .map(|liste| {
            liste
                .into_iter()
                .enumerate()
                .map(|(i, element)| {
                    let chemin = format!("{nom}[{i}]");
                    let uuid = id(&element)
                        .as_ref()
                        .map(|id| uuid_de(id, &format!("{chemin}.id")))
                        .transpose()?;
                    convertir(&chemin, element, uuid)
                })
                .collect()
        })
        .transpose()
}

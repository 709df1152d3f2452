//! Saving the processors and the transfers abroad of a dossier.

use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::entites::{self, SaisieSousTraitance, SaisieSousTraitant, SaisieTransfert};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::mutation::elements;
use crate::graphql::types::{Entite, uuid_de};
use crate::models::enums::StatutAutorisationTransfert;

/// Un sous-traitant à qui l'entité confie des données. Sans `id`, il est créé ; avec, il
/// remplace celui qui porte cet `id`.
#[derive(InputObject)]
pub struct SousTraitantInput {
    pub id: Option<ID>,
    pub nom_sous_traitant: String,
    /// Le pays où il est établi : code ISO 3166-1 alpha-2 (ex. `FR`, `SN`, `CI`).
    pub pays: String,
    /// Ce qui lui est confié.
    pub objet: Option<String>,
    pub donnees_partagees: Option<String>,
    /// Un contrat de sous-traitance est signé.
    #[graphql(default)]
    pub contrat: bool,
    /// Le contrat contient des clauses de protection des données.
    #[graphql(default)]
    pub clauses_protection: bool,
    /// Le sous-traitant est audité.
    #[graphql(default)]
    pub audit: bool,
}

/// Un transfert de données hors de Côte d'Ivoire. Sans `id`, il est créé ; avec, il remplace
/// celui qui porte cet `id`. L'appartenance à la CEDEAO est déduite du pays.
#[derive(InputObject)]
pub struct TransfertInput {
    pub id: Option<ID>,
    /// Code ISO 3166-1 alpha-2 du pays de destination (jamais `CI`).
    pub pays_destination: String,
    pub organisme_destinataire: Option<String>,
    pub finalite: Option<String>,
    /// Les catégories de données transférées.
    pub categories: Option<String>,
    pub base_juridique: Option<String>,
    /// Les garanties offertes (clauses contractuelles, règles d'entreprise…).
    pub garanties: Option<String>,
    #[graphql(default_with = "StatutAutorisationTransfert::ADemander")]
    pub statut_autorisation: StatutAutorisationTransfert,
    /// Numéro de la décision de l'ARTCI (ex. `2016-0113`), obligatoire quand l'autorisation
    /// est accordée ou refusée.
    pub numero_decision: Option<String>,
}

#[derive(InputObject)]
pub struct EnregistrerSousTraitanceInput {
    pub entite_id: ID,
    /// La version du dossier lue (`workflow.version`).
    pub version: i32,
    /// La liste complète, 100 éléments au plus : remplace la liste enregistrée.
    pub sous_traitants: Option<Vec<SousTraitantInput>>,
    /// La liste complète, 100 éléments au plus : remplace la liste enregistrée.
    pub transferts: Option<Vec<TransfertInput>>,
}

#[derive(Default)]
pub struct SousTraitanceMutation;

#[Object]
impl SousTraitanceMutation {
    /// Enregistre les sous-traitants et les transferts internationaux du dossier lu à
    /// `version` ; renvoie l'entité et sa nouvelle version. Une version périmée est un
    /// `CONFLICT` et n'enregistre rien.
    async fn enregistrer_sous_traitance(
        &self,
        ctx: &Context<'_>,
        input: EnregistrerSousTraitanceInput,
    ) -> AppResult<Entite> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&input.entite_id, "input.entiteId")?;
        let sous_traitants = elements(
            "input.sousTraitants",
            input.sous_traitants,
            |e| &e.id,
            |_, s, id| {
                Ok(SaisieSousTraitant {
                    id,
                    nom_sous_traitant: s.nom_sous_traitant,
                    pays: s.pays,
                    objet: s.objet,
                    donnees_partagees: s.donnees_partagees,
                    contrat: s.contrat,
                    clauses_protection: s.clauses_protection,
                    audit: s.audit,
                })
            },
        )?;
        let transferts = elements(
            "input.transferts",
            input.transferts,
            |e| &e.id,
            |_, t, id| {
                Ok(SaisieTransfert {
                    id,
                    pays_destination: t.pays_destination,
                    organisme_destinataire: t.organisme_destinataire,
                    finalite: t.finalite,
                    categories: t.categories,
                    base_juridique: t.base_juridique,
                    garanties: t.garanties,
                    statut_autorisation: t.statut_autorisation,
                    numero_decision: t.numero_decision,
                })
            },
        )?;
        let mut conn = ctx.app().pool.get().await?;
        let entite = entites::enregistrer_sous_traitance(
            &mut conn,
            principal,
            entite_id,
            input.version,
            SaisieSousTraitance {
                sous_traitants,
                transferts,
            },
        )
        .await?;
        // `enregistrer_sous_traitance` passed `acces::verifier` (Ecriture).
        Ok(Entite::autorisee(entite))
    }
}

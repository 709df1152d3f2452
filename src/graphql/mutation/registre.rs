//! Saving the register of processing activities: processings, categories of data, purposes.

use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::entites::{
    self, SaisieCategorie, SaisieFinalite, SaisieRegistre, SaisieTraitement,
};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::mutation::elements;
use crate::graphql::types::{Entite, uuid_de};
use crate::models::enums::{BaseLegale, CodeCategorieDonnees, StatutTraitement};

/// Une catégorie de données. Sans `id`, elle est créée ; avec, elle remplace celle qui porte
/// cet `id`. Son caractère sensible se déduit de la catégorie.
#[derive(InputObject)]
pub struct CategorieDonneesInput {
    pub id: Option<ID>,
    pub categorie: CodeCategorieDonnees,
    /// Les données de la catégorie (ex. « nom, prénoms, date de naissance »).
    pub items: Option<String>,
    /// D'où viennent les données.
    pub origine: Option<String>,
}

/// Une finalité et sa base légale. Le total des pourcentages de l'entité est au plus 100.
#[derive(InputObject)]
pub struct FinaliteInput {
    pub id: Option<ID>,
    pub finalite: String,
    pub base_legale: BaseLegale,
    /// De 0 à 100 : sa part dans la bulle de la carte.
    #[graphql(default = 0)]
    pub pourcentage: i32,
}

/// Une activité de traitement. `categories` et `finalites` absentes : inchangées ; données :
/// elles remplacent celles du traitement.
#[derive(InputObject)]
pub struct TraitementInput {
    pub id: Option<ID>,
    pub nom: String,
    pub finalite: Option<String>,
    pub base_legale: Option<BaseLegale>,
    pub categories_personnes: Option<String>,
    pub duree_conservation: Option<String>,
    pub destinataires: Option<String>,
    #[graphql(default = false)]
    pub transfert_hors_ci: bool,
    #[graphql(default_with = "StatutTraitement::Actif")]
    pub statut: StatutTraitement,
    /// Au plus 20 : il existe 14 catégories de données.
    pub categories: Option<Vec<CategorieDonneesInput>>,
    /// Au plus 20 : un traitement sert quelques finalités.
    pub finalites: Option<Vec<FinaliteInput>>,
}

#[derive(InputObject)]
pub struct EnregistrerRegistreInput {
    pub entite_id: ID,
    /// La version du dossier lue (`workflow.version`).
    pub version: i32,
    /// La liste complète : remplace la liste enregistrée (un traitement retiré emporte ses
    /// catégories et ses finalités). Au plus 100 traitements, et au plus 1 000 catégories et
    /// finalités en tout dans un enregistrement (100 traitements de 5 catégories et 5
    /// finalités) : un registre réel tient dans ces bornes, et elles gardent chaque
    /// enregistrement bref pour les autres utilisateurs.
    pub traitements: Option<Vec<TraitementInput>>,
    /// Les catégories communes à toute l'entité (rattachées à aucun traitement). Au plus 100.
    pub categories_communes: Option<Vec<CategorieDonneesInput>>,
    /// Les finalités communes à toute l'entité (rattachées à aucun traitement). Au plus 100.
    pub finalites_communes: Option<Vec<FinaliteInput>>,
}

fn categories(
    nom: &str,
    liste: Option<Vec<CategorieDonneesInput>>,
) -> AppResult<Option<Vec<SaisieCategorie>>> {
    elements(
        nom,
        liste,
        |e| &e.id,
        |_, c, id| {
            Ok(SaisieCategorie {
                id,
                categorie: c.categorie,
                items: c.items,
                origine: c.origine,
            })
        },
    )
}

fn finalites(
    nom: &str,
    liste: Option<Vec<FinaliteInput>>,
) -> AppResult<Option<Vec<SaisieFinalite>>> {
    elements(
        nom,
        liste,
        |e| &e.id,
        |_, f, id| {
            Ok(SaisieFinalite {
                id,
                finalite: f.finalite,
                base_legale: f.base_legale,
                pourcentage: f.pourcentage,
            })
        },
    )
}

#[derive(Default)]
pub struct RegistreMutation;

#[Object]
impl RegistreMutation {
    /// Enregistre le registre des traitements du dossier lu à `version` ; renvoie l'entité et
    /// sa nouvelle version. Une version périmée est un `CONFLICT` ; des pourcentages qui
    /// totalisent plus de 100 sont un `BAD_USER_INPUT` ; rien n'est alors enregistré.
    async fn enregistrer_registre(
        &self,
        ctx: &Context<'_>,
        input: EnregistrerRegistreInput,
    ) -> AppResult<Entite> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&input.entite_id, "input.entiteId")?;
        let traitements = elements(
            "input.traitements",
            input.traitements,
            |e| &e.id,
            |chemin, t, id| {
                Ok(SaisieTraitement {
                    id,
                    nom: t.nom,
                    finalite: t.finalite,
                    base_legale: t.base_legale,
                    categories_personnes: t.categories_personnes,
                    duree_conservation: t.duree_conservation,
                    destinataires: t.destinataires,
                    transfert_hors_ci: t.transfert_hors_ci,
                    statut: t.statut,
                    categories: categories(&format!("{chemin}.categories"), t.categories)?,
                    finalites: finalites(&format!("{chemin}.finalites"), t.finalites)?,
                })
            },
        )?;
        let saisie = SaisieRegistre {
            traitements,
            categories_communes: categories("input.categoriesCommunes", input.categories_communes)?,
            finalites_communes: finalites("input.finalitesCommunes", input.finalites_communes)?,
        };
        let mut conn = ctx.app().pool.get().await?;
        let entite =
            entites::enregistrer_registre(&mut conn, principal, entite_id, input.version, saisie)
                .await?;
        // `enregistrer_registre` passed `acces::verifier` (Ecriture).
        Ok(Entite::autorisee(entite))
    }
}

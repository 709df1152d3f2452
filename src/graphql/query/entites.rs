//! Reading entities: one by id (owner or staff), a company's own list, and the staff list
//! with its filters and orders.

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::NaiveDate;

use crate::domain::acces::{self, Acces};
use crate::domain::validation;
use crate::error::{AppError, AppResult};
use crate::graphql::ContextExt;
use crate::graphql::loaders::LotEntites;
use crate::graphql::types::pagination::{self, CleChronologique, Demande, Page};
use crate::graphql::types::{Entite, uuid_de};
use crate::models::entites_base::{self, FiltreEntites, OrdreEntites, PositionEntite};
use crate::models::enums::{Region, SecteurActivite, StatutWorkflow, TypeFormalite};

/// Shortest `recherche`, after trimming: one letter would match nearly every entity, and the
/// trigram index cannot narrow it.
pub const RECHERCHE_MIN: usize = 2;
/// Longest `recherche`: longer than any denomination worth typing, short enough to bound the
/// pattern matched against every candidate.
pub const RECHERCHE_MAX: usize = 100;

/// Critères de la liste des entités ; un critère absent (ou une liste vide) ne filtre rien.
#[derive(InputObject, Default)]
pub struct FiltreEntitesInput {
    /// L'un de ces statuts du dossier.
    pub statuts: Option<Vec<StatutWorkflow>>,
    pub region: Option<Region>,
    pub secteur_activite: Option<SecteurActivite>,
    pub type_formalite: Option<TypeFormalite>,
    /// Numéro de compte contribuable exact (7 chiffres et une lettre ; espaces et casse
    /// ignorés).
    pub numero_cc: Option<String>,
    /// Texte contenu dans la dénomination, sans distinction de casse (2 à 100 caractères ;
    /// `%` et `_` y sont des caractères ordinaires).
    pub recherche: Option<String>,
    /// `true` : les seuls dossiers en attente de décision (soumis, en vérification, en attente
    /// de compléments) dont la date limite de décision est dépassée.
    pub delai_depasse: Option<bool>,
}

impl FiltreEntitesInput {
    /// The filter as the model takes it: NCC normalised, search text trimmed and bounded;
    /// `aujourd_hui` dates `delaiDepasse`.
    fn valider(self, aujourd_hui: NaiveDate) -> AppResult<FiltreEntites> {
        let mut statuts = self.statuts.unwrap_or_default();
        statuts.sort_by_key(|s| s.label());
        statuts.dedup();
        let numero_cc = self
            .numero_cc
            .map(|n| {
                validation::normalize_ncc(&n).map_err(|m| AppError::bad_input("filtre.numeroCc", m))
            })
            .transpose()?;
        let recherche = self
            .recherche
            .map(|texte| {
                let texte = texte.trim();
                let longueur = texte.chars().count();
                if longueur < RECHERCHE_MIN {
                    Err(AppError::bad_input(
                        "filtre.recherche",
                        "La recherche doit compter au moins 2 caractères.",
                    ))
                } else if longueur > RECHERCHE_MAX {
                    Err(AppError::bad_input(
                        "filtre.recherche",
                        "La recherche ne peut dépasser 100 caractères.",
                    ))
                } else {
                    Ok(texte.to_owned())
                }
            })
            .transpose()?;
        Ok(FiltreEntites {
            statuts,
            region: self.region,
            secteur_activite: self.secteur_activite,
            type_formalite: self.type_formalite,
            numero_cc,
            recherche,
            delai_depasse_avant: (self.delai_depasse == Some(true)).then_some(aujourd_hui),
        })
    }
}

/// Ordre de la liste des entités ; à clé égale, l'ordre des identifiants départage.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum TriEntites {
    /// Date limite de décision, la plus proche d'abord ; les dossiers sans échéance à la fin.
    #[default]
    DateLimiteDecision,
    /// Date de soumission, la plus récente d'abord ; les dossiers jamais soumis à la fin.
    DateSoumission,
    /// Dénomination, de A à Z (ordre alphabétique français : casse et accents ignorés).
    Denomination,
}

impl From<TriEntites> for OrdreEntites {
    fn from(tri: TriEntites) -> Self {
        match tri {
            TriEntites::DateLimiteDecision => Self::DateLimiteDecision,
            TriEntites::DateSoumission => Self::DateSoumission,
            TriEntites::Denomination => Self::Denomination,
        }
    }
}

#[derive(Default)]
pub struct EntitesQuery;

#[Object]
impl EntitesQuery {
    /// Une entité et son dossier : pour l'entreprise propriétaire et les agents de l'ARTCI.
    /// Une entité inconnue, ou celle d'une autre entreprise, est `NOT_FOUND`.
    async fn entite(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Entite>> {
        let principal = ctx.principal()?;
        let id = uuid_de(&id, "id")?;
        let mut conn = ctx.app().pool.get().await?;
        let (entite, _) = acces::verifier(&mut conn, principal, id, Acces::Lecture).await?;
        Ok(Some(Entite::autorisee(entite)))
    }

    /// Les entités du compte entreprise appelant, de la plus ancienne à la plus récente.
    /// `first` : 20 par défaut, 100 au plus. Réservé aux comptes entreprises.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn mes_entites(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<Entite>> {
        let compte_id = ctx.require_entreprise()?;
        let demande = Demande::depuis(first, after.as_deref())?;
        let mut conn = ctx.app().pool.get().await?;
        let rows = entites_base::page_du_compte(
            &mut conn,
            compte_id,
            demande.apres.map(|c| (c.created_at, c.id)),
            demande.limite_lecture(),
        )
        .await?;
        let total = entites_base::count_du_compte(&mut conn, compte_id).await?;
        let lot = LotEntites::new(rows.iter().map(|e| e.id));
        // The list is filtered on the caller's account: each row is its own.
        Ok(pagination::page(
            &demande,
            rows,
            total,
            |e| CleChronologique {
                created_at: e.created_at,
                id: e.id,
            },
            |e| Entite::autorisee_du_lot(e, &lot),
        ))
    }

    /// Toutes les entités, pour les agents de l'ARTCI (tous rôles, lecteur compris) : filtres,
    /// tri (par défaut l'échéance de décision la plus proche d'abord) et pagination par
    /// curseur. `first` : 20 par défaut, 100 au plus ; `totalCount` compte avec le même filtre.
    /// Un curseur `after` d'un autre tri est refusé.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn entites(
        &self,
        ctx: &Context<'_>,
        filtre: Option<FiltreEntitesInput>,
        #[graphql(default)] tri: TriEntites,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<Entite>> {
        ctx.require_staff()?;
        let filtre = filtre
            .unwrap_or_default()
            .valider(ctx.app().clock.now().date_naive())?;
        let ordre = OrdreEntites::from(tri);
        let demande = Demande::<PositionEntite>::avec_cle(first, after.as_deref())?;
        if demande.apres.as_ref().is_some_and(|p| p.ordre() != ordre) {
            return Err(pagination::curseur_invalide());
        }
        let mut conn = ctx.app().pool.get().await?;
        let rows = entites_base::page_filtree(
            &mut conn,
            &filtre,
            ordre,
            demande.apres.as_ref(),
            demande.limite_lecture(),
        )
        .await?;
        let total = entites_base::count_filtre(&mut conn, &filtre).await?;
        let lot = LotEntites::new(rows.iter().map(|row| row.entite.id));
        // Staff may read every entity: each row is authorised.
        Ok(pagination::page(
            &demande,
            rows,
            total,
            |row| row.position(ordre),
            |row| Entite::autorisee_du_lot(row.entite, &lot),
        ))
    }
}

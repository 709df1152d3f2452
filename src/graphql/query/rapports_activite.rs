//! Annual activity reports, read: a company's own, every entity's for ARTCI staff, and the
//! entities late with theirs.

use async_graphql::{Context, ID, InputObject, Object};

use crate::auth::Principal;
use crate::domain::acces::{self, Acces};
use crate::domain::rapports_activite::{date_limite, derniere_campagne_close};
use crate::error::{AppError, AppResult};
use crate::graphql::ContextExt;
use crate::graphql::types::pagination::{self, CleChronologique, Demande, Page};
use crate::graphql::types::{SuiviRapportActivite, uuid_de};
use crate::models::enums::StatutRapportActivite;
use crate::models::rapports_activite::{self, Portee};

/// Critères de la liste des rapports d'activité ; un critère absent ne filtre rien.
#[derive(InputObject, Default)]
pub struct FiltreRapportsActiviteInput {
    /// Les rapports d'une entité (pour une entreprise, l'une des siennes : sinon
    /// `NOT_FOUND`).
    pub entite_id: Option<ID>,
    /// L'année sur laquelle portent les rapports. Avec `enRetard`, par défaut la dernière
    /// campagne close (l'année dernière après le 31 mars, l'année d'avant jusque-là).
    pub annee: Option<i32>,
    pub statut: Option<StatutRapportActivite>,
    /// `true` : au lieu des rapports, les entités approuvées tenues de rendre le rapport de
    /// l'année et qui n'en ont ni en attente ni accepté alors que le 31 mars est passé (un
    /// rapport à corriger ne compte pas) ; ne se combine pas avec `statut`.
    pub en_retard: Option<bool>,
}

#[derive(Default)]
pub struct RapportsActiviteQuery;

#[Object]
impl RapportsActiviteQuery {
    /// Les rapports annuels d'activité, du plus ancien dépôt au plus récent : pour une
    /// entreprise, ceux de ses entités ; pour les agents de l'ARTCI (tous rôles), ceux de
    /// toutes les entités. Chaque ligne porte un rapport. Avec `filtre.enRetard: true`,
    /// chaque ligne porte au contraire une entité en retard (`rapport` vide, `enRetard`
    /// vrai), dans l'ordre de création des entités. `first` : 20 par défaut, 100 au plus.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn rapports_activite(
        &self,
        ctx: &Context<'_>,
        filtre: Option<FiltreRapportsActiviteInput>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<SuiviRapportActivite>> {
        let principal = ctx.principal()?;
        let filtre = filtre.unwrap_or_default();
        let demande = Demande::depuis(first, after.as_deref())?;
        let aujourd_hui = ctx.app().clock.now().date_naive();
        let mut conn = ctx.app().pool.get().await?;
        let portee = match (&filtre.entite_id, principal) {
            (Some(id), _) => {
                let id = uuid_de(id, "filtre.entiteId")?;
                // A company reads its own entities only (another's is NOT_FOUND).
                acces::verifier(&mut conn, principal, id, Acces::Lecture).await?;
                Portee::DeLEntite(id)
            }
            (None, Principal::Entreprise { compte_id }) => Portee::DuCompte(compte_id),
            (None, Principal::Agent { .. }) => Portee::Toutes,
            (None, Principal::Anonyme) => return Err(AppError::unauthenticated()),
        };
        if filtre.en_retard == Some(true) {
            if filtre.statut.is_some() {
                return Err(AppError::bad_input(
                    "filtre.statut",
                    "Le filtre enRetard liste des entités sans rapport : il ne se combine pas \
                     avec un statut.",
                ));
            }
            let annee = filtre
                .annee
                .unwrap_or_else(|| derniere_campagne_close(aujourd_hui));
            // Nobody is late before the deadline.
            let (rows, total) = if aujourd_hui > date_limite(annee) {
                let rows = rapports_activite::page_sans_rapport(
                    &mut conn,
                    portee,
                    annee,
                    demande.apres.map(|c| (c.created_at, c.id)),
                    demande.limite_lecture(),
                )
                .await?;
                let total = rapports_activite::count_sans_rapport(&mut conn, portee, annee).await?;
                (rows, total)
            } else {
                (Vec::new(), 0)
            };
            return Ok(pagination::page(
                &demande,
                rows,
                total,
                |e| CleChronologique {
                    created_at: e.created_at,
                    id: e.id,
                },
                |entite| SuiviRapportActivite {
                    entite,
                    annee,
                    rapport: None,
                    en_retard: true,
                },
            ));
        }
        let rows = rapports_activite::page(
            &mut conn,
            portee,
            filtre.annee,
            filtre.statut,
            demande.apres.map(|c| (c.created_at, c.id)),
            demande.limite_lecture(),
        )
        .await?;
        let total =
            rapports_activite::count(&mut conn, portee, filtre.annee, filtre.statut).await?;
        // A report sent back after the deadline leaves its entity late unless another one
        // waits or was accepted.
        let mut lignes = Vec::with_capacity(rows.len());
        for (rapport, entite) in rows {
            let en_retard = rapport.statut == StatutRapportActivite::ACorriger
                && aujourd_hui > date_limite(rapport.annee)
                && rapports_activite::depose(&mut conn, rapport.entite_id, rapport.annee)
                    .await?
                    .is_none();
            lignes.push((rapport, entite, en_retard));
        }
        Ok(pagination::page(
            &demande,
            lignes,
            total,
            |(r, _, _)| CleChronologique {
                created_at: r.created_at,
                id: r.id,
            },
            |(rapport, entite, en_retard)| SuiviRapportActivite {
                annee: rapport.annee,
                entite,
                rapport: Some(rapport),
                en_retard,
            },
        ))
    }
}

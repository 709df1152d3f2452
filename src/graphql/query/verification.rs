//! The verification of dossiers, read: the calling agent's basket, what waits for the calling
//! N+1, and a dossier's history.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::verification::historique;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::pagination::{self, Demande, Page};
use crate::graphql::types::{Assignation, LigneHistorique, uuid_de};
use crate::models::assignations_demandes;
use crate::models::enums::RoleUtilisateur;

/// The sort key of the basket: the most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct CleEcheance {
    #[serde(rename = "e")]
    echeance: NaiveDate,
    id: Uuid,
}

/// The sort key of the N+1's list: its own subordinates' work first, then the oldest treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct CleValidation {
    #[serde(rename = "a")]
    autre: bool,
    #[serde(rename = "t")]
    traite_le: DateTime<Utc>,
    id: Uuid,
}

#[derive(Default)]
pub struct VerificationQuery;

#[Object]
impl VerificationQuery {
    /// Le panier de l'agent appelant : ses assignations ouvertes (en cours, renvoyées, en
    /// retard ou traitées en attente de validation), la plus proche échéance d'abord.
    /// `first` : 20 par défaut, 100 au plus. Réservé aux éditeurs et au-delà.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn panier(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<Assignation>> {
        let (agent_id, _) = ctx.require_role(RoleUtilisateur::Editeur)?;
        let demande = Demande::<CleEcheance>::avec_cle(first, after.as_deref())?;
        let mut conn = ctx.app().pool.get().await?;
        let rows = assignations_demandes::page_du_panier(
            &mut conn,
            agent_id,
            demande.apres.map(|c| (c.echeance, c.id)),
            demande.limite_lecture(),
        )
        .await?;
        let total = assignations_demandes::count_du_panier(&mut conn, agent_id).await?;
        Ok(pagination::page(
            &demande,
            rows,
            total,
            |(a, _)| CleEcheance {
                echeance: a.echeance,
                id: a.id,
            },
            |(a, e)| Assignation::autorisee(a, Some(e)),
        ))
    }

    /// Les traitements qui attendent la validation de l'administrateur appelant : ceux des
    /// agents dont il est le supérieur d'abord, puis ceux des autres agents (tout
    /// administrateur peut valider), du plus anciennement traité au plus récent ; jamais un
    /// traitement qu'il a fait lui-même. `first` : 20 par défaut, 100 au plus. Réservé aux
    /// administrateurs.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn validations_en_attente(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<Assignation>> {
        let (validateur, _) = ctx.require_role(RoleUtilisateur::Admin)?;
        let demande = Demande::<CleValidation>::avec_cle(first, after.as_deref())?;
        let mut conn = ctx.app().pool.get().await?;
        let rows = assignations_demandes::page_en_attente_validation(
            &mut conn,
            validateur,
            demande.apres.map(|c| (c.autre, c.traite_le, c.id)),
            demande.limite_lecture(),
        )
        .await?;
        let total =
            assignations_demandes::count_en_attente_validation(&mut conn, validateur).await?;
        Ok(pagination::page(
            &demande,
            rows,
            total,
            |(a, _, autre)| CleValidation {
                autre: *autre,
                // Set with the `traite_attente_validation` status (a CHECK of the table).
                traite_le: a.traite_le.unwrap_or(a.updated_at),
                id: a.id,
            },
            |(a, e, _)| Assignation::autorisee(a, Some(e)),
        ))
    }

    /// L'historique des statuts d'un dossier, dans l'ordre où il s'est écrit : pour
    /// l'entreprise propriétaire, les changements de statut du dossier, de sa conformité et de
    /// ses renouvellements, les agents apparaissant comme « ARTCI » ; pour les agents de
    /// l'ARTCI, toutes les lignes, assignations comprises, avec le nom de chacun.
    async fn historique(
        &self,
        ctx: &Context<'_>,
        entite_id: ID,
    ) -> AppResult<Vec<LigneHistorique>> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&entite_id, "entiteId")?;
        let mut conn = ctx.app().pool.get().await?;
        historique::historique(&mut conn, principal, entite_id)
            .await?
            .into_iter()
            .map(LigneHistorique::try_from)
            .collect()
    }
}

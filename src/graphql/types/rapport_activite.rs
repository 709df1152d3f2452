//! The correspondant's annual activity report (`rapports_activite`), as the company owning
//! the entity and ARTCI staff see it; who at ARTCI reviewed it is for staff only. And the line
//! of the list `rapportsActivite`: a report, or an entity late with its report.

use async_graphql::{Context, ID, Object};

use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::verification::agent;
use crate::graphql::types::{Agent, DateTime, DocumentJoint, Entite};
use crate::models;
use crate::models::documents_joints;
use crate::models::enums::StatutRapportActivite;

/// Un rapport annuel d'activité du correspondant, sur une année. Visible de l'entreprise
/// propriétaire de l'entité et des agents de l'ARTCI.
pub struct RapportActivite {
    rapport: models::RapportActivite,
    entite: models::EntiteBase,
}

impl RapportActivite {
    /// Only for a report the caller may read: of its own entity, or any for staff.
    pub fn autorise(rapport: models::RapportActivite, entite: models::EntiteBase) -> Self {
        Self { rapport, entite }
    }
}

#[Object]
impl RapportActivite {
    async fn id(&self) -> ID {
        ID(self.rapport.id.to_string())
    }

    /// L'année sur laquelle porte le rapport (remis au plus tard le 31 mars suivant).
    async fn annee(&self) -> i32 {
        self.rapport.annee
    }

    /// `SOUMIS` jusqu'à l'examen de l'ARTCI, puis `ACCEPTE` ou `A_CORRIGER`.
    async fn statut(&self) -> StatutRapportActivite {
        self.rapport.statut
    }

    async fn date_depot(&self) -> DateTime {
        self.rapport.date_depot.into()
    }

    async fn date_examen(&self) -> Option<DateTime> {
        self.rapport.date_examen.map(Into::into)
    }

    /// Le commentaire de l'ARTCI (toujours présent pour `A_CORRIGER`).
    async fn commentaire(&self) -> Option<&str> {
        self.rapport.commentaire.as_deref()
    }

    /// Le fichier déposé (type `RAPPORT_ACTIVITE`).
    async fn document(&self, ctx: &Context<'_>) -> AppResult<Option<DocumentJoint>> {
        let mut conn = ctx.app().pool.get().await?;
        Ok(
            documents_joints::find_by_id(&mut conn, self.rapport.document_id)
                .await?
                .map(DocumentJoint),
        )
    }

    async fn entite(&self) -> Entite {
        Entite::autorisee(self.entite.clone())
    }

    /// L'agent qui a examiné le rapport (`null` tant qu'il attend). Réservé aux agents de
    /// l'ARTCI.
    async fn examine_par(&self, ctx: &Context<'_>) -> AppResult<Option<Agent>> {
        ctx.require_staff()?;
        match self.rapport.examine_par {
            Some(id) => agent(ctx, id).await,
            None => Ok(None),
        }
    }
}

/// Une ligne de la liste `rapportsActivite` : un rapport déposé (`rapport` renseigné) ou,
/// avec le filtre `enRetard`, une entité approuvée sans rapport en attente ni accepté pour la
/// campagne close (`rapport` vide, `enRetard` vrai).
pub struct SuiviRapportActivite {
    pub entite: models::EntiteBase,
    pub annee: i32,
    pub rapport: Option<models::RapportActivite>,
    pub en_retard: bool,
}

#[Object]
impl SuiviRapportActivite {
    async fn entite(&self) -> Entite {
        Entite::autorisee(self.entite.clone())
    }

    /// L'année du rapport attendu ou déposé.
    async fn annee(&self) -> i32 {
        self.annee
    }

    /// Le rapport déposé ; `null` pour une entité en retard.
    async fn rapport(&self) -> Option<RapportActivite> {
        self.rapport
            .clone()
            .map(|r| RapportActivite::autorise(r, self.entite.clone()))
    }

    /// `true` : la date limite (31 mars) est passée sans rapport en attente ni accepté.
    async fn en_retard(&self) -> bool {
        self.en_retard
    }
}

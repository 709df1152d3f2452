//! A renewal request (`renouvellements`), as the company owning the entity and ARTCI staff
//! see it; who at ARTCI decided is for staff only.

use crate::graphql::types::{Date, DateTime};
use async_graphql::{Context, ID, Object};

use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::verification::agent;
use crate::graphql::types::{Agent, Entite};
use crate::models;
use crate::models::enums::StatutRenouvellement;

/// Une demande de renouvellement d'agrément. Visible de l'entreprise propriétaire de l'entité
/// et des agents de l'ARTCI.
pub struct Renouvellement {
    renouvellement: models::Renouvellement,
    entite: models::EntiteBase,
}

impl Renouvellement {
    /// Only for a renewal the caller may read: of its own entity, or any for staff.
    pub fn autorise(renouvellement: models::Renouvellement, entite: models::EntiteBase) -> Self {
        Self {
            renouvellement,
            entite,
        }
    }
}

#[Object]
impl Renouvellement {
    async fn id(&self) -> ID {
        ID(self.renouvellement.id.to_string())
    }

    /// `EN_ATTENTE` jusqu'à la décision de l'ARTCI, puis `APPROUVE` ou `REJETE`.
    async fn statut(&self) -> StatutRenouvellement {
        self.renouvellement.statut
    }

    async fn date_demande(&self) -> DateTime {
        self.renouvellement.date_demande.into()
    }

    /// La fin de l'agrément au moment de la demande.
    async fn date_expiration_agrement(&self) -> Date {
        self.renouvellement.date_expiration_agrement.into()
    }

    /// La nouvelle fin de l'agrément, une fois la demande approuvée.
    async fn nouvelle_date_expiration(&self) -> Option<Date> {
        self.renouvellement.nouvelle_date_expiration.map(Into::into)
    }

    /// Le motif donné par l'entreprise.
    async fn motif(&self) -> Option<&str> {
        self.renouvellement.motif.as_deref()
    }

    async fn date_traitement(&self) -> Option<DateTime> {
        self.renouvellement.date_traitement.map(Into::into)
    }

    /// Le commentaire de l'ARTCI (toujours présent pour un rejet).
    async fn commentaire(&self) -> Option<&str> {
        self.renouvellement.commentaire.as_deref()
    }

    /// L'entité dont l'agrément est à renouveler.
    async fn entite(&self) -> Entite {
        Entite::autorisee(self.entite.clone())
    }

    /// L'administrateur qui a décidé (`null` en attente, ou clos par le système à
    /// l'expiration). Réservé aux agents de l'ARTCI.
    async fn traite_par(&self, ctx: &Context<'_>) -> AppResult<Option<Agent>> {
        ctx.require_staff()?;
        match self.renouvellement.traite_par {
            Some(id) => agent(ctx, id).await,
            None => Ok(None),
        }
    }
}

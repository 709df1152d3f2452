//! A claim (`demandes_rapprochement`), as its claimant and ARTCI staff see it. Before the
//! approval the claimant is not the entity's owner: it sees the entity's denomination and city
//! only, never its dossier, and the proof and the claimant's e-mail are for staff.

use crate::graphql::types::DateTime;
use async_graphql::{Context, ID, Object, SimpleObject};

use crate::auth::Principal;
use crate::domain::rapprochement;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::{DocumentJoint, Entite};
use crate::models;
use crate::models::documents_joints;
use crate::models::enums::StatutRapprochement;

/// Ce qu'une entreprise apprend d'une entité saisie par l'ARTCI et non encore rattachée :
/// sa dénomination et sa ville, rien d'autre.
#[derive(SimpleObject)]
pub struct EntiteARapprocher {
    pub denomination: String,
    pub ville: Option<String>,
}

impl From<rapprochement::EntiteARapprocher> for EntiteARapprocher {
    fn from(e: rapprochement::EntiteARapprocher) -> Self {
        Self {
            denomination: e.denomination,
            ville: e.ville,
        }
    }
}

/// Une demande de rapprochement : une entreprise demande à se voir rattacher une entité saisie
/// par l'ARTCI. Visible de l'entreprise qui l'a faite et des administrateurs de l'ARTCI.
pub struct DemandeRapprochement {
    demande: models::DemandeRapprochement,
    entite: models::EntiteBase,
}

impl DemandeRapprochement {
    /// Only for a claim the caller may read: its claimant's, or any for staff. Its nested
    /// fields then check what this caller may see of it.
    pub fn autorisee(demande: models::DemandeRapprochement, entite: models::EntiteBase) -> Self {
        Self { demande, entite }
    }

    fn personnel(ctx: &Context<'_>) -> AppResult<()> {
        ctx.require_staff().map(drop)
    }
}

#[Object]
impl DemandeRapprochement {
    async fn id(&self) -> ID {
        ID(self.demande.id.to_string())
    }

    /// Le NCC de l'entité demandée, tel que l'entreprise l'a saisi (normalisé).
    async fn numero_cc(&self) -> &str {
        &self.demande.numero_cc
    }

    async fn raison_demande(&self) -> &str {
        &self.demande.raison_demande
    }

    async fn statut(&self) -> StatutRapprochement {
        self.demande.statut
    }

    /// Quand l'ARTCI a accepté ou rejeté la demande.
    async fn date_traitement(&self) -> Option<DateTime> {
        self.demande.date_traitement.map(Into::into)
    }

    /// Le commentaire de l'ARTCI (toujours présent pour un rejet).
    async fn commentaire_artci(&self) -> Option<&str> {
        self.demande.commentaire_artci.as_deref()
    }

    async fn created_at(&self) -> DateTime {
        self.demande.created_at.into()
    }

    /// La dénomination et la ville de l'entité demandée.
    async fn entite(&self) -> EntiteARapprocher {
        EntiteARapprocher {
            denomination: self.entite.denomination.clone(),
            ville: self.entite.ville.clone(),
        }
    }

    /// Le dossier complet de l'entité : pour les agents de l'ARTCI, et pour l'entreprise une
    /// fois l'entité rattachée à son compte ; `null` sinon.
    async fn dossier(&self, ctx: &Context<'_>) -> AppResult<Option<Entite>> {
        let visible = match ctx.principal()? {
            Principal::Agent { .. } => true,
            Principal::Entreprise { compte_id } => {
                self.entite.compte_entreprise_id == Some(compte_id)
            }
            Principal::Anonyme => false,
        };
        Ok(visible.then(|| Entite::autorisee(self.entite.clone())))
    }

    /// L'adresse e-mail du compte demandeur. Réservé aux agents de l'ARTCI.
    async fn email_demandeur(&self, ctx: &Context<'_>) -> AppResult<&str> {
        Self::personnel(ctx)?;
        Ok(&self.demande.email_demandeur)
    }

    /// Le justificatif joint à la demande (`null` s'il a été supprimé). Réservé aux agents de
    /// l'ARTCI, qui seuls peuvent le télécharger.
    async fn preuve(&self, ctx: &Context<'_>) -> AppResult<Option<DocumentJoint>> {
        Self::personnel(ctx)?;
        let Some(id) = self.demande.document_preuve_id else {
            return Ok(None);
        };
        let mut conn = ctx.app().pool.get().await?;
        Ok(documents_joints::find_by_id(&mut conn, id)
            .await?
            .map(DocumentJoint))
    }
}

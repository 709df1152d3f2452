//! An attached document (`documents_joints`): its metadata, never its storage key.

use crate::auth::Principal;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::verification;
use crate::graphql::types::{Agent, DateTime};
use async_graphql::{Context, ID, Object};

use crate::models;
use crate::models::enums::{StatutVerificationDocument, TypeDocument};

/// Une pièce jointe au dossier d'une entité. Le fichier se télécharge à `urlTelechargement`.
pub struct DocumentJoint(pub models::DocumentJoint);

#[Object]
impl DocumentJoint {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn entite_id(&self) -> ID {
        ID(self.0.entite_id.to_string())
    }

    async fn type_document(&self) -> TypeDocument {
        self.0.type_document
    }

    /// Le nom du fichier déposé, sans chemin.
    async fn nom_fichier(&self) -> &str {
        &self.0.nom_fichier
    }

    async fn taille_octets(&self) -> i32 {
        self.0.taille_octets
    }

    /// Le type détecté à partir du contenu (PDF, PNG ou JPEG).
    async fn mime_type(&self) -> &str {
        &self.0.mime_type
    }

    /// L'empreinte SHA-256 du contenu, en hexadécimal minuscule.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }

    async fn statut_verification(&self) -> StatutVerificationDocument {
        self.0.statut_verification
    }

    async fn motif_rejet(&self) -> Option<&str> {
        self.0.motif_rejet.as_deref()
    }

    async fn est_public(&self) -> bool {
        self.0.est_public
    }

    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// Le chemin de téléchargement (`GET`, avec le même `Authorization` que pour l'API).
    async fn url_telechargement(&self) -> String {
        format!("/documents/{}", self.0.id)
    }

    /// Vrai pour un document déposé ou délivré par l'ARTCI, faux pour un dépôt de
    /// l'entreprise.
    async fn depose_par_artci(&self) -> bool {
        self.0.depose_par_user_id.is_some()
    }

    /// L'agent qui l'a déposé ; pour les agents seulement (null pour l'entreprise).
    async fn depose_par(&self, ctx: &Context<'_>) -> AppResult<Option<Agent>> {
        match (ctx.principal()?, self.0.depose_par_user_id) {
            (Principal::Agent { .. }, Some(id)) => verification::agent(ctx, id).await,
            _ => Ok(None),
        }
    }

    /// L'agent qui l'a examiné ; pour les agents seulement.
    async fn verifie_par(&self, ctx: &Context<'_>) -> AppResult<Option<Agent>> {
        match (ctx.principal()?, self.0.verifie_par) {
            (Principal::Agent { .. }, Some(id)) => verification::agent(ctx, id).await,
            _ => Ok(None),
        }
    }

    async fn verifie_le(&self) -> Option<DateTime> {
        self.0.verifie_le.map(Into::into)
    }

    /// Vrai quand un document plus récent l'a remplacé (il reste dans l'historique).
    async fn remplace(&self) -> bool {
        self.0.remplace_par_id.is_some()
    }

    /// Le document qui l'a remplacé.
    async fn remplace_par_id(&self) -> Option<ID> {
        self.0.remplace_par_id.map(|id| ID(id.to_string()))
    }

    async fn remplace_le(&self) -> Option<DateTime> {
        self.0.remplace_le.map(Into::into)
    }

    /// Faux pour un document de l'ARTCI que l'entreprise ne voit pas.
    async fn visible_entreprise(&self) -> bool {
        self.0.visible_entreprise
    }
}

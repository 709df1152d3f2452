//! A company account (`comptes_entreprises`), as its owner and ARTCI staff see it.

use crate::graphql::types::DateTime;
use async_graphql::{ID, Object};

use crate::models;
use crate::models::enums::{MotifRejetInscription, Region, StatutInscription};

/// Un compte entreprise (table `comptes_entreprises`).
pub struct CompteEntreprise(pub models::CompteEntreprise);

#[Object]
impl CompteEntreprise {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn denomination(&self) -> &str {
        &self.0.denomination
    }

    /// Numéro de compte contribuable (NCC).
    async fn numero_cc(&self) -> &str {
        &self.0.numero_cc
    }

    async fn telephone(&self) -> Option<&str> {
        self.0.telephone.as_deref()
    }

    async fn adresse(&self) -> Option<&str> {
        self.0.adresse.as_deref()
    }

    async fn ville(&self) -> Option<&str> {
        self.0.ville.as_deref()
    }

    async fn region(&self) -> Option<Region> {
        self.0.region
    }

    async fn email_verifie(&self) -> bool {
        self.0.email_verifie
    }

    async fn est_actif(&self) -> bool {
        self.0.est_actif
    }

    async fn statut_inscription(&self) -> StatutInscription {
        self.0.statut_inscription
    }

    /// Le motif d'un rejet d'inscription, quand il y en a un.
    async fn motif_rejet_code(&self) -> Option<MotifRejetInscription> {
        self.0.motif_rejet_code
    }

    /// Le commentaire de l'ARTCI accompagnant un rejet.
    async fn motif_rejet(&self) -> Option<&str> {
        self.0.motif_rejet.as_deref()
    }

    /// Quand l'inscription a été validée.
    async fn inscription_validee_le(&self) -> Option<DateTime> {
        self.0.inscription_validee_le.map(Into::into)
    }

    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }
}

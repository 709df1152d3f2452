//! An ARTCI staff user (`users`).

use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};

use crate::models;
use crate::models::enums::RoleUtilisateur;

/// Un agent de l'ARTCI (table `users`).
pub struct Agent(pub models::User);

#[Object]
impl Agent {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn nom(&self) -> &str {
        &self.0.nom
    }

    async fn prenom(&self) -> &str {
        &self.0.prenom
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn role(&self) -> RoleUtilisateur {
        self.0.role
    }

    async fn est_actif(&self) -> bool {
        self.0.est_actif
    }

    async fn derniere_connexion(&self) -> Option<DateTime<Utc>> {
        self.0.derniere_connexion
    }
}

//! `demandes_rapprochement`: an account's claims on entities entered by ARTCI.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::StatutRapprochement;
use crate::schema::demandes_rapprochement;

/// A claim by a company account on an unclaimed entity; one pending per (entity, account).
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = demandes_rapprochement, check_for_backend(diesel::pg::Pg))]
pub struct DemandeRapprochement {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub compte_entreprise_id: Uuid,
    pub email_demandeur: String,
    pub numero_cc: String,
    /// The proof, visible to staff only.
    pub document_preuve_id: Option<Uuid>,
    pub raison_demande: String,
    pub statut: StatutRapprochement,
    pub traite_par: Option<Uuid>,
    pub date_traitement: Option<DateTime<Utc>>,
    /// Required when the claim is rejected.
    pub commentaire_artci: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

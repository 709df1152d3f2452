//! `certifications_securite`: the security certifications an entity holds.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::NomCertification;
use crate::schema::certifications_securite;

/// A certification, with an optional supporting document.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = certifications_securite, check_for_backend(diesel::pg::Pg))]
pub struct CertificationSecurite {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub nom: NomCertification,
    pub organisme: Option<String>,
    pub numero: Option<String>,
    pub date_obtention: Option<NaiveDate>,
    pub date_expiration: Option<NaiveDate>,
    pub document_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Rank in the form's list (0 = first).
    pub ordre: i32,
}

/// A security certification as the company declares it.
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = certifications_securite, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct LigneCertification {
    pub entite_id: Uuid,
    pub nom: NomCertification,
    pub organisme: Option<String>,
    pub numero: Option<String>,
    pub date_obtention: Option<NaiveDate>,
    pub date_expiration: Option<NaiveDate>,
    pub document_id: Option<Uuid>,
    pub ordre: i32,
}

liste_d_entite!(
    certifications_securite,
    CertificationSecurite,
    LigneCertification,
    [
        nom,
        organisme,
        numero,
        date_obtention,
        date_expiration,
        document_id,
        ordre,
    ]
);

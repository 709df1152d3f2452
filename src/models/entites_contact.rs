//! `entites_contact`: an entity's legal representative and public contact details.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schema::entites_contact;

/// Contact details of an entity (1:1 with `entites_base`).
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = entites_contact, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct EntiteContact {
    pub entite_id: Uuid,
    pub representant_nom: Option<String>,
    pub representant_fonction: Option<String>,
    pub representant_email: Option<String>,
    pub representant_telephone: Option<String>,
    pub site_web: Option<String>,
    pub email_public: Option<String>,
    pub telephone_public: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

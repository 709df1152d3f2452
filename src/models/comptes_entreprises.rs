//! `comptes_entreprises`: the accounts of the organisations that declare their processing.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::models::enums::{MotifRejetInscription, Region, StatutInscription};
use crate::schema::comptes_entreprises;

/// A company account: signs up, verifies its e-mail, is vetted by ARTCI, files dossiers.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = comptes_entreprises, check_for_backend(diesel::pg::Pg))]
pub struct CompteEntreprise {
    pub id: Uuid,
    /// Stored lower-cased and trimmed.
    pub email: String,
    pub password_hash: String,
    pub denomination: String,
    /// NCC: 7 digits and an upper-case letter.
    pub numero_cc: String,
    pub telephone: Option<String>,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub region: Option<Region>,
    pub email_verifie: bool,
    pub est_actif: bool,
    pub statut_inscription: StatutInscription,
    /// Required when `statut_inscription` is `rejetee`.
    pub motif_rejet_code: Option<MotifRejetInscription>,
    pub motif_rejet: Option<String>,
    pub inscription_validee_par: Option<Uuid>,
    pub inscription_validee_le: Option<DateTime<Utc>>,
    pub derniere_connexion: Option<DateTime<Utc>>,
    pub tentatives_connexion_echouees: i32,
    pub verrouille_jusqu_a: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub password_last_changed: Option<DateTime<Utc>>,
    pub password_expires_at: Option<DateTime<Utc>>,
}

/// The account with this id.
pub async fn find_by_id(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<CompteEntreprise>> {
    comptes_entreprises::table
        .find(id)
        .select(CompteEntreprise::as_select())
        .first(conn)
        .await
        .optional()
}

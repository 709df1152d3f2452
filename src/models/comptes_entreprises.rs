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
/// The account, locked until the end of the caller's transaction (creations by one account
/// are then counted one after the other).
pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<CompteEntreprise>> {
    comptes_entreprises::table
        .find(id)
        .select(CompteEntreprise::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

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

// --- Vetting of sign-ups and password-expiry warnings -------------------------------------

use diesel::PgExpressionMethods;

use crate::models::users::PalierAvertissement;

/// The account with this id, its row locked until the end of the transaction.
pub async fn find_by_id_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<CompteEntreprise>> {
    comptes_entreprises::table
        .find(id)
        .select(CompteEntreprise::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Accounts waiting for vetting whose e-mail is verified, up to `limite`, oldest first,
/// after the key `apres` (created_at, id).
pub async fn en_attente_verifies(
    conn: &mut AsyncPgConnection,
    apres: Option<(DateTime<Utc>, Uuid)>,
    limite: i64,
) -> QueryResult<Vec<CompteEntreprise>> {
    let mut query = comptes_entreprises::table
        .filter(comptes_entreprises::statut_inscription.eq(StatutInscription::EnAttente))
        .filter(comptes_entreprises::email_verifie.eq(true))
        .select(CompteEntreprise::as_select())
        .into_boxed();
    if let Some((created_at, id)) = apres {
        query = query.filter(
            comptes_entreprises::created_at
                .gt(created_at)
                .or(comptes_entreprises::created_at
                    .eq(created_at)
                    .and(comptes_entreprises::id.gt(id))),
        );
    }
    query
        .order((
            comptes_entreprises::created_at.asc(),
            comptes_entreprises::id.asc(),
        ))
        .limit(limite)
        .load(conn)
        .await
}

/// How many accounts wait for vetting with a verified e-mail.
pub async fn count_en_attente_verifies(conn: &mut AsyncPgConnection) -> QueryResult<i64> {
    comptes_entreprises::table
        .filter(comptes_entreprises::statut_inscription.eq(StatutInscription::EnAttente))
        .filter(comptes_entreprises::email_verifie.eq(true))
        .count()
        .get_result(conn)
        .await
}

/// ARTCI's decision on a sign-up: every column is written (`None` clears it).
#[derive(AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = comptes_entreprises, treat_none_as_null = true)]
pub struct DecisionInscription {
    pub statut_inscription: StatutInscription,
    pub motif_rejet_code: Option<MotifRejetInscription>,
    pub motif_rejet: Option<String>,
    pub inscription_validee_par: Option<Uuid>,
    pub inscription_validee_le: Option<DateTime<Utc>>,
}

/// Writes a vetting decision and returns the account.
pub async fn record_decision(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    decision: &DecisionInscription,
) -> QueryResult<CompteEntreprise> {
    diesel::update(comptes_entreprises::table.find(id))
        .set(decision)
        .returning(CompteEntreprise::as_returning())
        .get_result(conn)
        .await
}

/// Accounts that can be mailed (active, e-mail verified, not rejected) whose password
/// expires in `(de, a]` and that have not had the `palier` warning for that expiry yet; at
/// most `limite`, soonest expiry first.
pub async fn password_warnings_due(
    conn: &mut AsyncPgConnection,
    palier: PalierAvertissement,
    de: DateTime<Utc>,
    a: DateTime<Utc>,
    limite: i64,
) -> QueryResult<Vec<CompteEntreprise>> {
    let query = comptes_entreprises::table
        .filter(comptes_entreprises::est_actif.eq(true))
        .filter(comptes_entreprises::email_verifie.eq(true))
        .filter(comptes_entreprises::statut_inscription.ne(StatutInscription::Rejetee))
        .filter(comptes_entreprises::password_expires_at.gt(de))
        .filter(comptes_entreprises::password_expires_at.le(a))
        .select(CompteEntreprise::as_select())
        .order((
            comptes_entreprises::password_expires_at.asc(),
            comptes_entreprises::id.asc(),
        ))
        .limit(limite)
        .into_boxed();
    match palier {
        PalierAvertissement::J15 => query.filter(
            comptes_entreprises::avertissement_j15_echeance
                .is_distinct_from(comptes_entreprises::password_expires_at),
        ),
        PalierAvertissement::J7 => query.filter(
            comptes_entreprises::avertissement_j7_echeance
                .is_distinct_from(comptes_entreprises::password_expires_at),
        ),
    }
    .load(conn)
    .await
}

/// Records that the `palier` warning for the expiry `echeance` was sent; `false` when the
/// password changed meanwhile or the warning was already recorded.
pub async fn record_password_warning(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    palier: PalierAvertissement,
    echeance: DateTime<Utc>,
) -> QueryResult<bool> {
    let cible = comptes_entreprises::table
        .filter(comptes_entreprises::id.eq(id))
        .filter(comptes_entreprises::password_expires_at.eq(echeance));
    match palier {
        PalierAvertissement::J15 => {
            diesel::update(
                cible.filter(
                    comptes_entreprises::avertissement_j15_echeance.is_distinct_from(echeance),
                ),
            )
            .set(comptes_entreprises::avertissement_j15_echeance.eq(echeance))
            .execute(conn)
            .await
        }
        PalierAvertissement::J7 => {
            diesel::update(
                cible.filter(
                    comptes_entreprises::avertissement_j7_echeance.is_distinct_from(echeance),
                ),
            )
            .set(comptes_entreprises::avertissement_j7_echeance.eq(echeance))
            .execute(conn)
            .await
        }
    }
    .map(|n| n == 1)
}

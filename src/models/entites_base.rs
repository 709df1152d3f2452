//! `entites_base`: an organisation responsible for processing, the root of its dossier.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::{OrigineSaisie, Region, SecteurActivite};
use crate::schema::entites_base;

/// The identity of an entity; its other parts hang off `id`.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = entites_base, check_for_backend(diesel::pg::Pg))]
pub struct EntiteBase {
    pub id: Uuid,
    /// `None`: entered by ARTCI and not yet claimed by an account.
    pub compte_entreprise_id: Option<Uuid>,
    pub numero_cc: String,
    pub denomination: String,
    pub sigle: Option<String>,
    pub forme_juridique: Option<String>,
    pub secteur_activite: SecteurActivite,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub commune: Option<String>,
    pub region: Region,
    pub telephone: Option<String>,
    pub email: Option<String>,
    pub origine_saisie: OrigineSaisie,
    /// Kept by the database: true exactly while the workflow statut is `publie`.
    pub publie_sur_carte: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::models::enums::StatutWorkflow;
use crate::schema::entites_workflow;

/// The entity with this id and its workflow status (`None` when its workflow row is missing).
pub async fn find_with_statut(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<(EntiteBase, Option<StatutWorkflow>)>> {
    entites_base::table
        .left_join(entites_workflow::table)
        .filter(entites_base::id.eq(id))
        .select((EntiteBase::as_select(), entites_workflow::statut.nullable()))
        .first(conn)
        .await
        .optional()
}

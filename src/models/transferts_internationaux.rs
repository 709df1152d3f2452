//! `transferts_internationaux`: transfers of data outside Côte d'Ivoire.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::StatutAutorisationTransfert;
use crate::schema::transferts_internationaux;

/// A transfer abroad and where its authorisation stands.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = transferts_internationaux, check_for_backend(diesel::pg::Pg))]
pub struct TransfertInternational {
    pub id: Uuid,
    pub entite_id: Uuid,
    /// ISO 3166-1 alpha-2.
    pub pays_destination: String,
    pub est_cedeao: bool,
    pub organisme_destinataire: Option<String>,
    pub finalite: Option<String>,
    pub categories: Option<String>,
    pub base_juridique: Option<String>,
    pub garanties: Option<String>,
    pub statut_autorisation: StatutAutorisationTransfert,
    /// ARTCI's decision number, e.g. `2016-0113`.
    pub numero_decision: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Rank in the form's list (0 = first).
    pub ordre: i32,
}

/// A transfer abroad as the company declares it (`est_cedeao` is computed from the country).
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = transferts_internationaux, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct LigneTransfert {
    pub entite_id: Uuid,
    pub pays_destination: String,
    pub est_cedeao: bool,
    pub organisme_destinataire: Option<String>,
    pub finalite: Option<String>,
    pub categories: Option<String>,
    pub base_juridique: Option<String>,
    pub garanties: Option<String>,
    pub statut_autorisation: StatutAutorisationTransfert,
    pub numero_decision: Option<String>,
    pub ordre: i32,
}

liste_d_entite!(
    transferts_internationaux,
    TransfertInternational,
    LigneTransfert,
    [
        pays_destination,
        est_cedeao,
        organisme_destinataire,
        finalite,
        categories,
        base_juridique,
        garanties,
        statut_autorisation,
        numero_decision,
        ordre,
    ]
);

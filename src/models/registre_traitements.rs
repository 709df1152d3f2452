//! `registre_traitements`: the register of processing activities.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::{BaseLegale, StatutTraitement, TypeFormalite};
use crate::schema::registre_traitements;

/// One processing activity of an entity.
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = registre_traitements, check_for_backend(diesel::pg::Pg))]
pub struct RegistreTraitement {
    pub id: Uuid,
    pub entite_id: Uuid,
    pub nom: String,
    pub finalite: Option<String>,
    pub base_legale: Option<BaseLegale>,
    pub categories_personnes: Option<String>,
    pub duree_conservation: Option<String>,
    pub destinataires: Option<String>,
    pub transfert_hors_ci: bool,
    pub regime: Option<TypeFormalite>,
    pub statut: StatutTraitement,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Rank in the form's list (0 = first).
    pub ordre: i32,
}

/// A processing activity as the company declares it (`regime` is ARTCI's qualification: a save
/// never writes it).
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = registre_traitements, treat_none_as_null = true, check_for_backend(diesel::pg::Pg))]
pub struct LigneTraitement {
    pub entite_id: Uuid,
    pub nom: String,
    pub finalite: Option<String>,
    pub base_legale: Option<BaseLegale>,
    pub categories_personnes: Option<String>,
    pub duree_conservation: Option<String>,
    pub destinataires: Option<String>,
    pub transfert_hors_ci: bool,
    pub statut: StatutTraitement,
    pub ordre: i32,
}

liste_d_entite!(
    registre_traitements,
    RegistreTraitement,
    LigneTraitement,
    [
        nom,
        finalite,
        base_legale,
        categories_personnes,
        duree_conservation,
        destinataires,
        transfert_hors_ci,
        statut,
        ordre,
    ]
);

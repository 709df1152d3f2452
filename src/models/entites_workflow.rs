//! `entites_workflow`: the state of an entity's compliance dossier.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::models::enums::{StatutWorkflow, TypeFormalite};
use crate::schema::entites_workflow;

/// Where a dossier stands (1:1 with `entites_base`).
#[derive(Queryable, Selectable, Identifiable, Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = entites_workflow, primary_key(entite_id), check_for_backend(diesel::pg::Pg))]
pub struct EntiteWorkflow {
    pub entite_id: Uuid,
    pub statut: StatutWorkflow,
    pub type_formalite: Option<TypeFormalite>,
    pub numero_recepisse: Option<String>,
    pub numero_autorisation_artci: Option<String>,
    pub date_soumission: Option<DateTime<Utc>>,
    pub date_limite_decision: Option<NaiveDate>,
    pub date_validation: Option<DateTime<Utc>>,
    /// End of the approval's validity.
    pub date_expiration: Option<NaiveDate>,
    pub date_publication: Option<DateTime<Utc>>,
    pub date_rejet: Option<DateTime<Utc>>,
    pub motif_rejet: Option<String>,
    /// The staff member who entered the entity (`None`: created by its account).
    pub created_by: Option<Uuid>,
    /// The agent of the open assignment.
    pub assigned_to: Option<Uuid>,
    /// Optimistic lock: every save takes the version it read and stores the next one.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The submission (its `date_soumission`) whose decision deadline was extended.
    pub delai_prolonge_pour: Option<DateTime<Utc>>,
    /// The reason of that extension.
    pub motif_prolongation: Option<String>,
}

impl EntiteWorkflow {
    /// The reason of the extension of the current submission's deadline, if it was extended.
    pub fn prolongation_en_cours(&self) -> Option<&str> {
        match (self.date_soumission, self.delai_prolonge_pour) {
            (Some(soumission), Some(pour)) if soumission == pour => {
                self.motif_prolongation.as_deref()
            }
            _ => None,
        }
    }
}

use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// The workflow row of a new entity: version 1.
#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = entites_workflow, check_for_backend(diesel::pg::Pg))]
pub struct NouveauWorkflow {
    pub entite_id: Uuid,
    pub statut: StatutWorkflow,
    pub created_by: Option<Uuid>,
}

pub async fn insert(conn: &mut AsyncPgConnection, nouveau: &NouveauWorkflow) -> QueryResult<()> {
    diesel::insert_into(entites_workflow::table)
        .values(nouveau)
        .execute(conn)
        .await
        .map(drop)
}

/// The optimistic lock: moves the dossier to the next version if it is still at `version`
/// and `statut`, and returns the new version; `None` when it changed meanwhile. The row
/// stays locked until the end of the transaction.
pub async fn incrementer_version(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    version: i32,
    statut: StatutWorkflow,
) -> QueryResult<Option<i32>> {
    use crate::schema::entites_workflow::dsl as w;
    diesel::update(
        entites_workflow::table
            .filter(w::entite_id.eq(entite_id))
            .filter(w::version.eq(version))
            .filter(w::statut.eq(statut)),
    )
    .set(w::version.eq(w::version + 1))
    .returning(w::version)
    .get_result(conn)
    .await
    .optional()
}

/// The workflow rows of these entities (one query, for a DataLoader).
pub async fn find_by_entites(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<EntiteWorkflow>> {
    entites_workflow::table
        .filter(entites_workflow::entite_id.eq_any(ids))
        .select(EntiteWorkflow::as_select())
        .load(conn)
        .await
}

/// The workflow row of this entity, locked until the end of the transaction.
pub async fn find_for_update(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<Option<EntiteWorkflow>> {
    entites_workflow::table
        .find(entite_id)
        .select(EntiteWorkflow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The columns a transition sets or clears besides the status: `None` leaves a column as it
/// is, `Some(None)` clears it.
#[derive(AsChangeset, Debug, Clone, Default, PartialEq)]
#[diesel(table_name = entites_workflow, check_for_backend(diesel::pg::Pg))]
pub struct EffetsTransition {
    pub type_formalite: Option<Option<TypeFormalite>>,
    pub date_soumission: Option<Option<DateTime<Utc>>>,
    pub date_limite_decision: Option<Option<NaiveDate>>,
    pub date_validation: Option<Option<DateTime<Utc>>>,
    pub date_expiration: Option<Option<NaiveDate>>,
    pub date_publication: Option<Option<DateTime<Utc>>>,
    pub date_rejet: Option<Option<DateTime<Utc>>>,
    pub motif_rejet: Option<Option<String>>,
    pub numero_recepisse: Option<Option<String>>,
    pub numero_autorisation_artci: Option<Option<String>>,
    pub assigned_to: Option<Option<Uuid>>,
}

/// Moves the dossier from `de` to `vers`, applies `effets` and moves to the next version (a
/// transition already authorised by `domain::workflow`); returns the row, `None` when the
/// dossier was no longer in `de`.
pub async fn transition(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    de: StatutWorkflow,
    vers: StatutWorkflow,
    effets: &EffetsTransition,
) -> QueryResult<Option<EntiteWorkflow>> {
    use crate::schema::entites_workflow::dsl as w;
    let cible = entites_workflow::table
        .filter(w::entite_id.eq(entite_id))
        .filter(w::statut.eq(de));
    let statut = (w::statut.eq(vers), w::version.eq(w::version + 1));
    if *effets == EffetsTransition::default() {
        diesel::update(cible)
            .set(statut)
            .returning(EntiteWorkflow::as_returning())
            .get_result(conn)
            .await
            .optional()
    } else {
        diesel::update(cible)
            .set((statut, effets))
            .returning(EntiteWorkflow::as_returning())
            .get_result(conn)
            .await
            .optional()
    }
}

/// Sets the agent of the open assignment (a re-assignment: no change of status) and moves
/// to the next version, so that clients holding the old one reload.
pub async fn definir_agent(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    agent_id: Option<Uuid>,
) -> QueryResult<()> {
    use crate::schema::entites_workflow::dsl as w;
    diesel::update(entites_workflow::table.find(entite_id))
        .set((w::assigned_to.eq(agent_id), w::version.eq(w::version + 1)))
        .execute(conn)
        .await
        .map(drop)
}

/// One `conforme_sous_reserve` dossier whose delai_mise_en_conformite is before
/// `aujourd_hui`, locked until the end of the transaction; rows another transaction holds are
/// skipped (another replica is handling them).
pub async fn prochain_hors_delai(
    conn: &mut AsyncPgConnection,
    aujourd_hui: NaiveDate,
) -> QueryResult<Option<EntiteWorkflow>> {
    use crate::schema::entites_conformite::dsl as c;
    use crate::schema::entites_workflow::dsl as w;
    entites_workflow::table
        .filter(w::statut.eq(StatutWorkflow::ConformeSousReserve))
        .filter(
            w::entite_id.eq_any(
                c::entites_conformite
                    .filter(c::delai_mise_en_conformite.lt(aujourd_hui))
                    .select(c::entite_id),
            ),
        )
        .order(w::entite_id)
        .select(EntiteWorkflow::as_select())
        .for_update()
        .skip_locked()
        .first(conn)
        .await
        .optional()
}

/// One `valide` or `publie` dossier whose date_expiration is before `aujourd_hui` and that
/// no approved renewal keeps valid on `aujourd_hui`, locked until the end of the transaction;
/// rows another transaction holds are skipped.
pub async fn prochain_expire(
    conn: &mut AsyncPgConnection,
    aujourd_hui: NaiveDate,
) -> QueryResult<Option<EntiteWorkflow>> {
    use crate::models::enums::StatutRenouvellement;
    use crate::schema::entites_workflow::dsl as w;
    use crate::schema::modifications_dossier::dsl as m;
    use crate::schema::renouvellements::dsl as r;
    entites_workflow::table
        .filter(
            w::statut
                .eq_any([StatutWorkflow::Valide, StatutWorkflow::Publie])
                .or(diesel::dsl::exists(
                    m::modifications_dossier
                        .filter(m::entite_id.eq(w::entite_id))
                        .filter(m::statut.eq(crate::models::enums::StatutModification::Ouverte)),
                )),
        )
        .filter(w::date_expiration.lt(aujourd_hui))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            r::renouvellements
                .filter(r::entite_id.eq(w::entite_id))
                .filter(r::statut.eq(StatutRenouvellement::Approuve))
                .filter(r::nouvelle_date_expiration.ge(aujourd_hui)),
        )))
        .order(w::entite_id)
        .select(EntiteWorkflow::as_select())
        .for_update()
        .skip_locked()
        .first(conn)
        .await
        .optional()
}

/// Moves the end of a current approval (an approved renewal) and the version, so that clients
/// holding the old one reload.
pub async fn prolonger(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    date_expiration: NaiveDate,
) -> QueryResult<EntiteWorkflow> {
    use crate::schema::entites_workflow::dsl as w;
    diesel::update(entites_workflow::table.find(entite_id))
        .set((
            w::date_expiration.eq(date_expiration),
            w::version.eq(w::version + 1),
        ))
        .returning(EntiteWorkflow::as_returning())
        .get_result(conn)
        .await
}

/// The two renewal reminders before the end of an approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PalierRappel {
    /// Sent when the end is 3 months away or less (but more than 1 month).
    TroisMois,
    /// Sent when the end is 1 month away or less.
    UnMois,
}

impl PalierRappel {
    pub fn mois(self) -> u32 {
        match self {
            Self::TroisMois => 3,
            Self::UnMois => 1,
        }
    }
}

/// One `valide` or `publie` dossier whose approval ends within `palier`'s window on
/// `aujourd_hui`, not yet reminded at this `palier` for this end, and with no open renewal,
/// locked until the end of the transaction; rows another transaction holds are skipped.
pub async fn prochain_a_rappeler_renouvellement(
    conn: &mut AsyncPgConnection,
    aujourd_hui: NaiveDate,
    palier: PalierRappel,
) -> QueryResult<Option<EntiteWorkflow>> {
    use crate::models::renouvellements::OUVERTS;
    use crate::schema::entites_workflow::dsl as w;
    use crate::schema::renouvellements::dsl as r;
    let dans = |mois: u32| {
        aujourd_hui
            .checked_add_months(chrono::Months::new(mois))
            .unwrap_or(NaiveDate::MAX)
    };
    let un_mois = dans(1);
    let agrements_en_cours = entites_workflow::table
        .filter(w::statut.eq_any([StatutWorkflow::Valide, StatutWorkflow::Publie]))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            r::renouvellements
                .filter(r::entite_id.eq(w::entite_id))
                .filter(r::statut.eq_any(OUVERTS)),
        )));
    // Two windows that do not overlap: the 1-month reminder is never followed by the 3-month
    // one. (A locking query cannot be boxed, hence the two spelled out.)
    match palier {
        PalierRappel::TroisMois => {
            agrements_en_cours
                .filter(w::date_expiration.gt(un_mois))
                .filter(w::date_expiration.le(dans(3)))
                .filter(w::rappel_renouvellement_3_mois_pour.is_distinct_from(w::date_expiration))
                .order(w::entite_id)
                .select(EntiteWorkflow::as_select())
                .for_update()
                .skip_locked()
                .first(conn)
                .await
        }
        PalierRappel::UnMois => {
            agrements_en_cours
                .filter(w::date_expiration.ge(aujourd_hui))
                .filter(w::date_expiration.le(un_mois))
                .filter(w::rappel_renouvellement_1_mois_pour.is_distinct_from(w::date_expiration))
                .order(w::entite_id)
                .select(EntiteWorkflow::as_select())
                .for_update()
                .skip_locked()
                .first(conn)
                .await
        }
    }
    .optional()
}

/// Notes that the reminder of `palier` went for the approval ending on `pour`; the 1-month
/// reminder stands for the 3-month one too (never sent after it).
pub async fn noter_rappel_renouvellement(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    palier: PalierRappel,
    pour: NaiveDate,
) -> QueryResult<()> {
    use crate::schema::entites_workflow::dsl as w;
    let cible = entites_workflow::table.find(entite_id);
    match palier {
        PalierRappel::TroisMois => {
            diesel::update(cible)
                .set(w::rappel_renouvellement_3_mois_pour.eq(pour))
                .execute(conn)
                .await
        }
        PalierRappel::UnMois => {
            diesel::update(cible)
                .set((
                    w::rappel_renouvellement_3_mois_pour.eq(pour),
                    w::rappel_renouvellement_1_mois_pour.eq(pour),
                ))
                .execute(conn)
                .await
        }
    }
    .map(drop)
}

/// One dossier awaiting a decision (soumis, en_verification, en_attente_complements) whose
/// decision deadline is before `aujourd_hui` and whose admins were not yet alerted for this
/// submission, locked until the end of the transaction; rows another transaction holds are
/// skipped.
pub async fn prochain_delai_depasse(
    conn: &mut AsyncPgConnection,
    aujourd_hui: NaiveDate,
) -> QueryResult<Option<EntiteWorkflow>> {
    use crate::models::entites_base::EN_ATTENTE_DE_DECISION;
    use crate::schema::entites_workflow::dsl as w;
    entites_workflow::table
        .filter(w::statut.eq_any(EN_ATTENTE_DE_DECISION))
        .filter(w::date_limite_decision.lt(aujourd_hui))
        .filter(w::date_soumission.is_not_null())
        .filter(w::alerte_delai_depasse_pour.is_distinct_from(w::date_soumission))
        .order(w::entite_id)
        .select(EntiteWorkflow::as_select())
        .for_update()
        .skip_locked()
        .first(conn)
        .await
        .optional()
}

/// Notes that the admins were alerted of the deadline of the submission of `pour`.
pub async fn noter_alerte_delai(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    pour: DateTime<Utc>,
) -> QueryResult<()> {
    use crate::schema::entites_workflow::dsl as w;
    diesel::update(entites_workflow::table.find(entite_id))
        .set(w::alerte_delai_depasse_pour.eq(pour))
        .execute(conn)
        .await
        .map(drop)
}

/// Extends the decision deadline to `date_limite` for the submission of `pour`, with its
/// reason, and moves the version so that clients holding the old one reload.
pub async fn prolonger_delai_decision(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    date_limite: NaiveDate,
    pour: DateTime<Utc>,
    motif: &str,
) -> QueryResult<EntiteWorkflow> {
    use crate::schema::entites_workflow::dsl as w;
    diesel::update(entites_workflow::table.find(entite_id))
        .set((
            w::date_limite_decision.eq(date_limite),
            w::delai_prolonge_pour.eq(pour),
            w::motif_prolongation.eq(motif),
            w::version.eq(w::version + 1),
        ))
        .returning(EntiteWorkflow::as_returning())
        .get_result(conn)
        .await
}

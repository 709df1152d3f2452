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

// --- Creation, identification and the company's list ---------------------------------------

use crate::schema::entites_base::dsl as base;

/// An entity to insert; `id`, `publie_sur_carte` and the timestamps come from the database.
#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = entites_base, check_for_backend(diesel::pg::Pg))]
pub struct NouvelleEntite {
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
}

/// Changes to an entity's identity: `None` leaves a column as it is, `Some(None)` clears it.
/// The NOT NULL columns take a plain `Option`: they can be changed, never cleared.
#[derive(AsChangeset, Debug, Clone, Default, PartialEq)]
#[diesel(table_name = entites_base, check_for_backend(diesel::pg::Pg))]
pub struct ModificationsBase {
    pub denomination: Option<String>,
    pub sigle: Option<Option<String>>,
    pub forme_juridique: Option<Option<String>>,
    pub secteur_activite: Option<SecteurActivite>,
    pub adresse: Option<Option<String>>,
    pub ville: Option<Option<String>>,
    pub commune: Option<Option<String>>,
    pub region: Option<Region>,
    pub telephone: Option<Option<String>>,
    pub email: Option<Option<String>>,
}

impl ModificationsBase {
    pub fn est_vide(&self) -> bool {
        *self == Self::default()
    }
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    nouvelle: &NouvelleEntite,
) -> QueryResult<EntiteBase> {
    diesel::insert_into(entites_base::table)
        .values(nouvelle)
        .returning(EntiteBase::as_returning())
        .get_result(conn)
        .await
}

/// Whether an entity already has this NCC.
pub async fn ncc_taken(conn: &mut AsyncPgConnection, numero_cc: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        entites_base::table.filter(base::numero_cc.eq(numero_cc)),
    ))
    .get_result(conn)
    .await
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    modifications: &ModificationsBase,
) -> QueryResult<()> {
    diesel::update(entites_base::table.find(id))
        .set(modifications)
        .execute(conn)
        .await
        .map(drop)
}

pub async fn find_by_id(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<EntiteBase> {
    entites_base::table
        .find(id)
        .select(EntiteBase::as_select())
        .first(conn)
        .await
}

/// The entities of one company account, oldest first, after the key `apres`
/// (created_at, id), up to `limite`.
pub async fn page_du_compte(
    conn: &mut AsyncPgConnection,
    compte_id: Uuid,
    apres: Option<(DateTime<Utc>, Uuid)>,
    limite: i64,
) -> QueryResult<Vec<EntiteBase>> {
    let mut query = entites_base::table
        .filter(base::compte_entreprise_id.eq(compte_id))
        .select(EntiteBase::as_select())
        .into_boxed();
    if let Some((created_at, id)) = apres {
        query = query.filter(
            base::created_at
                .gt(created_at)
                .or(base::created_at.eq(created_at).and(base::id.gt(id))),
        );
    }
    query
        .order((base::created_at.asc(), base::id.asc()))
        .limit(limite)
        .load(conn)
        .await
}

/// How many entities one company account has.
pub async fn count_du_compte(conn: &mut AsyncPgConnection, compte_id: Uuid) -> QueryResult<i64> {
    entites_base::table
        .filter(base::compte_entreprise_id.eq(compte_id))
        .count()
        .get_result(conn)
        .await
}

// --- Claims (rapprochement) -------------------------------------------------------------

/// The entity of this NCC if no account owns it yet (entered by ARTCI, unclaimed).
pub async fn find_non_rattachee_par_ncc(
    conn: &mut AsyncPgConnection,
    numero_cc: &str,
) -> QueryResult<Option<EntiteBase>> {
    entites_base::table
        .filter(base::numero_cc.eq(numero_cc))
        .filter(base::compte_entreprise_id.is_null())
        .select(EntiteBase::as_select())
        .first(conn)
        .await
        .optional()
}

/// The entity with this id, its row locked until the end of the transaction.
pub async fn find_by_id_for_update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<EntiteBase>> {
    entites_base::table
        .find(id)
        .select(EntiteBase::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Links an unclaimed entity to `compte_id` (`origine_saisie = rapprochement`) and returns
/// it; `None` when an account already owns it.
pub async fn rattacher(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    compte_id: Uuid,
) -> QueryResult<Option<EntiteBase>> {
    diesel::update(
        entites_base::table
            .filter(base::id.eq(id))
            .filter(base::compte_entreprise_id.is_null()),
    )
    .set((
        base::compte_entreprise_id.eq(compte_id),
        base::origine_saisie.eq(OrigineSaisie::Rapprochement),
    ))
    .returning(EntiteBase::as_returning())
    .get_result(conn)
    .await
    .optional()
}

// --- The staff list: filters, three orders, keyset pages -----------------------------------

use chrono::NaiveDate;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use serde::{Deserialize, Serialize};

use crate::models::enums::TypeFormalite;
use crate::schema::entites_workflow::dsl as wf;

/// What the staff list keeps, already validated; an empty or absent criterion keeps all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FiltreEntites {
    /// Any of these statuses.
    pub statuts: Vec<StatutWorkflow>,
    pub region: Option<Region>,
    pub secteur_activite: Option<SecteurActivite>,
    pub type_formalite: Option<TypeFormalite>,
    /// A normalised NCC, matched exactly.
    pub numero_cc: Option<String>,
    /// Text the denomination contains, case aside, taken literally: its LIKE wildcards are
    /// escaped here, not by the caller.
    pub recherche: Option<String>,
    /// Awaiting a decision (soumis, en_verification, en_attente_complements) with a decision
    /// deadline before this day.
    pub delai_depasse_avant: Option<NaiveDate>,
}

/// The statuses of a dossier awaiting ARTCI's decision, whose deadline runs.
pub const EN_ATTENTE_DE_DECISION: [StatutWorkflow; 3] = [
    StatutWorkflow::Soumis,
    StatutWorkflow::EnVerification,
    StatutWorkflow::EnAttenteComplements,
];

/// The orders of the staff list. Each ends on the entity id, so rows with equal keys keep
/// one order from page to page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrdreEntites {
    /// Decision deadline, soonest first; dossiers without one last.
    #[default]
    DateLimiteDecision,
    /// Submission instant, latest first; never-submitted dossiers last.
    DateSoumission,
    /// Denomination in French alphabetical order.
    Denomination,
}

/// Where a page of the staff list ends: the sort key of its last row and the row's id. It
/// names its order, so that a position taken in one order is never read in another. The
/// field names are short: this goes, encoded, into the cursors clients hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "o", deny_unknown_fields)]
pub enum PositionEntite {
    #[serde(rename = "l")]
    DateLimiteDecision { d: Option<NaiveDate>, id: Uuid },
    #[serde(rename = "s")]
    DateSoumission { t: Option<DateTime<Utc>>, id: Uuid },
    #[serde(rename = "n")]
    Denomination { n: String, id: Uuid },
}

impl PositionEntite {
    pub fn ordre(&self) -> OrdreEntites {
        match self {
            Self::DateLimiteDecision { .. } => OrdreEntites::DateLimiteDecision,
            Self::DateSoumission { .. } => OrdreEntites::DateSoumission,
            Self::Denomination { .. } => OrdreEntites::Denomination,
        }
    }
}

/// A row of the staff list: the entity and the workflow dates its orders sort on.
#[derive(Debug, Clone, PartialEq)]
pub struct EntiteListee {
    pub entite: EntiteBase,
    pub date_limite_decision: Option<NaiveDate>,
    pub date_soumission: Option<DateTime<Utc>>,
}

impl EntiteListee {
    /// This row's position in `ordre`.
    pub fn position(&self, ordre: OrdreEntites) -> PositionEntite {
        let id = self.entite.id;
        match ordre {
            OrdreEntites::DateLimiteDecision => PositionEntite::DateLimiteDecision {
                d: self.date_limite_decision,
                id,
            },
            OrdreEntites::DateSoumission => PositionEntite::DateSoumission {
                t: self.date_soumission,
                id,
            },
            OrdreEntites::Denomination => PositionEntite::Denomination {
                n: self.entite.denomination.clone(),
                id,
            },
        }
    }
}

/// `expr COLLATE "fr-x-icu"`: the order a French reader expects, where case and accents only
/// break ties ("École" sorts among the e, not after z as in the database's byte order). The
/// index `idx_entites_base_denomination_fr` is on this same expression, and the collation
/// is deterministic, so equal keys are equal bytes and the keyset comparisons are exact.
#[derive(Debug, Clone, Copy, QueryId, ValidGrouping)]
pub struct OrdreFrancais<E>(pub E);

impl<E: Expression> Expression for OrdreFrancais<E> {
    type SqlType = E::SqlType;
}

impl<E: AppearsOnTable<QS>, QS: ?Sized> AppearsOnTable<QS> for OrdreFrancais<E> {}

impl<E: SelectableExpression<QS>, QS: ?Sized> SelectableExpression<QS> for OrdreFrancais<E> {}

impl<E: QueryFragment<Pg>> QueryFragment<Pg> for OrdreFrancais<E> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(" COLLATE \"fr-x-icu\")");
        Ok(())
    }
}

/// The `ILIKE` pattern of "contains `texte`": `\`, `%` and `_` are escaped (backslash is
/// PostgreSQL's default LIKE escape), so the user's text matches only itself.
pub fn motif_contenant(texte: &str) -> String {
    let mut motif = String::with_capacity(texte.len() + 2);
    motif.push('%');
    for c in texte.chars() {
        if matches!(c, '\\' | '%' | '_') {
            motif.push('\\');
        }
        motif.push(c);
    }
    motif.push('%');
    motif
}

type ListeFiltree = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::InnerJoin<entites_base::table, entites_workflow::table>,
    Pg,
>;

/// Entities joined to their workflow, with the filter's conditions. Each criterion has its
/// index: statut, type_formalite (workflow), region, secteur_activite, numero_cc (unique) and
/// the denomination's trigram index, which serves `ILIKE '%…%'`.
fn filtree(filtre: &FiltreEntites) -> ListeFiltree {
    let mut query = entites_base::table
        .inner_join(entites_workflow::table)
        .into_boxed();
    if !filtre.statuts.is_empty() {
        query = query.filter(wf::statut.eq_any(filtre.statuts.clone()));
    }
    if let Some(region) = filtre.region {
        query = query.filter(base::region.eq(region));
    }
    if let Some(secteur) = filtre.secteur_activite {
        query = query.filter(base::secteur_activite.eq(secteur));
    }
    if let Some(formalite) = filtre.type_formalite {
        query = query.filter(wf::type_formalite.eq(formalite));
    }
    if let Some(numero_cc) = &filtre.numero_cc {
        query = query.filter(base::numero_cc.eq(numero_cc.clone()));
    }
    if let Some(texte) = &filtre.recherche {
        query = query.filter(base::denomination.ilike(motif_contenant(texte)));
    }
    if let Some(jour) = filtre.delai_depasse_avant {
        query = query
            .filter(wf::statut.eq_any(EN_ATTENTE_DE_DECISION))
            .filter(wf::date_limite_decision.lt(jour));
    }
    query
}

/// A page of the staff list in `ordre`, after `apres` (a position in that same order), up to
/// `limite` rows. Nulls come last in both date orders.
pub async fn page_filtree(
    conn: &mut AsyncPgConnection,
    filtre: &FiltreEntites,
    ordre: OrdreEntites,
    apres: Option<&PositionEntite>,
    limite: i64,
) -> QueryResult<Vec<EntiteListee>> {
    let mut query = filtree(filtre);
    // The workflow orders break ties on entite_id (= entites_base.id), so that the
    // (date, entite_id) indexes of entites_workflow give the whole order.
    query = match ordre {
        OrdreEntites::DateLimiteDecision => query.order((
            wf::date_limite_decision.asc().nulls_last(),
            wf::entite_id.asc(),
        )),
        OrdreEntites::DateSoumission => query.order((
            wf::date_soumission.desc().nulls_last(),
            wf::entite_id.desc(),
        )),
        OrdreEntites::Denomination => {
            query.order((OrdreFrancais(base::denomination).asc(), base::id.asc()))
        }
    };
    query = match apres.cloned() {
        None => query,
        Some(PositionEntite::DateLimiteDecision { d: Some(d), id }) => query.filter(
            wf::date_limite_decision
                .gt(d)
                .or(wf::date_limite_decision.eq(d).and(wf::entite_id.gt(id)))
                .or(wf::date_limite_decision.is_null()),
        ),
        Some(PositionEntite::DateLimiteDecision { d: None, id }) => {
            query.filter(wf::date_limite_decision.is_null().and(wf::entite_id.gt(id)))
        }
        Some(PositionEntite::DateSoumission { t: Some(t), id }) => query.filter(
            wf::date_soumission
                .lt(t)
                .or(wf::date_soumission.eq(t).and(wf::entite_id.lt(id)))
                .or(wf::date_soumission.is_null()),
        ),
        Some(PositionEntite::DateSoumission { t: None, id }) => {
            query.filter(wf::date_soumission.is_null().and(wf::entite_id.lt(id)))
        }
        // `>=` first: a bound the index can seek to; the rest only settles the ties.
        Some(PositionEntite::Denomination { n, id }) => query.filter(
            OrdreFrancais(base::denomination)
                .ge(n.clone())
                .and(OrdreFrancais(base::denomination).gt(n).or(base::id.gt(id))),
        ),
    };
    let rows: Vec<(EntiteBase, Option<NaiveDate>, Option<DateTime<Utc>>)> = query
        .select((
            EntiteBase::as_select(),
            wf::date_limite_decision,
            wf::date_soumission,
        ))
        .limit(limite)
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(entite, date_limite_decision, date_soumission)| EntiteListee {
                entite,
                date_limite_decision,
                date_soumission,
            },
        )
        .collect())
}

/// How many entities the staff list holds with this filter, all pages together.
pub async fn count_filtre(
    conn: &mut AsyncPgConnection,
    filtre: &FiltreEntites,
) -> QueryResult<i64> {
    // Destructured: a new criterion must be placed on one side or the other here.
    let FiltreEntites {
        statuts,
        region,
        secteur_activite,
        type_formalite,
        numero_cc,
        recherche,
        delai_depasse_avant,
    } = filtre;
    if region.is_some() || secteur_activite.is_some() || numero_cc.is_some() || recherche.is_some()
    {
        return filtree(filtre).count().get_result(conn).await;
    }
    // Only workflow criteria: every workflow row has its entity (foreign key), so the join
    // adds nothing but its cost (reading every entity's key: 37 ms on 100,000 entities,
    // against 6 ms for the statut index alone).
    let mut query = entites_workflow::table.into_boxed();
    if !statuts.is_empty() {
        query = query.filter(wf::statut.eq_any(statuts.clone()));
    }
    if let Some(formalite) = type_formalite {
        query = query.filter(wf::type_formalite.eq(*formalite));
    }
    if let Some(jour) = delai_depasse_avant {
        query = query
            .filter(wf::statut.eq_any(EN_ATTENTE_DE_DECISION))
            .filter(wf::date_limite_decision.lt(*jour));
    }
    query.count().get_result(conn).await
}

/// Deletes an entity; its parts, documents' rows and claims go with it (`ON DELETE
/// CASCADE`). Refused by the database when history or assignments refer to it.
pub async fn supprimer(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<usize> {
    diesel::delete(entites_base::table.find(id))
        .execute(conn)
        .await
}

#[cfg(test)]
mod tests_liste {
    use super::*;

    #[test]
    fn les_jokers_like_de_la_recherche_sont_echappes() {
        assert_eq!(motif_contenant("Orange"), "%Orange%");
        assert_eq!(motif_contenant("50%"), r"%50\%%");
        assert_eq!(motif_contenant("a_b"), r"%a\_b%");
        assert_eq!(motif_contenant(r"c:\x"), r"%c:\\x%");
    }

    #[test]
    fn une_position_se_relit_et_refuse_les_champs_inconnus() {
        let id = Uuid::new_v4();
        for position in [
            PositionEntite::DateLimiteDecision { d: None, id },
            PositionEntite::DateSoumission {
                t: Some(Utc::now()),
                id,
            },
            PositionEntite::Denomination {
                n: "École".into(),
                id,
            },
        ] {
            let json = serde_json::to_string(&position).unwrap();
            assert_eq!(
                serde_json::from_str::<PositionEntite>(&json).unwrap(),
                position
            );
        }
        let inconnu = format!(r#"{{"o":"l","d":null,"id":"{id}","x":1}}"#);
        assert!(serde_json::from_str::<PositionEntite>(&inconnu).is_err());
        let chronologique = format!(r#"{{"t":"2026-11-23T09:00:00Z","id":"{id}"}}"#);
        assert!(serde_json::from_str::<PositionEntite>(&chronologique).is_err());
    }
}

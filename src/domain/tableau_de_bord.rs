//! ARTCI's dashboard: the period it covers (a calendar period named relative to the service's
//! clock, or bounds the caller chose) and the counts it shows, each one grouped SQL statement.
//!
//! The counts aggregate several tables at once and belong to no single model, so their
//! queries live here rather than in `models`; they decide nothing, they only count.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use diesel::dsl::{count, count_star};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::domain::{rapports_activite, roles};
use crate::error::{AppError, AppResult};
use crate::models::User;
use crate::models::assignations_demandes::OUVERTES;
use crate::models::enums::{
    Region, RoleUtilisateur, SecteurActivite, StatutAssignation, StatutConformite, StatutWorkflow,
};
use crate::models::rapports_activite::ComptesSuivi;
use crate::schema::{
    assignations_demandes as a, entites_base as b, entites_conformite as c, entites_workflow as w,
    users as u,
};

/// The longest custom period, in months: five years covers any multi-year report while
/// keeping the bounds' arithmetic and the scanned range reasonable.
pub const DUREE_MAX_MOIS: u32 = 60;

/// Which period a dashboard covers. The named ones are the current calendar periods of the
/// service's clock (Côte d'Ivoire keeps UTC: calendar dates are UTC dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypePeriode {
    /// Today.
    AujourdHui,
    /// The ISO week, Monday to Sunday.
    Semaine,
    /// The calendar month.
    Mois,
    /// The calendar quarter (January–March, April–June, …).
    Trimestre,
    /// The calendar year.
    Annee,
    /// The caller's own `debut` and `fin`.
    Personnalisee,
}

/// A run of whole days, both ends included. Built only by [`periode`], which guarantees
/// `debut <= fin` and that the day after `fin` exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periode {
    pub debut: NaiveDate,
    pub fin: NaiveDate,
}

impl Periode {
    /// The period as instants: from `debut` at midnight (included) to the midnight after
    /// `fin` (excluded), so that a timestamp anywhere in the last day counts.
    fn instants(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let lendemain = self.fin.succ_opt().unwrap_or(self.fin);
        (minuit(self.debut), minuit(lendemain))
    }
}

fn minuit(jour: NaiveDate) -> DateTime<Utc> {
    jour.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// The period the caller asked for, `aujourd_hui` being the clock's date. A named period
/// takes no bounds; `Personnalisee` takes both, in order, spanning at most
/// [`DUREE_MAX_MOIS`] months. Errors name the offending field (`periode.debut`,
/// `periode.fin`).
pub fn periode(
    type_periode: TypePeriode,
    debut: Option<NaiveDate>,
    fin: Option<NaiveDate>,
    aujourd_hui: NaiveDate,
) -> AppResult<Periode> {
    if type_periode == TypePeriode::Personnalisee {
        return personnalisee(debut, fin);
    }
    let superflu = |champ: &str, borne: &str| {
        AppError::bad_input(
            champ,
            format!(
                "Une période nommée se calcule d'après la date du jour : ne donnez de date de \
                 {borne} qu'avec le type PERSONNALISEE."
            ),
        )
    };
    if debut.is_some() {
        return Err(superflu("periode.debut", "début"));
    }
    if fin.is_some() {
        return Err(superflu("periode.fin", "fin"));
    }
    nommee(type_periode, aujourd_hui)
        .ok_or_else(|| AppError::internal("période hors du calendrier"))
}

/// The calendar period of `type_periode` that contains `jour` (`None` only at the ends of
/// chrono's calendar).
fn nommee(type_periode: TypePeriode, jour: NaiveDate) -> Option<Periode> {
    let premier_du_mois = |mois: u32| NaiveDate::from_ymd_opt(jour.year(), mois, 1);
    let (debut, fin) = match type_periode {
        TypePeriode::AujourdHui | TypePeriode::Personnalisee => (jour, jour),
        TypePeriode::Semaine => {
            let lundi =
                jour.checked_sub_days(Days::new(u64::from(jour.weekday().num_days_from_monday())))?;
            (lundi, lundi.checked_add_days(Days::new(6))?)
        }
        TypePeriode::Mois => mois_a_partir(premier_du_mois(jour.month())?, 1)?,
        TypePeriode::Trimestre => {
            let premier_mois = (jour.month0() / 3) * 3 + 1;
            mois_a_partir(premier_du_mois(premier_mois)?, 3)?
        }
        TypePeriode::Annee => mois_a_partir(premier_du_mois(1)?, 12)?,
    };
    Some(Periode { debut, fin })
}

/// `mois` whole months from `debut` (a first of the month): its bounds.
fn mois_a_partir(debut: NaiveDate, mois: u32) -> Option<(NaiveDate, NaiveDate)> {
    let suivant = debut.checked_add_months(Months::new(mois))?;
    Some((debut, suivant.pred_opt()?))
}

fn personnalisee(debut: Option<NaiveDate>, fin: Option<NaiveDate>) -> AppResult<Periode> {
    let debut = debut.ok_or_else(|| {
        AppError::bad_input(
            "periode.debut",
            "Une période personnalisée demande une date de début.",
        )
    })?;
    let fin = fin.ok_or_else(|| {
        AppError::bad_input(
            "periode.fin",
            "Une période personnalisée demande une date de fin.",
        )
    })?;
    if fin < debut {
        return Err(AppError::bad_input(
            "periode.fin",
            "La date de fin précède la date de début.",
        ));
    }
    let limite = debut.checked_add_months(Months::new(DUREE_MAX_MOIS));
    if limite.is_none_or(|limite| fin >= limite) || fin.succ_opt().is_none() {
        return Err(AppError::bad_input(
            "periode.fin",
            "Une période personnalisée couvre au plus 5 ans.",
        ));
    }
    Ok(Periode { debut, fin })
}

/// What one agent holds and did.
#[derive(Debug, Clone, PartialEq)]
pub struct ChargeAgent {
    pub agent: User,
    /// Open assignations now (any status but `valide` and `annule`), whatever the period.
    pub en_cours: i64,
    /// Open assignations overdue now: `en_retard`, or `en_cours`/`renvoye` past their
    /// échéance (the daily job may not have marked them yet). Work awaiting its N+1 is not
    /// the agent's delay.
    pub en_retard: i64,
    /// Treated, awaiting the N+1's validation (`traite_attente_validation`), now.
    pub attente_validation: i64,
    /// Assignations given to the agent in the period (`date_assignation`: a reassignment
    /// counts for the agent who receives it, on its day).
    pub assignees_sur_periode: i64,
    /// Assignations whose treatment was validated by the N+1 in the period (`valide`,
    /// `valide_le`): work finished, not merely proposed.
    pub traitees_sur_periode: i64,
}

/// The dashboard of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct TableauDeBord {
    pub periode: Periode,
    /// Every workflow status, in the type's order, 0 included.
    pub par_statut: Vec<(StatutWorkflow, i64)>,
    /// Every compliance status, in the type's order, 0 included.
    pub par_statut_conformite: Vec<(StatutConformite, i64)>,
    /// Non-zero regions only, the most frequent first, then by label.
    pub par_region: Vec<(Region, i64)>,
    /// Non-zero sectors only, the most frequent first, then by label.
    pub par_secteur: Vec<(SecteurActivite, i64)>,
    pub par_agent: Vec<ChargeAgent>,
    /// The current campaign of activity reports (on last year) and the decision deadlines
    /// passed, as of `aujourd_hui` whatever the period.
    pub campagne_rapports: i32,
    pub suivi: ComptesSuivi,
}

impl TableauDeBord {
    /// Dossiers submitted in the period.
    pub fn total(&self) -> i64 {
        self.par_statut.iter().map(|(_, n)| n).sum()
    }
}

/// The dashboard of `periode`, `aujourd_hui` deciding what is overdue.
///
/// Dossier counts are over the dossiers whose last submission (`date_soumission`) falls in
/// the period, each counted under its current status, region and sector. Agents are the
/// active staff of role editeur and above, plus anyone else who holds or handled an
/// assignation counted here (a disabled agent's open dossiers must not vanish from the
/// board), ordered by name.
///
/// Seven statements (the last counts the activity reports of the current campaign and the
/// dossiers past their decision deadline) in one read-only, repeatable-read transaction, whatever the data: the
/// counts come from one snapshot and add up.
pub async fn tableau_de_bord(
    conn: &mut AsyncPgConnection,
    periode: Periode,
    aujourd_hui: NaiveDate,
) -> AppResult<TableauDeBord> {
    let (debut, fin) = periode.instants();
    conn.build_transaction()
        .read_only()
        .repeatable_read()
        .run(async |conn| {
            let soumis_sur_periode = w::date_soumission.ge(debut).and(w::date_soumission.lt(fin));

            let par_statut: Vec<(StatutWorkflow, i64)> = w::table
                .filter(soumis_sur_periode)
                .group_by(w::statut)
                .select((w::statut, count_star()))
                .load(conn)
                .await?;
            let par_statut_conformite: Vec<(StatutConformite, i64)> = w::table
                .inner_join(c::table.on(c::entite_id.eq(w::entite_id)))
                .filter(soumis_sur_periode)
                .group_by(c::statut_conformite)
                .select((c::statut_conformite, count_star()))
                .load(conn)
                .await?;
            let par_region: Vec<(Region, i64)> = b::table
                .inner_join(w::table)
                .filter(soumis_sur_periode)
                .group_by(b::region)
                .select((b::region, count_star()))
                .load(conn)
                .await?;
            let par_secteur: Vec<(SecteurActivite, i64)> = b::table
                .inner_join(w::table)
                .filter(soumis_sur_periode)
                .group_by(b::secteur_activite)
                .select((b::secteur_activite, count_star()))
                .load(conn)
                .await?;
            let par_agent = charges(conn, debut, fin, aujourd_hui).await?;
            let campagne_rapports = rapports_activite::campagne_courante(aujourd_hui);
            let suivi = crate::models::rapports_activite::compter_suivi(
                conn,
                campagne_rapports,
                aujourd_hui > rapports_activite::date_limite(campagne_rapports),
                aujourd_hui,
            )
            .await?;

            Ok(TableauDeBord {
                periode,
                par_statut: avec_zeros(StatutWorkflow::ALL, par_statut),
                par_statut_conformite: avec_zeros(StatutConformite::ALL, par_statut_conformite),
                par_region: les_plus_frequents(par_region, |r| r.label()),
                par_secteur: les_plus_frequents(par_secteur, |s| s.label()),
                par_agent,
                campagne_rapports,
                suivi,
            })
        })
        .await
}

/// The agents' workloads: one grouped count over the assignations that matter (open now,
/// given or validated in `[debut, fin)`), then the agents concerned.
async fn charges(
    conn: &mut AsyncPgConnection,
    debut: DateTime<Utc>,
    fin: DateTime<Utc>,
    aujourd_hui: NaiveDate,
) -> AppResult<Vec<ChargeAgent>> {
    let ouverte = a::statut.eq_any(OUVERTES);
    let en_retard = a::statut.eq(StatutAssignation::EnRetard).or(a::statut
        .eq_any([StatutAssignation::EnCours, StatutAssignation::Renvoye])
        .and(a::echeance.lt(aujourd_hui)));
    let attente = a::statut.eq(StatutAssignation::TraiteAttenteValidation);
    let assignee = a::date_assignation
        .ge(debut)
        .and(a::date_assignation.lt(fin));
    // `valide_le` is set exactly when the status is `valide` (a CHECK of the table); a NULL
    // compares as unknown and is not counted, whatever the column's declared type.
    let valide_le = a::valide_le.assume_not_null();
    let validee = a::statut
        .eq(StatutAssignation::Valide)
        .and(valide_le.ge(debut))
        .and(valide_le.lt(fin));

    let lignes: Vec<(Uuid, i64, i64, i64, i64, i64)> = a::table
        .filter(ouverte.clone().or(assignee).or(validee.clone()))
        .group_by(a::agent_id)
        .select((
            a::agent_id,
            count(a::id).aggregate_filter(ouverte),
            count(a::id).aggregate_filter(en_retard),
            count(a::id).aggregate_filter(attente),
            count(a::id).aggregate_filter(assignee),
            count(a::id).aggregate_filter(validee),
        ))
        .load(conn)
        .await?;
    let concernes: Vec<Uuid> = lignes.iter().map(|l| l.0).collect();
    let mut comptes: HashMap<Uuid, (i64, i64, i64, i64, i64)> = lignes
        .into_iter()
        .map(|(id, o, r, v, s, t)| (id, (o, r, v, s, t)))
        .collect();

    let roles_agents: Vec<RoleUtilisateur> = RoleUtilisateur::ALL
        .iter()
        .copied()
        .filter(|r| roles::au_moins(*r, RoleUtilisateur::Editeur))
        .collect();
    let agents: Vec<User> = u::table
        .filter(
            u::est_actif
                .eq(true)
                .and(u::role.eq_any(roles_agents))
                .or(u::id.eq_any(concernes)),
        )
        .order((u::nom.asc(), u::prenom.asc(), u::id.asc()))
        .select(User::as_select())
        .load(conn)
        .await?;

    Ok(agents
        .into_iter()
        .map(|agent| {
            let (en_cours, en_retard, attente_validation, assignees, traitees) =
                comptes.remove(&agent.id).unwrap_or_default();
            ChargeAgent {
                agent,
                en_cours,
                en_retard,
                attente_validation,
                assignees_sur_periode: assignees,
                traitees_sur_periode: traitees,
            }
        })
        .collect())
}

/// One line per value of `tous`, in that order, with 0 where `lignes` has none.
fn avec_zeros<T: Copy + Eq + std::hash::Hash>(tous: &[T], lignes: Vec<(T, i64)>) -> Vec<(T, i64)> {
    let lignes: HashMap<T, i64> = lignes.into_iter().collect();
    tous.iter()
        .map(|v| (*v, lignes.get(v).copied().unwrap_or(0)))
        .collect()
}

/// The non-zero lines, the largest count first, ties by `label` (so the order is stable).
fn les_plus_frequents<T>(
    mut lignes: Vec<(T, i64)>,
    label: fn(&T) -> &'static str,
) -> Vec<(T, i64)> {
    lignes.retain(|(_, n)| *n > 0);
    lignes.sort_by(|(v1, n1), (v2, n2)| n2.cmp(n1).then_with(|| label(v1).cmp(label(v2))));
    lignes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jour(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).unwrap()
    }

    fn nommee_au(type_periode: TypePeriode, le: NaiveDate) -> (NaiveDate, NaiveDate) {
        let p = periode(type_periode, None, None, le).unwrap();
        (p.debut, p.fin)
    }

    fn champ(err: AppError) -> String {
        err.field().unwrap_or_default().to_owned()
    }

    #[test]
    fn les_periodes_nommees_sont_les_periodes_du_calendrier() {
        // A Wednesday in the last quarter of a non-leap year.
        let mercredi = jour(2026, 11, 25);
        assert_eq!(
            nommee_au(TypePeriode::AujourdHui, mercredi),
            (mercredi, mercredi)
        );
        assert_eq!(
            nommee_au(TypePeriode::Semaine, mercredi),
            (jour(2026, 11, 23), jour(2026, 11, 29))
        );
        assert_eq!(
            nommee_au(TypePeriode::Mois, mercredi),
            (jour(2026, 11, 1), jour(2026, 11, 30))
        );
        assert_eq!(
            nommee_au(TypePeriode::Trimestre, mercredi),
            (jour(2026, 10, 1), jour(2026, 12, 31))
        );
        assert_eq!(
            nommee_au(TypePeriode::Annee, mercredi),
            (jour(2026, 1, 1), jour(2026, 12, 31))
        );
    }

    #[test]
    fn les_bords_du_calendrier() {
        // A Sunday ends its week; February of a leap year; the first quarter.
        assert_eq!(
            nommee_au(TypePeriode::Semaine, jour(2026, 11, 29)),
            (jour(2026, 11, 23), jour(2026, 11, 29))
        );
        // A week across two years.
        assert_eq!(
            nommee_au(TypePeriode::Semaine, jour(2027, 1, 1)),
            (jour(2026, 12, 28), jour(2027, 1, 3))
        );
        assert_eq!(
            nommee_au(TypePeriode::Mois, jour(2028, 2, 10)),
            (jour(2028, 2, 1), jour(2028, 2, 29))
        );
        assert_eq!(
            nommee_au(TypePeriode::Trimestre, jour(2027, 3, 31)),
            (jour(2027, 1, 1), jour(2027, 3, 31))
        );
        assert_eq!(
            nommee_au(TypePeriode::Trimestre, jour(2027, 4, 1)),
            (jour(2027, 4, 1), jour(2027, 6, 30))
        );
    }

    #[test]
    fn une_periode_personnalisee_demande_ses_deux_bornes_dans_l_ordre() {
        let aujourd_hui = jour(2026, 11, 25);
        let p = periode(
            TypePeriode::Personnalisee,
            Some(jour(2026, 1, 1)),
            Some(jour(2026, 1, 1)),
            aujourd_hui,
        )
        .unwrap();
        assert_eq!((p.debut, p.fin), (jour(2026, 1, 1), jour(2026, 1, 1)));

        let sans_debut = periode(
            TypePeriode::Personnalisee,
            None,
            Some(aujourd_hui),
            aujourd_hui,
        );
        assert_eq!(champ(sans_debut.unwrap_err()), "periode.debut");
        let sans_fin = periode(
            TypePeriode::Personnalisee,
            Some(aujourd_hui),
            None,
            aujourd_hui,
        );
        assert_eq!(champ(sans_fin.unwrap_err()), "periode.fin");
        let a_l_envers = periode(
            TypePeriode::Personnalisee,
            Some(jour(2026, 2, 1)),
            Some(jour(2026, 1, 31)),
            aujourd_hui,
        );
        assert_eq!(champ(a_l_envers.unwrap_err()), "periode.fin");
    }

    #[test]
    fn une_periode_personnalisee_couvre_au_plus_cinq_ans() {
        let aujourd_hui = jour(2026, 11, 25);
        let cinq_ans = periode(
            TypePeriode::Personnalisee,
            Some(jour(2020, 1, 1)),
            Some(jour(2024, 12, 31)),
            aujourd_hui,
        );
        assert!(cinq_ans.is_ok());
        let un_jour_de_trop = periode(
            TypePeriode::Personnalisee,
            Some(jour(2020, 1, 1)),
            Some(jour(2025, 1, 1)),
            aujourd_hui,
        );
        assert_eq!(champ(un_jour_de_trop.unwrap_err()), "periode.fin");
        let bout_du_calendrier = periode(
            TypePeriode::Personnalisee,
            Some(NaiveDate::MAX),
            Some(NaiveDate::MAX),
            aujourd_hui,
        );
        assert_eq!(champ(bout_du_calendrier.unwrap_err()), "periode.fin");
    }

    #[test]
    fn une_periode_nommee_refuse_des_bornes() {
        let aujourd_hui = jour(2026, 11, 25);
        let err = periode(TypePeriode::Mois, Some(aujourd_hui), None, aujourd_hui).unwrap_err();
        assert_eq!(champ(err), "periode.debut");
        let err = periode(TypePeriode::Semaine, None, Some(aujourd_hui), aujourd_hui).unwrap_err();
        assert_eq!(champ(err), "periode.fin");
    }

    #[test]
    fn la_periode_va_de_minuit_au_minuit_du_lendemain_de_la_fin() {
        let p = Periode {
            debut: jour(2026, 11, 1),
            fin: jour(2026, 11, 30),
        };
        let (debut, fin) = p.instants();
        assert_eq!(debut.to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert_eq!(fin.to_rfc3339(), "2026-12-01T00:00:00+00:00");
    }

    #[test]
    fn les_statuts_sont_tous_la_et_les_regions_triees() {
        let lignes = avec_zeros(
            StatutWorkflow::ALL,
            vec![(StatutWorkflow::Conforme, 2), (StatutWorkflow::Soumis, 1)],
        );
        assert_eq!(lignes.len(), StatutWorkflow::ALL.len());
        assert_eq!(lignes[0], (StatutWorkflow::Brouillon, 0));
        assert!(lignes.contains(&(StatutWorkflow::Conforme, 2)));

        let regions = les_plus_frequents(
            vec![
                (Region::Yamoussoukro, 1),
                (Region::Bafing, 0),
                (Region::SanPedro, 3),
                (Region::Abidjan, 1),
            ],
            |r| r.label(),
        );
        assert_eq!(
            regions,
            vec![
                (Region::SanPedro, 3),
                (Region::Abidjan, 1),
                (Region::Yamoussoukro, 1)
            ]
        );
    }
}

//! ARTCI's dashboard as GraphQL shows it: the period asked for and the counts of
//! `domain::tableau_de_bord`.

use crate::graphql::types::Date;
use async_graphql::{Enum, InputObject, SimpleObject};

use crate::domain::tableau_de_bord as domaine;
use crate::graphql::types::Agent;
use crate::models::enums::{Region, SecteurActivite, StatutConformite, StatutWorkflow};

/// La période d'un tableau de bord. Les périodes nommées sont les périodes du calendrier en
/// cours à la date du jour (heure d'Abidjan, UTC), bornes comprises.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypePeriode {
    /// Aujourd'hui.
    AujourdHui,
    /// La semaine en cours, du lundi au dimanche.
    Semaine,
    /// Le mois en cours, du premier au dernier jour.
    Mois,
    /// Le trimestre civil en cours (janvier–mars, avril–juin, juillet–septembre,
    /// octobre–décembre).
    Trimestre,
    /// L'année civile en cours.
    Annee,
    /// De `debut` à `fin`, tous deux requis et compris ; 5 ans au plus.
    Personnalisee,
}

impl From<TypePeriode> for domaine::TypePeriode {
    fn from(t: TypePeriode) -> Self {
        match t {
            TypePeriode::AujourdHui => Self::AujourdHui,
            TypePeriode::Semaine => Self::Semaine,
            TypePeriode::Mois => Self::Mois,
            TypePeriode::Trimestre => Self::Trimestre,
            TypePeriode::Annee => Self::Annee,
            TypePeriode::Personnalisee => Self::Personnalisee,
        }
    }
}

/// La période demandée : un type nommé sans dates, ou `PERSONNALISEE` avec `debut` et `fin`.
#[derive(InputObject, Debug)]
pub struct PeriodeInput {
    #[graphql(name = "type")]
    pub type_periode: TypePeriode,
    /// Premier jour compris (`PERSONNALISEE` seulement).
    pub debut: Option<Date>,
    /// Dernier jour compris (`PERSONNALISEE` seulement), au plus 5 ans après `debut`.
    pub fin: Option<Date>,
}

/// Les jours couverts par un tableau de bord, bornes comprises.
#[derive(SimpleObject)]
pub struct PeriodeCouverte {
    pub debut: Date,
    pub fin: Date,
}

/// Nombre de dossiers soumis sur la période qui sont aujourd'hui dans ce statut.
#[derive(SimpleObject)]
pub struct CompteParStatut {
    pub statut: StatutWorkflow,
    pub nombre: i64,
}

/// Nombre de dossiers soumis sur la période qui ont aujourd'hui ce statut de conformité.
#[derive(SimpleObject)]
pub struct CompteParStatutConformite {
    pub statut: StatutConformite,
    pub nombre: i64,
}

/// Nombre de dossiers soumis sur la période dans cette région.
#[derive(SimpleObject)]
pub struct CompteParRegion {
    pub region: Region,
    pub nombre: i64,
}

/// Nombre de dossiers soumis sur la période dans ce secteur d'activité.
#[derive(SimpleObject)]
pub struct CompteParSecteur {
    pub secteur: SecteurActivite,
    pub nombre: i64,
}

/// La charge d'un agent : ce qu'il détient maintenant et ce qu'il a reçu et achevé sur la
/// période.
#[derive(SimpleObject)]
pub struct ChargeAgent {
    pub agent: Agent,
    /// Assignations ouvertes maintenant (ni validées ni annulées), quelle que soit la période.
    pub en_cours: i64,
    /// Parmi elles, celles en retard maintenant : marquées en retard, ou en cours ou renvoyées
    /// dont l'échéance est passée. Un traitement qui attend sa validation n'est plus en retard
    /// du fait de l'agent.
    pub en_retard: i64,
    /// Parmi elles, les traitements proposés qui attendent la validation du N+1.
    pub attente_validation: i64,
    /// Assignations reçues sur la période (date d'assignation ; une réassignation compte pour
    /// l'agent qui reçoit le dossier, le jour où il le reçoit).
    pub assignees_sur_periode: i64,
    /// Traitements de l'agent validés par le N+1 sur la période (date de validation) : le
    /// travail achevé, pas seulement proposé.
    pub traitees_sur_periode: i64,
}

impl From<domaine::ChargeAgent> for ChargeAgent {
    fn from(c: domaine::ChargeAgent) -> Self {
        Self {
            agent: Agent(c.agent),
            en_cours: c.en_cours,
            en_retard: c.en_retard,
            attente_validation: c.attente_validation,
            assignees_sur_periode: c.assignees_sur_periode,
            traitees_sur_periode: c.traitees_sur_periode,
        }
    }
}

/// Le tableau de bord de l'ARTCI pour une période.
///
/// Les comptes de dossiers (`total`, `parStatut`, `parStatutConformite`, `parRegion`,
/// `parSecteur`) portent sur les dossiers dont la dernière soumission date d'un jour de la
/// période, chacun compté sous son statut actuel ; un dossier retiré par son entreprise n'est
/// plus compté. Tous les comptes viennent d'un même instantané de la base.
#[derive(SimpleObject)]
pub struct TableauDeBord {
    pub periode: PeriodeCouverte,
    /// Dossiers soumis sur la période.
    pub total: i64,
    /// Chaque statut du dossier, dans l'ordre du cycle de vie, y compris ceux à 0.
    pub par_statut: Vec<CompteParStatut>,
    /// Chaque statut de conformité, dans l'ordre de l'énumération, y compris ceux à 0.
    pub par_statut_conformite: Vec<CompteParStatutConformite>,
    /// Les régions représentées seulement, la plus fréquente d'abord (à égalité, par ordre
    /// alphabétique de la valeur).
    pub par_region: Vec<CompteParRegion>,
    /// Les secteurs représentés seulement, le plus fréquent d'abord (à égalité, par ordre
    /// alphabétique de la valeur).
    pub par_secteur: Vec<CompteParSecteur>,
    /// Les agents actifs de rôle éditeur et au-delà, et tout autre agent qui détient une
    /// assignation ouverte ou en a reçu ou achevé une sur la période ; par nom puis prénom.
    pub par_agent: Vec<ChargeAgent>,
    /// Les rapports annuels d'activité de la campagne en cours, quelle que soit la période.
    pub rapports_activite: CampagneRapportsActivite,
    /// Dossiers en attente de décision (soumis, en vérification, en attente de compléments)
    /// dont la date limite de décision est dépassée, aujourd'hui, quelle que soit la période.
    pub delais_depasses: i64,
}

/// La campagne des rapports annuels d'activité en cours : les rapports sur l'année dernière,
/// attendus au plus tard le 31 mars de cette année.
#[derive(SimpleObject)]
pub struct CampagneRapportsActivite {
    /// L'année sur laquelle portent les rapports.
    pub annee: i32,
    /// Entités ayant déposé au moins un rapport sur cette année.
    pub recus: i64,
    /// Rapports acceptés sur cette année.
    pub acceptes: i64,
    /// Entités approuvées sans rapport en attente ni accepté après le 31 mars (0 avant).
    pub en_retard: i64,
}

impl From<domaine::TableauDeBord> for TableauDeBord {
    fn from(t: domaine::TableauDeBord) -> Self {
        let total = t.total();
        Self {
            periode: PeriodeCouverte {
                debut: t.periode.debut.into(),
                fin: t.periode.fin.into(),
            },
            total,
            par_statut: t
                .par_statut
                .into_iter()
                .map(|(statut, nombre)| CompteParStatut { statut, nombre })
                .collect(),
            par_statut_conformite: t
                .par_statut_conformite
                .into_iter()
                .map(|(statut, nombre)| CompteParStatutConformite { statut, nombre })
                .collect(),
            par_region: t
                .par_region
                .into_iter()
                .map(|(region, nombre)| CompteParRegion { region, nombre })
                .collect(),
            par_secteur: t
                .par_secteur
                .into_iter()
                .map(|(secteur, nombre)| CompteParSecteur { secteur, nombre })
                .collect(),
            par_agent: t.par_agent.into_iter().map(Into::into).collect(),
            rapports_activite: CampagneRapportsActivite {
                annee: t.campagne_rapports,
                recus: t.suivi.rapports_recus,
                acceptes: t.suivi.rapports_acceptes,
                en_retard: t.suivi.rapports_en_retard,
            },
            delais_depasses: t.suivi.delais_depasses,
        }
    }
}

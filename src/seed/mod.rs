//! `registre-dcp seed`: fills a demonstration database with N entities across Côte d'Ivoire,
//! with their parts, in every workflow status, for demos and benchmarks.
//!
//! Choices:
//! - **deterministic**: everything is drawn from the seed (`--graine`) and the reference day
//!   (`--date`, today by default): two runs on empty databases with one seed and one day give
//!   the same entities, accounts, numbers and parts (only the identifiers of the list rows,
//!   drawn by the database, differ);
//! - **hard to run by accident on a real registry**: the seed refuses a database that already
//!   holds an entity or a company account unless `--ajouter` is given; it runs in ONE
//!   transaction, so a failed run leaves nothing behind;
//! - **consistent**: each status comes with the fields it implies (submission, assignment,
//!   decision, number and approval dates, rejection reason, compliance deadline),
//!   `statut_conformite` follows the workflow (`workflow::statut_conformite`), the formality
//!   and the score are computed by the domain's rules from the generated parts, and
//!   `publie_sur_carte` is written true exactly for `publie` (the trigger then has nothing to
//!   change). Receipt and authorisation numbers are taken in date order from the yearly
//!   counters of `numeros_delivres`, which are moved past them, so a later `validerDossier`
//!   continues the sequence. The public projection (`registre_public`, the map's clusters) is
//!   rebuilt at the end when the schema has it;
//! - **people**: a few ARTCI staff (2 admins, 8 editeurs, 1 lecteur, `…@demo.artci.ci`) and
//!   the company accounts owning about two thirds of the entities
//!   (`entreprise000001@demo.registre-dcp.ci`, …), all vetted, with the password
//!   [`MOT_DE_PASSE_DEMO`]: a demo database is meant to be logged into. The rest are entered
//!   by ARTCI and unclaimed;
//! - **fast**: rows are generated in Rust and inserted by batches of [`TAILLE_LOT`] entities,
//!   one `INSERT … SELECT … FROM unnest(…)` per table and batch (one bind per column). The
//!   triggers stay on: for 100,000 entities (45 s in all, release build, 2 cores), the
//!   `NOTIFY` of each new dossier and assignment and the deferred Σ-percentage check make a
//!   1.2 s commit, and the dossiers' inserts with their triggers take 4.4 s. A server
//!   listening meanwhile receives every notification at the commit: seed before starting it.
//!   Documents (files) and history lines are not seeded.

mod donnees;
pub mod generation;
mod insertion;

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::domain::decisions::{self, NatureNumero};
use crate::models::enums::StatutWorkflow;
use generation::{Entite, Parametres};

/// Entities per batch: each statement carries a few thousand rows.
pub const TAILLE_LOT: usize = 5_000;

/// The password of every seeded account, staff and companies alike.
pub const MOT_DE_PASSE_DEMO: &str = "Demo-Registre-2026!";

/// The seed used when `--graine` is not given.
pub const GRAINE_PAR_DEFAUT: u64 = 20_130_619;

/// Key of the advisory lock that keeps two seeds from running together ("seed").
const CLE_VERROU: i64 = 0x7365_6564;

#[derive(Debug, Clone)]
pub struct OptionsSeed {
    /// How many entities to create.
    pub entites: u64,
    pub graine: u64,
    /// Add to a registry that already holds entities or accounts.
    pub ajouter: bool,
    /// Do nothing (successfully) when the registry already holds entities or accounts: a
    /// container's one-shot seed, run again at each `docker compose up`.
    pub si_vide: bool,
    /// The reference day: dates are drawn around it.
    pub aujourd_hui: NaiveDate,
    /// Validity of an approval, in months (`VALIDITE_AGREMENT_MOIS`).
    pub validite_mois: u32,
}

/// What a run created.
#[derive(Debug, Clone)]
pub struct Bilan {
    pub entites: u64,
    pub comptes: u64,
    pub par_statut: BTreeMap<&'static str, u64>,
    pub traitements: u64,
    pub numeros: u64,
    pub duree: Duration,
    /// `--si-vide` on a registry that already held data: nothing was written.
    pub deja_peuplee: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ErreurSeed {
    #[error(
        "la base contient déjà {entites} entité(s) et {comptes} compte(s) d'entreprise : \
         refus de la peupler (--ajouter pour ajouter des données de démonstration à un \
         registre existant)"
    )]
    BaseNonVide { entites: i64, comptes: i64 },
    #[error("trop de numéros pour l'année {0} (au plus 999 999 par an et par nature)")]
    NumerosEpuises(i32),
    #[error("hachage du mot de passe de démonstration : {0}")]
    Hachage(String),
    #[error(transparent)]
    Base(#[from] diesel::result::Error),
}

#[derive(diesel::QueryableByName)]
struct Compte {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct Texte {
    #[diesel(sql_type = Text)]
    t: String,
}

/// Fills the database `conn` is connected to (already migrated), in one transaction.
pub async fn peupler(
    conn: &mut AsyncPgConnection,
    options: &OptionsSeed,
) -> Result<Bilan, ErreurSeed> {
    let debut = Instant::now();
    let mot_de_passe = tokio::task::spawn_blocking(|| {
        crate::domain::mot_de_passe::hash_blocking(MOT_DE_PASSE_DEMO)
    })
    .await
    .map_err(|e| ErreurSeed::Hachage(e.to_string()))?
    .map_err(|e| ErreurSeed::Hachage(e.to_string()))?;
    let mut bilan = conn
        .transaction::<_, ErreurSeed, _>(async |conn| {
            diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                .bind::<BigInt, _>(CLE_VERROU)
                .execute(conn)
                .await?;
            let entites = compter(conn, "SELECT count(*) AS n FROM entites_base").await?;
            let comptes = compter(conn, "SELECT count(*) AS n FROM comptes_entreprises").await?;
            if (entites > 0 || comptes > 0) && options.si_vide && !options.ajouter {
                return Ok(Bilan {
                    entites: 0,
                    comptes: 0,
                    par_statut: BTreeMap::new(),
                    traitements: 0,
                    numeros: 0,
                    duree: Duration::ZERO,
                    deja_peuplee: true,
                });
            }
            if (entites > 0 || comptes > 0) && !options.ajouter {
                return Err(ErreurSeed::BaseNonVide { entites, comptes });
            }
            // Validations running meanwhile wait for the seed's numbers.
            diesel::sql_query("LOCK TABLE numeros_delivres IN SHARE ROW EXCLUSIVE MODE")
                .execute(conn)
                .await?;
            let personnel = insertion::personnel(conn, &mot_de_passe, options.aujourd_hui).await?;
            let plan = planifier(conn, options, entites as u64, comptes as u64).await?;
            insertion::comptes(conn, &plan, &personnel, &mot_de_passe, options).await?;
            let p = plan.parametres;
            let mut traitements = 0;
            let mut par_statut = BTreeMap::new();
            let mut debut_lot = 0;
            while debut_lot < plan.nccs.len() {
                let fin = (debut_lot + TAILLE_LOT).min(plan.nccs.len());
                let lot: Vec<Entite> = (debut_lot..fin)
                    .map(|i| {
                        let mut e = generation::entite(&p, plan.premier_rang + i as u64);
                        e.ncc = plan.nccs[i].clone();
                        e
                    })
                    .collect();
                for e in &lot {
                    traitements += e.traitements.len() as u64;
                    *par_statut.entry(e.statut.label()).or_insert(0) += 1;
                }
                insertion::lot(conn, &lot, &plan, debut_lot, &personnel).await?;
                debut_lot = fin;
            }
            insertion::compteurs(conn, &plan.compteurs).await?;
            // The public register's projection and the map's clusters, rebuilt whole.
            crate::models::registre_public::reconstruire(conn).await?;
            Ok(Bilan {
                entites: plan.nccs.len() as u64,
                comptes: plan.comptes.len() as u64,
                par_statut,
                traitements,
                numeros: plan.numeros.iter().flatten().count() as u64,
                duree: Duration::ZERO,
                deja_peuplee: false,
            })
        })
        .await?;
    bilan.duree = debut.elapsed();
    Ok(bilan)
}

async fn compter(conn: &mut AsyncPgConnection, sql: &str) -> Result<i64, ErreurSeed> {
    Ok(diesel::sql_query(sql).get_result::<Compte>(conn).await?.n)
}

/// A company account: created from the first entity it owns.
#[derive(Debug, Clone)]
pub(crate) struct PlanCompte {
    pub id: uuid::Uuid,
    pub rang: u64,
    /// Index (in the run) of the entity the account was created for.
    pub entite: usize,
    pub ncc: String,
}

/// What must be known of every entity before any is inserted: unique NCCs, the accounts,
/// and the numbers, allocated in the order of the validations.
pub(crate) struct Plan {
    pub parametres: Parametres,
    pub premier_rang: u64,
    pub nccs: Vec<String>,
    /// The account owning entity i, as an index into `comptes`.
    pub proprietaires: Vec<Option<u32>>,
    pub comptes: Vec<PlanCompte>,
    pub numeros: Vec<Option<String>>,
    /// The last number issued per (year, nature) once the run is done.
    pub compteurs: BTreeMap<(i32, &'static str), i32>,
}

async fn planifier(
    conn: &mut AsyncPgConnection,
    options: &OptionsSeed,
    entites_existantes: u64,
    comptes_existants: u64,
) -> Result<Plan, ErreurSeed> {
    let parametres = Parametres {
        graine: options.graine,
        aujourd_hui: options.aujourd_hui,
        validite_mois: options.validite_mois,
    };
    // An added run continues the ranks, hence other random streams and other NCCs.
    let premier_rang = entites_existantes;
    let mut pris: HashSet<String> = HashSet::new();
    if entites_existantes > 0 || comptes_existants > 0 {
        for requete in [
            "SELECT numero_cc AS t FROM entites_base",
            "SELECT numero_cc AS t FROM comptes_entreprises",
        ] {
            pris.extend(
                diesel::sql_query(requete)
                    .load::<Texte>(conn)
                    .await?
                    .into_iter()
                    .map(|r| r.t),
            );
        }
    }
    let n = options.entites as usize;
    let mut nccs = Vec::with_capacity(n);
    let mut proprietaires = Vec::with_capacity(n);
    let mut comptes: Vec<PlanCompte> = Vec::new();
    let mut validees = Vec::new();
    let mut precedent_proprietaire = false;
    for i in 0..n {
        let rang = premier_rang + i as u64;
        let e = generation::entite(&parametres, rang);
        let mut ncc = e.ncc.clone();
        let mut essai = 0;
        while !pris.insert(ncc.clone()) {
            essai += 1;
            ncc = generation::ncc(
                options.graine.wrapping_add(essai),
                rang,
                ncc.as_bytes()[7] - b'A',
            );
        }
        if e.proprietaire {
            let mut rng = generation::flux(options.graine, generation::DOMAINE_COMPTE, rang);
            // About a quarter of the owners hold several entities (consecutive ranks).
            let rejoint = precedent_proprietaire && rand::Rng::random_bool(&mut rng, 0.25);
            if !rejoint {
                comptes.push(PlanCompte {
                    id: generation::uuid(&mut rng),
                    rang: comptes_existants + comptes.len() as u64 + 1,
                    entite: i,
                    ncc: ncc.clone(),
                });
            }
            proprietaires.push(Some((comptes.len() - 1) as u32));
        } else {
            proprietaires.push(None);
        }
        precedent_proprietaire = e.proprietaire;
        if let (Some(validation), Some(formalite)) = (e.date_validation, e.type_formalite) {
            validees.push((validation, i, NatureNumero::pour(formalite)));
        }
        nccs.push(ncc);
    }

    let mut compteurs: BTreeMap<(i32, &'static str), i32> = BTreeMap::new();
    #[derive(diesel::QueryableByName)]
    struct Compteur {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        annee: i32,
        #[diesel(sql_type = Text)]
        nature: String,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        dernier: i32,
    }
    for c in diesel::sql_query("SELECT annee, nature, dernier FROM numeros_delivres")
        .load::<Compteur>(conn)
        .await?
    {
        let nature = match c.nature.as_str() {
            "recepisse" => NatureNumero::Recepisse.label(),
            _ => NatureNumero::Autorisation.label(),
        };
        compteurs.insert((c.annee, nature), c.dernier);
    }
    validees.sort_by_key(|&(validation, i, _)| (validation, i));
    let mut numeros = vec![None; n];
    for (validation, i, nature) in validees {
        let annee = validation.year();
        let dernier = compteurs.entry((annee, nature.label())).or_insert(0);
        if *dernier >= 999_999 {
            return Err(ErreurSeed::NumerosEpuises(annee));
        }
        *dernier += 1;
        numeros[i] = Some(decisions::formater_numero(nature, annee, *dernier));
    }
    Ok(Plan {
        parametres,
        premier_rang,
        nccs,
        proprietaires,
        comptes,
        numeros,
        compteurs,
    })
}

/// The statuses in the workflow's order, with their counts, for the summary.
pub fn resume(bilan: &Bilan) -> String {
    if bilan.deja_peuplee {
        return "la base contient déjà des données : rien n'a été ajouté (--si-vide)".to_owned();
    }
    let mut lignes = vec![format!(
        "{} entités, {} comptes d'entreprise, {} traitements, {} numéros délivrés en {:.1} s",
        bilan.entites,
        bilan.comptes,
        bilan.traitements,
        bilan.numeros,
        bilan.duree.as_secs_f64()
    )];
    for statut in StatutWorkflow::ALL {
        let n = bilan.par_statut.get(statut.label()).copied().unwrap_or(0);
        lignes.push(format!("  {:<24} {n:>8}", statut.label()));
    }
    lignes.join("\n")
}

/// The whole command on the database at `url`: migrations, then [`peupler`].
pub async fn executer(url: &str, options: &OptionsSeed) -> anyhow::Result<Bilan> {
    use anyhow::Context as _;
    crate::migrations::run_pending(url).await?;
    let mut conn = AsyncPgConnection::establish(url)
        .await
        .context("connexion à la base")?;
    Ok(peupler(&mut conn, options).await?)
}

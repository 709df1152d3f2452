//! One demo entity and its parts, generated in Rust from its own random stream: entity `i`
//! of seed `g` is the same whatever the batch size or the other entities, so a run can
//! generate an entity twice (once to allocate the numbers in date order, once to insert it)
//! and two runs with one seed give the same data.
//!
//! The formality and the score are not drawn: they are computed from the generated parts by
//! the domain's rules (`formalites`, `score`), so an agent's screen shows what the rules say.

use chrono::{DateTime, Days, Months, NaiveDate, NaiveTime, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use super::donnees::{self, ModeleTraitement, Ville};
use crate::domain::decisions;
use crate::domain::dossier::{FaitsDossier, FaitsSousTraitant, FaitsTraitement, FaitsTransfert};
use crate::domain::{formalites, score};
use crate::models::enums::{
    CodeCategorieDonnees, CodeMesureSecurite, MethodeLocalisation, Region, SecteurActivite,
    StatutWorkflow, TypeDpo, TypeFormalite, TypeMesureSecurite,
};

/// How often each status is drawn (per 100): a registry where most dossiers are published or
/// on their way, with a tail of drafts, rejections and expiries.
const STATUTS: [(StatutWorkflow, u32); 11] = [
    (StatutWorkflow::Brouillon, 12),
    (StatutWorkflow::BrouillonArtci, 10),
    (StatutWorkflow::Soumis, 9),
    (StatutWorkflow::EnVerification, 8),
    (StatutWorkflow::EnAttenteComplements, 7),
    (StatutWorkflow::Conforme, 5),
    (StatutWorkflow::ConformeSousReserve, 5),
    (StatutWorkflow::Valide, 10),
    (StatutWorkflow::Publie, 26),
    (StatutWorkflow::Rejete, 4),
    (StatutWorkflow::Expire, 4),
];

/// What the generator needs besides the entity's rank.
#[derive(Debug, Clone, Copy)]
pub struct Parametres {
    pub graine: u64,
    pub aujourd_hui: NaiveDate,
    pub validite_mois: u32,
}

/// A stream of its own for entity `index` (or account, with another `domaine`).
pub fn flux(graine: u64, domaine: u64, index: u64) -> StdRng {
    // SplitMix64 of the three, so neighbouring ranks get unrelated streams.
    let mut z = graine ^ domaine.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index.rotate_left(32);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    StdRng::seed_from_u64(z ^ (z >> 31))
}

pub const DOMAINE_ENTITE: u64 = 1;
pub const DOMAINE_COMPTE: u64 = 2;

pub fn uuid(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid()
}

#[derive(Debug, Clone)]
pub struct Traitement {
    pub id: Uuid,
    pub modele: &'static ModeleTraitement,
    pub transfert_hors_ci: bool,
    pub regime: TypeFormalite,
    /// Share of the map pop-up (the entity's shares sum to at most 100).
    pub pourcentage: i16,
}

#[derive(Debug, Clone)]
pub struct Dpo {
    pub nom: &'static str,
    pub prenom: &'static str,
    pub email: String,
    pub telephone: String,
    pub type_dpo: TypeDpo,
    pub organisme: Option<String>,
    pub date_designation: NaiveDate,
    pub statut_designation: &'static str,
}

#[derive(Debug, Clone)]
pub struct Mesure {
    pub type_mesure: TypeMesureSecurite,
    pub code: CodeMesureSecurite,
    pub description: &'static str,
    pub date: Option<NaiveDate>,
}

/// One entity with every part the seed writes.
#[derive(Debug, Clone)]
pub struct Entite {
    pub id: Uuid,
    pub statut: StatutWorkflow,
    /// Owned by a company account (else entered by ARTCI and unclaimed).
    pub proprietaire: bool,
    /// Entered by ARTCI, then claimed by its company.
    pub rapprochee: bool,
    /// The NCC drawn; the run may move it to keep NCCs unique.
    pub ncc: String,
    pub secteur: SecteurActivite,
    pub denomination: String,
    pub sigle: Option<String>,
    pub forme_juridique: &'static str,
    pub ville: &'static str,
    pub commune: &'static str,
    pub quartier: &'static str,
    pub region: Region,
    pub adresse: String,
    pub telephone: String,
    pub email: String,
    pub latitude: f64,
    pub longitude: f64,
    pub precision_m: i32,
    pub methode: MethodeLocalisation,
    pub representant_prenom: &'static str,
    pub representant_nom: &'static str,
    pub representant_fonction: &'static str,
    pub representant_email: String,
    pub representant_telephone: String,
    pub site_web: Option<String>,
    pub cree_le: DateTime<Utc>,
    pub type_formalite: Option<TypeFormalite>,
    pub date_soumission: Option<DateTime<Utc>>,
    pub date_validation: Option<DateTime<Utc>>,
    pub date_expiration: Option<NaiveDate>,
    pub date_publication: Option<DateTime<Utc>>,
    pub date_rejet: Option<DateTime<Utc>>,
    pub motif_rejet: Option<&'static str>,
    /// When the agent's assignment started (every dossier that reached verification).
    pub date_assignation: Option<DateTime<Utc>>,
    /// When the N+1 decided (complements, conforme, sous réserve, rejet).
    pub date_decision: Option<DateTime<Utc>>,
    /// Rank of the agent among the seeded agents, and of the deciding admin.
    pub agent: usize,
    pub admin: usize,
    pub version: i32,
    pub score: i16,
    pub effectif: i32,
    pub volume: i64,
    pub delai_mise_en_conformite: Option<NaiveDate>,
    pub dpo: Option<Dpo>,
    pub traitements: Vec<Traitement>,
    /// `(traitement rank, category, sensitive)`.
    pub categories: Vec<(usize, CodeCategorieDonnees, bool)>,
    pub sous_traitants: Vec<(&'static (&'static str, &'static str, &'static str), bool)>,
    pub transferts: Vec<&'static (&'static str, &'static str, &'static str)>,
    pub connaissance_loi: bool,
    pub declaration_artci: bool,
    pub autorisation_artci: bool,
    pub procedure_droits: bool,
    pub politique_securite: bool,
    pub analyse_risques: bool,
    pub formation_personnel: bool,
    pub mesures: Vec<Mesure>,
    /// Drawn for the assignment and the proposed decision.
    pub traitee_par_agent: bool,
}

impl Entite {
    /// The dossier was submitted at least once.
    pub fn soumise(&self) -> bool {
        self.date_soumission.is_some()
    }
}

/// A weighted choice over `(value, weight)` pairs.
pub fn pondere<T: Copy>(rng: &mut StdRng, choix: &[(T, u32)]) -> T {
    let total: u32 = choix.iter().map(|(_, p)| p).sum();
    let mut tirage = rng.random_range(0..total);
    for (valeur, poids) in choix {
        if tirage < *poids {
            return *valeur;
        }
        tirage -= poids;
    }
    choix[choix.len() - 1].0
}

fn choisir<T: Copy>(rng: &mut StdRng, liste: &[T]) -> T {
    *liste.choose(rng).expect("liste non vide")
}

/// `s` in lower-case ASCII letters, digits and dashes: for e-mail addresses and web sites.
pub fn slug(s: &str, max: usize) -> String {
    let mut sortie = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' | 'Ç' => 'c',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            sortie.push(c);
        } else if !sortie.is_empty() && !sortie.ends_with('-') {
            sortie.push('-');
        }
        if sortie.len() >= max {
            break;
        }
    }
    sortie.trim_end_matches('-').to_owned()
}

/// A sigle from the capitalised words: « Société Ivoirienne des Textiles » → SIT.
fn sigle(denomination: &str) -> Option<String> {
    let lettres: String = denomination
        .split([' ', '-', '\''])
        .filter_map(|mot| mot.chars().next())
        .filter(|c| c.is_uppercase())
        .map(|c| match slug(&c.to_string(), 1).chars().next() {
            Some(a) => a.to_ascii_uppercase(),
            None => c,
        })
        .collect();
    (lettres.chars().count() >= 3).then_some(lettres)
}

/// An NCC: 7 digits and a letter. The digits of rank `i` are a bijection of `i` (modulo
/// 10^7), so ranks below ten million never share them.
pub fn ncc(graine: u64, rang: u64, lettre: u8) -> String {
    const MODULE: u64 = 10_000_000;
    // 7_654_321 is prime to 10^7 (odd, not a multiple of 5): i ↦ a·i + b is a bijection.
    let decalage = graine % MODULE;
    let chiffres = (rang % MODULE * 7_654_321 + decalage) % MODULE;
    format!("{chiffres:07}{}", char::from(b'A' + lettre % 26))
}

fn telephone(rng: &mut StdRng, fixe: bool) -> String {
    let prefixe = if fixe {
        format!("27 2{}", rng.random_range(0..10))
    } else {
        choisir(rng, &["01", "05", "07"]).to_owned()
    };
    let n: u32 = rng.random_range(0..100_000_000);
    if fixe {
        format!(
            "+225 {prefixe} {:02} {:02} {:02}",
            n / 10_000 % 100,
            n / 100 % 100,
            n % 100
        )
    } else {
        format!(
            "+225 {prefixe} {:02} {:02} {:02} {:02}",
            n / 1_000_000 % 100,
            n / 10_000 % 100,
            n / 100 % 100,
            n % 100
        )
    }
}

/// A point within `rayon_km` of a centre, uniform over the disc.
fn autour(rng: &mut StdRng, latitude: f64, longitude: f64, rayon_km: f64) -> (f64, f64) {
    let distance = rayon_km * rng.random::<f64>().sqrt();
    let angle = rng.random::<f64>() * std::f64::consts::TAU;
    let dlat = distance * angle.sin() / 111.32;
    let dlon = distance * angle.cos() / (111.32 * latitude.to_radians().cos());
    (latitude + dlat, longitude + dlon)
}

fn instant(jour: NaiveDate, rng: &mut StdRng) -> DateTime<Utc> {
    let secondes = rng.random_range(8 * 3600..18 * 3600);
    jour.and_time(NaiveTime::MIN).and_utc() + chrono::Duration::seconds(secondes)
}

fn jours_avant(jour: NaiveDate, n: u64) -> NaiveDate {
    jour.checked_sub_days(Days::new(n)).unwrap_or(jour)
}

fn jours_apres(jour: NaiveDate, n: u64) -> NaiveDate {
    jour.checked_add_days(Days::new(n)).unwrap_or(jour)
}

/// How likely each good practice is, by how far the dossier went.
fn qualite(statut: StatutWorkflow) -> f64 {
    use StatutWorkflow as W;
    match statut {
        W::Brouillon | W::BrouillonArtci | W::Rejete => 0.35,
        W::Soumis | W::EnVerification | W::EnAttenteComplements => 0.6,
        W::ConformeSousReserve => 0.8,
        W::Conforme | W::Valide | W::Publie | W::EnModification | W::Expire => 0.93,
    }
}

const MESURES: &[(TypeMesureSecurite, CodeMesureSecurite, &str)] = &[
    (
        TypeMesureSecurite::Technique,
        CodeMesureSecurite::ControleAcces,
        "Comptes nominatifs et droits par profil",
    ),
    (
        TypeMesureSecurite::Technique,
        CodeMesureSecurite::Sauvegarde,
        "Sauvegarde quotidienne hors site",
    ),
    (
        TypeMesureSecurite::Technique,
        CodeMesureSecurite::PareFeuAntivirus,
        "Pare-feu et antivirus à jour",
    ),
    (
        TypeMesureSecurite::Technique,
        CodeMesureSecurite::Chiffrement,
        "Chiffrement des postes portables",
    ),
    (
        TypeMesureSecurite::Organisationnelle,
        CodeMesureSecurite::Sensibilisation,
        "Sensibilisation annuelle du personnel",
    ),
    (
        TypeMesureSecurite::Organisationnelle,
        CodeMesureSecurite::ClauseConfidentialite,
        "Clause de confidentialité dans les contrats",
    ),
    (
        TypeMesureSecurite::Physique,
        CodeMesureSecurite::SecuriteLocaux,
        "Salle serveur fermée à clé",
    ),
];

/// Entity `index` of the run.
pub fn entite(p: &Parametres, index: u64) -> Entite {
    let mut rng = flux(p.graine, DOMAINE_ENTITE, index);
    let rng = &mut rng;
    let id = uuid(rng);
    // The first entities take each status once, so every status is shown; but for
    // `en_modification`, which needs an approved version to amend (the seed issues none).
    let statut = match StatutWorkflow::ALL
        .iter()
        .filter(|s| **s != StatutWorkflow::EnModification)
        .nth(index as usize)
    {
        Some(s) => *s,
        None => pondere(rng, &STATUTS),
    };
    let q = qualite(statut);
    let proprietaire = match statut {
        StatutWorkflow::Brouillon => true,
        StatutWorkflow::BrouillonArtci => false,
        _ => rng.random_bool(0.65),
    };
    let rapprochee = proprietaire && statut != StatutWorkflow::Brouillon && rng.random_bool(0.1);

    // Identity and place.
    let secteur = pondere(rng, donnees::SECTEURS);
    let villes: Vec<(&Ville, u32)> = donnees::VILLES.iter().map(|v| (v, v.poids)).collect();
    let ville = pondere(rng, &villes);
    let (commune, quartier, centre, rayon) = if ville.region == Region::Abidjan {
        let (commune, lat, lon, quartiers) = choisir(rng, donnees::COMMUNES_ABIDJAN);
        (commune, choisir(rng, quartiers), (lat, lon), 2.0)
    } else {
        let quartier = choisir(rng, donnees::QUARTIERS);
        (ville.nom, quartier, (ville.latitude, ville.longitude), 4.0)
    };
    let (latitude, longitude) = autour(rng, centre.0, centre.1, rayon);
    let nom = choisir(rng, donnees::NOMS);
    let enseigne = choisir(rng, donnees::ENSEIGNES);
    let industrie = choisir(rng, donnees::INDUSTRIES);
    let modele = donnees::modele_denomination(
        secteur,
        rng.random_range(0..donnees::nombre_modeles(secteur)),
    );
    let mut denomination = modele
        .replace("{N}", nom)
        .replace("{E}", enseigne)
        .replace("{V}", ville.nom)
        .replace("{I}", industrie);
    if rng.random_bool(0.2) && modele.contains("{N}") {
        denomination = format!(
            "{denomination} {}",
            choisir(rng, &["& Fils", "Groupe", "CI"])
        );
    }
    let sigle = if rng.random_bool(0.4) {
        sigle(&denomination)
    } else {
        None
    };
    let domaine = slug(&denomination, 28);
    let representant_prenom = choisir(rng, donnees::PRENOMS);
    let representant_nom = choisir(rng, donnees::NOMS);
    let numero_rue = rng.random_range(1..200);
    let adresse = format!("{numero_rue} {}, {quartier}", choisir(rng, donnees::RUES));
    let formes = donnees::formes_juridiques(secteur);

    let mut e = Entite {
        id,
        statut,
        proprietaire,
        rapprochee,
        ncc: ncc(p.graine, index, rng.random_range(0..26)),
        secteur,
        sigle,
        forme_juridique: choisir(rng, formes),
        ville: ville.nom,
        commune,
        quartier,
        region: ville.region,
        adresse,
        telephone: telephone(rng, true),
        email: format!("contact@{domaine}.ci"),
        latitude,
        longitude,
        precision_m: choisir(rng, &[5, 10, 20, 50, 100]),
        methode: choisir(rng, MethodeLocalisation::ALL),
        representant_prenom,
        representant_nom,
        representant_fonction: choisir(rng, donnees::FONCTIONS_REPRESENTANT),
        representant_email: format!(
            "{}.{}@{domaine}.ci",
            slug(representant_prenom, 20),
            slug(representant_nom, 20)
        ),
        representant_telephone: telephone(rng, false),
        site_web: rng
            .random_bool(0.5)
            .then(|| format!("https://www.{domaine}.ci")),
        denomination,
        cree_le: DateTime::<Utc>::MIN_UTC,
        type_formalite: None,
        date_soumission: None,
        date_validation: None,
        date_expiration: None,
        date_publication: None,
        date_rejet: None,
        motif_rejet: None,
        date_assignation: None,
        date_decision: None,
        agent: rng.random_range(0..1000),
        admin: rng.random_range(0..1000),
        version: 1,
        score: 0,
        effectif: 0,
        volume: 0,
        delai_mise_en_conformite: None,
        dpo: None,
        traitements: Vec::new(),
        categories: Vec::new(),
        sous_traitants: Vec::new(),
        transferts: Vec::new(),
        connaissance_loi: rng.random_bool(q),
        declaration_artci: false,
        autorisation_artci: false,
        procedure_droits: rng.random_bool(q),
        politique_securite: rng.random_bool(q),
        analyse_risques: rng.random_bool(q * 0.8),
        formation_personnel: rng.random_bool(q * 0.8),
        mesures: Vec::new(),
        traitee_par_agent: rng.random_bool(0.4),
    };
    dates(p, rng, &mut e);
    dossier(rng, &mut e, q);
    e
}

/// The dates of the dossier's life, consistent with its status.
fn dates(p: &Parametres, rng: &mut StdRng, e: &mut Entite) {
    use StatutWorkflow as W;
    let aujourd_hui = p.aujourd_hui;
    let validite_jours = u64::from(p.validite_mois) * 30;
    let soumission = match e.statut {
        W::Brouillon | W::BrouillonArtci => None,
        W::Soumis => Some(jours_avant(aujourd_hui, rng.random_range(0..20))),
        W::EnVerification => Some(jours_avant(aujourd_hui, rng.random_range(3..28))),
        W::EnAttenteComplements => Some(jours_avant(aujourd_hui, rng.random_range(15..60))),
        W::Conforme | W::ConformeSousReserve => {
            Some(jours_avant(aujourd_hui, rng.random_range(20..90)))
        }
        W::Rejete => Some(jours_avant(aujourd_hui, rng.random_range(40..400))),
        // The seed opens no amendment (it issues no version to amend).
        W::Valide | W::Publie | W::EnModification => {
            let validation = jours_avant(
                aujourd_hui,
                rng.random_range(1..=validite_jours.saturating_sub(35).max(1)),
            );
            e.date_validation = Some(instant(validation, rng));
            e.date_expiration = Some(decisions::date_expiration(validation, p.validite_mois));
            Some(jours_avant(validation, rng.random_range(20..60)))
        }
        W::Expire => {
            let fin = jours_avant(aujourd_hui, rng.random_range(1..365));
            let validation = fin
                .checked_sub_months(Months::new(p.validite_mois))
                .unwrap_or(fin);
            e.date_validation = Some(instant(validation, rng));
            e.date_expiration = Some(decisions::date_expiration(validation, p.validite_mois));
            Some(jours_avant(validation, rng.random_range(20..60)))
        }
    };
    let creation = jours_avant(soumission.unwrap_or(aujourd_hui), rng.random_range(1..150));
    e.cree_le = instant(creation, rng);
    let Some(soumission) = soumission else {
        e.version = rng.random_range(1..4);
        return;
    };
    let soumis_le = instant(soumission, rng);
    e.date_soumission = Some(soumis_le);
    e.version = rng.random_range(3..9);
    if e.statut == W::Soumis {
        return;
    }
    let assignation = jours_apres(soumission, rng.random_range(1..4)).min(aujourd_hui);
    e.date_assignation = Some(instant(assignation, rng).max(soumis_le));
    let decision = match e.statut {
        W::EnVerification => return,
        W::Valide | W::Publie | W::Expire => {
            let validation = e.date_validation.expect("validée").date_naive();
            jours_avant(validation, rng.random_range(0..5)).max(assignation)
        }
        _ => jours_apres(assignation, rng.random_range(5..25)).min(aujourd_hui),
    };
    e.date_decision = Some(instant(decision, rng).max(e.date_assignation.expect("assignée")));
    match e.statut {
        W::Publie => {
            let validation = e.date_validation.expect("validée");
            let publication = validation + chrono::Duration::days(rng.random_range(0..15));
            e.date_publication = Some(publication.min(instant(aujourd_hui, rng)).max(validation));
        }
        W::Rejete => {
            e.date_rejet = e.date_decision;
            e.motif_rejet = Some(choisir(rng, donnees::MOTIFS_REJET));
        }
        W::ConformeSousReserve => {
            e.delai_mise_en_conformite = Some(jours_apres(aujourd_hui, rng.random_range(10..90)));
        }
        _ => {}
    }
}

/// The dossier's parts, then its formality and score by the domain's rules.
fn dossier(rng: &mut StdRng, e: &mut Entite, q: f64) {
    e.effectif = match e.secteur {
        SecteurActivite::Telecommunications | SecteurActivite::BanqueFinance => {
            rng.random_range(50..3000)
        }
        _ => rng.random_range(2..300),
    };
    e.volume = i64::from(e.effectif) * rng.random_range(10..2000);

    let mut modeles: Vec<&'static ModeleTraitement> = vec![&donnees::GESTION_PERSONNEL];
    let du_secteur = donnees::traitements_du_secteur(e.secteur);
    let nombre = rng.random_range(0..=du_secteur.len().min(2));
    for modele in du_secteur.choose_multiple(rng, nombre) {
        modeles.push(modele);
    }
    if !rng.random_bool(q.max(0.5)) && modeles.len() > 1 {
        // A sloppy register: staff management forgotten.
        modeles.remove(0);
    }
    if rng.random_bool(0.2) {
        let sous_traitant = donnees::SOUS_TRAITANTS.choose(rng).expect("liste non vide");
        e.sous_traitants.push((sous_traitant, rng.random_bool(q)));
    }
    if rng.random_bool(0.1) {
        e.transferts
            .push(donnees::TRANSFERTS.choose(rng).expect("liste non vide"));
    }

    // Shares of the map pop-up: decreasing, summing to at most 100.
    let mut reste: i16 = if rng.random_bool(0.7) {
        100
    } else {
        rng.random_range(60..100)
    };
    let nombre = modeles.len();
    for (rang, modele) in modeles.into_iter().enumerate() {
        let pourcentage = if rang + 1 == nombre {
            reste
        } else {
            let part = rng.random_range(reste / 3..=reste * 2 / 3);
            reste -= part;
            part
        };
        let sensibles = modele
            .categories
            .iter()
            .any(|c| formalites::CATEGORIES_SOUMISES_A_AUTORISATION.contains(c));
        let transfert_hors_ci = rang == 0 && !e.transferts.is_empty();
        e.traitements.push(Traitement {
            id: uuid(rng),
            modele,
            transfert_hors_ci,
            regime: if sensibles || transfert_hors_ci {
                TypeFormalite::AutorisationPrealable
            } else {
                TypeFormalite::DeclarationPrealable
            },
            pourcentage,
        });
        for categorie in modele.categories {
            e.categories
                .push((rang, *categorie, formalites::est_sensible(*categorie)));
        }
    }

    if rng.random_bool(if q > 0.9 { 0.75 } else { q * 0.6 }) {
        let type_dpo = if rng.random_bool(0.6) {
            TypeDpo::Interne
        } else {
            TypeDpo::Externe
        };
        let prenom = choisir(rng, donnees::PRENOMS);
        let nom = choisir(rng, donnees::NOMS);
        let organisme = (type_dpo == TypeDpo::Externe)
            .then(|| format!("Cabinet {} Conformité", choisir(rng, donnees::NOMS)));
        let domaine = match &organisme {
            Some(o) => slug(o, 28),
            None => slug(&e.denomination, 28),
        };
        use StatutWorkflow as W;
        e.dpo = Some(Dpo {
            nom,
            prenom,
            email: format!("{}.{}@{domaine}.ci", slug(prenom, 20), slug(nom, 20)),
            telephone: telephone(rng, false),
            type_dpo,
            organisme,
            date_designation: jours_avant(e.cree_le.date_naive(), rng.random_range(0..200)),
            statut_designation: match e.statut {
                W::Brouillon | W::BrouillonArtci => "a_declarer",
                W::Valide | W::Publie | W::Expire | W::Conforme => "validee",
                _ => "declaree",
            },
        });
    }

    // At most three measures: enough for the form, and each row costs at insertion. A
    // submitted dossier has at least one: `soumettreDossier` requires it (`progression`).
    let minimum = usize::from(e.soumise());
    let nombre = rng.random_range(minimum..=((q * 4.0) as usize).clamp(minimum, 3));
    for (type_mesure, code, description) in MESURES.choose_multiple(rng, nombre) {
        {
            e.mesures.push(Mesure {
                type_mesure: *type_mesure,
                code: *code,
                description,
                date: Some(jours_avant(
                    e.cree_le.date_naive(),
                    rng.random_range(30..900),
                )),
            });
        }
    }

    if e.soumise() {
        e.type_formalite = Some(formalites::type_formalite(&faits(e)));
    }
    // Formalities already done. A formality said done must carry its number to be submitted
    // (`progression`), and the only numbers a seeded dossier holds are the ones ARTCI issued
    // it: an approved dossier holds its receipt or its authorisation, and only that; a
    // submitted dossier not yet approved has none done (its formality is this very dossier).
    // A draft may say one is done without giving the number yet.
    let approuvee = e.date_validation.is_some();
    match e.type_formalite {
        Some(TypeFormalite::AutorisationPrealable) if approuvee => {
            e.autorisation_artci = true;
            e.declaration_artci = false;
        }
        Some(_) if approuvee => {
            e.declaration_artci = true;
            e.autorisation_artci = false;
        }
        _ if e.soumise() => {
            e.declaration_artci = false;
            e.autorisation_artci = false;
        }
        _ => {
            e.declaration_artci = rng.random_bool(q * 0.6);
            e.autorisation_artci = rng.random_bool(q * 0.3);
        }
    }
    e.score = i16::from(score::score(&self::faits(e)).total);
}

/// What the domain's formality and score rules read of a generated entity.
pub fn faits(e: &Entite) -> FaitsDossier {
    FaitsDossier {
        connaissance_loi: e.connaissance_loi,
        correspondant_actif_nomme: e.dpo.is_some(),
        declaration_artci: e.declaration_artci,
        autorisation_artci: e.autorisation_artci,
        traitements: e
            .traitements
            .iter()
            .map(|t| FaitsTraitement {
                nom: t.modele.nom.to_owned(),
                transfert_hors_ci: t.transfert_hors_ci,
            })
            .collect(),
        categories: e.categories.iter().map(|(_, c, _)| *c).collect(),
        nombre_finalites: e.traitements.len(),
        sous_traitants: e
            .sous_traitants
            .iter()
            .map(|((nom, pays, _), encadre)| FaitsSousTraitant {
                nom: (*nom).to_owned(),
                pays: (*pays).to_owned(),
                contrat: *encadre,
                clauses_protection: *encadre,
            })
            .collect(),
        transferts: e
            .transferts
            .iter()
            .map(|(pays, _, _)| FaitsTransfert {
                pays_destination: (*pays).to_owned(),
            })
            .collect(),
        politique_securite: e.politique_securite,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::entites::{LATITUDES_CI, LONGITUDES_CI};
    use crate::domain::validation::normalize_ncc;

    fn parametres() -> Parametres {
        Parametres {
            graine: 42,
            aujourd_hui: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            validite_mois: 24,
        }
    }

    #[test]
    fn une_entite_ne_depend_que_de_la_graine_et_de_son_rang() {
        let p = parametres();
        let a = entite(&p, 1234);
        let b = entite(&p, 1234);
        assert_eq!(a.id, b.id);
        assert_eq!(a.denomination, b.denomination);
        assert_eq!(a.latitude, b.latitude);
        let autre = entite(&Parametres { graine: 43, ..p }, 1234);
        assert_ne!(a.id, autre.id);
    }

    #[test]
    fn les_ncc_sont_valides_et_distincts() {
        let mut vus = std::collections::HashSet::new();
        for i in 0..100_000 {
            let n = ncc(7, i, (i % 26) as u8);
            assert_eq!(normalize_ncc(&n).as_deref(), Ok(n.as_str()));
            assert!(vus.insert(n[..7].to_owned()), "NCC répété : {n}");
        }
    }

    #[test]
    fn les_entites_generees_respectent_les_regles() {
        let p = parametres();
        for i in 0..3000 {
            let e = entite(&p, i);
            assert!(LATITUDES_CI.contains(&e.latitude), "{}", e.latitude);
            assert!(LONGITUDES_CI.contains(&e.longitude), "{}", e.longitude);
            let total: i16 = e.traitements.iter().map(|t| t.pourcentage).sum();
            assert!((0..=100).contains(&total), "{total}");
            assert!(e.traitements.iter().all(|t| t.pourcentage >= 0));
            assert!((0..=100).contains(&e.score));
            assert_eq!(e.soumise(), e.type_formalite.is_some());
            if let Some(d) = e.date_soumission {
                assert!(e.cree_le < d);
                assert!(d.date_naive() <= p.aujourd_hui);
            }
            match e.statut {
                StatutWorkflow::Valide | StatutWorkflow::Publie => {
                    assert!(e.date_expiration.unwrap() > p.aujourd_hui);
                    assert!(e.date_validation.unwrap().date_naive() <= p.aujourd_hui);
                }
                StatutWorkflow::Expire => assert!(e.date_expiration.unwrap() < p.aujourd_hui),
                _ => assert!(e.date_expiration.is_none()),
            }
            assert!(e.email.bytes().all(|b| !b.is_ascii_uppercase()));
        }
    }

    #[test]
    fn le_slug_garde_des_lettres_ascii() {
        assert_eq!(
            slug("Société Ivoirienne d'Énergies", 40),
            "societe-ivoirienne-d-energies"
        );
        assert_eq!(
            sigle("Société Ivoirienne des Textiles").as_deref(),
            Some("SIT")
        );
    }
}

//! What the public register shows, without an account: its own types, built from the public
//! projection only (`models::registre_public`), so that no nesting reaches a dossier's private
//! field (no NCC, no contact of a person, no link to `Entite`).

use crate::domain::certificats::EtatNumero;
use crate::graphql::types::certificat::Certificat;
use crate::graphql::types::{Date, DateTime};
use crate::rendu::certificat::titre;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, SimpleObject};

use crate::error::AppResult;
use crate::graphql::loaders::{DocumentsPublicsLoader, PartiesEntiteLoader, VersionsDe};
use crate::models::enums::{
    Region, SecteurActivite, StatutConformite, TypeDocument, TypeFormalite,
};
use crate::models::registre_public::LignePublique;

/// Une finalité d'un traitement et sa part dans l'activité de l'entité.
#[derive(SimpleObject, Clone)]
pub struct FinalitePublique {
    pub finalite: String,
    pub pourcentage: i32,
}

fn finalites(ligne: &LignePublique) -> Vec<FinalitePublique> {
    ligne
        .finalites()
        .into_iter()
        .map(|f| FinalitePublique {
            finalite: f.finalite,
            pourcentage: f.pourcentage,
        })
        .collect()
}

/// Une entité du registre public : conforme et publiée par l'ARTCI.
pub struct EntitePublique(pub LignePublique);

#[Object]
impl EntitePublique {
    async fn id(&self) -> ID {
        ID(self.0.entite_id.to_string())
    }

    async fn denomination(&self) -> &str {
        &self.0.denomination
    }

    async fn sigle(&self) -> Option<&str> {
        self.0.sigle.as_deref()
    }

    async fn forme_juridique(&self) -> Option<&str> {
        self.0.forme_juridique.as_deref()
    }

    async fn secteur_activite(&self) -> SecteurActivite {
        self.0.secteur_activite
    }

    async fn region(&self) -> Region {
        self.0.region
    }

    async fn ville(&self) -> Option<&str> {
        self.0.ville.as_deref()
    }

    async fn commune(&self) -> Option<&str> {
        self.0.commune.as_deref()
    }

    /// L'adresse de l'établissement.
    async fn adresse(&self) -> Option<&str> {
        self.0.adresse.as_deref()
    }

    /// Degrés décimaux (WGS 84) ; `null` si l'entité n'est pas localisée.
    async fn latitude(&self) -> Option<f64> {
        self.0.coordonnees().map(|(lat, _)| lat)
    }

    async fn longitude(&self) -> Option<f64> {
        self.0.coordonnees().map(|(_, lon)| lon)
    }

    /// Les finalités des traitements, la plus importante d'abord.
    async fn finalites(&self) -> Vec<FinalitePublique> {
        finalites(&self.0)
    }

    async fn finalite_principale(&self) -> Option<&str> {
        self.0.finalite_principale.as_deref()
    }

    /// Un correspondant à la protection des données (CPD) est désigné.
    async fn a_correspondant(&self) -> bool {
        self.0.a_correspondant
    }

    async fn type_formalite(&self) -> Option<TypeFormalite> {
        self.0.type_formalite
    }

    /// Le numéro d'autorisation de l'ARTCI, sinon celui du récépissé.
    async fn numero(&self) -> Option<&str> {
        self.0.numero.as_deref()
    }

    async fn statut_conformite(&self) -> StatutConformite {
        self.0.statut_conformite
    }

    async fn date_publication(&self) -> Option<DateTime> {
        self.0.date_publication.map(Into::into)
    }

    /// Les documents publics de l'entité (l'autorisation de l'ARTCI, par exemple), à
    /// télécharger sans compte à `/documents/{id}`.
    async fn documents(&self, ctx: &Context<'_>) -> AppResult<Vec<DocumentPublic>> {
        let loader = ctx.data_unchecked::<DataLoader<DocumentsPublicsLoader>>();
        Ok(loader
            .load_one(self.0.entite_id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|d| DocumentPublic {
                id: ID(d.id.to_string()),
                type_document: d.type_document,
                nom_fichier: d.nom_fichier,
                taille_octets: d.taille_octets,
                url: format!("/documents/{}", d.id),
            })
            .collect())
    }

    /// Le document officiel en vigueur (récépissé, autorisation ou attestation de dispense),
    /// avec son empreinte : celui de la version approuvée que montre le registre.
    async fn certificat(&self, ctx: &Context<'_>) -> AppResult<Option<Certificat>> {
        let loader = ctx.data_unchecked::<DataLoader<PartiesEntiteLoader>>();
        let versions = loader
            .load_one(VersionsDe(self.0.entite_id))
            .await?
            .unwrap_or_default();
        Ok(Certificat::de_versions(versions).into_iter().next())
    }
}

/// Un document qu'une entité publiée rend public.
#[derive(SimpleObject)]
pub struct DocumentPublic {
    pub id: ID,
    pub type_document: TypeDocument,
    pub nom_fichier: String,
    pub taille_octets: i32,
    /// Chemin de téléchargement, sans jeton.
    pub url: String,
}

/// Une entité sur la carte, avec ce qu'affiche sa bulle.
pub struct PointCarte(pub LignePublique);

#[Object]
impl PointCarte {
    async fn id(&self) -> ID {
        ID(self.0.entite_id.to_string())
    }

    async fn latitude(&self) -> f64 {
        self.0.coordonnees().map_or(0.0, |(lat, _)| lat)
    }

    async fn longitude(&self) -> f64 {
        self.0.coordonnees().map_or(0.0, |(_, lon)| lon)
    }

    async fn denomination(&self) -> &str {
        &self.0.denomination
    }

    async fn secteur_activite(&self) -> SecteurActivite {
        self.0.secteur_activite
    }

    async fn ville(&self) -> Option<&str> {
        self.0.ville.as_deref()
    }

    async fn statut_conformite(&self) -> StatutConformite {
        self.0.statut_conformite
    }

    /// Les finalités des traitements et leurs parts, la plus importante d'abord.
    async fn finalites(&self) -> Vec<FinalitePublique> {
        finalites(&self.0)
    }
}

/// Un groupe d'entités proches, affiché comme un seul repère à ce zoom.
#[derive(SimpleObject)]
pub struct GroupeCarte {
    pub nombre: i32,
    /// Le centre du groupe (moyenne des positions).
    pub latitude: f64,
    pub longitude: f64,
}

/// La carte d'un cadre : les entités une à une quand elles sont peu nombreuses, sinon des
/// groupes.
#[derive(SimpleObject)]
pub struct Carte {
    /// Combien d'entités publiées sont dans le cadre.
    pub total: i32,
    /// Vide quand la carte est en groupes.
    pub points: Vec<PointCarte>,
    /// Vide quand la carte montre les entités une à une.
    pub groupes: Vec<GroupeCarte>,
}

/// Une entité publiée proche d'un point.
#[derive(SimpleObject)]
pub struct EntiteProche {
    pub entite: EntitePublique,
    /// Distance au point demandé, en mètres (sur l'ellipsoïde).
    pub distance_metres: f64,
}

/// Un effectif par statut de conformité.
#[derive(SimpleObject)]
pub struct NombreParStatut {
    pub statut: StatutConformite,
    pub nombre: i32,
}

/// Un effectif par secteur.
#[derive(SimpleObject)]
pub struct NombreParSecteur {
    pub secteur: SecteurActivite,
    pub nombre: i32,
}

/// Un effectif par région.
#[derive(SimpleObject)]
pub struct NombreParRegion {
    pub region: Region,
    pub nombre: i32,
}

/// Les chiffres du registre, sur toutes les entités recensées (pas seulement publiées).
#[derive(SimpleObject)]
pub struct StatistiquesPubliques {
    /// Toutes les entités recensées.
    pub recensees: i32,
    /// Statut `DEMARCHE_ACHEVEE` : conformes sous réserve.
    pub demarche_achevee: i32,
    /// Statut `DEMARCHE_EN_COURS` : dossiers soumis, en vérification ou à compléter.
    pub demarche_en_cours: i32,
    /// Statut `CONFORME`.
    pub conformes: i32,
    /// Chaque statut, même à zéro.
    pub par_statut_conformite: Vec<NombreParStatut>,
    /// Les secteurs représentés, du plus au moins nombreux.
    pub par_secteur: Vec<NombreParSecteur>,
    /// Les régions représentées, de la plus à la moins nombreuse.
    pub par_region: Vec<NombreParRegion>,
}

/// Ce que vaut un numéro de récépissé ou d'autorisation : ce que montre aussi la page
/// `GET /verification/{numero}`.
#[derive(SimpleObject)]
pub struct VerificationNumero {
    /// Le numéro tel que vérifié (espaces retirés, en majuscules).
    pub numero: String,
    /// Vrai si ce numéro a été délivré à une entité aujourd'hui publiée au registre et que
    /// son agrément court encore.
    pub valide: bool,
    pub statut: StatutNumero,
    /// L'entité qui le détient, si valide.
    pub entite: Option<EntitePublique>,
    /// Pour un numéro remplacé : le numéro que l'entité détient désormais (s'il est publié).
    pub remplace_par: Option<String>,
    pub type_formalite: Option<TypeFormalite>,
    /// Le titre du document : « Récépissé de déclaration », « Autorisation de traitement »
    /// ou « Attestation de dispense ».
    pub titre: Option<String>,
    /// La première délivrance du numéro.
    pub date_emission: Option<Date>,
    /// Le dernier jour de validité de l'agrément.
    pub date_expiration: Option<Date>,
    /// La version approuvée en vigueur.
    pub version_en_vigueur: Option<i32>,
    /// Les documents délivrés sous ce numéro, le plus récent d'abord, avec leur empreinte
    /// SHA-256 : un papier dont l'empreinte n'y figure pas n'est pas authentique.
    pub certificats: Vec<Certificat>,
}

/// Ce que la vérification dit d'un numéro.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum StatutNumero {
    /// Délivré à une entité publiée, agrément en cours.
    Valide,
    /// Délivré à une entité publiée dont l'agrément a pris fin.
    Expire,
    /// Délivré, mais l'entité en détient désormais un autre (sa formalité a changé).
    Remplace,
    /// Jamais délivré, ou l'entité n'est pas publiée.
    Introuvable,
}

impl VerificationNumero {
    /// The answer for `etat` of `numero`.
    pub fn de(numero: String, etat: EtatNumero) -> Self {
        let vide = |numero, statut, remplace_par| Self {
            numero,
            valide: false,
            statut,
            entite: None,
            remplace_par,
            type_formalite: None,
            titre: None,
            date_emission: None,
            date_expiration: None,
            version_en_vigueur: None,
            certificats: Vec::new(),
        };
        let (fiche, valide) = match etat {
            EtatNumero::Introuvable => return vide(numero, StatutNumero::Introuvable, None),
            EtatNumero::Remplace { remplace_par } => {
                return vide(numero, StatutNumero::Remplace, remplace_par);
            }
            EtatNumero::Valide(fiche) => (fiche, true),
            EtatNumero::Expire(fiche) => (fiche, false),
        };
        let derniere = fiche.version_en_vigueur.unwrap_or(0);
        Self {
            numero,
            valide,
            statut: if valide {
                StatutNumero::Valide
            } else {
                StatutNumero::Expire
            },
            remplace_par: None,
            type_formalite: Some(fiche.type_formalite),
            titre: Some(titre(fiche.type_formalite).to_owned()),
            date_emission: Some(Date(fiche.date_emission)),
            date_expiration: Some(Date(fiche.date_expiration)),
            version_en_vigueur: fiche.version_en_vigueur,
            certificats: fiche
                .versions
                .into_iter()
                .map(|version| Certificat {
                    version,
                    derniere_version: derniere,
                })
                .collect(),
            entite: valide.then_some(EntitePublique(fiche.entite)),
        }
    }
}

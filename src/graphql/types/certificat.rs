//! The approved versions of a dossier with their certificates, and an amendment under way.

use async_graphql::{Enum, ID, Object, SimpleObject};

use crate::domain::modifications::{Difference, NatureDifference};
use crate::graphql::types::progression::PartieDossier;
use crate::graphql::types::{Date, DateTime};
use crate::models::enums::{OrigineVersion, StatutWorkflow, TypeFormalite};
use crate::models::modifications_dossier::Modification;
use crate::models::versions_approuvees::VersionResumee;
use crate::rendu::certificat::titre;

/// Une version approuvée d'un dossier et le document officiel délivré pour elle
/// (« Récépissé de déclaration », « Autorisation de traitement » ou « Attestation de
/// dispense »). Chaque validation, renouvellement approuvé ou modification approuvée en
/// délivre une nouvelle ; la plus récente est en vigueur, les précédentes restent lisibles et
/// sont marquées remplacées.
pub struct Certificat {
    pub version: VersionResumee,
    /// Le numéro de la version la plus récente de l'entité.
    pub derniere_version: i32,
}

#[Object]
impl Certificat {
    /// Le rang de la version approuvée (1, 2, …).
    async fn version(&self) -> i32 {
        self.version.version
    }

    /// Le numéro de récépissé (`RCP-…`) ou d'autorisation (`AUT-…`) qu'elle atteste.
    async fn numero(&self) -> &str {
        &self.version.numero
    }

    async fn type_formalite(&self) -> TypeFormalite {
        self.version.type_formalite
    }

    /// Le titre du document : « Récépissé de déclaration », « Autorisation de traitement »
    /// ou « Attestation de dispense ».
    async fn titre(&self) -> &'static str {
        titre(self.version.type_formalite)
    }

    /// Ce qui l'a délivrée : la validation, un renouvellement ou une modification.
    async fn origine(&self) -> OrigineVersion {
        self.version.origine
    }

    async fn date_emission(&self) -> Date {
        Date(self.version.date_emission)
    }

    /// Le dernier jour de validité de l'agrément à cette version.
    async fn date_expiration(&self) -> Date {
        Date(self.version.date_expiration)
    }

    /// Vrai pour la version la plus récente ; une version plus ancienne est remplacée.
    async fn en_vigueur(&self) -> bool {
        self.version.version == self.derniere_version
    }

    /// L'empreinte SHA-256 du PDF, en hexadécimal minuscule : celle qu'affiche la page de
    /// vérification publique.
    async fn sha256(&self) -> &str {
        &self.version.sha256
    }

    async fn taille_octets(&self) -> i32 {
        self.version.taille_octets
    }

    async fn document_id(&self) -> ID {
        ID(self.version.document_id.to_string())
    }

    /// Le chemin de téléchargement du PDF (`GET`) ; public tant que l'entité est publiée.
    async fn url_telechargement(&self) -> String {
        format!("/documents/{}", self.version.document_id)
    }

    /// Le chemin de la page de vérification publique du numéro.
    async fn url_verification(&self) -> String {
        format!("/verification/{}", self.version.numero)
    }

    async fn created_at(&self) -> DateTime {
        self.version.created_at.into()
    }
}

impl Certificat {
    /// The certificates of one entity's versions, newest first.
    pub fn de_versions(versions: Vec<VersionResumee>) -> Vec<Self> {
        let derniere = versions.iter().map(|v| v.version).max().unwrap_or(0);
        versions
            .into_iter()
            .map(|version| Self {
                version,
                derniere_version: derniere,
            })
            .collect()
    }
}

/// Une déclaration modificative en cours d'un dossier approuvé : la version approuvée reste
/// en vigueur (et seule publique) jusqu'à la décision.
pub struct ModificationEnCours {
    pub modification: Modification,
    pub version_base: i32,
    pub differences: Vec<Difference>,
}

#[Object]
impl ModificationEnCours {
    async fn id(&self) -> ID {
        ID(self.modification.id.to_string())
    }

    /// La raison donnée par l'entreprise.
    async fn motif(&self) -> &str {
        &self.modification.motif
    }

    async fn ouverte_le(&self) -> DateTime {
        self.modification.ouverte_le.into()
    }

    /// La version approuvée que la modification fait évoluer, et que rétablissent un refus ou
    /// un retrait.
    async fn version_base(&self) -> i32 {
        self.version_base
    }

    /// Le statut que retrouve le dossier à la clôture (`VALIDE` ou `PUBLIE`).
    async fn statut_precedent(&self) -> StatutWorkflow {
        self.modification.statut_precedent
    }

    /// Ce qui a changé par rapport à la version de base, partie par partie, ligne par ligne.
    async fn differences(&self) -> Vec<DifferenceDossier> {
        self.differences
            .iter()
            .map(|d| DifferenceDossier {
                partie: d.partie.into(),
                table: d.table.to_owned(),
                nature: d.nature.into(),
                element_id: d.element_id.clone().map(ID),
                libelle: d.libelle.clone(),
                champs: d.champs.clone(),
            })
            .collect()
    }
}

/// Une ligne du dossier ajoutée, supprimée ou modifiée depuis la version de base.
#[derive(SimpleObject)]
pub struct DifferenceDossier {
    pub partie: PartieDossier,
    /// La table de la ligne (`registre_traitements`, `entites_base`…).
    pub table: String,
    pub nature: NatureDifferenceDossier,
    /// L'identifiant de l'élément de liste concerné.
    pub element_id: Option<ID>,
    /// Son nom, pour l'afficher.
    pub libelle: Option<String>,
    /// Les champs (colonnes) dont la valeur a changé, pour une ligne modifiée.
    pub champs: Vec<String>,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum NatureDifferenceDossier {
    Ajout,
    Suppression,
    Modification,
}

impl From<NatureDifference> for NatureDifferenceDossier {
    fn from(n: NatureDifference) -> Self {
        match n {
            NatureDifference::Ajout => Self::Ajout,
            NatureDifference::Suppression => Self::Suppression,
            NatureDifference::Modification => Self::Modification,
        }
    }
}

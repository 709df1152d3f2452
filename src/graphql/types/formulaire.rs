//! The parts of the 50-question form as the owner company and ARTCI staff read them: plain
//! copies of the stored rows (lists in the form's order), built from an entity's
//! [`ContenuDossier`], which the `Entite` resolvers load only for an authorised entity.

use crate::graphql::types::Date;
use async_graphql::{ID, SimpleObject};

use crate::domain::contenu::ContenuDossier;
use crate::models::{self, enums::*};

fn id(uuid: uuid::Uuid) -> ID {
    ID(uuid.to_string())
}

/// Les formalités déjà accomplies (table `conformite_administrative`).
#[derive(SimpleObject)]
pub struct ConformiteAdministrative {
    pub connaissance_loi: bool,
    pub declaration_artci: bool,
    pub numero_declaration: Option<String>,
    pub date_declaration: Option<Date>,
    pub autorisation_artci: bool,
    pub numero_autorisation: Option<String>,
    pub date_autorisation: Option<Date>,
    pub registre_tenu: bool,
    pub information_personnes: bool,
    pub procedure_droits: bool,
    /// Le dernier rapport annuel du correspondant (dû au 31 mars).
    pub dernier_rapport_annuel: Option<Date>,
}

impl From<&models::ConformiteAdministrative> for ConformiteAdministrative {
    fn from(c: &models::ConformiteAdministrative) -> Self {
        Self {
            connaissance_loi: c.connaissance_loi,
            declaration_artci: c.declaration_artci,
            numero_declaration: c.numero_declaration.clone(),
            date_declaration: c.date_declaration.map(Into::into),
            autorisation_artci: c.autorisation_artci,
            numero_autorisation: c.numero_autorisation.clone(),
            date_autorisation: c.date_autorisation.map(Into::into),
            registre_tenu: c.registre_tenu,
            information_personnes: c.information_personnes,
            procedure_droits: c.procedure_droits,
            dernier_rapport_annuel: c.dernier_rapport_annuel.map(Into::into),
        }
    }
}

/// Un représentant légal, demandeur mandaté ou référent.
#[derive(SimpleObject)]
pub struct ResponsableLegal {
    pub id: ID,
    pub nom: String,
    pub prenom: Option<String>,
    pub fonction: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    #[graphql(name = "type")]
    pub type_: TypeResponsableLegal,
}

impl From<&models::ResponsableLegal> for ResponsableLegal {
    fn from(r: &models::ResponsableLegal) -> Self {
        Self {
            id: id(r.id),
            nom: r.nom.clone(),
            prenom: r.prenom.clone(),
            fonction: r.fonction.clone(),
            email: r.email.clone(),
            telephone: r.telephone.clone(),
            type_: r.type_,
        }
    }
}

/// Un correspondant à la protection des données (DPO) ; un seul est actif à la fois.
#[derive(SimpleObject)]
pub struct Correspondant {
    pub id: ID,
    pub nom: String,
    pub prenom: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    #[graphql(name = "type")]
    pub type_: TypeDpo,
    /// L'organisme d'un correspondant externe.
    pub organisme: Option<String>,
    pub date_designation: Option<Date>,
    pub date_fin: Option<Date>,
    pub est_actif: bool,
    /// La décision de l'ARTCI sur la désignation.
    pub statut_designation: StatutDesignationDpo,
    pub motif_rejet: Option<String>,
}

impl From<&models::Dpo> for Correspondant {
    fn from(d: &models::Dpo) -> Self {
        Self {
            id: id(d.id),
            nom: d.nom.clone(),
            prenom: d.prenom.clone(),
            email: d.email.clone(),
            telephone: d.telephone.clone(),
            type_: d.type_,
            organisme: d.organisme.clone(),
            date_designation: d.date_designation.map(Into::into),
            date_fin: d.date_fin.map(Into::into),
            est_actif: d.est_actif,
            statut_designation: d.statut_designation,
            motif_rejet: d.motif_rejet.clone(),
        }
    }
}

/// Une catégorie de données personnelles traitées.
#[derive(SimpleObject)]
pub struct CategorieDonnees {
    pub id: ID,
    pub categorie: CodeCategorieDonnees,
    /// Les données de la catégorie (ex. « nom, prénoms, date de naissance »).
    pub items: Option<String>,
    /// D'où viennent les données (la personne elle-même, un tiers…).
    pub origine: Option<String>,
    /// Données sensibles (santé, biométrie, opinions, mineurs…), déduit de la catégorie.
    pub est_sensible: bool,
}

impl From<&models::CategorieDonnees> for CategorieDonnees {
    fn from(c: &models::CategorieDonnees) -> Self {
        Self {
            id: id(c.id),
            categorie: c.categorie,
            items: c.items.clone(),
            origine: c.origine.clone(),
            est_sensible: c.est_sensible,
        }
    }
}

/// Une finalité et sa base légale (art. 14).
#[derive(SimpleObject)]
pub struct Finalite {
    pub id: ID,
    pub finalite: String,
    pub base_legale: BaseLegale,
    /// Sa part (0 à 100) dans la bulle de la carte ; le total par entité est au plus 100.
    pub pourcentage: i32,
}

impl From<&models::FinaliteBaseLegale> for Finalite {
    fn from(f: &models::FinaliteBaseLegale) -> Self {
        Self {
            id: id(f.id),
            finalite: f.finalite.clone(),
            base_legale: f.base_legale,
            pourcentage: i32::from(f.pourcentage),
        }
    }
}

/// Une activité de traitement du registre, avec ses catégories de données et ses finalités.
#[derive(SimpleObject)]
pub struct Traitement {
    pub id: ID,
    pub nom: String,
    pub finalite: Option<String>,
    pub base_legale: Option<BaseLegale>,
    pub categories_personnes: Option<String>,
    pub duree_conservation: Option<String>,
    pub destinataires: Option<String>,
    pub transfert_hors_ci: bool,
    /// Le régime retenu par l'ARTCI pour ce traitement.
    pub regime: Option<TypeFormalite>,
    pub statut: StatutTraitement,
    pub categories: Vec<CategorieDonnees>,
    pub finalites: Vec<Finalite>,
}

/// Le registre des traitements : les traitements, et les catégories et finalités communes à
/// toute l'entité (rattachées à aucun traitement).
#[derive(SimpleObject)]
pub struct Registre {
    pub traitements: Vec<Traitement>,
    pub categories_communes: Vec<CategorieDonnees>,
    pub finalites_communes: Vec<Finalite>,
    /// Le total des pourcentages des finalités (au plus 100).
    pub total_pourcentages: i32,
}

impl From<&ContenuDossier> for Registre {
    fn from(c: &ContenuDossier) -> Self {
        let categories = |parent: Option<uuid::Uuid>| {
            c.categories
                .iter()
                .filter(|x| x.registre_traitement_id == parent)
                .map(CategorieDonnees::from)
                .collect()
        };
        let finalites = |parent: Option<uuid::Uuid>| {
            c.finalites
                .iter()
                .filter(|x| x.registre_traitement_id == parent)
                .map(Finalite::from)
                .collect()
        };
        Self {
            traitements: c
                .traitements
                .iter()
                .map(|t| Traitement {
                    id: id(t.id),
                    nom: t.nom.clone(),
                    finalite: t.finalite.clone(),
                    base_legale: t.base_legale,
                    categories_personnes: t.categories_personnes.clone(),
                    duree_conservation: t.duree_conservation.clone(),
                    destinataires: t.destinataires.clone(),
                    transfert_hors_ci: t.transfert_hors_ci,
                    regime: t.regime,
                    statut: t.statut,
                    categories: categories(Some(t.id)),
                    finalites: finalites(Some(t.id)),
                })
                .collect(),
            categories_communes: categories(None),
            finalites_communes: finalites(None),
            total_pourcentages: c.finalites.iter().map(|f| i32::from(f.pourcentage)).sum(),
        }
    }
}

/// Un sous-traitant à qui l'entité confie des données.
#[derive(SimpleObject)]
pub struct SousTraitant {
    pub id: ID,
    pub nom_sous_traitant: String,
    /// Code ISO 3166-1 alpha-2 du pays où il est établi.
    pub pays: String,
    pub objet: Option<String>,
    pub donnees_partagees: Option<String>,
    pub contrat: bool,
    pub clauses_protection: bool,
    pub audit: bool,
}

impl From<&models::SousTraitance> for SousTraitant {
    fn from(s: &models::SousTraitance) -> Self {
        Self {
            id: id(s.id),
            nom_sous_traitant: s.nom_sous_traitant.clone(),
            pays: s.pays.clone(),
            objet: s.objet.clone(),
            donnees_partagees: s.donnees_partagees.clone(),
            contrat: s.contrat,
            clauses_protection: s.clauses_protection,
            audit: s.audit,
        }
    }
}

/// Un transfert de données hors de Côte d'Ivoire.
#[derive(SimpleObject)]
pub struct Transfert {
    pub id: ID,
    /// Code ISO 3166-1 alpha-2 du pays de destination.
    pub pays_destination: String,
    /// Le pays de destination est membre de la CEDEAO (selon la composition actuelle).
    pub est_cedeao: bool,
    pub organisme_destinataire: Option<String>,
    pub finalite: Option<String>,
    pub categories: Option<String>,
    pub base_juridique: Option<String>,
    pub garanties: Option<String>,
    pub statut_autorisation: StatutAutorisationTransfert,
    /// Numéro de la décision de l'ARTCI (ex. `2016-0113`).
    pub numero_decision: Option<String>,
}

impl From<&models::TransfertInternational> for Transfert {
    fn from(t: &models::TransfertInternational) -> Self {
        Self {
            id: id(t.id),
            pays_destination: t.pays_destination.clone(),
            // Recomputed rather than the stored copy, as the formality rules do: a row saved
            // before a change of membership (Mali, Burkina Faso, Niger in 2025) stays right.
            est_cedeao: crate::domain::dossier::est_cedeao(&t.pays_destination),
            organisme_destinataire: t.organisme_destinataire.clone(),
            finalite: t.finalite.clone(),
            categories: t.categories.clone(),
            base_juridique: t.base_juridique.clone(),
            garanties: t.garanties.clone(),
            statut_autorisation: t.statut_autorisation,
            numero_decision: t.numero_decision.clone(),
        }
    }
}

/// L'organisation de la sécurité des données (table `securite_conformite`).
#[derive(SimpleObject)]
pub struct Securite {
    pub politique_securite: bool,
    pub responsable_securite: bool,
    pub analyse_risques: bool,
    pub plan_continuite: bool,
    pub procedure_violations: bool,
    /// Nombre de violations de données des douze derniers mois.
    #[graphql(name = "violations12Mois")]
    pub violations_12_mois: Option<i32>,
    pub formation_personnel: bool,
    pub frequence_formation: Option<String>,
    pub dernier_audit: Option<Date>,
}

impl From<&models::SecuriteConformite> for Securite {
    fn from(s: &models::SecuriteConformite) -> Self {
        Self {
            politique_securite: s.politique_securite,
            responsable_securite: s.responsable_securite,
            analyse_risques: s.analyse_risques,
            plan_continuite: s.plan_continuite,
            procedure_violations: s.procedure_violations,
            violations_12_mois: s.violations_12_mois,
            formation_personnel: s.formation_personnel,
            frequence_formation: s.frequence_formation.clone(),
            dernier_audit: s.dernier_audit.map(Into::into),
        }
    }
}

/// Une mesure de sécurité technique, organisationnelle ou physique.
#[derive(SimpleObject)]
pub struct MesureSecurite {
    pub id: ID,
    pub type_mesure: TypeMesureSecurite,
    pub code: CodeMesureSecurite,
    pub description: Option<String>,
    pub mise_en_oeuvre: bool,
    pub date_mise_en_oeuvre: Option<Date>,
}

impl From<&models::MesureSecurite> for MesureSecurite {
    fn from(m: &models::MesureSecurite) -> Self {
        Self {
            id: id(m.id),
            type_mesure: m.type_mesure,
            code: m.code,
            description: m.description.clone(),
            mise_en_oeuvre: m.mise_en_oeuvre,
            date_mise_en_oeuvre: m.date_mise_en_oeuvre.map(Into::into),
        }
    }
}

/// Une certification de sécurité obtenue par l'entité.
#[derive(SimpleObject)]
pub struct CertificationSecurite {
    pub id: ID,
    pub nom: NomCertification,
    pub organisme: Option<String>,
    pub numero: Option<String>,
    pub date_obtention: Option<Date>,
    pub date_expiration: Option<Date>,
    /// Le justificatif, un document joint au dossier (à télécharger par son identifiant).
    pub document_id: Option<ID>,
}

impl From<&models::CertificationSecurite> for CertificationSecurite {
    fn from(c: &models::CertificationSecurite) -> Self {
        Self {
            id: id(c.id),
            nom: c.nom,
            organisme: c.organisme.clone(),
            numero: c.numero.clone(),
            date_obtention: c.date_obtention.map(Into::into),
            date_expiration: c.date_expiration.map(Into::into),
            document_id: c.document_id.map(id),
        }
    }
}

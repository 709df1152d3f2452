//! The formality a dossier falls under (Loi n° 2013-450, Art. 5–7 and 26): prior
//! authorisation, prior declaration or exemption, with the reasons shown to the agent.
//!
//! The rule, from the most demanding formality down:
//! - **`autorisation_prealable`** when the dossier processes health, genetic, biometric,
//!   judicial data or official identification numbers, or sends data to a country outside
//!   ECOWAS, whether by a declared transfer or by handing it to a processor established there;
//! - **`dispense`** when, short of that, an active correspondant is designated and no data
//!   leaves Côte d'Ivoire at all (a transfer inside ECOWAS is still a transfer abroad);
//! - **`declaration_prealable`** otherwise.
//!
//! Choices the domain page leaves open:
//! - a processing flagged `transfert_hors_ci` whose destination appears nowhere (no transfer,
//!   no foreign processor) is a transfer abroad of unknown destination: it rules out the
//!   exemption but does not by itself require authorisation; the reasons ask for the
//!   destination, which then decides. A blank country is treated the same way;
//! - a code that is not an ECOWAS member's, a misspelt one included, is outside ECOWAS: the
//!   lighter formality needs a destination known to be inside.

use super::dossier::{FaitsDossier, est_cedeao, est_cote_d_ivoire};
use crate::models::enums::{CodeCategorieDonnees, TypeFormalite};

/// Categories whose processing needs ARTCI's prior authorisation, whatever else is true.
pub const CATEGORIES_SOUMISES_A_AUTORISATION: [CodeCategorieDonnees; 5] = [
    CodeCategorieDonnees::Sante,
    CodeCategorieDonnees::Genetiques,
    CodeCategorieDonnees::Biometriques,
    CodeCategorieDonnees::Judiciaires,
    CodeCategorieDonnees::NumerosOfficiels,
];

/// Sensitive categories that are flagged and scored but need no authorisation by themselves.
pub const CATEGORIES_SENSIBLES_SANS_AUTORISATION: [CodeCategorieDonnees; 2] = [
    CodeCategorieDonnees::OpinionsConvictions,
    CodeCategorieDonnees::Mineurs,
];

/// Whether a category is sensitive (`categories_donnees.est_sensible`): those needing
/// authorisation and those flagged without needing it.
pub fn est_sensible(categorie: CodeCategorieDonnees) -> bool {
    CATEGORIES_SOUMISES_A_AUTORISATION.contains(&categorie)
        || CATEGORIES_SENSIBLES_SANS_AUTORISATION.contains(&categorie)
}

/// The formality the dossier falls under.
pub fn type_formalite(faits: &FaitsDossier) -> TypeFormalite {
    Constats::de(faits).type_formalite()
}

/// The reasons behind [`type_formalite`], in French, decisive ones first, for the agent's
/// screen; sensitive categories that do not change the result are mentioned last.
pub fn motifs(faits: &FaitsDossier) -> Vec<String> {
    Constats::de(faits).motifs()
}

/// Data leaving Côte d'Ivoire: a declared transfer, or a processor established abroad.
struct Envoi<'a> {
    /// `None` for a transfer, the processor's name otherwise.
    sous_traitant: Option<&'a str>,
    /// ISO alpha-2 as entered, trimmed; empty when not given.
    pays: &'a str,
}

impl Envoi<'_> {
    fn hors_cedeao(&self) -> bool {
        !self.pays.is_empty() && !est_cedeao(self.pays)
    }

    /// "Transfert vers FR" / "Sous-traitant « X » établi hors de Côte d'Ivoire (FR)", the
    /// country upper-cased; a missing country is said to be missing.
    fn decrire(&self) -> String {
        let pays = self.pays.to_ascii_uppercase();
        match (self.sous_traitant, pays.is_empty()) {
            (None, false) => format!("Transfert vers {pays}"),
            (None, true) => "Transfert sans pays de destination renseigné".to_owned(),
            (Some(nom), false) => {
                format!("Sous-traitant « {nom} » établi hors de Côte d'Ivoire ({pays})")
            }
            (Some(nom), true) => format!("Sous-traitant « {nom} » sans pays renseigné"),
        }
    }
}

/// What the rule looks at, gathered once for both the result and its reasons.
struct Constats<'a> {
    /// Categories requiring authorisation, each once, in the enum's order.
    categories_autorisation: Vec<CodeCategorieDonnees>,
    /// Sensitive categories that do not require it, each once.
    categories_sensibles: Vec<CodeCategorieDonnees>,
    envois: Vec<Envoi<'a>>,
    /// Processings flagged `transfert_hors_ci`, named.
    traitements_avec_transfert: Vec<&'a str>,
    correspondant: bool,
}

impl<'a> Constats<'a> {
    fn de(faits: &'a FaitsDossier) -> Self {
        let presentes = |liste: &[CodeCategorieDonnees]| -> Vec<CodeCategorieDonnees> {
            liste
                .iter()
                .copied()
                .filter(|c| faits.categories.contains(c))
                .collect()
        };
        let transferts = faits
            .transferts
            .iter()
            .map(|t| Envoi {
                sous_traitant: None,
                pays: t.pays_destination.trim(),
            })
            .filter(|e| !est_cote_d_ivoire(e.pays));
        let sous_traitants = faits
            .sous_traitants
            .iter()
            .map(|s| Envoi {
                sous_traitant: Some(s.nom.trim()),
                pays: s.pays.trim(),
            })
            .filter(|e| !est_cote_d_ivoire(e.pays));
        Constats {
            categories_autorisation: presentes(&CATEGORIES_SOUMISES_A_AUTORISATION),
            categories_sensibles: presentes(&CATEGORIES_SENSIBLES_SANS_AUTORISATION),
            envois: transferts.chain(sous_traitants).collect(),
            traitements_avec_transfert: faits
                .traitements
                .iter()
                .filter(|t| t.transfert_hors_ci)
                .map(|t| t.nom.trim())
                .collect(),
            correspondant: faits.correspondant_actif_nomme,
        }
    }

    fn autorisation_requise(&self) -> bool {
        !self.categories_autorisation.is_empty() || self.envois.iter().any(Envoi::hors_cedeao)
    }

    fn transfert_hors_ci(&self) -> bool {
        !self.envois.is_empty() || !self.traitements_avec_transfert.is_empty()
    }

    fn type_formalite(&self) -> TypeFormalite {
        if self.autorisation_requise() {
            TypeFormalite::AutorisationPrealable
        } else if self.correspondant && !self.transfert_hors_ci() {
            TypeFormalite::Dispense
        } else {
            TypeFormalite::DeclarationPrealable
        }
    }

    fn motifs(&self) -> Vec<String> {
        let mut motifs = Vec::new();
        if self.autorisation_requise() {
            for c in &self.categories_autorisation {
                motifs.push(format!(
                    "Le dossier porte sur des {} : autorisation préalable requise.",
                    libelle_categorie(*c)
                ));
            }
            for e in self.envois.iter().filter(|e| e.hors_cedeao()) {
                motifs.push(format!(
                    "{}, pays hors CEDEAO : autorisation préalable requise.",
                    e.decrire()
                ));
            }
        } else if self.type_formalite() == TypeFormalite::Dispense {
            motifs.push(
                "Correspondant actif désigné, aucune donnée soumise à autorisation et aucun \
                 transfert hors de Côte d'Ivoire : dispense."
                    .to_owned(),
            );
        } else {
            if !self.correspondant {
                motifs.push(
                    "Aucun correspondant actif désigné : pas de dispense, déclaration préalable."
                        .to_owned(),
                );
            }
            for e in &self.envois {
                let precision = if e.pays.is_empty() {
                    " : à préciser, le pays décidera de l'autorisation"
                } else {
                    ", pays de la CEDEAO : pas d'autorisation"
                };
                motifs.push(format!(
                    "{}{precision} ; un transfert hors de Côte d'Ivoire exclut la dispense.",
                    e.decrire()
                ));
            }
            if self.envois.is_empty() {
                for nom in &self.traitements_avec_transfert {
                    motifs.push(format!(
                        "Le traitement « {nom} » transfère des données hors de Côte d'Ivoire \
                         sans destination déclarée : la dispense est exclue, la destination \
                         décidera de l'autorisation."
                    ));
                }
            }
        }
        for c in &self.categories_sensibles {
            motifs.push(format!(
                "Le dossier porte sur des {}, sensibles : signalées, elles n'exigent pas à \
                 elles seules d'autorisation.",
                libelle_categorie(*c)
            ));
        }
        motifs
    }
}

/// A category named in a sentence ("des données de santé").
fn libelle_categorie(c: CodeCategorieDonnees) -> &'static str {
    use CodeCategorieDonnees::*;
    match c {
        Sante => "données de santé",
        Genetiques => "données génétiques",
        Biometriques => "données biométriques",
        Judiciaires => "données relatives aux infractions, condamnations et mesures de sûreté",
        NumerosOfficiels => "numéros d'identification officiels",
        OpinionsConvictions => "données révélant des opinions ou des convictions",
        Mineurs => "données relatives à des mineurs",
        Identification => "données d'identification",
        ViePersonnelle => "données de vie personnelle",
        VieProfessionnelle => "données de vie professionnelle",
        EconomiqueFinanciere => "données économiques et financières",
        ConnexionNavigation => "données de connexion et de navigation",
        Localisation => "données de localisation",
        Autre => "données d'autres catégories",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dossier::{FaitsSousTraitant, FaitsTraitement, FaitsTransfert};
    use CodeCategorieDonnees::*;
    use TypeFormalite::*;

    fn dossier(categories: &[CodeCategorieDonnees], correspondant: bool) -> FaitsDossier {
        FaitsDossier {
            correspondant_actif_nomme: correspondant,
            traitements: vec![FaitsTraitement {
                nom: "Gestion".into(),
                transfert_hors_ci: false,
            }],
            categories: categories.to_vec(),
            nombre_finalites: 1,
            ..Default::default()
        }
    }

    fn transfert(pays: &str) -> FaitsTransfert {
        FaitsTransfert {
            pays_destination: pays.into(),
        }
    }

    fn sous_traitant(nom: &str, pays: &str) -> FaitsSousTraitant {
        FaitsSousTraitant {
            nom: nom.into(),
            pays: pays.into(),
            contrat: true,
            clauses_protection: true,
        }
    }

    #[test]
    fn des_donnees_de_sante_de_patients_exigent_une_autorisation() {
        let faits = dossier(&[Identification, Sante], true);
        assert_eq!(type_formalite(&faits), AutorisationPrealable);
        let motifs = motifs(&faits);
        assert_eq!(motifs.len(), 1);
        assert!(motifs[0].contains("données de santé"), "{motifs:?}");
    }

    #[test]
    fn les_noms_et_telephones_des_employes_avec_correspondant_sans_transfert_sont_dispenses() {
        let faits = dossier(&[Identification, VieProfessionnelle], true);
        assert_eq!(type_formalite(&faits), Dispense);
        assert!(motifs(&faits)[0].contains("dispense"));
    }

    #[test]
    fn les_coordonnees_des_clients_sans_correspondant_relevent_de_la_declaration() {
        let faits = dossier(&[Identification], false);
        assert_eq!(type_formalite(&faits), DeclarationPrealable);
        assert!(motifs(&faits)[0].contains("Aucun correspondant"));
    }

    #[test]
    fn des_donnees_confiees_a_un_sous_traitant_en_france_exigent_une_autorisation() {
        let mut faits = dossier(&[Identification], true);
        faits.sous_traitants.push(sous_traitant("Hébergeur", "FR"));
        assert_eq!(type_formalite(&faits), AutorisationPrealable);
        let motifs = motifs(&faits);
        assert!(motifs[0].contains("« Hébergeur »"), "{motifs:?}");
        assert!(motifs[0].contains("(FR)"), "{motifs:?}");
    }

    #[test]
    fn un_transfert_vers_la_france_exige_une_autorisation() {
        let mut faits = dossier(&[Identification], true);
        faits.transferts.push(transfert("FR"));
        assert_eq!(type_formalite(&faits), AutorisationPrealable);
        assert!(motifs(&faits)[0].starts_with("Transfert vers FR, pays hors CEDEAO"));
    }

    #[test]
    fn des_donnees_envoyees_au_senegal_sans_correspondant_relevent_de_la_declaration() {
        let mut faits = dossier(&[Identification], false);
        faits.transferts.push(transfert("SN"));
        assert_eq!(type_formalite(&faits), DeclarationPrealable);

        let mut faits = dossier(&[Identification], false);
        faits
            .sous_traitants
            .push(sous_traitant("Centre d'appels", "SN"));
        assert_eq!(type_formalite(&faits), DeclarationPrealable);
    }

    #[test]
    fn un_transfert_dans_la_cedeao_avec_correspondant_n_est_pas_une_dispense() {
        let mut faits = dossier(&[Identification], true);
        faits.transferts.push(transfert("GH"));
        assert_eq!(type_formalite(&faits), DeclarationPrealable);
        let motifs = motifs(&faits);
        assert_eq!(motifs.len(), 1, "{motifs:?}");
        assert!(motifs[0].contains("exclut la dispense"), "{motifs:?}");
    }

    #[test]
    fn chaque_categorie_soumise_exige_a_elle_seule_une_autorisation() {
        for c in CATEGORIES_SOUMISES_A_AUTORISATION {
            assert_eq!(
                type_formalite(&dossier(&[c], true)),
                AutorisationPrealable,
                "{c}"
            );
        }
    }

    #[test]
    fn des_donnees_de_mineurs_seules_n_exigent_pas_d_autorisation() {
        let faits = dossier(&[Identification, Mineurs], true);
        assert_eq!(type_formalite(&faits), Dispense);
        let motifs = motifs(&faits);
        assert_eq!(motifs.len(), 2, "{motifs:?}");
        assert!(motifs[1].contains("mineurs"), "{motifs:?}");

        let faits = dossier(&[OpinionsConvictions, Mineurs], false);
        assert_eq!(type_formalite(&faits), DeclarationPrealable);
    }

    #[test]
    fn les_codes_pays_se_lisent_en_toute_casse() {
        for pays in ["fr", "Fr", " FR "] {
            let mut faits = dossier(&[Identification], true);
            faits.transferts.push(transfert(pays));
            assert_eq!(type_formalite(&faits), AutorisationPrealable, "{pays:?}");
        }
        for pays in ["sn", "Sn"] {
            let mut faits = dossier(&[Identification], true);
            faits
                .sous_traitants
                .push(sous_traitant("Centre d'appels", pays));
            assert_eq!(type_formalite(&faits), DeclarationPrealable, "{pays:?}");
        }
        for pays in ["ci", " CI", "Ci"] {
            let mut faits = dossier(&[Identification], true);
            faits.sous_traitants.push(sous_traitant("Comptable", pays));
            assert_eq!(type_formalite(&faits), Dispense, "{pays:?}");
        }
    }

    #[test]
    fn un_sous_traitant_ivoirien_n_est_pas_un_transfert() {
        let mut faits = dossier(&[Identification], true);
        faits.sous_traitants.push(sous_traitant("Imprimeur", "CI"));
        faits.transferts.push(transfert("CI"));
        assert_eq!(type_formalite(&faits), Dispense);
    }

    #[test]
    fn le_mali_est_hors_cedeao_depuis_2025() {
        let mut faits = dossier(&[Identification], false);
        faits.transferts.push(transfert("ML"));
        assert_eq!(type_formalite(&faits), AutorisationPrealable);
    }

    #[test]
    fn un_transfert_sans_destination_exclut_la_dispense_sans_exiger_d_autorisation() {
        let mut faits = dossier(&[Identification], true);
        faits.traitements[0].transfert_hors_ci = true;
        assert_eq!(type_formalite(&faits), DeclarationPrealable);
        assert!(motifs(&faits)[0].contains("« Gestion »"));

        let mut faits = dossier(&[Identification], true);
        faits.transferts.push(transfert(" "));
        assert_eq!(type_formalite(&faits), DeclarationPrealable);
        assert!(motifs(&faits)[0].contains("sans pays de destination"));

        let mut faits = dossier(&[Identification], true);
        faits.sous_traitants.push(sous_traitant("Archiveur", ""));
        assert_eq!(type_formalite(&faits), DeclarationPrealable);
        assert!(motifs(&faits)[0].contains("« Archiveur » sans pays"));
    }

    #[test]
    fn les_motifs_d_autorisation_nomment_chaque_raison_une_fois() {
        let mut faits = dossier(&[Sante, Sante, Biometriques, Mineurs], false);
        faits.transferts.push(transfert("SN"));
        faits.transferts.push(transfert("US"));
        let motifs = motifs(&faits);
        assert_eq!(motifs.len(), 4, "{motifs:?}");
        assert!(motifs[0].contains("santé"));
        assert!(motifs[1].contains("biométriques"));
        assert!(motifs[2].contains("US"));
        assert!(motifs[3].contains("mineurs"));
    }
}

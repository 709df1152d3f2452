//! What the formality and score rules need to know of a compliance dossier: plain facts,
//! gathered from the database by another module, so that the rules themselves
//! ([`super::formalites`], [`super::score`]) stay pure and testable without a database.
//!
//! Also the ECOWAS (CEDEAO) member list, which decides whether a transfer abroad needs
//! ARTCI's prior authorisation.

use crate::models::enums::CodeCategorieDonnees;

/// Côte d'Ivoire's ISO 3166 alpha-2 code: a processor established here is no transfer.
pub const COTE_D_IVOIRE: &str = "CI";

/// ECOWAS (CEDEAO) member states, ISO 3166 alpha-2, as of 2025.
///
/// Mali (`ML`), Burkina Faso (`BF`) and Niger (`NE`) announced their withdrawal in
/// January 2024; it took effect on 29 January 2025, so they are no longer listed: a transfer
/// to them is a transfer outside ECOWAS. Guinea, suspended from the organisation's bodies
/// since 2021, remains a member. Review this list whenever membership changes: it is read
/// at each qualification, whereas `transferts_internationaux.est_cedeao` is a stored copy
/// that the rules deliberately do not trust.
pub const PAYS_CEDEAO: [&str; 12] = [
    "BJ", // Bénin
    "CV", // Cabo Verde
    "CI", // Côte d'Ivoire
    "GM", // Gambie
    "GH", // Ghana
    "GN", // Guinée
    "GW", // Guinée-Bissau
    "LR", // Liberia
    "NG", // Nigeria
    "SN", // Sénégal
    "SL", // Sierra Leone
    "TG", // Togo
];

/// Whether `pays` (ISO alpha-2, any case, surrounding blanks ignored) is an ECOWAS member.
/// Anything that is not a member's code, a misspelt or blank one included, is not.
pub fn est_cedeao(pays: &str) -> bool {
    let pays = pays.trim();
    PAYS_CEDEAO
        .iter()
        .any(|membre| membre.eq_ignore_ascii_case(pays))
}

/// Whether `pays` (ISO alpha-2, any case, surrounding blanks ignored) is Côte d'Ivoire.
pub fn est_cote_d_ivoire(pays: &str) -> bool {
    pays.trim().eq_ignore_ascii_case(COTE_D_IVOIRE)
}

/// The facts of one entity's dossier that the formality and score rules read.
///
/// Lists may hold duplicates and come in any order: the rules do not care.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaitsDossier {
    /// `conformite_administrative.connaissance_loi`: the organisation states it knows the
    /// law (scored).
    pub connaissance_loi: bool,
    /// An active `dpo` row (`est_actif`) with a non-blank name: a correspondant is really
    /// designated (scored, and a condition of the `dispense`).
    pub correspondant_actif_nomme: bool,
    /// `conformite_administrative.declaration_artci`: a declaration was filed with ARTCI
    /// (scored).
    pub declaration_artci: bool,
    /// `conformite_administrative.autorisation_artci`: an authorisation was obtained from
    /// ARTCI (scored).
    pub autorisation_artci: bool,
    /// The `registre_traitements` rows that are not `supprime`: a suspended processing is
    /// still part of the register (scored: at least one).
    pub traitements: Vec<FaitsTraitement>,
    /// Every `categories_donnees.categorie` of the entity, attached to a processing or not,
    /// except those of a `supprime` processing: the sensitive ones decide the formality, and
    /// at least one is needed to inform persons (scored).
    pub categories: Vec<CodeCategorieDonnees>,
    /// Number of `finalites_bases_legales` rows of the entity: at least one purpose is
    /// needed to inform persons (scored).
    pub nombre_finalites: usize,
    /// The `sous_traitance` rows: their contracts are scored, and a processor established
    /// outside Côte d'Ivoire receives the data, so it counts as a transfer abroad.
    pub sous_traitants: Vec<FaitsSousTraitant>,
    /// The `transferts_internationaux` rows: their destinations decide the formality.
    pub transferts: Vec<FaitsTransfert>,
    /// `securite_conformite.politique_securite`: a written security policy exists (scored).
    pub politique_securite: bool,
}

/// One processing activity of the register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaitsTraitement {
    /// `registre_traitements.nom`, to name the processing in the reasons shown to the agent.
    pub nom: String,
    /// `registre_traitements.transfert_hors_ci`: the processing sends data out of Côte
    /// d'Ivoire. The destination itself is declared in the transfers and processors.
    pub transfert_hors_ci: bool,
}

/// One processor (`sous_traitance` row).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaitsSousTraitant {
    /// `nom_sous_traitant`, to name it in the reasons shown to the agent.
    pub nom: String,
    /// `pays`, ISO alpha-2: outside Côte d'Ivoire, handing it data is a transfer abroad.
    pub pays: String,
    /// `contrat`: a written contract binds the processor.
    pub contrat: bool,
    /// `clauses_protection`: that contract has personal-data protection clauses.
    pub clauses_protection: bool,
}

impl FaitsSousTraitant {
    /// The processor is bound as the law expects: a contract **and** protection clauses.
    pub fn est_encadre(&self) -> bool {
        self.contrat && self.clauses_protection
    }
}

/// One international transfer (`transferts_internationaux` row).
///
/// Its stored `est_cedeao` is left out on purpose: membership is recomputed from
/// `pays_destination` with [`est_cedeao`], so a row written before 2025 does not keep Mali,
/// Burkina Faso or Niger inside ECOWAS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaitsTransfert {
    /// `pays_destination`, ISO alpha-2.
    pub pays_destination: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_senegal_et_la_cote_d_ivoire_sont_dans_la_cedeao() {
        assert!(est_cedeao("SN"));
        assert!(est_cedeao("CI"));
        assert!(est_cedeao("gh"));
        assert!(est_cedeao(" Ng "));
    }

    #[test]
    fn le_mali_le_burkina_et_le_niger_n_en_sont_plus_depuis_2025() {
        for pays in ["ML", "BF", "NE", "ml"] {
            assert!(!est_cedeao(pays), "{pays}");
        }
    }

    #[test]
    fn un_pays_hors_d_afrique_de_l_ouest_ou_un_code_vide_n_en_est_pas() {
        for pays in ["FR", "US", "", "  ", "SEN", "Sénégal"] {
            assert!(!est_cedeao(pays), "{pays:?}");
        }
    }

    #[test]
    fn la_cote_d_ivoire_se_reconnait_en_toute_casse() {
        assert!(est_cote_d_ivoire("ci"));
        assert!(est_cote_d_ivoire(" CI"));
        assert!(!est_cote_d_ivoire("SN"));
    }

    #[test]
    fn un_sous_traitant_est_encadre_par_contrat_et_clauses() {
        let mut st = FaitsSousTraitant {
            contrat: true,
            clauses_protection: true,
            ..Default::default()
        };
        assert!(st.est_encadre());
        st.clauses_protection = false;
        assert!(!st.est_encadre());
    }
}

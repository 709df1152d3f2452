//! The compliance score (ARTCI's official 100-point scale) and the decision it suggests to
//! the agent. The score informs; the agent proposes and the N+1 decides.
//!
//! The scale has seven criteria, each all or nothing; "formalities done" (30) is scored as its
//! two halves, the declaration (15) and the authorisation (15), so that the agent sees which
//! one is missing: hence eight lines. The official scale awards both halves whatever formality
//! the dossier falls under ([`super::formalites`]): the formality does not change the score.
//!
//! "No processor" earns the processor-contracts points: there is no contract to be missing,
//! so an empty dossier scores 10, not 0.

use super::dossier::FaitsDossier;
use crate::models::enums::DecisionTraitement;

/// Lowest score that suggests `conforme`.
pub const SEUIL_CONFORME: u8 = 100;
/// Lowest score that suggests `conforme_sous_reserve`; below it, complements are asked for.
pub const SEUIL_SOUS_RESERVE: u8 = 70;

/// A dossier's score, with the detail of every criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// Sum of the points obtained, 0..=100.
    pub total: u8,
    /// Every criterion of the scale, in the scale's order, obtained or not.
    pub criteres: Vec<Critere>,
}

/// One line of the scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Critere {
    /// Stable identifier (snake_case), for clients and tests.
    pub code: &'static str,
    /// French label for the agent's and the company's screens.
    pub libelle: &'static str,
    /// Points the criterion is worth.
    pub points: u8,
    /// `points` when met, 0 otherwise: no partial credit.
    pub obtenus: u8,
}

/// The scale as data: one line per criterion, with the test that meets it.
struct Regle {
    code: &'static str,
    libelle: &'static str,
    points: u8,
    remplie: fn(&FaitsDossier) -> bool,
}

const BAREME: [Regle; 8] = [
    Regle {
        code: "connaissance_loi",
        libelle: "Connaissance de la loi",
        points: 5,
        remplie: |f| f.connaissance_loi,
    },
    Regle {
        code: "correspondant",
        libelle: "Correspondant à la protection des données désigné",
        points: 20,
        remplie: |f| f.correspondant_actif_nomme,
    },
    Regle {
        code: "declaration_artci",
        libelle: "Formalités : déclaration auprès de l'ARTCI",
        points: 15,
        remplie: |f| f.declaration_artci,
    },
    Regle {
        code: "autorisation_artci",
        libelle: "Formalités : autorisation de l'ARTCI",
        points: 15,
        remplie: |f| f.autorisation_artci,
    },
    Regle {
        code: "registre_traitements",
        libelle: "Registre des traitements tenu",
        points: 15,
        remplie: |f| !f.traitements.is_empty(),
    },
    Regle {
        code: "information_personnes",
        libelle: "Information des personnes (catégories de données et finalités)",
        points: 10,
        remplie: |f| !f.categories.is_empty() && f.nombre_finalites > 0,
    },
    Regle {
        code: "contrats_sous_traitance",
        libelle: "Contrats de sous-traitance avec clauses de protection",
        points: 10,
        remplie: |f| f.sous_traitants.iter().all(|s| s.est_encadre()),
    },
    Regle {
        code: "politique_securite",
        libelle: "Politique de sécurité",
        points: 10,
        remplie: |f| f.politique_securite,
    },
];

/// Scores a dossier on the official scale.
pub fn score(faits: &FaitsDossier) -> Score {
    let criteres: Vec<Critere> = BAREME
        .iter()
        .map(|r| Critere {
            code: r.code,
            libelle: r.libelle,
            points: r.points,
            obtenus: if (r.remplie)(faits) { r.points } else { 0 },
        })
        .collect();
    Score {
        total: criteres.iter().map(|c| c.obtenus).sum(),
        criteres,
    }
}

/// The decision a score suggests to the agent: 100 → `conforme`, 70–99 →
/// `conforme_sous_reserve`, below 70 → `en_attente_complements`. Never `rejete`: a
/// rejection is a human judgement on grounds the score does not see.
pub fn decision_suggeree(total: u8) -> DecisionTraitement {
    match total {
        t if t >= SEUIL_CONFORME => DecisionTraitement::Conforme,
        t if t >= SEUIL_SOUS_RESERVE => DecisionTraitement::ConformeSousReserve,
        _ => DecisionTraitement::EnAttenteComplements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dossier::{FaitsSousTraitant, FaitsTraitement};
    use crate::models::enums::CodeCategorieDonnees;

    fn sous_traitant(contrat: bool, clauses_protection: bool) -> FaitsSousTraitant {
        FaitsSousTraitant {
            nom: "Hébergeur".into(),
            pays: "CI".into(),
            contrat,
            clauses_protection,
        }
    }

    fn dossier_complet() -> FaitsDossier {
        FaitsDossier {
            connaissance_loi: true,
            correspondant_actif_nomme: true,
            declaration_artci: true,
            autorisation_artci: true,
            traitements: vec![FaitsTraitement {
                nom: "Paie".into(),
                transfert_hors_ci: false,
            }],
            categories: vec![CodeCategorieDonnees::Identification],
            nombre_finalites: 1,
            sous_traitants: vec![sous_traitant(true, true)],
            transferts: vec![],
            politique_securite: true,
        }
    }

    fn obtenus(score: &Score, code: &str) -> u8 {
        score
            .criteres
            .iter()
            .find(|c| c.code == code)
            .unwrap()
            .obtenus
    }

    #[test]
    fn les_criteres_totalisent_100_points() {
        let total: u32 = BAREME.iter().map(|r| u32::from(r.points)).sum();
        assert_eq!(total, 100);
        let codes: std::collections::HashSet<_> = BAREME.iter().map(|r| r.code).collect();
        assert_eq!(codes.len(), BAREME.len(), "codes en double");
    }

    #[test]
    fn un_dossier_vide_n_obtient_que_les_10_points_sans_sous_traitant() {
        let s = score(&FaitsDossier::default());
        assert_eq!(s.total, 10);
        assert_eq!(s.criteres.len(), 8);
        for c in &s.criteres {
            let attendu = if c.code == "contrats_sous_traitance" {
                10
            } else {
                0
            };
            assert_eq!(c.obtenus, attendu, "{}", c.code);
        }
        assert_eq!(
            decision_suggeree(s.total),
            DecisionTraitement::EnAttenteComplements
        );
    }

    #[test]
    fn un_dossier_complet_obtient_100_et_suggere_conforme() {
        let s = score(&dossier_complet());
        assert_eq!(s.total, 100);
        assert!(s.criteres.iter().all(|c| c.obtenus == c.points));
        assert_eq!(decision_suggeree(s.total), DecisionTraitement::Conforme);
    }

    #[test]
    fn un_sous_traitant_sans_clauses_de_protection_fait_perdre_10_points() {
        let mut faits = dossier_complet();
        faits.sous_traitants.push(sous_traitant(true, false));
        let s = score(&faits);
        assert_eq!(s.total, 90);
        assert_eq!(obtenus(&s, "contrats_sous_traitance"), 0);

        faits.sous_traitants = vec![sous_traitant(false, true)];
        assert_eq!(score(&faits).total, 90);
    }

    #[test]
    fn informer_les_personnes_demande_une_categorie_et_une_finalite() {
        let mut faits = dossier_complet();
        faits.nombre_finalites = 0;
        assert_eq!(obtenus(&score(&faits), "information_personnes"), 0);

        let mut faits = dossier_complet();
        faits.categories.clear();
        assert_eq!(obtenus(&score(&faits), "information_personnes"), 0);
    }

    #[test]
    fn chaque_moitie_des_formalites_vaut_15_points() {
        let mut faits = dossier_complet();
        faits.autorisation_artci = false;
        let s = score(&faits);
        assert_eq!(s.total, 85);
        assert_eq!(obtenus(&s, "declaration_artci"), 15);
        assert_eq!(
            decision_suggeree(s.total),
            DecisionTraitement::ConformeSousReserve
        );
    }

    #[test]
    fn sans_correspondant_ni_politique_de_securite_le_dossier_reste_a_70() {
        let mut faits = dossier_complet();
        faits.correspondant_actif_nomme = false;
        faits.politique_securite = false;
        assert_eq!(score(&faits).total, 70);
        faits.connaissance_loi = false;
        assert_eq!(score(&faits).total, 65);
    }

    #[test]
    fn les_seuils_de_la_decision_suggeree() {
        use DecisionTraitement::*;
        assert_eq!(decision_suggeree(0), EnAttenteComplements);
        assert_eq!(decision_suggeree(69), EnAttenteComplements);
        assert_eq!(decision_suggeree(70), ConformeSousReserve);
        assert_eq!(decision_suggeree(99), ConformeSousReserve);
        assert_eq!(decision_suggeree(100), Conforme);
    }
}

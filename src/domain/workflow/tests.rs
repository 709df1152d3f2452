use std::collections::{HashMap, HashSet};

use super::*;
use crate::models::enums::RoleUtilisateur::{Admin, Editeur, Lecteur, SuperAdmin};
use crate::models::enums::StatutWorkflow::*;

const ENTREPRISE: Acteur = Acteur::Entreprise;
const SYSTEME: Acteur = Acteur::Systeme;
const LECTEUR: Acteur = Acteur::Personnel(Lecteur);
const EDITEUR: Acteur = Acteur::Personnel(Editeur);
const ADMIN: Acteur = Acteur::Personnel(Admin);
const SUPER_ADMIN: Acteur = Acteur::Personnel(SuperAdmin);

fn permis(de: StatutWorkflow, nom: NomTransition, acteur: Acteur, vers: StatutWorkflow) -> bool {
    autoriser(de, nom, acteur, Some(vers)).is_ok()
}

/// DOMAIN's table, row by row: (from, transition, to, the least actor allowed).
fn lignes_du_domaine() -> Vec<(StatutWorkflow, NomTransition, StatutWorkflow, Acteur)> {
    use NomTransition as N;
    let mut lignes = vec![
        (Brouillon, N::Soumettre, Soumis, ENTREPRISE),
        (BrouillonArtci, N::SoumettreArtci, Soumis, EDITEUR),
        (Soumis, N::Retirer, Brouillon, ENTREPRISE),
        (Soumis, N::Assigner, EnVerification, ADMIN),
        (EnVerification, N::Decider, EnAttenteComplements, ADMIN),
        (EnVerification, N::Decider, Conforme, ADMIN),
        (EnVerification, N::Decider, ConformeSousReserve, ADMIN),
        (EnVerification, N::Decider, Rejete, ADMIN),
        (EnAttenteComplements, N::Completer, Soumis, ENTREPRISE),
        (Conforme, N::Valider, Valide, ADMIN),
        (ConformeSousReserve, N::Valider, Valide, ADMIN),
        (ConformeSousReserve, N::RejeterHorsDelai, Rejete, ADMIN),
        (Valide, N::Publier, Publie, ADMIN),
        (Publie, N::Depublier, Valide, ADMIN),
        (Valide, N::Expirer, Expire, SYSTEME),
        (Publie, N::Expirer, Expire, SYSTEME),
        (Rejete, N::Recommencer, Brouillon, ENTREPRISE),
        (Expire, N::Recommencer, Brouillon, ENTREPRISE),
        (BrouillonArtci, N::Rapprocher, Brouillon, SYSTEME),
    ];
    for de in [
        Soumis,
        EnVerification,
        EnAttenteComplements,
        Conforme,
        ConformeSousReserve,
        Valide,
        Publie,
    ] {
        lignes.push((de, N::RetourFormulaire, EnAttenteComplements, SUPER_ADMIN));
    }
    // Amending an approved dossier (déclaration modificative): back to the approved status
    // it left, whichever it was.
    for retour in [Valide, Publie] {
        lignes.push((retour, N::OuvrirModification, EnModification, ENTREPRISE));
        for de in [EnModification, Soumis, EnAttenteComplements] {
            lignes.push((de, N::AnnulerModification, retour, ENTREPRISE));
        }
        for de in [EnVerification, ConformeSousReserve] {
            lignes.push((de, N::RefuserModification, retour, ADMIN));
        }
        for &de in EN_COURS_DE_MODIFICATION {
            lignes.push((de, N::AbandonnerModification, retour, SYSTEME));
        }
    }
    lignes.push((EnModification, N::SoumettreModification, Soumis, ENTREPRISE));
    for &de in EN_COURS_DE_MODIFICATION {
        lignes.push((de, N::Expirer, Expire, SYSTEME));
    }
    lignes
}

fn role_inferieur(acteur: Acteur) -> Option<Acteur> {
    match acteur {
        Acteur::Personnel(SuperAdmin) => Some(ADMIN),
        Acteur::Personnel(Admin) => Some(EDITEUR),
        Acteur::Personnel(Editeur) => Some(LECTEUR),
        _ => None,
    }
}

#[test]
fn chaque_ligne_du_domaine_est_permise_a_son_acteur_et_aux_roles_au_dessus() {
    for (de, nom, vers, acteur) in lignes_du_domaine() {
        assert!(
            permis(de, nom, acteur, vers),
            "{de} -{nom:?}-> {vers} by {acteur:?}"
        );
        if let Acteur::Personnel(role) = acteur {
            for &plus_haut in RoleUtilisateur::ALL {
                if rang(plus_haut) > rang(role) {
                    assert!(permis(de, nom, Acteur::Personnel(plus_haut), vers));
                }
            }
        }
    }
}

#[test]
fn chaque_ligne_du_personnel_est_refusee_au_role_inferieur_et_a_l_entreprise() {
    for (de, nom, vers, acteur) in lignes_du_domaine() {
        let Some(inferieur) = role_inferieur(acteur) else {
            continue;
        };
        for refuse in [inferieur, ENTREPRISE] {
            assert_eq!(
                autoriser(de, nom, refuse, Some(vers)),
                Err(RefusTransition::ActeurNonAutorise {
                    nom,
                    acteur: refuse
                }),
                "{de} -{nom:?}-> {vers} by {refuse:?}"
            );
        }
    }
}

#[test]
fn les_lignes_de_l_entreprise_sont_refusees_au_personnel_et_au_systeme() {
    for (de, nom, vers, acteur) in lignes_du_domaine() {
        if acteur == ENTREPRISE {
            for refuse in [SUPER_ADMIN, SYSTEME] {
                assert!(!permis(de, nom, refuse, vers), "{nom:?} by {refuse:?}");
            }
        }
    }
}

#[test]
fn la_table_ne_contient_que_les_lignes_du_domaine_et_l_assignation_automatique() {
    let attendues: HashSet<_> = lignes_du_domaine()
        .into_iter()
        .map(|(de, nom, vers, _)| (de, nom, vers))
        .collect();
    let table: HashSet<_> = TRANSITIONS
        .iter()
        .flat_map(|t| t.de.iter().map(move |&de| (de, t.nom, t.vers)))
        .collect();
    assert_eq!(table, attendues);
    // Beyond DOMAIN's "admin+": the re-assignment after complements is the system's.
    assert!(permis(
        Soumis,
        NomTransition::Assigner,
        SYSTEME,
        EnVerification
    ));
}

#[test]
fn chaque_statut_n_atteint_que_ce_que_dit_la_table() {
    let attendu: HashMap<StatutWorkflow, HashSet<StatutWorkflow>> = [
        (Brouillon, vec![Soumis]),
        (BrouillonArtci, vec![Soumis, Brouillon]),
        (
            Soumis,
            vec![
                Brouillon,
                EnVerification,
                EnAttenteComplements,
                Valide,
                Publie,
                Expire,
            ],
        ),
        (
            EnVerification,
            vec![
                EnAttenteComplements,
                Conforme,
                ConformeSousReserve,
                Rejete,
                Valide,
                Publie,
                Expire,
            ],
        ),
        (
            EnAttenteComplements,
            vec![Soumis, EnAttenteComplements, Valide, Publie, Expire],
        ),
        (Conforme, vec![Valide, EnAttenteComplements, Publie, Expire]),
        (
            ConformeSousReserve,
            vec![Valide, Rejete, EnAttenteComplements, Publie, Expire],
        ),
        (
            Valide,
            vec![Publie, Expire, EnAttenteComplements, EnModification],
        ),
        (
            Publie,
            vec![Valide, Expire, EnAttenteComplements, EnModification],
        ),
        (EnModification, vec![Soumis, Valide, Publie, Expire]),
        (Rejete, vec![Brouillon]),
        (Expire, vec![Brouillon]),
    ]
    .into_iter()
    .map(|(de, vers)| (de, vers.into_iter().collect()))
    .collect();

    let acteurs = [ENTREPRISE, SYSTEME, LECTEUR, EDITEUR, ADMIN, SUPER_ADMIN];
    for &de in StatutWorkflow::ALL {
        let mut atteints = HashSet::new();
        for &nom in NomTransition::ALL {
            for &vers in StatutWorkflow::ALL {
                if acteurs.iter().any(|&a| permis(de, nom, a, vers)) {
                    atteints.insert(vers);
                }
            }
        }
        assert_eq!(atteints, attendu[&de], "from {de}");
    }
}

#[test]
fn aucune_paire_de_lignes_ne_partage_depart_nom_et_cible() {
    let mut vus = HashSet::new();
    for t in TRANSITIONS {
        for &de in t.de {
            assert!(
                vus.insert((de, t.nom, t.vers)),
                "{de} {:?} {}",
                t.nom,
                t.vers
            );
        }
    }
}

#[test]
fn chaque_nom_de_transition_a_au_moins_une_ligne() {
    for &nom in NomTransition::ALL {
        assert!(TRANSITIONS.iter().any(|t| t.nom == nom), "{nom:?}");
    }
}

#[test]
fn le_retour_formulaire_est_reserve_au_super_admin_et_exige_un_motif() {
    let nom = NomTransition::RetourFormulaire;
    for acteur in [ENTREPRISE, SYSTEME, LECTEUR, EDITEUR, ADMIN] {
        assert!(!permis(Publie, nom, acteur, EnAttenteComplements));
    }
    let ligne = autoriser(Publie, nom, SUPER_ADMIN, None).unwrap();
    assert_eq!(ligne.vers, EnAttenteComplements);
    assert!(!publie_sur_carte(ligne.vers));
    for motif in [None, Some(""), Some("  \n")] {
        assert_eq!(
            ligne.verifier_saisie(motif, None),
            Err(RefusTransition::MotifRequis { nom })
        );
    }
    assert_eq!(
        ligne.verifier_saisie(Some("Annexe 3 illisible"), None),
        Ok(())
    );
    // Not from a draft, nor from a closed dossier.
    for de in [Brouillon, BrouillonArtci, Rejete, Expire] {
        assert_eq!(
            autoriser(de, nom, SUPER_ADMIN, None),
            Err(RefusTransition::TransitionInconnue { de, nom })
        );
    }
}

#[test]
fn le_systeme_peut_faire_expirer_mais_pas_publier() {
    assert!(autoriser(Valide, NomTransition::Expirer, SYSTEME, None).is_ok());
    assert!(autoriser(Publie, NomTransition::Expirer, SYSTEME, None).is_ok());
    assert_eq!(
        autoriser(Valide, NomTransition::Publier, SYSTEME, None),
        Err(RefusTransition::ActeurNonAutorise {
            nom: NomTransition::Publier,
            acteur: SYSTEME
        })
    );
    // Expiry is the job's alone: no one decides it by hand.
    assert!(autoriser(Valide, NomTransition::Expirer, SUPER_ADMIN, None).is_err());
}

#[test]
fn decider_exige_une_cible_valide_un_motif_pour_rejeter_et_un_delai_sous_reserve() {
    let nom = NomTransition::Decider;
    let de = EnVerification;
    assert_eq!(
        autoriser(de, nom, ADMIN, None),
        Err(RefusTransition::CibleRequise { de, nom })
    );
    assert_eq!(
        autoriser(de, nom, ADMIN, Some(Valide)),
        Err(RefusTransition::CibleInvalide {
            de,
            nom,
            vers: Valide
        })
    );
    let rejet = autoriser(de, nom, ADMIN, Some(Rejete)).unwrap();
    assert_eq!(
        rejet.verifier_saisie(None, None),
        Err(RefusTransition::MotifRequis { nom })
    );
    let reserve = autoriser(de, nom, ADMIN, Some(ConformeSousReserve)).unwrap();
    assert_eq!(
        reserve.verifier_saisie(None, None),
        Err(RefusTransition::DelaiRequis { nom })
    );
    let delai = NaiveDate::from_ymd_opt(2027, 3, 31);
    assert_eq!(reserve.verifier_saisie(None, delai), Ok(()));
    let conforme = autoriser(de, nom, ADMIN, Some(Conforme)).unwrap();
    assert_eq!(conforme.verifier_saisie(None, None), Ok(()));
}

#[test]
fn un_acteur_jamais_autorise_est_refuse_quel_que_soit_le_statut() {
    // The company learns nothing about the dossier's status from a forbidden action.
    for &de in StatutWorkflow::ALL {
        assert_eq!(
            autoriser(de, NomTransition::Publier, ENTREPRISE, None),
            Err(RefusTransition::ActeurNonAutorise {
                nom: NomTransition::Publier,
                acteur: ENTREPRISE
            })
        );
    }
    assert_eq!(
        autoriser(Valide, NomTransition::Soumettre, ENTREPRISE, None),
        Err(RefusTransition::TransitionInconnue {
            de: Valide,
            nom: NomTransition::Soumettre
        })
    );
}

#[test]
fn la_conformite_suit_le_statut_du_dossier() {
    use StatutConformite as C;
    let attendu = [
        (Brouillon, C::NonConforme),
        (BrouillonArtci, C::NonConforme),
        (Soumis, C::DemarcheEnCours),
        (EnVerification, C::DemarcheEnCours),
        (EnAttenteComplements, C::DemarcheEnCours),
        (Conforme, C::Conforme),
        (ConformeSousReserve, C::DemarcheAchevee),
        (Valide, C::Conforme),
        (Publie, C::Conforme),
        (EnModification, C::Conforme),
        (Rejete, C::Rejete),
        (Expire, C::NonConforme),
    ];
    assert_eq!(attendu.len(), StatutWorkflow::ALL.len());
    for (statut, attendue) in attendu {
        assert_eq!(statut_conformite(statut), attendue, "{statut}");
        assert_eq!(conformite(statut, false), attendue, "{statut}");
    }
    // During an amendment, the approved version stays in force.
    for &statut in EN_COURS_DE_MODIFICATION {
        assert_eq!(conformite(statut, true), C::Conforme, "{statut}");
    }
}

#[test]
fn seul_le_statut_publie_est_sur_la_carte() {
    for &statut in StatutWorkflow::ALL {
        assert_eq!(publie_sur_carte(statut), statut == Publie, "{statut}");
    }
}

#[test]
fn l_entreprise_ne_modifie_qu_un_brouillon_un_dossier_a_completer_ou_en_modification() {
    let modifiables: Vec<_> = StatutWorkflow::ALL
        .iter()
        .copied()
        .filter(|&s| modifiable_par_entreprise(s))
        .collect();
    assert_eq!(
        modifiables,
        [Brouillon, EnAttenteComplements, EnModification]
    );
}

#[test]
fn l_historique_note_la_conformite_seulement_quand_elle_change() {
    assert_eq!(
        lignes_historique(Valide, Publie, false),
        [LigneHistorique {
            objet: ObjetHistorique::Workflow,
            ancien_statut: "valide",
            nouveau_statut: "publie",
        }]
    );
    let lignes = lignes_historique(EnVerification, Rejete, false);
    assert_eq!(lignes.len(), 2);
    assert_eq!(lignes[1].objet, ObjetHistorique::Conformite);
    assert_eq!(
        (lignes[1].ancien_statut, lignes[1].nouveau_statut),
        ("demarche_en_cours", "rejete")
    );
}

#[test]
fn les_roles_sont_ordonnes_du_lecteur_au_super_admin() {
    // The order of `graphql::context::rang`, which the resolvers use for the same roles.
    let ordre = [Lecteur, Editeur, Admin, SuperAdmin];
    assert!(ordre.windows(2).all(|p| rang(p[0]) < rang(p[1])));
}

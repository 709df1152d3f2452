//! `enregistrerSousTraitance`: the processors an entity entrusts data to (`sous_traitance`)
//! and its transfers of data abroad (`transferts_internationaux`).
//!
//! Countries are assigned ISO 3166-1 alpha-2 codes ([`pays`]): a made-up code would pass for
//! a country outside ECOWAS and wrongly call for an authorisation. `est_cedeao` is computed
//! here from the destination, never taken from the client. A transfer's decision number is
//! ARTCI's (`2016-0113`): a granted or refused authorisation has one.

use super::*;
use crate::domain::{dossier, pays};
use crate::models::enums::StatutAutorisationTransfert;
use crate::models::sous_traitance::{self, LigneSousTraitance};
use crate::models::transferts_internationaux::{self, LigneTransfert};

/// One processor (a whole item: absent optional fields are empty, booleans « non »).
#[derive(Debug, Clone)]
pub struct SaisieSousTraitant {
    pub id: Option<Uuid>,
    pub nom_sous_traitant: String,
    /// ISO 3166-1 alpha-2, any case.
    pub pays: String,
    pub objet: Option<String>,
    pub donnees_partagees: Option<String>,
    pub contrat: bool,
    pub clauses_protection: bool,
    pub audit: bool,
}

/// One transfer abroad (a whole item).
#[derive(Debug, Clone)]
pub struct SaisieTransfert {
    pub id: Option<Uuid>,
    /// ISO 3166-1 alpha-2, any case; never Côte d'Ivoire.
    pub pays_destination: String,
    pub organisme_destinataire: Option<String>,
    pub finalite: Option<String>,
    pub categories: Option<String>,
    pub base_juridique: Option<String>,
    pub garanties: Option<String>,
    pub statut_autorisation: StatutAutorisationTransfert,
    pub numero_decision: Option<String>,
}

/// `enregistrerSousTraitance`: a list absent is left as it is; a list given replaces the list.
#[derive(Debug, Clone, Default)]
pub struct SaisieSousTraitance {
    pub sous_traitants: Option<Vec<SaisieSousTraitant>>,
    pub transferts: Option<Vec<SaisieTransfert>>,
}

/// Saves the processors and transfers of the dossier read at `version`.
pub async fn enregistrer_sous_traitance(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    version: i32,
    saisie: SaisieSousTraitance,
) -> AppResult<EntiteBase> {
    conn.transaction::<_, AppError, _>(async |conn| {
        verrouiller(conn, principal, entite_id, version).await?;
        if let Some(sous_traitants) = saisie.sous_traitants {
            let nom = "input.sousTraitants";
            let lignes = liste(nom, sous_traitants, |chemin, ordre, s| {
                valider_sous_traitant(entite_id, chemin, ordre, s)
            })?;
            ids_remplaces(
                nom,
                sous_traitance::remplacer(conn, entite_id, &lignes).await?,
            )?;
        }
        if let Some(transferts) = saisie.transferts {
            let nom = "input.transferts";
            let lignes = liste(nom, transferts, |chemin, ordre, t| {
                valider_transfert(entite_id, chemin, ordre, t)
            })?;
            ids_remplaces(
                nom,
                transferts_internationaux::remplacer(conn, entite_id, &lignes).await?,
            )?;
        }
        Ok(entites_base::find_by_id(conn, entite_id).await?)
    })
    .await
}

fn code_pays(nom: &str, saisi: &str) -> AppResult<String> {
    champ(nom, pays::normaliser(saisi))
}

/// Whether `numero` reads like an ARTCI decision number: 4 digits, a dash, 4 digits
/// (`2016-0113`: the year and a rank).
fn est_numero_decision(numero: &str) -> bool {
    let b = numero.as_bytes();
    b.len() == 9 && b[4] == b'-' && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit)
}

fn valider_sous_traitant(
    entite_id: Uuid,
    p: &str,
    ordre: i32,
    s: SaisieSousTraitant,
) -> AppResult<(Option<Uuid>, LigneSousTraitance)> {
    Ok((
        s.id,
        LigneSousTraitance {
            entite_id,
            nom_sous_traitant: champ(
                &format!("{p}.nomSousTraitant"),
                validation::required_text(&s.nom_sous_traitant, LONGUEUR_NOM),
            )?,
            pays: code_pays(&format!("{p}.pays"), &s.pays)?,
            objet: texte(&format!("{p}.objet"), s.objet, LONGUEUR_TEXTE)?,
            donnees_partagees: texte(
                &format!("{p}.donneesPartagees"),
                s.donnees_partagees,
                LONGUEUR_TEXTE,
            )?,
            contrat: s.contrat,
            clauses_protection: s.clauses_protection,
            audit: s.audit,
            ordre,
        },
    ))
}

fn valider_transfert(
    entite_id: Uuid,
    p: &str,
    ordre: i32,
    t: SaisieTransfert,
) -> AppResult<(Option<Uuid>, LigneTransfert)> {
    let nom_pays = format!("{p}.paysDestination");
    let pays_destination = code_pays(&nom_pays, &t.pays_destination)?;
    if dossier::est_cote_d_ivoire(&pays_destination) {
        return Err(AppError::bad_input(
            nom_pays,
            "Des données qui restent en Côte d'Ivoire ne sont pas un transfert international.",
        ));
    }
    let nom_numero = format!("{p}.numeroDecision");
    let numero_decision = texte(&nom_numero, t.numero_decision, LONGUEUR_NOM)?;
    match &numero_decision {
        Some(n) if !est_numero_decision(n) => {
            return Err(AppError::bad_input(
                nom_numero,
                "Numéro de décision invalide : quatre chiffres, un tiret, quatre chiffres (ex. 2016-0113).",
            ));
        }
        None if matches!(
            t.statut_autorisation,
            StatutAutorisationTransfert::Accordee | StatutAutorisationTransfert::Refusee
        ) =>
        {
            return Err(AppError::bad_input(
                nom_numero,
                "Une autorisation accordée ou refusée porte le numéro de la décision de l'ARTCI.",
            ));
        }
        _ => {}
    }
    Ok((
        t.id,
        LigneTransfert {
            entite_id,
            est_cedeao: dossier::est_cedeao(&pays_destination),
            pays_destination,
            organisme_destinataire: texte(
                &format!("{p}.organismeDestinataire"),
                t.organisme_destinataire,
                LONGUEUR_NOM,
            )?,
            finalite: texte(&format!("{p}.finalite"), t.finalite, LONGUEUR_TEXTE)?,
            categories: texte(&format!("{p}.categories"), t.categories, LONGUEUR_TEXTE)?,
            base_juridique: texte(
                &format!("{p}.baseJuridique"),
                t.base_juridique,
                LONGUEUR_TEXTE,
            )?,
            garanties: texte(&format!("{p}.garanties"), t.garanties, LONGUEUR_TEXTE)?,
            statut_autorisation: t.statut_autorisation,
            numero_decision,
            ordre,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "input.transferts[1]";

    fn transfert(pays: &str) -> SaisieTransfert {
        SaisieTransfert {
            id: None,
            pays_destination: pays.into(),
            organisme_destinataire: None,
            finalite: None,
            categories: None,
            base_juridique: None,
            garanties: None,
            statut_autorisation: StatutAutorisationTransfert::ADemander,
            numero_decision: None,
        }
    }

    fn sous_traitant(nom: &str, pays: &str) -> SaisieSousTraitant {
        SaisieSousTraitant {
            id: None,
            nom_sous_traitant: nom.into(),
            pays: pays.into(),
            objet: None,
            donnees_partagees: None,
            contrat: false,
            clauses_protection: false,
            audit: false,
        }
    }

    #[test]
    fn la_cedeao_est_calculee_depuis_le_pays() {
        let (_, senegal) = valider_transfert(Uuid::nil(), P, 1, transfert(" sn ")).unwrap();
        assert_eq!(senegal.pays_destination, "SN");
        assert!(senegal.est_cedeao);
        assert_eq!(senegal.ordre, 1);
        let (_, france) = valider_transfert(Uuid::nil(), P, 1, transfert("fr")).unwrap();
        assert!(!france.est_cedeao);
        // Out of ECOWAS since 29 January 2025.
        let (_, mali) = valider_transfert(Uuid::nil(), P, 1, transfert("ML")).unwrap();
        assert!(!mali.est_cedeao);
    }

    #[test]
    fn un_pays_inconnu_est_refuse_sur_son_chemin() {
        for pays in ["XX", "ZZ", "FRA", "", "F"] {
            let err = valider_transfert(Uuid::nil(), P, 1, transfert(pays)).unwrap_err();
            assert_eq!(
                err.field(),
                Some("input.transferts[1].paysDestination"),
                "{pays}"
            );
        }
        let err = valider_sous_traitant(
            Uuid::nil(),
            "input.sousTraitants[0]",
            0,
            sous_traitant("Cloud SA", "ZZ"),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("input.sousTraitants[0].pays"));
    }

    #[test]
    fn un_transfert_vers_la_cote_d_ivoire_n_en_est_pas_un() {
        let err = valider_transfert(Uuid::nil(), P, 1, transfert(" ci")).unwrap_err();
        assert_eq!(err.field(), Some("input.transferts[1].paysDestination"));
        // A processor may well be established in Côte d'Ivoire.
        let (_, ligne) = valider_sous_traitant(
            Uuid::nil(),
            "input.sousTraitants[0]",
            0,
            sous_traitant("  Orange CI  ", "ci"),
        )
        .unwrap();
        assert_eq!(ligne.nom_sous_traitant, "Orange CI");
        assert_eq!(ligne.pays, "CI");
    }

    #[test]
    fn le_nom_du_sous_traitant_est_obligatoire() {
        let err = valider_sous_traitant(
            Uuid::nil(),
            "input.sousTraitants[2]",
            2,
            sous_traitant("   ", "FR"),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("input.sousTraitants[2].nomSousTraitant"));
        let long = "x".repeat(LONGUEUR_NOM + 1);
        assert!(valider_sous_traitant(Uuid::nil(), "s", 0, sous_traitant(&long, "FR")).is_err());
    }

    #[test]
    fn le_numero_de_decision_a_la_forme_annee_tiret_rang() {
        assert!(est_numero_decision("2016-0113"));
        for faux in [
            "2016-113",
            "16-0113",
            "2016_0113",
            "2016-01134",
            "abcd-efgh",
            "２016-0113",
        ] {
            assert!(!est_numero_decision(faux), "{faux}");
        }
        let mut t = transfert("FR");
        t.numero_decision = Some("2016/0113".into());
        let err = valider_transfert(Uuid::nil(), P, 1, t).unwrap_err();
        assert_eq!(err.field(), Some("input.transferts[1].numeroDecision"));
    }

    #[test]
    fn une_decision_accordee_ou_refusee_porte_son_numero() {
        for statut in [
            StatutAutorisationTransfert::Accordee,
            StatutAutorisationTransfert::Refusee,
        ] {
            let mut t = transfert("US");
            t.statut_autorisation = statut;
            t.numero_decision = Some("  ".into());
            let err = valider_transfert(Uuid::nil(), P, 1, t.clone()).unwrap_err();
            assert_eq!(err.field(), Some("input.transferts[1].numeroDecision"));
            t.numero_decision = Some(" 2016-0113 ".into());
            let (_, ligne) = valider_transfert(Uuid::nil(), P, 1, t).unwrap();
            assert_eq!(ligne.numero_decision.as_deref(), Some("2016-0113"));
        }
        let mut en_cours = transfert("US");
        en_cours.statut_autorisation = StatutAutorisationTransfert::EnCours;
        assert!(valider_transfert(Uuid::nil(), P, 1, en_cours).is_ok());
    }
}

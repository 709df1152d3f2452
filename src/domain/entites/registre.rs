//! `enregistrerRegistre`: the register of processing activities (`registre_traitements`),
//! each with its categories of data (`categories_donnees`) and purposes
//! (`finalites_bases_legales`), and the categories and purposes common to the whole entity
//! (attached to no processing).
//!
//! Nesting: a processing's `categories` (`finalites`) given replace that processing's list;
//! absent, they are left as they are (none for a new processing). Removing a processing
//! removes its categories and purposes (the foreign key cascades). `est_sensible` is deduced
//! from the category, never taken from the client. The purposes' percentages (the map
//! pop-up's shares) total at most 100 per entity: checked after the writes, on what the
//! entity then holds, so that a refused save names its field (the database checks it again
//! at commit).

use super::*;
use crate::domain::formalites;
use crate::models::categories_donnees::{self, LigneCategorie};
use crate::models::enums::{BaseLegale, CodeCategorieDonnees, StatutTraitement};
use crate::models::finalites_bases_legales::{self, LigneFinalite};
use crate::models::registre_traitements::{self, LigneTraitement};

/// One category of data (a whole item).
#[derive(Debug, Clone)]
pub struct SaisieCategorie {
    pub id: Option<Uuid>,
    pub categorie: CodeCategorieDonnees,
    pub items: Option<String>,
    pub origine: Option<String>,
}

/// One purpose and its legal basis (a whole item).
#[derive(Debug, Clone)]
pub struct SaisieFinalite {
    pub id: Option<Uuid>,
    pub finalite: String,
    pub base_legale: BaseLegale,
    /// 0..=100.
    pub pourcentage: i32,
}

/// One processing activity (a whole item), with its nested lists (`None`: unchanged).
#[derive(Debug, Clone)]
pub struct SaisieTraitement {
    pub id: Option<Uuid>,
    pub nom: String,
    pub finalite: Option<String>,
    pub base_legale: Option<BaseLegale>,
    pub categories_personnes: Option<String>,
    pub duree_conservation: Option<String>,
    pub destinataires: Option<String>,
    pub transfert_hors_ci: bool,
    pub statut: StatutTraitement,
    pub categories: Option<Vec<SaisieCategorie>>,
    pub finalites: Option<Vec<SaisieFinalite>>,
}

/// `enregistrerRegistre`: each list absent is left as it is; a list given replaces the list.
#[derive(Debug, Clone, Default)]
pub struct SaisieRegistre {
    pub traitements: Option<Vec<SaisieTraitement>>,
    pub categories_communes: Option<Vec<SaisieCategorie>>,
    pub finalites_communes: Option<Vec<SaisieFinalite>>,
}

/// A validated processing and its validated nested lists.
type TraitementValide = (
    (Option<Uuid>, LigneTraitement),
    Option<Vec<SaisieCategorie>>,
    Option<Vec<SaisieFinalite>>,
);

/// Saves the register of the dossier read at `version`.
pub async fn enregistrer_registre(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    version: i32,
    saisie: SaisieRegistre,
) -> AppResult<EntiteBase> {
    conn.transaction::<_, AppError, _>(async |conn| {
        verrouiller(conn, principal, entite_id, version).await?;
        // The first list of purposes given names the field of a total over 100.
        let mut chemin_pourcentages: Option<String> = None;
        if let Some(traitements) = saisie.traitements {
            let nom = "input.traitements";
            let valides: Vec<TraitementValide> = liste(nom, traitements, |chemin, ordre, t| {
                let categories = t.categories.clone();
                let finalites = t.finalites.clone();
                Ok((
                    valider_traitement(entite_id, chemin, ordre, t)?,
                    categories,
                    finalites,
                ))
            })?;
            let lignes: Vec<_> = valides.iter().map(|(l, _, _)| l.clone()).collect();
            let ids = ids_remplaces(
                nom,
                registre_traitements::remplacer(conn, entite_id, &lignes).await?,
            )?;
            for (i, ((_, categories, finalites), id)) in valides.into_iter().zip(ids).enumerate() {
                let chemin = format!("{nom}[{i}]");
                if let Some(categories) = categories {
                    enregistrer_categories(
                        conn,
                        entite_id,
                        Some(id),
                        &format!("{chemin}.categories"),
                        categories,
                    )
                    .await?;
                }
                if let Some(finalites) = finalites {
                    let chemin = format!("{chemin}.finalites");
                    enregistrer_finalites(conn, entite_id, Some(id), &chemin, finalites).await?;
                    chemin_pourcentages.get_or_insert(chemin);
                }
            }
        }
        if let Some(categories) = saisie.categories_communes {
            enregistrer_categories(
                conn,
                entite_id,
                None,
                "input.categoriesCommunes",
                categories,
            )
            .await?;
        }
        if let Some(finalites) = saisie.finalites_communes {
            let chemin = "input.finalitesCommunes";
            enregistrer_finalites(conn, entite_id, None, chemin, finalites).await?;
            chemin_pourcentages.get_or_insert(chemin.to_owned());
        }
        if let Some(chemin) = chemin_pourcentages {
            let total = finalites_bases_legales::total_pourcentages(conn, entite_id).await?;
            if total > 100 {
                return Err(AppError::bad_input(
                    chemin,
                    format!("Les pourcentages des finalités totalisent {total} % : au plus 100 %."),
                ));
            }
        }
        Ok(entites_base::find_by_id(conn, entite_id).await?)
    })
    .await
}

async fn enregistrer_categories(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    traitement: Option<Uuid>,
    nom: &str,
    categories: Vec<SaisieCategorie>,
) -> AppResult<()> {
    let lignes = liste(nom, categories, |chemin, ordre, c| {
        Ok((
            c.id,
            LigneCategorie {
                entite_id,
                registre_traitement_id: traitement,
                categorie: c.categorie,
                items: texte(&format!("{chemin}.items"), c.items, LONGUEUR_TEXTE)?,
                origine: texte(&format!("{chemin}.origine"), c.origine, LONGUEUR_TEXTE)?,
                est_sensible: formalites::est_sensible(c.categorie),
                ordre,
            },
        ))
    })?;
    ids_remplaces(
        nom,
        categories_donnees::remplacer(conn, entite_id, traitement, &lignes).await?,
    )?;
    Ok(())
}

async fn enregistrer_finalites(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    traitement: Option<Uuid>,
    nom: &str,
    finalites: Vec<SaisieFinalite>,
) -> AppResult<()> {
    let lignes = liste(nom, finalites, |chemin, ordre, f| {
        valider_finalite(entite_id, traitement, chemin, ordre, f)
    })?;
    ids_remplaces(
        nom,
        finalites_bases_legales::remplacer(conn, entite_id, traitement, &lignes).await?,
    )?;
    Ok(())
}

fn valider_traitement(
    entite_id: Uuid,
    p: &str,
    ordre: i32,
    t: SaisieTraitement,
) -> AppResult<(Option<Uuid>, LigneTraitement)> {
    Ok((
        t.id,
        LigneTraitement {
            entite_id,
            nom: champ(
                &format!("{p}.nom"),
                validation::required_text(&t.nom, LONGUEUR_NOM),
            )?,
            finalite: texte(&format!("{p}.finalite"), t.finalite, LONGUEUR_TEXTE)?,
            base_legale: t.base_legale,
            categories_personnes: texte(
                &format!("{p}.categoriesPersonnes"),
                t.categories_personnes,
                LONGUEUR_TEXTE,
            )?,
            duree_conservation: texte(
                &format!("{p}.dureeConservation"),
                t.duree_conservation,
                LONGUEUR_NOM,
            )?,
            destinataires: texte(
                &format!("{p}.destinataires"),
                t.destinataires,
                LONGUEUR_TEXTE,
            )?,
            transfert_hors_ci: t.transfert_hors_ci,
            statut: t.statut,
            ordre,
        },
    ))
}

fn valider_finalite(
    entite_id: Uuid,
    traitement: Option<Uuid>,
    p: &str,
    ordre: i32,
    f: SaisieFinalite,
) -> AppResult<(Option<Uuid>, LigneFinalite)> {
    let pourcentage = i16::try_from(f.pourcentage)
        .ok()
        .filter(|v| (0..=100).contains(v))
        .ok_or_else(|| {
            AppError::bad_input(
                format!("{p}.pourcentage"),
                "Un pourcentage est compris entre 0 et 100.",
            )
        })?;
    Ok((
        f.id,
        LigneFinalite {
            entite_id,
            registre_traitement_id: traitement,
            finalite: champ(
                &format!("{p}.finalite"),
                validation::required_text(&f.finalite, LONGUEUR_TEXTE),
            )?,
            base_legale: f.base_legale,
            pourcentage,
            ordre,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_pourcentage_hors_de_0_a_100_nomme_son_champ() {
        for p in [-1, 101, 70_000] {
            let err = valider_finalite(
                Uuid::nil(),
                None,
                "input.finalitesCommunes[1]",
                1,
                SaisieFinalite {
                    id: None,
                    finalite: "Gestion de la clientèle".into(),
                    base_legale: BaseLegale::ExecutionContrat,
                    pourcentage: p,
                },
            )
            .unwrap_err();
            assert_eq!(
                err.field(),
                Some("input.finalitesCommunes[1].pourcentage"),
                "{p}"
            );
        }
    }

    #[test]
    fn un_traitement_sans_nom_est_refuse() {
        let err = valider_traitement(
            Uuid::nil(),
            "input.traitements[0]",
            0,
            SaisieTraitement {
                id: None,
                nom: "   ".into(),
                finalite: None,
                base_legale: None,
                categories_personnes: None,
                duree_conservation: None,
                destinataires: None,
                transfert_hors_ci: false,
                statut: StatutTraitement::Actif,
                categories: None,
                finalites: None,
            },
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("input.traitements[0].nom"));
    }
}

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

/// At most this many categories, and as many purposes, in one processing: there are 14
/// categories of data, and a processing serves a handful of purposes.
pub const ELEMENTS_PAR_TRAITEMENT_MAX: usize = 20;

/// At most this many categories and purposes in one save, all processings together: a
/// register of 100 processings with 5 categories and 5 purposes each. The bound keeps one
/// save to a few milliseconds of the database (`bench/README.md`), whoever sends it.
pub const ELEMENTS_IMBRIQUES_MAX: usize = 1_000;

/// A validated processing and its nested lists, as given.
type TraitementValide = (
    (Option<Uuid>, LigneTraitement),
    Option<Vec<SaisieCategorie>>,
    Option<Vec<SaisieFinalite>>,
);

/// The items of one nested list (categories or purposes) over every processing of a save:
/// the parents whose lists are replaced and the lists' fields, each item with its path (for
/// an error) and its row.
struct Imbriquees<L> {
    portees: Vec<Option<Uuid>>,
    noms: Vec<String>,
    chemins: Vec<String>,
    lignes: Vec<(Option<Uuid>, L)>,
}

impl<L> Imbriquees<L> {
    fn new() -> Self {
        Self {
            portees: Vec::new(),
            noms: Vec::new(),
            chemins: Vec::new(),
            lignes: Vec::new(),
        }
    }

    fn ajouter(&mut self, portee: Option<Uuid>, nom: &str, lignes: Vec<(Option<Uuid>, L)>) {
        self.portees.push(portee);
        self.noms.push(nom.to_owned());
        self.chemins
            .extend((0..lignes.len()).map(|i| format!("{nom}[{i}]")));
        self.lignes.extend(lignes);
    }

    /// `remplacer`'s outcome: an unknown id is a `BAD_USER_INPUT` on that item's `id`.
    fn ids(&self, resultat: Result<Vec<Uuid>, usize>) -> AppResult<Vec<Uuid>> {
        resultat.map_err(|i| {
            AppError::bad_input(
                format!("{}.id", self.chemins[i]),
                "Cet élément n'existe pas (ou plus) dans ce dossier : rechargez-le.",
            )
        })
    }
}

/// Saves the register of the dossier read at `version`: whatever the number of items, three
/// statements per table (see `models::liste_d_entite!`).
pub async fn enregistrer_registre(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    version: i32,
    saisie: SaisieRegistre,
) -> AppResult<EntiteBase> {
    let imbriquees = saisie
        .traitements
        .iter()
        .flatten()
        .map(|t| {
            t.categories.as_ref().map_or(0, Vec::len) + t.finalites.as_ref().map_or(0, Vec::len)
        })
        .sum::<usize>();
    if imbriquees > ELEMENTS_IMBRIQUES_MAX {
        return Err(AppError::bad_input(
            "input.traitements",
            format!(
                "Au plus {ELEMENTS_IMBRIQUES_MAX} catégories et finalités dans un \
                 enregistrement, tous traitements confondus ({imbriquees} reçues)."
            ),
        ));
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        verrouiller(conn, principal, entite_id, version).await?;
        let mut categories = Imbriquees::new();
        let mut finalites = Imbriquees::new();
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
            for (i, ((_, c, f), id)) in valides.into_iter().zip(ids).enumerate() {
                if let Some(c) = c {
                    let nom = format!("{nom}[{i}].categories");
                    categories.ajouter(
                        Some(id),
                        &nom,
                        valider_categories(
                            entite_id,
                            Some(id),
                            &nom,
                            c,
                            ELEMENTS_PAR_TRAITEMENT_MAX,
                        )?,
                    );
                }
                if let Some(f) = f {
                    let nom = format!("{nom}[{i}].finalites");
                    finalites.ajouter(
                        Some(id),
                        &nom,
                        valider_finalites(
                            entite_id,
                            Some(id),
                            &nom,
                            f,
                            ELEMENTS_PAR_TRAITEMENT_MAX,
                        )?,
                    );
                }
            }
        }
        if let Some(c) = saisie.categories_communes {
            let nom = "input.categoriesCommunes";
            categories.ajouter(
                None,
                nom,
                valider_categories(entite_id, None, nom, c, ELEMENTS_MAX)?,
            );
        }
        if let Some(f) = saisie.finalites_communes {
            let nom = "input.finalitesCommunes";
            finalites.ajouter(
                None,
                nom,
                valider_finalites(entite_id, None, nom, f, ELEMENTS_MAX)?,
            );
        }
        if !categories.portees.is_empty() {
            categories.ids(
                categories_donnees::remplacer(
                    conn,
                    entite_id,
                    &categories.portees,
                    &categories.lignes,
                )
                .await?,
            )?;
        }
        if !finalites.portees.is_empty() {
            finalites.ids(
                finalites_bases_legales::remplacer(
                    conn,
                    entite_id,
                    &finalites.portees,
                    &finalites.lignes,
                )
                .await?,
            )?;
            // The first list of purposes given names the field of a total over 100.
            let total = finalites_bases_legales::total_pourcentages(conn, entite_id).await?;
            if total > 100 {
                return Err(AppError::bad_input(
                    &finalites.noms[0],
                    format!("Les pourcentages des finalités totalisent {total} % : au plus 100 %."),
                ));
            }
        }
        Ok(entites_base::find_by_id(conn, entite_id).await?)
    })
    .await
}

fn valider_categories(
    entite_id: Uuid,
    traitement: Option<Uuid>,
    nom: &str,
    categories: Vec<SaisieCategorie>,
    max: usize,
) -> AppResult<Vec<(Option<Uuid>, LigneCategorie)>> {
    liste_bornee(nom, categories, max, |chemin, ordre, c| {
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
    })
}

fn valider_finalites(
    entite_id: Uuid,
    traitement: Option<Uuid>,
    nom: &str,
    finalites: Vec<SaisieFinalite>,
    max: usize,
) -> AppResult<Vec<(Option<Uuid>, LigneFinalite)>> {
    liste_bornee(nom, finalites, max, |chemin, ordre, f| {
        valider_finalite(entite_id, traitement, chemin, ordre, f)
    })
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

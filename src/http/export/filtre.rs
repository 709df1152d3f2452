//! The export's query string: the public list's filters, each refused by its name.

use super::*;
use crate::models::enums::{Region, SecteurActivite};

// ---------------------------------------------------------------------------------------
// The query string.

/// A refused parameter: `400`, in the GraphQL error shape, naming it.
#[derive(Debug)]
pub(super) struct Refus {
    pub(super) champ: &'static str,
    pub(super) message: String,
}

impl Refus {
    pub(super) fn reponse(&self) -> Response {
        let corps = json!({ "errors": [{
            "message": self.message,
            "extensions": { "code": Code::BadUserInput.as_str(), "field": self.champ },
        }] });
        reponse_json(StatusCode::BAD_REQUEST, &corps)
    }
}

/// The filters of the query string. An empty parameter is no filter; unknown parameters are
/// ignored; a sector or region is its GraphQL name (`SANTE`) or its database label (`sante`).
pub(super) fn lire_filtre(query: &str) -> Result<FiltrePublic, Refus> {
    let paires: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(|_| Refus {
        champ: "query",
        message: "Paramètres d'URL illisibles.".into(),
    })?;
    let secteur = match parametre(&paires, "secteur")? {
        None => None,
        Some(v) => Some(
            SecteurActivite::from_label(&v.to_ascii_lowercase()).ok_or_else(|| Refus {
                champ: "secteur",
                message: "Secteur d'activité inconnu (par exemple SANTE ou BANQUE_FINANCE).".into(),
            })?,
        ),
    };
    let region = match parametre(&paires, "region")? {
        None => None,
        Some(v) => Some(
            Region::from_label(&v.to_ascii_lowercase()).ok_or_else(|| Refus {
                champ: "region",
                message: "Région inconnue (par exemple ABIDJAN ou GBEKE).".into(),
            })?,
        ),
    };
    Ok(FiltrePublic {
        secteur,
        region,
        ville: texte(&paires, "ville")?,
        recherche: texte(&paires, "recherche")?,
    })
}

/// The trimmed value of `nom`, if given and not empty; given twice is refused.
fn parametre<'a>(
    paires: &'a [(String, String)],
    nom: &'static str,
) -> Result<Option<&'a str>, Refus> {
    let mut valeurs = paires
        .iter()
        .filter(|(cle, _)| cle == nom)
        .map(|(_, valeur)| valeur.trim())
        .filter(|valeur| !valeur.is_empty());
    let valeur = valeurs.next();
    if valeurs.next().is_some() {
        return Err(Refus {
            champ: nom,
            message: format!("Le paramètre {nom} est donné plusieurs fois."),
        });
    }
    Ok(valeur)
}

fn texte(paires: &[(String, String)], nom: &'static str) -> Result<Option<String>, Refus> {
    let Some(valeur) = parametre(paires, nom)? else {
        return Ok(None);
    };
    if valeur.chars().count() > TEXTE_MAX {
        return Err(Refus {
            champ: nom,
            message: format!("Le paramètre {nom} fait au plus {TEXTE_MAX} caractères."),
        });
    }
    if valeur.chars().any(char::is_control) {
        return Err(Refus {
            champ: nom,
            message: format!("Le paramètre {nom} contient des caractères de contrôle."),
        });
    }
    Ok(Some(valeur.to_owned()))
}

/// The filters in words, for the header block.
pub(super) fn filtres_en_mots(filtre: &FiltrePublic) -> String {
    let mut mots = Vec::new();
    if let Some(secteur) = filtre.secteur {
        mots.push(format!("Secteur : {}", libelle_secteur(secteur)));
    }
    if let Some(region) = filtre.region {
        mots.push(format!("Région : {}", libelle_region(region)));
    }
    if let Some(ville) = &filtre.ville {
        mots.push(format!("Ville : {ville}"));
    }
    if let Some(recherche) = &filtre.recherche {
        mots.push(format!("Recherche : « {recherche} »"));
    }
    if mots.is_empty() {
        "aucun (tout le registre public)".to_owned()
    } else {
        mots.join(" ; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_secteur_ou_une_region_se_donne_par_son_nom_graphql_ou_son_libelle() {
        let filtre = lire_filtre("secteur=BANQUE_FINANCE&region=n_zi&ville=+Bouak%C3%A9+").unwrap();
        assert_eq!(filtre.secteur, Some(SecteurActivite::BanqueFinance));
        assert_eq!(filtre.region, Some(Region::NZi));
        assert_eq!(filtre.ville.as_deref(), Some("Bouaké"));
        assert_eq!(filtre.recherche, None);
        assert_eq!(
            lire_filtre("secteur=&recherche=").unwrap(),
            FiltrePublic::default()
        );
        assert_eq!(
            lire_filtre("secteur=PATISSERIE").unwrap_err().champ,
            "secteur"
        );
        assert_eq!(lire_filtre("region=SANTE").unwrap_err().champ, "region");
        assert_eq!(lire_filtre("ville=a&ville=b").unwrap_err().champ, "ville");
        let long = "x".repeat(TEXTE_MAX + 1);
        assert_eq!(
            lire_filtre(&format!("recherche={long}")).unwrap_err().champ,
            "recherche"
        );
        assert!(lire_filtre(&format!("recherche={}", "é".repeat(TEXTE_MAX))).is_ok());
    }

    #[test]
    fn les_filtres_se_disent_en_mots() {
        assert_eq!(
            filtres_en_mots(&FiltrePublic::default()),
            "aucun (tout le registre public)"
        );
        assert_eq!(
            filtres_en_mots(&FiltrePublic {
                secteur: Some(SecteurActivite::Sante),
                recherche: Some("Cliniqe".into()),
                ..FiltrePublic::default()
            }),
            "Secteur : Santé ; Recherche : « Cliniqe »"
        );
    }
}

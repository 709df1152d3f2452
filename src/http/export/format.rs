//! The rows as cells, and the two formats they are written in.

use super::*;

// ---------------------------------------------------------------------------------------
// The rows as cells.

#[derive(Debug, Clone, PartialEq)]
enum Valeur {
    Texte(String),
    Nombre(f64),
    Vide,
}

fn texte_ou_vide(valeur: &Option<String>) -> Valeur {
    match valeur.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Valeur::Texte(v.to_owned()),
        _ => Valeur::Vide,
    }
}

/// One row's cells, in the order of `COLONNES`.
fn valeurs(ligne: &LignePublique) -> [Valeur; 13] {
    let entite = match ligne.sigle.as_deref().map(str::trim) {
        Some(sigle) if !sigle.is_empty() => format!("{} ({sigle})", ligne.denomination),
        _ => ligne.denomination.clone(),
    };
    let adresse: Vec<&str> = [&ligne.adresse, &ligne.commune]
        .into_iter()
        .filter_map(|v| v.as_deref().map(str::trim).filter(|v| !v.is_empty()))
        .collect();
    let (latitude, longitude) = match ligne.coordonnees() {
        Some((lat, lon)) => (Valeur::Nombre(lat), Valeur::Nombre(lon)),
        None => (Valeur::Vide, Valeur::Vide),
    };
    [
        Valeur::Texte(entite),
        texte_ou_vide(&ligne.forme_juridique),
        Valeur::Texte(libelle_secteur(ligne.secteur_activite).to_owned()),
        texte_ou_vide(&Some(adresse.join(", "))),
        texte_ou_vide(&ligne.ville),
        Valeur::Texte(libelle_region(ligne.region).to_owned()),
        latitude,
        longitude,
        texte_ou_vide(&ligne.finalite_principale),
        Valeur::Texte(if ligne.a_correspondant { "Oui" } else { "Non" }.to_owned()),
        texte_ou_vide(&ligne.numero),
        ligne.type_formalite.map_or(Valeur::Vide, |t| {
            Valeur::Texte(libelle_formalite(t).to_owned())
        }),
        Valeur::Texte(libelle_statut(ligne.statut_conformite).to_owned()),
    ]
}

// ---------------------------------------------------------------------------------------
// CSV.

const BOM: &[u8] = "\u{feff}".as_bytes();

fn ecrivain_csv() -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(::csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new())
}

fn fin_csv(ecrivain: ::csv::Writer<Vec<u8>>) -> io::Result<Vec<u8>> {
    ecrivain.into_inner().map_err(|e| e.into_error())
}

/// The BOM, the header block, a blank line and the columns' row.
pub(super) fn entete_csv(entete: &Entete) -> io::Result<Bytes> {
    let mut ecrivain = ecrivain_csv();
    ecrivain.write_record([TITRE])?;
    ecrivain.write_record(["Généré le", &entete.date()])?;
    ecrivain.write_record(["Total", &entete.total.to_string()])?;
    ecrivain.write_record(["Filtres", &filtres_en_mots(&entete.filtre)])?;
    let mut octets = BOM.to_vec();
    octets.extend(fin_csv(ecrivain)?);
    // By hand: the csv crate writes an empty record as `""`.
    octets.extend_from_slice(b"\r\n");
    let mut ecrivain = ecrivain_csv();
    ecrivain.write_record(COLONNES)?;
    octets.extend(fin_csv(ecrivain)?);
    Ok(Bytes::from(octets))
}

/// A text a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
/// leading apostrophe.
fn cellule_csv(valeur: &Valeur) -> String {
    match valeur {
        Valeur::Texte(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{t}"),
        Valeur::Texte(t) => t.clone(),
        Valeur::Nombre(n) => n.to_string(),
        Valeur::Vide => String::new(),
    }
}

pub(super) fn lignes_csv(lignes: &[LignePublique]) -> io::Result<Bytes> {
    let mut ecrivain = ecrivain_csv();
    for ligne in lignes {
        ecrivain.write_record(valeurs(ligne).iter().map(cellule_csv))?;
    }
    Ok(Bytes::from(fin_csv(ecrivain)?))
}

/// Writes the whole CSV into an anonymous temporary file, rewound, and its size: the reading
/// ends as fast as the database reads, whatever the client's speed. A reading that stops
/// before `Fin` is an error (the client gets a `500`, never a shorter list).
pub(super) async fn ecrire_csv(
    entete: &Entete,
    mut lots: Lots,
) -> io::Result<(tokio::fs::File, u64)> {
    use tokio::io::{AsyncSeekExt, AsyncWriteExt};
    let fichier = tokio::task::spawn_blocking(tempfile::tempfile)
        .await
        .map_err(io::Error::other)??;
    let mut fichier =
        tokio::io::BufWriter::with_capacity(64 * 1024, tokio::fs::File::from_std(fichier));
    fichier.write_all(&entete_csv(entete)?).await?;
    loop {
        match lots.recv().await {
            Some(Ok(Lot::Lignes(lignes))) => fichier.write_all(&lignes_csv(&lignes)?).await?,
            Some(Ok(Lot::Fin)) => break,
            Some(Ok(Lot::Total(_)) | Err(Echec)) | None => {
                return Err(io::Error::other("export interrompu"));
            }
        }
    }
    fichier.flush().await?;
    let mut fichier = fichier.into_inner();
    let taille = fichier.stream_position().await?;
    fichier.rewind().await?;
    Ok((fichier, taille))
}

// ---------------------------------------------------------------------------------------
// XLSX.

#[derive(Debug, thiserror::Error)]
pub(super) enum EchecClasseur {
    #[error("le client est parti")]
    ClientParti,
    #[error("la lecture du registre a échoué")]
    Lecture,
    #[error(transparent)]
    Xlsx(#[from] XlsxError),
    #[error(transparent)]
    Io(#[from] io::Error),
}

pub(super) type Classeur = Result<(std::fs::File, u64), EchecClasseur>;

/// Writes the workbook (on a blocking thread) into an anonymous temporary file, rewound, and
/// its size. Stops as soon as nobody waits for `resultat` any more.
pub(super) fn ecrire_classeur(
    entete: &Entete,
    mut lots: Lots,
    resultat: &oneshot::Sender<Classeur>,
) -> Classeur {
    let mut classeur = Workbook::new();
    let feuille = classeur.add_worksheet_with_constant_memory()?;
    feuille.set_name("Registre public")?;
    for (colonne, largeur) in [40, 18, 24, 36, 18, 18, 11, 11, 36, 6, 20, 24, 14]
        .into_iter()
        .enumerate()
    {
        feuille.set_column_width(colonne as u16, largeur)?;
    }
    let gras = Format::new().set_bold();
    feuille.write_string_with_format(0, 0, TITRE, &gras)?;
    feuille.write_string(1, 0, "Généré le")?;
    feuille.write_string(1, 1, entete.date())?;
    feuille.write_string(2, 0, "Total")?;
    feuille.write_number(2, 1, entete.total as f64)?;
    feuille.write_string(3, 0, "Filtres")?;
    feuille.write_string(3, 1, filtres_en_mots(&entete.filtre))?;
    let rang_colonnes = 5;
    for (colonne, titre) in COLONNES.into_iter().enumerate() {
        feuille.write_string_with_format(rang_colonnes, colonne as u16, titre, &gras)?;
    }
    feuille.set_freeze_panes(rang_colonnes + 1, 0)?;
    let mut rang = rang_colonnes + 1;
    loop {
        if resultat.is_closed() {
            return Err(EchecClasseur::ClientParti);
        }
        match lots.blocking_recv() {
            Some(Ok(Lot::Lignes(lignes))) => {
                for ligne in &lignes {
                    for (colonne, valeur) in valeurs(ligne).into_iter().enumerate() {
                        let colonne = colonne as u16;
                        match valeur {
                            Valeur::Texte(t) => {
                                feuille.write_string(rang, colonne, t)?;
                            }
                            Valeur::Nombre(n) => {
                                feuille.write_number(rang, colonne, n)?;
                            }
                            Valeur::Vide => {}
                        }
                    }
                    rang += 1;
                }
            }
            Some(Ok(Lot::Fin)) => break,
            Some(Ok(Lot::Total(_)) | Err(Echec)) | None => return Err(EchecClasseur::Lecture),
        }
    }
    // The reading is over: its connection is back in the pool while the file is zipped.
    drop(lots);
    let mut fichier = tempfile::tempfile()?;
    classeur.save_to_writer(&mut fichier)?;
    fichier.rewind()?;
    let taille = fichier.metadata()?.len();
    Ok((fichier, taille))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn une_formule_reste_du_texte_dans_le_csv() {
        assert_eq!(
            cellule_csv(&Valeur::Texte("=HYPERLINK(\"x\")".into())),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(cellule_csv(&Valeur::Texte("Clinique".into())), "Clinique");
        assert_eq!(cellule_csv(&Valeur::Nombre(-4.0267)), "-4.0267");
    }
}

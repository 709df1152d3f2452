//! `registre-dcp sauvegarde` and `restauration`: one archive holding the database
//! (`pg_dump`'s custom format) and every object of the document store, with a manifest
//! (`manifeste.json`: versions, last migration, row counts, each file's size and SHA-256);
//! and its restore into an empty database and an empty store, every byte checked.
//!
//! Consistency while the service runs. `pg_dump` dumps a snapshot exported by a read-only
//! repeatable-read transaction, in which the manifest's counts and the documents' keys are
//! read too. The store is listed only once the dump has ended: a document is stored before
//! its row is committed (`domain::documents::stocker_puis_enregistrer`), so every row of the
//! snapshot has its object by then. Objects stored after the snapshot are copied too, and are
//! harmless (no row of the dump refers to them). Objects are deleted only after their row's
//! deletion is committed (`supprimerDocument` of a document ARTCI has not examined,
//! `supprimerEntite` of a never-submitted draft), so a row of the snapshot may lose its
//! object before it is copied: the manifest lists such documents and the restore deletes
//! their rows, the state the registry reached a moment later.
//!
//! The manifest is the archive's last entry: sizes and digests are known only once each
//! file has been streamed, and writing them last keeps the backup to one pass over the store
//! (a store listed twice could change in between). The restore therefore reads the archive
//! twice: once to check every digest against the manifest, touching nothing, then to restore,
//! checking them again as it writes.

mod archive;
pub mod manifeste;
mod postgres;

use std::collections::{BTreeSet, HashMap};
use std::io::Read as _;
use std::path::Path;

use anyhow::{Context as _, bail};
use axum::body::Bytes;
use chrono::Utc;

use crate::models::documents_joints;
use crate::storage::Stockage;
use manifeste::{CHEMIN_BASE, CHEMIN_MANIFESTE, Manifeste, Objet};

/// Writes the archive of the database at `database_url` and of `stockage` to `sortie`, which
/// must not exist yet (a backup never replaces another). The archive is written beside it
/// under a temporary name and renamed once complete.
pub async fn sauvegarder(
    database_url: &str,
    stockage: &Stockage,
    sortie: &Path,
) -> anyhow::Result<Manifeste> {
    if sortie.exists() {
        bail!(
            "{} existe déjà : une sauvegarde n'en remplace jamais une autre",
            sortie.display()
        );
    }
    let dossier = match sortie.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => std::path::PathBuf::from("."),
    };
    let dump = tempfile::Builder::new()
        .prefix(".registre-dcp-base-")
        .tempfile_in(&dossier)
        .with_context(|| format!("écriture impossible dans {}", dossier.display()))?;
    let partiel = tempfile::Builder::new()
        .prefix(".registre-dcp-sauvegarde-")
        .tempfile_in(&dossier)
        .with_context(|| format!("écriture impossible dans {}", dossier.display()))?;

    let mut conn = postgres::connexion(database_url).await?;
    let majeure = postgres::version_majeure(&mut conn).await?;
    let outils = postgres::Outils::pour(majeure)?;
    let mut instantane = postgres::Instantane::ouvrir(conn).await?;
    let migration = instantane.derniere_migration().await?;
    let comptes = instantane.comptes().await?;
    let referencees = instantane.cles_documents().await?;
    outils
        .pg_dump(database_url, &instantane.id, dump.path())
        .await?;
    let mut conn = instantane.fermer().await?;

    let mut ecrivain = archive::Ecrivain::new(partiel.as_file().try_clone()?);
    let base = ecrivain.fichier(CHEMIN_BASE, dump.path()).await?;
    drop(dump);

    let mut objets = Vec::new();
    let mut copiees = BTreeSet::new();
    for (cle, _) in stockage.lister().await.context("liste du stockage")? {
        // Gone since the listing: deleted, see below whether its row was.
        let Some(contenu) = stockage
            .lire(&cle)
            .await
            .with_context(|| format!("lecture de {cle} dans le stockage"))?
        else {
            continue;
        };
        let fichier = ecrivain
            .octets(&manifeste::chemin_objet(&cle), contenu)
            .await?;
        copiees.insert(cle.clone());
        objets.push(Objet {
            cle,
            taille: fichier.taille,
            sha256: fichier.sha256,
        });
    }

    let manquantes: Vec<String> = referencees
        .into_iter()
        .filter(|cle| !copiees.contains(cle))
        .collect();
    let (mut supprimes, mut absents) = (Vec::new(), Vec::new());
    if !manquantes.is_empty() {
        let actuelles: BTreeSet<String> = documents_joints::toutes_les_cles(&mut conn)
            .await?
            .into_iter()
            .collect();
        for cle in manquantes {
            if actuelles.contains(&cle) {
                tracing::warn!(cle = %cle, "document sans objet dans le stockage source");
                absents.push(cle);
            } else {
                supprimes.push(cle);
            }
        }
    }

    let manifeste = Manifeste {
        format: manifeste::FORMAT,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        cree_le: Utc::now(),
        migration,
        postgresql: majeure,
        comptes,
        base,
        objets,
        supprimes_pendant_la_sauvegarde: supprimes,
        absents_a_la_source: absents,
    };
    let json = serde_json::to_vec_pretty(&manifeste)?;
    ecrivain.octets(CHEMIN_MANIFESTE, Bytes::from(json)).await?;
    ecrivain.terminer().await?;
    partiel.persist_noclobber(sortie).map_err(|e| {
        anyhow::anyhow!(
            "{} : l'archive n'a pas pu prendre son nom ({})",
            sortie.display(),
            e.error
        )
    })?;
    Ok(manifeste)
}

/// Restores the archive `entree` into the database at `database_url` and into `stockage`,
/// both empty. Nothing is written before the whole archive has been read and every digest
/// checked against its manifest; on a failure afterwards, the objects already written are
/// deleted again and the database is left as it was (`pg_restore` runs in one transaction,
/// last).
pub async fn restaurer(
    database_url: &str,
    stockage: &Stockage,
    entree: &Path,
) -> anyhow::Result<Manifeste> {
    let chemin = entree.to_owned();
    let manifeste = tokio::task::spawn_blocking(move || archive::verifier(&chemin))
        .await
        .context("lecture de l'archive interrompue")?
        .with_context(|| format!("{} refusée", entree.display()))?;
    manifeste.verifier_compatibilite()?;

    let mut conn = postgres::connexion(database_url).await?;
    let presents = postgres::objets_presents(&mut conn).await?;
    if !presents.is_empty() {
        bail!(
            "la base cible n'est pas vide ({}…) : la restauration se fait dans une base vide \
             (PostGIS seul permis), rien n'a été modifié",
            presents.join(", ")
        );
    }
    if !stockage
        .est_vide()
        .await
        .context("lecture du stockage cible")?
    {
        bail!(
            "le stockage des documents cible n'est pas vide : la restauration se fait dans un \
             stockage vide, rien n'a été modifié"
        );
    }
    let outils = postgres::Outils::pour(
        postgres::version_majeure(&mut conn)
            .await?
            .max(manifeste.postgresql),
    )?;

    let dump = tempfile::Builder::new()
        .prefix("registre-dcp-base-")
        .tempfile()
        .context("fichier temporaire de la base")?;
    let mut deposes = Vec::new();
    let resultat = async {
        deposes = deposer_objets(entree, &manifeste, stockage, dump.path()).await?;
        outils.pg_restore(database_url, dump.path()).await
    }
    .await;
    if let Err(e) = resultat {
        for cle in &deposes {
            if let Err(suppression) = stockage.supprimer(cle).await {
                tracing::error!(cle = %cle, error = %suppression, "objet restauré non retiré");
            }
        }
        return Err(e.context("restauration abandonnée, la cible est restée vide"));
    }
    drop(dump);

    if !manifeste.supprimes_pendant_la_sauvegarde.is_empty() {
        documents_joints::supprimer_par_cles(&mut conn, &manifeste.supprimes_pendant_la_sauvegarde)
            .await
            .context("retrait des documents supprimés pendant la sauvegarde")?;
    }
    // pg_restore leaves the planner without statistics.
    diesel_async::SimpleAsyncConnection::batch_execute(&mut conn, "ANALYZE")
        .await
        .context("ANALYZE après restauration")?;
    // The tables the manifest counted (an earlier release may have counted fewer).
    let tables: Vec<&str> = manifeste.comptes.keys().map(String::as_str).collect();
    let comptes = postgres::compter(&mut conn, &tables).await?;
    for (table, attendu) in &manifeste.comptes {
        let retires = if table == "documents_joints" {
            manifeste.supprimes_pendant_la_sauvegarde.len() as i64
        } else {
            0
        };
        let Some(&restaure) = comptes.get(table) else {
            continue;
        };
        if restaure != attendu - retires {
            bail!(
                "restauration incomplète : {table} compte {restaure} lignes, le manifeste {attendu}"
            );
        }
    }
    Ok(manifeste)
}

/// Second pass over the archive: the dump to `dump`, every object to `stockage`, each
/// checked again against the manifest as it is written. Returns the keys written (all of
/// them, or those written before a failure in the error's case: see the caller).
async fn deposer_objets(
    entree: &Path,
    manifeste: &Manifeste,
    stockage: &Stockage,
    dump: &Path,
) -> anyhow::Result<Vec<String>> {
    let chemin = entree.to_owned();
    let attendus = manifeste.clone();
    let cible = stockage.clone();
    let dump = dump.to_owned();
    let runtime = tokio::runtime::Handle::current();
    let (deposes, resultat) = tokio::task::spawn_blocking(move || {
        let par_cle: HashMap<&str, &Objet> = attendus
            .objets
            .iter()
            .map(|o| (o.cle.as_str(), o))
            .collect();
        let mut deposes: Vec<String> = Vec::new();
        let mut lus = Vec::new();
        let resultat = archive::parcourir(&chemin, |nom, entree| {
            if nom == CHEMIN_MANIFESTE {
                return Ok(());
            }
            if nom == CHEMIN_BASE {
                let fichier = std::fs::File::create(&dump).context("fichier temporaire")?;
                let mut ecrit = archive::Empreinte::new(std::io::BufWriter::new(fichier));
                std::io::copy(entree, &mut ecrit).context("archive tronquée ou illisible")?;
                let (tampon, fichier) = ecrit.fichier();
                tampon
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .and_then(|f| f.sync_all())
                    .context("fichier temporaire")?;
                lus.push((nom.to_owned(), fichier));
                return Ok(());
            }
            let Some(cle) = manifeste::cle_objet(nom) else {
                bail!("archive endommagée : entrée inattendue {nom}");
            };
            let attendu = par_cle.get(cle).with_context(|| {
                format!("archive endommagée : {nom} n'est pas dans le manifeste")
            })?;
            let mut contenu = Vec::new();
            entree
                .take(attendu.taille + 1)
                .read_to_end(&mut contenu)
                .context("archive tronquée ou illisible")?;
            let fichier = archive::empreinte(&contenu);
            if fichier.taille != attendu.taille || fichier.sha256 != attendu.sha256 {
                bail!("archive endommagée : {nom} ne correspond plus au manifeste");
            }
            runtime
                .block_on(cible.deposer(cle, Bytes::from(contenu)))
                .with_context(|| format!("écriture de {cle} dans le stockage"))?;
            deposes.push(cle.to_owned());
            lus.push((nom.to_owned(), fichier));
            Ok(())
        })
        .and_then(|()| attendus.verifier(&lus));
        (deposes, resultat)
    })
    .await
    .context("restauration interrompue")?;
    match resultat {
        Ok(()) => Ok(deposes),
        Err(e) => {
            for cle in &deposes {
                if let Err(suppression) = stockage.supprimer(cle).await {
                    tracing::error!(cle = %cle, error = %suppression, "objet restauré non retiré");
                }
            }
            Err(e)
        }
    }
}

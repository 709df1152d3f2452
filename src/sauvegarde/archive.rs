//! The archive itself: a tar file (the `tar` crate) written and read sequentially, each
//! entry hashed (SHA-256) as its bytes pass, so that neither the dump nor the documents are
//! ever held whole in memory (one document at most, 10 MiB). The tar work is blocking: it
//! runs on the blocking threads.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use anyhow::{Context as _, bail};
use axum::body::Bytes;
use sha2::{Digest, Sha256};

use super::manifeste::{CHEMIN_MANIFESTE, Fichier, Lus, Manifeste};

/// The manifest is read into memory: a bound against a hostile archive (a registry of a
/// million documents makes a manifest of about 150 MB).
const MANIFESTE_MAX_OCTETS: u64 = 512 * 1024 * 1024;

/// Counts and hashes what passes through, read or written.
pub struct Empreinte<T> {
    inner: T,
    hash: Sha256,
    taille: u64,
}

impl<T> Empreinte<T> {
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            hash: Sha256::new(),
            taille: 0,
        }
    }

    pub fn fichier(self) -> (T, Fichier) {
        let fichier = Fichier {
            taille: self.taille,
            sha256: format!("{:x}", self.hash.finalize()),
        };
        (self.inner, fichier)
    }
}

impl<T: Read> Read for Empreinte<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.taille += n as u64;
        Ok(n)
    }
}

impl<T: Write> Write for Empreinte<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.taille += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The SHA-256 (hex) and size of `contenu`.
pub fn empreinte(contenu: &[u8]) -> Fichier {
    Fichier {
        taille: contenu.len() as u64,
        sha256: format!("{:x}", Sha256::digest(contenu)),
    }
}

/// Writes the entries of an archive, in order, to a file.
pub struct Ecrivain {
    tar: Option<tar::Builder<File>>,
}

fn entete(taille: u64) -> tar::Header {
    let mut entete = tar::Header::new_gnu();
    entete.set_entry_type(tar::EntryType::Regular);
    entete.set_size(taille);
    entete.set_mode(0o600);
    entete.set_mtime(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    );
    entete
}

impl Ecrivain {
    pub fn new(fichier: File) -> Self {
        Self {
            tar: Some(tar::Builder::new(fichier)),
        }
    }

    async fn avec<R: Send + 'static>(
        &mut self,
        travail: impl FnOnce(&mut tar::Builder<File>) -> io::Result<R> + Send + 'static,
    ) -> anyhow::Result<R> {
        let mut tar = self.tar.take().context("archive déjà fermée")?;
        let (tar, resultat) = tokio::task::spawn_blocking(move || {
            let resultat = travail(&mut tar);
            (tar, resultat)
        })
        .await
        .context("écriture de l'archive interrompue")?;
        self.tar = Some(tar);
        resultat.context("écriture de l'archive")
    }

    /// Appends the file at `source` as `chemin`; its size and digest as written.
    pub async fn fichier(&mut self, chemin: &str, source: &Path) -> anyhow::Result<Fichier> {
        let chemin = chemin.to_owned();
        let source = source.to_owned();
        self.avec(move |tar| {
            let fichier = File::open(&source)?;
            let taille = fichier.metadata()?.len();
            let mut lecteur = Empreinte::new(fichier.take(taille));
            tar.append_data(&mut entete(taille), &chemin, &mut lecteur)?;
            let (_, lu) = lecteur.fichier();
            if lu.taille != taille {
                return Err(io::Error::other(format!(
                    "{chemin} : {} octets lus sur {taille}",
                    lu.taille
                )));
            }
            Ok(lu)
        })
        .await
    }

    /// Appends `contenu` as `chemin`.
    pub async fn octets(&mut self, chemin: &str, contenu: Bytes) -> anyhow::Result<Fichier> {
        let chemin = chemin.to_owned();
        self.avec(move |tar| {
            let fichier = empreinte(&contenu);
            tar.append_data(&mut entete(fichier.taille), &chemin, &contenu[..])?;
            Ok(fichier)
        })
        .await
    }

    /// Writes the end of the archive and flushes it to the disk.
    pub async fn terminer(mut self) -> anyhow::Result<()> {
        let tar = self.tar.take().context("archive déjà fermée")?;
        tokio::task::spawn_blocking(move || {
            let fichier = tar.into_inner()?;
            fichier.sync_all()
        })
        .await
        .context("écriture de l'archive interrompue")?
        .context("fin de l'archive")
    }
}

/// Reads the archive at `chemin` from end to end, hashing every entry, and checks it against
/// its manifest (the last entry). Writes nothing anywhere. Blocking.
pub fn verifier(chemin: &Path) -> anyhow::Result<Manifeste> {
    let mut lus: Lus = Vec::new();
    let mut manifeste: Option<Manifeste> = None;
    parcourir(chemin, |nom, entree| {
        if manifeste.is_some() {
            bail!("archive endommagée : {nom} suit le manifeste, qui doit être la dernière entrée");
        }
        if nom == CHEMIN_MANIFESTE {
            let mut texte = Vec::new();
            entree
                .take(MANIFESTE_MAX_OCTETS)
                .read_to_end(&mut texte)
                .map_err(illisible)?;
            manifeste =
                Some(serde_json::from_slice(&texte).map_err(|e| {
                    anyhow::anyhow!("archive endommagée : manifeste illisible ({e})")
                })?);
        } else {
            let mut puits = Empreinte::new(io::sink());
            io::copy(entree, &mut puits).map_err(illisible)?;
            lus.push((nom.to_owned(), puits.fichier().1));
        }
        Ok(())
    })?;
    let Some(manifeste) = manifeste else {
        bail!(
            "archive tronquée ou incomplète : elle ne se termine pas par son manifeste \
             ({CHEMIN_MANIFESTE})"
        );
    };
    manifeste.verifier(&lus)?;
    Ok(manifeste)
}

/// Calls `chaque` on each entry of the archive at `chemin`, in order, with its path.
pub fn parcourir(
    chemin: &Path,
    mut chaque: impl FnMut(&str, &mut dyn Read) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let fichier = File::open(chemin)
        .with_context(|| format!("ouverture de l'archive {} impossible", chemin.display()))?;
    let mut archive = tar::Archive::new(io::BufReader::new(fichier));
    for entree in archive.entries().map_err(illisible)? {
        let mut entree = entree.map_err(illisible)?;
        let nom = entree
            .path()
            .map_err(illisible)?
            .to_str()
            .map(str::to_owned)
            .context("archive endommagée : nom d'entrée illisible")?;
        if entree.header().entry_type() != tar::EntryType::Regular {
            bail!("archive endommagée : {nom} n'est pas un fichier");
        }
        chaque(&nom, &mut entree)?;
    }
    Ok(())
}

fn illisible(e: io::Error) -> anyhow::Error {
    anyhow::anyhow!("archive tronquée ou illisible : {e}")
}

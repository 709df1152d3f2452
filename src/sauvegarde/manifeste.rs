//! The manifest of an archive (`manifeste.json`): what it holds, from which version, and
//! each file's size and SHA-256, against which a restore checks every byte it reads.

use std::collections::BTreeMap;

use anyhow::bail;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Version of the archive's layout; a restore refuses any other.
pub const FORMAT: u32 = 1;

/// The database dump, in the archive.
pub const CHEMIN_BASE: &str = "base.dump";
/// The manifest, the archive's last entry.
pub const CHEMIN_MANIFESTE: &str = "manifeste.json";
/// Stored objects go under this directory, by key.
const PREFIXE_OBJETS: &str = "objets/";

/// The path in the archive of the stored object `cle`.
pub fn chemin_objet(cle: &str) -> String {
    format!("{PREFIXE_OBJETS}{cle}")
}

/// The key of the stored object at `chemin`, when it is one.
pub fn cle_objet(chemin: &str) -> Option<&str> {
    chemin
        .strip_prefix(PREFIXE_OBJETS)
        .filter(|cle| !cle.is_empty())
}

/// One file of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fichier {
    pub taille: u64,
    pub sha256: String,
}

/// One stored object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objet {
    pub cle: String,
    pub taille: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifeste {
    pub format: u32,
    /// `registre-dcp`'s version that wrote the archive.
    pub version: String,
    pub cree_le: DateTime<Utc>,
    /// The last migration applied to the database dumped.
    pub migration: String,
    /// The server's major version (`pg_dump` of the restore must be as recent).
    pub postgresql: u32,
    /// Rows of the main tables, in the dump's snapshot.
    pub comptes: BTreeMap<String, i64>,
    /// The dump (`base.dump`).
    pub base: Fichier,
    /// Every object of the store, listed after the dump ended.
    pub objets: Vec<Objet>,
    /// Documents of the dump whose object was deleted before it could be copied: the
    /// document's row was deleted after the snapshot (a withdrawn document, a deleted draft).
    /// A restore deletes these rows too.
    pub supprimes_pendant_la_sauvegarde: Vec<String>,
    /// Documents of the dump whose object the store did not have, while their row still
    /// existed after the copy: missing at the source already (a restore keeps them as they
    /// were).
    pub absents_a_la_source: Vec<String>,
}

/// What was actually read from an archive: each entry's path, size and digest, in order.
pub type Lus = Vec<(String, Fichier)>;

impl Manifeste {
    /// Checks that the entries read are exactly the manifest's, byte for byte: the dump, then
    /// every object, and nothing else.
    pub fn verifier(&self, lus: &[(String, Fichier)]) -> anyhow::Result<()> {
        let mut attendus: BTreeMap<String, &Fichier> = BTreeMap::new();
        attendus.insert(CHEMIN_BASE.to_owned(), &self.base);
        let objets: Vec<(String, Fichier)> = self
            .objets
            .iter()
            .map(|o| {
                (
                    chemin_objet(&o.cle),
                    Fichier {
                        taille: o.taille,
                        sha256: o.sha256.clone(),
                    },
                )
            })
            .collect();
        for (chemin, fichier) in &objets {
            attendus.insert(chemin.clone(), fichier);
        }
        for (chemin, lu) in lus {
            let Some(attendu) = attendus.remove(chemin) else {
                bail!("archive endommagée : {chemin} n'est pas dans le manifeste");
            };
            if attendu.taille != lu.taille {
                bail!(
                    "archive endommagée : {chemin} fait {} octets, le manifeste en annonce {}",
                    lu.taille,
                    attendu.taille
                );
            }
            if attendu.sha256 != lu.sha256 {
                bail!(
                    "archive endommagée : l'empreinte SHA-256 de {chemin} ne correspond pas au \
                     manifeste (lue {}, attendue {})",
                    lu.sha256,
                    attendu.sha256
                );
            }
        }
        if let Some(chemin) = attendus.keys().next() {
            bail!(
                "archive incomplète : {chemin} est annoncé par le manifeste mais absent de \
                 l'archive ({} fichier(s) manquant(s))",
                attendus.len()
            );
        }
        Ok(())
    }

    /// Refuses an archive this binary cannot restore: another layout, or a database migrated
    /// by a later release (its schema is unknown here).
    pub fn verifier_compatibilite(&self) -> anyhow::Result<()> {
        if self.format != FORMAT {
            bail!(
                "format d'archive {} inconnu (ce binaire lit le format {FORMAT})",
                self.format
            );
        }
        if !crate::migrations::embedded_versions().contains(&self.migration) {
            bail!(
                "archive produite par une version plus récente de registre-dcp ({}, migration \
                 {}) : restaurez-la avec cette version ou une plus récente",
                self.version,
                self.migration
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fichier(taille: u64, sha256: &str) -> Fichier {
        Fichier {
            taille,
            sha256: sha256.to_owned(),
        }
    }

    fn manifeste() -> Manifeste {
        Manifeste {
            format: FORMAT,
            version: "0.1.0".into(),
            cree_le: Utc::now(),
            migration: crate::migrations::embedded_versions()
                .last()
                .unwrap()
                .clone(),
            postgresql: 15,
            comptes: BTreeMap::new(),
            base: fichier(10, "aa"),
            objets: vec![Objet {
                cle: "documents/e/d".into(),
                taille: 3,
                sha256: "bb".into(),
            }],
            supprimes_pendant_la_sauvegarde: Vec::new(),
            absents_a_la_source: Vec::new(),
        }
    }

    #[test]
    fn chaque_fichier_lu_doit_etre_celui_du_manifeste() {
        let m = manifeste();
        let complet = vec![
            (CHEMIN_BASE.to_owned(), fichier(10, "aa")),
            ("objets/documents/e/d".to_owned(), fichier(3, "bb")),
        ];
        m.verifier(&complet).unwrap();

        let mut altere = complet.clone();
        altere[1].1.sha256 = "cc".into();
        let e = m.verifier(&altere).unwrap_err().to_string();
        assert!(e.contains("SHA-256 de objets/documents/e/d"), "{e}");

        let e = m.verifier(&complet[..1]).unwrap_err().to_string();
        assert!(e.starts_with("archive incomplète"), "{e}");

        let mut en_trop = complet.clone();
        en_trop.push(("objets/x".to_owned(), fichier(1, "dd")));
        assert!(m.verifier(&en_trop).is_err());

        let mut tronque = complet;
        tronque[0].1.taille = 4;
        assert!(m.verifier(&tronque).is_err());
    }

    #[test]
    fn une_archive_d_une_version_plus_recente_est_refusee() {
        let mut m = manifeste();
        m.verifier_compatibilite().unwrap();
        m.migration = "2999-01-01-000000".into();
        assert!(m.verifier_compatibilite().is_err());
        let mut m = manifeste();
        m.format = 2;
        assert!(m.verifier_compatibilite().is_err());
    }

    #[test]
    fn les_objets_sont_sous_leur_repertoire() {
        assert_eq!(chemin_objet("documents/a/b"), "objets/documents/a/b");
        assert_eq!(cle_objet("objets/documents/a/b"), Some("documents/a/b"));
        assert_eq!(cle_objet("objets/"), None);
        assert_eq!(cle_objet(CHEMIN_BASE), None);
    }
}

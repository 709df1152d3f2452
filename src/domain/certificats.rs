//! The approved versions of a dossier and their certificates.
//!
//! Every approval (`validerDossier`, an approved renewal, an approved amendment) appends a
//! row to `versions_approuvees`: the version number (1, 2, … per entity), the number it
//! proves, its dates, a snapshot of the whole dossier (`dossier_instantane`: every row of
//! the five parts, as JSON, so that an amendment can be undone exactly) and the certificate
//! the formality calls for, rendered by `rendu::certificat` and stored like any document.
//!
//! Choices:
//! - the issuance is part of the decision's transaction: the PDF is rendered and stored,
//!   then its `documents_joints` row and the version are written before the decision
//!   commits. A process that dies before the commit leaves at most an unreferenced file (its
//!   key is a fresh uuid), never a decision without its certificate;
//! - a renewal's version carries the content of the version in force (an amendment under
//!   way is not approved by a renewal); an amendment's carries the dossier as amended;
//! - the certificate is a public document (`est_public`): the public reads it while the
//!   entity is in the public register, like any public document; it is recorded as issued
//!   by the staff member who took the decision, and as already checked (`valide`);
//! - a duplicate (`duplicataAttestation`) is the same stored document, never a new
//!   rendering, so that its SHA-256 still matches the public check.

use axum::body::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::Value;
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::acces::{self, Acces};
use crate::domain::decisions::Emetteur;
use crate::domain::{documents, roles, transitions};
use crate::error::{AppError, AppResult};
use crate::mail::Courriel;
use crate::mail::modeles::apres_agrement::CourrielApresAgrement;
use crate::models::documents_joints::{self, NouveauDocumentEmis};
use crate::models::enums::{
    OrigineVersion, RoleUtilisateur, StatutWorkflow, TypeDocument, TypeFormalite,
};
use crate::models::registre_public::{self, LignePublique};
use crate::models::versions_approuvees::VersionResumee;
use crate::models::versions_approuvees::{self, NouvelleVersion, VersionApprouvee};
use crate::models::{EntiteBase, entites_workflow};
use crate::rendu::certificat::{self as rendu, Certificat, TraitementCertifie};
use crate::storage::Stockage;

/// The document type of the certificate a formality calls for.
pub fn type_document(type_formalite: TypeFormalite) -> TypeDocument {
    match type_formalite {
        TypeFormalite::DeclarationPrealable => TypeDocument::Recepisse,
        TypeFormalite::AutorisationPrealable => TypeDocument::Autorisation,
        TypeFormalite::Dispense => TypeDocument::AttestationConformite,
    }
}

/// The address of the public check of `numero`, printed on the certificate and encoded in
/// its QR code (`PUBLIC_BASE_URL` + `/verification/` + the number).
pub fn adresse_verification(base_publique: &str, numero: &str) -> String {
    format!(
        "{}/verification/{numero}",
        base_publique.trim_end_matches('/')
    )
}

/// What an approval issues.
pub struct Emission<'a> {
    pub entite: &'a EntiteBase,
    pub origine: OrigineVersion,
    pub numero: String,
    pub type_formalite: TypeFormalite,
    pub date_emission: NaiveDate,
    pub date_expiration: NaiveDate,
    /// `None`: the dossier as it stands (a validation, an amendment); `Some`: an earlier
    /// version's snapshot (a renewal).
    pub contenu: Option<Value>,
}

/// Issues the next version of the entity and its certificate, by the staff member
/// `emis_par`, in the caller's transaction, and queues the company's mail.
pub async fn emettre(
    conn: &mut AsyncPgConnection,
    stockage: &Stockage,
    base_publique: &str,
    emis_par: Uuid,
    emission: Emission<'_>,
    maintenant: DateTime<Utc>,
) -> AppResult<VersionApprouvee> {
    let entite = emission.entite;
    let version = versions_approuvees::rang_suivant(conn, entite.id).await?;
    let contenu = match emission.contenu {
        Some(contenu) => contenu,
        None => versions_approuvees::instantane(conn, entite.id).await?,
    };
    let adresse = adresse_verification(base_publique, &emission.numero);
    let certificat = certificat_de(
        &contenu,
        emission.type_formalite,
        &emission.numero,
        version,
        emission.date_emission,
        emission.date_expiration,
        adresse.clone(),
    );
    let pdf = tokio::task::spawn_blocking(move || rendu::rendre(&certificat))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    let (_, taille_octets) = documents::verifier_fichier(&pdf, "certificat")?;
    let document_id = Uuid::new_v4();
    let document = NouveauDocumentEmis {
        id: document_id,
        entite_id: entite.id,
        type_document: type_document(emission.type_formalite),
        nom_fichier: format!("{}-v{version}.pdf", emission.numero),
        cle_stockage: Stockage::cle_document(entite.id, document_id),
        taille_octets,
        mime_type: "application/pdf".to_owned(),
        sha256: documents::sha256_hex(&pdf),
        depose_par_user_id: emis_par,
        verifie_par: emis_par,
        verifie_le: maintenant,
    };
    let nouvelle = NouvelleVersion {
        id: Uuid::new_v4(),
        entite_id: entite.id,
        version,
        origine: emission.origine,
        numero: emission.numero.clone(),
        type_formalite: emission.type_formalite,
        date_emission: emission.date_emission,
        date_expiration: emission.date_expiration,
        contenu,
        document_id,
        emis_par,
        created_at: maintenant,
    };
    let cle = document.cle_stockage.clone();
    let emise = documents::stocker_puis_enregistrer(stockage, &cle, Bytes::from(pdf), async || {
        documents_joints::create_emis(conn, &document).await?;
        Ok(versions_approuvees::create(conn, &nouvelle).await?)
    })
    .await?;
    transitions::informer_entreprise(
        conn,
        entite,
        &Courriel::ApresAgrement(CourrielApresAgrement::CertificatEmis {
            denomination: entite.denomination.clone(),
            titre: rendu::titre(emission.type_formalite),
            numero: emission.numero,
            version,
            date_expiration: emission.date_expiration,
            adresse_verification: adresse,
        }),
        maintenant,
    )
    .await?;
    Ok(emise)
}

/// The certificate of a snapshot: the entity's public identity and its processing
/// activities with their purposes (never the NCC nor anyone's contact data).
pub fn certificat_de(
    contenu: &Value,
    type_formalite: TypeFormalite,
    numero: &str,
    version: i32,
    date_emission: NaiveDate,
    date_expiration: NaiveDate,
    adresse_verification: String,
) -> Certificat {
    let base = &contenu["entites_base"];
    let texte = |v: &Value| {
        v.as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let ordre = |v: &Value| {
        (
            v["ordre"].as_i64().unwrap_or(0),
            v["id"].as_str().map(str::to_owned),
        )
    };
    let mut traitements: Vec<&Value> = contenu["registre_traitements"]
        .as_array()
        .map(|l| l.iter().filter(|t| t["statut"] != "supprime").collect())
        .unwrap_or_default();
    traitements.sort_by_key(|t| ordre(t));
    let mut finalites: Vec<&Value> = contenu["finalites_bases_legales"]
        .as_array()
        .map(|l| l.iter().collect())
        .unwrap_or_default();
    finalites.sort_by_key(|f| ordre(f));
    let traitements = traitements
        .into_iter()
        .map(|t| {
            let mut liste: Vec<String> = Vec::new();
            let propres = texte(&t["finalite"]).into_iter();
            let rattachees = finalites
                .iter()
                .filter(|f| f["registre_traitement_id"] == t["id"])
                .filter_map(|f| texte(&f["finalite"]));
            for f in propres.chain(rattachees) {
                if !liste.contains(&f) {
                    liste.push(f);
                }
            }
            TraitementCertifie {
                nom: texte(&t["nom"]).unwrap_or_default(),
                finalites: liste,
            }
        })
        .collect();
    Certificat {
        type_formalite,
        numero: numero.to_owned(),
        version,
        date_emission,
        date_expiration,
        denomination: texte(&base["denomination"]).unwrap_or_default(),
        sigle: texte(&base["sigle"]),
        adresse: texte(&base["adresse"]),
        ville: texte(&base["ville"]),
        traitements,
        adresse_verification,
    }
}

/// `duplicataAttestation`: the certificate of the version in force of an entity the caller
/// may read (its own, or any for staff), the very document issued. An approval validated
/// before versions were kept has none: an admin's request issues its version 1 then, from the
/// dossier as it stands and the approval's own number and dates; anyone else gets
/// `NOT_FOUND`, as for a dossier never approved.
pub async fn duplicata(
    conn: &mut AsyncPgConnection,
    emetteur: Emetteur<'_>,
    principal: Principal,
    entite_id: Uuid,
    maintenant: DateTime<Utc>,
) -> AppResult<VersionApprouvee> {
    let (entite, _) = acces::verifier(conn, principal, entite_id, Acces::Lecture).await?;
    if let Some(version) = versions_approuvees::en_vigueur(conn, entite_id).await? {
        return Ok(version);
    }
    let introuvable = || AppError::not_found("Certificat");
    let Principal::Agent { user_id, role } = principal else {
        return Err(introuvable());
    };
    if !roles::au_moins(role, RoleUtilisateur::Admin) {
        return Err(introuvable());
    }
    conn.transaction::<_, AppError, _>(async |conn| {
        let workflow = entites_workflow::find_for_update(conn, entite_id)
            .await?
            .ok_or_else(introuvable)?;
        if let Some(version) = versions_approuvees::en_vigueur(conn, entite_id).await? {
            return Ok(version);
        }
        let approuve = matches!(
            workflow.statut,
            StatutWorkflow::Valide | StatutWorkflow::Publie
        );
        let numero = workflow
            .numero_autorisation_artci
            .clone()
            .or(workflow.numero_recepisse.clone());
        let (Some(numero), Some(type_formalite), Some(validation), Some(fin), true) = (
            numero,
            workflow.type_formalite,
            workflow.date_validation,
            workflow.date_expiration,
            approuve,
        ) else {
            return Err(introuvable());
        };
        emettre(
            conn,
            emetteur.stockage,
            emetteur.base_publique,
            user_id,
            Emission {
                entite: &entite,
                origine: OrigineVersion::Validation,
                numero,
                type_formalite,
                date_emission: validation.date_naive(),
                date_expiration: fin,
                contenu: None,
            },
            maintenant,
        )
        .await
    })
    .await
}

/// What the public check says of a number (`GET /verification/{numero}`, `verifierNumero`).
#[derive(Debug, Clone, PartialEq)]
pub enum EtatNumero {
    /// Issued to an entity published today, and in force.
    Valide(Fiche),
    /// Issued to an entity still published, but its approval ended.
    Expire(Fiche),
    /// Issued, but the entity now holds another number (its formality changed): the entity's
    /// current number when it is published.
    Remplace { remplace_par: Option<String> },
    /// Never issued, or its entity is not published.
    Introuvable,
}

/// A number's public record.
#[derive(Debug, Clone, PartialEq)]
pub struct Fiche {
    pub numero: String,
    pub entite: LignePublique,
    pub type_formalite: TypeFormalite,
    /// The first issue of the number.
    pub date_emission: NaiveDate,
    pub date_expiration: NaiveDate,
    /// The versions issued under this number, newest first (none for an approval validated
    /// before versions were kept).
    pub versions: Vec<VersionResumee>,
    /// The entity's newest version: the one in force.
    pub version_en_vigueur: Option<i32>,
}

/// The public check of `numero` (already normalised), on `aujourd_hui`. Reads the public
/// projection for the entity (published or not) and the versions for the certificates.
pub async fn verifier_numero(
    conn: &mut AsyncPgConnection,
    numero: &str,
    aujourd_hui: NaiveDate,
) -> AppResult<EtatNumero> {
    let Some(entite_id) = versions_approuvees::entite_du_numero(conn, numero).await? else {
        // An approval validated before versions were kept: the public register alone.
        let Some(ligne) = registre_public::par_numero(conn, numero).await? else {
            return Ok(EtatNumero::Introuvable);
        };
        let workflow = entites_workflow::find_by_entites(conn, &[ligne.entite_id]).await?;
        let Some((debut, fin)) = workflow
            .first()
            .and_then(|w| Some((w.date_validation?.date_naive(), w.date_expiration?)))
        else {
            return Ok(EtatNumero::Introuvable);
        };
        let fiche = Fiche {
            numero: numero.to_owned(),
            type_formalite: ligne
                .type_formalite
                .unwrap_or(TypeFormalite::DeclarationPrealable),
            entite: ligne,
            date_emission: debut,
            date_expiration: fin,
            versions: Vec::new(),
            version_en_vigueur: None,
        };
        return Ok(if fin < aujourd_hui {
            EtatNumero::Expire(fiche)
        } else {
            EtatNumero::Valide(fiche)
        });
    };
    let Some(ligne) = registre_public::par_id(conn, entite_id).await? else {
        return Ok(EtatNumero::Introuvable);
    };
    let toutes = versions_approuvees::find_by_entites(conn, &[entite_id]).await?;
    let Some(en_vigueur) = toutes.first().cloned() else {
        return Ok(EtatNumero::Introuvable);
    };
    if en_vigueur.numero != numero {
        return Ok(EtatNumero::Remplace {
            remplace_par: ligne.numero.clone(),
        });
    }
    let versions: Vec<VersionResumee> = toutes.into_iter().filter(|v| v.numero == numero).collect();
    let fiche = Fiche {
        numero: numero.to_owned(),
        entite: ligne,
        type_formalite: en_vigueur.type_formalite,
        date_emission: versions
            .iter()
            .map(|v| v.date_emission)
            .min()
            .unwrap_or(en_vigueur.date_emission),
        date_expiration: en_vigueur.date_expiration,
        versions,
        version_en_vigueur: Some(en_vigueur.version),
    };
    Ok(if fiche.date_expiration < aujourd_hui {
        EtatNumero::Expire(fiche)
    } else {
        EtatNumero::Valide(fiche)
    })
}

/// A number as typed: blanks removed, upper case.
pub fn normaliser_numero(saisie: &str) -> String {
    saisie
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn le_certificat_reprend_les_traitements_actifs_et_leurs_finalites_sans_doublon() {
        let contenu = json!({
            "entites_base": {"denomination": " Clinique Éburnéenne ", "sigle": "", "ville": "Abidjan",
                             "numero_cc": "1234567A"},
            "registre_traitements": [
                {"id": "b", "nom": "Dossiers patients", "finalite": "Soins", "statut": "actif", "ordre": 1},
                {"id": "a", "nom": "Paie", "finalite": null, "statut": "actif", "ordre": 0},
                {"id": "c", "nom": "Ancien", "finalite": "x", "statut": "supprime", "ordre": 2}
            ],
            "finalites_bases_legales": [
                {"registre_traitement_id": "b", "finalite": "Soins", "ordre": 0},
                {"registre_traitement_id": "b", "finalite": "Facturation", "ordre": 1},
                {"registre_traitement_id": "a", "finalite": "Salaires", "ordre": 0}
            ]
        });
        let jour = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let c = certificat_de(
            &contenu,
            TypeFormalite::AutorisationPrealable,
            "AUT-2026-000001",
            2,
            jour,
            jour,
            "https://x/verification/AUT-2026-000001".into(),
        );
        assert_eq!(c.denomination, "Clinique Éburnéenne");
        assert_eq!(c.sigle, None);
        let noms: Vec<_> = c.traitements.iter().map(|t| t.nom.as_str()).collect();
        assert_eq!(noms, ["Paie", "Dossiers patients"]);
        assert_eq!(c.traitements[0].finalites, ["Salaires"]);
        assert_eq!(c.traitements[1].finalites, ["Soins", "Facturation"]);
    }

    #[test]
    fn l_adresse_de_verification_ne_double_pas_la_barre() {
        assert_eq!(
            adresse_verification("https://registre.artci.ci/", "RCP-2026-000001"),
            "https://registre.artci.ci/verification/RCP-2026-000001"
        );
    }
}

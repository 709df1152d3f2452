//! Saving the security part of a dossier: questionnaire, measures, certifications.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::NaiveDate;

use crate::domain::entites::{
    self, SaisieCertification, SaisieMesure, SaisieQuestionnaireSecurite, SaisieSecurite,
};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::mutation::elements;
use crate::graphql::types::{Date, Entite, uuid_de};
use crate::models::enums::{CodeMesureSecurite, NomCertification, TypeMesureSecurite};

/// Le questionnaire de sécurité. Champ absent : inchangé ; null : effacé (« non » pour une
/// case). Décocher la formation du personnel efface sa fréquence.
#[derive(InputObject)]
pub struct SecuriteInput {
    pub politique_securite: MaybeUndefined<bool>,
    pub responsable_securite: MaybeUndefined<bool>,
    pub analyse_risques: MaybeUndefined<bool>,
    pub plan_continuite: MaybeUndefined<bool>,
    pub procedure_violations: MaybeUndefined<bool>,
    /// Nombre de violations de données des douze derniers mois (positif ou nul).
    #[graphql(name = "violations12Mois")]
    pub violations_12_mois: MaybeUndefined<i32>,
    pub formation_personnel: MaybeUndefined<bool>,
    pub frequence_formation: MaybeUndefined<String>,
    /// Le dernier audit de sécurité (pas dans le futur).
    pub dernier_audit: MaybeUndefined<Date>,
}

/// Une mesure de sécurité. Sans `id`, elle est créée ; avec, elle remplace celle qui porte cet
/// `id`.
#[derive(InputObject)]
pub struct MesureSecuriteInput {
    pub id: Option<ID>,
    pub type_mesure: TypeMesureSecurite,
    pub code: CodeMesureSecurite,
    pub description: Option<String>,
    #[graphql(default)]
    pub mise_en_oeuvre: bool,
    /// Seulement pour une mesure mise en œuvre ; pas dans le futur.
    pub date_mise_en_oeuvre: Option<Date>,
}

/// Une certification de sécurité. Sans `id`, elle est créée ; avec, elle remplace celle qui
/// porte cet `id`.
#[derive(InputObject)]
pub struct CertificationInput {
    pub id: Option<ID>,
    pub nom: NomCertification,
    pub organisme: Option<String>,
    pub numero: Option<String>,
    /// Pas dans le futur.
    pub date_obtention: Option<Date>,
    /// Au plus tôt la date d'obtention.
    pub date_expiration: Option<Date>,
    /// Le justificatif : un document déjà joint au dossier de la même entité.
    pub document_id: Option<ID>,
}

#[derive(InputObject)]
pub struct EnregistrerSecuriteInput {
    pub entite_id: ID,
    /// La version du dossier lue (`workflow.version`).
    pub version: i32,
    /// Lu dans `Entite.securite`.
    pub securite: Option<SecuriteInput>,
    /// Lues dans `Entite.mesuresSecurite`. La liste complète, 100 éléments au plus : remplace la liste enregistrée.
    pub mesures_securite: Option<Vec<MesureSecuriteInput>>,
    /// La liste complète, 100 éléments au plus : remplace la liste enregistrée.
    pub certifications: Option<Vec<CertificationInput>>,
}

#[derive(Default)]
pub struct SecuriteMutation;

#[Object]
impl SecuriteMutation {
    /// Enregistre la sécurité (questionnaire, mesures, certifications) du dossier lu à
    /// `version` ; renvoie l'entité et sa nouvelle version. Une version périmée est un
    /// `CONFLICT` et n'enregistre rien.
    async fn enregistrer_securite(
        &self,
        ctx: &Context<'_>,
        input: EnregistrerSecuriteInput,
    ) -> AppResult<Entite> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&input.entite_id, "input.entiteId")?;
        let mesures = elements(
            "input.mesuresSecurite",
            input.mesures_securite,
            |e| &e.id,
            |_, m, id| {
                Ok(SaisieMesure {
                    id,
                    type_mesure: m.type_mesure,
                    code: m.code,
                    description: m.description,
                    mise_en_oeuvre: m.mise_en_oeuvre,
                    date_mise_en_oeuvre: m.date_mise_en_oeuvre.map(NaiveDate::from),
                })
            },
        )?;
        let certifications = elements(
            "input.certifications",
            input.certifications,
            |e| &e.id,
            |chemin, c, id| {
                Ok(SaisieCertification {
                    id,
                    nom: c.nom,
                    organisme: c.organisme,
                    numero: c.numero,
                    date_obtention: c.date_obtention.map(NaiveDate::from),
                    date_expiration: c.date_expiration.map(NaiveDate::from),
                    document_id: c
                        .document_id
                        .map(|d| uuid_de(&d, &format!("{chemin}.documentId")))
                        .transpose()?,
                })
            },
        )?;
        let saisie = SaisieSecurite {
            questionnaire: input.securite.map(|q| SaisieQuestionnaireSecurite {
                politique_securite: q.politique_securite.into(),
                responsable_securite: q.responsable_securite.into(),
                analyse_risques: q.analyse_risques.into(),
                plan_continuite: q.plan_continuite.into(),
                procedure_violations: q.procedure_violations.into(),
                violations_12_mois: q.violations_12_mois.into(),
                formation_personnel: q.formation_personnel.into(),
                frequence_formation: q.frequence_formation.into(),
                dernier_audit: q.dernier_audit.map_value(NaiveDate::from).into(),
            }),
            mesures,
            certifications,
        };
        let app = ctx.app();
        let aujourd_hui = app.clock.now().date_naive();
        let mut conn = app.pool.get().await?;
        let entite = entites::enregistrer_securite(
            &mut conn,
            principal,
            entite_id,
            input.version,
            aujourd_hui,
            saisie,
        )
        .await?;
        // `enregistrer_securite` passed `acces::verifier` (Ecriture).
        Ok(Entite::autorisee(entite))
    }
}

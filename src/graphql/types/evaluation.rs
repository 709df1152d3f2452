//! The dossier's qualification as it stands: the formality it falls under, its score on the
//! official scale, and (for ARTCI staff only) the decision the score suggests.

use async_graphql::SimpleObject;

use crate::domain::dossier::FaitsDossier;
use crate::domain::{formalites, score};
use crate::models::enums::{DecisionTraitement, TypeFormalite};

/// Une ligne du barème officiel (tout ou rien).
#[derive(SimpleObject)]
pub struct CritereScore {
    /// Identifiant stable (ex. `correspondant`).
    pub code: String,
    pub libelle: String,
    pub points: i32,
    pub obtenus: i32,
}

/// La qualification du dossier d'après son contenu actuel (la soumission l'enregistre).
#[derive(SimpleObject)]
pub struct Evaluation {
    pub type_formalite: TypeFormalite,
    /// Pourquoi cette formalité, les raisons décisives d'abord.
    pub motifs_formalite: Vec<String>,
    /// Sur 100.
    pub score: i32,
    pub criteres: Vec<CritereScore>,
    /// La décision que le score suggère à l'agent (réservé à l'ARTCI ; null pour l'entreprise).
    /// Le score ne décide jamais seul.
    pub decision_suggeree: Option<DecisionTraitement>,
}

impl Evaluation {
    /// `pour_personnel`: whether the suggested decision may be shown (ARTCI staff).
    pub fn de(faits: &FaitsDossier, pour_personnel: bool) -> Self {
        let s = score::score(faits);
        Self {
            type_formalite: formalites::type_formalite(faits),
            motifs_formalite: formalites::motifs(faits),
            score: i32::from(s.total),
            criteres: s
                .criteres
                .iter()
                .map(|c| CritereScore {
                    code: c.code.to_owned(),
                    libelle: c.libelle.to_owned(),
                    points: i32::from(c.points),
                    obtenus: i32::from(c.obtenus),
                })
                .collect(),
            decision_suggeree: pour_personnel.then(|| score::decision_suggeree(s.total)),
        }
    }
}

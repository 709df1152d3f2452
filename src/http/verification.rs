//! `GET /verification/{numero}`: the public check of a certificate, for a person holding the
//! paper (the address its QR code holds). A small server-rendered page (`rendu::verification`):
//! no script, no asset from elsewhere, readable on a phone. The status tells the outcome:
//! `200` valid, `410` expired or replaced, `404` unknown or not published, `400` malformed;
//! an unavailable database is a `503` page, never a trace.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::domain::certificats::{self, EtatNumero, Fiche};
use crate::rendu::verification::{self as rendu, FicheVerification, Verification, VersionAffichee};
use crate::state::AppState;

pub async fn page(State(state): State<AppState>, Path(saisie): Path<String>) -> Response {
    let numero = certificats::normaliser_numero(&saisie);
    let verification = if !rendu::numero_valide(&numero) {
        Verification::NumeroInvalide {
            saisie: saisie.chars().take(40).collect(),
        }
    } else {
        let etat = match state.pool_public.get().await {
            Ok(mut conn) => {
                certificats::verifier_numero(&mut conn, &numero, state.clock.now().date_naive())
                    .await
            }
            Err(e) => Err(e.into()),
        };
        match etat {
            Ok(etat) => verification_de(numero, etat),
            Err(e) => {
                tracing::warn!(error = ?e, "vérification publique indisponible");
                return repondre(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\">\
                     <title>Vérification indisponible</title>\
                     <p>Le service de vérification est momentanément indisponible. \
                     Réessayez dans quelques minutes.</p></html>"
                        .to_owned(),
                );
            }
        }
    };
    let (statut, html) = rendu::page(&verification);
    repondre(statut, html)
}

fn verification_de(numero: String, etat: EtatNumero) -> Verification {
    match etat {
        EtatNumero::Valide(fiche) => Verification::Valide(fiche_de(fiche)),
        EtatNumero::Expire(fiche) => Verification::Expire(fiche_de(fiche)),
        EtatNumero::Remplace { remplace_par } => Verification::Remplace {
            numero,
            remplace_par,
        },
        EtatNumero::Introuvable => Verification::Introuvable { numero },
    }
}

fn fiche_de(fiche: Fiche) -> FicheVerification {
    let en_vigueur = fiche.version_en_vigueur;
    FicheVerification {
        versions: fiche
            .versions
            .iter()
            .map(|v| VersionAffichee {
                version: v.version,
                date_emission: v.date_emission,
                sha256: v.sha256.clone(),
                lien_pdf: format!("/documents/{}", v.document_id),
                en_vigueur: Some(v.version) == en_vigueur,
            })
            .collect(),
        numero: fiche.numero,
        denomination: fiche.entite.denomination,
        sigle: fiche.entite.sigle,
        ville: fiche.entite.ville,
        type_formalite: fiche.type_formalite,
        date_emission: fiche.date_emission,
        date_expiration: fiche.date_expiration,
    }
}

fn repondre(statut: StatusCode, html: String) -> Response {
    let csp = HeaderValue::from_str(&rendu::politique_securite_contenu())
        .unwrap_or(HeaderValue::from_static("default-src 'none'"));
    (
        statut,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CONTENT_SECURITY_POLICY, csp),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ],
        html,
    )
        .into_response()
}

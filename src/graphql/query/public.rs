//! The public register, without an account: the map, the nearby search, the list, an
//! entity, the statistics and the check of a number. Everything reads the public projection
//! (`models::registre_public`): only entities `conforme` and published, only their public
//! columns. Anonymous callers are rate limited per client by the HTTP layer.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::{Context, ID, InputObject, Object};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use uuid::Uuid;

use crate::domain::certificats;
use crate::error::{AppError, AppResult};
use crate::graphql::ContextExt;
use crate::graphql::types::pagination::{self, Demande, Page};
use crate::graphql::types::public::{
    Carte, EntiteProche, EntitePublique, GroupeCarte, NombreParRegion, NombreParSecteur,
    NombreParStatut, PointCarte, StatistiquesPubliques, VerificationNumero,
};
use crate::models::enums::{Region, SecteurActivite, StatutConformite};
use crate::models::registre_public::{self, Cadre, FiltrePublic, Position, Statistiques};

/// Up to this many entities in a frame, the map shows them one by one; beyond, in clusters.
pub const SEUIL_POINTS: i64 = 500;
/// The deepest zoom with precomputed clusters (the migration's).
pub const ZOOM_GRAPPES_MAX: i32 = 14;
/// The widest radius of `entitesProches`, in kilometres.
pub const RAYON_MAX_KM: f64 = 100.0;
/// The most entities `entitesProches` returns.
pub const PROCHES_MAX: i32 = 100;
/// The longest text searched or number checked.
const TEXTE_MAX: usize = 100;
/// How long the statistics are served from memory before they are counted again.
const FRAICHEUR_STATISTIQUES: Duration = Duration::from_secs(60);

/// A frame of the map, in decimal degrees (WGS 84).
#[derive(InputObject, Debug, Clone, Copy)]
#[graphql(name = "BBoxInput")]
pub struct BBoxInput {
    /// Longitude du bord ouest (-180 à 180).
    pub ouest: f64,
    /// Latitude du bord sud (-90 à 90).
    pub sud: f64,
    /// Longitude du bord est, au moins celle du bord ouest.
    pub est: f64,
    /// Latitude du bord nord, au moins celle du bord sud.
    pub nord: f64,
}

impl BBoxInput {
    fn cadre(self) -> AppResult<Cadre> {
        let dans = |v: f64, max: f64| v.is_finite() && (-max..=max).contains(&v);
        for (champ, valeur, max) in [
            ("bbox.ouest", self.ouest, 180.0),
            ("bbox.est", self.est, 180.0),
            ("bbox.sud", self.sud, 90.0),
            ("bbox.nord", self.nord, 90.0),
        ] {
            if !dans(valeur, max) {
                return Err(AppError::bad_input(
                    champ,
                    format!("Doit être un nombre de -{max} à {max} degrés."),
                ));
            }
        }
        if self.est < self.ouest {
            return Err(AppError::bad_input(
                "bbox.est",
                "Le bord est doit être à l'est du bord ouest.",
            ));
        }
        if self.nord < self.sud {
            return Err(AppError::bad_input(
                "bbox.nord",
                "Le bord nord doit être au nord du bord sud.",
            ));
        }
        Ok(Cadre {
            ouest: self.ouest,
            sud: self.sud,
            est: self.est,
            nord: self.nord,
        })
    }
}

/// Les filtres du registre public.
#[derive(InputObject, Debug, Clone, Default)]
pub struct FiltreRegistrePublic {
    pub secteur: Option<SecteurActivite>,
    pub region: Option<Region>,
    /// La ville, sans égard à la casse.
    pub ville: Option<String>,
    /// Un texte de la dénomination ; les fautes de frappe sont tolérées (« Cliniqe » trouve
    /// « Clinique »). 100 caractères au plus.
    pub recherche: Option<String>,
}

/// A blank text is none; a longer one than `TEXTE_MAX` is refused on `champ`.
fn texte(valeur: Option<String>, champ: &str) -> AppResult<Option<String>> {
    let valeur = valeur
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    if valeur
        .as_ref()
        .is_some_and(|v| v.chars().count() > TEXTE_MAX)
    {
        return Err(AppError::bad_input(
            champ,
            format!("{TEXTE_MAX} caractères au plus."),
        ));
    }
    Ok(valeur)
}

impl FiltreRegistrePublic {
    fn filtre(self) -> AppResult<FiltrePublic> {
        Ok(FiltrePublic {
            secteur: self.secteur,
            region: self.region,
            ville: texte(self.ville, "filtre.ville")?,
            recherche: texte(self.recherche, "filtre.recherche")?,
        })
    }
}

/// The public list's cursor: a position in its French alphabetical order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ClePublique {
    #[serde(rename = "n")]
    denomination: String,
    id: Uuid,
}

/// The registry's statistics, counted at most once a minute per instance: they are public
/// and cost three scans of the registry.
#[derive(Default)]
pub struct CacheStatistiques(Mutex<Option<(Instant, Arc<Statistiques>)>>);

#[derive(Default)]
pub struct PublicQuery;

#[Object]
impl PublicQuery {
    /// La carte des entités publiées dans un cadre. Jusqu'à 500 entités, chacune avec ce
    /// qu'affiche sa bulle ; au-delà, des groupes (nombre et centre) précalculés pour le zoom
    /// (0 à 22 ; au-delà de 14, les groupes du zoom 14). Sans compte.
    #[graphql(complexity = "2 * SEUIL_POINTS as usize * child_complexity")]
    async fn carte(&self, ctx: &Context<'_>, bbox: BBoxInput, zoom: i32) -> AppResult<Carte> {
        let cadre = bbox.cadre()?;
        if !(0..=22).contains(&zoom) {
            return Err(AppError::bad_input("zoom", "Le zoom va de 0 à 22."));
        }
        let mut conn = ctx.app().pool_public.get().await?;
        let nombre = registre_public::nombre_dans(&mut conn, cadre, SEUIL_POINTS).await?;
        if nombre <= SEUIL_POINTS {
            let points = registre_public::points_dans(&mut conn, cadre, SEUIL_POINTS).await?;
            return Ok(Carte {
                total: points.len() as i32,
                points: points.into_iter().map(PointCarte).collect(),
                groupes: Vec::new(),
            });
        }
        let niveau = zoom.min(ZOOM_GRAPPES_MAX) as i16;
        let grappes = registre_public::grappes(&mut conn, niveau, cadre).await?;
        let groupes: Vec<GroupeCarte> = grappes
            .into_iter()
            .map(|g| GroupeCarte {
                nombre: g.nombre,
                latitude: g.somme_latitude / f64::from(g.nombre),
                longitude: g.somme_longitude / f64::from(g.nombre),
            })
            .collect();
        Ok(Carte {
            total: groupes.iter().map(|g| g.nombre).sum(),
            points: Vec::new(),
            groupes,
        })
    }

    /// Les entités publiées à moins de `rayonKm` kilomètres (100 au plus) d'un point, la plus
    /// proche d'abord, avec leur distance en mètres. `first` : 20 par défaut, 100 au plus.
    /// Sans compte.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, PROCHES_MAX) as usize * child_complexity")]
    async fn entites_proches(
        &self,
        ctx: &Context<'_>,
        latitude: f64,
        longitude: f64,
        #[graphql(default = 10.0)] rayon_km: f64,
        #[graphql(default = 20)] first: Option<i32>,
    ) -> AppResult<Vec<EntiteProche>> {
        if !(latitude.is_finite() && (-90.0..=90.0).contains(&latitude)) {
            return Err(AppError::bad_input("latitude", "De -90 à 90 degrés."));
        }
        if !(longitude.is_finite() && (-180.0..=180.0).contains(&longitude)) {
            return Err(AppError::bad_input("longitude", "De -180 à 180 degrés."));
        }
        if !(rayon_km.is_finite() && rayon_km > 0.0 && rayon_km <= RAYON_MAX_KM) {
            return Err(AppError::bad_input(
                "rayonKm",
                format!("Le rayon va de 0 à {RAYON_MAX_KM} km."),
            ));
        }
        let first = first.unwrap_or(20);
        if !(1..=PROCHES_MAX).contains(&first) {
            return Err(AppError::bad_input(
                "first",
                format!("De 1 à {PROCHES_MAX} entités."),
            ));
        }
        let mut conn = ctx.app().pool_public.get().await?;
        let proches = registre_public::proches(
            &mut conn,
            latitude,
            longitude,
            rayon_km * 1000.0,
            i64::from(first),
        )
        .await?;
        Ok(proches
            .into_iter()
            .map(|p| EntiteProche {
                entite: EntitePublique(p.ligne),
                distance_metres: p.distance_m,
            })
            .collect())
    }

    /// Le registre public : les entités conformes et publiées, par ordre alphabétique.
    /// `first` : 20 par défaut, 100 au plus. Sans compte.
    #[graphql(complexity = "pagination::complexite(first, child_complexity)")]
    async fn registre_public(
        &self,
        ctx: &Context<'_>,
        filtre: Option<FiltreRegistrePublic>,
        #[graphql(default = 20)] first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Page<EntitePublique>> {
        let filtre = filtre.unwrap_or_default().filtre()?;
        let demande = Demande::<ClePublique>::avec_cle(first, after.as_deref())?;
        let mut conn = ctx.app().pool_public.get().await?;
        let apres = demande.apres.clone().map(|c| Position {
            denomination: c.denomination,
            id: c.id,
        });
        let rows =
            registre_public::page(&mut conn, &filtre, apres.as_ref(), demande.limite_lecture())
                .await?;
        let total = registre_public::count(&mut conn, &filtre).await?;
        Ok(pagination::page(
            &demande,
            rows,
            total,
            |l| ClePublique {
                denomination: l.denomination.clone(),
                id: l.entite_id,
            },
            EntitePublique,
        ))
    }

    /// Une entité du registre public ; `null` si elle n'est pas (ou plus) publiée. Sans
    /// compte.
    async fn entite_publique(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> AppResult<Option<EntitePublique>> {
        let Ok(id) = Uuid::parse_str(&id) else {
            return Err(AppError::bad_input("id", "Identifiant invalide."));
        };
        let mut conn = ctx.app().pool_public.get().await?;
        Ok(registre_public::par_id(&mut conn, id)
            .await?
            .map(EntitePublique))
    }

    /// Les chiffres du registre sur toutes les entités recensées : par statut de conformité
    /// (recensées, démarche achevée, démarche en cours, conformes), par secteur et par région.
    /// Recalculés au plus une fois par minute. Sans compte.
    async fn statistiques_publiques(&self, ctx: &Context<'_>) -> AppResult<StatistiquesPubliques> {
        let cache = ctx.data_unchecked::<CacheStatistiques>();
        let stats = {
            let mut garde = cache.0.lock().await;
            match garde.as_ref() {
                Some((quand, stats)) if quand.elapsed() < FRAICHEUR_STATISTIQUES => stats.clone(),
                _ => {
                    let mut conn = ctx.app().pool_public.get().await?;
                    let stats = Arc::new(registre_public::statistiques(&mut conn).await?);
                    *garde = Some((Instant::now(), stats.clone()));
                    stats
                }
            }
        };
        Ok(statistiques(&stats))
    }

    /// Vérifie un numéro de récépissé ou d'autorisation (`RCP-2026-000001`,
    /// `AUT-2026-000001`…) : `valide` s'il a été délivré à une entité aujourd'hui publiée,
    /// laquelle est alors donnée. Sans compte.
    async fn verifier_numero(
        &self,
        ctx: &Context<'_>,
        numero: String,
    ) -> AppResult<VerificationNumero> {
        let numero = certificats::normaliser_numero(&numero);
        if numero.is_empty() || numero.chars().count() > 40 {
            return Err(AppError::bad_input(
                "numero",
                "Saisissez le numéro figurant sur le récépissé ou l'autorisation.",
            ));
        }
        let app = ctx.app();
        let mut conn = app.pool_public.get().await?;
        let etat =
            certificats::verifier_numero(&mut conn, &numero, app.clock.now().date_naive()).await?;
        Ok(VerificationNumero::de(numero, etat))
    }
}

fn statistiques(stats: &Statistiques) -> StatistiquesPubliques {
    let nombre = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
    let du_statut = |statut: StatutConformite| {
        stats
            .par_statut_conformite
            .iter()
            .find(|(s, _)| *s == statut)
            .map_or(0, |(_, n)| nombre(*n))
    };
    let mut par_secteur: Vec<NombreParSecteur> = stats
        .par_secteur
        .iter()
        .map(|(secteur, n)| NombreParSecteur {
            secteur: *secteur,
            nombre: nombre(*n),
        })
        .collect();
    par_secteur.sort_by(|a, b| {
        b.nombre
            .cmp(&a.nombre)
            .then(a.secteur.label().cmp(b.secteur.label()))
    });
    let mut par_region: Vec<NombreParRegion> = stats
        .par_region
        .iter()
        .map(|(region, n)| NombreParRegion {
            region: *region,
            nombre: nombre(*n),
        })
        .collect();
    par_region.sort_by(|a, b| {
        b.nombre
            .cmp(&a.nombre)
            .then(a.region.label().cmp(b.region.label()))
    });
    StatistiquesPubliques {
        recensees: nombre(stats.total),
        demarche_achevee: du_statut(StatutConformite::DemarcheAchevee),
        demarche_en_cours: du_statut(StatutConformite::DemarcheEnCours),
        conformes: du_statut(StatutConformite::Conforme),
        par_statut_conformite: StatutConformite::ALL
            .iter()
            .map(|s| NombreParStatut {
                statut: *s,
                nombre: du_statut(*s),
            })
            .collect(),
        par_secteur,
        par_region,
    }
}

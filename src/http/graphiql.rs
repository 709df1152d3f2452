//! `GET /graphiql`: GraphiQL, served from the binary. The page and its scripts are embedded
//! at build time from `assets/graphiql/` (third-party files at pinned versions, checked by
//! `scripts/graphiql-assets --check`), so it works on a closed network and loads nothing
//! from elsewhere; a strict Content-Security-Policy holds it to this origin.
//!
//! The page talks to `/graphql` over HTTP and to `/graphql/ws` (graphql-transport-ws) for
//! subscriptions; the Headers pane's token is sent on both (see `registre-graphiql.js`).

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The page's policy: everything from this origin only (WebSockets to this host included:
/// CSP's `'self'` matches `ws:`/`wss:` on the same host), no inline script or style, fonts
/// and icons of GraphiQL's stylesheet as `data:` URLs, no frames, no plug-ins, no forms.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Files whose name carries their version: cached for a year, never revalidated.
const IMMUABLE: &str = "public, max-age=31536000, immutable";
/// Our own files (unversioned names): revalidated on each load.
const A_REVALIDER: &str = "no-cache";

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// One embedded file: name under `/graphiql/assets/`, content type, cache policy, bytes.
struct Fichier {
    nom: &'static str,
    type_: &'static str,
    cache: &'static str,
    contenu: &'static [u8],
}

macro_rules! fichier {
    ($nom:literal, $type_:expr, $cache:expr) => {
        Fichier {
            nom: $nom,
            type_: $type_,
            cache: $cache,
            contenu: include_bytes!(concat!("../../assets/graphiql/", $nom)),
        }
    };
}

const FICHIERS: &[Fichier] = &[
    fichier!("graphiql-4.1.2.min.js", JS, IMMUABLE),
    fichier!("graphiql-4.1.2.min.css", CSS, IMMUABLE),
    fichier!("react-18.3.1.production.min.js", JS, IMMUABLE),
    fichier!("react-dom-18.3.1.production.min.js", JS, IMMUABLE),
    fichier!("graphql-ws-5.16.2.min.js", JS, IMMUABLE),
    fichier!("registre-graphiql.js", JS, A_REVALIDER),
    fichier!("registre-graphiql.css", CSS, A_REVALIDER),
];

const PAGE: &str = include_str!("../../assets/graphiql/index.html");

/// The routes `/graphiql` and `/graphiql/assets/{nom}`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/graphiql", get(page))
        .route("/graphiql/assets/{nom}", get(fichier))
}

fn securise(mut reponse: Response, cache: &'static str) -> Response {
    let entetes = reponse.headers_mut();
    entetes.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    entetes.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    reponse
}

async fn page() -> Response {
    let mut reponse = securise(
        ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response(),
        A_REVALIDER,
    );
    let entetes = reponse.headers_mut();
    entetes.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    entetes.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    entetes.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    reponse
}

async fn fichier(Path(nom): Path<String>) -> Response {
    match FICHIERS.iter().find(|f| f.nom == nom) {
        Some(f) => securise(
            ([(header::CONTENT_TYPE, f.type_)], f.contenu).into_response(),
            f.cache,
        ),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

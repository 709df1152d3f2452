//! The GraphQL schema: one builder used by the server and by `registre-dcp schema`, so that
//! the committed `schema.graphql` can never drift from the code.

mod caracteres;
mod context;
mod extensions;
mod loaders;
mod mutation;
mod query;
mod subscription;
mod types;

use async_graphql::{Schema, SchemaBuilder};

pub use caracteres::refuser_caracteres_interdits;
pub use context::{AbonnementsConnexion, ContextExt, RequestContext};
pub use extensions::{PARSE_FAILED, VALIDATION_FAILED, code_of, coder, rien_execute};
pub use mutation::MutationRoot;
pub use query::QueryRoot;
pub use subscription::SubscriptionRoot;

use crate::state::AppState;

pub type AppSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Deepest selection nesting accepted.
pub const MAX_DEPTH: usize = 15;
/// Largest query complexity accepted (one point per field, lists count their `first`). A
/// page of 50 whole dossiers (every part and every field, documents, certificates and the
/// amendment under way included: about 450 points each) fits: its SQL cost is bounded per
/// page (`LotEntites`), and the budget bounds the work of resolving and serialising the
/// answer (a megabyte or two of JSON at most).
pub const MAX_COMPLEXITY: usize = 30_000;
/// Deepest recursion the validator and executor may reach (input values, fragments).
pub const MAX_RECURSIVE_DEPTH: usize = 32;

/// The schema with its limits, without runtime data.
pub fn builder() -> SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot,
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(MAX_RECURSIVE_DEPTH)
    .limit_directives(8)
}

/// The SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by())
}

/// The schema the server executes. Production turns field suggestions off (they leak the
/// schema's names to anonymous callers); introspection is restricted per request.
pub fn build(state: AppState) -> AppSchema {
    let production = state.is_production();
    let agents = loaders::agents(state.pool.clone());
    let parties_entite = loaders::parties_entite(state.pool.clone());
    let documents_publics = loaders::documents_publics(state.pool.clone());
    let mut builder = builder()
        .data(state)
        .data(agents)
        .data(parties_entite)
        .data(documents_publics)
        .data(query::CacheStatistiques::default());
    if production {
        builder = builder.disable_suggestions();
    }
    builder.finish()
}

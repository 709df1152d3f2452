//! Prometheus metrics: HTTP requests and latencies per route, and the connection pool,
//! served at `GET /metrics` in the OpenMetrics text format.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::db::{CompteurRequetes, DbPool};
use crate::state::AppState;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    in_flight: Gauge,
    requetes_sql: CompteurRequetes,
}

fn latency_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

impl Metrics {
    pub fn new(pool: DbPool, max_size: u32, requetes_sql: CompteurRequetes) -> Self {
        let mut registry = Registry::with_prefix("registre_dcp");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        let in_flight = Gauge::default();
        registry.register(
            "http_requests",
            "Requêtes HTTP traitées, par route et statut",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Durée des requêtes HTTP, par route",
            latency.clone(),
        );
        registry.register(
            "http_requests_in_flight",
            "Requêtes HTTP en cours",
            in_flight.clone(),
        );
        let (executees, en_erreur) = requetes_sql.compteurs();
        registry.register(
            "db_queries",
            "Requêtes SQL exécutées par les connexions du pool (BEGIN/COMMIT et vérifications \
             de connexion comprises)",
            executees,
        );
        registry.register(
            "db_query_errors",
            "Requêtes SQL terminées en erreur",
            en_erreur,
        );
        registry.register_collector(Box::new(PoolCollector { pool, max_size }));
        Self {
            registry,
            requests,
            latency,
            in_flight,
            requetes_sql,
        }
    }

    /// The statements the pool's connections have run so far.
    pub fn requetes_sql(&self) -> &CompteurRequetes {
        &self.requetes_sql
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Reads the pool's state at each scrape.
#[derive(Debug)]
struct PoolCollector {
    pool: DbPool,
    max_size: u32,
}

impl Collector for PoolCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let state = self.pool.state();
        let stats = state.statistics;
        let gauges: [(&str, &str, i64); 3] = [
            (
                "db_pool_connections",
                "Connexions ouvertes du pool",
                state.connections.into(),
            ),
            (
                "db_pool_idle_connections",
                "Connexions inactives du pool",
                state.idle_connections.into(),
            ),
            (
                "db_pool_max_connections",
                "Taille maximale du pool",
                self.max_size.into(),
            ),
        ];
        for (name, help, value) in gauges {
            let gauge = ConstGauge::new(value);
            gauge.encode(encoder.encode_descriptor(name, help, None, gauge.metric_type())?)?;
        }
        let counters: [(&str, &str, u64); 4] = [
            (
                "db_pool_gets_waited",
                "Obtentions de connexion qui ont dû attendre",
                stats.get_waited,
            ),
            (
                "db_pool_gets_timed_out",
                "Obtentions de connexion abandonnées faute de connexion libre",
                stats.get_timed_out,
            ),
            (
                "db_pool_connections_created",
                "Connexions ouvertes depuis le démarrage",
                stats.connections_created,
            ),
            (
                "db_pool_connections_closed_broken",
                "Connexions fermées car rompues",
                stats.connections_closed_broken,
            ),
        ];
        for (name, help, value) in counters {
            let counter = ConstCounter::new(value);
            counter.encode(encoder.encode_descriptor(
                name,
                help,
                None,
                counter.metric_type(),
            )?)?;
        }
        Ok(())
    }
}

/// Counts and times every request, labelled by its route template (never the raw path, so
/// the number of series stays bounded).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "inconnue".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let metrics = &state.metrics;
    metrics.in_flight.inc();
    let start = Instant::now();
    let response = next.run(request).await;
    metrics.in_flight.dec();
    metrics
        .latency
        .get_or_create(&RouteLabels {
            method: method.clone(),
            route: route.clone(),
        })
        .observe(start.elapsed().as_secs_f64());
    metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// `GET /metrics`; behind a bearer token when `METRICS_TOKEN` is set. In production it is
/// not served at all without one: the counters name routes and volumes an outsider has no
/// business reading.
pub async fn handler(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if state.is_production() && state.config.http.metrics_token.is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Some(expected) = state.config.http.metrics_token.as_deref() {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let ok = presented.is_some_and(|p| constant_time_eq(p.as_bytes(), expected.as_bytes()));
        if !ok {
            return StatusCode::UNAUTHORIZED.into_response();
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

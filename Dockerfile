# The service in a container: `docker compose up --build` (compose.yaml) runs it beside
# PostGIS and a mail catcher. The binary migrates its database when it starts.

# --- build -------------------------------------------------------------------------------
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# Dependencies first, in their own layer: a change of the sources does not rebuild them.
COPY Cargo.toml Cargo.lock build.rs diesel.toml ./
COPY migrations ./migrations
RUN mkdir -p src tests/integration \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs tests/integration/main.rs \
    && cargo build --release --locked --bin registre-dcp \
    && rm -rf src
COPY assets ./assets
COPY src ./src
# The stub's artefacts are older than the real sources; touch makes cargo rebuild the crate.
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin registre-dcp

# --- run ---------------------------------------------------------------------------------
FROM debian:bookworm-slim
# postgresql-client (15, as the PostGIS of compose.yaml): pg_dump and pg_restore for
# `registre-dcp sauvegarde` / `restauration`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/registre-dcp --create-home registre \
    && install -d -o registre -g registre -m 0750 /var/lib/registre-dcp/storage
COPY --from=build /src/target/release/registre-dcp /usr/local/bin/registre-dcp
# The uploaded documents: created here, owned by the unprivileged user, so that a volume
# mounted on it (compose.yaml) starts with this owner and the service can write to it.
VOLUME /var/lib/registre-dcp/storage
USER registre
WORKDIR /var/lib/registre-dcp
ENV LISTEN_ADDR=0.0.0.0:8080 \
    STORAGE_DIR=/var/lib/registre-dcp/storage \
    LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
    CMD curl -fsS http://127.0.0.1:8080/readyz >/dev/null || exit 1
ENTRYPOINT ["registre-dcp"]
CMD ["serve"]

# Sourced by scripts/dev and scripts/test: makes sure a PostgreSQL server with PostGIS is
# reachable at DATABASE_URL, installing and starting a local one (Debian packages) when
# DATABASE_URL is unset or points at this machine and nothing answers there.
# Exports DATABASE_URL (the application database) and ADMIN_DATABASE_URL (same server,
# database `postgres`).

set -euo pipefail

DEFAULT_DATABASE_URL="postgres://postgres@127.0.0.1:5432/registre_dcp"
: "${DATABASE_URL:=$DEFAULT_DATABASE_URL}"

log() { printf '\033[1m[registre-dcp]\033[0m %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# postgres://user:pass@host:port/db?x → same server, another database
url_with_db() {
    local url="$1" db="$2" query="" base
    case "$url" in *\?*) query="?${url#*\?}"; url="${url%%\?*}" ;; esac
    base="${url%/*}"
    case "$base" in *://) base="$url" ;; esac
    printf '%s/%s%s' "$base" "$db" "$query"
}

url_host() {
    local rest="${1#*://}"
    rest="${rest%%/*}"
    rest="${rest##*@}"
    printf '%s' "${rest%%:*}"
}

is_local_url() {
    case "$(url_host "$1")" in
        127.0.0.1|localhost|::1|"") return 0 ;;
        *) return 1 ;;
    esac
}

apt_updated=0
apt_install() {
    if [ "$apt_updated" -eq 0 ]; then
        log "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=1
    fi
    log "installation : $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

can_connect() {
    psql "$1" -XtAq -c 'SELECT 1' >/dev/null 2>&1
}

pg_major_installed() {
    ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1
}

start_local_cluster() {
    local major
    major="$(pg_major_installed)"
    [ -n "$major" ] || { apt_install postgresql; major="$(pg_major_installed)"; }
    if ! command -v pg_lsclusters >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null | awk -v v="$major" '$1==v')" ]; then
        log "création du cluster PostgreSQL $major"
        as_root pg_createcluster "$major" main >/dev/null
    fi
    log "démarrage de PostgreSQL $major"
    as_root pg_ctlcluster --skip-systemctl-redirect "$major" main start 2>/dev/null || as_root pg_ctlcluster "$major" main start || true
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p 5432 && return 0
        sleep 1
    done
    log "PostgreSQL ne répond pas sur 127.0.0.1:5432"
    return 1
}

# A local server that refuses our user (fresh Debian: no trust on TCP): a dedicated
# superuser with a password, created through the postgres OS account.
ensure_local_role() {
    log "création du rôle local « registre »"
    as_root runuser -u postgres -- psql -XtAq -c \
        "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'registre') THEN CREATE ROLE registre LOGIN SUPERUSER PASSWORD 'registre'; END IF; END \$\$;" >/dev/null
    local db="${DATABASE_URL##*/}"
    DATABASE_URL="postgres://registre:registre@127.0.0.1:5432/${db%%\?*}"
}

ensure_postgis() {
    local admin="$1" major
    if [ "$(psql "$admin" -XtAq -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")" = "1" ]; then
        return 0
    fi
    if ! is_local_url "$admin"; then
        log "PostGIS n'est pas disponible sur le serveur de DATABASE_URL : installez-le"
        return 1
    fi
    major="$(psql "$admin" -XtAq -c "SELECT current_setting('server_version_num')::int / 10000")"
    apt_install "postgresql-${major}-postgis-3"
}

ensure_database() {
    command -v psql >/dev/null || apt_install postgresql-client
    local admin
    admin="$(url_with_db "$DATABASE_URL" postgres)"
    if ! can_connect "$admin"; then
        if ! is_local_url "$DATABASE_URL"; then
            log "base injoignable : $(url_host "$DATABASE_URL") (DATABASE_URL)"
            return 1
        fi
        if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
            start_local_cluster
        fi
        if ! can_connect "$admin"; then
            ensure_local_role
            admin="$(url_with_db "$DATABASE_URL" postgres)"
        fi
        can_connect "$admin" || { log "connexion à PostgreSQL impossible"; return 1; }
    fi
    ensure_postgis "$admin"
    command -v pg_dump >/dev/null || apt_install postgresql-client
    local db="${DATABASE_URL##*/}"
    db="${db%%\?*}"
    if [ "$(psql "$admin" -XtAq -c "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = "0" ]; then
        log "création de la base $db"
        psql "$admin" -XtAq -c "CREATE DATABASE \"$db\"" >/dev/null
    fi
    export DATABASE_URL
    export ADMIN_DATABASE_URL="$admin"
    log "PostgreSQL + PostGIS prêts"
}

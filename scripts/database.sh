# Sourced by scripts/dev, scripts/test and scripts/registre-dcp: decides which database to use
# and makes sure a PostgreSQL server with PostGIS answers there.
#
# DATABASE_URL comes from the environment, else from the `.env` file of the repository, else
# defaults to postgres://postgres@127.0.0.1:5432/registre_dcp. DATABASE_NAME, when set,
# replaces the database name of that URL (same server, same user), e.g. registre_demo.
#
# `ensure_database` never serves another database than DATABASE_URL:
# - when DATABASE_URL points at this machine (port 5432) and nothing answers there, it installs
#   (Debian packages) and starts a local PostgreSQL + PostGIS;
# - only on a server it installed or started itself, when the `postgres` role is refused over
#   TCP (Debian's default), it creates a local role `registre` with a random password and
#   writes the new DATABASE_URL to `.env` (git-ignored);
# - any other refusal (a server it did not start, a remote server, another user, another port)
#   stops with a message saying what to do.
# Exports DATABASE_URL (the application database) and ADMIN_DATABASE_URL (same server,
# database `postgres`).

set -euo pipefail

DEFAULT_DATABASE_URL="postgres://postgres@127.0.0.1:5432/registre_dcp"

log() {
    if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
        printf '\033[1m[registre-dcp]\033[0m %s\n' "$*" >&2
    else
        printf '[registre-dcp] %s\n' "$*" >&2
    fi
}

# Stops the script that sourced this file, with a message.
stop() {
    local line
    for line in "$@"; do log "$line"; done
    exit 1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The value of VAR in the .env file (the last assignment), without quotes.
dotenv_value() {
    local var="$1" file="${2:-.env}" value
    [ -f "$file" ] || return 1
    value="$(sed -n "s/^[[:space:]]*\(export[[:space:]]\+\)\?$var[[:space:]]*=[[:space:]]*//p" "$file" | tail -n 1)"
    [ -n "$value" ] || return 1
    value="${value%\"}"; value="${value#\"}"
    value="${value%\'}"; value="${value#\'}"
    printf '%s' "$value"
}

# postgres://user:pass@host:port/db?x → same server, another database
url_with_db() {
    local url="$1" db="$2" query="" base
    case "$url" in *\?*) query="?${url#*\?}"; url="${url%%\?*}" ;; esac
    base="${url%/*}"
    case "$base" in *://) base="$url" ;; esac
    printf '%s/%s%s' "$base" "$db" "$query"
}

url_db() {
    local url="${1%%\?*}"
    printf '%s' "${url##*/}"
}

url_authority() {
    local rest="${1#*://}"
    printf '%s' "${rest%%/*}"
}

url_user() {
    local auth
    auth="$(url_authority "$1")"
    case "$auth" in *@*) auth="${auth%@*}"; printf '%s' "${auth%%:*}" ;; *) printf '' ;; esac
}

url_host() {
    local rest
    rest="$(url_authority "$1")"
    rest="${rest##*@}"
    printf '%s' "${rest%%:*}"
}

url_port() {
    local rest
    rest="$(url_authority "$1")"
    rest="${rest##*@}"
    case "$rest" in *:*) printf '%s' "${rest##*:}" ;; *) printf '5432' ;; esac
}

# The URL without its password, for messages.
url_shown() {
    local url="$1" auth
    auth="$(url_authority "$url")"
    case "$auth" in
        *:*@*) printf '%s' "${url/"${auth%@*}"/"${auth%%:*}:***"}" ;;
        *) printf '%s' "$url" ;;
    esac
}

is_local_url() {
    case "$(url_host "$1")" in
        127.0.0.1|localhost|::1|"") return 0 ;;
        *) return 1 ;;
    esac
}

if [ -n "${DATABASE_URL:-}" ]; then
    DATABASE_URL_SOURCE="environnement"
elif DATABASE_URL="$(dotenv_value DATABASE_URL)"; then
    DATABASE_URL_SOURCE=".env"
else
    DATABASE_URL="$DEFAULT_DATABASE_URL"
    DATABASE_URL_SOURCE="défaut"
fi
DATABASE_URL_BASE="$DATABASE_URL"
if [ -n "${DATABASE_NAME:-}" ]; then
    DATABASE_URL="$(url_with_db "$DATABASE_URL" "$DATABASE_NAME")"
fi
export DATABASE_URL

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

# Why psql cannot connect (empty when it can).
connect_error() {
    psql "$1" -XtAq -c 'SELECT 1' 2>&1 >/dev/null | head -n 3 || true
}

can_connect() {
    psql "$1" -XtAq -c 'SELECT 1' >/dev/null 2>&1
}

# Something listens at host:port and speaks PostgreSQL (accepting or not).
server_answers() {
    local status=0
    pg_isready -q -h "$1" -p "$2" -t 3 >/dev/null 2>&1 || status=$?
    [ "$status" -eq 0 ] || [ "$status" -eq 1 ]
}

pg_major_installed() {
    ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1
}

# 1 when this run installed or started the local server.
server_started_here=0

start_local_cluster() {
    local major
    major="$(pg_major_installed)"
    if [ -z "$major" ]; then
        apt_install postgresql
        major="$(pg_major_installed)"
    fi
    if [ -z "$(pg_lsclusters -h 2>/dev/null | awk '$3 == 5432')" ]; then
        log "création du cluster PostgreSQL $major (port 5432)"
        as_root pg_createcluster -p 5432 "$major" main >/dev/null
    fi
    local version name
    read -r version name _ < <(pg_lsclusters -h | awk '$3 == 5432')
    log "démarrage de PostgreSQL $version ($name)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start 2>/dev/null \
        || as_root pg_ctlcluster "$version" "$name" start || true
    server_started_here=1
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p 5432 && return 0
        sleep 1
    done
    stop "PostgreSQL ne répond pas sur 127.0.0.1:5432 après son démarrage." \
        "Voyez son journal : /var/log/postgresql/postgresql-$version-$name.log"
}

# The local server this run started refuses the `postgres` role over TCP (a fresh Debian
# cluster: password authentication on 127.0.0.1): a role of our own with a random password,
# created through the postgres OS account, and DATABASE_URL saved in .env.
create_local_role() {
    local password db
    password="$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
    log "création du rôle local « registre » (mot de passe aléatoire, enregistré dans .env)"
    as_root runuser -u postgres -- psql -XtAq -v ON_ERROR_STOP=1 -v mdp="$password" >/dev/null <<'SQL'
SELECT format('CREATE ROLE registre LOGIN SUPERUSER PASSWORD %L', :'mdp')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'registre') \gexec
SELECT format('ALTER ROLE registre PASSWORD %L', :'mdp') \gexec
SQL
    db="$(url_db "$DATABASE_URL")"
    DATABASE_URL="postgres://registre:${password}@127.0.0.1:5432/${db}"
    if [ -f .env ]; then
        sed -i '/^[[:space:]]*\(export[[:space:]]\+\)\?DATABASE_URL[[:space:]]*=/d' .env
    fi
    printf 'DATABASE_URL=postgres://registre:%s@127.0.0.1:5432/%s\n' "$password" \
        "$(url_db "$DATABASE_URL_BASE")" >>.env
    chmod 600 .env
    export DATABASE_URL
}

refused() {
    local url="$1" why="$2"
    stop "PostgreSQL refuse la connexion de DATABASE_URL ($DATABASE_URL_SOURCE) : $(url_shown "$url")" \
        "  $why" \
        "Rien n'a été créé ni modifié sur ce serveur, qui n'a pas été démarré par ce script." \
        "Que faire : corrigez DATABASE_URL (variable d'environnement ou fichier .env) avec un rôle" \
        "autorisé à se connecter et à créer la base (ou créez-la avec PostGIS), puis relancez."
}

ensure_postgis() {
    local admin="$1" major
    if [ "$(psql "$admin" -XtAq -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")" = "1" ]; then
        return 0
    fi
    if ! is_local_url "$admin"; then
        stop "PostGIS n'est pas disponible sur le serveur de DATABASE_URL ($(url_host "$admin"))." \
            "Que faire : installez PostGIS sur ce serveur, ou pointez DATABASE_URL vers un serveur qui l'a."
    fi
    major="$(psql "$admin" -XtAq -c "SELECT current_setting('server_version_num')::int / 10000")"
    apt_install "postgresql-${major}-postgis-3"
}

ensure_database() {
    command -v psql >/dev/null && command -v pg_isready >/dev/null || apt_install postgresql-client
    local admin host port why
    admin="$(url_with_db "$DATABASE_URL" postgres)"
    host="$(url_host "$DATABASE_URL")"
    port="$(url_port "$DATABASE_URL")"
    if ! can_connect "$admin"; then
        why="$(connect_error "$admin")"
        if ! is_local_url "$DATABASE_URL"; then
            stop "Base injoignable ou connexion refusée : $(url_shown "$DATABASE_URL") (DATABASE_URL, $DATABASE_URL_SOURCE)" \
                "  $why" \
                "Que faire : vérifiez que ce serveur PostgreSQL répond et accepte ce rôle, ou corrigez DATABASE_URL." \
                "Un serveur distant n'est jamais remplacé par un serveur local."
        fi
        if server_answers 127.0.0.1 "$port"; then
            refused "$DATABASE_URL" "$why"
        fi
        if [ "$port" != 5432 ]; then
            stop "Rien ne répond sur ${host:-127.0.0.1}:$port (DATABASE_URL, $DATABASE_URL_SOURCE)." \
                "  $why" \
                "Que faire : démarrez PostgreSQL sur ce port, ou corrigez DATABASE_URL. Ce script n'installe" \
                "et ne démarre un serveur local que sur le port 5432."
        fi
        start_local_cluster
        if ! can_connect "$admin"; then
            why="$(connect_error "$admin")"
            if [ "$server_started_here" -eq 1 ] && [ "$DATABASE_URL_SOURCE" != "environnement" ] \
                && [ "$(url_user "$DATABASE_URL")" = postgres ]; then
                create_local_role
                admin="$(url_with_db "$DATABASE_URL" postgres)"
                can_connect "$admin" || stop "Connexion impossible avec le rôle « registre » créé :" \
                    "  $(connect_error "$admin")"
            else
                refused "$DATABASE_URL" "$why"
            fi
        fi
    fi
    ensure_postgis "$admin"
    command -v pg_dump >/dev/null || apt_install postgresql-client
    local db
    db="$(url_db "$DATABASE_URL")"
    if [ "$(psql "$admin" -XtAq -c "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = "0" ]; then
        log "création de la base $db"
        psql "$admin" -XtAq -c "CREATE DATABASE \"$db\"" >/dev/null
    fi
    export DATABASE_URL
    export ADMIN_DATABASE_URL="$admin"
    log "PostgreSQL + PostGIS prêts : $(url_shown "$DATABASE_URL")"
}

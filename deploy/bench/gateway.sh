#!/usr/bin/env bash
# gateway.sh measures the gateway's throughput and latency with wrk, next to baselines run side by
# side in the same run, on one machine, all on 127.0.0.1:
#
#   upstream  the upstream alone: nginx answering 200 "ok" (every other case ends there);
#   bare      a bare fasthttp reverse proxy (gateway/internal/bareproxy) in front of it;
#   nginx     nginx proxy_pass in front of it, one worker, keep-alive to the upstream;
#   key       Aegis's gateway, an app with API key auth (X-API-Key);
#   jwt       Aegis's gateway, an app with auth_mode jwt (an HS256 token as Authorization: Bearer).
#
# It installs what is missing (wrk, nginx, jq, curl, openssl from Debian's packages), builds
# bin/aegis and the bare proxy, starts the local PostgreSQL (deploy/local/postgres.sh) and uses a
# throwaway database on it, and Mailpit (make mailpit) unless something listens on port 1025. It
# runs `aegis server` with an embedded NATS server and its own data directory, signs a customer
# up through the admin API (the verification token comes from Mailpit's API), creates the two
# apps, an API key and a JWT, then runs wrk against each case in turn, in rounds, each round
# starting one case later, so that drift of the shared machine shows, and prints a Markdown table
# of every run (req/s, p50, p99, the ratios to the bare proxy and to nginx of the same round, and
# the CPU time a request of the process answering), then the medians of the rounds and the goals.
# Every process it starts is stopped, and the database and temporary files removed, when it exits.
#
# Usage: deploy/bench/gateway.sh   (make bench-gateway)
#
# Environment:
#   AEGIS_BENCH_ROUNDS       rounds of the cases (default 5, at least 2)
#   AEGIS_BENCH_DURATION     each measured wrk run (default 10s)
#   AEGIS_BENCH_CONNECTIONS  wrk's connections (default 32)
#   AEGIS_BENCH_THREADS      wrk's threads (default 2)
#   AEGIS_BENCH_CASES        the cases to run, in order (default "upstream bare nginx key jwt"; bare
#                            and nginx, the baselines of the ratios, are always among them)
#   AEGIS_BENCH_GOMAXPROCS   GOMAXPROCS of the two Go proxies, the bare one and Aegis (default: Go's,
#                            one per core); 1 gives each proxy one core, as nginx has one worker
#
# Installing Debian's nginx package may start its system service; the benchmark does not use it.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
readonly SCRIPT_DIR REPO_ROOT

readonly ROUNDS="${AEGIS_BENCH_ROUNDS:-5}"
readonly DURATION="${AEGIS_BENCH_DURATION:-10s}"
readonly CONNECTIONS="${AEGIS_BENCH_CONNECTIONS:-32}"
readonly THREADS="${AEGIS_BENCH_THREADS:-2}"
readonly WARMUP=3s
readonly HOST_KEY=bench.test
readonly HOST_JWT=jwt.bench.test
read -r -a CASES <<<"${AEGIS_BENCH_CASES:-upstream bare nginx key jwt}"
readonly CASES

log() { printf 'gateway.sh: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}

if ! [[ "$ROUNDS" =~ ^[0-9]+$ ]] || ((ROUNDS < 2)); then
	die "AEGIS_BENCH_ROUNDS must be a number of at least 2, not $ROUNDS"
fi
[[ "$DURATION" =~ ^[0-9]+[smh]?$ ]] || die "AEGIS_BENCH_DURATION must be a duration such as 15s, not $DURATION"
for c in "${CASES[@]}"; do
	[[ " upstream bare nginx key jwt " == *" $c "* ]] || die "AEGIS_BENCH_CASES: no case $c (upstream, bare, nginx, key, jwt)"
done
[[ " ${CASES[*]} " == *" bare "* && " ${CASES[*]} " == *" nginx "* ]] || die "AEGIS_BENCH_CASES must hold bare and nginx"
GOPROCS=() # the Go proxies' environment
if [[ -n "${AEGIS_BENCH_GOMAXPROCS:-}" ]]; then
	[[ "$AEGIS_BENCH_GOMAXPROCS" =~ ^[1-9][0-9]*$ ]] || die "AEGIS_BENCH_GOMAXPROCS must be a positive number"
	GOPROCS=("GOMAXPROCS=$AEGIS_BENCH_GOMAXPROCS")
fi
readonly GOPROCS

is_root() { [[ $(id -u) -eq 0 ]]; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

seconds() {
	local d="$1"
	case "$d" in
	*h) echo $((${d%h} * 3600)) ;;
	*m) echo $((${d%m} * 60)) ;;
	*s) echo "${d%s}" ;;
	*) echo "$d" ;;
	esac
}

# ---- state, and the cleanup that undoes it ----------------------------------------------------

WORK=""
PIDS=()        # processes started here, in start order
declare -A CASE_PID # the process answering each case: the proxy measured, or the upstream alone
PGURL=""       # the local PostgreSQL, as postgres.sh prints it
DBNAME=""      # the throwaway database, once created
PSQL=""
MAILPIT_PID="" # Mailpit's process id, when this script started it
WRK_PID=""     # the wrk run in progress

cleanup() {
	local status=$? pid i
	set +e
	trap - EXIT INT TERM
	if [[ -n "$WRK_PID" ]]; then
		kill -TERM "$WRK_PID" 2>/dev/null
		wait "$WRK_PID" 2>/dev/null
	fi
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		kill -TERM "${PIDS[i]}" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		for _ in $(seq 200); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "process $pid did not stop in 20 s; killing it"
			kill -KILL "$pid" 2>/dev/null
		fi
		wait "$pid" 2>/dev/null
	done
	if [[ -n "$DBNAME" ]]; then
		PGCONNECT_TIMEOUT=10 "$PSQL" -X -q -v ON_ERROR_STOP=1 "$PGURL" \
			-c "DROP DATABASE IF EXISTS \"$DBNAME\" WITH (FORCE)" >/dev/null ||
			log "could not drop the database $DBNAME"
	fi
	if [[ -n "$MAILPIT_PID" ]]; then
		kill -TERM "$MAILPIT_PID" 2>/dev/null
	fi
	if [[ -n "$WORK" ]]; then
		rm -rf "$WORK"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

WORK="$(mktemp -d "${TMPDIR:-/tmp}/aegis-bench-gateway.XXXXXX")"
chmod 755 "$WORK" # nginx's workers may run as another user

# ---- 1. what the benchmark needs ---------------------------------------------------------------

install_missing() {
	local missing=() sudo=()
	command -v wrk >/dev/null 2>&1 || missing+=(wrk)
	command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
	command -v jq >/dev/null 2>&1 || missing+=(jq)
	command -v curl >/dev/null 2>&1 || missing+=(curl)
	command -v openssl >/dev/null 2>&1 || missing+=(openssl)
	command -v pgrep >/dev/null 2>&1 || missing+=(procps)
	((${#missing[@]} > 0)) || return 0
	if ! is_root; then
		command -v sudo >/dev/null 2>&1 || die "${missing[*]} missing, and installing them needs root or sudo"
		sudo=(sudo)
		[[ -t 0 ]] || sudo=(sudo -n)
	fi
	log "installing ${missing[*]} from Debian's packages"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
}

install_missing
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
readonly NGINX

log "building bin/aegis and the bare proxy"
make -C "$REPO_ROOT" --no-print-directory build >&2
(cd "$REPO_ROOT/gateway" && go build -trimpath -o "$WORK/bareproxy" ./internal/bareproxy)

PGURL="$("$REPO_ROOT/deploy/local/postgres.sh" ensure)"
for candidate in /usr/lib/postgresql/*/bin/psql; do
	[[ -x "$candidate" ]] && PSQL="$candidate"
done
[[ -n "$PSQL" ]] || PSQL="$(command -v psql)" || die "psql not found"
name="aegis_bench_$(date +%s)_$RANDOM"
PGCONNECT_TIMEOUT=10 "$PSQL" -X -q -v ON_ERROR_STOP=1 "$PGURL" -c "CREATE DATABASE \"$name\"" >/dev/null
DBNAME="$name"
base="${PGURL%%\?*}"
DBURL="${base%/*}/$DBNAME${PGURL#"$base"}"
log "throwaway database $DBNAME"

if listening 1025; then
	log "Mailpit: already running"
else
	make -C "$REPO_ROOT" --no-print-directory mailpit >&2
	MAILPIT_PID="$(cat "${AEGIS_DATA_DIR:-$REPO_ROOT/.data}/mailpit.pid")"
fi
listening 8025 || die "nothing answers on 127.0.0.1:8025, Mailpit's API"

# ---- 2. the servers ------------------------------------------------------------------------------

USED_PORTS=" "
# port NAME sets NAME to a free port on 127.0.0.1, below the ephemeral range.
port() {
	local p
	for _ in $(seq 500); do
		p=$((20000 + RANDOM % 10000))
		[[ "$USED_PORTS" == *" $p "* ]] && continue
		listening "$p" && continue
		USED_PORTS+="$p "
		printf -v "$1" '%s' "$p"
		return 0
	done
	die "no free port found"
}

# start LOG COMMAND... runs a command in the background, its output in LOG.
start() {
	local out="$1"
	shift
	"$@" >"$out" 2>&1 </dev/null &
	PIDS+=("$!")
}

# wait_for NAME LOG URL [CURL ARGS...] waits up to 60 s for URL to answer 200.
wait_for() {
	local name="$1" out="$2" url="$3" pid="${PIDS[-1]}"
	shift 3
	for _ in $(seq 600); do
		if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$@" "$url")" == 200 ]]; then
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -n 30 "$out" >&2
			die "$name exited"
		fi
		sleep 0.1
	done
	tail -n 30 "$out" >&2
	die "$name does not answer 200 at $url"
}

# nginx_conf DIR WORKERS LISTEN UPSTREAM LOCATION writes DIR/nginx.conf from the template.
nginx_conf() {
	mkdir -p "$1"
	sed -e "s|@DIR@|$1|g" -e "s|@WORKERS@|$2|g" -e "s|@LISTEN@|$3|g" \
		-e "s|@UPSTREAM@|$4|g" -e "s|@LOCATION@|$5|g" \
		"$SCRIPT_DIR/nginx.conf.template" >"$1/nginx.conf"
}

port UPSTREAM_PORT
port BARE_PORT
port NGINX_PORT
port NATS_PORT
port ADMIN_PORT
port GATEWAY_PORT
readonly UPSTREAM="127.0.0.1:$UPSTREAM_PORT"
readonly ADMIN="http://127.0.0.1:$ADMIN_PORT"

nginx_conf "$WORK/upstream" auto "$UPSTREAM" "$UPSTREAM" 'return 200 "ok";'
start "$WORK/upstream/out.log" "$NGINX" -p "$WORK/upstream/" -c "$WORK/upstream/nginx.conf" -e "$WORK/upstream/error.log"
CASE_PID[upstream]="${PIDS[-1]}"
wait_for "the upstream (nginx)" "$WORK/upstream/error.log" "http://$UPSTREAM/"

start "$WORK/bareproxy.log" env "${GOPROCS[@]}" "$WORK/bareproxy" -listen "127.0.0.1:$BARE_PORT" -upstream "$UPSTREAM"
CASE_PID[bare]="${PIDS[-1]}"
wait_for "the bare proxy" "$WORK/bareproxy.log" "http://127.0.0.1:$BARE_PORT/"

nginx_conf "$WORK/nginx" 1 "127.0.0.1:$NGINX_PORT" "$UPSTREAM" \
	'proxy_pass http://bench_upstream; proxy_http_version 1.1; proxy_set_header Connection "";'
start "$WORK/nginx/out.log" "$NGINX" -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log"
CASE_PID[nginx]="${PIDS[-1]}"
wait_for "the nginx proxy" "$WORK/nginx/error.log" "http://127.0.0.1:$NGINX_PORT/"

# The platform (embedded NATS, projector, admin API) in one process, and the gateway node in a
# process of its own on that NATS server, as a gateway is deployed: the node measured shares its
# Go runtime with nothing else.
mkdir -p "$WORK/aegis"
AEGIS_ENV=(
	AEGIS_DATA_DIR="$WORK/aegis"
	DATABASE_URL="$DBURL"
	AEGIS_PUBLIC_URL="$ADMIN"
	AEGIS_SHUTDOWN_TIMEOUT=5s
	SMTP_URL=smtp://127.0.0.1:1025
)
start "$WORK/aegis.log" env "${AEGIS_ENV[@]}" \
	AEGIS_ROLES=projector,admin \
	AEGIS_NATS_ADDR="127.0.0.1:$NATS_PORT" \
	AEGIS_ADMIN_ADDR="127.0.0.1:$ADMIN_PORT" \
	"$REPO_ROOT/bin/aegis" server
wait_for "aegis server (admin API)" "$WORK/aegis.log" "$ADMIN/health"
start "$WORK/gateway.log" env "${AEGIS_ENV[@]}" \
	AEGIS_ROLES=gateway \
	NATS_URL="nats://127.0.0.1:$NATS_PORT" \
	AEGIS_GATEWAY_ADDR="127.0.0.1:$GATEWAY_PORT" \
	AEGIS_NODE_ID=bench \
	"${GOPROCS[@]}" \
	"$REPO_ROOT/bin/aegis" server
CASE_PID[key]="${PIDS[-1]}"
CASE_PID[jwt]="${PIDS[-1]}"
wait_for "aegis server (gateway)" "$WORK/gateway.log" "http://127.0.0.1:$GATEWAY_PORT/_aegis/ready"
log "servers up: upstream $UPSTREAM, bare proxy :$BARE_PORT, nginx :$NGINX_PORT, aegis admin :$ADMIN_PORT, gateway :$GATEWAY_PORT"

# ---- the customer, its apps, a key and a token -----------------------------------------------------

JAR="$WORK/cookies.txt"
CSRF=""
REV=0
ANSWER=""
# api METHOD PATH [BODY] sends a request to the admin API as the logged-in owner, after the last
# revision seen; it fails unless the answer is a 2xx, and leaves the answer in ANSWER and its
# revision, if it has one, in REV.
api() {
	local method="$1" path="$2" body="${3:-}" status rev
	ANSWER="$(curl -sS --max-time 30 -X "$method" -b "$JAR" -c "$JAR" \
		-H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" -H "Aegis-Min-Revision: $REV" \
		${body:+-d "$body"} -w '\n%{http_code}' "$ADMIN$path")"
	status="${ANSWER##*$'\n'}"
	ANSWER="${ANSWER%$'\n'*}"
	[[ "$status" == 2* ]] || die "$method $path: $status $ANSWER"
	rev="$(jq -r '.revision // empty' <<<"$ANSWER")"
	[[ -z "$rev" ]] || REV="$rev"
}

EMAIL="owner-$(date +%s)-$RANDOM@bench.example"
readonly EMAIL
readonly PASSWORD="correct horse battery staple"
api POST /api/v1/register "$(jq -nc --arg e "$EMAIL" --arg p "$PASSWORD" '{company_name:"Bench",email:$e,password:$p}')"

token=""
for _ in $(seq 300); do
	id="$(curl -s --max-time 5 'http://127.0.0.1:8025/api/v1/messages?limit=200' |
		jq -r --arg e "$EMAIL" 'first(.messages[]? | select(any(.To[]?; .Address == $e)) | .ID) // empty')"
	if [[ -n "$id" ]]; then
		token="$(curl -s --max-time 5 "http://127.0.0.1:8025/api/v1/message/$id" |
			jq -r '.Text' | grep -o 'token=[A-Za-z0-9_.-]*' | head -n 1 | cut -d= -f2)"
		[[ -n "$token" ]] && break
	fi
	sleep 0.1
done
[[ -n "$token" ]] || die "no verification email for $EMAIL in Mailpit after 30 s"
api POST /api/v1/verify "$(jq -nc --arg t "$token" '{token:$t}')"
api POST /api/v1/auth/login "$(jq -nc --arg e "$EMAIL" --arg p "$PASSWORD" '{email:$e,password:$p}')"
CSRF="$(jq -r .csrf_token <<<"$ANSWER")"

app_body() {
	jq -nc --arg slug "$1" --arg host "$2" --arg up "http://$UPSTREAM" \
		'{name:("Bench " + $slug), slug:$slug, hostnames:[$host], upstreams:[{url:$up}]}'
}
api POST /api/v1/apps "$(app_body bench "$HOST_KEY")"
app="$(jq -r .app_id <<<"$ANSWER")"
api POST "/api/v1/apps/$app/api-keys?wait=propagated" '{"environment":"production","name":"bench","tenant_id":"bench-tenant"}'
KEY="$(jq -r .key <<<"$ANSWER")"

JWT_SECRET="$(openssl rand -hex 24)"
readonly JWT_SECRET
api POST '/api/v1/apps?wait=propagated' "$(app_body bench-jwt "$HOST_JWT" |
	jq -c --arg s "$JWT_SECRET" '. + {auth_mode:"jwt", jwt:{algorithms:["HS256"], hs256_secret:$s}}')"

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now="$(date +%s)"
jwt_head="$(printf '%s' '{"alg":"HS256","typ":"JWT"}' | b64url)"
jwt_claims="$(printf '{"sub":"bench-user","tenant_id":"bench-tenant","iat":%d,"exp":%d}' "$now" $((now + 86400)) | b64url)"
jwt_sig="$(printf '%s' "$jwt_head.$jwt_claims" | openssl dgst -sha256 -mac HMAC -macopt "key:$JWT_SECRET" -binary | b64url)"
readonly JWT="$jwt_head.$jwt_claims.$jwt_sig"

# ---- 3. the runs -------------------------------------------------------------------------------------

# target CASE sets URL and HEADERS (wrk's and curl's -H arguments) for a case. The cases without
# auth get the same headers as the API key case; they pass them on or ignore them.
target() {
	HEADERS=(-H "Host: $HOST_KEY" -H "X-API-Key: $KEY")
	case "$1" in
	upstream) URL="http://$UPSTREAM/" ;;
	bare) URL="http://127.0.0.1:$BARE_PORT/" ;;
	nginx) URL="http://127.0.0.1:$NGINX_PORT/" ;;
	key) URL="http://127.0.0.1:$GATEWAY_PORT/" ;;
	jwt)
		URL="http://127.0.0.1:$GATEWAY_PORT/"
		HEADERS=(-H "Host: $HOST_JWT" -H "Authorization: Bearer $JWT")
		;;
	esac
}

label() {
	case "$1" in
	upstream) echo 'upstream alone (nginx, return 200)' ;;
	bare) echo 'bare fasthttp proxy' ;;
	nginx) echo 'nginx proxy_pass, 1 worker' ;;
	key) echo 'Aegis, API key' ;;
	jwt) echo 'Aegis, JWT (HS256)' ;;
	esac
}

for c in "${CASES[@]}"; do
	target "$c"
	body="$(curl -s --max-time 5 "${HEADERS[@]}" "$URL")" || true
	[[ "$body" == ok ]] || die "$(label "$c"): $URL answered $body, not ok"
done

# to_ms converts one of wrk's latencies (12.3us, 1.2ms, 1.1s, 1.0m) to milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		if (v ~ /us$/) { sub(/us$/, "", v); printf "%.4f", v / 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.4f", v }
		else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.4f", v * 1000 }
		else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.4f", v * 60000 }
		else { exit 1 }
	}'
}

# run CASE DURATION OUT runs wrk against a case, its output in OUT. wrk runs in the background,
# so that an interrupt stops the script at once rather than at the end of the run.
run() {
	target "$1"
	timeout $(($(seconds "$2") + 30)) \
		wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency "${HEADERS[@]}" "$URL" >"$3" 2>&1 </dev/null &
	WRK_PID="$!"
	wait "$WRK_PID" || die "wrk failed against $(label "$1"): $(cat "$3")"
	WRK_PID=""
	if grep -q 'Non-2xx' "$3"; then
		die "$(label "$1") answered other than 2xx: $(cat "$3")"
	fi
}

readonly CLK_TCK="$(getconf CLK_TCK)"
# cpu_ticks CASE prints the CPU time (user and system, in clock ticks) used so far by the process
# answering a case and its children (nginx's workers): fields 14 and 15 of /proc/PID/stat, counted
# after the command name, which may hold spaces.
cpu_ticks() {
	local pid total=0 stat
	for pid in "${CASE_PID[$1]}" $(pgrep -P "${CASE_PID[$1]}" || true); do
		stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
		stat="${stat##*) }"
		total=$((total + $(awk '{print $12 + $13}' <<<"$stat")))
	done
	echo "$total"
}

log "warm-up: $WARMUP against each case"
for c in "${CASES[@]}"; do
	run "$c" "$WARMUP" "$WORK/warmup.txt"
done

RESULTS="$WORK/results.txt"
: >"$RESULTS"
n=${#CASES[@]}
for ((r = 1; r <= ROUNDS; r++)); do
	for ((i = 0; i < n; i++)); do
		c="${CASES[(i + r - 1) % n]}"
		out="$WORK/wrk-$r-$c.txt"
		log "round $r of $ROUNDS: $(label "$c"), $DURATION"
		before="$(cpu_ticks "$c")"
		run "$c" "$DURATION" "$out"
		after="$(cpu_ticks "$c")"
		rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
		requests="$(awk '/ requests in / {print $1}' "$out")"
		cpu="$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')"
		p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
		p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
		errors="$(grep -o 'Socket errors:.*' "$out" || true)"
		[[ -n "$rps" && -n "$p50" && -n "$p99" ]] || die "cannot read wrk's output: $(cat "$out")"
		[[ -z "$errors" ]] || log "  $errors"
		log "  $rps req/s, p50 $p50 ms, p99 $p99 ms, $cpu µs of CPU a request"
		printf '%s %s %s %s %s %s\n' "$r" "$c" "$rps" "$p50" "$p99" "$cpu" >>"$RESULTS"
		sleep 1
	done
done

# ---- the table ------------------------------------------------------------------------------------

cores="$(nproc)"
printf '\n%s cores (shared by wrk, the upstream and the proxy), wrk -t%s -c%s -d%s --latency, %s rounds, Go proxies with GOMAXPROCS=%s\n' \
	"$cores" "$THREADS" "$CONNECTIONS" "$DURATION" "$ROUNDS" "${AEGIS_BENCH_GOMAXPROCS:-$cores}"
printf '%s; %s; %s\n\n' "$(go version | cut -d' ' -f3)" "$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')" \
	"$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"

labels=""
for c in "${CASES[@]}"; do
	labels+="$c=$(label "$c");"
done
awk -v rounds="$ROUNDS" -v labels="$labels" -v order="${CASES[*]}" '
	function f0(x,   s) {
		s = sprintf("%.0f", x)
		while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
		return s
	}
	function ms(x) { return x < 1 ? sprintf("%.3f ms", x) : sprintf("%.2f ms", x) }
	function d(x) { return sprintf("%+.2f ms", x) }
	function floor(y) { return y == int(y) || y > 0 ? int(y) : int(y) - 1 }
	# down3 and up3 round to 3 decimals towards missing a goal, so that a goal missed by a hair
	# never prints as the threshold itself.
	function down3(x) { return sprintf("%.3f", floor(x * 1000) / 1000) }
	function up3(x) { return sprintf("%+.3f", -floor(-x * 1000) / 1000) }
	# median of the rounds values of metric m for case c (v[m, c, 1..rounds]).
	function median(m, c,   a, i, j, t) {
		for (i = 1; i <= rounds; i++) a[i] = v[m, c, i]
		for (i = 2; i <= rounds; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return rounds % 2 ? a[(rounds + 1) / 2] : (a[rounds / 2] + a[rounds / 2 + 1]) / 2
	}
	BEGIN {
		n = split(labels, parts, ";")
		for (i = 1; i <= n; i++) if (parts[i] != "") { split(parts[i], kv, "="); name[kv[1]] = kv[2] }
		ncases = split(order, cases, " ")
	}
	{ rps[$1, $2] = $3; p50[$1, $2] = $4; p99[$1, $2] = $5; cpu[$1, $2] = $6 }
	END {
		print "| round | case | req/s | p50 | p99 | req/s ÷ bare proxy | req/s ÷ nginx | p99 − bare proxy p99 | CPU a request |"
		print "|---|---|---|---|---|---|---|---|---|"
		for (r = 1; r <= rounds; r++) for (i = 1; i <= ncases; i++) {
			c = cases[i]
			xb = rps[r, c] / rps[r, "bare"]; xn = rps[r, c] / rps[r, "nginx"]; dp = p99[r, c] - p99[r, "bare"]
			v["rps", c, r] = rps[r, c]; v["p50", c, r] = p50[r, c]; v["p99", c, r] = p99[r, c]
			v["xb", c, r] = xb; v["xn", c, r] = xn; v["dp", c, r] = dp; v["cpu", c, r] = cpu[r, c]
			printf "| %d | %s | %s | %s | %s | %.2f | %.2f | %s | %.2f µs |\n", r, name[c], f0(rps[r, c]), ms(p50[r, c]), ms(p99[r, c]), xb, xn, d(dp), cpu[r, c]
			if (c == "key") {
				okb += (xb >= 0.9); okp += (dp <= 0.5); okn += (xn >= 1.0)
			}
		}
		print ""
		print "Medians of the rounds (each ratio and difference is the median of the rounds'"'"' own):"
		print ""
		print "| case | req/s | p50 | p99 | req/s ÷ bare proxy | req/s ÷ nginx | p99 − bare proxy p99 | CPU a request |"
		print "|---|---|---|---|---|---|---|---|"
		for (i = 1; i <= ncases; i++) {
			c = cases[i]
			printf "| %s | %s | %s | %s | %.2f | %.2f | %s | %.2f µs |\n", name[c], f0(median("rps", c)), ms(median("p50", c)), ms(median("p99", c)), median("xb", c), median("xn", c), d(median("dp", c)), median("cpu", c)
		}
		if (!(("rps", "key", 1) in v)) exit
		xb = median("xb", "key"); dp = median("dp", "key"); xn = median("xn", "key")
		print ""
		print "Goals for Aegis with API key auth (medians):"
		printf "  throughput >= 0.9x the bare fasthttp proxy: %sx, %s (met in %d of %d rounds)\n", down3(xb), (xb >= 0.9 ? "met" : "NOT met"), okb, rounds
		printf "  p99 within +0.5 ms of the bare fasthttp proxy: %s ms, %s (met in %d of %d rounds)\n", up3(dp), (dp <= 0.5 ? "met" : "NOT met"), okp, rounds
		printf "  throughput >= 1.0x nginx with one worker: %sx, %s (met in %d of %d rounds)\n", down3(xn), (xn >= 1.0 ? "met" : "NOT met"), okn, rounds
	}
' "$RESULTS"

#!/usr/bin/env bash
# Runs the websockex benchmarks against raw Reactor Netty and the peer clients, and prints,
# per scenario and metric, the median of each driver over the rounds, its ratio to raw,
# the leader and websockex's rank. See docs/benchmarks.md. Every driver run is a fresh JVM
# with the same flags; within a round the drivers run in DRIVERS order rotated by the
# round (round 1 starts at the first driver, round 2 at the second, ...), so that no
# driver always runs first. A driver that does not run a scenario (the peers have no
# reconnect) is skipped.
#
# Environment (defaults are the issue's sizes):
#   ROUNDS=5  SCENARIOS="inbound inbound-app inbound-json rpc-1 rpc-64 idle-mem reconnect"
#   DRIVERS="raw websockex okhttp vertx webflux java-websocket"
#   FRAMES=2000000  RPC_WARMUP=30000  RPC_REQUESTS=100000  CONNECTIONS=1000  DROPS=50
#   RETRY_DELAY_MS=100  JVM_FLAGS="-Xms1g -Xmx1g"  SERVER_FLAGS="-Xms1g -Xmx1g"
#   SKIP_BUILD=1 to reuse the last build; DRIVER_EXTRA="..." extra JVM flags for drivers
#   (e.g. JFR), OUT=dir for the results (default benchmarks/target/results-<time>).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${ROUNDS:-5}"
SCENARIOS="${SCENARIOS:-inbound inbound-app inbound-json rpc-1 rpc-64 idle-mem reconnect}"
DRIVERS="${DRIVERS:-raw websockex okhttp vertx webflux java-websocket}"
FRAMES="${FRAMES:-2000000}"
RPC_WARMUP="${RPC_WARMUP:-30000}"
RPC_REQUESTS="${RPC_REQUESTS:-100000}"
CONNECTIONS="${CONNECTIONS:-1000}"
DROPS="${DROPS:-50}"
RETRY_DELAY_MS="${RETRY_DELAY_MS:-100}"
JVM_FLAGS="${JVM_FLAGS:--Xms1g -Xmx1g}"
SERVER_FLAGS="${SERVER_FLAGS:--Xms1g -Xmx1g}"
DRIVER_EXTRA="${DRIVER_EXTRA:-}"
OUT="${OUT:-$ROOT/benchmarks/target/results-$(date +%Y%m%d-%H%M%S)}"

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
	(cd "$ROOT" && ./mvnw -B -q -Pbench -DskipTests package)
fi
CP="$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*"
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
: > "$RESULTS"

SERVER_PID=""
stop_server() {
	if [[ -n "$SERVER_PID" ]]; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
		SERVER_PID=""
	fi
}
trap stop_server EXIT

start_server() { # mode -> sets PORT
	local log="$OUT/server-$1.log"
	# shellcheck disable=SC2086
	java $SERVER_FLAGS -cp "$CP" io.websockex.adapter.bench.LoadServer --mode "$1" --port 0 > "$log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 300); do
		PORT="$(awk '/^LISTENING/ {print $2}' "$log")"
		[[ -n "$PORT" ]] && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log"; echo "load server died" >&2; exit 1; }
		sleep 0.1
	done
	echo "load server did not start within 30s" >&2
	exit 1
}

driver() { # scenario driver label args... ; appends RESULT lines
	local scenario="$1" which="$2" label="$3"
	shift 3
	local log="$OUT/$label-$which-$(date +%H%M%S%N).log" status=0
	# shellcheck disable=SC2086
	java $JVM_FLAGS $DRIVER_EXTRA -cp "$CP" io.websockex.adapter.bench.Driver "$scenario" "$which" \
		--label "$label" --url "ws://127.0.0.1:$PORT/" "$@" > "$log" 2>&1 || status=$?
	if (( status == 3 )); then # Driver.UNSUPPORTED
		echo "  skipped: $(grep -m1 '^SKIPPED' "$log" || echo "$which does not run $scenario")"
		return 0
	fi
	if (( status != 0 )); then
		echo "  $label $which FAILED (see $log):" >&2
		grep -v '^SLF4J' "$log" | tail -5 >&2
		return 0
	fi
	grep '^RESULT' "$log" | tee -a "$RESULTS" | sed 's/^/  /'
}

scenario_of() {
	case "$1" in
		inbound | inbound-app | inbound-json) echo "$1 blast --frames $FRAMES" ;;
		rpc-*) echo "rpc echo-rpc --in-flight ${1#rpc-} --warmup $RPC_WARMUP --requests $RPC_REQUESTS" ;;
		idle-mem) echo "idle-mem idle --connections $CONNECTIONS" ;;
		reconnect) echo "reconnect idle --drops $DROPS --retry-delay-ms $RETRY_DELAY_MS" ;;
		*) echo "unknown scenario $1" >&2; exit 1 ;;
	esac
}

warmup_args() { # a short run that warms the load server's JIT; its figures are dropped
	case "$1" in
		inbound | inbound-app | inbound-json) echo "--frames $((FRAMES / 10 > 1000 ? FRAMES / 10 : 1000))" ;;
		rpc-*) echo "--in-flight ${1#rpc-} --warmup 0 --requests $((RPC_REQUESTS / 10 > 1000 ? RPC_REQUESTS / 10 : 1000))" ;;
		*) echo "" ;;
	esac
}

{
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "jvm: $(java -version 2>&1 | sed -n 2p)"
	echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GB, $(uname -sr)"
	echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "flags: drivers $JVM_FLAGS $DRIVER_EXTRA; server $SERVER_FLAGS; rounds $ROUNDS"
	echo "drivers: $DRIVERS"
} | tee "$OUT/environment.txt"

for label in $SCENARIOS; do
	read -r scenario mode args <<< "$(scenario_of "$label")"
	echo "== $label (server: $mode)"
	start_server "$mode"
	warm="$(warmup_args "$label")"
	if [[ -n "$warm" ]]; then
		# shellcheck disable=SC2086
		java $JVM_FLAGS -cp "$CP" io.websockex.adapter.bench.Driver "$scenario" raw --label warmup \
			--url "ws://127.0.0.1:$PORT/" $warm > "$OUT/$label-server-warmup.log" 2>&1 || true
	fi
	read -r -a drivers <<< "$DRIVERS"
	for round in $(seq 1 "$ROUNDS"); do
		start=$(( (round - 1) % ${#drivers[@]} ))
		order=("${drivers[@]:start}" "${drivers[@]:0:start}")
		for which in "${order[@]}"; do
			echo " round $round: $which"
			# shellcheck disable=SC2086
			driver "$scenario" "$which" "$label" $args
		done
	done
	stop_server
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/environment.txt"
echo
java -cp "$CP" io.websockex.adapter.bench.Report "$RESULTS" | tee "$OUT/table.md"
echo
echo "results: $OUT"

#!/bin/bash
# MailFerry on the IMAP benchmark (shared/bench), beside mbsync, in one run.
#
#   benchmarks/run.sh [--count N] [--reps N] [--parallel-reps N] [--skip-parallel] [--jvm "OPTS"]
#
# Needs root and the harness's packages (shared/bench/setup.sh), and the two jars:
#   mvn -q -am -pl cli,benchmarks package -DskipTests
# Each repetition is one run of the harness (run-all.sh --reps 1) with three peers in turn:
#   mbsync          the reference, the harness's built-in peer
#   mailferry-cli   java -jar cli/target/mailferry.jar bench-copy   (the CLI, JVM start included)
#   mailferry-api   java -jar benchmarks/target/mailferry-benchmarks.jar   (the library API; also
#                   records its in-process time, see ApiCopy)
# then (unless --skip-parallel) the parallel test through the API: one mailbox src1 -> dst1, then
# four at once srcK -> dstK, plus ten warm no-op passes in one JVM. benchmarks/report.py prints the
# table (Markdown) to stdout and to $BENCH_DIR/results/MAILFERRY.md.
#
# Environment: BENCH_DIR, BENCH_PORT as for the harness (defaults: <tmp>/mailferry-bench, 10143);
# BENCH_HOME: the harness (default: ../shared/bench next to this checkout).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BENCH_HOME=${BENCH_HOME:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd -P || true)}
[[ -n "$BENCH_HOME" && -x "$BENCH_HOME/run-all.sh" ]] || { echo "run.sh: no harness; set BENCH_HOME" >&2; exit 1; }
export BENCH_DIR=${BENCH_DIR:-"$(dirname "$(mktemp -u)")/mailferry-bench"}
export BENCH_PORT=${BENCH_PORT:-10143}

COUNT=5000 REPS=3 PREPS=3 PARALLEL=1
# C1 only and the serial collector: an I/O-bound run of seconds gains nothing from C2 and its
# compiler threads compete with the server for the CPUs; half the RSS.
JVM="-Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
while (($#)); do
  case "$1" in
    --count) COUNT=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --parallel-reps) PREPS=$2; shift 2 ;;
    --skip-parallel) PARALLEL=0; shift ;;
    --jvm) JVM=$2; shift 2 ;;
    *) echo "usage: $0 [--count N] [--reps N] [--parallel-reps N] [--skip-parallel] [--jvm OPTS]" >&2; exit 2 ;;
  esac
done

CLI_JAR=$ROOT/cli/target/mailferry.jar
API_JAR=$ROOT/benchmarks/target/mailferry-benchmarks.jar
[[ -f "$CLI_JAR" && -f "$API_JAR" ]] || { echo "run.sh: build first: mvn -q -am -pl cli,benchmarks package -DskipTests" >&2; exit 1; }

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$BENCH_DIR/mailferry/$STAMP
mkdir -p "$OUT"
# copies, so that a rebuild during the run changes nothing
cp "$CLI_JAR" "$API_JAR" "$OUT/"
CLI=$OUT/mailferry.jar
API=$OUT/mailferry-benchmarks.jar

# A class-data-sharing archive of the CLI (static AppCDS, -Xshare:dump from a class list): the
# classes a run of `mailferry demo` loads (two embedded IMAP servers, the H2 store, picocli, the
# engine and the IMAP connector: the code paths of bench-copy), so it needs no server and is
# reproducible anywhere. A static archive also holds picocli's classes (class file version 49),
# which JDK 17's dynamic archive (-XX:ArchiveClassesAtExit) leaves out.
CDS=$OUT/mailferry.jsa
(cd "$OUT" && mkdir -p cds-training && cd cds-training \
  && java -XX:DumpLoadedClassList="$OUT/mailferry.classlist" $JVM -jar "$CLI" demo -q >/dev/null 2>&1 \
  && java -Xshare:dump -XX:SharedClassListFile="$OUT/mailferry.classlist" -XX:SharedArchiveFile="$CDS" $JVM \
       -cp "$CLI" >/dev/null 2>&1 || rm -f "$CDS")
CDS_OPT=""
[[ -f "$CDS" ]] && CDS_OPT="-XX:SharedArchiveFile=$CDS"
API_CDS=$OUT/mailferry-benchmarks.jsa
(cd "$OUT" && IMAP_PORT=1 STATE_DIR="$OUT/cds-training-api" SRC_LOGIN=x SRC_LOGIN_PASS=x DST_LOGIN=y DST_LOGIN_PASS=y \
  java -XX:ArchiveClassesAtExit="$API_CDS" -Dmailferry.retryDelaysMs=0 $JVM -jar "$API" --timings /dev/null \
  >/dev/null 2>&1 || true)
API_CDS_OPT=""
[[ -f "$API_CDS" ]] && API_CDS_OPT="-XX:SharedArchiveFile=$API_CDS"
echo "run.sh: CDS archives: ${CDS_OPT:-none} ${API_CDS_OPT:-none}"

TIMINGS=$OUT/timings.jsonl
for ((r = 1; r <= REPS; r++)); do
  echo "=== repetition $r of $REPS"
  "$BENCH_HOME/run-all.sh" --count "$COUNT" --reps 1 --skip-floor --peers mbsync --tag "mf$r" \
    --peer "mailferry-cli=java $JVM $CDS_OPT -jar $CLI bench-copy" \
    --peer "mailferry-api=java $JVM $API_CDS_OPT -jar $API --tag api --timings $TIMINGS" | tee "$OUT/run-all-$r.log" | tail -1
  cp "$BENCH_DIR/results/summary.json" "$OUT/summary-$r.json"
done

if ((PARALLEL)); then
  # The harness's server, users and source snapshot; the same steps its driver takes (restore the
  # source from the snapshot, wipe targets once no session is left).
  MAIL=$BENCH_DIR/mail
  SNAP=$BENCH_DIR/snap/src1
  settle() {
    for _ in $(seq 1 300); do
      pgrep -x -P "$(cat "$BENCH_DIR/dovecot/dovecot.pid")" imap >/dev/null || break
      sleep 0.05
    done
    sync
  }
  prepare() {
    settle
    for k in 1 2 3 4; do
      rm -rf "$MAIL/src$k" "$MAIL/dst$k"
      cp -a "$SNAP" "$MAIL/src$k"
    done
    rm -rf "$OUT"/p1-state "$OUT"/p4-state
    settle
  }
  for ((r = 1; r <= PREPS; r++)); do
    echo "=== parallel repetition $r of $PREPS"
    prepare
    (cd "$OUT" && STATE_DIR=$OUT/p1-state IMAP_HOST=127.0.0.1 IMAP_PORT=$BENCH_PORT \
      java $JVM $API_CDS_OPT -jar "$API" --pairs src1:dst1 --tag parallel-1 --timings "$TIMINGS" >/dev/null)
    (cd "$OUT" && STATE_DIR=$OUT/p1-state IMAP_HOST=127.0.0.1 IMAP_PORT=$BENCH_PORT \
      java $JVM $API_CDS_OPT -jar "$API" --pairs src1:dst1 --tag warm-noop --warm 10 --timings "$TIMINGS" >/dev/null)
    prepare
    (cd "$OUT" && STATE_DIR=$OUT/p4-state IMAP_HOST=127.0.0.1 IMAP_PORT=$BENCH_PORT \
      java $JVM $API_CDS_OPT -jar "$API" --pairs src1:dst1,src2:dst2,src3:dst3,src4:dst4 --tag parallel-4 \
      --timings "$TIMINGS" >/dev/null)
  done
  settle
  for k in 2 3 4; do rm -rf "$MAIL/src$k"; done
  for k in 1 2 3 4; do rm -rf "$MAIL/dst$k"; done
  rm -rf "$MAIL/src1" && cp -a "$SNAP" "$MAIL/src1"
fi

python3 "$ROOT/benchmarks/report.py" "$OUT" | tee "$BENCH_DIR/results/MAILFERRY.md"
echo "run.sh: results in $OUT"

#!/bin/sh
# JMH benchmark of the ftrace text parser alone (trace-format ParserBenchmark): a mixed trace held in
# memory, parsed on one core. Score = lines per second, for taskRun 1 (the mix as it was) and 2 (each
# task writes two lines in a row, as in real traces; docs/PERFORMANCE.md).
# Short on purpose (the machine is shared): 1 fork, 3 warm-up and 5 measurement iterations of 1 s per
# taskRun. Extra arguments go to JMH (-p taskRun=2 for one of them).
#   scripts/bench-parser.sh --ab DIR [ROUNDS [FILE]]  compares this checkout's parser with the one built in
#                                              the checkout DIR, both in one JVM, alternating rounds timed
#                                              by thread CPU (ParserAB): the ratio holds on a noisy machine;
#                                              with FILE, each round parses that trace file as ingest reads it
set -eu
cd "$(dirname "$0")/.."
mvn -B -q -ntp test-compile -pl trace-format -am
mvn -B -q -ntp dependency:build-classpath -pl trace-format \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
CP="trace-format/target/test-classes:trace-format/target/classes:$(cat trace-format/target/bench.classpath)"
if [ "${1:-}" = "--ab" ]; then
    BASE=$(cd "$2" && pwd)
    (cd "$BASE" && mvn -B -q -ntp compile -pl trace-format -am)
    exec java -cp "$CP" pinreplay.format.bench.ParserAB "$BASE/trace-format/target/classes" \
        trace-format/target/classes "$(cat trace-format/target/bench.classpath)" "${3:-31}" ${4:+"$4"}
fi
exec java -cp "$CP" org.openjdk.jmh.Main ParserBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s "$@"

#!/bin/sh
# Prints the package dependencies of the built jars, one "FROM -> TO" per line (jdeps), to check the
# drawing in docs/architecture.md against the code:  mvn -q package -DskipTests && scripts/package-deps.sh
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
V=0.1.0-SNAPSHOT
JARS="$ROOT/trace-format/target/trace-format-$V.jar $ROOT/replayer/target/replayer-$V.jar
$ROOT/injectors/target/injectors-$V.jar $ROOT/recorder/target/recorder-$V.jar $ROOT/cli/target/cli-$V.jar"
# shellcheck disable=SC2086
jdeps -verbose:package -filter:none -cp "$(echo $JARS | tr ' ' :)" $JARS 2>/dev/null |
    awk '$1 ~ /^pinreplay/ && $2 == "->" && $3 ~ /^pinreplay/ && $1 != $3 { print $1 " -> " $3 }' | sort -u

#!/usr/bin/env bash
# Which upstream stable update carried a commit: greps the kernel changelog Debian ships in its kernel
# packages (each "New upstream stable update" entry lists the commit subjects of ChangeLog-X.Y.Z), for
# the suites of the kernel lab. This is how the model's rules pin a backport to the update that
# carried it (replayer/.../kernel/Rules.java, the rules named *-5.10.y, *-6.1.y, *-6.12.y ...).
#   scripts/stable-updates.sh 'SUBJECT' ...      e.g. 'io_uring/rsrc: disallow multi-source reg buffers'
# Prints SUITE UPDATE SUBJECT per match (UPDATE: the stable update the commit arrived in; a subject in
# no changelog was not backported to the series of that suite, or not under that subject).
# Environment: PINREPLAY_LAB_CACHE (default ~/.cache/pinreplay-lab), PINREPLAY_LAB_MIRROR (default
# http://deb.debian.org/debian), as for scripts/kernel-lab.sh.
# Exit: 0 something matched; 1 nothing did; 2 usage, or a download failed.
set -euo pipefail
[ $# -ge 1 ] && [ "$1" != -h ] && [ "$1" != --help ] || { sed -n '2,12s/^# \{0,1\}//p' "$0" >&2; exit 2; }
CACHE=${PINREPLAY_LAB_CACHE:-$HOME/.cache/pinreplay-lab}
MIRROR=${PINREPLAY_LAB_MIRROR:-http://deb.debian.org/debian}
die() { echo "stable-updates: $*" >&2; exit 2; }

# changelog SUITE: the path of the suite's kernel changelog, fetched once a day
changelog() {
    local c=$CACHE/apt/$1 out=$CACHE/changelog/$1.txt opts pkg dir
    if [ -n "$(find "$out" -mmin -1440 2>/dev/null)" ]; then echo "$out"; return; fi
    mkdir -p "$c/lists/partial" "$c/archives/partial" "$CACHE/changelog"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $1 main" > "$c/sources.list"
    opts="-o Dir::Etc::SourceList=$c/sources.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$c/lists"
    opts="$opts -o Dir::Cache=$c -o Dir::State::status=/dev/null -o APT::Architecture=amd64"
    opts="$opts -o APT::Sandbox::User=root -o Debug::NoLocking=1"
    # shellcheck disable=SC2086
    apt-get $opts -qq update >/dev/null 2>&1 || die "apt-get update of $1 failed (mirror $MIRROR)"
    # The cloud image is the smallest package with the changelog; from 7.x it sits in linux-base-*.
    # shellcheck disable=SC2086
    pkg=$(apt-cache $opts search '^linux-(image|base)-[0-9.]*[-+][^ ]*-cloud-amd64$' 2>/dev/null |
        cut -d' ' -f1 | sort -V | awk '/^linux-base/ {b=$0} /^linux-image/ {i=$0} END {print (b != "" ? b : i)}')
    [ -n "$pkg" ] || die "no cloud kernel package in $1"
    dir=$(mktemp -d)
    # shellcheck disable=SC2086
    (cd "$dir" && apt-get $opts -qq download "$pkg" >/dev/null 2>&1) || die "apt-get download $pkg failed"
    dpkg-deb -x "$dir"/*.deb "$dir/x"
    zcat "$dir"/x/usr/share/doc/*/changelog*.gz > "$out.tmp" && mv "$out.tmp" "$out"
    rm -rf "$dir"
    echo "$out"
}

found=1
for suite in bullseye bookworm trixie sid; do
    log=$(changelog "$suite")
    for subject in "$@"; do
        # the update is the last "ChangeLog-X.Y.Z" address above the subject's line
        if awk -v suite="$suite" -v s="$subject" '
            match($0, /ChangeLog-[0-9.]+/) { update = substr($0, RSTART + 10, RLENGTH - 10) }
            index($0, s) { sub(/^ *[-*+] */, ""); print suite, update, $0; hit = 1 }
            END { exit !hit }' "$log"; then
            found=0
        fi
    done
done
exit $found

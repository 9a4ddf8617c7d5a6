#!/usr/bin/env bash
# Seeds for fuzz_gopclntab into $1: every table layout, raw and inside a
# small Go-like ELF, written by the unit tests' table builder.
set -eu
cd "$(dirname "$0")/../.."
out=$1
gen=build/fuzz/gen_gosym_corpus
mkdir -p "$out" build/fuzz
${CC:-cc} -std=c11 -D_GNU_SOURCE -O1 -Iuser -Itests/unit -o "$gen" tests/fuzz/gen_gosym_corpus.c
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gen" "$out" "$tmp"

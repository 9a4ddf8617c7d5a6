#!/usr/bin/env bash
# Seeds for fuzz_gobuildinfo into $1: blobs of both layouts and a runtime
# version string (the table builder's generator), and the real
# .go.buildinfo of the Go toolchain's own binaries.
set -eu
cd "$(dirname "$0")/../.."
out=$1
gen=build/fuzz/gen_gosym_corpus
mkdir -p "$out" build/fuzz
${CC:-cc} -std=c11 -D_GNU_SOURCE -O1 -Iuser -Itests/unit -o "$gen" tests/fuzz/gen_gosym_corpus.c
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$gen" "$tmp" "$out"
if command -v go >/dev/null && command -v objcopy >/dev/null; then
	for tool in compile vet; do
		bin=$(go env GOTOOLDIR)/$tool
		if [ -f "$bin" ]; then objcopy -O binary --only-section=.go.buildinfo "$bin" "$out/go-$tool" || true; fi
	done
fi

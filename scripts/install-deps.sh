#!/usr/bin/env bash
# Installs what podflame's build, tests and demo need on Debian 12, and only
# what is missing. Used by `make demo`, `make deps` and .ci/run.
#   scripts/install-deps.sh            build + test + demo dependencies
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian package -> why
packages=(
	make gcc clang llvm pkg-config     # build; llvm-strip for the BPF object
	libbpf-dev libelf-dev zlib1g-dev   # linked from the distribution
	bpftool                            # vmlinux.h and the BPF skeleton
	golang-go                          # Go workloads the tests and demo build
	libxml2-utils                      # xmllint: SVG well-formedness in tests
	chromium                           # real-browser tests of the SVG's JS
	nodejs npm                         # drives chromium (playwright-core)
	linux-perf                         # make bench compares against perf
	util-linux procps psmisc           # setpriv, unshare, ps in tests
	time                               # /usr/bin/time -v: peak memory in make bench
	clang-format shellcheck            # make lint, run by the suite
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm may come from elsewhere (nodesource); don't fight that.
if command -v node >/dev/null && command -v npm >/dev/null; then
	filtered=()
	for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
	missing=("${filtered[@]}")
fi

if [ "${#missing[@]}" -gt 0 ]; then
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	echo "install-deps: installing ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
else
	echo "install-deps: all Debian packages present"
fi

# Browser-test driver and markdown reader, pinned by tests/browser/package-lock.json.
if [ -f tests/browser/package-lock.json ] && { [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/marked ]; }; then
	echo "install-deps: npm ci in tests/browser"
	(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

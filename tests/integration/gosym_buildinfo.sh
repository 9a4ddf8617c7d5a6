#!/usr/bin/env bash
# Build info (Go version, main module, dependencies, build settings) as
# `go version -m` (Go's debug/buildinfo) reads it, on a module-mode build
# with a dependency and quoted -ldflags, stripped and not, on Debian's own
# toolchain binaries, and with .go.buildinfo removed.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/integration/gosym.bash"
require_cmd go node objcopy

# A module with a dependency replaced by a local directory (no network).
MOD=$WORK/mod
mkdir -p "$MOD/app" "$MOD/dep"
cp tests/go/gosymfix/*.go "$MOD/app/"
cat >"$MOD/app/go.mod" <<'EOF'
module example.com/gosymfix

go 1.19

require example.com/dep v0.0.0

replace example.com/dep => ../dep
EOF
cat >"$MOD/dep/go.mod" <<'EOF'
module example.com/dep

go 1.19
EOF
cat >"$MOD/dep/dep.go" <<'EOF'
package dep

// Twice is here so the fixture has a dependency to list.
func Twice(x int) int { return 2 * x }
EOF
cat >"$MOD/app/usedep.go" <<'EOF'
package main

import "example.com/dep"

func init() { sink += dep.Twice(1) }
EOF
build() {
	local out=$1
	shift
	(cd "$MOD/app" && GO111MODULE=on GOFLAGS=-mod=mod CGO_ENABLED=0 go build -buildvcs=false -o "$out" "$@" .) \
		2>"$WORK/build.err"
}
if ! build "$WORK/app" "-ldflags=-X 'main.version=1 2'" || ! build "$WORK/app-stripped" "-ldflags=-s -w"; then
	not_ok "build module fixture" "$(cat "$WORK/build.err")"
	finish
	exit 1
fi

# reference NAME BIN: go version -m, as "path/main_module/dep/build" lines
# with build values unquoted (Go quotes values with spaces).
reference() {
	go version -m "$1" | node -e '
const lines = require("fs").readFileSync(0, "utf8").split("\n");
const out = [];
for (const l of lines.slice(1)) {
	const f = l.replace(/^\t/, "").split("\t");
	if (f[0] === "path") out.push("path\t" + f[1]);
	else if (f[0] === "mod") out.push("main_module\t" + f[1]);
	else if (f[0] === "dep") out.push("dep\t" + f[1] + "\t" + f[2]);
	else if (f[0] === "build") {
		const eq = f[1].indexOf("=");
		let v = f[1].slice(eq + 1);
		if (v.startsWith("\"")) v = JSON.parse(v);
		out.push("build\t" + f[1].slice(0, eq) + "=" + v);
	}
}
console.log(lines[0].split(" ").pop());
console.log(out.join("\n"));'
}
compare() {
	local name=$1 bin=$2
	reference "$bin" >"$WORK/want"
	"$PODFLAME" symbolize --binary "$bin" --info |
		awk -F'\t' '$1 == "go_version" { print $2 } $1 ~ /^(path|main_module|dep|build)$/' >"$WORK/got"
	if [ "$(wc -l <"$WORK/want")" -gt 3 ] && diff "$WORK/want" "$WORK/got" >"$WORK/diff"; then
		ok "$name: version, path, module, $(grep -c '^dep' "$WORK/got") deps, $(grep -c '^build' "$WORK/got") settings as go version -m"
	else
		not_ok "$name: build info" "$(cat "$WORK/diff")"
	fi
}
compare "module build" "$WORK/app"
compare "module build, stripped" "$WORK/app-stripped"
grep -q "^dep	example.com/dep	v0.0.0" "$WORK/got" && grep -q "^build	-ldflags=-s -w$" "$WORK/got"
check "dependency and unquoted -ldflags read" test $? -eq 0
for tool in compile link vet; do
	bin=$(go env GOTOOLDIR)/$tool
	[ -x "$bin" ] && compare "go tool $tool" "$bin"
done

objcopy --remove-section .go.buildinfo "$WORK/app" "$WORK/app-nobi"
got="$(info_field "$WORK/app-nobi" go_version) / $(info_field "$WORK/app-nobi" buildinfo) / $(info_field "$WORK/app-nobi" main_module)"
check "without .go.buildinfo: $got" test "$got" = "$(go env GOVERSION) / runtime version string / "
finish

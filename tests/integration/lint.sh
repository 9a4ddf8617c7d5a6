#!/usr/bin/env bash
# The style the project keeps (make lint): C formatted as .clang-format
# says (kernel style, as libbpf and bpftool), shell scripts clean under
# the shell linter. Run by the suite so a drift fails CI, not a later reformat.
source "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1
if ! command -v clang-format >/dev/null || ! command -v shellcheck >/dev/null; then
	skip "make lint" "clang-format or shellcheck missing (scripts/install-deps.sh installs both)"
	finish
	exit 0
fi
if make -s lint >"$WORK/lint.log" 2>&1; then
	ok "make lint: C formatted per .clang-format, scripts clean under shellcheck"
else
	not_ok "make lint" "$(grep -v '^\(clang-format\|shellcheck\) ' "$WORK/lint.log" | head -30)"
fi
finish

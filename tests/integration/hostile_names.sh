#!/usr/bin/env bash
# Function names are outside input (binaries, folded files from anywhere).
# Markup, attribute-looking text, markdown syntax, CDATA ends and invalid
# UTF-8 in names must reach the SVG, JSON and markdown outputs as text,
# checked by real readers: xmllint for the SVG, node's JSON.parse for JSON,
# a GFM parser (marked) for markdown.
source "$(dirname "$0")/../lib.sh"
require_cmd xmllint node

MARKED=$ROOT/tests/browser/node_modules/marked
if [ ! -d "$MARKED" ]; then
	skip "$TEST_NAME" "tests/browser/node_modules missing (scripts/install-deps.sh runs npm ci)"
	exit 0
fi

# shellcheck disable=SC2016 # literal backticks: the point is that nothing runs them
hostile=(
	'<script>alert(1)</script>'
	'a" onload="alert(2)'
	"b' onmouseover='alert(3)"
	'x]]><svg onload=alert(4)>'
	'<!-- comment -->'
	'<img src=x onerror=alert(5)>'
	'&amp &lt &#60 & <'  # (no ';': it separates frames in folded text)
	'|pipe|in|name|'
	'`backtick` ``code``'
	'[link](javascript:alert(6))'
	'*emph* _under_ **bold**'
	'main.(*T).Method[...]'
)
{
	for i in "${!hostile[@]}"; do
		printf 'app;main.main;%s %d\n' "${hostile[$i]}" $((10 + i))
	done
	printf 'app;main.main;bad\xff\xfeutf8 7\n'
} >"$WORK/base.folded"
# head: every hostile frame grows, so they all appear in diff's tables
awk '{ $NF = $NF * 3; print }' "$WORK/base.folded" >"$WORK/head.folded"
printf 'app;main.main;plain 100\n' >>"$WORK/head.folded"
printf 'app;main.main;plain 100\n' >"$WORK/benign.folded"

# SVG: well-formed, and no element or attribute beyond a benign graph's.
"$PODFLAME" flamegraph "$WORK/base.folded" -o "$WORK/h.svg" 2>"$WORK/fg.err"
check "flamegraph renders hostile names" test $? -eq 0
check "SVG is well-formed (xmllint)" xmllint --noout "$WORK/h.svg"
"$PODFLAME" flamegraph "$WORK/benign.folded" -o "$WORK/b.svg" 2>/dev/null
count() { xmllint --xpath "$2" "$1" 2>/dev/null; }
for q in "count(//*[local-name()='script'])" "count(//@*[starts-with(local-name(),'on')])" \
	"count(//*[local-name()='img'])" "count(//*[local-name()='svg'])" "count(//comment())"; do
	check "SVG: $q as in a benign graph" test "$(count "$WORK/h.svg" "$q")" = "$(count "$WORK/b.svg" "$q")"
done
check "SVG: names are in the text" \
	test "$(count "$WORK/h.svg" "count(//*[local-name()='title'][contains(., '<script>alert(1)</script>')])")" -ge 1
check "SVG: invalid UTF-8 replaced (xmllint accepted it above)" grep -q 'bad' "$WORK/h.svg"

# JSON (report): parses, and the names come back exactly.
"$PODFLAME" report "$WORK/base.folded" --json >"$WORK/r.json" 2>"$WORK/r.err"
check "report --json exits 0" test $? -eq 0
names_file=$WORK/names.txt
printf '%s\n' "${hostile[@]}" >"$names_file"
check "report JSON parses and holds every name exactly" node -e '
	const fs = require("fs");
	const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
	const want = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
	const text = JSON.stringify(r);
	const missing = want.filter((n) => !text.includes(JSON.stringify(n).slice(1, -1)));
	if (missing.length) { console.error("missing:", missing); process.exit(1); }
' "$WORK/r.json" "$names_file"

# diff: JSON parses; markdown renders to tables with no injected markup.
"$PODFLAME" diff "$WORK/base.folded" "$WORK/head.folded" --format json >"$WORK/d.json" 2>/dev/null
check "diff JSON parses" node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$WORK/d.json"
"$PODFLAME" diff "$WORK/base.folded" "$WORK/head.folded" --format markdown >"$WORK/d.md" 2>/dev/null
check "diff markdown lists the hostile names" grep -q 'script' "$WORK/d.md"
check "diff markdown renders safely (marked: no injected element or attribute, rows intact)" \
	node "$ROOT/tests/browser/lib/check-markdown.mjs" "$WORK/d.md"
"$PODFLAME" diff "$WORK/base.folded" "$WORK/head.folded" -o "$WORK/d.svg" >/dev/null 2>&1
check "differential SVG is well-formed" xmllint --noout "$WORK/d.svg"
check "differential SVG: no injected script" \
	test "$(count "$WORK/d.svg" "count(//*[local-name()='script'])")" = "$(count "$WORK/b.svg" "count(//*[local-name()='script'])")"
finish

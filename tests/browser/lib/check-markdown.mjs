// Reads a markdown file with a real GFM parser (marked) and checks that what
// a PR comment would render is safe: no element other than the table/text
// markup podflame writes, no attribute at all, and every table row with as
// many cells as its header. Prints "ok"/reasons; exit 0 when safe.
//   node tests/browser/lib/check-markdown.mjs FILE
import { readFileSync } from 'node:fs';
import { marked } from 'marked';

const allowed = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
	'code', 'strong', 'em', 'ul', 'li', 'br', 'hr', 'pre', 'blockquote',
	// podflame's own: collapsed tables and the footnote
	'details', 'summary', 'sub']);
const html = marked.parse(readFileSync(process.argv[2], 'utf8'), { gfm: true });
const problems = [];
for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
	if (!allowed.has(m[1].toLowerCase())) problems.push(`element <${m[1]}>`);
	// marked writes align="..." on table cells itself; nothing else is ours
	const attrs = m[2].replace(/\salign="(left|right|center)"/g, '').trim();
	if (attrs) problems.push(`attribute on <${m[1]}>: ${attrs}`);
}
for (const table of html.split('<table>').slice(1)) {
	const rows = table.split('</table>')[0].split('<tr>').slice(1);
	const cells = rows.map((r) => (r.match(/<t[hd][ >]/g) || []).length);
	if (cells.some((c) => c !== cells[0])) problems.push(`table rows with ${cells.join(',')} cells`);
}
if (problems.length) {
	console.log(problems.join('\n'));
	process.exit(1);
}
console.log('ok');

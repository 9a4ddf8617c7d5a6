// The interactive flame graph in a real browser: Debian's chromium, headless,
// driven by playwright-core. Opens an SVG made by `podflame flamegraph`,
// zooms by clicking a frame, searches "runtime" with Ctrl-F, checks the
// share shown against the folded input, and resets. Prints TAP lines;
// screenshots go to tests/browser/artifacts/.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'flamegraph';
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const build = process.env.BUILD || 'build';
const podflame = process.env.PODFLAME || join(root, build, 'podflame');
const gen = join(root, build, 'tests/helpers/gen_folded');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const artifacts = join(here, 'artifacts');
let failures = 0;

const ok = (name) => console.log(`ok - ${NAME}: ${name}`);
const notOk = (name, why) => {
	failures++;
	console.log(`not ok - ${NAME}: ${name}`);
	if (why) console.error(`    ${why}`);
};
const check = (name, cond, why) => (cond ? ok(name) : notOk(name, why));
const skip = (why) => {
	console.log(`ok - ${NAME}: browser tests # SKIP ${why}`);
	process.exit(0);
};

async function loadPlaywright() {
	try {
		return await import('playwright-core');
	} catch {
		// node_modules is not in git: install the locked version once.
		const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: here, stdio: 'ignore' });
		if (r.status !== 0) return null;
		try {
			return await import('playwright-core');
		} catch {
			return null;
		}
	}
}

// The share of samples whose stack has a frame matching re, from folded text.
function foldedShare(text, re) {
	let hit = 0, total = 0;
	for (const line of text.split('\n')) {
		const m = line.match(/^(.*\S)\s+(\d+(?:\.\d*)?)$/);
		if (!m || line.startsWith('#')) continue;
		const count = Number(m[2]);
		total += count;
		// titles show names without perf's annotation, as the search sees them
		if (m[1].split(';').some((f) => re.test(f.replace(/_\[[kwij]\]$/, '')))) hit += count;
	}
	return { hit, total };
}

const near = (a, b, tol) => Math.abs(a - b) <= tol;

async function main() {
	if (!existsSync(chromiumPath)) skip(`no ${chromiumPath} (apt-get install chromium)`);
	if (!existsSync(podflame) || !existsSync(gen)) skip(`build first: make (${podflame})`);
	const pw = await loadPlaywright();
	if (!pw) skip('playwright-core not installed: npm ci --prefix tests/browser');
	mkdirSync(artifacts, { recursive: true });

	const work = mkdtempSync(join(tmpdir(), 'podflame-browser-'));
	const folded = join(work, 'p.folded');
	const svg = join(work, 'p.svg');
	// A pod: the Go service (process name as the root frame, as podflame
	// record writes it) beside a C++ sidecar, so "runtime" is not everything.
	const goStacks = execFileSync(gen, ['-n', '400', '-s', '40000', '-r', '5'], { encoding: 'utf8' });
	const sidecar = [
		'envoy;Envoy::Server::InstanceImpl::run;Envoy::Event::DispatcherImpl::run;event_base_loop;epoll_wait;entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];__x64_sys_epoll_wait_[k] 6100',
		'envoy;Envoy::Server::InstanceImpl::run;Envoy::Event::DispatcherImpl::run;Envoy::Network::ConnectionImpl::onReadReady;Envoy::Http::Http1::ConnectionImpl::dispatch 3300',
		'envoy;Envoy::Server::InstanceImpl::run;Envoy::Stats::ThreadLocalStoreImpl::flush 1250',
	].join('\n');
	writeFileSync(folded, goStacks.split('\n').filter(Boolean).map((l) => 'shop;' + l).join('\n') + '\n' + sidecar + '\n');
	execFileSync(podflame, ['flamegraph', '-q', '--minwidth', '0', '--title', 'browser test', folded, '-o', svg]);
	const svgText = readFileSync(svg, 'utf8');
	const foldedText = readFileSync(folded, 'utf8');
	const height = Number(svgText.match(/<svg [^>]*height="(\d+)"/)[1]);
	const drawn = (svgText.match(/^<g data-s=/gm) || []).length;

	const profile = mkdtempSync(join(tmpdir(), 'podflame-chromium-'));
	const context = await pw.chromium.launchPersistentContext(profile, {
		executablePath: chromiumPath,
		headless: true,
		viewport: { width: 1200, height },
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const requests = [];
	context.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
	const page = context.pages()[0] || await context.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	try {
		await run(page, svg, foldedText, drawn);
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
		rmSync(work, { recursive: true, force: true });
	}
	check('no script errors', errors.length === 0, errors.join('; '));
	check('no network requests', requests.length === 0, requests.join(' '));
	process.exit(failures ? 1 : 0);
}

// Geometry and state of every frame, from the live DOM.
const snapshot = (page) => page.evaluate(() => [...document.querySelectorAll('#frames > g')].map((g) => {
	const r = g.querySelector('rect');
	return {
		title: g.querySelector('title').textContent,
		x: parseFloat(r.getAttribute('x')), w: parseFloat(r.getAttribute('width')),
		y: parseFloat(r.getAttribute('y')), fill: r.getAttribute('fill'),
		text: g.querySelector('text').textContent,
		s: parseFloat(g.getAttribute('data-s')), v: parseFloat(g.getAttribute('data-v')),
		hidden: g.classList.contains('hide'), parent: g.classList.contains('parent'),
		display: getComputedStyle(g).display,
	};
}));

async function run(page, svg, foldedText, drawn) {
	await page.goto('file://' + svg);
	const before = await snapshot(page);
	check(`all ${drawn} frames in the page`, before.length === drawn, `${before.length}`);
	const rootFrame = before.find((f) => f.title.startsWith('all ('));
	check('the root spans the width', rootFrame && near(rootFrame.x, 10, 0.05) && near(rootFrame.w, 1180, 0.05));
	await page.screenshot({ path: join(artifacts, 'flamegraph-initial.png') });

	// Hover: the details line names the frame.
	// A frame of the Go service, a few levels up, with callees and siblings.
	const mid = before.findIndex((f) => f.title.startsWith('github.com/acme/shop/pkg/middleware.(*Chain).ServeHTTP ('));
	const target = before[mid];
	if (!target) throw new Error('no middleware frame in the graph');
	await page.locator('#frames > g').nth(mid).hover();
	const details = await page.textContent('#details');
	check('hovering shows the frame in the details line', details === `Function: ${target.title}`, details);

	// Click to zoom: the frame spans the full width.
	await page.locator('#frames > g').nth(mid).click();
	const zoomed = await snapshot(page);
	const z = zoomed[mid];
	check(`click zooms: "${target.title.slice(0, 40)}" spans the full width`,
		near(z.x, 10, 0.05) && near(z.w, 1180, 0.05), `x=${z.x} w=${z.w}`);
	const inside = (f) => f.s >= target.s && f.s + f.v <= target.s + target.v;
	const below = zoomed.filter((f) => f.y > target.y && !f.hidden);
	check('its ancestors stay, full width and faded',
		below.length > 0 && below.every((f) => f.parent && near(f.w, 1180, 0.05)));
	const kids = zoomed.filter((f, i) => f.y < target.y && inside(before[i]));
	check('its descendants scale with it', kids.length > 0 && kids.every((f) =>
		!f.hidden && near(f.w, (f.v / target.v) * 1180, 0.06) && near(f.x, 10 + ((f.s - target.s) / target.v) * 1180, 0.06)));
	const others = zoomed.filter((f, i) => f.y <= target.y && !inside(before[i]));
	check('everything else is hidden', others.length > 0 && others.every((f) => f.hidden && f.display === 'none'));
	check('labels refit to the new width', z.text === target.title.slice(0, target.title.lastIndexOf(' (')) || z.text.endsWith('..'));
	const unzoomShown = await page.evaluate(() => !document.getElementById('unzoom').classList.contains('hide'));
	check('"Reset Zoom" appears', unzoomShown);
	await page.screenshot({ path: join(artifacts, 'flamegraph-zoomed.png') });

	// Ctrl-F, "runtime": matches highlighted, the share shown.
	page.once('dialog', (d) => d.accept('runtime'));
	await page.keyboard.press('Control+f');
	await page.waitForFunction(() => document.getElementById('matched').textContent.startsWith('Matched'));
	const searched = await snapshot(page);
	const name = (f) => f.title.slice(0, f.title.lastIndexOf(' ('));
	const hits = searched.filter((f) => /runtime/.test(name(f)) && !f.title.startsWith('all ('));
	check(`search highlights every matching frame (${hits.length})`, hits.length > 0 &&
		hits.every((f) => f.fill === 'rgb(230,0,230)'));
	check('and only those', searched.every((f, i) => /runtime/.test(name(f)) || f.fill === before[i].fill));
	const { hit, total } = foldedShare(foldedText, /runtime/);
	const want = `Matched: ${(100 * hit / total).toFixed(2)}% (${hit.toLocaleString('en-US')} samples)`;
	const matched = await page.textContent('#matched');
	check(`the matched share is shown: "${matched}" (from the folded input: ${want})`,
		matched === want && hit < total, matched);
	await page.screenshot({ path: join(artifacts, 'flamegraph-search.png') });

	// A regex, case-insensitive via "ic".
	await page.click('#search'); // "Reset Search"
	await page.click('#ignorecase');
	page.once('dialog', (d) => d.accept('^RUNTIME\\.(schedule|findRunnable)$'));
	await page.click('#search');
	await page.waitForFunction(() => document.getElementById('matched').textContent.startsWith('Matched'));
	const sched = foldedShare(foldedText, /^runtime\.(schedule|findRunnable)$/i);
	const want2 = `Matched: ${(100 * sched.hit / sched.total).toFixed(2)}% (${sched.hit.toLocaleString('en-US')} samples)`;
	check('regex search with ignore-case', (await page.textContent('#matched')) === want2, await page.textContent('#matched'));

	// Escape resets zoom and search: every frame as it was.
	await page.keyboard.press('Escape');
	const after = await snapshot(page);
	const same = after.every((f, i) => f.x === before[i].x && f.w === before[i].w && f.fill === before[i].fill &&
		f.text === before[i].text && !f.hidden && !f.parent);
	check('reset restores every frame (position, width, colour, label)', same);
	check('"Reset Zoom" hidden again', await page.evaluate(() => document.getElementById('unzoom').classList.contains('hide')));
	await page.screenshot({ path: join(artifacts, 'flamegraph-reset.png') });

	// The banner states the same scheduler share as the folded input.
	const banner = await page.textContent('#share-schedule text');
	const sh = foldedShare(foldedText, /^runtime\.(schedule|findrunnable|findRunnable|stealWork|park_m|runqsteal|runqgrab)$|^runtime\.gosched/);
	check(`banner: "${banner}"`, banner === `runtime.schedule ${(100 * sh.hit / sh.total).toFixed(2)}%`, banner);

	// Clicking "Reset Zoom" after a zoom works too.
	await page.locator('#frames > g').nth(mid).click();
	await page.click('#unzoom');
	const again = await snapshot(page);
	check('"Reset Zoom" click restores the widths', again.every((f, i) => f.w === before[i].w && !f.hidden));
}

main().catch((e) => {
	notOk('browser run', e.stack || String(e));
	process.exit(1);
});

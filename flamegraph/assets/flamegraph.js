// podflame flame graph: zoom, search, details. Plain ES5 with no network
// access, so the SVG works from a file, a CI artifact or an attachment.
// fgConfig (geometry, total, count name) is written just before this file.
"use strict";
(function () {
	var cfg = fgConfig;
	var SEARCH_FILL = "rgb(230,0,230)";
	var frames = [];
	var byGroup = new Map();
	var zoomed = null;
	var searchTerm = null;
	var ignoreCase = false;
	var el = {};
	var fullWidth = cfg.width - 2 * cfg.xpad;
	var glyph = cfg.fontSize * cfg.fontWidth;

	function $(id) { return document.getElementById(id); }

	// The name is the title up to its last " (": the counts follow it.
	function nameOf(title) {
		var i = title.lastIndexOf(" (");
		return i >= 0 ? title.slice(0, i) : title;
	}

	function groupCount(v) {
		var s = String(Math.round(v));
		return s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
	}

	function fitText(f, x, w) {
		var chars = Math.floor(w / glyph), text = "";
		if (chars >= 3) {
			var cps = Array.from(f.name);
			text = cps.length > chars ? cps.slice(0, chars - 2).join("") + ".." : f.name;
		}
		f.text.textContent = text;
		f.text.setAttribute("x", (x + 3).toFixed(2));
	}

	function place(f, x, w) {
		f.rect.setAttribute("x", x.toFixed(1));
		f.rect.setAttribute("width", w.toFixed(1));
		fitText(f, x, w);
	}

	function load() {
		var groups = $("frames").children, rootY = null, i;
		el.details = $("details");
		el.unzoom = $("unzoom");
		el.search = $("search");
		el.ic = $("ignorecase");
		el.matched = $("matched");
		for (i = 0; i < groups.length; i++) {
			var g = groups[i];
			var title = g.getElementsByTagName("title")[0].textContent;
			var rect = g.getElementsByTagName("rect")[0];
			var f = {
				g: g, rect: rect, text: g.getElementsByTagName("text")[0],
				title: title, name: nameOf(title),
				s: parseFloat(g.getAttribute("data-s")),
				v: parseFloat(g.getAttribute("data-v")),
				y: parseFloat(rect.getAttribute("y")),
				x0: parseFloat(rect.getAttribute("x")),
				w0: parseFloat(rect.getAttribute("width")),
				fill: rect.getAttribute("fill"), depth: 0
			};
			if (rootY === null && f.s === 0 && f.v === cfg.total)
				rootY = f.y;
			frames.push(f);
			byGroup.set(g, f);
		}
		for (i = 0; i < frames.length; i++)
			frames[i].depth = Math.round(Math.abs(frames[i].y - rootY) / cfg.frameHeight);
		listen();
	}

	function frameOf(node) {
		while (node && node !== document.documentElement) {
			if (byGroup.has(node))
				return byGroup.get(node);
			node = node.parentNode;
		}
		return null;
	}

	function zoom(f) {
		var eps = cfg.total * 1e-12, ratio = fullWidth / f.v, i;
		if (f.depth === 0) {
			unzoom();
			return;
		}
		zoomed = f;
		el.unzoom.classList.remove("hide");
		for (i = 0; i < frames.length; i++) {
			var e = frames[i];
			var inside = e.s >= f.s - eps && e.s + e.v <= f.s + f.v + eps;
			var around = e.s <= f.s + eps && e.s + e.v >= f.s + f.v - eps;
			if (e.depth < f.depth && around) {
				e.g.classList.remove("hide");
				e.g.classList.add("parent");
				place(e, cfg.xpad, fullWidth);
			} else if (e.depth >= f.depth && inside) {
				e.g.classList.remove("hide", "parent");
				place(e, cfg.xpad + (e.s - f.s) * ratio, e.v * ratio);
			} else {
				e.g.classList.add("hide");
			}
		}
	}

	function unzoom() {
		var i;
		zoomed = null;
		el.unzoom.classList.add("hide");
		for (i = 0; i < frames.length; i++) {
			var e = frames[i];
			e.g.classList.remove("hide", "parent");
			place(e, e.x0, e.w0);
		}
	}

	// The matched share counts each sample once: the union of the matched
	// frames' spans, so nested matches (recursion) are not added twice.
	function matchedSamples(list) {
		var sum = 0, end = -Infinity, i;
		list.sort(function (a, b) { return a.s - b.s; });
		for (i = 0; i < list.length; i++) {
			var s = list[i].s, e = s + list[i].v;
			if (e <= end)
				continue;
			sum += e - Math.max(s, end);
			end = e;
		}
		return sum;
	}

	function search(term) {
		var re, hits = [], i;
		resetSearch();
		if (term === null || term === undefined || term === "")
			return;
		try {
			re = new RegExp(term, ignoreCase ? "i" : "");
		} catch (err) {
			el.matched.textContent = "Invalid regex: " + term;
			return;
		}
		searchTerm = term;
		for (i = 0; i < frames.length; i++) {
			var f = frames[i];
			if (f.depth > 0 && re.test(f.name)) {
				f.rect.setAttribute("fill", SEARCH_FILL);
				hits.push(f);
			}
		}
		var n = matchedSamples(hits);
		var pct = cfg.total > 0 ? 100 * n / cfg.total : 0;
		el.matched.textContent = "Matched: " + pct.toFixed(2) + "% (" + groupCount(n) + " " +
			cfg.countName + ")";
		el.search.classList.add("show");
		el.search.textContent = "Reset Search";
	}

	function resetSearch() {
		var i;
		searchTerm = null;
		for (i = 0; i < frames.length; i++)
			frames[i].rect.setAttribute("fill", frames[i].fill);
		el.matched.textContent = " ";
		el.search.classList.remove("show");
		el.search.textContent = "Search";
	}

	function askSearch() {
		var term = window.prompt("Search frames (regular expression, e.g. ^runtime\\.)",
			searchTerm || "");
		if (term !== null)
			search(term);
	}

	function listen() {
		var framesGroup = $("frames");
		framesGroup.addEventListener("click", function (ev) {
			var f = frameOf(ev.target);
			if (f)
				zoom(f);
		});
		framesGroup.addEventListener("mouseover", function (ev) {
			var f = frameOf(ev.target);
			if (f)
				el.details.textContent = "Function: " + f.title;
		});
		framesGroup.addEventListener("mouseout", function () {
			el.details.textContent = " ";
		});
		el.unzoom.addEventListener("click", unzoom);
		el.search.addEventListener("click", function () {
			if (searchTerm !== null)
				resetSearch();
			else
				askSearch();
		});
		el.ic.addEventListener("click", function () {
			ignoreCase = !ignoreCase;
			el.ic.classList.toggle("show", ignoreCase);
			if (searchTerm !== null)
				search(searchTerm);
		});
		window.addEventListener("keydown", function (ev) {
			if ((ev.ctrlKey || ev.metaKey) && (ev.key === "f" || ev.key === "F")) {
				ev.preventDefault();
				askSearch();
			} else if (ev.key === "Escape") {
				unzoom();
				resetSearch();
			}
		});
	}

	// For scripts driving the page (and tests): the same actions as clicks.
	window.podflame = {
		zoom: function (i) { zoom(frames[i]); },
		unzoom: unzoom,
		search: search,
		resetSearch: resetSearch,
		frames: function () { return frames; },
		zoomed: function () { return zoomed; }
	};
	load();
})();

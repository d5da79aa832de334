/* medtrace: the site's search. Offline and dependency-free: it reads the index that
 * assets/search-index.js put in window.MEDTRACE_SEARCH_INDEX (see medtrace/site/search.py),
 * builds its word and ID tables once on first use, and answers as the user types.
 *
 * Matching: an item's ID however written ("SRS-12", "srs12", "srs 12"), whole words, word
 * prefixes, and words within an edit distance of 1 (words of 4 to 7 letters) or 2 (8 or more;
 * a swap of two neighbours counts as one edit). Ranking: ID exact > ID prefix > title > text.
 * Every query word must match (any form); an ID match of the whole query is always shown.
 * Results are built with DOM nodes and textContent only: no item text is ever parsed as HTML.
 */
(function () {
  "use strict";

  var ALPHABET =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%'()*+,-./:;=?@[]^_{|}~";
  var SHOWN = 20;
  /* As medtrace/site/search.py STOP_WORDS: left out of the index's text, so left out of a
   * query of other words too. */
  var STOP = new Set(
    ("a an and are as at be been by can for from has have if in into is it its may must of on or" +
     " shall should such that the their then there these this those to was were when where which" +
     " while will with").split(" ")
  );
  var TOKEN = /[\p{L}\p{N}]+/gu;
  var NOT_ALNUM = /[^\p{L}\p{N}]+/gu;
  var MARKS = /\p{M}+/gu;
  var SCHEME = /^\s*([a-z][a-z0-9+.\-]*:|\/\/)/i;
  var SCORE = {
    idExact: 1000, idPrefix: 400, idTerm: 300,
    titleExact: 30, titlePrefix: 20, titleFuzzy: 12,
    textExact: 10, textPrefix: 6, textFuzzy: 4
  };

  var state = null;

  function fold(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(MARKS, "");
  }

  function tokens(text) {
    return fold(text).match(TOKEN) || [];
  }

  function compactId(text) {
    return fold(text).replace(NOT_ALNUM, "");
  }

  /* Word codes by length, as medtrace/site/search.py CODE_LENGTHS: [leading characters,
   * ranks covered] for codes of 1, 2, 3 and 4 characters. */
  var LENGTHS = [[55, 55], [28, 28 * 88], [4, 4 * 88 * 88], [1, 88 * 88 * 88]];

  function decode(codes, into) {
    var i = 0;
    while (i < codes.length) {
      var lead = ALPHABET.indexOf(codes[i]), base = 0, extra = 0;
      if (lead < 0) return;
      while (extra < LENGTHS.length && lead >= LENGTHS[extra][0]) {
        lead -= LENGTHS[extra][0];
        base += LENGTHS[extra][1];
        extra++;
      }
      var number = lead;
      for (var j = 1; j <= extra; j++) number = number * 88 + ALPHABET.indexOf(codes[i + j]);
      into(base + number);
      i += 1 + extra;
    }
  }

  /* The tables: word -> postings (entry * 2 + 1 in a title, entry * 2 in the text), the sorted
   * words (for prefixes), the words by length (for typos), compact ID -> entries. */
  function build() {
    var started = performance.now();
    var data = window.MEDTRACE_SEARCH_INDEX || {};
    var rows = Array.isArray(data.entries) ? data.entries : [];
    var table = Array.isArray(data.words) ? data.words : [];
    var kinds = Array.isArray(data.kinds) ? data.kinds : [];
    var words = new Map();
    var ids = new Map();
    var entries = [];
    function post(word, code) {
      var list = words.get(word);
      if (!list) words.set(word, (list = []));
      if (list[list.length - 1] !== code) list.push(code);
    }
    rows.forEach(function (row, n) {
      var id = String(row[0]), title = [];
      decode(String(row[1] || ""), function (k) { title.push(String(table[k] || "")); });
      title = title.join(" ");
      var url = row[3] ? String(row[3]) : "items/" + id + ".html";
      entries.push({ id: id, title: title, kind: String(kinds[row[2]] || ""), url: url });
      var key = compactId(id);
      if (!ids.has(key)) ids.set(key, []);
      ids.get(key).push(n);
      tokens(title).forEach(function (w) { post(w, n * 2 + 1); });
      decode(String(row[4] || ""), function (k) {
        if (k < table.length) post(String(table[k]), n * 2);
      });
    });
    var sorted = Array.from(words.keys()).sort();
    var byLength = [];
    sorted.forEach(function (w) { (byLength[w.length] = byLength[w.length] || []).push(w); });
    state = {
      entries: entries, words: words, sorted: sorted, byLength: byLength, ids: ids,
      idKeys: Array.from(ids.keys()).sort(), loadMs: performance.now() - started
    };
    return state;
  }

  function ensure() {
    return state || build();
  }

  /* First index in sorted `list` not below `key`. */
  function lowerBound(list, key) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /* Optimal string alignment distance of a and b, or max + 1 once it must exceed max. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], row;
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
        var d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, prev2[j - 2] + 1);
        }
        row.push(d);
        if (d < best) best = d;
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  function credit(scores, postings, inTitle, inText) {
    for (var i = 0; i < postings.length; i++) {
      var code = postings[i], n = code >> 1, score = code & 1 ? inTitle : inText;
      if (!(scores.get(n) >= score)) scores.set(n, score);
    }
  }

  /* Entry -> best score of one query word: exact, prefix, then near words. */
  function termScores(s, term) {
    var scores = new Map();
    var exact = s.words.get(term);
    if (exact) credit(scores, exact, SCORE.titleExact, SCORE.textExact);
    for (var i = lowerBound(s.sorted, term); i < s.sorted.length; i++) {
      var word = s.sorted[i];
      if (word.slice(0, term.length) !== term) break;
      if (word !== term) credit(scores, s.words.get(word), SCORE.titlePrefix, SCORE.textPrefix);
    }
    var max = term.length >= 8 ? 2 : term.length >= 4 ? 1 : 0;
    for (var len = term.length - max; max && len <= term.length + max; len++) {
      var bucket = s.byLength[len] || [];
      for (var k = 0; k < bucket.length; k++) {
        var d = bucket[k] === term ? 0 : distance(term, bucket[k], max);
        if (d > 0 && d <= max) {
          credit(scores, s.words.get(bucket[k]), SCORE.titleFuzzy - d, SCORE.textFuzzy - d);
        }
      }
    }
    var own = s.ids.get(compactId(term));
    if (own) own.forEach(function (n) { if (!(scores.get(n) >= SCORE.idTerm)) scores.set(n, SCORE.idTerm); });
    return scores;
  }

  /* Entry -> score of the whole query read as an ID: exact, else a prefix ("srs1" → SRS-1x). */
  function idScores(s, key) {
    var scores = new Map();
    if (!key) return scores;
    (s.ids.get(key) || []).forEach(function (n) { scores.set(n, SCORE.idExact); });
    if (key.length < 3 || !/\d/.test(key)) return scores;
    for (var i = lowerBound(s.idKeys, key); i < s.idKeys.length; i++) {
      var other = s.idKeys[i];
      if (other.slice(0, key.length) !== key) break;
      if (other === key) continue;
      s.ids.get(other).forEach(function (n) {
        if (!scores.has(n)) scores.set(n, SCORE.idPrefix - (other.length - key.length));
      });
    }
    return scores;
  }

  // @implements SRS-221
  /* The query's words; a whitespace-separated part that is an item's ID ("SRS-12") stays whole.
   * Stop words are dropped unless nothing else is left. */
  function queryTerms(s, query) {
    var terms = [];
    String(query).split(/\s+/).forEach(function (part) {
      var key = compactId(part);
      if (key && /\d/.test(key) && s.ids.has(key)) terms.push({ id: key });
      else terms.push.apply(terms, tokens(part));
    });
    var kept = terms.filter(function (t) { return typeof t !== "string" || !STOP.has(t); });
    return kept.length ? kept : terms;
  }

  function idTermScores(s, key) {
    var scores = new Map();
    s.ids.get(key).forEach(function (n) { scores.set(n, SCORE.idTerm); });
    return scores;
  }

  function search(query) {
    var s = ensure();
    var terms = queryTerms(s, query);
    var total = idScores(s, compactId(query));
    if (terms.length) {
      var maps = terms.map(function (t) {
        return typeof t === "string" ? termScores(s, t) : idTermScores(s, t.id);
      });
      maps.sort(function (a, b) { return a.size - b.size; });
      maps[0].forEach(function (score, n) {
        for (var m = 1; m < maps.length; m++) {
          var more = maps[m].get(n);
          if (more === undefined) return;
          score += more;
        }
        total.set(n, (total.get(n) || 0) + score);
      });
    }
    var found = [];
    total.forEach(function (score, n) { found.push([score, n]); });
    found.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return found.map(function (pair) {
      var e = s.entries[pair[1]];
      return { id: e.id, title: e.title, kind: e.kind, url: e.url, score: pair[0] };
    });
  }

  // ----------------------------------------------------------------------------- the page

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // @implements SRS-221
  function bind() {
    var input = document.getElementById("mt-search");
    var box = document.getElementById("mt-search-results");
    if (!input || !box) return;
    var root = document.documentElement.dataset.root || "";
    if (SCHEME.test(root)) root = "";
    var options = [];
    var active = -1;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", "mt-search-results");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    box.hidden = true;

    function choose(index) {
      if (active >= 0 && options[active]) {
        options[active].classList.remove("mt-active");
        options[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (active >= 0 && options[active]) {
        options[active].classList.add("mt-active");
        options[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[active].id);
        options[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    /* The title with the words that begin with a query word in <mark> (text nodes only). */
    function title(text, words) {
      var span = element("span", "mt-search-title");
      text.split(/(\s+)/).forEach(function (part) {
        var token = tokens(part)[0];
        var hit = token && words.some(function (w) { return token.slice(0, w.length) === w; });
        span.appendChild(hit ? element("mark", "", part) : document.createTextNode(part));
      });
      return span;
    }

    function option(result, index, words) {
      var item = element("li", "mt-search-option");
      item.id = "mt-search-option-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var link = element(SCHEME.test(result.url) ? "span" : "a", "mt-search-link");
      if (link.tagName === "A") link.href = root + result.url;
      link.appendChild(element("span", "mt-search-id", result.id));
      link.appendChild(title(result.title, words));
      if (result.kind) link.appendChild(element("span", "mt-search-kind", result.kind));
      item.appendChild(link);
      item.addEventListener("mousemove", function () { if (active !== index) choose(index); });
      return item;
    }

    function show() {
      var query = input.value;
      box.textContent = "";
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!query.trim()) {
        box.hidden = true;
        input.setAttribute("aria-expanded", "false");
        return;
      }
      var results = search(query);
      var count = results.length > SHOWN ? SHOWN + " of " + results.length + " results" :
        results.length === 1 ? "1 result" : results.length + " results";
      box.appendChild(element("p", results.length ? "mt-search-count" : "mt-search-empty",
        results.length ? count : "No item matches \u201c" + query.trim() + "\u201d"));
      if (results.length) {
        var list = element("ul", "mt-search-list");
        list.setAttribute("role", "listbox");
        var words = tokens(query).filter(function (w) { return w.length > 1 && !STOP.has(w); });
        results.slice(0, SHOWN).forEach(function (r, i) {
          var item = option(r, i, words);
          options.push(item);
          list.appendChild(item);
        });
        box.appendChild(list);
        choose(0);
      }
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function follow() {
      var link = active >= 0 && options[active] && options[active].querySelector("a");
      if (link) window.location.href = link.href;
    }

    input.addEventListener("focus", ensure);
    input.addEventListener("input", show);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && options.length) {
        choose(Math.min(active + 1, options.length - 1));
      } else if (event.key === "ArrowUp" && options.length) {
        choose(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        follow();
      } else if (event.key === "Escape") {
        input.value = "";
        show();
      } else {
        return;
      }
      event.preventDefault();
    });
    document.addEventListener("keydown", function (event) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName || "") ||
        event.target.isContentEditable;
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  window.MedtraceSearch = {
    search: search,
    ready: function () { ensure(); return true; },
    get loadMs() { return ensure().loadMs; }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();

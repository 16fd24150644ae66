/* bip: in-browser search of a BIP site over its static index (bip/search/static.py writes it).
 * ES2017, no dependencies, no inline code: it runs under a CSP of script-src 'self'. Without JavaScript
 * the form still submits and the page still lists every document. Under node the pure core is exported
 * (module.exports) so that the tests run the very code that browsers run. */
(function (factory) {
  'use strict';
  var api = factory();
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { api.start(document); });
    } else {
      api.start(document);
    }
  }
}(function () {
  'use strict';

  var FORMAT = 3;
  var PAGE = 10; // results shown at once; "Pokaż kolejne wyniki" shows the next ones
  var SNIPPET = 200; // characters of a result's passage

  // --- analysis: the same as bip/search/analysis.py, its settings read from meta.json -------------------

  function fold(text) {
    // Lower-case, decompose, drop combining marks; "ł" has no decomposition.
    return text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ł/g, 'l');
  }

  function rootOf(lemma, rules) {
    for (var i = 0; i < rules.length; i++) {
      var suffix = rules[i][0];
      if (lemma.length - suffix.length >= rules[i][2] && lemma.slice(lemma.length - suffix.length) === suffix) {
        return lemma.slice(0, lemma.length - suffix.length) + rules[i][1];
      }
    }
    return lemma;
  }

  function Analyzer(settings) {
    this.settings = settings;
    this.tokenRe = new RegExp(settings.token_pattern, 'g');
    this.splitRe = new RegExp('[' + settings.joiners + ']');
    this.stopwords = new Set(settings.stopwords);
  }

  // Query tokens as groups: {text, whole: term or null, parts: [{literal} or {surface}]}.
  Analyzer.prototype.groups = function (query) {
    var s = this.settings;
    var text = query.normalize('NFC');
    var out = [];
    var re = new RegExp(this.tokenRe.source, 'g');
    var match;
    while ((match = re.exec(text)) !== null) {
      var token = match[0];
      var lower = token.toLowerCase();
      var parts = [];
      var whole = null;
      if (!this.splitRe.test(token)) {
        this.single(lower, false, parts);
      } else {
        var coded = /[0-9]/.test(token);
        if (token.length <= s.max_whole) { whole = fold(lower); }
        var pieces = lower.split(this.splitRe);
        for (var i = 0; i < pieces.length; i++) { this.single(pieces[i], coded, parts); }
      }
      if (parts.length || whole !== null) { out.push({ text: token, whole: whole, parts: parts }); }
    }
    return out;
  };

  Analyzer.prototype.single = function (lower, literal, parts) {
    if (literal || lower.length > this.settings.max_word || /[0-9]/.test(lower)) {
      parts.push({ literal: fold(lower) });
      return;
    }
    var surface = fold(lower);
    if (!this.stopwords.has(surface)) { parts.push({ surface: surface }); }
  };

  // What a folded word means when the index does not list it ("f"): itself as lemma, and the lemmas of
  // its root as related. See fallback_expansion() in bip/search/static.py.
  Analyzer.prototype.fallback = function (surface, rootLemmas) {
    var w = this.settings.weights;
    var weights = {};
    weights['=' + surface] = w.surface;
    weights[surface] = w.lemma;
    rootLemmas.forEach(function (lemma) { weights[lemma] = (weights[lemma] || 0) + w.root; });
    return Object.keys(weights).sort().map(function (t) { return [t, weights[t]]; });
  };

  // --- the index --------------------------------------------------------------------------------------

  function fnv1a(text) {
    var bytes = utf8(text);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  function utf8(text) {
    if (typeof TextEncoder !== 'undefined') { return new TextEncoder().encode(text); }
    return Buffer.from(text, 'utf8'); // node without TextEncoder (very old): never in browsers
  }

  // fetchJson(relativePath) → Promise of the parsed file.
  function Index(fetchJson) {
    this.fetchJson = fetchJson;
    this.meta = null;
    this.analyzer = null;
    this.files = new Map(); // path → Promise of its content
    this.shards = new Map(); // path → a loaded term shard
  }

  Index.prototype.load = function () {
    var self = this;
    if (!this.metaPromise) {
      this.metaPromise = this.fetchJson('meta.json').then(function (meta) {
        if (meta.format !== FORMAT) { throw new Error('unsupported index format ' + meta.format); }
        self.meta = meta;
        self.analyzer = new Analyzer(meta.analysis);
        return meta;
      });
    }
    return this.metaPromise;
  };

  Index.prototype.file = function (path) {
    if (!this.files.has(path)) {
      var self = this;
      var promise = this.fetchJson(path);
      promise.catch(function () { self.files.delete(path); }); // a failed fetch may be retried
      this.files.set(path, promise);
    }
    return this.files.get(path);
  };

  Index.prototype.shardPath = function (term) {
    return 't/' + (fnv1a(term) % this.meta.shards).toString(16) + '.json';
  };

  // Loads the shards holding `terms` (all at once); then shard(term) gives them.
  Index.prototype.ensure = function (terms) {
    var self = this;
    var paths = [];
    terms.forEach(function (t) {
      var path = self.shardPath(t);
      if (!self.shards.has(path) && paths.indexOf(path) < 0) { paths.push(path); }
    });
    return Promise.all(paths.map(function (p) { return self.file(p); })).then(function (loaded) {
      paths.forEach(function (p, i) { self.shards.set(p, joinShard(loaded[i], self.meta)); });
    });
  };

  // A unit's shard is {p, f, r}; the portal's lists the entries of each unit ([[unit id, {p, f, r}], ...],
  // ids local to the unit): joined here, postings as [[first id of the site, postings], ...], what a form
  // means and a root's lemmas as the union of the units'.
  function joinShard(data, meta) {
    if (!Array.isArray(data)) { return data; }
    if (!meta.siteOf) {
      meta.siteOf = {};
      meta.units.forEach(function (unit, i) { meta.siteOf[unit[0]] = meta.sites[i]; });
    }
    var joined = { p: {}, f: {}, r: {} };
    data.forEach(function (entry) {
      var base = meta.siteOf[entry[0]][0];
      var part = entry[1];
      Object.keys(part.p || {}).forEach(function (term) {
        (joined.p[term] = joined.p[term] || []).push([base, part.p[term]]);
      });
      Object.keys(part.f || {}).forEach(function (form) {
        var weights = {};
        (joined.f[form] || []).concat(part.f[form]).forEach(function (pair) {
          weights[pair[0]] = Math.max(weights[pair[0]] || 0, pair[1]);
        });
        joined.f[form] = Object.keys(weights).sort().map(function (t) { return [t, weights[t]]; });
      });
      Object.keys(part.r || {}).forEach(function (stem) {
        var lemmas = (joined.r[stem] || []).concat(part.r[stem]);
        joined.r[stem] = lemmas.filter(function (l, i) { return lemmas.indexOf(l) === i; }).sort();
      });
    });
    return joined;
  }

  Index.prototype.shard = function (term) {
    return this.shards.get(this.shardPath(term)) || { p: {}, f: {}, r: {} };
  };

  // Postings: base-32 numbers, the last digit of each from LAST, the others from MORE (see static.py).
  var LAST = '0123456789abcdefghijklmnopqrstuv';
  var MORE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz+/';
  var DIGIT = {};
  for (var d = 0; d < 32; d++) { DIGIT[LAST.charAt(d)] = [d, true]; DIGIT[MORE.charAt(d)] = [d, false]; }

  // Map id → weight of a term's postings: a unit's string, or the portal's [[base, string], ...].
  function postingsOf(values) {
    if (typeof values === 'string') { return decode(values, 0, new Map()); }
    var map = new Map();
    values.forEach(function (piece) { decode(piece[1], piece[0], map); });
    return map;
  }

  function decode(text, base, map) {
    // id, weight, id gap, weight, ... → map: id + base → weight
    var id = base;
    var value = 0;
    var pending = null;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT[text.charAt(i)];
      value = value * 32 + digit[0];
      if (!digit[1]) { continue; }
      if (pending === null) {
        id += value;
        pending = id;
      } else {
        map.set(pending, value);
        pending = null;
      }
      value = 0;
    }
    return map;
  }

  // --- searching ----------------------------------------------------------------------------------------

  function typeIndex(meta, type) {
    for (var i = 0; i < meta.types.length; i++) { if (meta.types[i][0] === type) { return i; } }
    return -1;
  }

  // Ids allowed by the filters, as a predicate (null: no filter). The ranges are in meta.json, or (the
  // portal's index: one range per unit, type and year) in a file of their own named there.
  async function filterOf(index, meta, type, year) {
    if (!type && !year) { return null; }
    var t = type ? typeIndex(meta, type) : null;
    var ranges = typeof meta.ranges === 'string' ? await index.file(meta.ranges) : meta.ranges;
    var spans = ranges.filter(function (r) {
      return (t === null || r[0] === t) && (!year || r[1] === String(year));
    });
    return function (id) {
      for (var i = 0; i < spans.length; i++) { if (id >= spans[i][2] && id < spans[i][3]) { return true; } }
      return false;
    };
  }

  // Score of every document matching one set of weighted alternatives.
  function scoreAlternatives(alternatives, index, meta) {
    var scores = new Map();
    alternatives.forEach(function (pair) {
      var values = index.shard(pair[0]).p[pair[0]];
      if (!values) { return; }
      var postings = postingsOf(values);
      var idf = Math.log(meta.docs / (postings.size + 1)) + 1;
      var factor = pair[1] * idf / meta.scale;
      postings.forEach(function (weight, id) { scores.set(id, (scores.get(id) || 0) + factor * weight); });
    });
    return scores;
  }

  function intersect(maps) {
    if (!maps.length) { return new Map(); }
    var smallest = maps.reduce(function (a, b) { return a.size <= b.size ? a : b; });
    var out = new Map();
    smallest.forEach(function (_, id) {
      var total = 0;
      for (var i = 0; i < maps.length; i++) {
        var s = maps[i].get(id);
        if (s === undefined) { return; }
        total += s;
      }
      out.set(id, total);
    });
    return out;
  }

  // Resolves a query against the index: {groups, ids: [best first], partial, terms}.
  // options: {type, year}. Query words are expanded as bip/search/analysis.py expand_word() does.
  async function search(index, query, options) {
    options = options || {};
    var meta = await index.load();
    var analyzer = index.analyzer;
    var groups = analyzer.groups(query);
    var allowed = await filterOf(index, meta, options.type, options.year);
    if (!groups.length) {
      if (!allowed) { return { groups: groups, ids: [], partial: false, terms: emptyTerms() }; }
      // Only filters: every document of that type / year, newest first (the index order).
      var all = [];
      for (var id = 0; id < meta.docs; id++) { if (allowed(id)) { all.push(id); } }
      return { groups: groups, ids: all, partial: false, terms: emptyTerms() };
    }
    var w = meta.analysis.weights;
    var rules = meta.analysis.root_rules;
    var words = [];
    var first = [];
    groups.forEach(function (g) {
      if (g.whole !== null) { first.push(g.whole); }
      g.parts.forEach(function (p) {
        if (p.literal !== undefined) {
          first.push(p.literal);
          p.meaning = [[p.literal, w.literal]];
        } else {
          first.push('=' + p.surface);
          words.push(p);
        }
      });
    });
    // Round 1: the shards of the words as typed (they say what a word of the corpus means), of literals.
    await index.ensure(first);
    var second = [];
    var unknown = [];
    words.forEach(function (p) {
      p.meaning = index.shard('=' + p.surface).f[p.surface];
      if (p.meaning) {
        p.meaning.forEach(function (pair) { second.push(pair[0]); });
      } else {
        p.root = rootOf(p.surface, rules);
        unknown.push(p);
        second.push('~' + p.root, p.surface, p.root);
      }
    });
    // Phrases the words stand for (the synonym table in meta.json), for the words whose meaning is known
    // by now (those of the corpus, and codes); the others' once round 2 tells what they mean.
    function addSynonyms(wanted, g) {
      g.synonyms = synonymsOf(g, meta);
      g.synonyms.forEach(function (phrase) {
        phrase.forEach(function (part) { part.forEach(function (pair) { wanted.push(pair[0]); }); });
      });
    }
    groups.forEach(function (g) {
      if (g.parts.every(function (p) { return p.meaning; })) { addSynonyms(second, g); }
    });
    // Round 2: the shards of the lemmas meant; for other words, of what their root is known to derive.
    await index.ensure(second);
    var third = [];
    unknown.forEach(function (p) {
      var derived = index.shard('~' + p.root).r[p.root];
      p.meaning = analyzer.fallback(p.surface, derived !== undefined ? derived : [p.root]);
      p.meaning.forEach(function (pair) { third.push(pair[0]); });
    });
    groups.forEach(function (g) { if (!g.synonyms) { addSynonyms(third, g); } });
    // Round 3, only for words missing from the corpus (the shards of their root's lemmas) and synonyms.
    await index.ensure(third);
    groups.forEach(function (g) {
      g.alternatives = g.parts.map(function (p) { return p.meaning; });
      g.wholeAlternatives = g.whole !== null ? [[g.whole, w.whole]] : [];
    });

    var perGroup = groups.map(function (g) {
      var parts = g.alternatives.map(function (alts) { return scoreAlternatives(alts, index, meta); });
      var scores = parts.length ? intersect(parts) : new Map();
      if (g.wholeAlternatives.length) {
        scoreAlternatives(g.wholeAlternatives, index, meta).forEach(function (s, id) {
          scores.set(id, (scores.get(id) || 0) + s);
        });
      }
      // The best of the ways a document matches: a synonym finds more, never lifts what the word found.
      g.synonyms.forEach(function (phrase) {
        intersect(phrase.map(function (alts) { return scoreAlternatives(alts, index, meta); })).forEach(function (s, id) {
          scores.set(id, Math.max(scores.get(id) || 0, s));
        });
      });
      return scores;
    });
    var ranked = rank(intersect(perGroup), null, allowed);
    var partial = false;
    if (!ranked.length && perGroup.length > 1) {
      // No document has every word: those with the most of them, as bip search does.
      var coverage = new Map();
      var union = new Map();
      perGroup.forEach(function (scores) {
        scores.forEach(function (s, id) {
          coverage.set(id, (coverage.get(id) || 0) + 1);
          union.set(id, (union.get(id) || 0) + s);
        });
      });
      ranked = rank(union, coverage, allowed);
      partial = ranked.length > 0;
    }
    return { groups: groups, ids: ranked, partial: partial, terms: matchTerms(groups, meta) };
  }

  // The phrases a one-word group stands for: entries of meta.synonyms ([[roots, phrases], ...]) whose roots
  // hold the root of the word typed or of a lemma it means. As bip/search/synonyms.py matched() decides.
  function synonymsOf(g, meta) {
    var table = meta.synonyms || [];
    if (g.whole !== null || g.parts.length !== 1 || g.parts[0].surface === undefined || !table.length) { return []; }
    var a = meta.analysis;
    var p = g.parts[0];
    var roots = [rootOf(p.surface, a.root_rules)];
    var meant = {};
    (p.meaning || []).forEach(function (pair) {
      meant[pair[0]] = true;
      if (pair[0].charAt(0) !== '=' && pair[1] >= a.weights.lemma) { roots.push(rootOf(pair[0], a.root_rules)); }
    });
    var weight = Math.round(a.weights.lemma * a.synonym_weight * 1000) / 1000;
    var found = [];
    var seen = {};
    table.forEach(function (entry) {
      if (!entry[0].some(function (key) { return roots.indexOf(key) >= 0; })) { return; }
      entry[1].forEach(function (phrase) {
        var key = JSON.stringify(phrase);
        // A phrase with a term the word matches already finds nothing the word does not.
        if (seen[key] || phrase.some(function (part) { return part.some(function (t) { return meant[t]; }); })) {
          return;
        }
        seen[key] = true;
        found.push(phrase.map(function (part) { return part.map(function (t) { return [t, weight]; }); }));
      });
    });
    return found;
  }

  function rank(scores, coverage, allowed) {
    var ids = [];
    scores.forEach(function (_, id) { if (!allowed || allowed(id)) { ids.push(id); } });
    ids.sort(function (a, b) {
      if (coverage) {
        var c = coverage.get(b) - coverage.get(a);
        if (c) { return c; }
      }
      return (scores.get(b) - scores.get(a)) || (a - b);
    });
    return ids;
  }

  function emptyTerms() { return { surfaces: new Set(), lemmas: new Set(), roots: new Set(), literals: new Set() }; }

  // What to highlight: forms typed, lemmas meant (and their roots, which catch other forms), literals.
  function matchTerms(groups, meta) {
    var terms = emptyTerms();
    var rules = meta.analysis.root_rules;
    groups.forEach(function (g) {
      if (g.whole !== null) { terms.literals.add(g.whole); }
      g.parts.forEach(function (p) {
        if (p.literal !== undefined) { terms.literals.add(p.literal); } else { terms.surfaces.add(p.surface); }
      });
      (g.alternatives || []).forEach(function (alts) {
        alts.forEach(function (pair) {
          if (pair[0].charAt(0) !== '=' && pair[1] >= meta.analysis.weights.lemma) {
            terms.lemmas.add(pair[0]);
            terms.roots.add(rootOf(pair[0], rules));
          }
        });
      });
      (g.synonyms || []).forEach(function (phrase) {
        phrase.forEach(function (alts) {
          alts.forEach(function (pair) { terms.lemmas.add(pair[0]); terms.roots.add(rootOf(pair[0], rules)); });
        });
      });
    });
    return terms;
  }

  // Splits text into [[piece, marked], ...] with the query's words marked.
  function highlight(text, terms, analyzer) {
    var out = [];
    var re = new RegExp(analyzer.tokenRe.source, 'g');
    var rules = analyzer.settings.root_rules;
    var position = 0;
    var match;
    function isWord(piece, coded) {
      var folded = fold(piece);
      if (terms.literals.has(folded)) { return true; }
      if (coded || /[0-9]/.test(piece)) { return false; }
      return terms.surfaces.has(folded) || terms.lemmas.has(folded) || terms.roots.has(rootOf(folded, rules));
    }
    function push(piece, marked) {
      if (!piece) { return; }
      var last = out[out.length - 1];
      if (last && last[1] === marked) { last[0] += piece; } else { out.push([piece, marked]); }
    }
    text = text.normalize('NFC');
    while ((match = re.exec(text)) !== null) {
      var token = match[0];
      push(text.slice(position, match.index), false);
      if (!analyzer.splitRe.test(token)) {
        push(token, isWord(token, false));
      } else if (terms.literals.has(fold(token))) {
        push(token, true);
      } else {
        // A joined token: mark the parts that match ("2024" in "XII/123/2024").
        var coded = /[0-9]/.test(token);
        var offset = 0;
        var pieces = token.split(analyzer.splitRe);
        for (var i = 0; i < pieces.length; i++) {
          if (i) { push(token.charAt(offset - 1), false); }
          push(pieces[i], isWord(pieces[i], coded));
          offset += pieces[i].length + 1;
        }
      }
      position = match.index + token.length;
    }
    push(text.slice(position), false);
    return out;
  }

  // The passage of `text` (about `size` characters) with the most matched words, as bip search picks its
  // snippet (snippet_html in bip/search/index.py): a little context before the first match, cut at spaces,
  // "…" where text was left out. The start of the text when nothing in it matches.
  function passage(text, terms, analyzer, size) {
    size = size || SNIPPET;
    text = (text || '').normalize('NFC');
    var marks = [];
    var offset = 0;
    highlight(text, terms, analyzer).forEach(function (piece) {
      if (piece[1]) { marks.push([offset, offset + piece[0].length]); }
      offset += piece[0].length;
    });
    var start = 0;
    if (marks.length) {
      var best = 0;
      var bestCount = 0;
      var right = 0;
      for (var left = 0; left < marks.length; left++) {
        while (right < marks.length && marks[right][1] <= marks[left][0] + size) { right++; }
        if (right - left > bestCount) { best = left; bestCount = right - left; }
      }
      start = Math.max(0, marks[best][0] - Math.floor(size / 5));
      if (start > 0) {
        var space = text.indexOf(' ', start);
        start = space >= 0 && space < marks[best][0] ? space + 1 : marks[best][0];
      }
    }
    var end = Math.min(text.length, start + size);
    if (end < text.length) {
      var cut = text.lastIndexOf(' ', end);
      if (cut > start) { end = cut; }
      marks.forEach(function (m) { if (m[0] < end && end < m[1]) { end = m[1]; } }); // never half a word
    }
    return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
  }

  // "2024-12-16" → "16 grudnia 2024", as dates are written in Polish; anything else as it is.
  var MONTHS = ['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca', 'lipca', 'sierpnia', 'września',
                'października', 'listopada', 'grudnia'];

  function polishDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!m || +m[2] < 1 || +m[2] > 12 || +m[3] < 1 || +m[3] > 31) { return iso || ''; }
    return (+m[3]) + ' ' + MONTHS[+m[2] - 1] + ' ' + m[1];
  }

  // Documents by id: [{id, title, url, root, type, typeLabel, date, number, unit, unitName, text}]: url is
  // relative to the unit's root, root is that root relative to the index folder (so both addresses of a unit
  // on its own domain work: the unit's and the portal's).
  // In the portal's index (meta.sites) the rows are each unit's own: read from its d/ blocks.
  async function documents(index, ids) {
    var meta = await index.load();
    var places = ids.map(function (id) { return place(meta, id); });
    var paths = [];
    places.forEach(function (p) { if (paths.indexOf(p.path) < 0) { paths.push(p.path); } });
    var loaded = await Promise.all(paths.map(function (path) { return index.file(path); }));
    return ids.map(function (id, i) {
      var p = places[i];
      var row = loaded[paths.indexOf(p.path)][p.row];
      var type = meta.types[p.types ? p.types[row[2]] : row[2]];
      var unit = meta.units[p.unit === null ? row[5] : p.unit];
      return {
        id: id, title: row[0], url: row[1], root: p.root, type: type[0], typeLabel: type[1], date: row[3],
        number: row[4], unit: unit[0], unitName: unit[1], text: row[6]
      };
    });
  }

  // Where a document's row is: {path of its block, row in it, unit, type map (null: the index's own), its unit's
  // root}, paths relative to the index folder.
  function place(meta, id) {
    if (!meta.sites) {
      return { path: 'd/' + Math.floor(id / meta.block).toString(16) + '.json', row: id % meta.block, unit: null,
               types: null, root: '../../' };
    }
    var low = 0;
    var high = meta.sites.length - 1;
    while (low < high) { // the last site whose first id is <= id
      var middle = (low + high + 1) >> 1;
      if (meta.sites[middle][0] <= id) { low = middle; } else { high = middle - 1; }
    }
    var site = meta.sites[low];
    var local = id - site[0];
    return { path: site[3] + 'd/' + Math.floor(local / site[2]).toString(16) + '.json', row: local % site[2],
             unit: low, types: site[4], root: site[3] + '../../' };
  }

  function plural(n) {
    // 1 wynik, 2–4 wyniki (but 12–14 wyników), 5+ wyników
    if (n === 1) { return 'wynik'; }
    var tens = n % 100;
    var ones = n % 10;
    return ones >= 2 && ones <= 4 && (tens < 12 || tens > 14) ? 'wyniki' : 'wyników';
  }

  // --- the page ---------------------------------------------------------------------------------------

  function start(doc) {
    var form = doc.getElementById('bip-search');
    var input = doc.getElementById('bip-q');
    var status = doc.getElementById('bip-search-status');
    var list = doc.getElementById('bip-search-results');
    if (!form || !input || !status || !list || typeof fetch === 'undefined' || !window.Promise) { return; }
    var typeSelect = doc.getElementById('bip-type');
    var yearSelect = doc.getElementById('bip-year');
    var base = new URL(form.getAttribute('data-index') || 'indeks/', doc.baseURI);
    var index = new Index(function (path) {
      return fetch(new URL(path, base).href, { credentials: 'same-origin' }).then(function (response) {
        if (!response.ok) { throw new Error(response.status + ' ' + path); }
        return response.json();
      });
    });
    var current = 0; // the latest search; older ones still running are ignored when they finish
    var shown = null;
    var more = doc.createElement('button');
    more.type = 'button';
    more.id = 'bip-search-more';
    more.hidden = true;
    more.textContent = 'Pokaż kolejne wyniki';
    list.parentNode.insertBefore(more, list.nextSibling);

    function say(text) { status.textContent = text; }

    function values() {
      return {
        q: input.value.trim(),
        type: typeSelect ? typeSelect.value : '',
        year: yearSelect ? yearSelect.value : ''
      };
    }

    function remember(v) {
      var params = new URLSearchParams();
      if (v.q) { params.set('q', v.q); }
      if (v.type) { params.set('type', v.type); }
      if (v.year) { params.set('year', v.year); }
      var query = params.toString();
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, '', (query ? '?' + query : window.location.pathname) + window.location.hash);
      }
    }

    function describe(v, meta) {
      var filters = [];
      if (v.type) {
        var t = typeIndex(meta, v.type);
        filters.push('rodzaj: ' + (t >= 0 ? meta.types[t][1] : v.type));
      }
      if (v.year) { filters.push('rok: ' + v.year); }
      var what = v.q ? 'dla „' + v.q + '”' : '';
      return (what + (filters.length ? (what ? ' ' : '') + '(' + filters.join(', ') + ')' : '')).trim();
    }

    function render(docs, terms, focusFirst) {
      var firstLink = null;
      docs.forEach(function (d) {
        var item = doc.createElement('li');
        var link = doc.createElement('a');
        link.href = new URL(d.root + d.url, base).href;
        append(link, highlight(d.title, terms, index.analyzer));
        item.appendChild(link);
        var details = [d.typeLabel];
        if (d.date) { details.push(polishDate(d.date)); }
        if (d.number) { details.push(d.number); }
        if (index.meta.units.length > 1) { details.push(d.unitName); }
        var info = doc.createElement('span');
        info.className = 'bip-search-info';
        info.textContent = ' ' + details.join(' · ');
        item.appendChild(info);
        if (d.text) {
          var p = doc.createElement('p');
          append(p, highlight(passage(d.text, terms, index.analyzer), terms, index.analyzer));
          item.appendChild(p);
        }
        list.appendChild(item);
        if (!firstLink) { firstLink = link; }
      });
      if (focusFirst && firstLink) { firstLink.focus(); }
    }

    function append(parent, pieces) {
      // Text nodes only, never parsed as HTML: titles and snippets cannot inject markup.
      pieces.forEach(function (piece) {
        if (piece[1]) {
          var mark = doc.createElement('mark');
          mark.textContent = piece[0];
          parent.appendChild(mark);
        } else {
          parent.appendChild(doc.createTextNode(piece[0]));
        }
      });
    }

    async function showMore(focusFirst) {
      var ticket = current;
      var page = shown.ids.slice(shown.count, shown.count + PAGE);
      var docs = await documents(index, page);
      if (ticket !== current) { return; }
      shown.count += page.length;
      render(docs, shown.terms, focusFirst);
      more.hidden = shown.count >= shown.ids.length;
    }

    async function run() {
      var v = values();
      var ticket = ++current;
      remember(v);
      list.textContent = '';
      more.hidden = true;
      shown = null;
      if (!v.q && !v.type && !v.year) { say(''); return; }
      say('Szukam…');
      list.setAttribute('aria-busy', 'true');
      try {
        var found = await search(index, v.q, { type: v.type, year: v.year });
        if (ticket !== current) { return; }
        var meta = index.meta;
        if (!found.ids.length) {
          say('Brak wyników ' + describe(v, meta) + '.');
          return;
        }
        shown = { ids: found.ids, terms: found.terms, count: 0 };
        await showMore(false);
        if (ticket !== current) { return; }
        var n = found.ids.length;
        var text = 'Znaleziono ' + n + ' ' + plural(n) + ' ' + describe(v, meta) + '.';
        if (found.partial) { text = 'Żaden dokument nie zawiera wszystkich szukanych słów. ' + text; }
        say(text);
      } catch (error) {
        if (ticket !== current) { return; }
        say('Wyszukiwarka jest chwilowo niedostępna. Skorzystaj z wykazu dokumentów poniżej.');
      } finally {
        if (ticket === current) { list.removeAttribute('aria-busy'); }
      }
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      run();
    });
    more.addEventListener('click', function () {
      if (shown) { showMore(true); }
    });

    var params = new URLSearchParams(window.location.search);
    if (params.get('q')) { input.value = params.get('q'); }
    var header = document.getElementById('szukaj-q');  // the header's field keeps the query it was sent with
    if (header && params.get('q')) { header.value = params.get('q'); }
    if (typeSelect && params.get('type')) { typeSelect.value = params.get('type'); }
    if (yearSelect && params.get('year')) { yearSelect.value = params.get('year'); }
    if (params.get('q') || params.get('type') || params.get('year')) { run(); }
  }

  return {
    FORMAT: FORMAT,
    fold: fold,
    rootOf: rootOf,
    fnv1a: fnv1a,
    Analyzer: Analyzer,
    Index: Index,
    search: search,
    documents: documents,
    highlight: highlight,
    passage: passage,
    polishDate: polishDate,
    plural: plural,
    start: start
  };
}));

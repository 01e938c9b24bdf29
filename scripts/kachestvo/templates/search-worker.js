/* kachestvo: the site's search worker. It speaks Material for MkDocs' worker protocol (0 set up, 1 ready, 2 query,
   3 result; assets/tables.js hands Material's messages to it) over an index in parts (kachestvo/output/search.py):
   ../search/search_index.json lists the pages; ../search/t/<prefix>.json maps each word to the sections holding it;
   ../search/p/<n>.json holds one page's sections. A query fetches one prefix file per word and the texts of the
   pages it shows, nothing else. Words are stemmed with lunr.ru (Snowball), which Material ships with every site. */
"use strict";

// lunr.ru needs these few parts of lunr itself; the stemmer and the stop words are all this worker uses.
self.lunr = {
  Pipeline: { registerFunction: function () {} },
  trimmerSupport: { generateTrimmer: function () { return function (token) { return token; }; } },
  generateStopWordFilter: function (list) {
    var stop = new Set(list);
    return function (token) { return stop.has(token) ? undefined : token; };
  }
};
importScripts("javascripts/lunr/min/lunr.stemmer.support.min.js", "javascripts/lunr/min/lunr.ru.min.js");

var SECTIONS = 512;  // as in search.py: a posting is (page × SECTIONS + section) × 2 + (word in the title)
var SHOWN = 20;       // pages whose text is fetched for a snippet; further results show their titles
var ROOT = new URL("../", self.location.href);
var index = null, separator = null, shards = null, loading = null;
var files = new Map(), stems = new Map(), latest = 0;

function load() {
  if (!loading) {
    loading = fetchJSON("search/search_index.json").then(function (data) {
      index = data;
      separator = new RegExp(data.config.separator || "[\\s\\-]+");
      shards = new Set(data.shards || []);
    });
  }
  return loading;
}

function fetchJSON(path) {
  if (!files.has(path)) {
    files.set(path, fetch(new URL(path, ROOT)).then(function (r) {
      if (!r.ok) { throw new Error(path + ": " + r.status); }
      return r.json();
    }));
  }
  return files.get(path);
}

// A query is split and folded exactly as search.py splits the pages' text.
function fold(word) {
  return word.toLowerCase().replace(/ё/g, "е").replace(/^[^\p{L}\p{N}\p{M}]+|[^\p{L}\p{N}\p{M}]+$/gu, "");
}
function terms(text) {
  var out = [];
  text.replace(/([a-zа-яё])([A-ZА-ЯЁ])/g, "$1 $2").split(separator).forEach(function (raw) {
    var w = fold(raw);
    if (w && out.indexOf(w) === -1) { out.push(w); }
  });
  return out;
}
function stem(word) {
  if (!/^[а-я]{3,}$/.test(word)) { return word; }
  if (!stems.has(word)) { stems.set(word, self.lunr.ru.stemmer(word)); }
  return stems.get(word);
}
function isStopWord(word) { return self.lunr.ru.stopWordFilter(word) === undefined; }
function shardName(word) {
  return Array.from(word).slice(0, 2).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
}
// A page's word matches a query word when it begins with it (the query may be half typed) or has the same stem.
function matcher(term) {
  var s = stem(term);
  return function (word) { return word.indexOf(term) === 0 || (s.length > 2 && stem(word) === s); };
}

function escapeHTML(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
// Escaped text with every word matching the query in <mark> (Material inserts titles and texts as HTML).
function highlight(text, match) {
  var parts = text.split(new RegExp("(" + separator.source + ")"));
  return parts.map(function (part, i) {
    var w = i % 2 === 0 ? fold(part) : "";
    return w && match(w) ? "<mark>" + escapeHTML(part) + "</mark>" : escapeHTML(part);
  }).join("");
}
function snippet(text, match) {
  var parts = text.split(new RegExp("(" + separator.source + ")")), pos = 0, at = 0;
  for (var i = 0; i < parts.length; i++) {
    if (i % 2 === 0 && match(fold(parts[i]))) { at = pos; break; }
    pos += parts[i].length;
  }
  var start = Math.max(0, at - 80);
  if (start > 0) { start = text.indexOf(" ", start) + 1 || start; }
  var cut = text.slice(start, start + 300);
  return "<p>" + (start > 0 ? "… " : "") + highlight(cut, match) + (start + 300 < text.length ? " …" : "") + "</p>";
}

function search(query) {
  var all = terms(query);
  var wanted = all.filter(function (t) { return !isStopWord(t); });
  if (!wanted.length) { wanted = all; }
  if (!wanted.length) { return Promise.resolve({ items: [] }); }
  var matchers = wanted.map(matcher);
  function any(word) { return matchers.some(function (m) { return m(word); }); }
  return Promise.all(wanted.map(function (t) {
    var name = shardName(t);
    return shards.has(name) ? fetchJSON("search/t/" + name + ".json") : Promise.resolve({});
  })).then(function (found) {
    var hits = new Map();  // section key → {terms: Set of query words found, title: count in the title}
    found.forEach(function (shard, k) {
      Object.keys(shard).forEach(function (word) {
        if (!matchers[k](word)) { return; }
        var posting = 0;
        shard[word].forEach(function (delta) {  // each posting is written as its difference from the one before
          posting += delta;
          var key = Math.floor(posting / 2), hit = hits.get(key);
          if (!hit) { hit = { terms: new Set(), title: new Set() }; hits.set(key, hit); }
          hit.terms.add(k);
          if (posting % 2) { hit.title.add(k); }
        });
      });
    });
    var ranked = Array.from(hits.entries()).map(function (e) {
      var key = e[0], hit = e[1];
      var score = hit.terms.size / wanted.length * 10 + hit.title.size * 2 + (key % SECTIONS === 0 ? 1 : 0);
      return { page: Math.floor(key / SECTIONS), section: key % SECTIONS, score: score, hit: hit };
    }).sort(function (a, b) { return b.score - a.score || a.page - b.page || a.section - b.section; });
    var groups = new Map();
    ranked.forEach(function (r) {
      if (!groups.has(r.page)) { groups.set(r.page, []); }
      groups.get(r.page).push(r);
    });
    var pages = Array.from(groups.keys());
    return Promise.all(pages.slice(0, SHOWN).map(function (n) { return fetchJSON("search/p/" + n + ".json"); }))
      .then(function (texts) {
        var items = pages.map(function (n, g) {
          var sections = texts[g] || null, doc = index.docs[n];
          var list = groups.get(n);
          if (!list.some(function (r) { return r.section === 0; })) {
            list.push({ page: n, section: 0, score: 0, hit: { terms: new Set(), title: new Set() } });
          }
          return list.map(function (r) {
            var s = sections ? sections[r.section] : ["", doc.title, ""];
            var present = {};
            wanted.forEach(function (t, k) { present[t] = r.hit.terms.has(k); });
            return {
              location: doc.location + (s[0] ? "#" + s[0] : ""),
              title: highlight(s[1] || doc.title, any),
              text: s[2] ? snippet(s[2], any) : "",
              score: r.score,
              terms: present
            };
          });
        });
        return { items: items };
      });
  });
}

self.addEventListener("message", function (ev) {
  var message = ev.data || {};
  if (message.type === 0) {
    load().then(function () { self.postMessage({ type: 1 }); });
  } else if (message.type === 2) {
    var n = ++latest;  // a newer query supersedes this one: only the answer to the last query is sent
    load().then(function () { return search(String(message.data || "")); }).then(function (result) {
      if (n === latest) { self.postMessage({ type: 3, data: result }); }
    }, function (err) {
      console.warn("kachestvo search:", err);
      if (n === latest) { self.postMessage({ type: 3, data: { items: [] } }); }
    });
  }
});

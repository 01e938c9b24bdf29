/* kachestvo: progressive enhancement of tables. Without JavaScript every table is complete and readable. */
(function () {
  "use strict";
  // Search. Material's bundle starts its own search worker (lunr over one index of every text) before this script
  // runs; its messages are handed to the site's worker (search-worker.js: the same messages, an index in parts
  // fetched as a query needs them). Material's worker is stopped; answers are dispatched as if it had sent them.
  var own = document.currentScript && new URL("search-worker.js", document.currentScript.src).href;
  if (own && window.Worker && !window.Worker.prototype.kqSearch) {
    var post = window.Worker.prototype.postMessage;
    window.Worker.prototype.kqSearch = true;
    window.Worker.prototype.postMessage = function (message) {
      var setup = message && message.type === 0 && message.data && message.data.config && message.data.docs;
      var query = message && message.type === 2 && typeof message.data === "string";
      if (this.kqOwn || !(this.kqWorker || setup || query)) { return post.apply(this, arguments); }
      if (!this.kqWorker) {
        // Material's worker may already have been set up (it then said «ready»): the site's says it once more, unheard
        var material = this, unheard = !setup, worker = new Worker(own);
        worker.kqOwn = true;
        worker.addEventListener("message", function (ev) {
          if (unheard && ev.data && ev.data.type === 1) { unheard = false; return; }
          material.dispatchEvent(new MessageEvent("message", { data: ev.data }));
        });
        this.kqWorker = worker;
        this.terminate();
        if (!setup) { worker.postMessage({ type: 0 }); }
      }
      return this.kqWorker.postMessage(setup ? { type: 0 } : message);
    };
  }
  function text(cell) { return (cell.textContent || "").trim(); }
  function key(value) {
    var n = value.replace(/\u00a0|\s/g, "").replace(",", ".").replace("%", "");
    return /^-?\d+(\.\d+)?$/.test(n) ? [0, parseFloat(n)] : [1, value.toLowerCase()];
  }
  function compare(a, b) {
    if (a[0] !== b[0]) { return a[0] - b[0]; }
    return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
  }
  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(key(text(r1.cells[index])), key(text(r2.cells[index])));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
    var label = document.createElement("label");
    label.className = "kq-filters";
    label.textContent = "Найти в таблице ";
    var input = document.createElement("input");
    input.type = "search";
    input.setAttribute("aria-label", "Найти в таблице");
    label.appendChild(input);
    table.parentNode.parentNode.insertBefore(label, table.parentNode);
    var place = municipalityFilter(table, label);
    function apply() {
      // every word of the query, in any order («лицей 199» finds «Лицей № 199»); «ё» as «е»
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        var cells = fold(text(r));
        var okText = words.every(function (w) { return cells.indexOf(w) !== -1; });
        var okPlace = !place || !place.value || r.getAttribute("data-municipality") === place.value;
        r.hidden = !(okText && okPlace);
      });
    }
    input.addEventListener("input", apply);
    if (place) { place.addEventListener("change", apply); }
  }
  function fold(value) {
    return value.toLowerCase().replace(/ё/g, "е").replace(/\u00a0/g, " ");
  }
  /* Region mode: rows carry data-municipality; a select beside the search box shows one municipality. */
  function municipalityFilter(table, after) {
    if (!table.classList.contains("kq-by-municipality")) { return null; }
    var names = {};
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      var m = r.getAttribute("data-municipality");
      if (m) { names[m] = true; }
    });
    var label = document.createElement("label");
    label.className = "kq-filters";
    label.textContent = "Муниципалитет ";
    var sel = document.createElement("select");
    var all = document.createElement("option");
    all.value = ""; all.textContent = "все";
    sel.appendChild(all);
    Object.keys(names).sort().forEach(function (k) {
      var o = document.createElement("option");
      o.value = k; o.textContent = k;
      sel.appendChild(o);
    });
    label.appendChild(sel);
    after.parentNode.insertBefore(label, after.nextSibling);
    return sel;
  }
  function heading(wrap) {  // the element before a table (its school's name), past the scroll hint
    var el = wrap.previousElementSibling;
    while (el && el.classList.contains("kq-scroll-hint")) { el = el.previousElementSibling; }
    return el;
  }
  function activityFilters(box) {
    var tables = document.querySelectorAll(box.getAttribute("data-target"));
    var rows = [];
    Array.prototype.forEach.call(tables, function (t) { rows = rows.concat(Array.prototype.slice.call(t.tBodies[0].rows)); });
    var schools = {}, years = {};
    rows.forEach(function (r) {
      var s = r.getAttribute("data-school");
      var title = heading(r.closest(".kq-table-wrap"));
      schools[s] = title ? text(title) : s;
      (r.getAttribute("data-years") || "").split(" ").forEach(function (y) { if (y) { years[y] = true; } });
    });
    function select(name, options) {
      var label = document.createElement("label");
      label.textContent = name;
      var sel = document.createElement("select");
      var all = document.createElement("option");
      all.value = ""; all.textContent = "все";
      sel.appendChild(all);
      Object.keys(options).sort().forEach(function (k) {
        var o = document.createElement("option");
        o.value = k; o.textContent = options[k] === true ? k : options[k];
        sel.appendChild(o);
      });
      label.appendChild(sel);
      box.appendChild(label);
      return sel;
    }
    var school = select("Школа", schools), year = select("Год", years);
    function apply() {
      rows.forEach(function (r) {
        var okSchool = !school.value || r.getAttribute("data-school") === school.value;
        var okYear = !year.value || (" " + (r.getAttribute("data-years") || "") + " ").indexOf(" " + year.value + " ") !== -1;
        r.hidden = !(okSchool && okYear);
      });
      Array.prototype.forEach.call(tables, function (t) {
        var wrap = t.closest(".kq-table-wrap");
        var visible = Array.prototype.some.call(t.tBodies[0].rows, function (r) { return !r.hidden; });
        wrap.hidden = !visible;
        if (heading(wrap)) { heading(wrap).hidden = !visible; }
      });
    }
    school.addEventListener("change", apply);
    year.addEventListener("change", apply);
    box.hidden = false;
  }
  // A table wider than its box: a line above it says so, while it is (the box's width changes with the window).
  function scrollHint(wrap) {
    var hint = document.createElement("p");
    hint.className = "kq-scroll-hint";
    hint.textContent = "Таблица шире страницы: прокрутите её вбок";
    hint.hidden = true;
    wrap.parentNode.insertBefore(hint, wrap);
    function check() {
      // a table out of view is not laid out (content-visibility: auto in kachestvo.css): measured once it is
      if (wrap.checkVisibility && !wrap.checkVisibility({ contentVisibilityAuto: true })) { return; }
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      hint.hidden = !wide;
      wrap.classList.toggle("kq-overflow", wide);
    }
    // measured once the page is laid out (the observer's first call), never in the middle of building it: a forced
    // layout per table made a long page's set-up several times slower on a phone
    wrap.addEventListener("contentvisibilityautostatechange", function (ev) {
      if (!ev.skipped) { window.requestAnimationFrame(check); }
    });
    if (window.ResizeObserver) { new ResizeObserver(check).observe(wrap); }
    else { window.requestAnimationFrame(check); window.addEventListener("resize", check); }
  }
  function init() {
    // the printed footer names the page's address (municipality and date are in the copyright line)
    var foot = document.querySelector(".md-copyright__highlight");
    if (foot) { foot.setAttribute("data-kq-url", window.location.href); }
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.getAttribute("aria-label")) { search.setAttribute("aria-label", "Поиск по сайту"); }
    document.querySelectorAll("table.kq-sortable").forEach(function (t) {
      if (!t.getAttribute("data-kq")) { t.setAttribute("data-kq", "1"); sortable(t); }
    });
    document.querySelectorAll(".kq-filters[data-target]").forEach(function (b) {
      if (!b.getAttribute("data-kq")) { b.setAttribute("data-kq", "1"); activityFilters(b); }
    });
    document.querySelectorAll(".kq-table-wrap").forEach(function (w) {
      if (!w.getAttribute("data-kq-hint")) { w.setAttribute("data-kq-hint", "1"); scrollHint(w); }
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();

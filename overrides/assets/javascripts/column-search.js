/*
 * Search for the column: Pagefind's index, Material's look, Vietnamese typed with or without diacritics.
 *
 * - Nothing is fetched until a reader opens the search box: then Pagefind's script and the
 *   few index chunks a query needs (pagefind/, written at build by hooks/search_index.py).
 * - Pagefind folds diacritics itself (ạ → a), but "đ" has no Unicode decomposition: a word
 *   typed with "d" is also looked up with "đ" ("dang" finds "đẳng", "Đảng" and "dàng").
 * - Pages holding the words exactly as typed, diacritics included, come first.
 * - A result opens its page with ?h=<query>; there the words are highlighted, folded the same
 *   way, so a query typed without diacritics highlights the words with them.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("__config").textContent);
  var base = new URL(config.base + "/", location.href);
  var MAX_RESULTS = 10;
  var NOTHING_YET = "Chuyên mục chưa có bài nào để tìm.";
  var CANDIDATES = 12;  // each result's text is one small download: only these are fetched
  var PAUSE = 100;  // ms after a keystroke before searching; the chunks are preloaded meanwhile, so a search
                    // started between two keys costs little (150 ms kept results 75 ms further away)
  var LAST_LETTER_PAUSE = 500;  // ms more before a query ending in one letter is searched as typed
  var EXCERPT_WORDS = 26;
  var MAX_VARIANTS = 8;

  /* "Đẳng" → "dang": marks removed, đ → d, lower case; one character in, one out. */
  function foldChar(ch) {
    var plain = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    if (plain === "đ" || plain === "Đ") plain = "d";
    return plain.length === 1 ? plain.toLowerCase() : ch.toLowerCase();
  }
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) out += foldChar(text[i]);
    return out;
  }
  function words(query) {
    return query.trim().split(/\s+/).filter(Boolean);
  }

  /* "bạo l" → "bạo": a last word of one letter, most likely still being typed, waits. Pagefind
     would read it as the start of every word beginning with that letter and fetch their index
     chunks. A lone word and a number ("quý 3") stay; a real one-letter word ("vitamin A") is
     searched once the reader stops typing (LAST_LETTER_PAUSE). */
  function settled(query) {
    var all = words(query);
    var last = all[all.length - 1];
    return all.length > 1 && last.length === 1 && /\p{L}/u.test(last) ? all.slice(0, -1).join(" ") : all.join(" ");
  }

  /* Each "d" of a typed word may have meant "đ": at most MAX_VARIANTS queries. */
  function variants(query) {
    var out = [""];
    words(query).forEach(function (word) {
      var forms = [word];
      for (var i = 0; i < word.length && forms.length < 4; i++) {
        if (word[i] === "d" || word[i] === "D") {
          forms = forms.concat(forms.map(function (form) {
            return form.slice(0, i) + (word[i] === "d" ? "đ" : "Đ") + form.slice(i + 1);
          }));
        }
      }
      var next = [];
      out.forEach(function (head) {
        forms.forEach(function (form) { if (next.length < MAX_VARIANTS) next.push((head + " " + form).trim()); });
      });
      out = next;
    });
    return out;
  }

  /* Every word of the query, as typed (diacritics included), appears in the text as a word. */
  function exact(query, text) {
    var lower = " " + text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ") + " ";
    return words(query.toLowerCase()).every(function (word) { return lower.indexOf(" " + word + " ") !== -1; });
  }

  var pagefind = null;
  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
        return pf.options({ baseUrl: base.pathname, excerptLength: 26 }).then(function () {
          return pf.init();
        }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function search(query) {
    return load().then(function (pf) {
      return Promise.all(variants(query).map(function (q) { return pf.search(q); }));
    }).then(function (answers) {
      var best = {};
      answers.forEach(function (answer) {
        answer.results.forEach(function (result) {
          var seen = best[result.id];
          if (!seen || seen.score < result.score) best[result.id] = result;
        });
      });
      var ranked = Object.keys(best).map(function (id) { return best[id]; })
        .sort(function (a, b) { return b.score - a.score; });
      var total = ranked.length;
      return Promise.all(ranked.slice(0, CANDIDATES).map(function (r) { return r.data(); }))
        .then(function (pages) {
          var typed = query.toLowerCase() !== fold(query);  // diacritics typed: those exact words first
          var order = pages.map(function (page, i) { return { page: page, i: i, exact: typed && exact(query, page.content) }; });
          order.sort(function (a, b) { return (b.exact - a.exact) || (a.i - b.i); });
          return {
            total: total,
            pages: order.slice(0, MAX_RESULTS).map(function (o) {
              // Show where the exact words are, not a look-alike Pagefind preferred.
              if (o.exact) o.page.excerpt = excerptAt(o.page.content, query);
              return o.page;
            })
          };
        });
    });
  }

  /* A few words of ``content`` around the query's first exact word, every folded match marked. */
  function excerptAt(content, query) {
    var all = content.split(/\s+/), first = words(query.toLowerCase())[0], at = 0;
    for (var i = 0; i < all.length; i++) {
      if (all[i].toLowerCase().replace(/[^\p{L}\p{N}]/gu, "") === first) { at = i; break; }
    }
    var start = Math.max(0, at - Math.floor(EXCERPT_WORDS / 3));
    var wanted = words(fold(query));
    return all.slice(start, start + EXCERPT_WORDS).map(function (word) {
      var bare = fold(word).replace(/[^\p{L}\p{N}]/gu, "");
      return wanted.indexOf(bare) !== -1 ? "<mark>" + escapeText(word) + "</mark>" : escapeText(word);
    }).join(" ");
  }

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function render(box, query, found) {
    var meta = box.querySelector(".md-search-result__meta");
    var list = box.querySelector(".md-search-result__list");
    list.innerHTML = "";
    if (!found.total) {
      meta.textContent = "Không tìm thấy bài nào có \u201c" + query + "\u201d";
      return;
    }
    meta.textContent = found.total === 1 ? "1 kết quả" : found.total + " kết quả";
    found.pages.forEach(function (page) {
      var item = document.createElement("li");
      item.className = "md-search-result__item";
      var url = page.url + (page.url.indexOf("?") === -1 ? "?" : "&") + "h=" + encodeURIComponent(query);
      // Pagefind's excerpt is the page's own text, escaped, with <mark> around the matched words.
      item.innerHTML =
        '<a href="' + escapeText(url) + '" class="md-search-result__link" tabindex="-1">' +
        '<article class="md-search-result__article md-typeset">' +
        "<h1>" + escapeText(page.meta.title || page.url) + "</h1>" +
        "<p>" + page.excerpt + "</p></article></a>";
      list.appendChild(item);
    });
  }

  function setUp(box) {
    var input = box.querySelector("[data-column-search-query]");
    var form = box.querySelector("form");
    var toggle = document.getElementById("__search");
    var meta = box.querySelector(".md-search-result__meta");
    var timer = null, asked = "";
    var empty = box.hasAttribute("data-column-search-empty");  // no post, plan or guide page yet
    input.addEventListener("focus", function () {
      if (toggle && !toggle.checked) toggle.checked = true;  // open the overlay, as Material does
      if (empty) { meta.textContent = NOTHING_YET; return; }
      load().catch(function () { meta.textContent = "Chưa tải được phần tìm kiếm; hãy thử lại."; });
    });
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked) setTimeout(function () { input.focus(); }, 50);
      });
    }
    function ask(query) {
      asked = query;
      search(query).then(function (found) { if (asked === query) render(box, query, found); })
        .catch(function () { if (asked === query) meta.textContent = "Chưa tải được phần tìm kiếm; hãy thử lại."; });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      asked = "";  // an answer still on its way is for a query no longer in the box
      var typed = words(input.value).join(" ");
      var query = settled(typed);
      if (empty) { meta.textContent = NOTHING_YET; return; }
      if (query.length < 2) { render(box, "", { total: 0, pages: [] }); meta.textContent = "Gõ vài chữ để tìm, có dấu hay không dấu đều được"; return; }
      // While the reader types, the index chunks of the words so far are fetched and read, so
      // the search after the pause finds them ready (a first search took 180 ms, a second 22).
      load().then(function (pf) {
        variants(query).forEach(function (q) { pf.preload(q).catch(function () {}); });
      }).catch(function () {});
      timer = setTimeout(function () {
        ask(query);
        if (typed !== query) timer = setTimeout(function () { ask(typed); }, LAST_LETTER_PAUSE);
      }, PAUSE);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = box.querySelector(".md-search-result__link");
      if (first) location.href = first.href;
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { input.dispatchEvent(new Event("input")); input.focus(); }, 0);
    });
    document.addEventListener("keydown", function (event) {
      var typing = /input|textarea|select/i.test((event.target && event.target.tagName) || "");
      if (event.key === "Escape" && toggle && toggle.checked) { toggle.checked = false; input.blur(); }
      else if (!typing && (event.key === "/" || event.key === "s") && toggle && !toggle.checked) {
        event.preventDefault(); toggle.checked = true; input.focus();
      }
    });
  }

  /* On a page opened from a result: <mark> every word of ?h=, diacritics or not. */
  function highlight() {
    var asked = new URLSearchParams(location.search).get("h");
    if (!asked) return;
    var wanted = words(fold(asked)).filter(function (w) { return w.length > 1; });
    var root = document.querySelector("[data-pagefind-body]") || document.querySelector(".md-content");
    if (!wanted.length || !root) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return /^(script|style|mark)$/i.test(node.parentNode.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.nodeValue, folded = fold(text), spans = [];
      wanted.forEach(function (word) {
        var at = folded.indexOf(word);
        while (at !== -1) {
          var before = at === 0 || !/[\p{L}\p{N}]/u.test(folded[at - 1]);
          var after = at + word.length >= folded.length || !/[\p{L}\p{N}]/u.test(folded[at + word.length]);
          if (before && after) spans.push([at, at + word.length]);
          at = folded.indexOf(word, at + word.length);
        }
      });
      if (!spans.length) return;
      spans.sort(function (a, b) { return a[0] - b[0]; });
      var fragment = document.createDocumentFragment(), last = 0;
      spans.forEach(function (span) {
        if (span[0] < last) return;
        fragment.appendChild(document.createTextNode(text.slice(last, span[0])));
        var mark = document.createElement("mark");
        mark.setAttribute("data-md-highlight", "");
        mark.textContent = text.slice(span[0], span[1]);
        fragment.appendChild(mark);
        last = span[1];
      });
      fragment.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(fragment, node);
    });
  }

  var box = document.querySelector("[data-column-search]");
  if (box) setUp(box);
  highlight();
})();

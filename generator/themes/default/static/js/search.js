/* Digest search: filters the prebuilt index (search/index.json and the parts it names) in
   the browser as you type. No dependencies and no server: the page, this script and the
   index are static files. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-index]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var PAGE = 50;
  // "15 February 2024", as the pages write dates.
  var DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  var stories = null; // [{row, provider, title, names, excerpt}] once the index has loaded
  var shown = 0;
  var matches = [];
  var terms = [];
  var timer = 0;

  // Lower case without accents, so "régulation" finds "regulation" and the reverse.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // " word word word": a term matches the start of any word with one indexOf(" " + term).
  function words(text) {
    var found = fold(text).match(/[\p{L}\p{N}]+/gu);
    return found ? " " + found.join(" ") : "";
  }

  // One file's rows, each with its source's name: every file numbers its own names.
  function prepare(data) {
    if (data.v !== 2) throw new Error("index format " + data.v);
    return data.items.map(function (row) {
      var provider = row[3] >= 0 ? data.providers[row[3]] : "";
      var topics = row[4].map(function (n) { return data.topics[n]; }).join(" ");
      return {
        row: row,
        provider: provider,
        title: words(row[0]),
        names: words(provider + " " + topics),
        excerpt: words(row[5])
      };
    });
  }

  function score(story, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var needle = " " + terms[i];
      var best = 0;
      if (story.title.indexOf(needle + " ") >= 0 || story.title.endsWith(needle)) best = 8;
      else if (story.title.indexOf(needle) >= 0) best = 6;
      else if (story.names.indexOf(needle) >= 0) best = 4;
      else if (story.excerpt.indexOf(needle) >= 0) best = 2;
      if (!best) return 0; // every term must match somewhere
      total += best;
    }
    return total;
  }

  function search(terms) {
    if (!terms.length) return [];
    var found = [];
    for (var i = 0; i < stories.length; i++) {
      var points = score(stories[i], terms);
      if (points) found.push([points, i]);
    }
    // Best matches first; among equals the index order, which is newest first.
    found.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return found.map(function (pair) { return stories[pair[1]]; });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text; // text, never HTML: the index is content
    return node;
  }

  // `text` as nodes, each word that a query term begins wrapped in <mark>.
  function highlighted(text, terms) {
    var fragment = document.createDocumentFragment();
    text.split(/([\p{L}\p{N}]+)/u).forEach(function (part, i) {
      var folded = i % 2 ? fold(part) : "";
      var hit = folded && terms.some(function (term) { return folded.startsWith(term); });
      fragment.appendChild(hit ? element("mark", "", part) : document.createTextNode(part));
    });
    return fragment;
  }

  function result(story, terms) {
    var row = story.row;
    var item = element("li", "search-result");
    var heading = element("h2", "search-result__title");
    var link = element("a", "");
    link.appendChild(highlighted(row[0], terms));
    link.href = row[1];
    heading.appendChild(link);
    item.appendChild(heading);
    var byline = element("p", "meta");
    if (story.provider) byline.appendChild(element("span", "meta__source", story.provider));
    var time = element("time", "", DATE.format(new Date(row[2] + "T00:00:00Z")));
    time.dateTime = row[2];
    byline.appendChild(time);
    item.appendChild(byline);
    if (row[5]) item.appendChild(element("p", "search-result__excerpt")).appendChild(highlighted(row[5], terms));
    return item;
  }

  function showMore() {
    var end = Math.min(matches.length, shown + PAGE);
    var fragment = document.createDocumentFragment();
    for (var i = shown; i < end; i++) fragment.appendChild(result(matches[i], terms));
    list.appendChild(fragment);
    shown = end;
    var more = document.getElementById("search-more");
    if (more) more.remove();
    if (shown < matches.length) {
      var button = element("button", "search-more", "Show " + Math.min(PAGE, matches.length - shown) + " more");
      button.type = "button";
      button.id = "search-more";
      button.addEventListener("click", function () {
        var first = shown;
        showMore();
        var next = list.children[first];
        if (next) next.querySelector("a").focus();
      });
      list.after(button);
    }
  }

  function plural(count) {
    return count === 1 ? "1 story" : count.toLocaleString("en") + " stories";
  }

  function run() {
    var query = input.value.trim();
    var url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    if (!stories) return;
    list.textContent = "";
    shown = 0;
    terms = fold(query).match(/[\p{L}\p{N}]+/gu) || [];
    matches = search(terms);
    if (!query) status.textContent = "Type a word or two: results appear as you type.";
    else if (!matches.length) status.textContent = "No story matches “" + query + "”.";
    else status.textContent = plural(matches.length) + (matches.length === 1 ? " matches" : " match") + " “" + query + "”.";
    showMore();
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 80);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run();
  });

  input.value = new URLSearchParams(window.location.search).get("q") || "";
  if (!input.value) input.focus();
  status.textContent = "Loading the index…";
  function load(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }
  // The first file holds the newest stories and names the older parts, newest first: all
  // are fetched at once and joined in that order, which is the site's, newest first.
  load(form.getAttribute("data-index"))
    .then(function (first) {
      return Promise.all((first.parts || []).map(load)).then(function (parts) {
        return [first].concat(parts);
      });
    })
    .then(function (files) {
      stories = files.map(prepare).flat();
      run();
    })
    .catch(function () {
      status.textContent = "The search index could not be loaded. Browse the topics or the archive instead.";
    });
})();

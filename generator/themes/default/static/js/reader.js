/* Digest reader conveniences, on every page. Progressive enhancement: every page reads
   completely without this script, and nothing it keeps leaves the browser (localStorage only).

   - compact mode (headlines only), switched on list pages and remembered;
   - "New" marks on stories published since the reader's previous visit;
   - keys: j / k next and previous story, o open it, s save it;
   - saved stories and the Saved page;
   - times as "3 h ago" from the reader's clock (the page itself says the full date);
   - failed images collapse to nothing, logos to the source's initials;
   - on the subscribe page: a filter, and a bundle of ticked feeds as one OPML file.

   It is loaded in <head> without `defer` so the compact class is set before the first paint
   (no jump); everything else waits for the document. */
(function () {
  "use strict";

  var root = document.documentElement;
  var COMPACT = "digest-compact";
  var SAVED = "digest-saved";
  var LAST_SEEN = "digest-last-seen"; // when the reader last looked at the site
  var PREVIOUS = "digest-previous-visit"; // the end of the visit before this one
  var VISIT_GAP = 30 * 60 * 1000; // a pause this long starts a new visit

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (error) { return null; }
  }
  function write(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (error) { /* storage off or full: the convenience is simply not kept */ }
  }

  root.classList.add("js");
  if (read(COMPACT) === "1") root.classList.add("compact");

  // Failed images: error events do not bubble, but they reach a capturing listener.
  document.addEventListener("error", function (event) {
    if (event.target && event.target.tagName === "IMG") collapse(event.target);
  }, true);

  // A logo, or the lead story's picture, becomes the source's initials in the same frame;
  // any other image goes, with the frame it had.
  function collapse(image) {
    var initials = image.getAttribute("data-initials");
    if (initials) {
      var badge = document.createElement("span");
      badge.className = image.className + " logo--initials";
      badge.setAttribute("aria-hidden", "true");
      badge.textContent = initials;
      image.replaceWith(badge);
      return;
    }
    var frame = image.closest(".story__image, .article__image");
    (frame || image).remove();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text; // text, never HTML: titles come from content
    return node;
  }

  function stories() {
    return Array.prototype.slice.call(document.querySelectorAll("main .story[data-url]"));
  }

  // ---------------------------------------------------------------------------------------
  // Times: "3 h ago" for the last week, the page's own date after that.

  function age(moment, now) {
    var minutes = Math.round((now - moment) / 60000);
    if (isNaN(minutes) || minutes < 0) return null;
    if (minutes < 1) return "just now";
    if (minutes < 60) return minutes + " min ago";
    var hours = Math.round(minutes / 60);
    if (hours < 24) return hours + " h ago";
    var days = Math.round(hours / 24);
    if (days < 7) return days === 1 ? "yesterday" : days + " days ago";
    return null;
  }

  function showAges() {
    var now = Date.now();
    document.querySelectorAll("time[data-relative]").forEach(function (time) {
      var text = age(Date.parse(time.dateTime), now);
      if (text) time.textContent = text;
    });
  }

  // ---------------------------------------------------------------------------------------
  // New since the last visit: stories newer than the end of the previous visit.

  function previousVisit() {
    var now = Date.now();
    var lastSeen = Number(read(LAST_SEEN)) || 0;
    if (lastSeen && now - lastSeen > VISIT_GAP) write(PREVIOUS, String(lastSeen));
    write(LAST_SEEN, String(now));
    return Number(read(PREVIOUS)) || 0;
  }

  function markNew() {
    var since = previousVisit();
    if (!since) return; // a first visit: everything is new, so nothing is marked
    stories().forEach(function (story) {
      var title = story.querySelector(".story__title");
      if (!title || Date.parse(story.getAttribute("data-time")) <= since) return;
      story.classList.add("story--new");
      title.prepend(element("span", "story__new", "New"));
    });
  }

  // ---------------------------------------------------------------------------------------
  // Saved stories: [{url, title, source, time}], newest saved first.

  function savedList() {
    try {
      var list = JSON.parse(read(SAVED) || "[]");
      return Array.isArray(list) ? list.filter(function (entry) { return entry && typeof entry.url === "string"; }) : [];
    } catch (error) {
      return [];
    }
  }

  function absolute(url) {
    return new URL(url, window.location.href).href;
  }

  function isSaved(url) {
    return savedList().some(function (entry) { return entry.url === url; });
  }

  function toggleSaved(story) {
    var url = absolute(story.getAttribute("data-url"));
    var list = savedList();
    var kept = list.filter(function (entry) { return entry.url !== url; });
    if (kept.length === list.length) {
      kept.unshift({
        url: url,
        title: story.getAttribute("data-title") || "",
        source: story.getAttribute("data-source") || "",
        time: story.getAttribute("data-time") || "",
      });
    }
    write(SAVED, JSON.stringify(kept));
    syncSaveButtons();
  }

  function syncSaveButtons() {
    var urls = savedList().map(function (entry) { return entry.url; });
    document.querySelectorAll("button.save").forEach(function (button) {
      var story = button.closest(".story[data-url]");
      if (!story || story.closest(".saved__list")) return;
      var saved = urls.indexOf(absolute(story.getAttribute("data-url"))) >= 0;
      button.setAttribute("aria-pressed", saved ? "true" : "false");
      button.textContent = saved ? "Saved" : "Save";
      button.setAttribute("aria-label", (saved ? "Saved: " : "Save: ") + (story.getAttribute("data-title") || "this story"));
    });
  }

  function setUpSaveButtons() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button.save");
      var story = button && button.closest(".story[data-url]");
      if (story && !story.closest(".saved__list")) toggleSaved(story);
    });
    syncSaveButtons();
  }

  function savedStory(entry) {
    var story = element("article", "story");
    story.setAttribute("data-url", entry.url);
    story.setAttribute("data-title", entry.title);
    story.setAttribute("data-source", entry.source);
    story.setAttribute("data-time", entry.time);
    var title = story.appendChild(element("h3", "story__title"));
    var link = title.appendChild(element("a", "", entry.title || entry.url));
    link.href = /^(https?|file):/.test(entry.url) ? entry.url : "#";
    var meta = story.appendChild(element("p", "meta"));
    if (entry.source) meta.appendChild(element("span", "meta__source", entry.source));
    if (entry.time && !isNaN(Date.parse(entry.time))) {
      var time = meta.appendChild(element("time", "", new Date(entry.time).toLocaleString()));
      time.dateTime = entry.time;
      time.setAttribute("data-relative", "");
    }
    var remove = story.appendChild(element("button", "save saved__remove", "Remove"));
    remove.type = "button";
    remove.setAttribute("aria-label", "Remove: " + (entry.title || entry.url));
    remove.addEventListener("click", function () {
      write(SAVED, JSON.stringify(savedList().filter(function (other) { return other.url !== entry.url; })));
      showSaved();
    });
    return story;
  }

  function showSaved() {
    var list = document.querySelector(".saved__list");
    if (!list) return;
    var status = document.querySelector(".saved__status");
    var entries = savedList();
    list.textContent = "";
    entries.forEach(function (entry) { list.appendChild(savedStory(entry)); });
    status.textContent = entries.length
      ? (entries.length === 1 ? "1 saved story." : entries.length + " saved stories.")
      : "No saved stories yet. Press Save beside a story, or s on the story you are on.";
    showAges();
  }

  // ---------------------------------------------------------------------------------------
  // Keys: j / k move between stories, o opens the one you are on, s saves it.

  var current = -1;

  function moveTo(index) {
    var all = stories();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (story, n) { story.classList.toggle("story--current", n === current); });
    var link = all[current].querySelector(".story__title a") || all[current];
    link.focus({ preventScroll: true });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var all = stories();
    if (!all.length) return;
    var focused = all.findIndex(function (story) { return story.contains(document.activeElement); });
    if (focused >= 0) current = focused;
    if (event.key === "j") moveTo(current + 1);
    else if (event.key === "k") moveTo(current < 0 ? 0 : current - 1);
    else if (event.key === "o" && current >= 0) window.location.href = all[current].getAttribute("data-url");
    else if (event.key === "s" && current >= 0) toggleSaved(all[current]);
    else return;
    event.preventDefault();
  }

  // ---------------------------------------------------------------------------------------
  // Compact mode: a switch above each river of a list page.

  function setUpCompactSwitch() {
    document.querySelectorAll("button.view-toggle").forEach(function (button) {
      button.setAttribute("aria-pressed", root.classList.contains("compact") ? "true" : "false");
      button.addEventListener("click", function () {
        var compact = root.classList.toggle("compact");
        write(COMPACT, compact ? "1" : null);
        document.querySelectorAll("button.view-toggle").forEach(function (other) {
          other.setAttribute("aria-pressed", compact ? "true" : "false");
        });
      });
    });
  }

  // ---------------------------------------------------------------------------------------
  // Subscribe: filter the topics and sources; tick some and download them as one OPML file.

  function htmlText(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function opml(title, entries) {
    var doc = document.implementation.createDocument(null, "opml", null);
    var top = doc.documentElement;
    top.setAttribute("version", "2.0");
    var head = top.appendChild(doc.createElement("head"));
    head.appendChild(doc.createElement("title")).textContent = title;
    var body = top.appendChild(doc.createElement("body"));
    entries.forEach(function (entry) {
      var outline = body.appendChild(doc.createElement("outline"));
      outline.setAttribute("type", "rss");
      // OPML `text` may hold HTML, so its "&" and "<" are written as HTML entities
      outline.setAttribute("text", htmlText(entry.getAttribute("data-title")));
      outline.setAttribute("title", entry.getAttribute("data-title"));
      outline.setAttribute("xmlUrl", entry.getAttribute("data-feed"));
      outline.setAttribute("htmlUrl", entry.getAttribute("data-page"));
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc) + "\n";
  }

  function setUpBundle() {
    var bundle = document.querySelector(".bundle");
    if (!bundle) return;
    var entries = Array.prototype.slice.call(bundle.querySelectorAll("li[data-feed]"));
    var filter = bundle.querySelector("#bundle-filter");
    var download = bundle.querySelector(".bundle__download");
    var count = bundle.querySelector(".bundle__count");
    entries.forEach(function (entry) {
      var box = element("input", "");
      box.type = "checkbox";
      box.setAttribute("aria-label", "Add " + entry.getAttribute("data-name") + " to the bundle");
      entry.prepend(box);
    });
    function ticked() {
      return entries.filter(function (entry) { return entry.firstChild.checked; });
    }
    function update() {
      var chosen = ticked().length;
      download.disabled = !chosen;
      count.textContent = chosen ? (chosen === 1 ? "1 feed chosen" : chosen + " feeds chosen") : "";
    }
    bundle.addEventListener("change", update);
    filter.addEventListener("input", function () {
      var words = filter.value.trim().toLowerCase();
      entries.forEach(function (entry) {
        entry.hidden = words !== "" && entry.getAttribute("data-name").toLowerCase().indexOf(words) < 0;
      });
      bundle.querySelectorAll(".bundle__group").forEach(function (group) {
        group.hidden = !group.querySelector("li[data-feed]:not([hidden])");
      });
    });
    download.addEventListener("click", function () {
      var file = new Blob([opml(bundle.getAttribute("data-title") || document.title, ticked())], { type: "text/x-opml" });
      var link = element("a", "");
      link.href = URL.createObjectURL(file);
      link.download = "feeds.opml";
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    });
    bundle.querySelectorAll("[hidden].bundle__help, [hidden].bundle__tools").forEach(function (node) { node.hidden = false; });
    update();
  }

  function start() {
    document.querySelectorAll("img").forEach(function (image) {
      if (image.complete && image.naturalWidth === 0 && image.getAttribute("src")) collapse(image);
    });
    showAges();
    markNew();
    setUpSaveButtons();
    showSaved();
    setUpCompactSwitch();
    setUpBundle();
    document.addEventListener("keydown", onKey);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

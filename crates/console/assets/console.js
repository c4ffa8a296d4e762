// Airlock console: small progressive enhancements. Every page works without this script.
"use strict";
(function () {
  // Shows <time datetime="…Z"> in the viewer's local time; the title keeps the UTC time.
  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      if (isNaN(d.getTime())) return;
      el.textContent = d.toLocaleString(undefined, {
        year: "numeric", month: "short", day: "numeric",
        hour: "2-digit", minute: "2-digit", second: "2-digit"
      });
    });
  }
  window.airlockConsole = { localTimes: localTimes };

  function ready() {
    localTimes(document);

    // Forms with data-confirm ask before they submit.
    document.addEventListener("submit", function (ev) {
      var form = ev.target;
      if (!(form instanceof HTMLFormElement)) return;
      var question = form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) ev.preventDefault();
    });

    // Buttons with data-copy="#id" copy that element's text.
    document.addEventListener("click", function (ev) {
      var button = ev.target.closest && ev.target.closest("button[data-copy]");
      if (!button) return;
      var source = document.querySelector(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) return;
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        var label = button.textContent;
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = label; }, 1500);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();

// ---- registry pages: a confirmed form says so (data-confirm-field), so the server need not
// ask again with its own confirmation page (which is what a browser without this script gets).
// Registered after the script's own confirm handler (it runs first and may cancel).
(function () {
  function listen() { document.addEventListener("submit", onSubmit); }
  function onSubmit(ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement) || ev.defaultPrevented) return;
    var name = form.getAttribute("data-confirm-field");
    if (!name || !form.getAttribute("data-confirm") || form.elements[name]) return;
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = "yes";
    form.appendChild(input);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", listen);
  else listen();
})();
// ---- end registry pages ----
// ---- Approvals (helper console-approvals): live list over server-sent events ----
(function () {
  function start() {
    var list = document.getElementById("approval-list");
    if (!list || !window.EventSource || !window.fetch) return;
    var url = list.getAttribute("data-approvals-live");
    if (!url) return;
    var wanted = false, busy = false;

    // Half-typed notes survive a refresh; while a note has focus the refresh waits.
    function noteFocused() {
      var a = document.activeElement;
      return a && a.matches && a.matches("textarea[data-note]");
    }
    function refresh() {
      if (!wanted || busy) return;
      if (noteFocused()) { setTimeout(refresh, 1000); return; }
      wanted = false; busy = true;
      var q = new URLSearchParams(location.search);
      q.set("fragment", "1");
      fetch(location.pathname + "?" + q.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var notes = {};
          list.querySelectorAll("textarea[data-note]").forEach(function (t) {
            if (t.value) notes[t.getAttribute("data-note")] = t.value;
          });
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("approval-list");
          if (!fresh) return;
          list.innerHTML = fresh.innerHTML;
          list.setAttribute("data-version", fresh.getAttribute("data-version") || "");
          list.querySelectorAll("textarea[data-note]").forEach(function (t) {
            var v = notes[t.getAttribute("data-note")];
            if (v) t.value = v;
          });
          if (window.airlockConsole) window.airlockConsole.localTimes(list);
          ticks();
        })
        .catch(function () { wanted = true; })
        .then(function () { busy = false; if (wanted) setTimeout(refresh, 1000); });
    }
    var source = new EventSource(url);
    source.addEventListener("changed", function () { wanted = true; refresh(); });

    // "Time left" counts down between refreshes.
    function ticks() {
      list.querySelectorAll("[data-expires]").forEach(function (el) {
        var s = Math.floor((new Date(el.getAttribute("data-expires")) - new Date()) / 1000);
        if (isNaN(s)) return;
        el.textContent = s <= 0 ? "expired" : s < 60 ? s + " s left"
          : s < 3600 ? Math.floor(s / 60) + " min " + (s % 60) + " s left"
          : Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min left";
      });
    }
    setInterval(ticks, 1000);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
// ---- end Approvals ----

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

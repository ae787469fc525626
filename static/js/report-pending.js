// The "report is being rendered" page: polls the status URL and opens the PDF when it is ready.
(function () {
  "use strict";
  var state = document.getElementById("state");
  if (!state) return;
  var url = state.getAttribute("data-status-url");
  function show(text) { state.textContent = text; }
  function poll(tries) {
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.state === "ready") { window.location = s.url; return; }
      if (s.state === "failed") { show("报告生成失败，请稍后重试或联系管理员。"); return; }
      show("报告正在后台排版（" + (s.state === "started" ? "排版中" : "排队中") + "）…");
      if (tries < 120) setTimeout(function () { poll(tries + 1); }, 1000);
    }).catch(function () {
      if (tries < 120) setTimeout(function () { poll(tries + 1); }, 2000);
    });
  }
  poll(0);
})();

// The report progress page (templates/reports/pending.html): polls the report's status and opens
// the PDF once it is stored, or as soon as the server would render it directly.
(function () {
  "use strict";
  var box = document.getElementById("report-pending");
  if (!box) { return; }
  var statusUrl = box.getAttribute("data-status-url");
  var line = document.getElementById("state");
  function show(text) { line.textContent = text; }
  function poll(tries) {
    fetch(statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.state === "queued" || s.state === "started") {
          if (s.workers === 0) {
            show("后台排版服务暂未运行，稍候将直接为您生成报告…");
          } else {
            show("报告正在后台排版（" + (s.state === "started" ? "排版中" : "排队中") + "）…");
          }
          if (tries < 300) { setTimeout(function () { poll(tries + 1); }, 1000); }
          return;
        }
        if (s.state !== "ready") { show("正在直接生成报告，请稍候…"); }
        window.location = s.url;
      })
      .catch(function () {
        show("暂时无法获取报告状态，正在重试…");
        if (tries < 300) { setTimeout(function () { poll(tries + 1); }, 2000); }
      });
  }
  poll(0);
})();

// Roster upload: shows how far a large file has been sent, then that the server is checking it,
// and puts the server's answer (the errors found, or what the import changed) in place of the page.
// Without this script the form posts as usual.
(function () {
  "use strict";
  var form = document.getElementById("roster-upload");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var status = document.getElementById("roster-progress");
  var bar = status.querySelector("progress");
  var text = status.querySelector("span");
  form.addEventListener("submit", function (event) {
    var input = form.querySelector("input[type=file]");
    if (!input.files.length) { return; }
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    status.hidden = false;
    form.querySelector("button").disabled = true;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        bar.value = e.loaded / e.total;
        text.textContent = "正在上传 " + Math.round(100 * e.loaded / e.total) + "%";
      }
    });
    request.upload.addEventListener("load", function () {
      bar.removeAttribute("value");
      text.textContent = "上传完成，正在逐行校验并导入，请稍候…";
    });
    request.addEventListener("load", function () {
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", function () {
      text.textContent = "上传失败，请检查网络后重试";
      form.querySelector("button").disabled = false;
    });
    request.send(new FormData(form));
  });
}());

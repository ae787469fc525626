// The stage form (templates/enterprise/stage.html). No inline script: the site's CSP allows
// scripts from this origin only.
(function () {
  'use strict';
  var form = document.getElementById('stage-form');
  if (!form) return;

  // "None of the above" options exclude the others (the server checks this as well).
  form.querySelectorAll('.question[data-exclusive]').forEach(function (question) {
    var exclusive = question.getAttribute('data-exclusive');
    var boxes = question.querySelectorAll('input[type="checkbox"]');
    boxes.forEach(function (box) {
      box.addEventListener('change', function () {
        if (!box.checked) return;
        boxes.forEach(function (other) {
          if (other === box) return;
          if (box.value === exclusive || other.value === exclusive) other.checked = false;
        });
      });
    });
  });

  // Leaving by the page's own buttons (step bar, back, save, next) posts the form, which saves it.
  // Leaving any other way (a link, the back button, closing the tab) with unsaved edits asks first.
  // A page shown again after a post that was not saved (errors, a conflict) holds unsaved values.
  var dirty = form.hasAttribute('data-unsaved');
  form.addEventListener('input', function () { dirty = true; });
  form.addEventListener('change', function () { dirty = true; });
  form.addEventListener('submit', function () { dirty = false; });
  window.addEventListener('beforeunload', function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = '';   // older browsers need a value to show their "leave page?" dialog
  });
})();

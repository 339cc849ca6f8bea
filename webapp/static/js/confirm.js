/* dachuan: what cannot be undone (签发并编号, 作废, 结案, 改派, importing) asks once, saying what will happen.
   The message is the data-confirm of the button pressed (or of its form). Loaded on every page; runs in the
   capture phase, before the one-submission guard of forms.js, so "cancel" leaves the form as it was.
   Without JavaScript the button simply submits: the action still works. */
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var button = ev.submitter || null;
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!message || form.dataset.sent) { return; }
    if (!window.confirm(message)) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }
  }, true);
})();

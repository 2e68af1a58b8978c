// The interview's small helpers; every one of them also works as a plain form post.
(function () {
  "use strict";
  var form = document.getElementById("intervju");
  if (!form) { return; }
  // "Använd exemplet" fills the field in place and leaves the focus there.
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-exempel]");
    if (!button) { return; }
    var field = document.getElementById(button.getAttribute("data-for"));
    if (!field) { return; }
    event.preventDefault();
    field.value = button.getAttribute("data-exempel");
    field.dispatchEvent(new Event("change", { bubbles: true }));
    field.focus();
  });
  // A question that depends on a yes/no answer is shown or hidden as the answer changes.
  function update() {
    form.querySelectorAll("[data-nar]").forEach(function (block) {
      var chosen = form.querySelector('input[name="' + block.getAttribute("data-nar") + '"]:checked');
      block.hidden = chosen !== null && chosen.value !== block.getAttribute("data-nar-varde");
    });
  }
  form.addEventListener("change", update);
  update();
}());

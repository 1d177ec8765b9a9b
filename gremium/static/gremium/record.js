// The record page: save one item's decision by fetch, keep the page, move on to the next
// item. Without this script the forms post normally and the page returns to the next item.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const forms = Array.from(document.querySelectorAll("form.record-decision"));
  forms.forEach((form, index) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = form.querySelector(".record-result");
      let answer;
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        answer = await response.json();
      } catch (error) {
        form.submit(); // the plain post still works, and says what went wrong
        return;
      }
      result.textContent = answer.message;
      result.className = "record-result " + (answer.ok ? "saved" : "error");
      if (!answer.ok) return;
      form.querySelector("input[type=hidden][name$='-expected']").value = answer.expected;
      const next = forms[index + 1];
      if (next) next.querySelector("select").focus();
    });
  });
});

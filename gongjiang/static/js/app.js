// htmx requests carry the CSRF token; nothing else runs inline (CSP: script-src 'self').
document.addEventListener("htmx:configRequest", function (event) {
  event.detail.headers["X-CSRFToken"] = document.body.dataset.csrf;
});

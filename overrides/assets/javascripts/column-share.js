// Print and share on a post (partials/share.html): a file of the site, not a script in the page, so
// that the page's Content-Security-Policy lets only the site's own files run.
(function () {
  var box = document.querySelector("[data-column-share]");
  if (!box) return;
  var url = box.getAttribute("data-url"), title = box.getAttribute("data-title");
  var share = box.querySelector('[data-column-action="share"]');
  if (navigator.share) share.hidden = false;
  box.addEventListener("click", function (event) {
    var action = event.target.getAttribute && event.target.getAttribute("data-column-action");
    if (action === "print") window.print();
    if (action === "share") navigator.share({ title: title, url: url }).catch(function () {});
    if (action === "copy") {
      var said = box.querySelector(".column-copied");
      var done = function () { said.textContent = said.getAttribute("data-copied"); };
      if (navigator.clipboard) navigator.clipboard.writeText(url).then(done, function () { said.textContent = url; });
      else said.textContent = url;
    }
  });
})();

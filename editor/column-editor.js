/* The column's own lines for Decap CMS, published at admin/column-editor.js (hooks/editor.py).
 *
 * What Decap's configuration cannot say, and without which a saved post would not build or a
 * shared link would break; all of it runs just before Decap writes the post (its preSave event):
 * - a new post whose date was cleared is dated now: its file name is made from its date;
 * - empty tags are dropped ("A, B," leaves one): the build refuses an empty tag;
 * - a published post whose title is edited keeps its address (slug:), so that the links parents
 *   shared on Zalo or Facebook still work. admin/index.html lists the published posts' addresses.
 */
(function (root) {
  "use strict";

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  // 2026-11-24T08:30:00+07:00: the datetime widget's own format (dayjs "YYYY-MM-DDTHH:mm:ssZ").
  function localIso(d) {
    var offset = -d.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return (
      d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
      "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) +
      sign + pad(Math.floor(offset / 60)) + ":" + pad(offset % 60)
    );
  }

  // hooks/slugs.py for Vietnamese titles (Đ -> d); where the two differ, an edited title only
  // writes a slug: line that was not needed, holding the right address all the same.
  function slugOf(text) {
    return String(text)
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d")
      .toLowerCase()
      .replace(/(\d),(?=\d)/g, "$1")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  }

  function beforeSave(entry, addresses) {
    var data = entry.get("data");
    var isNew = Boolean(entry.get("newRecord"));
    if (isNew && !data.get("date")) {
      data = data.set("date", localIso(new Date()));
    }
    var tags = data.get("tags");
    if (tags && typeof tags.filter === "function") {
      data = data.set(
        "tags",
        tags.map(function (tag) { return String(tag).trim(); }).filter(function (tag) { return tag; })
      );
    }
    var kept = addresses[entry.get("slug")];
    if (!isNew && kept && !data.get("slug") && slugOf(data.get("title") || "") !== kept) {
      data = data.set("slug", kept);
    }
    return data;
  }

  function addresses() {
    var node = root.document && root.document.getElementById("column-published");
    return node ? JSON.parse(node.textContent) : {};
  }

  root.columnEditor = { localIso: localIso, slugOf: slugOf, beforeSave: beforeSave };
  if (root.CMS) {
    var published = addresses();
    root.CMS.registerEventListener({
      name: "preSave",
      handler: function (args) {
        return beforeSave(args.entry, published);
      },
    });
  }
})(globalThis);

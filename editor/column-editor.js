/* The column's own lines for Decap CMS, published at admin/column-editor.js (hooks/editor.py).
 *
 * What Decap's configuration cannot say, and without which a saved post would not build, a
 * shared link would break, a child's location could reach the public repository, or a teacher
 * would meet English:
 * - just before Decap writes a post (its preSave event): a new post whose date was cleared is
 *   dated now (its file name is made from its date); tags without a letter or digit are dropped
 *   ("A, B," leaves an empty one; the build refuses it, as it has no tag page); a published post whose title is edited keeps its address
 *   (slug:), so that links shared on Zalo or Facebook still work (admin/index.html lists them);
 * - every file chosen for upload, before Decap sees it: a photo Decap's media_processing cannot
 *   re-encode (HEIC, GIF, TIFF...; it would be committed as it is, GPS included) is refused with
 *   what to do; a photo longer than MAX_SIDE is scaled down losslessly first (Decap then encodes
 *   it once, as JPEG, without any metadata); WebP is named .jpg, so that Decap encodes JPEG (its
 *   WebP encoder is a lazy chunk that is not vendored); every name gets a random suffix, so that
 *   no post's upload replaces another post's file in the shared year folder;
 * - Vietnamese for the phrases Decap's own Vietnamese leaves in English (and for its one English
 *   confirm(), before replacing a file), and a "missing required field" notice that names the fields;
 * - a preview of the post as the site shows it, with its date as 05/12/2026;
 * - never inside another site's frame (clickjacking);
 * - a pull request's description and its merge's message in Vietnamese, the merge naming the post.
 */
(function (root) {
  "use strict";

  // The editor acts with the signed-in teacher's GitHub token: another site must not show it in a
  // frame and trick a click on "Công bố" (a page's <meta> policy cannot say frame-ancestors, and
  // GitHub Pages sends no header for it). Framed, the editor hides itself before Decap draws it.
  if (root.top !== root.self) {
    root.document.documentElement.style.setProperty("display", "none", "important");
    return;
  }

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
        tags
          .map(function (tag) { return String(tag).trim(); })
          .filter(function (tag) { return /[\p{L}\p{N}]/u.test(tag); })
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

  // --- uploads --------------------------------------------------------------------------------

  var MAX_SIDE = 2000; // px, the long side of a photo committed to the repository
  var IMAGE_SUFFIXES = /\.(jpe?g|png|webp|gif|heic|heif|hif|avif|tiff?|bmp|svg|jxl|dng|raw)$/i;

  // What a file is, from its first bytes (a phone's name or type may say otherwise).
  function sniff(bytes) {
    var b = bytes;
    if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
    if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "png";
    var ascii = String.fromCharCode.apply(null, Array.prototype.slice.call(b, 0, 12));
    if (ascii.slice(0, 4) === "RIFF" && ascii.slice(8, 12) === "WEBP") return "webp";
    if (ascii.slice(4, 8) === "ftyp") {
      var brand = ascii.slice(8, 12).toLowerCase();
      return /^(heic|heix|hevc|heim|heis|mif1|msf1|heif)$/.test(brand) ? "heic" : brand === "avif" ? "avif" : "ftyp";
    }
    if (ascii.slice(0, 4) === "GIF8") return "gif";
    if (ascii.slice(0, 4) === "II*\u0000" || ascii.slice(0, 4) === "MM\u0000*") return "tiff";
    return "";
  }

  function looksLikeImage(name, type, kind) {
    return /^image\//i.test(type || "") || IMAGE_SUFFIXES.test(name) || (kind !== "" && kind !== "ftyp");
  }

  function randomSuffix() {
    var letters = "abcdefghijklmnopqrstuvwxyz0123456789";
    var bytes = new Uint8Array(6);
    root.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (n) { return letters[n % 36]; }).join("");
  }

  // "Ảnh bìa.JPG" -> "Ảnh bìa-k3x9qa.jpg" (Decap then makes it anh-bia-k3x9qa.jpg).
  function uniqueName(name, kind, suffix) {
    var dot = name.lastIndexOf(".");
    var stem = dot > 0 ? name.slice(0, dot) : name;
    var ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
    if (kind === "webp" || (kind === "jpeg" && ext !== "jpg" && ext !== "jpeg")) ext = "jpg";
    if (kind === "png" && ext !== "png") ext = "png";
    return stem + "-" + suffix + (ext ? "." + ext : "");
  }

  // Vietnamese, for the teacher: why the file was not uploaded and what to do.
  function refusal(name, kind) {
    if (kind === "heic") {
      return (
        "Ảnh “" + name + "” là ảnh HEIC (ảnh iPhone): trình soạn bài không xoá được vị trí GPS trong " +
        "ảnh này nên chưa tải lên. Hãy đổi ảnh sang JPEG rồi chọn lại: trên iPhone, chọn ảnh từ mục " +
        "Ảnh (máy tự đổi sang JPEG) hoặc vào Cài đặt → Camera → Định dạng → Tương thích nhất; trên " +
        "máy tính, mở ảnh và lưu lại dạng JPEG."
      );
    }
    if (kind === "broken") {
      return (
        "Không mở được ảnh “" + name + "” (tệp hỏng hoặc chưa tải hết về máy) nên chưa tải lên. " +
        "Hãy chọn lại ảnh, hoặc mở ảnh và lưu lại dạng JPEG rồi tải lên."
      );
    }
    return (
      "Ảnh “" + name + "” không phải JPEG, PNG hay WebP: trình soạn bài không xoá được thông tin " +
      "đi kèm ảnh này (có thể có vị trí GPS) nên chưa tải lên. Hãy lưu lại ảnh dạng JPEG rồi chọn lại."
    );
  }

  function say(text) {
    var doc = root.document;
    var box = doc.getElementById("column-refusal");
    if (!box) {
      box = doc.createElement("div");
      box.id = "column-refusal";
      box.setAttribute("role", "alert");
      var words = doc.createElement("p");
      var close = doc.createElement("button");
      close.type = "button";
      close.textContent = "Đã hiểu";
      close.addEventListener("click", function () { box.remove(); });
      box.append(words, close);
      doc.body.append(box);
    }
    box.firstChild.textContent = text;
  }

  function canvasBlob(canvas, type) {
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) { return blob ? resolve(blob) : reject(new Error("toBlob")); }, type);
    });
  }

  // One chosen file -> the file Decap gets, or a refusal (a string).
  async function prepare(file) {
    var head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
    var kind = sniff(head);
    var suffix = randomSuffix();
    if (!looksLikeImage(file.name, file.type, kind)) {
      return new File([file], uniqueName(file.name, "", suffix), { type: file.type });
    }
    if (kind !== "jpeg" && kind !== "png" && kind !== "webp") return refusal(file.name, kind);
    var bitmap;
    try {
      bitmap = await root.createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (err) {
      return refusal(file.name, "broken");
    }
    var name = uniqueName(file.name, kind, suffix);
    var type = kind === "png" ? "image/png" : kind === "webp" ? "image/webp" : "image/jpeg";
    var long = Math.max(bitmap.width, bitmap.height);
    if (long <= MAX_SIDE) {
      bitmap.close();
      return new File([file], name, { type: type });
    }
    // Scaled down losslessly (PNG in between): Decap's media_processing encodes it once, by its
    // name's extension (.jpg: JPEG), with no metadata.
    var scale = MAX_SIDE / long;
    var canvas = root.document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    var context = canvas.getContext("2d");
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return new File([await canvasBlob(canvas, "image/png")], name, { type: "image/png" });
  }

  var handing = false; // true while the prepared files are handed on to Decap

  async function onChoose(event) {
    var input = event.target;
    if (handing || !input || input.type !== "file" || !input.files || !input.files.length) return;
    event.stopImmediatePropagation();
    var chosen = Array.prototype.slice.call(input.files);
    input.disabled = true;
    try {
      var ready = [];
      var refused = [];
      for (var i = 0; i < chosen.length; i++) {
        var out = await prepare(chosen[i]);
        (typeof out === "string" ? refused : ready).push(out);
      }
      if (refused.length) say(refused.join("\n\n"));
      if (!ready.length) {
        input.value = "";
        return;
      }
      var transfer = new root.DataTransfer();
      ready.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      handing = true;
      try {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      } finally {
        handing = false;
      }
    } finally {
      input.disabled = false;
    }
  }

  // --- Vietnamese where Decap's own is missing or English ----------------------------------------

  var PHRASES = {
    auth: { loginWithAzure: "Đăng nhập bằng Azure", loginWithForgejo: "Đăng nhập bằng Forgejo" },
    collection: {
      collectionTop: {
        viewAs: "Xem dạng",
        viewAsList: "Xem dạng danh sách",
        viewAsGrid: "Xem dạng lưới",
        groupBy: "Nhóm theo",
        // "＋" is missing from the phone's and the guide's fonts: it showed as an empty box.
        newButton: "+ Viết bài mới",
      },
      entries: { unpublishedHeader: "Bài chưa công bố" },
      groups: { other: "Khác", negateLabel: "Không %{label}" },
    },
    editor: {
      editorControl: { field: { widgetLabel: "ô %{widgetLabel}" } },
      editorControlPane: {
        widget: { required: "Chưa điền %{fieldLabel}: ô này bắt buộc." },
        i18n: {
          writingInLocale: "Đang viết bằng %{locale}",
          copyFromLocale: "Điền từ ngôn ngữ khác",
          copyFromLocaleConfirm: "Điền nội dung từ %{locale}?\nMọi nội dung đang có sẽ bị thay.",
        },
      },
      editorInterface: {
        toggleI18n: "Bật/tắt nhiều ngôn ngữ",
        togglePreview: "Bật/tắt xem trước",
        toggleScrollSync: "Cuộn cùng nhau",
        toggleNotes: "Bật/tắt ghi chú",
      },
      editorNotesPane: {
        title: "Ghi chú",
        emptyState: "Chưa có ghi chú.",
        addNote: "Thêm ghi chú",
        addPlaceholder: "Viết ghi chú...",
        editPlaceholder: "Sửa ghi chú...",
        save: "Lưu",
        cancel: "Huỷ",
        edit: "Sửa",
        delete: "Xoá",
        resolve: "Đã xong",
        unresolve: "Chưa xong",
        confirmDelete: "Xoá ghi chú này?",
        shortcut: "Mẹo: bấm Ctrl+Enter để thêm nhanh",
      },
      editorToolbar: {
        status: "Trạng thái: %{status}",
        statusInfoTooltipDraft: "Bài đang là bản nháp. Viết xong, hãy chọn Trạng thái → Sẵn sàng để gửi duyệt.",
        statusInfoTooltipInReview: "Bài đang được xét duyệt; bạn vẫn có thể sửa và Lưu.",
      },
      editorWidgets: {
        markdown: {
          bold: "Đậm",
          italic: "Nghiêng",
          strikethrough: "Gạch ngang",
          code: "Mã",
          link: "Liên kết",
          linkPrompt: "Nhập địa chỉ của liên kết",
          headings: "Tiêu đề mục",
          quote: "Trích dẫn",
          bulletedList: "Danh sách chấm",
          numberedList: "Danh sách số",
          addComponent: "Chèn",
          toggleMode: { rich: "Chuyển sang soạn thường", markdown: "Chuyển sang Markdown" },
        },
        image: {
          chooseMultiple: "Chọn ảnh",
          chooseUrl: "Chèn từ địa chỉ web",
          replaceUrl: "Thay bằng địa chỉ web",
          promptUrl: "Nhập địa chỉ của ảnh",
          addMore: "Thêm ảnh",
          removeAll: "Bỏ mọi ảnh",
        },
        file: {
          chooseUrl: "Chèn từ địa chỉ web",
          chooseMultiple: "Chọn tệp",
          replaceUrl: "Thay bằng địa chỉ web",
          promptUrl: "Nhập địa chỉ của tệp",
          addMore: "Thêm tệp",
          removeAll: "Bỏ mọi tệp",
        },
        datetime: { setToNow: "Đặt ngày giờ là lúc này" },
        list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
        object: { expand: "Mở", collapse: "Thu gọn" },
      },
    },
    mediaLibrary: {
      mediaLibraryCard: {
        draft: "Bản nháp",
        copy: "Chép",
        copyUrl: "Chép địa chỉ",
        copyPath: "Chép đường dẫn",
        copyName: "Chép tên",
        copied: "Đã chép",
      },
      mediaLibraryModal: { close: "Đóng" },
    },
    // "D MMMM" printed "5 December": Decap's date library speaks English only.
    workflow: { workflow: { dateFormat: "DD/MM/YYYY" } },
    ui: {
      settingsDropdown: { account: "Tài khoản" },
      toast: {
        noteAdded: "Đã thêm ghi chú",
        onFailToAddNote: "Không thêm được ghi chú: %{details}",
        noteUpdated: "Đã sửa ghi chú",
        onFailToUpdateNote: "Không sửa được ghi chú: %{details}",
        noteDeleted: "Đã xoá ghi chú",
        onFailToDeleteNote: "Không xoá được ghi chú: %{details}",
        noteResolved: "Ghi chú đã xong",
        noteReopened: "Ghi chú mở lại",
        onFailToToggleNote: "Không đổi được ghi chú: %{details}",
      },
    },
  };

  function merged(base, over) {
    var out = Object.assign({}, base);
    Object.keys(over).forEach(function (key) {
      var value = over[key];
      out[key] = value && typeof value === "object" ? merged(base && base[key] ? base[key] : {}, value) : value;
    });
    return out;
  }

  // Decap's "missing required field" notice names no field: the fields marked in red are added.
  var MISSING = "Bạn còn thiếu vài thông tin bắt buộc";

  function nameMissing(node) {
    var doc = root.document;
    var toasts = node.querySelectorAll ? node.querySelectorAll(".Toastify__toast-body, [role=alert]") : [];
    Array.prototype.forEach.call(toasts, function (toast) {
      if (toast.id === "column-refusal" || toast.textContent.indexOf(MISSING) < 0) return;
      if (toast.getAttribute("data-named")) return;
      var names = [];
      doc.querySelectorAll("li").forEach(function (item) {
        var match = /^Chưa điền (.+): ô này bắt buộc\.$/.exec(item.textContent.trim());
        if (match && names.indexOf(match[1]) < 0) names.push(match[1]);
      });
      if (!names.length) return;
      toast.setAttribute("data-named", "1");
      var text = "Chưa điền " + names.join(", ") + ": hãy điền các ô đó (có chữ đỏ) rồi bấm Lưu lại.";
      var leaf = toast;
      while (leaf.firstElementChild) leaf = leaf.lastElementChild;
      leaf.textContent = text;
    });
  }

  // Decap asks in English before an upload replaces a file of the same name in the post's folder
  // (names are made unique above, so only a file chosen twice in the same second gets there).
  function confirmText(message) {
    var match = /^(.+) already exists\. Do you want to replace it\?$/.exec(String(message));
    return match
      ? "Đã có tệp " + match[1] + " trong thư mục của bài. Thay tệp đó bằng tệp vừa chọn?"
      : message;
  }

  // The school's name on Decap's sign-in page, under the logo (admin/index.html holds it).
  function placeSchool(doc) {
    var name = doc.getElementById("column-school");
    var page = doc.querySelector('section[class*="-StyledAuthenticationPage"]');
    if (name && page && name.parentNode !== page) {
      page.insertBefore(name, page.children[1] || null);
    }
  }

  // --- the preview: the post as the site shows it ------------------------------------------------

  function shortDate(value) {
    var match = /^(\d{4})-(\d\d)-(\d\d)/.exec(String(value || ""));
    return match ? match[3] + "/" + match[2] + "/" + match[1] : "";
  }

  function previewTemplate(h, createClass) {
    return createClass({
      render: function () {
        var entry = this.props.entry;
        var get = function (key) { return entry.getIn(["data", key]); };
        var tags = get("tags");
        tags = tags && tags.toJS ? tags.toJS().filter(Boolean) : [];
        var image = get("image");
        var asset = image ? this.props.getAsset(image) : null;
        return h(
          "article",
          { className: "column-preview" },
          h("h1", {}, get("title") || ""),
          h(
            "p",
            { className: "column-meta" },
            [shortDate(get("date")), get("author")].filter(Boolean).join(" · ")
          ),
          tags.length ? h("p", { className: "column-tags" }, "Chủ đề: " + tags.join(", ")) : null,
          get("draft") ? h("p", { className: "column-draft" }, "Bản nháp: chưa hiện trên trang") : null,
          asset ? h("img", { src: asset.toString(), alt: get("image_alt") || "" }) : null,
          get("summary") ? h("p", { className: "column-summary" }, get("summary")) : null,
          this.props.widgetFor("body")
        );
      },
    });
  }

  var PREVIEW_STYLE =
    "body{font:16px/1.6 system-ui,'DejaVu Sans',sans-serif;color:#222;margin:0;padding:1rem}" +
    ".column-preview{max-width:42rem;margin:0 auto}.column-preview h1{font-size:1.6rem;line-height:1.3}" +
    ".column-meta,.column-tags{color:#555;margin:.25rem 0}.column-draft{color:#a40000;font-weight:bold}" +
    ".column-summary{font-weight:bold}img{max-width:100%;height:auto}";

  // Decap's GitHub backend writes two English lines its configuration cannot change: a pull
  // request's description and the message of the merge that publishes it. They are put in
  // Vietnamese on their way to GitHub's API; the merge names the post (the pull request's title,
  // which our commit_messages make "Thêm bài …"/"Sửa bài …").
  var PR_BODY = "Automatically generated by Decap CMS";
  var MERGED = "Automatically generated. Merged on Decap CMS.";
  var MERGE_URL = /\/pulls\/(\d+)\/merge(?=$|\?)/;
  var PULLS_URL = /\/pulls(?=$|\?)/;

  function vietnameseRequests(fetchImpl) {
    return function (input, init) {
      var url = typeof input === "string" ? input : input && input.url;
      var method = ((init && init.method) || "GET").toUpperCase();
      if (!url || !init || typeof init.body !== "string") return fetchImpl(input, init);
      var body;
      try {
        body = JSON.parse(init.body);
      } catch (err) {
        return fetchImpl(input, init);
      }
      var merge = MERGE_URL.exec(url);
      if (method === "PUT" && merge && body.commit_message === MERGED) {
        var pull = url.replace(MERGE_URL, "/pulls/" + merge[1]);
        return fetchImpl(pull, { headers: init.headers })
          .then(function (answer) {
            return answer.ok ? answer.json() : {};
          })
          .catch(function () {
            return {};
          })
          .then(function (pr) {
            body.commit_title = "Công bố: " + (pr.title || "yêu cầu duyệt #" + merge[1]);
            body.commit_message = "Bài được duyệt và công bố từ trình soạn bài của trang.";
            return fetchImpl(input, Object.assign({}, init, { body: JSON.stringify(body) }));
          });
      }
      if (method === "POST" && PULLS_URL.test(url) && body.body === PR_BODY) {
        body.body = "Bài gửi duyệt từ trình soạn bài của trang. Người duyệt xem bài ở thẻ Files changed, rồi bấm Công bố trong trình soạn bài.";
        return fetchImpl(input, Object.assign({}, init, { body: JSON.stringify(body) }));
      }
      return fetchImpl(input, init);
    };
  }

  root.columnEditor = {
    vietnameseRequests: vietnameseRequests,
    localIso: localIso,
    slugOf: slugOf,
    beforeSave: beforeSave,
    sniff: sniff,
    uniqueName: uniqueName,
    shortDate: shortDate,
    confirmText: confirmText,
    PHRASES: PHRASES,
  };
  if (root.CMS) {
    var published = addresses();
    root.CMS.registerEventListener({
      name: "preSave",
      handler: function (args) {
        return beforeSave(args.entry, published);
      },
    });
    root.CMS.registerLocale("vi", merged(root.CMS.getLocale("vi") || {}, PHRASES));
    if (root.h && root.createClass) {
      root.CMS.registerPreviewTemplate("posts", previewTemplate(root.h, root.createClass));
      root.CMS.registerPreviewStyle(PREVIEW_STYLE, { raw: true });
    }
    root.addEventListener("change", onChoose, true);
    if (root.fetch) root.fetch = vietnameseRequests(root.fetch.bind(root));
    var confirm = root.confirm.bind(root);
    root.confirm = function (message) {
      return confirm(confirmText(message));
    };
    // On a phone the editor opens on its fields; the eye button shows the preview instead.
    if (root.matchMedia && root.matchMedia("(max-width: 799px)").matches) {
      try {
        root.localStorage.setItem("cms.right-pane", "none");
      } catch (err) {
        // private browsing without storage: Decap shows the preview tab first
      }
    }
    new MutationObserver(function (records) {
      placeSchool(root.document);
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) nameMissing(node.parentNode || node);
        });
      });
    }).observe(root.document.body, { childList: true, subtree: true });
  }
})(globalThis);

"""The page's language for screen readers, and the few style fixes Streamlit's theme cannot express.

Streamlit serves one ``index.html`` with ``<html lang="en">`` and has no API to change it, so:

- recdraft's middleware (``recdraft/ui/asgi.py``) rewrites that page as it is served: ``lang`` is the
  language the person chose (their ``recdraft_lang`` cookie), else their browser's; and it adds ``HEAD``
  below — a small same-origin script and style sheet, no request to any other host;
- on every run the app renders a marker, an empty container keyed ``page_lang_<code>`` (``page_language``);
  the script follows it, so ``<html lang>`` changes as soon as the person switches the language;
- text shown in another language (a recommendation in its original language) sits in a container keyed
  ``lang_<code>_<id>`` (``in_language``); the script gives that element ``lang="<code>"``; Streamlit's own
  English-only hints under text boxes ("Press Enter to submit form") get ``lang="en"``;
- Streamlit's file box writes its own words in English and takes no text for them (1.67: "Upload",
  "200MB per file", "Drag and drop a file here"): the script puts the page language's words from the
  catalogue (``ui.upload.*``, in ``_UPLOADER_WORDS``) in their place, and the uploader's help says the
  same in words (``widgets.labels.upload_help``).

The script reads class names, sets ``lang`` attributes and replaces only those fixed words of Streamlit's:
no user text passes through it.
See docs/accessibility.md for what axe-core reports and what is known about Streamlit's own markup.
"""

from __future__ import annotations

import json
import re
from typing import Any

from recdraft.i18n import LANGS, t

PAGE_MARKER = "page_lang_"
PART_MARKER = "lang_"


def _uploader_words() -> str:
    """The file box's words in every language, as a JSON object the script reads (safe inside <script>)."""
    words = {
        code: {
            "upload": t("ui.upload.button", code),
            "drop": t("ui.upload.drop", code),
            "per_file": t("ui.upload.per_file", code, size="{size}"),
        }
        for code in LANGS
    }
    return json.dumps(words, ensure_ascii=True).replace("</", "<\\/")


_SCRIPT = r"""
(function () {
  "use strict";
  var WORDS = __UPLOADER_WORDS__;
  var ENGLISH = {upload: "Upload", drop: "Drag and drop a file here"};
  var PER_FILE = /^(.+) per file$/;
  function uploaderWords(code) {
    var words = WORDS[code];
    if (!words) return;
    var boxes = document.querySelectorAll('[data-testid="stFileUploaderDropzone"]');
    for (var b = 0; b < boxes.length; b++) {
      var walk = document.createTreeWalker(boxes[b], NodeFilter.SHOW_TEXT, null);
      for (var node = walk.nextNode(); node; node = walk.nextNode()) {
        var source = node.recdraftSource || node.nodeValue;
        var wanted = null;
        if (source === ENGLISH.upload) wanted = words.upload;
        else if (source === ENGLISH.drop) wanted = words.drop;
        else {
          var m = PER_FILE.exec(source);
          if (m) wanted = words.per_file.replace("{size}", m[1]);
        }
        if (wanted !== null && node.nodeValue !== wanted) {
          node.recdraftSource = source;
          node.nodeValue = wanted;
        }
      }
    }
  }
  var PAGE = /(?:^|\s)st-key-page_lang_(kk|ru|en)(?:\s|$)/;
  var PART = /(?:^|\s)st-key-lang_(kk|ru|en)_/;
  function apply() {
    var markers = document.querySelectorAll('[class*="st-key-page_lang_"]');
    if (markers.length) {
      var m = PAGE.exec(markers[markers.length - 1].className);
      if (m && document.documentElement.getAttribute("lang") !== m[1]) {
        document.documentElement.setAttribute("lang", m[1]);
      }
    }
    var parts = document.querySelectorAll('[class*="st-key-lang_"]');
    for (var i = 0; i < parts.length; i++) {
      var p = PART.exec(parts[i].className);
      if (p && parts[i].getAttribute("lang") !== p[1]) parts[i].setAttribute("lang", p[1]);
    }
    // Streamlit's own hints under text boxes ("Press Enter to submit form") exist only in English.
    var hints = document.querySelectorAll('[data-testid="InputInstructions"]:not([lang])');
    for (var j = 0; j < hints.length; j++) hints[j].setAttribute("lang", "en");
    // A code block (an invitation link) scrolls sideways on a narrow screen: the keyboard must reach it
    // to scroll it (axe: scrollable-region-focusable).
    var codes = document.querySelectorAll('.stCode pre:not([tabindex])');
    for (var k = 0; k < codes.length; k++) codes[k].setAttribute("tabindex", "0");
    uploaderWords(document.documentElement.getAttribute("lang"));
  }
  function start() {
    apply();
    new MutationObserver(apply).observe(document.body, {subtree: true, childList: true, attributes: true,
                                                        characterData: true, attributeFilter: ["class"]});
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
""".replace("__UPLOADER_WORDS__", _uploader_words())

# Only what the theme (.streamlit/config.toml) cannot say. Selectors use Streamlit's data-testid and
# recdraft's own st-key-* classes, never the generated class names.
# Text and select boxes get the focus outline on their whole box (an outline on the inner <input> is clipped).
_STYLE = """
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-page_lang_"]),
[data-testid="stElementContainer"]:has(> [class*="st-key-page_lang_"]),
[class*="st-key-page_lang_"] { display: none !important; }
/* The rows-per-page box holds its longest label ("По 10 на странице", "Бетте 50"), not "По 10 на страни…". */
.st-key-recs_page_size { width: 13.5rem !important; min-width: 13.5rem !important; }
/* Live mode (screens/presenter.py, screens/live.py): large type for the room, large targets for thumbs. */
.st-key-projector h1 { font-size: 3.2rem; line-height: 1.15; }
.st-key-projector p, .st-key-projector li { font-size: 2rem; line-height: 1.4; }
.st-key-projector_code p { font-size: 2.2rem; }
.st-key-projector_code strong { letter-spacing: .25em; }
.st-key-projector_count p { font-size: 2.2rem; font-weight: 600; }
.st-key-phone button { min-height: 3.2rem; font-size: 1.2rem; }
.st-key-phone h2 { font-size: 1.5rem; }
a:focus-visible, button:focus-visible, [role="tab"]:focus-visible, [role="radio"]:focus-visible,
[role="checkbox"]:focus-visible, [role="switch"]:focus-visible, summary:focus-visible,
[data-testid="stTextInputRootElement"]:has(input:focus-visible),
[data-testid="stTextAreaRootElement"]:has(textarea:focus-visible),
[data-testid="stNumberInputContainer"]:has(input:focus-visible),
[data-testid="stSelectbox"] div:has(> div > input:focus-visible) {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important;
}
@media (max-width: 480px) {
  /* A chart's figures table (ten columns for a Delphi histogram) fits a phone without scrolling sideways. */
  [data-testid="stMarkdownContainer"] table { font-size: 0.8rem; }
  [data-testid="stMarkdownContainer"] table th, [data-testid="stMarkdownContainer"] table td {
    padding: 0.2rem 0.25rem;
  }
}
"""

HEAD = f'<style id="recdraft-a11y">{_STYLE}</style><script id="recdraft-lang">{_SCRIPT}</script>'

_HTML_TAG = re.compile(rb'<html lang="[a-zA-Z-]*"')


def rewrite_index(body: bytes, language: str) -> bytes:
    """Streamlit's index.html with ``<html lang>`` set to ``language`` and ``HEAD`` added (else unchanged)."""
    if language not in LANGS or b"</head>" not in body or not _HTML_TAG.search(body):
        return body
    body = _HTML_TAG.sub(f'<html lang="{language}"'.encode(), body, count=1)
    return body.replace(b"</head>", HEAD.encode() + b"</head>", 1)


def page_language(code: str) -> None:
    """The marker the page script follows to set ``<html lang>`` (rendered once per run, invisible)."""
    import streamlit as st

    # An empty container is not drawn at all; an empty text element keeps it in the page (hidden by HEAD's style).
    st.container(key=f"{PAGE_MARKER}{code}").text("")


def in_language(code: str | None, key: Any, where: Any = None) -> Any:
    """A container whose content is in ``code`` (a recommendation in its original language): the browser
    gets ``lang="<code>"`` on it. ``key`` makes it unique on the page. Use it as ``with in_language(...):``."""
    import streamlit as st

    parent = where if where is not None else st
    if code not in LANGS:
        return parent.container()
    return parent.container(key=f"{PART_MARKER}{code}_{key}")

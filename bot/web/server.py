"""Demo front for the web chat widget: `python -m bot.web.server`.

Serves, on WEB_PORT (default 8080):
  /             a plain municipal-looking page with the widget (adult mode)
  /ung          the same for young relatives (data-mode="ung")
  /ut           a neutral page, the default target of «Rask utgang»
  /widget.js    the built widget (bot/web/dist, `npm ci && npm run build` in bot/web)
  /widget.css   its stylesheet
  /healthz      {"status": "ok", "widget_built": ...}

Settings (environment): WEB_PORT (8080), WEB_HOST (localhost), BOT_PUBLIC_URL (the Rasa server
as the browser sees it, default http://localhost:${BOT_PORT:-5005}), WIDGET_EXIT_URL (default
/ut, the front's own neutral page: the machine may have no internet).
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from aiohttp import web

HERE = Path(__file__).resolve().parent
DIST = HERE / "dist"
STATIC = HERE / "static"

BOT_URL_KEY = web.AppKey("bot_url", str)
EXIT_URL_KEY = web.AppKey("exit_url", str)
DIST_KEY = web.AppKey("dist", Path)


def default_bot_url() -> str:
    port = os.environ.get("BOT_PORT", "5005")
    return os.environ.get("BOT_PUBLIC_URL") or f"http://localhost:{port}"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def csp(bot_url: str) -> str:
    bot = origin_of(bot_url)
    ws = ("wss://" if bot.startswith("https://") else "ws://") + urlsplit(bot).netloc
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {bot} {ws}",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


PAGE = """<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/static/demo.css">
</head>
<body class="{body_class}">
<a class="skip" href="#main">Hopp til hovedinnholdet</a>
<header class="site">
  <div class="wrap">
    <p class="brand"><span class="crest" aria-hidden="true"></span>Eksempel kommune</p>
    <nav aria-label="Hovedmeny">
      <ul>
        <li><a href="/">Pårørende</a></li>
        <li><a href="/ung">Unge pårørende</a></li>
      </ul>
    </nav>
  </div>
</header>
<main id="main" class="wrap">
{content}
</main>
<footer class="site">
  <div class="wrap">
    <p>Eksempel kommune · Demoside for chatboten Pårørende-guiden. Ikke en ekte kommune.</p>
  </div>
</footer>
{script}
</body>
</html>
"""

ADULT = """
<h1>Støtte til pårørende</h1>
<p class="lead">Gir du omsorg til noen i familien som er syke, gamle eller har en
funksjonsnedsettelse? Kommunen kan hjelpe deg.</p>
<h2>Dette kan kommunen tilby</h2>
<ul>
  <li>Avlastning, slik at du får hvile og fri</li>
  <li>Opplæring og veiledning</li>
  <li>Omsorgsstønad</li>
</ul>
<h2>Spør chatboten</h2>
<p>Chatboten svarer på generelle spørsmål om rettigheter, taushetsplikt, avlastning og
økonomi, og sier hvor du kan få snakke med et menneske. Den gir ikke råd om din egen sak.
Skriv ikke navn eller fødselsnummer i chatten.</p>
<p>Er noen i fare nå, ring <a href="tel:113">113</a>.</p>
"""

YOUNG = """
<h1>For deg som er ung pårørende</h1>
<p class="lead">Har du en mamma, pappa, søsken eller noen andre i familien som er syk, eller
som drikker eller ruser seg? Du er ikke alene.</p>
<h2>Du kan spørre om alt</h2>
<p>I chatten kan du spørre om det du lurer på, og få vite hvem du kan snakke med. Du trenger
ikke si hvem du er.</p>
<p>Må du gå fort? Trykk <strong>Rask utgang</strong>, eller trykk Esc to ganger.</p>
<p>Er noen i fare nå, ring <a href="tel:113">113</a>.</p>
"""

NEUTRAL = """
<h1>Pannekaker</h1>
<p class="lead">Enkel oppskrift til fire personer.</p>
<h2>Dette trenger du</h2>
<ul>
  <li>3 dl hvetemel</li>
  <li>6 dl melk</li>
  <li>3 egg</li>
  <li>1 klype salt</li>
  <li>Smør til steking</li>
</ul>
<h2>Slik gjør du</h2>
<ol>
  <li>Visp mel og halvparten av melken til en klumpfri røre.</li>
  <li>Visp inn resten av melken, eggene og saltet. La røren svelle en halvtime.</li>
  <li>Stek tynne pannekaker i litt smør på middels varme.</li>
</ol>
"""


def page(title: str, content: str, body_class: str, script: str = "") -> str:
    return PAGE.format(title=html.escape(title), content=content, body_class=body_class,
                       script=script)


def widget_tag(bot_url: str, exit_url: str, mode: Optional[str]) -> str:
    attrs = {
        "src": "/widget.js",
        "data-server": bot_url,
        "data-exit-url": exit_url,
        "data-open": "true",
    }
    if mode:
        attrs["data-mode"] = mode
    rendered = " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
    return f"<script {rendered} defer></script>"


@web.middleware
async def security_headers(request: web.Request, handler):
    resp = await handler(request)
    resp.headers.setdefault("Content-Security-Policy", csp(request.app[BOT_URL_KEY]))
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "no-referrer")
    resp.headers.setdefault("X-Frame-Options", "DENY")
    resp.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    resp.headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    )
    return resp


def html_response(body: str) -> web.Response:
    # no-store: the browser keeps no copy of a chat page (and no back-forward cache)
    return web.Response(
        text=body, content_type="text/html", charset="utf-8",
        headers={"Cache-Control": "no-store"},
    )


async def adult_page(request: web.Request) -> web.Response:
    app = request.app
    return html_response(page("Støtte til pårørende – Eksempel kommune", ADULT, "adult",
                              widget_tag(app[BOT_URL_KEY], app[EXIT_URL_KEY], None)))


async def young_page(request: web.Request) -> web.Response:
    app = request.app
    return html_response(page("Unge pårørende – Eksempel kommune", YOUNG, "young",
                              widget_tag(app[BOT_URL_KEY], app[EXIT_URL_KEY], "ung")))


async def neutral_page(request: web.Request) -> web.Response:
    return html_response(page("Pannekaker – oppskrift", NEUTRAL, "neutral"))


def dist_file(name: str, content_type: str):
    async def handler(request: web.Request) -> web.StreamResponse:
        path = request.app[DIST_KEY] / name
        if not path.is_file():
            return web.Response(
                status=503, text=f"{name} is not built: run `npm ci && npm run build` in bot/web",
                content_type="text/plain",
            )
        return web.FileResponse(
            path, headers={"Content-Type": content_type, "Cache-Control": "no-cache"}
        )

    return handler


async def no_content(request: web.Request) -> web.Response:
    return web.Response(status=204)


async def health(request: web.Request) -> web.Response:
    built = (request.app[DIST_KEY] / "widget.js").is_file()
    return web.json_response({"status": "ok", "widget_built": built})


def create_app(bot_url: Optional[str] = None, exit_url: Optional[str] = None,
               dist: Path = DIST) -> web.Application:
    bot_url = (bot_url or default_bot_url()).rstrip("/")
    origin_of(bot_url)  # fail early on a bad BOT_PUBLIC_URL
    app = web.Application(middlewares=[security_headers])
    app[BOT_URL_KEY] = bot_url
    app[EXIT_URL_KEY] = exit_url or os.environ.get("WIDGET_EXIT_URL") or "/ut"
    app[DIST_KEY] = dist
    app.router.add_get("/", adult_page)
    app.router.add_get("/ung", young_page)
    app.router.add_get("/ut", neutral_page)
    app.router.add_get("/widget.js", dist_file("widget.js", "text/javascript; charset=utf-8"))
    app.router.add_get("/widget.css", dist_file("widget.css", "text/css; charset=utf-8"))
    app.router.add_get("/healthz", health)
    app.router.add_get("/favicon.ico", no_content)
    app.router.add_static("/static", STATIC, follow_symlinks=False)
    return app


def main() -> None:
    port = int(os.environ.get("WEB_PORT", "8080"))
    host = os.environ.get("WEB_HOST", "localhost")
    app = create_app()
    if not (DIST / "widget.js").is_file():
        print("warning: bot/web/dist/widget.js missing; run `npm ci && npm run build` in bot/web")
    print(json.dumps({"web": f"http://localhost:{port}/", "young": f"http://localhost:{port}/ung",
                      "bot": app[BOT_URL_KEY]}))
    web.run_app(app, host=host, port=port, print=None, access_log=None)


if __name__ == "__main__":
    main()

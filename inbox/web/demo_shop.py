"""The demo's shop page (SPEC CH7): a few products and the website chat widget, so that a demo
shows both sides. It exists only in a database whose website channel the demo data marked
(`demo_shop` in its settings); anywhere else /demo/shop is not found."""

import asyncio
import html
import weakref

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from inbox.channels import website
from inbox.models import Product
from inbox.store import Store, app_store, channels, products
from inbox.store.connection import Cursor

PATH = "/demo/shop"
MARK = "demo_shop"

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Woolly Fox · knitwear (demo shop)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body {{ font-family: Georgia, serif; margin: 0; background: #fbf7f2; color: #2d2a26; }}
 header {{ background: #6b4f3a; color: #fff; padding: 18px 32px; }}
 header h1 {{ margin: 0; font-size: 1.7rem; }}
 .demo {{ background: #fff3cd; color: #5c4400; padding: 10px 32px; font-family: system-ui;
          font-size: .95rem; }}
 main {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr));
         gap: 18px; padding: 24px 32px 96px; max-width: 1100px; }}
 article {{ background: #fff; border-radius: 10px; padding: 18px;
            box-shadow: 0 1px 6px rgba(0,0,0,.08); }}
 article h2 {{ font-size: 1.1rem; margin: 0 0 6px; }}
 .price {{ font-family: system-ui; font-weight: 600; color: #6b4f3a; }}
</style></head>
<body>
<header><h1>🦊 Woolly Fox</h1><div>Warm knitwear, made by hand</div></header>
<div class="demo">This is the demo's shop. Write to the shop with the chat bubble in the corner,
as a customer would, and answer in the inbox in another tab
(<a href="/login" target="_blank" rel="noopener">log in as anna</a>).</div>
<main>
{products}
</main>
<script src="{widget}" async></script>
</body></html>"""


def _demo_channel(cur: Cursor) -> int | None:
    found = channels.enabled_of_kind(cur, website.NAME, switched_off_too=True)
    return next((cid for cid, config in found if config.get(MARK)), None)


_known: "weakref.WeakKeyDictionary[Store, tuple[int, bool]]" = weakref.WeakKeyDictionary()


def available(store: Store) -> bool:
    """Whether this database is the demo's, with a shop to show; read again only after a
    write that may change a channel's settings."""
    version = store.version_for_everyone
    known = _known.get(store)
    if known is None or known[0] != version:
        with store.read() as cur:
            known = _known[store] = (version, _demo_channel(cur) is not None)
    return known[1]


def _product(product: Product) -> str:
    return (
        f"<article><h2>{html.escape(product.name)}</h2>"
        f'<div class="price">€{product.price:.2f}</div></article>'
    )


def _page(store: Store) -> str | None:
    with store.read() as cur:
        found = _demo_channel(cur)
        if found is None:
            return None
        offered = products.catalogue(cur)
    widget = f"{website.WIDGET.format(channel_id=found)}.js"
    return _PAGE.format(products="\n".join(map(_product, offered)), widget=widget)


async def show_shop(request: Request) -> Response:
    page = await asyncio.to_thread(_page, app_store())
    if page is None:
        return HTMLResponse("Not found", status_code=404)
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


routes = [Route(PATH, show_shop, methods=["GET"])]

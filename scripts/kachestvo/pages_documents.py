"""Документы: the registry of source documents, with checksums and links."""
from __future__ import annotations

from markupsafe import Markup

from .context import Context
from .escape import doc_href, href, text
from .fmt import date_short
from .render import page, root_of


def build(ctx: Context, site, env) -> None:
    ds = ctx.ds
    if not ds.has("documents"):
        return
    root = root_of("dokumenty/index.md")
    rows = []
    for d in ds["documents"].sort_values(["date", "document_id"], na_position="last").itertuples():
        links = []
        if doc_href(d.file):
            links.append(Markup('<a href="{}{}">файл</a>').format(root, doc_href(d.file)))
        if href(d.url):
            links.append(Markup('<a href="{}" rel="nofollow noopener">в интернете</a>').format(href(d.url)))
        rows.append({"attrs": {"id": d.document_id}, "cells": [
            text(d.type), text(d.number), date_short(d.date), text(d.issuer), text(d.title),
            Markup(", ").join(links), Markup('<code class="kq-hash">{}</code>').format(d.sha256 or ""),
            text(d.note)]})
    page(site, env, "dokumenty/index.md", "documents.md.j2", "data/documents.csv", rows=rows)
    site.nav.append(("Документы", "dokumenty/index.md"))

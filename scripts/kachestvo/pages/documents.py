"""Документы: the registry of source documents, with checksums and links."""

from __future__ import annotations

from markupsafe import Markup

from kachestvo.escape import doc_href, href, text
from kachestvo.fmt import date_short
from kachestvo.pages.context import Context
from kachestvo.pages.registry import Section
from kachestvo.pages.render import root_of, section_page


def build(ctx: Context, site, env, section: Section) -> None:
    ds = ctx.ds
    root = root_of(section.path)
    rows = []
    for d in ds["documents"].sort_values(["date", "document_id"], na_position="last").itertuples():
        links = []
        if doc_href(d.file):
            links.append(Markup('<a href="{}{}">файл</a>').format(root, doc_href(d.file)))
        if href(d.url):
            links.append(Markup('<a href="{}" rel="nofollow noopener">в интернете</a>').format(href(d.url)))
        rows.append(
            {
                "attrs": {"id": d.document_id},
                "cells": [
                    text(d.type),
                    text(d.number),
                    date_short(d.date),
                    text(d.issuer),
                    text(d.title),
                    Markup(", ").join(links),
                    Markup('<code class="kq-hash">{}</code>').format(d.sha256 or ""),
                    text(d.note),
                ],
            }
        )
    section_page(site, env, section, rows=rows)


SECTION = Section(
    "dokumenty", "Документы", "приказы, протоколы и программы с контрольными суммами", ("documents",), "documents.md.j2", build
)

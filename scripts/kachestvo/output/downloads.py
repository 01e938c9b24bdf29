"""Output stage, downloads: the package's CSVs (after protection), its schemas and descriptor, and one XLSX workbook."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

from kachestvo import schemas
from kachestvo.dataset import Dataset

DIR = "otkrytye-dannye/files"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def files(ds: Dataset) -> dict[str, bytes]:
    """Asset path → bytes, from the protected dataset: each CSV is the text the table was read from."""
    out = {}
    names = ds.listed
    for name in names:
        out[f"{DIR}/{name}.csv"] = ds.texts[name].encode("utf-8")
        out[f"{DIR}/schemas/{name}.json"] = schemas.canonical_text(name).encode("utf-8")
    descriptor = dict(ds.descriptor, resources=[r for r in ds.descriptor.get("resources", []) if r.get("name") in names])
    out[f"{DIR}/datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out[f"{DIR}/data.xlsx"] = _xlsx({n: out[f"{DIR}/{n}.csv"] for n in names}, ds)
    return out


def _xlsx(csvs: dict[str, bytes], ds: Dataset) -> bytes:
    """One sheet per table, typed cells; byte-identical for the same data (fixed zip times and properties)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, data in csvs.items():
        sheet = book.create_sheet(title=name[:31])
        types = {f["name"]: f["type"] for f in schemas.schema(name)["fields"]}
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        _append(sheet, rows[0])
        for row in rows[1:]:
            _append(sheet, [_typed(v, types.get(h)) for h, v in zip(rows[0], row)])
    as_of = ds["municipality"]["as_of"].iloc[0] if ds.has("municipality") else None
    stamp = as_of.to_pydatetime() if as_of is not None and not _isna(as_of) else None
    if stamp is not None:
        book.properties.created = book.properties.modified = stamp
    book.properties.creator = "kachestvo"
    raw = io.BytesIO()
    book.save(raw)
    return _normalise_zip(raw.getvalue())


def _append(sheet, values: list) -> None:
    """A row of typed values: openpyxl takes text starting with «=» for a formula, so such a cell is set back to
    text (validation already refuses formula-like text; this keeps the workbook inert whatever it is given)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _typed(value: str, type_: str | None):
    if value == "":
        return None
    try:
        if type_ == "integer":
            return int(value)
        if type_ == "number":
            return float(value)
    except ValueError:
        return value
    return value


def _isna(v) -> bool:
    import pandas as pd

    return bool(pd.isna(v))


def _normalise_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps «modified» with the current time
                created = re.search(rb"<dcterms:created[^>]*>([^<]*)<", data)
                if created:
                    stamp = created.group(1)
                    data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", lambda m, s=stamp: m.group(1) + s + m.group(2), data)
            dst.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()

"""Documents: the file exists and its SHA-256 matches."""

from __future__ import annotations

import hashlib

import pandas as pd

from kachestvo.validate import files

from . import check, problem


@check
def document_file_and_checksum(ds):
    for _, r in ds["documents"].iterrows():
        if pd.isna(r["file"]):
            continue
        path = ds.project.content / r["file"]
        if ".." in str(r["file"]).split("/"):
            yield problem(
                "documents",
                r,
                "file",
                "file-outside",
                f"путь «{r['file']}» выходит из папки content/ через «..»: сборка не читает и не публикует файлы "
                "вне проекта. Положите документ в content/documents/ и укажите путь вида documents/ИМЯ.pdf.",
                r["file"],
            )
        elif not files.inside(ds.project, path):
            yield problem(
                "documents",
                r,
                "file",
                "file-not-found",
                f"файл content/{r['file']} не найден. Положите документ в папку content/documents/ или исправьте путь.",
                r["file"],
            )
        elif pd.isna(r["sha256"]):
            yield problem(
                "documents",
                r,
                "sha256",
                "checksum-required",
                f"у документа с файлом нет контрольной суммы. Впишите: {_sha256(path)}.",
            )
        elif _sha256(path) != r["sha256"]:
            yield problem(
                "documents",
                r,
                "sha256",
                "checksum-mismatch",
                f"контрольная сумма не совпадает с файлом: файл изменён или указан не тот. "
                f"Сумма файла сейчас {_sha256(path)}; если замена файла законна, впишите её.",
                r["sha256"],
            )


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()

"""Documents: each file (the original and the transcription) exists and its SHA-256 matches."""

from __future__ import annotations

import pandas as pd

from kachestvo.checksum import of_file as sha256_of
from kachestvo.validate import files
from kachestvo.validate.checks.rule import check, problem

# (path column, checksum column) of each file a document may have.
FILES = (("file", "sha256"), ("transcription", "transcription_sha256"))


@check
def document_file_and_checksum(ds):
    for _, r in ds["documents"].iterrows():
        for column, checksum in FILES:
            yield from _file(ds, r, column, checksum)


def _file(ds, r, column: str, checksum: str):
    if pd.isna(r[column]):
        return
    path = ds.project.content / r[column]
    if ".." in str(r[column]).split("/"):
        yield problem(
            "documents",
            r,
            column,
            "file-outside",
            f"путь «{r[column]}» выходит из папки content/ через «..»: сборка не читает и не публикует файлы "
            "вне проекта. Положите документ в content/documents/ и укажите путь вида documents/ИМЯ.pdf.",
            r[column],
        )
    elif not files.inside(ds.project, path):
        yield problem(
            "documents",
            r,
            column,
            "file-not-found",
            f"файл content/{r[column]} не найден. Положите документ в папку content/documents/ или исправьте путь.",
            r[column],
        )
    elif pd.isna(r[checksum]):
        yield problem(
            "documents",
            r,
            checksum,
            "checksum-required",
            f"у файла content/{r[column]} нет контрольной суммы. Впишите в столбец «{checksum}»: {sha256_of(path)}.",
        )
    elif sha256_of(path) != r[checksum]:
        yield problem(
            "documents",
            r,
            checksum,
            "checksum-mismatch",
            f"контрольная сумма не совпадает с файлом content/{r[column]}: файл изменён или указан не тот. "
            f"Сумма файла сейчас {sha256_of(path)}; если замена файла законна, впишите её.",
            r[checksum],
        )

"""The one place that makes text safe for a CI log: GitHub runs any log line that starts with «::» (after spaces) as a
workflow command (`::add-mask::`, `::stop-commands::`, `::error …::`), and the old form «##[command]» anywhere in a
line. Text from data (a cell with a line break, a file name) must never become one. `safe` is used for every text
the CLI prints; `command` builds an annotation with the escaping GitHub documents (%, CR, LF; in properties also
«:» and «,»)."""

from __future__ import annotations

import re

COMMAND = re.compile(r"^\s*::")
LEGACY = "##["
GUARD = "» "  # a visible mark before a data line that would otherwise read as a command


BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85|\x0b|\x0c|\x1c|\x1d|\x1e")  # what any reader may take as a line end


def safe(text: str) -> str:
    """Text whose lines can never be read as workflow commands (line breaks of any kind are lines to the runner)."""
    return "\n".join(_line(line) for line in BREAKS.split(text))


def one_line(text: str) -> str:
    """Text from data inside one line of a report: its line breaks shown as «↵», never made."""
    return BREAKS.sub("↵", text)


def _line(line: str) -> str:
    line = line.replace(LEGACY, "## [")
    return GUARD + line if COMMAND.match(line) else line


def escape_data(text: str) -> str:
    """An annotation's message (GitHub: `escapeData`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """An annotation's property value such as file= or title= (GitHub: `escapeProperty`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    """One workflow command line, e.g. `::error file=data/x.csv,line=3,title=…::message`."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"

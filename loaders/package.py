"""Which parts of a zip-based workbook the readers parse, found the way the readers find them.

An Office Open XML package names its workbook in ``_rels/.rels`` (or in
``[Content_Types].xml``), and the workbook names its sheets, strings and styles in its
own relationships, so a valid file may keep them anywhere (``workbook.xml`` at the root,
``xl/worksheets/data.xml``). Only these parts are checked for hostile XML: SharePoint
adds UTF-16 ``customXml`` parts and LibreOffice keeps macro libraries with a DOCTYPE,
and no reader ever opens either. An OpenDocument spreadsheet's readers parse
``content.xml`` only.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field

from defusedxml.ElementTree import fromstring

from loaders.errors import LoaderError

CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"
INDEX_PART_MAX = 16 * 1024 * 1024
"""Largest content-types, relationships or workbook part read to find the others."""
ML = "application/vnd.openxmlformats-officedocument.spreadsheetml."
WORKBOOK_TYPES: dict[str, str] = {
    ML + "sheet.main+xml": "xlsx",
    ML + "template.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "xlsm",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "xlsm",
    "application/vnd.ms-excel.addin.macroEnabled.main+xml": "xlsm",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": "xlsb",
}
OTHER_DOCUMENT_TYPES: tuple[tuple[str, str], ...] = (
    ("wordprocessingml", "a Word document"),
    ("presentationml", "a PowerPoint presentation"),
)
PARSED_TYPES = frozenset(
    ML + suffix
    for suffix in (
        "sharedStrings+xml",
        "styles+xml",
        "worksheet+xml",
        "chartsheet+xml",
        "dialogsheet+xml",
    )
) | {
    "application/vnd.ms-excel.macrosheet+xml",
    "application/vnd.openxmlformats-package.core-properties+xml",
    "application/vnd.openxmlformats-officedocument.custom-properties+xml",
}
"""Content types of the parts calamine or openpyxl parse, besides the index parts."""
PARSED_RELATIONSHIPS = ("/sharedStrings", "/styles")
FIXED_PARTS = (
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/sharedStrings.xml",
    "xl/styles.xml",
    "docProps/core.xml",
    "docProps/custom.xml",
)
"""Parts a reader may open by these names whatever the relationships say."""
ODS_PARSED = frozenset({"content.xml", "META-INF/manifest.xml"})


@dataclass(frozen=True)
class Parts:
    """A workbook's type and the parts its readers parse."""

    file_type: str
    """``xlsx``, ``xlsm``, ``xlsb`` or ``ods``, or a phrase naming another document."""
    used: frozenset[str]
    sheets: dict[str, str] = field(default_factory=dict)
    """Sheet part -> sheet name, for every sheet the workbook lists (worksheets first)."""
    worksheets: frozenset[str] = frozenset()
    """The parts among ``sheets`` that are worksheets (not chart, macro or dialog sheets)."""


def office_parts(archive: zipfile.ZipFile, filename: str) -> Parts | None:
    """The parts of an Office Open XML package, or None when the zip is not one."""
    names = set(archive.namelist())
    overrides, defaults = _content_types(archive, names, filename)
    document = _document_part(archive, names, overrides, filename)
    if document is None:
        return None
    content_type = overrides.get(document) or defaults.get(posixpath.splitext(document)[1][1:])
    file_type = _document_type(document, content_type)
    if file_type is None:
        return None
    if file_type not in ("xlsx", "xlsm"):
        return Parts(file_type, frozenset())
    relations = _relationships(archive, names, document, filename)
    sheets, worksheets = _sheets(archive, document, relations, filename)
    used = {CONTENT_TYPES, ROOT_RELS, document, _rels_path(document), *FIXED_PARTS}
    used |= {part for part, kind in overrides.items() if kind in PARSED_TYPES}
    used |= {t for kind, t in relations.values() if kind.endswith(PARSED_RELATIONSHIPS)}
    used |= set(sheets) | {_rels_path(part) for part in sheets}
    return Parts(file_type, frozenset(used & names), sheets, frozenset(worksheets))


def ods_parts() -> Parts:
    return Parts("ods", ODS_PARSED)


def _rels_path(part: str) -> str:
    """``xl/workbook.xml`` -> ``xl/_rels/workbook.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _read_index_part(archive: zipfile.ZipFile, name: str, filename: str) -> bytes:
    """A part read to find other parts: at most :data:`INDEX_PART_MAX` bytes."""
    with archive.open(name) as part:
        data = part.read(INDEX_PART_MAX + 1)
    if len(data) > INDEX_PART_MAX:
        raise LoaderError(
            f"the file is damaged or incomplete (part {name} is over "
            f"{INDEX_PART_MAX // (1024 * 1024)} MB, far more than any workbook needs): "
            "open it in Excel, save a new copy and upload that",
            file=filename,
            reason="corrupt",
        )
    return data


def _content_types(
    archive: zipfile.ZipFile, names: set[str], filename: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Part name -> content type (overrides), extension -> content type (defaults)."""
    if CONTENT_TYPES not in names:
        return {}, {}
    overrides, defaults = {}, {}
    for element in fromstring(_read_index_part(archive, CONTENT_TYPES, filename)).iter():
        if element.tag.endswith("}Override"):
            overrides[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
        elif element.tag.endswith("}Default"):
            defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
    return overrides, defaults


def _document_part(
    archive: zipfile.ZipFile, names: set[str], overrides: dict[str, str], filename: str
) -> str | None:
    """The main document: from the package relationships, else the content types."""
    if ROOT_RELS in names:
        for kind, target in _relationships(archive, names, "", filename).values():
            if kind.endswith("/officeDocument") and target in names:
                return target
    for part, kind in overrides.items():
        if kind in WORKBOOK_TYPES and part in names:
            return part
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def _document_type(document: str, content_type: str | None) -> str | None:
    """``xlsx``, ``xlsm``, ``xlsb``, a phrase naming another Office document, or None."""
    if content_type in WORKBOOK_TYPES:
        return WORKBOOK_TYPES[content_type]
    for marker, what in OTHER_DOCUMENT_TYPES:
        if content_type and marker in content_type:
            return what
    name = posixpath.basename(document)
    return {"workbook.xml": "xlsx", "workbook.bin": "xlsb"}.get(name)


def _relationships(
    archive: zipfile.ZipFile, names: set[str], source: str, filename: str
) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of ``source`` (``""``: the package itself)."""
    path = _rels_path(source) if source else ROOT_RELS
    if path not in names:
        return {}
    folder = posixpath.dirname(source)
    found = {}
    for element in fromstring(_read_index_part(archive, path, filename)).iter():
        if not element.tag.endswith("}Relationship") or element.get("TargetMode") == "External":
            continue
        target = element.get("Target", "")
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found[element.get("Id", "")] = (element.get("Type", ""), posixpath.normpath(joined))
    return found


def _sheets(
    archive: zipfile.ZipFile,
    document: str,
    relations: dict[str, tuple[str, str]],
    filename: str,
) -> tuple[dict[str, str], list[str]]:
    """Sheet part -> name for each ``<sheet>`` of the workbook; the worksheet parts."""
    sheets, worksheets = {}, []
    for element in fromstring(_read_index_part(archive, document, filename)).iter():
        if not element.tag.endswith("}sheet"):
            continue
        rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        if rid not in relations:
            continue
        kind, part = relations[rid]
        sheets[part] = element.get("name", "")
        if kind.endswith("/worksheet"):
            worksheets.append(part)
    return sheets, worksheets

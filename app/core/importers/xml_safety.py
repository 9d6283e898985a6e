"""Parse XML from other tools safely: no DTDs, no entity expansion, no external fetches (defusedxml)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from app.core.importers.draft import Collector


def parse(data: bytes, collector: Collector, where: str | None = None) -> ET.Element:
    """The root element; the declared encoding (UTF-8, ISO-8859-1, Windows-1252, ...) is honoured."""
    try:
        root: ET.Element = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise collector.fail(f"not well-formed XML ({reason}) at line {line}, column {column}", where) from None
    except DefusedXmlException as exc:
        raise collector.fail(f"refused: the XML declares entities or external references ({exc})", where) from None
    except (LookupError, ValueError) as exc:
        raise collector.fail(f"unreadable XML: {exc}", where) from None
    return root


def local(tag: str) -> str:
    """A tag without its namespace: ``{http://...}assessmentItem`` -> ``assessmentItem``."""
    return tag.rsplit("}", 1)[-1]


def children(element: ET.Element, name: str) -> list[ET.Element]:
    """Direct children named ``name`` in any namespace."""
    return [child for child in element if isinstance(child.tag, str) and local(child.tag) == name]


def child(element: ET.Element, name: str) -> ET.Element | None:
    """The first direct child named ``name`` in any namespace."""
    found = children(element, name)
    return found[0] if found else None


def descendants(element: ET.Element, name: str) -> list[ET.Element]:
    """Every element below ``element`` named ``name`` in any namespace."""
    return [e for e in element.iter() if isinstance(e.tag, str) and local(e.tag) == name and e is not element]


def inner_xml(element: ET.Element) -> str:
    """The markup inside an element (its text and children), namespaces stripped, for HTML conversion."""
    parts = [element.text or ""]
    for sub in element:
        parts.append(_strip_ns(ET.tostring(sub, encoding="unicode")))
    return "".join(parts)


def _strip_ns(markup: str) -> str:
    markup = re.sub(r"\sxmlns(:\w+)?=\"[^\"]*\"", "", markup)
    return re.sub(r"<(/?)\w+:", r"<\1", markup)

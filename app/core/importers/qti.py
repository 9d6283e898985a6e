"""IMS QTI: 1.2 ``questestinterop`` items, 2.1/2.2 ``assessmentItem`` and 3.0 ``qti-assessment-item``
with a single-cardinality choice interaction, alone or in an IMS content package (a zip with
``imsmanifest.xml`` whose images travel with the items).

Items with any other interaction (text entry, extended text, match, order, hotspot...) or with a
multiple-cardinality response are skipped with a count.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import unquote

from app.core.importers.draft import Collector, DraftOption, DraftQuestion
from app.core.importers.html_text import html_to_text
from app.core.importers.xml_safety import child, children, descendants, inner_xml, local, parse

Reader = Callable[[str], bytes | None]
"""Bytes of a file of the package by its path (POSIX, relative to the package root), or None."""

ROOTS = {"questestinterop": "1.2", "assessmentItem": "2", "qti-assessment-item": "3"}
_INTERACTION_KINDS = {
    "textEntryInteraction": "short-answer",
    "extendedTextInteraction": "essay",
    "matchInteraction": "matching",
    "associateInteraction": "matching",
    "gapMatchInteraction": "matching",
    "graphicGapMatchInteraction": "matching",
    "graphicAssociateInteraction": "matching",
    "orderInteraction": "ordering",
    "graphicOrderInteraction": "ordering",
    "inlineChoiceInteraction": "cloze",
    "hottextInteraction": "hot-text",
    "hotspotInteraction": "hotspot",
    "selectPointInteraction": "hotspot",
    "positionObjectInteraction": "hotspot",
    "sliderInteraction": "numeric",
    "uploadInteraction": "upload",
    "drawingInteraction": "drawing",
    "mediaInteraction": "media",
    "customInteraction": "custom",
    "portableCustomInteraction": "custom",
    "endAttemptInteraction": "other",
}
_CANVAS_KINDS = {
    "essay_question": "essay",
    "short_answer_question": "short-answer",
    "fill_in_multiple_blanks_question": "cloze",
    "multiple_dropdowns_question": "cloze",
    "matching_question": "matching",
    "numerical_question": "numeric",
    "calculated_question": "numeric",
    "multiple_answers_question": "multiple-response",
    "file_upload_question": "upload",
    "text_only_question": "description",
}
_NOT_SBA = "not a single-best-answer question"


def _v3(name: str) -> str:
    """The QTI 3 spelling of a QTI 2 name: ``choiceInteraction`` -> ``qti-choice-interaction``."""
    return "qti-" + re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower()


def _attr(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower()


def version_of(root: ET.Element) -> str | None:
    """``1.2``, ``2`` or ``3`` for a QTI item root, None for anything else."""
    return ROOTS.get(local(root.tag))


def read_item_file(root: ET.Element, base: str, read: Reader | None, collector: Collector) -> str | None:
    """Read one QTI XML document (its items); returns its title if it has one."""
    version = version_of(root)
    if version == "1.2":
        return _read_v1(root, base, read, collector)
    if version is not None:
        _read_v2(root, version == "3", base, read, collector)
        return root.get("title")
    return None


def _attach_images(draft: DraftQuestion, base: str, read: Reader | None, collector: Collector) -> None:
    """Load the images an item names from its package; drop (with a warning) any that leave it."""
    kept: list[tuple[str, str]] = []
    for src, alt in draft.images:
        path = unquote(src.replace("$IMS-CC-FILEBASE$", "").replace("%24IMS-CC-FILEBASE%24", "")).split("?")[0]
        if path.startswith("/") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path):
            kept.append((src, alt))  # external or absolute: build() drops it with its own message
            continue
        joined = posixpath.normpath(posixpath.join(base, path))
        if joined == ".." or joined.startswith("../"):
            collector.warn(f"image {src!r} points outside the package; dropped", draft.where)
            continue
        blob = read(joined) if read is not None else None
        if blob is not None:
            draft.files[src] = blob
        kept.append((src, alt))
    draft.images = kept


# -- QTI 2.x and 3.0 -----------------------------------------------------------------------
def _read_v2(root: ET.Element, v3: bool, base: str, read: Reader | None, collector: Collector) -> None:
    def n(name: str) -> str:
        return _v3(name) if v3 else name

    def a(element: ET.Element, name: str, default: str = "") -> str:
        return element.get(_attr(name) if v3 else name, default)

    identifier = root.get("identifier")
    where = f"item {identifier!r}" if identifier else "item"
    collector.tick(1, 1)
    body = child(root, n("itemBody"))
    if body is None:
        collector.problem("has no item body", where, n("itemBody"))
        return
    interactions = [
        e for e in body.iter() if isinstance(e.tag, str) and local(e.tag).endswith(("Interaction", "-interaction"))
    ]
    kinds = {local(e.tag) for e in interactions}
    choice_name = n("choiceInteraction")
    if not interactions:
        collector.skip("description", where, "no interaction, not a question")
        return
    others = [k for k in kinds if k != choice_name]
    if others or len(interactions) > 1:
        names = {(_INTERACTION_KINDS.get(k) or _INTERACTION_KINDS.get(_camel(k)) or "other") for k in others}
        kind = sorted(names)[0] if names else "multiple-interactions"
        collector.skip(kind, where, _NOT_SBA if kind != "multiple-interactions" else "more than one interaction")
        return
    interaction = interactions[0]
    response_id = a(interaction, "responseIdentifier")
    declarations = {d.get("identifier"): d for d in children(root, n("responseDeclaration"))}
    declaration = declarations.get(response_id)
    max_choices = a(interaction, "maxChoices", "1")
    if declaration is None:
        collector.problem(f"no response declaration for {response_id!r}", where, n("responseDeclaration"))
        return
    if declaration.get("cardinality") != "single" or max_choices != "1":
        collector.skip("multiple-response", where, "more than one choice can be selected")
        return
    correct = child(declaration, n("correctResponse"))
    values = [(v.text or "").strip() for v in children(correct, n("value"))] if correct is not None else []
    mapping = child(declaration, n("mapping"))
    if mapping is not None:
        positive = [e for e in children(mapping, n("mapEntry")) if _float(a(e, "mappedValue")) > 0]
        if len(positive) > 1:
            collector.skip("partial-credit", where, "more than one choice earns credit")
            return
    if len(values) != 1:
        collector.problem("needs exactly one correct response", where, n("correctResponse"))
        return
    choices = children(interaction, n("simpleChoice"))
    ids = [c.get("identifier", "") for c in choices]
    if values[0] not in ids:
        collector.problem(
            f"correct response {values[0]!r} is not a choice ({', '.join(ids)})", where, n("correctResponse")
        )
        return
    feedback_by_choice: dict[str, str] = {}
    general: list[str] = []
    for modal in children(root, n("modalFeedback")):
        text = html_to_text(inner_xml(modal)).text
        if not text:
            continue
        if modal.get("identifier") in ids:
            feedback_by_choice[modal.get("identifier", "")] = text
        else:
            general.append(text)
    options: list[DraftOption] = []
    for choice in choices:
        inline = [html_to_text(inner_xml(f)).text for f in children(choice, n("feedbackInline"))]
        for f in children(choice, n("feedbackInline")):
            choice.remove(f)
        converted = html_to_text(inner_xml(choice))
        if converted.images:
            collector.warn("image in a choice dropped (options hold text only)", where)
        explanation = " ".join(t for t in inline if t) or feedback_by_choice.get(choice.get("identifier", "")) or None
        options.append(DraftOption(converted.text, explanation))
    prompt_element = child(interaction, n("prompt"))
    prompt = html_to_text(inner_xml(prompt_element)).text if prompt_element is not None else ""
    parent_map = {c: p for p in body.iter() for c in p}
    parent_map[interaction].remove(interaction)
    stem = html_to_text(inner_xml(body))
    for item in stem.dropped:
        collector.warn(f"{item} in the item body dropped", where)
    text, lead_in = (stem.text, prompt or None) if stem.text else (prompt, None)
    draft = DraftQuestion(
        where=where,
        source_id=identifier,
        stem=text,
        options=options,
        answer=ids.index(values[0]),
        explanation="\n\n".join(general) or None,
        lead_in=lead_in,
        images=stem.images,
    )
    _attach_images(draft, base, read, collector)
    collector.add(draft)


def _camel(kebab: str) -> str:
    parts = kebab.removeprefix("qti-").split("-")
    return parts[0] + "".join(p.title() for p in parts[1:])


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


# -- QTI 1.2 --------------------------------------------------------------------------------
def _mattext(element: ET.Element | None) -> tuple[str, list[tuple[str, str]]]:
    if element is None:
        return "", []
    texts: list[str] = []
    images: list[tuple[str, str]] = []
    for material in element.iter():
        if not isinstance(material.tag, str):
            continue
        name = local(material.tag)
        if name == "mattext":
            converted = html_to_text(material.text or "") if material.get("texttype", "") != "text/plain" else None
            if converted is None:
                texts.append((material.text or "").strip())
            else:
                texts.append(converted.text)
                images.extend(converted.images)
        elif name == "matimage" and material.get("uri"):
            images.append((material.get("uri", ""), material.get("label", "")))
    return "\n".join(t for t in texts if t), images


def _read_v1(root: ET.Element, base: str, read: Reader | None, collector: Collector) -> str | None:
    assessment = next(iter(descendants(root, "assessment")), None)
    title = assessment.get("title") if assessment is not None else None
    items = descendants(root, "item")
    total = len(items)
    for done, item in enumerate(items, start=1):
        if done % 200 == 0 or done == total:
            collector.tick(done, total)
        _read_v1_item(item, base, read, collector)
    return title


def _metadata(item: ET.Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for field in descendants(item, "qtimetadatafield"):
        label, entry = child(field, "fieldlabel"), child(field, "fieldentry")
        if label is not None and entry is not None:
            out[(label.text or "").strip()] = (entry.text or "").strip()
    return out


def _read_v1_item(item: ET.Element, base: str, read: Reader | None, collector: Collector) -> None:
    ident = item.get("ident")
    where = f"item {ident!r}" if ident else f"item {item.get('title')!r}"
    canvas_kind = _metadata(item).get("question_type", "")
    if canvas_kind in _CANVAS_KINDS:
        kind = _CANVAS_KINDS[canvas_kind]
        collector.skip(kind, where, "more than one answer can be chosen" if kind == "multiple-response" else _NOT_SBA)
        return
    presentation = child(item, "presentation")
    if presentation is None:
        collector.skip("description", where, "no presentation, not a question")
        return
    lids = descendants(presentation, "response_lid")
    if not lids:
        if descendants(presentation, "response_str"):
            kind = (
                "essay"
                if descendants(presentation, "render_fib") and canvas_kind != "short_answer_question"
                else "short-answer"
            )
        elif descendants(presentation, "response_num"):
            kind = "numeric"
        elif descendants(presentation, "response_grp"):
            kind = "matching"
        else:
            kind = "description"
        collector.skip(kind, where, _NOT_SBA)
        return
    if len(lids) > 1:
        collector.skip("matching", where, "more than one response, not a single-best-answer question")
        return
    lid = lids[0]
    if lid.get("rcardinality", "Single").lower() != "single":
        collector.skip("multiple-response", where, "more than one answer can be chosen")
        return
    labels = descendants(lid, "response_label")
    ids = [label.get("ident", "") for label in labels]
    credit: dict[str, float] = {}
    feedback_refs: dict[str, list[str]] = {}
    general_refs: list[str] = []
    resprocessing = child(item, "resprocessing")
    for condition in descendants(resprocessing, "respcondition") if resprocessing is not None else []:
        conditionvar = child(condition, "conditionvar")
        equals = descendants(conditionvar, "varequal") if conditionvar is not None else []
        negated = conditionvar is not None and bool(descendants(conditionvar, "not"))
        score = sum(_float((s.text or "0").strip()) for s in children(condition, "setvar"))
        refs = [d.get("linkrefid", "") for d in children(condition, "displayfeedback")]
        chosen = [(e.text or "").strip() for e in equals]
        if len(chosen) == 1 and not negated:
            if score > 0:
                credit[chosen[0]] = max(credit.get(chosen[0], 0.0), score)
            else:
                feedback_refs.setdefault(chosen[0], []).extend(refs)
        elif not chosen:
            general_refs.extend(r for r in refs if r not in ("general_incorrect_fb", "correct_fb"))
    keys = [i for i in ids if credit.get(i, 0) > 0]
    top = max(credit.values(), default=0)
    if len(keys) != 1:
        if len(keys) > 1 and any(v < top for v in credit.values()):
            collector.skip("partial-credit", where, "answers carry partial credit; a single best answer is needed")
        elif len(keys) > 1:
            collector.skip("multiple-response", where, "more than one answer is marked right")
        else:
            collector.problem("no answer earns credit in resprocessing", where, "resprocessing")
        return
    feedbacks = {f.get("ident", ""): _mattext(f)[0] for f in children(item, "itemfeedback")}
    stem_parts = [m for m in children(presentation, "material")]
    stem_text = "\n\n".join(t for t in (_mattext(m)[0] for m in stem_parts) if t)
    stem_images = [img for m in stem_parts for img in _mattext(m)[1]]
    if not stem_text:
        stem_text = _mattext(presentation)[0] if not stem_parts else ""
    options: list[DraftOption] = []
    for label in labels:
        text, images = _mattext(label)
        if images:
            collector.warn("image in an answer dropped (options hold text only)", where)
        explanation = "\n".join(feedbacks[r] for r in feedback_refs.get(label.get("ident", ""), []) if feedbacks.get(r))
        options.append(DraftOption(text, explanation or None))
    general = "\n".join(feedbacks[r] for r in general_refs if feedbacks.get(r))
    draft = DraftQuestion(
        where=where,
        source_id=ident,
        stem=stem_text,
        options=options,
        answer=ids.index(keys[0]),
        explanation=general or None,
        images=stem_images,
    )
    _attach_images(draft, base, read, collector)
    collector.add(draft)


# -- content packages ------------------------------------------------------------------------
def manifest_items(manifest: ET.Element) -> tuple[str | None, list[str]]:
    """The package title (if the manifest has one) and the href of every QTI item resource, in order."""
    hrefs: list[str] = []
    for resource in descendants(manifest, "resource"):
        kind = resource.get("type", "").lower()
        href = resource.get("href")
        if href and "qti" in kind and ("item" in kind or "xmlv1p2" in kind):
            hrefs.append(href)
    title = None
    for element in descendants(manifest, "title"):
        strings = [s for s in element.iter() if isinstance(s.tag, str) and local(s.tag) in ("string", "langstring")]
        text = (strings[0].text if strings else element.text) or ""
        if text.strip():
            title = text.strip()
            break
    return title, hrefs


def read_package(manifest_data: bytes, read: Reader, collector: Collector) -> str | None:
    """Read every item a content package's manifest lists; returns the package's title."""
    manifest = parse(manifest_data, collector, "imsmanifest.xml")
    title, hrefs = manifest_items(manifest)
    if not hrefs:
        raise collector.fail("the manifest lists no QTI item resources", "imsmanifest.xml", "resources")
    first_title: str | None = None
    for href in hrefs:
        path = posixpath.normpath(unquote(href))
        if path.startswith("../") or posixpath.isabs(path):
            collector.problem(f"resource {href!r} points outside the package", "imsmanifest.xml", "resources")
            continue
        data = read(path)
        if data is None:
            collector.problem(f"resource {href!r} is not in the package", "imsmanifest.xml", "resources")
            continue
        root = parse(data, collector, path)
        if version_of(root) is None:
            continue  # an assessment test, stimulus or other resource: its items are listed on their own
        found = read_item_file(root, posixpath.dirname(path), read, collector)
        first_title = first_title or found
    return title or first_title

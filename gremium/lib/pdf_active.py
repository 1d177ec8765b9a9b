"""Active content out of a PDF: what a viewer would run, launch or unpack rather than show.

A bilag is published to everyone, so the file that is served (and every page appended to
the combined PDF) keeps only what is displayed: text, images, links to web pages and
jumps inside the document. Removed are JavaScript wherever it hangs (document and page
actions, the name tree, form fields, annotations, chained /Next actions), actions that
leave the document (Launch, GoToR/GoToE, SubmitForm, ImportData, multimedia), URI links
other than http(s)/mailto, embedded files and file attachment annotations, XFA forms and
multimedia annotations. The walk covers every object of the file, so an action is found
wherever it is referenced from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TypeGuard

import pikepdf

# Actions a viewer performs inside the document or by opening a web page.
_SAFE_ACTIONS = frozenset({"/GoTo", "/Named", "/SetOCGState", "/Thread", "/URI"})
_SAFE_URI_SCHEMES = ("http:", "https:", "mailto:")
# Annotations that carry files, media or 3D scenes (which may hold scripts).
_ACTIVE_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
)
# Keys of the document catalogue that only ever hold active content.
_ACTIVE_ROOT_KEYS = ("/OpenAction", "/AA", "/Collection")
_ACTIVE_NAME_TREES = ("/JavaScript", "/EmbeddedFiles")


def remove_active_content(pdf: pikepdf.Pdf) -> list[str]:
    """Remove active content from `pdf` in place; returns what was removed, as PDF key
    names with a count (e.g. "/AA ×2"), empty when the file had none."""
    removed: Counter[str] = Counter()
    _clean_root(pdf.Root, removed)
    for obj in _dictionaries(pdf):
        _clean_dictionary(obj, removed)
    return [f"{key} ×{count}" if count > 1 else key for key, count in sorted(removed.items())]


def _clean_root(root: pikepdf.Object, removed: Counter[str]) -> None:
    for key in _ACTIVE_ROOT_KEYS:
        _drop(root, key, key, removed)
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key in _ACTIVE_NAME_TREES:
            _drop(names, key, f"/Names{key}", removed)
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary):
        _drop(form, "/XFA", "/AcroForm/XFA", removed)


def _clean_dictionary(obj: pikepdf.Object, removed: Counter[str]) -> None:
    _drop(obj, "/AA", "/AA", removed)  # automatic actions of pages, fields, annotations
    action = obj.get("/A")
    if _is_action(action) and not _safe_action(action):
        _drop(obj, "/A", f"/A {_action_type(action)}", removed)
    if "/S" in obj:  # obj is an action itself: no chained actions after it
        _drop(obj, "/Next", "/Next", removed)
    # The script itself, wherever its action hangs: also under a key no list here names
    # (a misspelt /OpenAction, a viewer's own extension), it has nothing left to run.
    _drop(obj, "/JS", "/JS", removed)
    _drop(obj, "/EF", "/EF", removed)  # the bytes of an embedded file
    _drop(obj, "/RichMediaContent", "/RichMediaContent", removed)
    annotations = obj.get("/Annots")
    if isinstance(annotations, pikepdf.Array):
        _drop_active_annotations(annotations, removed)


def _drop_active_annotations(annotations: pikepdf.Array, removed: Counter[str]) -> None:
    for index in reversed(range(len(annotations))):
        annotation = annotations[index]
        if not isinstance(annotation, pikepdf.Dictionary):
            continue
        subtype = _name(annotation.get("/Subtype"))
        if subtype in _ACTIVE_ANNOTATIONS:
            del annotations[index]
            removed[f"/Annot {subtype}"] += 1


def _is_action(value: pikepdf.Object | None) -> TypeGuard[pikepdf.Object]:
    # /A is an action on annotations, outline items and form fields; on a structure
    # element the same key holds layout attributes (a dictionary or array with /O).
    return isinstance(value, pikepdf.Dictionary) and ("/S" in value or "/JS" in value)


def _safe_action(action: pikepdf.Object) -> bool:
    kind = _name(action.get("/S"))
    if kind not in _SAFE_ACTIONS:
        return False
    if kind == "/URI":
        uri = action.get("/URI")
        try:
            target = str(uri).strip().lower() if isinstance(uri, pikepdf.String) else ""
        except UnicodeDecodeError:  # not text: not a web address either
            return False
        return target.startswith(_SAFE_URI_SCHEMES)
    return True


def _action_type(action: pikepdf.Object) -> str:
    return _name(action.get("/S")) or "/JS"


def _name(value: pikepdf.Object | None) -> str:
    """A name as the file writes it ("/JavaScript"), "" for anything else. Never str(): a
    name's bytes need not be UTF-8, and str() of such a name raises."""
    if isinstance(value, pikepdf.Name):
        return bytes(value.unparse()).decode("latin-1")
    return ""


def _drop(obj: pikepdf.Object, key: str, label: str, removed: Counter[str]) -> None:
    if key in obj:
        del obj[key]
        removed[label] += 1


def _dictionaries(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every dictionary of the file, indirect or nested directly inside another object
    (an annotation's /A is often direct). Iterative: a hostile file can nest deeply."""
    stack: list[pikepdf.Object] = list(pdf.objects)
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            yield obj
            stack.extend(_direct_children(obj.values()))
        elif isinstance(obj, pikepdf.Array):
            stack.extend(_direct_children(obj))


def _direct_children(values: object) -> Iterator[pikepdf.Object]:
    # Indirect objects are in pdf.objects already; following them again could loop.
    for value in values:  # type: ignore[attr-defined]
        if isinstance(value, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream) and not (
            value.is_indirect
        ):
            yield value

"""Graft an appended attachment's tag tree (structure tree) into the combined PDF's.

A tagged attachment (a case worker's Word export, another gremium PDF) carries its own
structure: headings, paragraphs, tables, alternative texts. Appending its pages alone
would leave that content outside the bundle's tree, unreadable to a screen reader. Here
its structure elements become the children of one `Part` element under the bundle's
document element, titled after the attachment, and the keys that tie its marked content
to the tree (`StructParents`, `StructParent`, the parent tree) are moved past the
bundle's own, so no key means two things.

The attachment's pages must already be in the bundle, appended from the same open source:
qpdf copies each foreign object once per source, so the structure elements copied here
point at the very pages appended before.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

MARKED = Name("/Marked")


def is_tagged(source: pikepdf.Pdf) -> bool:
    """The source has a structure tree and says its content is marked."""
    root = source.Root
    mark_info = root.get("/MarkInfo")
    marked = isinstance(mark_info, Dictionary) and bool(mark_info.get(MARKED, False))
    return marked and isinstance(root.get("/StructTreeRoot"), Dictionary)


def graft(bundle: pikepdf.Pdf, source: pikepdf.Pdf, first_page: int, title: str) -> bool:
    """Move the source's tag tree under the bundle's; `first_page` is where its pages
    start in the bundle. False when either side has no tree. Everything is read and
    checked before the bundle changes, so a damaged tree raises with the bundle as it was
    (the caller then treats the attachment as untagged)."""
    target_root = bundle.Root.get("/StructTreeRoot")
    source_root = source.Root.get("/StructTreeRoot")
    if not isinstance(target_root, Dictionary) or not isinstance(source_root, Dictionary):
        return False
    document = _document_element(target_root)
    offset = _next_key(target_root)
    own = _number_tree_items(target_root.get("/ParentTree"))
    moved = [
        (key + offset, _copy(bundle, value))
        for key, value in _number_tree_items(source_root.get("/ParentTree"))
    ]
    kids = [_copy(bundle, kid) for kid in _as_list(source_root.get("/K"))]
    pages = list(bundle.pages)[first_page : first_page + len(source.pages)]
    shifts = [shift for page in pages for shift in _page_key_shifts(page.obj, offset)]
    # From here on only values already read and checked are written.
    for holder, name, number in shifts:
        holder[name] = number
    part = bundle.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Part, T=pikepdf.String(title), P=document)
    )
    for kid in kids:
        if isinstance(kid, Dictionary):
            kid.P = part
    part.K = Array(kids)
    nums: list[object] = []
    for number, marked in sorted(own + moved, key=lambda pair: pair[0]):
        nums += [number, marked]
    target_root.ParentTree = bundle.make_indirect(Dictionary(Nums=Array(nums)))
    target_root.ParentTreeNextKey = max([offset, *(key + 1 for key, _ in moved)])
    _merge_role_map(bundle, target_root, source_root)
    document.K = Array([*_as_list(document.get("/K")), part])
    return True


def _copy(bundle: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """A foreign object in the bundle; a direct array's indirect members one by one."""
    if value.is_indirect:
        return bundle.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_copy(bundle, member) for member in value])
    return value


def _next_key(root: Dictionary) -> int:
    """The first parent-tree key not in use in the bundle."""
    keys = [key for key, _ in _number_tree_items(root.get("/ParentTree"))]
    declared = int(root.get("/ParentTreeNextKey", 0))
    return max([declared, *(key + 1 for key in keys)])


def _number_tree_items(node: object) -> list[tuple[int, pikepdf.Object]]:
    """The (key, value) pairs of a number tree, its kids flattened."""
    if not isinstance(node, Dictionary):
        return []
    items: list[tuple[int, pikepdf.Object]] = []
    nums = node.get("/Nums")
    if isinstance(nums, Array):
        items += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
    for kid in _as_list(node.get("/Kids")):
        items += _number_tree_items(kid)
    return items


Shift = tuple[pikepdf.Object, str, int]


def _page_key_shifts(page: Dictionary, offset: int) -> list[Shift]:
    """The page's, its annotations' and its form XObjects' keys into the parent tree,
    moved past the bundle's own keys."""
    shifts: list[Shift] = []
    if "/StructParents" in page:
        shifts.append((page, "/StructParents", int(page.StructParents) + offset))
    for annotation in _as_list(page.get("/Annots")):
        if isinstance(annotation, Dictionary) and "/StructParent" in annotation:
            shifts.append((annotation, "/StructParent", int(annotation.StructParent) + offset))
    _xobject_shifts(page.get("/Resources"), offset, set(), shifts)
    return shifts


def _xobject_shifts(
    resources: object, offset: int, seen: set[tuple[int, int]], shifts: list[Shift]
) -> None:
    if not isinstance(resources, Dictionary):
        return
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, Dictionary):
        return
    for _, xobject in xobjects.items():
        if not isinstance(xobject, pikepdf.Stream) or xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        for key in ("/StructParents", "/StructParent"):
            if key in xobject:
                shifts.append((xobject, key, int(xobject[key]) + offset))
        _xobject_shifts(xobject.get("/Resources"), offset, seen, shifts)


def _document_element(root: Dictionary) -> Dictionary:
    """The bundle's top element (Typst writes one /Document)."""
    kids = _as_list(root.get("/K"))
    if len(kids) == 1 and isinstance(kids[0], Dictionary):
        return kids[0]
    raise ValueError("the rendered PDF has no single document element")


def _merge_role_map(bundle: pikepdf.Pdf, target: Dictionary, source: Dictionary) -> None:
    """The attachment's own element names mapped as it maps them, where the bundle has
    no mapping of that name already."""
    theirs = source.get("/RoleMap")
    if not isinstance(theirs, Dictionary):
        return
    ours = target.get("/RoleMap")
    if not isinstance(ours, Dictionary):
        ours = Dictionary()
        target.RoleMap = ours
    for key, value in theirs.items():
        if key not in ours:
            ours[key] = bundle.copy_foreign(value) if value.is_indirect else value


def _as_list(value: object) -> list[pikepdf.Object]:
    if value is None:
        return []
    if isinstance(value, Array):
        return list(value)
    return [value]  # type: ignore[list-item]

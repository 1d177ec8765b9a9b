"""Section Markdown as a plain tree of nodes, the only form in which user text reaches Typst.

The Typst template walks this tree and places every `text` as a string, so no character a
secretary types is ever read as Typst markup or code. Headings inside a body are escaped
first (see `markdown_text.block`), so the tree has none: a body cannot add an item or a
heading to the PDF's structure. Raw HTML stays text because the parser has HTML off.

Node shapes: {"type": <block or inline type>, "children": [...]} for containers,
{"type": "text" | "code", "text": str} for leaves, plus "start" on ordered lists,
"href" on links, "align" on table cells and "widths" on tables.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from gremium.documents.markdown_text import block
from gremium.documents.typography import keep_together

Node = dict[str, Any]

_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")
_LEAVES = {"text": "text", "code_inline": "code", "code_block": "code", "fence": "code"}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Containers nested deeper than this keep their text but not their formatting: no real
# text needs it, and thousands of "*" in a row nest emphasis thousands deep, deeper than
# the JSON encoder and the template can follow.
MAX_DEPTH = 40
# A column's share of a table's width is its longest cell in characters, within these bounds:
# short numbers still get room for a header, long prose wraps instead of crowding the rest.
_COLUMN_WEIGHT = (3, 40)


def markdown_tree(text: str) -> Node:
    root: Node = {"type": "root", "children": []}
    _fill(root, _PARSER.parse(block(text)))
    return root


def _fill(root: Node, tokens: list[Token], depth: int = 0) -> None:
    stack = [root]
    flattened = 0  # containers opened beyond MAX_DEPTH, whose content went to their parent
    for token in tokens:
        if token.nesting == -1:
            if flattened:
                flattened -= 1
                continue
            if token.type == "table_close":
                stack[-1]["widths"] = _column_weights(stack[-1])
                _align_numbers(stack[-1])
            stack.pop()
        elif token.nesting == 1:
            if depth + len(stack) > MAX_DEPTH:
                flattened += 1
                continue
            node = _container(token)
            stack[-1]["children"].append(node)
            stack.append(node)
        elif token.type == "inline":
            _fill(stack[-1], token.children or [], depth + len(stack))
        else:
            stack[-1]["children"].append(_leaf(token))


def _container(token: Token) -> Node:
    kind = token.type.removesuffix("_open")
    if kind == "paragraph" and token.hidden:
        kind = "tight"
    node: Node = {"type": kind, "children": []}
    if kind == "ordered_list":
        node["start"] = int(str(token.attrGet("start") or 1))
    elif kind == "link":
        node["href"] = _safe_href(str(token.attrGet("href") or ""))
    elif kind in ("th", "td"):
        node["align"] = _alignment(str(token.attrGet("style") or ""))
    return node


def _leaf(token: Token) -> Node:
    if token.type == "text":
        return {"type": "text", "text": keep_together(token.content)}
    if token.type in _LEAVES:
        return {"type": _LEAVES[token.type], "text": token.content.rstrip("\n")}
    if token.type == "image":
        return {"type": "text", "text": token.content}
    # softbreak, hardbreak, hr and anything unforeseen keep only their kind.
    return {"type": token.type, "text": token.content}


def _column_weights(table: Node) -> list[int]:
    """Relative column widths, so Typst need not measure every cell to size the columns."""
    rows = [row for section in table["children"] for row in section["children"]]
    weights = [_COLUMN_WEIGHT[0]] * max((len(row["children"]) for row in rows), default=0)
    for row in rows:
        for column, cell in enumerate(row["children"]):
            weights[column] = max(weights[column], min(len(_text(cell)), _COLUMN_WEIGHT[1]))
    return weights


def _text(node: Node) -> str:
    return node.get("text") or "".join(_text(child) for child in node.get("children", ()))


def _safe_href(href: str) -> str | None:
    return href if href.lower().startswith(_SAFE_SCHEMES) else None


def _alignment(style: str) -> str:
    """The alignment the Markdown asks for ("|--:|"), or "" when it asks for none."""
    for side in ("left", "right", "center"):
        if side in style:
            return side
    return ""


# A Danish amount or count as a table cell holds it: "1.234", "-36,2", "36,2 %", "12 kr.".
_NUMBER = re.compile(r"^[-−+]?\s*\d[\d. ]*(,\d+)?\s*(%|‰|kr\.?|mio\.?( kr\.?)?)?$")


def _align_numbers(table: Node) -> None:
    """Columns of numbers are right-aligned, as a reader compares amounts by their last
    digits, unless the Markdown chose an alignment for the column."""
    rows = [
        (section["type"], row["children"])
        for section in table["children"]
        for row in section["children"]
    ]
    body = [cells for kind, cells in rows if kind == "tbody"]
    for column in range(max((len(cells) for _, cells in rows), default=0)):
        own = [cells[column] for _, cells in rows if column < len(cells)]
        if any(cell["align"] for cell in own):
            continue
        values = [_text(cells[column]).strip() for cells in body if column < len(cells)]
        values = [v for v in values if v]
        if values and all(_NUMBER.match(v) for v in values):
            for cell in own:
                cell["align"] = "right"

"""The one error a rendering raises, so callers (views, the command) catch a single class."""

from __future__ import annotations


class RenderError(Exception):
    """A document could not be rendered; the message names the file or part at fault."""

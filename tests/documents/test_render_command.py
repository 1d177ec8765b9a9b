from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from gremium.documents.errors import RenderError
from gremium.documents.output import render_document

from .conftest import SEED_JSON
from .pdf_reading import page_texts


def test_command_writes_public_agenda_markdown_from_json(tmp_path):
    out = tmp_path / "dagsorden.md"
    call_command(
        "render", "--from-json", str(SEED_JSON), "--variant", "agenda", "--public",
        "--format", "md", "-o", str(out),
    )  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# DAGSORDEN Beskæftigelses- og Borgerserviceudvalget")
    assert "Beslutning i" not in text


def test_command_writes_minutes_pdf_from_json(tmp_path):
    out = tmp_path / "referat.pdf"
    call_command("render", "--from-json", str(SEED_JSON), "--format", "pdf", "-o", str(out))
    assert page_texts(out.read_bytes())[0].startswith("Haderslev Kommune\nREFERAT")


def test_command_refuses_attachments_outside_pdf(tmp_path):
    with pytest.raises(CommandError, match="only be bundled into a PDF"):
        call_command(
            "render", "--from-json", str(SEED_JSON), "--format", "md", "--with-attachments",
            "-o", str(tmp_path / "x.md"),
        )  # fmt: skip


def test_render_document_returns_markdown_bytes(seed):
    assert render_document(seed, "md", False).decode().startswith("# REFERAT")


def test_render_document_refuses_an_unknown_format(seed):
    with pytest.raises(RenderError, match="unknown format"):
        render_document(seed, "docx", False)  # type: ignore[arg-type]

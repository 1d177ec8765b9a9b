from __future__ import annotations

import datetime as dt

from gremium.lib.document_structure import Audience, Document, DocumentKind


def test_document_title_names_kind_organization_and_date():
    doc = Document(
        kind=DocumentKind.MINUTES,
        audience=Audience.PUBLIC,
        body_name="Haderslev Kommune",
        organization_name="Beskæftigelses- og Borgerserviceudvalget",
        start=dt.datetime(2026, 2, 2, 16, 0),
    )
    assert doc.title == "REFERAT Beskæftigelses- og Borgerserviceudvalget d. 02-02-2026"

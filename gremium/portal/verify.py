"""/verificer/: anyone may check whether a PDF is minutes as a body sealed them.

An uploaded file is read into memory, checked and forgotten: nothing is stored or logged
but the verdict. The meeting page links to a check of its own kept minutes, which goes
through the access layer like the PDF itself, so it tells no reader about a document
they may not download.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from gremium.documents.archive import meeting_pdf
from gremium.documents.seal_verify import SealReport, verify_sealed_pdf
from gremium.lib.document_structure import DocumentKind
from gremium.lib.upload_limit import upload_refusal
from gremium.meetings.access import access_meeting_for_view
from gremium.meetings.models import MeetingState


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("PDF-fil"),
        error_messages={
            "required": gettext_lazy("Vælg den PDF-fil, der skal kontrolleres."),
            "empty": gettext_lazy("Filen er tom."),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def verify_upload(request: HttpRequest) -> HttpResponse:
    report: SealReport | None = None
    error = ""
    form = VerifyForm()
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)  # parses the upload
        refused = upload_refusal(request)  # too large: stopped before its bytes were read
        if refused is not None:
            error = refused.message
            form = VerifyForm()  # the file was not read: no second message about it
        elif form.is_valid():
            report = verify_sealed_pdf(form.cleaned_data["file"].read())
    status = 400 if error or form.errors else 200
    return _page(request, form=form, report=report, error=error, status=status)


@require_safe
def verify_meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The check of a meeting's approved minutes as the reader may download them."""
    view = access_meeting_for_view(request.user, meeting_id)
    if view.kind is not DocumentKind.MINUTES or view.meeting.state != MeetingState.APPROVED:
        raise Http404
    pdf = meeting_pdf(view.meeting, kind=DocumentKind.MINUTES, audience=view.audience)
    report = verify_sealed_pdf(pdf)
    return _page(request, form=VerifyForm(), report=report, meeting=view.meeting)


def _page(request: HttpRequest, *, status: int = 200, **context: object) -> HttpResponse:
    context.setdefault("meeting", None)
    context["test_seal_enabled"] = settings.GREMIUM_SEAL_TEST_CERTIFICATE
    context["max_mb"] = settings.GREMIUM_MAX_UPLOAD_MB
    context["title"] = _("Kontrollér et forseglet referat")
    response = render(request, "portal/verify.html", context, status=status)
    # The verdict is about the file just sent: never kept by a browser or proxy.
    response["Cache-Control"] = "no-store"
    return response

"""What the domain announces, so that layers above it can act without being imported here:
the documents app keeps the published agenda's and the approved minutes' PDFs."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `meeting=` after the agenda of a meeting is published (and is to be kept as
# sent out).
agenda_published = Signal()
# Sent with `meeting=` after the minutes are approved, once per approved version.
minutes_approved = Signal()

"""What the domain announces, so that layers above it can act without being imported here:
the documents app keeps the published agenda's and the approved minutes' PDFs, the search
app reindexes a changed meeting."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `meeting=` after the agenda of a meeting is published (and is to be kept as
# sent out).
agenda_published = Signal()
# Sent with `meeting=` after the minutes are published for approval (the office's step; an
# archive's imported minutes are not sent: nobody approves them any more).
minutes_published = Signal()
# Sent with `meeting=` after the minutes are approved, once per approved version.
minutes_approved = Signal()
# Sent with `meeting_id=` by every service that changes a meeting (its content, state,
# time or place, or deletes it), inside the change's transaction: a receiver that reads the
# stored meeting waits for the commit (transaction.on_commit).
meeting_changed = Signal()
# Sent with `attachment_id=` and `meeting_id=` when an attachment was stored whose text is
# still to be read (a PDF: reading a long one takes seconds, so the upload does not wait),
# inside the change's transaction: the search app reads and indexes it after the commit.
attachment_text_pending = Signal()

"""One builder per document kind: plain data in, a :class:`~desktop.documents.blocks.Document` out.

Builders take the services' plain dataclasses (``MeetingDetail``, ``BirthdayRow``, ``MemberRow``,
``CampaignTree``, ``ComplianceReport``…) or anything with the same attributes; never an ORM
object, a session or Qt. Which kinds exist, their labels and filters: ``desktop.services.document_kinds``.
"""

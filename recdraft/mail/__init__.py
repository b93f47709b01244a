"""Outgoing mail without the database: settings (``settings``), message rendering and unsigned-header
safety (``compose``) and the SMTP transport (``smtp``). Queueing and sending live in
``services.notifications`` and ``services.outbox``.
"""

"""Use cases: every write and every read a page or the command line makes goes through a function here.

Each public function takes the ``db`` handle, then keyword arguments, the first of them ``actor_id``: an
``Actor`` (``services._base``), a user id or ``SYSTEM`` for the operator at the command line. It reads the
actor's standing from the database at that moment and asks ``domain.policy`` through the one guard,
``_base.require(session, actor_id, action, roundtable_id)``; then it validates (``schemas``), changes, and
adds its audit row (``_base.audit``) in the same transaction. Refusals are ``recdraft.errors`` carrying a
catalogue key and parameters, so a page shows them in the reader's language; audit details that say
something in words are stored as a ``Msg`` (``Msg.to_json()``) and read back translated
(``activity.audit_text``). Views (``schemas.views``) are what leaves a service, never ORM rows.
"""

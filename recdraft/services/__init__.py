"""Use cases. Each public function: load → authorise → validate → change → audit, in one transaction.

Functions are keyword-only after the ``db`` handle and name the acting user (``actor_id``).
Permission is checked here, against roles read from the database at that moment.
"""

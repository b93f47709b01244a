"""Pydantic models that cross layers: the inputs a service validates (``common.parse`` turns a validator's
``InvalidValue`` into ``InvalidInput`` with its catalogue key), the views a service returns (``views``,
``voting``), the memo's data (``memo``) and the views of outgoing mail (``mail``)."""

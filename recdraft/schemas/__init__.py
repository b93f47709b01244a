"""Pydantic models that cross layers: inputs validated at the service boundary and views."""

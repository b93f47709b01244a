"""The pages' code, one module (or package) per page: ``recdraft/ui/pages/<name>.py`` only calls ``render()``."""

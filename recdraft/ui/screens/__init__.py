"""The screens of the pages: each page's code (``ui/pages/<name>.py`` is a thin entry calling ``render``)."""

"""One module per page, named after its file in ``pages/``: that page's widgets and views."""

"""The server-rendered web UI: routes, view helpers, Jinja2 templates and local static assets."""

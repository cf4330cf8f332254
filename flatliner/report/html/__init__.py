"""The single-file HTML report: inline SVG figures, no script, no network.

`render_html(view)` returns the page; `write_html(view, path)` writes it.
Build the view with `flatliner.report.view.build_view`.
"""

from flatliner.report.html.page import render_html, write_html

__all__ = ["render_html", "write_html"]

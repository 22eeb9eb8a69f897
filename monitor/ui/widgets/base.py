"""ViewWidget: a widget that draws one part of the latest LiveView at whatever size it has now, so
every part fits its width at 80 columns as at 200 and a resize redraws it without a new view."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from monitor.ui.view import LiveView


class ViewWidget(Widget):
    """Keeps the latest view; `draw` turns it into text for a content area of `width` x `height` cells."""

    DEFAULT_CSS = "ViewWidget { height: 1; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.view: LiveView | None = None

    def show(self, v: LiveView) -> None:
        """Take a new view; it is drawn on the next refresh (safe before the widget is mounted)."""
        self.view = v
        self.refresh()

    def render(self) -> Text:
        if self.view is None:
            return Text("")
        size = self.content_size
        return self.draw(self.view, max(1, size.width), max(1, size.height))

    def draw(self, v: LiveView, width: int, height: int) -> Text:
        raise NotImplementedError

"""Keyboard reach: Tab leaves every table and list (arrow keys move inside them)."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtWidgets import QAbstractItemView, QWidget


def tab_leaves_views(root: QWidget) -> None:
    """Let Tab and Shift+Tab move on from every item view under ``root``.

    Qt's item views take Tab for moving between cells by default, so the focus never leaves them
    by keyboard (a trap for anyone who does not use a mouse); the arrow keys still move inside.
    """
    for view in root.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)


def tab_order(*widgets: QWidget) -> None:
    """Tab visits ``widgets`` in this order (their reading order on screen)."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)

"""Renders one question: stem with highlights, exhibits, lead-in, options and explanations.

Used by the block screen (while sitting) and the review screen (after the block).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Property, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QMenu, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from app.core.pack_format import LABELS, Question
from app.core.scoring import LEAD_IN, STEM, Highlight, ItemState, option_part
from app.ui.widgets.option_row import OptionRow
from app.ui.widgets.passage import Passage, Range

MediaLoader = Callable[[str, str], bytes | None]
Selection = tuple[str, int, int]
NO_EXPLANATION = "No explanation provided."


UNANSWERED = "Unanswered"


def _coloured(text: str, colour: str | None) -> str:
    return text if colour is None else f'<span style="color:{colour}">{text}</span>'


def explanation_html(
    question: Question,
    state: ItemState | None,
    *,
    show_keywords: bool = True,
    marks: tuple[str | None, str | None] = (None, None),
) -> str:
    """The answer, every option's explanation, the objective and (in review) the user's work.

    ``marks``: the colours of ✓ and ✗ (the theme's ``correctText`` and ``incorrectText``); None draws
    them in the text colour.
    """
    right, wrong = marks
    parts = [f"<h3>Correct answer: {question.answer}. {html.escape(question.option(question.answer).text)}</h3>"]
    if state is not None:
        if state.answer is None:
            yours = _coloured(UNANSWERED, wrong)
        elif state.answer == question.answer:
            yours = f"{html.escape(state.answer)} ({_coloured('correct', right)})"
        else:
            yours = f"{html.escape(state.answer)} ({_coloured('incorrect', wrong)})"
        parts.append(f"<p><b>Your answer:</b> {yours}")
        if state.changed_count:
            trail = " → ".join(label or "cleared" for label in state.answer_changes)
            parts.append(f"<br><b>Answer changes:</b> {html.escape(trail)}")
        if state.struck:
            parts.append(f"<br><b>You struck out:</b> {', '.join(sorted(state.struck))}")
        parts.append(f"<br><b>Time on item:</b> {state.seconds:.0f} s in {state.visits} visit(s)</p>")
        if state.note:
            parts.append(f"<p><b>Your note:</b> {html.escape(state.note)}</p>")
    parts.append(f"<p>{html.escape(question.explanation or NO_EXPLANATION)}</p>")
    parts.append("<table cellspacing=4>")
    for option in question.options:
        mark = _coloured("✓", right) if option.label == question.answer else _coloured("✗", wrong)
        text = html.escape(option.explanation or NO_EXPLANATION)
        parts.append(
            f"<tr><td valign=top><b>{mark} {option.label}.</b></td><td valign=top><i>{html.escape(option.text)}</i>"
            f"<br>{text}</td></tr>"
        )
    parts.append("</table>")
    if question.objective:
        parts.append(f"<p><b>Educational objective:</b> {html.escape(question.objective)}</p>")
    if show_keywords and question.keywords:
        words = ", ".join(f"“{html.escape(k)}”" for k in question.keywords)
        parts.append(f"<p><b>Decisive words in the stem</b> (underlined above): {words}</p>")
    return "".join(parts)


class Exhibit(QWidget):
    """An inline image, as wide as the pane allows and never beyond its natural size; a click enlarges it.

    Signals:
        clicked(): the image was clicked (open the viewer).
    """

    clicked = Signal()

    def __init__(self, pixmap: QPixmap, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exhibit")
        self.pixmap = pixmap
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"{caption or 'Exhibit'}: click to enlarge, zoom, pan and adjust contrast and brightness")
        self.setAccessibleName(caption or "Exhibit")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._scaled: QPixmap | None = None

    def shown_size(self, width: int) -> QSize:
        """The drawn size at a given widget width: fit to the width, up to the natural size."""
        natural = self.pixmap.size()
        if natural.width() <= 0:
            return QSize(0, 0)
        w = max(1, min(width, natural.width()))
        return QSize(w, max(1, round(natural.height() * w / natural.width())))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        """Taller when wider."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        """The image's height at that width."""
        return self.shown_size(width).height()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """The natural size."""
        return self.pixmap.size()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Any width: the image shrinks to fit."""
        return QSize(40, self.heightForWidth(40))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the image scaled smoothly (once per size)."""
        size = self.shown_size(self.width())
        if self._scaled is None or self._scaled.size() != size:
            self._scaled = self.pixmap.scaled(
                size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        QPainter(self).drawPixmap(0, 0, self._scaled)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        """Open the viewer."""
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        event.accept()


class QuestionView(QScrollArea):
    """The scrollable question area.

    Every passage is a word-wrapped label whose height follows its width, so the whole item is
    always visible or reachable by scrolling, at every window size and zoom.

    Signals:
        option_chosen(str): an option was left-clicked.
        option_strike_toggled(str): an option was right-clicked.
        exhibit_opened(int): an exhibit was clicked (its index in ``question.media``).
        highlight_requested(str, int, int): highlight part, start, end (from the context menu).
        highlight_removal_requested(str, int, int): remove that one highlight (from the context menu).
        highlights_clear_requested(): remove all of the item's highlights (from the context menu).
    """

    option_chosen = Signal(str)
    option_strike_toggled = Signal(str)
    exhibit_opened = Signal(int)
    highlight_requested = Signal(str, int, int)
    highlight_removal_requested = Signal(str, int, int)
    highlights_clear_requested = Signal()
    marks_changed = Signal()
    """The theme's ✓/✗ colours changed (``correctColour``, ``incorrectColour``)."""

    def __init__(self, media_loader: MediaLoader, parent: QWidget | None = None, *, editable: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("questionView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._media_loader = media_loader
        self._editable = editable
        self._question: Question | None = None
        self._pack_id = ""
        self._highlights: list[Highlight] = []
        self._selected: Passage | None = None
        body = QWidget(self)
        body.setObjectName("questionBody")
        self._body = body
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(24, 18, 24, 18)
        self._layout.setSpacing(12)
        self.stem = Passage(STEM, body, object_name="stem")
        self._exhibits = QVBoxLayout()
        self._exhibits.setSpacing(8)
        self.lead_in = Passage(LEAD_IN, body, object_name="leadIn")
        for passage in (self.stem, self.lead_in):
            passage.selection_made.connect(partial(self._selection_made, passage))
            passage.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            passage.customContextMenuRequested.connect(partial(self._context_menu, passage))
        self._options_box = QVBoxLayout()
        self._options_box.setSpacing(2)
        self.explanation = QLabel(body)
        self.explanation.setObjectName("explanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.explanation.hide()
        self._layout.addWidget(self.stem)
        self._layout.addLayout(self._exhibits)
        self._layout.addWidget(self.lead_in)
        self._layout.addLayout(self._options_box)
        self._layout.addWidget(self.explanation)
        self._layout.addStretch(1)
        self.setWidget(body)
        self.verticalScrollBar().valueChanged.connect(self.refresh_hover)
        self.option_rows: list[OptionRow] = []
        self._row_pool: list[OptionRow] = []
        self.exhibits: list[Exhibit] = []
        self._images: dict[tuple[str, str], QPixmap | None] = {}
        self._marks: list[str | None] = [None, None]
        """The ✓ and ✗ colours, set by the stylesheet (``qproperty-correctColour`` and ``-incorrectColour``)."""
        self._explained: tuple[ItemState, bool] | None = None

    # -- colours from the theme ------------------------------------------------------------
    def _mark(self, which: int) -> QColor:
        colour = self._marks[which]
        return QColor(colour) if colour is not None else QColor()

    def _set_mark(self, which: int, colour: QColor) -> None:
        self._marks[which] = colour.name() if colour.isValid() else None
        self.marks_changed.emit()
        if self._explained is not None and self.explanation.isVisibleTo(self):
            self._explain(*self._explained)

    def mark_colours(self) -> tuple[QColor, QColor]:
        """The theme's ✓ and ✗ colours (invalid colours when no theme set them)."""
        return self._mark(0), self._mark(1)

    def _get_correct(self) -> QColor:
        return self._mark(0)

    def _set_correct(self, colour: QColor) -> None:
        self._set_mark(0, colour)

    def _get_incorrect(self) -> QColor:
        return self._mark(1)

    def _set_incorrect(self, colour: QColor) -> None:
        self._set_mark(1, colour)

    correctColour = Property(QColor, _get_correct, _set_correct)  # noqa: N815 (a Qt property, named for the stylesheet)
    incorrectColour = Property(QColor, _get_incorrect, _set_incorrect)  # noqa: N815

    def _explain(self, state: ItemState, show_keywords: bool) -> None:
        if self._question is None:
            return
        self._explained = (state, show_keywords)
        marks = (self._marks[0], self._marks[1])
        self.explanation.setText(explanation_html(self._question, state, show_keywords=show_keywords, marks=marks))

    # -- content -----------------------------------------------------------------------
    def show_question(self, question: Question, pack_id: str) -> None:
        """Lay out a new question (options, exhibits) and scroll to the top."""
        self._question = question
        self._pack_id = pack_id
        self._selected = None
        self._highlights = []
        self.stem.set_passage(question.stem)
        self.lead_in.set_passage(question.lead_in or "")
        self.lead_in.setVisible(bool(question.lead_in))
        # Rows are pooled: creating and styling widgets for every item would cost a frame.
        while len(self._row_pool) < len(question.options):
            row = OptionRow(LABELS[len(self._row_pool)], "", self._body)
            row.chosen.connect(self.option_chosen)
            row.strike_toggled.connect(self.option_strike_toggled)
            row.passage.selection_made.connect(partial(self._selection_made, row.passage))
            self._options_box.addWidget(row)
            self._row_pool.append(row)
        for row, option in zip(self._row_pool, question.options, strict=False):
            row.set_text(option.text)
            row.show()
        for row in self._row_pool[len(question.options) :]:
            row.hide()
        self.option_rows = self._row_pool[: len(question.options)]
        self._show_exhibits(question)
        self.explanation.hide()
        self.verticalScrollBar().setValue(0)

    def refresh_hover(self) -> None:
        """Re-check which option the pointer is over (after scrolling the rows under a still pointer)."""
        for row in self.option_rows:
            row.refresh_hover()

    def _show_exhibits(self, question: Question) -> None:
        while self._exhibits.count():
            item = self._exhibits.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        self.exhibits = []
        for index, media in enumerate(question.media):
            image = self._image(media.file)
            if image is None:
                missing = QLabel(f"Exhibit {index + 1} ({media.caption or media.file}) is missing.", self._body)
                missing.setObjectName("muted")
                self._exhibits.addWidget(missing)
                continue
            exhibit = Exhibit(image, media.caption, self._body)
            exhibit.clicked.connect(partial(self.exhibit_opened.emit, index))
            self._exhibits.addWidget(exhibit)
            self.exhibits.append(exhibit)
            if media.caption:
                caption = QLabel(media.caption, self._body)
                caption.setObjectName("exhibitCaption")
                caption.setWordWrap(True)
                self._exhibits.addWidget(caption)

    def prefetch(self, question: Question, pack_id: str) -> None:
        """Decode a coming question's exhibits now, so showing it costs no decoding."""
        for media in question.media:
            self._image(media.file, pack_id)

    def _image(self, file: str, pack_id: str | None = None) -> QPixmap | None:
        pack = pack_id if pack_id is not None else self._pack_id
        key = (pack, file)
        if key not in self._images:
            data = self._media_loader(pack, file)
            image = QImage.fromData(data) if data else QImage()
            self._images[key] = None if image.isNull() else QPixmap.fromImage(image)
        return self._images[key]

    def show_state(self, state: ItemState, *, reveal: bool, show_keywords: bool = False) -> None:
        """Show the user's answer, strike-outs, highlights; with ``reveal``, right/wrong and explanations."""
        question = self._question
        if question is None:
            return
        self._highlights = list(state.highlights)
        for row in self.option_rows:
            verdict = None
            if reveal:
                if row.label == question.answer:
                    verdict = "correct"
                elif row.label == state.answer:
                    verdict = "incorrect"
            row.set_state(selected=row.label == state.answer, struck=row.label in state.struck, verdict=verdict)
            row.set_highlights(self._ranges(option_part(row.label)))
        keywords = question.keywords if reveal and show_keywords else []
        self.stem.set_marks(self._ranges(STEM), _keyword_ranges(question.stem, keywords))
        self.lead_in.set_marks(self._ranges(LEAD_IN))
        if reveal:
            self.ensurePolished()  # the theme's ✓/✗ colours arrive with the stylesheet's polish
            self._explain(state, show_keywords)
            self.explanation.show()
        else:
            self._explained = None
            self.explanation.hide()

    def _ranges(self, part: str) -> list[Range]:
        return [(h.start, h.end) for h in self._highlights if h.part == part]

    # -- selection and highlights ----------------------------------------------------------
    def passages(self) -> list[Passage]:
        """Every passage of the item shown: stem, lead-in, option texts."""
        return [self.stem, self.lead_in, *(row.passage for row in self.option_rows)]

    def _selection_made(self, passage: Passage) -> None:
        """One selection at a time: selecting in one passage drops the others'."""
        self._selected = passage
        for other in self.passages():
            if other is not passage:
                other.clear_selection()

    def selected_range(self) -> Selection | None:
        """The selected (part, start, end), if any: the latest selection the mouse made."""
        candidates = [self._selected] if self._selected is not None else []
        for passage in [*candidates, *self.passages()]:
            selected = passage.selected_range()
            if selected is not None:
                return passage.part, selected[0], selected[1]
        return None

    def select_range(self, start: int, end: int, part: str = STEM) -> None:
        """Select text of one part (used by tests and by keyboard selection)."""
        for passage in self.passages():
            if passage.part == part:
                passage.select_range(start, end)
                self._selection_made(passage)

    def highlight_at(self, part: str, position: int) -> Highlight | None:
        """The highlight of ``part`` covering a text position, if any (the latest one)."""
        for mark in reversed(self._highlights):
            if mark.part == part and mark.start <= position < mark.end:
                return mark
        return None

    def context_actions(self, passage: Passage, point: QPoint) -> list[tuple[str, Callable[[], None]]]:
        """What the context menu of a passage offers at a point (highlight, remove one, clear)."""
        actions: list[tuple[str, Callable[[], None]]] = []
        selected = passage.selected_range()
        if selected is not None:
            actions.append(("Highlight", partial(self.highlight_requested.emit, passage.part, *selected)))
        position = passage.position_at(point)
        mark = self.highlight_at(passage.part, position) if position is not None else None
        if mark is None and selected is not None:
            mark = self.highlight_at(passage.part, selected[0])
        if mark is not None:
            remove = partial(self.highlight_removal_requested.emit, mark.part, mark.start, mark.end)
            actions.append(("Remove this highlight", remove))
        if self._highlights:
            actions.append(("Clear all highlights of this item", self.highlights_clear_requested.emit))
        return actions

    def _context_menu(self, passage: Passage, point: QPoint) -> None:
        if not self._editable:
            return
        actions = self.context_actions(passage, point)
        if not actions:
            return
        menu = QMenu(self)
        for text, slot in actions:
            menu.addAction(text, slot)
        menu.exec(passage.mapToGlobal(point))


def _keyword_ranges(text: str, keywords: list[str]) -> list[Range]:
    ranges = []
    for keyword in keywords:
        start = text.find(keyword)
        while start >= 0 and keyword:
            ranges.append((start, start + len(keyword)))
            start = text.find(keyword, start + len(keyword))
    return ranges
